"""Convert circuits between Qiskit and PennyLane for the standard gate set.

Both directions keep gate order, angles and the global phase, so the
converted circuit has the same unitary. Qiskit orders qubits little-endian
(qubit 0 is the last bit of a key); PennyLane wire-0-first. The bridge maps
Qiskit qubit ``i`` to PennyLane wire ``wires[i]`` (default ``i``) and never
reorders qubits; only bitstrings and probability vectors differ in order.

Supported gates (Qiskit name: PennyLane op): h, x, y, z, s, sdg, t, tdg, sx,
sxdg, id, rx, ry, rz, p/u1, u/u3, cx, cy, cz, ch, cp, crx, cry, crz, swap,
ecr, rxx, ryy, rzz, ccx, cswap; plus measure (final only), barrier and delay
(a delay becomes qrand's ``Delay`` operation, an identity that keeps its
duration, so a noise profile can add the same thermal relaxation Aer adds). Any other gate raises
:class:`~qrand.errors.QrandError` naming it.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from .._optional import require
from ..errors import QrandError

#: Qiskit gate name -> PennyLane op class name
Q2P = {
    "h": "Hadamard", "x": "PauliX", "y": "PauliY", "z": "PauliZ", "s": "S", "t": "T",
    "sx": "SX", "id": "Identity", "rx": "RX", "ry": "RY", "rz": "RZ", "p": "PhaseShift",
    "u1": "PhaseShift", "u": "U3", "u3": "U3", "cx": "CNOT", "cy": "CY", "cz": "CZ",
    "ch": "CH", "cp": "ControlledPhaseShift", "crx": "CRX", "cry": "CRY", "crz": "CRZ",
    "swap": "SWAP", "ecr": "ECR", "rxx": "IsingXX", "ryy": "IsingYY", "rzz": "IsingZZ",
    "ccx": "Toffoli", "cswap": "CSWAP",
}
#: Qiskit inverse gates -> PennyLane op class wrapped in ``qml.adjoint``
Q2P_ADJOINT = {"sdg": "S", "tdg": "T", "sxdg": "SX"}
#: PennyLane op name -> Qiskit gate name (first Qiskit name wins: p, u)
P2Q = {}
for _q, _p in Q2P.items():
    P2Q.setdefault(_p, _q)
P2Q.update({f"Adjoint({_p})": _q for _q, _p in Q2P_ADJOINT.items()})
P2Q["U1"] = "p"
RETURNS = ("probs", "counts", "sample", "state", "density", None)
_DELAY: list = []


def delay_op() -> type:
    """The PennyLane ``Delay`` operation: an identity with a duration (``unit`` as in Qiskit).

    It decomposes into ``Identity``; a noise profile turns it into thermal relaxation.
    """
    if not _DELAY:
        qml = require("pennylane")

        class Delay(qml.operation.Operation):
            """Idle time on one wire: identity, with ``duration`` in ``unit`` ("dt", "s", "ns", ...)."""

            num_wires = 1
            num_params = 1
            grad_method = None

            def __init__(self, duration, wires, unit: str = "dt", id=None):
                super().__init__(duration, wires=wires)
                self.hyperparameters["unit"] = unit

            @staticmethod
            def compute_decomposition(duration, wires, unit="dt"):  # noqa: ARG004
                return [qml.Identity(wires=wires)]

        _DELAY.append(Delay)
    return _DELAY[0]


def _unsupported(name: str, direction: str) -> QrandError:
    names = sorted(Q2P) + sorted(Q2P_ADJOINT) if direction == "qiskit" else sorted(P2Q)
    return QrandError(
        f"gate {name!r} is not supported by the {direction}->other bridge; "
        f"decompose it first (supported: {', '.join(names)})"
    )


# -- PennyLane -> Qiskit ------------------------------------------------------
def _as_tape(circuit: Any, args: Sequence, kwargs: dict):
    qml = require("pennylane")
    if isinstance(circuit, qml.tape.QuantumScript):
        return circuit
    func = getattr(circuit, "func", circuit)  # a QNode keeps its quantum function in .func
    if not callable(func):
        raise QrandError(
            f"expected a Qiskit QuantumCircuit, a PennyLane tape or quantum function, got {type(circuit).__name__}"
        )
    return qml.tape.make_qscript(func)(*args, **kwargs)


def _float(value: Any) -> float:
    qml = require("pennylane")
    return float(qml.math.toarray(qml.math.unwrap(value)))


def to_qiskit(circuit: Any, *args: Any, wires: Sequence | None = None, **kwargs: Any):
    """A Qiskit ``QuantumCircuit`` for a PennyLane tape, QNode or quantum function.

    Parameters
    ----------
    circuit : QuantumCircuit, QuantumScript, QNode or callable
        A Qiskit circuit is returned unchanged; a quantum function is called
        with ``*args, **kwargs`` to record its operations.
    wires : sequence, optional
        PennyLane wire labels in qubit order (qubit ``i`` is ``wires[i]``).
        Default: integer wires map to the same qubit index; other labels in
        the order the tape uses them.

    Returns
    -------
    qiskit.QuantumCircuit
        The gates; ``probs``/``sample``/``counts`` measurements become final
        ``measure`` instructions (clbit ``j`` = ``j``-th measured wire).
        Expectation values and other measurements are not converted.
    """
    qiskit = require("qiskit")
    if isinstance(circuit, qiskit.QuantumCircuit):
        return circuit
    tape = _as_tape(circuit, args, kwargs)
    if wires is None:
        labels = list(tape.wires)
        if all(isinstance(w, int) and not isinstance(w, bool) and w >= 0 for w in labels):
            wires = list(range(max(labels, default=-1) + 1))
        else:
            wires = labels
    index = {w: i for i, w in enumerate(wires)}
    missing = [w for w in tape.wires if w not in index]
    if missing:
        raise QrandError(f"tape uses wires {missing} that are not in wires={list(wires)}")
    qc = qiskit.QuantumCircuit(len(wires))
    for op in tape.operations:
        qubits = [index[w] for w in op.wires]
        name = op.name
        if name == "GlobalPhase":
            qc.global_phase -= _float(op.data[0])
        elif name == "Barrier":
            qc.barrier(*qubits)
        elif name == "Delay":
            qc.delay(_float(op.data[0]), qubits[0], unit=op.hyperparameters["unit"])
        elif name == "Rot":  # Rot(phi, theta, omega) = RZ(omega) RY(theta) RZ(phi)
            phi, theta, omega = (_float(x) for x in op.data)
            qc.rz(phi, qubits[0])
            qc.ry(theta, qubits[0])
            qc.rz(omega, qubits[0])
        elif name in P2Q:
            gate = P2Q[name]
            getattr(qc, "id" if gate == "id" else gate)(*[_float(x) for x in op.data], *qubits)
        else:
            raise _unsupported(name, "pennylane")
    measured: list[int] = []
    for mp in tape.measurements:
        if type(mp).__name__ in ("ProbabilityMP", "SampleMP", "CountsMP") and mp.obs is None:
            targets = mp.wires if len(mp.wires) else wires
            measured += [index[w] for w in targets if index[w] not in measured]
    if measured:
        qc.add_register(qiskit.ClassicalRegister(len(measured), "c"))
        for clbit, qubit in enumerate(measured):
            qc.measure(qubit, clbit)
    return qc


# -- Qiskit -> PennyLane ------------------------------------------------------
def _measured_qubits(qc) -> list[int] | None:
    """Qubits measured at the end, in clbit order; None when the circuit has no measure."""
    pairs, done = {}, set()
    for inst in qc.data:
        qubits = [qc.find_bit(q).index for q in inst.qubits]
        name = inst.operation.name
        if name == "measure":
            pairs[qc.find_bit(inst.clbits[0]).index] = qubits[0]
            done.add(qubits[0])
        elif name != "barrier" and done.intersection(qubits):
            raise QrandError(
                f"mid-circuit measurement: {name!r} acts on measured qubit(s) {sorted(done.intersection(qubits))}"
            )
    return [pairs[c] for c in sorted(pairs)] if pairs else None


def _value(param: Any, binding: dict) -> Any:
    qiskit = require("qiskit")
    if isinstance(param, qiskit.circuit.Parameter):
        if param not in binding:
            raise QrandError(f"circuit parameter {param.name!r} has no value")
        return binding[param]
    if isinstance(param, qiskit.circuit.ParameterExpression):
        free = {p: _float(binding[p]) for p in param.parameters if p in binding}
        if len(free) != len(param.parameters):
            raise QrandError(f"circuit parameter expression {param} has unbound parameters")
        return float(param.bind(free))
    return float(param)


def qiskit_operations(qc, wires: Sequence | None = None, binding: dict | None = None) -> list:
    """PennyLane operations for the gates of Qiskit circuit ``qc`` (measurements skipped)."""
    qml = require("pennylane")
    wires = list(range(qc.num_qubits)) if wires is None else list(wires)
    if len(wires) != qc.num_qubits:
        raise QrandError(f"circuit has {qc.num_qubits} qubits but {len(wires)} wires were given")
    binding = binding or {}
    ops = []
    for inst in qc.data:
        op = inst.operation
        if getattr(op, "condition", None) is not None:
            raise QrandError(f"classically conditioned gate {op.name!r} is not supported")
        on = [wires[qc.find_bit(q).index] for q in inst.qubits]
        name = op.name
        if name == "measure":
            continue
        if name == "barrier":
            ops.append(qml.Barrier(wires=on))
        elif name == "delay":  # idle time: an identity that remembers its duration (for noise)
            ops.append(delay_op()(float(op.duration), wires=on, unit=op.unit))
        elif name in Q2P:
            params = [_value(p, binding) for p in op.params]
            ops.append(getattr(qml, Q2P[name])(*params, wires=on))
        elif name in Q2P_ADJOINT:
            ops.append(qml.adjoint(getattr(qml, Q2P_ADJOINT[name])(wires=on)))
        else:
            raise _unsupported(name, "qiskit")
    phase = qc.global_phase
    if phase != 0:
        ops.append(qml.GlobalPhase(-_value(phase, binding), wires=wires[0] if wires else 0))
    return ops


def to_pennylane(circuit: Any, *, wires: Sequence | None = None, returns: str | None = "probs") -> Callable:
    """A PennyLane quantum function for a Qiskit ``QuantumCircuit``.

    Parameters
    ----------
    circuit : QuantumCircuit or callable
        A callable (already a quantum function) is returned unchanged.
    wires : sequence, optional
        Wire label of each Qiskit qubit (default ``range(num_qubits)``).
    returns : {"probs", "counts", "sample", "state", "density", None}
        What the function returns, over the measured qubits in clbit order
        (all qubits when the circuit has no ``measure``); wire-0-first order.

    Returns
    -------
    callable
        ``qfunc(*values)``: values bind ``circuit.parameters`` in Qiskit's
        order (plain ``Parameter`` values stay differentiable).
    """
    qiskit = require("qiskit")
    if not isinstance(circuit, qiskit.QuantumCircuit):
        if callable(circuit):
            return circuit
        raise QrandError(f"expected a Qiskit QuantumCircuit, got {type(circuit).__name__}")
    if returns not in RETURNS:
        raise QrandError(f"returns must be one of {RETURNS}, got {returns!r}")
    qml = require("pennylane")
    labels = list(range(circuit.num_qubits)) if wires is None else list(wires)
    measured = _measured_qubits(circuit)
    out_wires = labels if measured is None else [labels[q] for q in measured]
    parameters = list(circuit.parameters)
    qiskit_operations(circuit, labels, {p: 0.0 for p in parameters})  # validate gates now

    def qfunc(*values):
        if len(values) != len(parameters):
            raise QrandError(f"circuit has {len(parameters)} parameters, got {len(values)} values")
        with qml.QueuingManager.stop_recording():  # build without queuing, then queue once
            ops = qiskit_operations(circuit, labels, dict(zip(parameters, values)))
        for op in ops:
            qml.apply(op)
        if returns is None:
            return None
        if returns == "state":
            return qml.state()
        if returns == "density":
            return qml.density_matrix(wires=out_wires)
        return getattr(qml, returns)(wires=out_wires)

    qfunc.__name__ = f"qfunc_{circuit.name}"
    return qfunc
