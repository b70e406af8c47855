"""Circuit bridge and library: unitaries match gate by gate, exact probabilities agree."""

from __future__ import annotations

import numpy as np
import pytest

qml = pytest.importorskip("pennylane")
pytest.importorskip("qiskit_aer")

from qiskit import QuantumCircuit
from qiskit.quantum_info import Operator

from conftest import run_python_json
from qrand.errors import QrandError
from qrand.quantum import circuits, probabilities, to_pennylane, to_qiskit
from qrand.quantum.bridge import Q2P, Q2P_ADJOINT, qiskit_operations

N_QUBITS = {"ccx": 3, "cswap": 3}
N_PARAMS = {"u": 3, "u3": 3}
TWO = {"swap", "ecr", "rxx", "ryy", "rzz"}


def one_gate(name, rng):
    qc = QuantumCircuit(3)
    nq = N_QUBITS.get(name, 2 if name.startswith("c") or name in TWO else 1)
    gate = qc.__class__.__dict__[name] if name in QuantumCircuit.__dict__ else None
    if gate is None:
        pytest.skip(f"Qiskit {name} has no QuantumCircuit method")
    n_params = N_PARAMS.get(name, 1 if name.startswith(("r", "p", "cp", "cr")) and name != "rccx" else 0)
    getattr(qc, name)(*rng.uniform(-3, 3, n_params), *[2, 0, 1][:nq])
    qc.global_phase = 0.3
    return qc


@pytest.mark.parametrize("name", sorted(set(Q2P) - {"u1", "u3"}) + sorted(Q2P_ADJOINT))
def test_each_gate_same_unitary_both_ways(name, qrand_rng):
    qc = one_gate(name, qrand_rng)
    tape = qml.tape.QuantumScript(qiskit_operations(qc))
    # Qiskit is little-endian: its matrix equals PennyLane's with the wire order reversed
    assert np.allclose(qml.matrix(tape, wire_order=[2, 1, 0]), Operator(qc).data, atol=1e-12)
    back = to_qiskit(tape, wires=[0, 1, 2])
    assert np.allclose(Operator(back).data, Operator(qc).data, atol=1e-12)


def test_delay_round_trip():
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.delay(120, 1, unit="dt")
    qc.delay(3.5, 0, unit="us")
    back = to_qiskit(qml.tape.QuantumScript(qiskit_operations(qc)), wires=[0, 1])
    delays = [(i.operation.duration, i.operation.unit, back.find_bit(i.qubits[0]).index)
              for i in back.data if i.operation.name == "delay"]
    assert delays == [(120.0, "dt", 1), (3.5, "us", 0)]
    assert np.allclose(probabilities(qc), probabilities(qc, backend="default.mixed"))


def test_pennylane_qfunc_to_qiskit_with_measurements():
    def qfunc(x):
        qml.Hadamard("a")
        qml.CNOT(["a", "b"])
        qml.Rot(x, 0.2, 0.3, wires="b")
        qml.adjoint(qml.S("a"))
        return qml.probs(wires=["b", "a"])

    qc = to_qiskit(qfunc, 0.1, wires=["a", "b"])
    assert [i.operation.name for i in qc.data][-2:] == ["measure", "measure"]
    p_pl = qml.QNode(qfunc, qml.device("default.qubit"))(0.1)
    assert np.allclose(probabilities(qc, backend="aer"), p_pl, atol=1e-12)


def test_qiskit_to_pennylane_qnode_matches_aer():
    qc = circuits.random_layered(3, 3, seed=4)
    qc.measure_all()
    p_pl = qml.QNode(to_pennylane(qc), qml.device("default.qubit", wires=3))()
    assert np.abs(np.asarray(p_pl) - probabilities(qc, backend="aer")).max() <= 1e-10
    state = qml.QNode(to_pennylane(qc, returns="state"), qml.device("default.qubit", wires=3))()
    assert np.allclose(np.abs(np.asarray(state)) ** 2, probabilities(qc, qubits=[0, 1, 2]), atol=1e-12)


def test_parameterised_qiskit_circuit_stays_differentiable():
    qc = circuits.hea(2, 1)
    qfunc = to_pennylane(qc, returns=None)

    @qml.qnode(qml.device("default.qubit", wires=2))
    def f(*values):
        qfunc(*values)
        return qml.expval(qml.PauliZ(1))

    values = qml.numpy.array([0.1, 0.2, 0.3, 0.4], requires_grad=True)
    grad = qml.grad(lambda v: f(*v))(values)
    assert grad.shape == (4,) and np.abs(grad).sum() > 0


def test_unsupported_and_bad_circuits():
    qc = QuantumCircuit(3)
    qc.rccx(0, 1, 2)
    with pytest.raises(QrandError, match="'rccx'"):
        to_pennylane(qc)

    def qfunc():
        qml.QFT(wires=[0, 1])
        return qml.probs()

    with pytest.raises(QrandError, match="'QFT'"):
        to_qiskit(qfunc)
    mid = QuantumCircuit(1, 1)
    mid.measure(0, 0)
    mid.x(0)
    with pytest.raises(QrandError, match="mid-circuit"):
        to_pennylane(mid)
    with pytest.raises(QrandError, match="2 qubits but 3 wires"):
        qiskit_operations(circuits.bell(), wires=[0, 1, 2])
    with pytest.raises(QrandError, match="QuantumCircuit"):
        to_qiskit(42)
    with pytest.raises(QrandError, match="valid names"):
        probabilities(circuits.bell(), backend="qasm")
    with pytest.raises(QrandError, match="qubits"):
        probabilities(circuits.bell(), qubits=[0, 5])


def test_probabilities_order_is_wire0_first():
    qc = QuantumCircuit(3)
    qc.x(0)  # |100> in wire-0-first order = index 4
    for backend in ("default.qubit", "aer"):
        p = probabilities(qc, backend=backend)
        assert p[4] == pytest.approx(1.0)
    qc.measure_all()
    assert probabilities(qc, backend="aer", qubits=[1, 0])[1] == pytest.approx(1.0)


def library(n, seed):
    out = [circuits.ghz(n), circuits.qft(n), circuits.random_layered(n, 3, seed=seed),
           circuits.hea(n, 2, np.random.default_rng(n).uniform(-np.pi, np.pi, (2, n, 2)))]
    return out + ([circuits.bell()] if n == 2 else [])


@pytest.mark.parametrize("n", range(1, 9))
def test_library_pennylane_matches_aer_exactly(n):
    for qc in library(n, seed=n):
        p_pl = probabilities(qc, backend="default.qubit")
        p_aer = probabilities(qc, backend="aer")
        assert np.abs(p_pl - p_aer).max() <= 1e-10, qc.name
        assert p_pl.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("backend", ["default.mixed", "lightning.qubit", "aer.density_matrix"])
def test_other_backends_agree_small(backend):
    for qc in library(3, seed=1):
        assert np.abs(probabilities(qc, backend=backend) - probabilities(qc)).max() <= 1e-10


def test_library_validates_and_is_seeded():
    assert circuits.random_layered(3, 2, seed=1) == circuits.random_layered(3, 2, seed=1)
    assert circuits.random_layered(3, 2, seed=1) != circuits.random_layered(3, 2, seed=2)
    with pytest.raises(QrandError, match="shape"):
        circuits.hea(2, 1, np.zeros(3))
    with pytest.raises(QrandError, match="n must be"):
        circuits.ghz(0)


def test_import_is_lazy():
    out = run_python_json(
        "import json, sys, qrand.quantum as q; from qrand.quantum import _stream;"
        "print(json.dumps([m for m in ('pennylane', 'qiskit', 'jax', 'qiskit_aer') if m in sys.modules]))"
    )
    assert out == []


def test_apply_readout_equals_kron_of_confusions():
    from hypothesis import given, settings, strategies as st

    from qrand.quantum.exact import apply_readout

    @settings(max_examples=25, deadline=None)
    @given(st.integers(1, 4), st.integers(0, 2**31 - 1))
    def check(m, seed):
        rng = np.random.default_rng(seed)
        probs = rng.dirichlet(np.ones(2**m))
        mats = [np.array([[1 - a, a], [b, 1 - b]]) for a, b in rng.uniform(0, 0.5, (m, 2))]
        full = mats[0]
        for mat in mats[1:]:
            full = np.kron(full, mat)  # wire 0 is the most significant bit
        assert np.allclose(apply_readout(probs, mats), full.T @ probs, atol=1e-12)
        assert np.allclose(apply_readout(probs, [None] * m), probs)

    check()


def test_qfunc_queues_each_gate_once_inside_a_qnode():
    import pennylane as qml

    from qrand.quantum import circuits, to_pennylane

    circuit = circuits.ghz(3)
    tape = qml.workflow.construct_tape(qml.QNode(to_pennylane(circuit), qml.device("default.qubit", wires=3)))()
    assert len(tape.operations) == sum(1 for inst in circuit.data if inst.operation.name != "barrier")
