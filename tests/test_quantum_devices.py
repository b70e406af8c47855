"""Seeded PennyLane devices: the execution-seed rule, replay, JAX under jit, record, errors."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

qml = pytest.importorskip("pennylane")

from conftest import run_python_json

from qrand.errors import QrandError
from qrand.quantum import device
from qrand.seeding import record
from qrand.seeding.tree import SeedTree


def sampler(dev, shots=16, n=3):
    @qml.set_shots(shots)
    @qml.qnode(dev)
    def circuit():
        for w in range(n):
            qml.Hadamard(w)
        return qml.sample(wires=list(range(n)))

    return circuit


NUMPY_DEVICES = ["default.qubit", "default.mixed", "lightning.qubit"]


@pytest.mark.parametrize("short", NUMPY_DEVICES)
def test_stream_fresh_each_call_and_replay_alone(short):
    dev = device(short, 3, seed=11)
    f = sampler(dev)
    calls = [np.asarray(f()) for _ in range(3)]
    assert all(not np.array_equal(calls[i], calls[j]) for i in range(3) for j in range(i + 1, 3))
    with dev.replay_execution(1):
        assert np.array_equal(np.asarray(f()), calls[1])
    assert dev.executions == 3  # replay restored the counter
    other = device(short, 3, seed=11, start_exec=2)  # execution 2 alone, a new device
    assert np.array_equal(np.asarray(sampler(other)()), calls[2])


@pytest.mark.parametrize("short", NUMPY_DEVICES)
def test_common_mode_repeats_execution_zero(short):
    f = sampler(device(short, 3, seed=11, mode="common"))
    first, second = np.asarray(f()), np.asarray(f())
    assert np.array_equal(first, second)
    stream_first = np.asarray(sampler(device(short, 3, seed=11))())
    assert np.array_equal(first, stream_first)


def test_native_int_and_global_seed_behaviour():
    """What the docs table says PennyLane does natively with an int seed and with no seed."""
    f = sampler(qml.device("default.qubit", wires=3, seed=5))
    first, second = np.asarray(f()), np.asarray(f())
    assert not np.array_equal(first, second)  # advances per call ...
    assert np.array_equal(np.asarray(sampler(qml.device("default.qubit", wires=3, seed=5))()), first)
    np.random.seed(3)  # ... and seed="global" draws the device seed from NumPy's global RNG
    a = np.asarray(sampler(qml.device("default.qubit", wires=3))())
    np.random.seed(3)
    b = np.asarray(sampler(qml.device("default.qubit", wires=3))())
    assert np.array_equal(a, b)


def test_seed_and_name_separate_streams():
    a = np.asarray(sampler(device("default.qubit", 3, seed=1))())
    b = np.asarray(sampler(device("default.qubit", 3, seed=2))())
    c = np.asarray(sampler(device("default.qubit", 3, seed=1, name="other"))())
    assert not np.array_equal(a, b) and not np.array_equal(a, c)
    # the seed is the documented node: tree.child("device", NAME, "exec", k)
    dev = device("default.qubit", 3, seed=SeedTree(1).child("exp"))
    assert dev.execution_seed(4) == SeedTree(1).child("exp", "device", "default.qubit", "exec", 4)


def test_record_counts_calls():
    dev = device("default.qubit", 2, seed=3, name="q")
    f = sampler(dev, n=2)
    f(), f()
    entry = record.current().to_dict()["devices"]["q"]
    assert entry["calls"] == 2 and entry["mode"] == "stream" and entry["backend"] == "default.qubit"
    assert entry["seed_tree"]["root"] == 3


def test_unseeded_device_uses_run_tree():
    # the qrand pytest plugin runs each test under qrand.scoped(...): the run has a tree
    tree = record.current().tree
    assert tree is not None
    a = np.asarray(sampler(device("default.qubit", 3))())
    b = np.asarray(sampler(device("default.qubit", 3, seed=tree))())
    assert np.array_equal(a, b)


def test_batch_and_shot_vector_are_one_execution():
    dev = device("default.qubit", 2, seed=5)
    tape = qml.tape.QuantumScript([qml.Hadamard(0), qml.Hadamard(1)], [qml.sample(wires=[0, 1])],
                                  shots=(8, 8))
    first = qml.execute([tape, tape], dev)
    assert dev.executions == 1
    assert not np.array_equal(first[0][0], first[0][1])  # shot-vector parts differ
    assert not np.array_equal(first[0][0], first[1][0])  # batch members differ
    with dev.replay_execution(0):
        again = qml.execute([tape, tape], dev)
    for x, y in zip(first, again):
        for u, v in zip(x, y):
            assert np.array_equal(u, v)


def test_device_shots_argument():
    dev = device("lightning.qubit", 2, seed=9, shots=12)

    @qml.qnode(dev)
    def f():
        qml.Hadamard(0)
        return qml.sample(wires=[0, 1])

    first = np.asarray(f())
    assert first.shape == (12, 2)
    with dev.replay_execution(0):
        assert np.array_equal(np.asarray(f()), first)


def test_parameter_shift_gradient_is_reproducible():
    def grad(seed):
        dev = device("default.qubit", 1, seed=seed)

        @qml.set_shots(200)
        @qml.qnode(dev, diff_method="parameter-shift")
        def f(x):
            qml.RX(x, 0)
            return qml.expval(qml.PauliZ(0))

        return float(qml.grad(f)(qml.numpy.array(0.4, requires_grad=True)))

    assert grad(1) == grad(1)
    assert grad(1) != grad(2)


jax = pytest.importorskip("jax")


def _jax_sampler(dev, jit: bool = True):
    """A 32-shot, 2-wire JAX QNode on ``dev`` (jitted unless ``jit=False``)."""

    @qml.set_shots(32)
    @qml.qnode(dev, interface="jax")
    def f(x):
        qml.RX(x, 0)
        qml.Hadamard(1)
        return qml.sample(wires=[0, 1])

    return jax.jit(f) if jit else f


@pytest.mark.parametrize("short,rng,jit", [("default.qubit", "jax", True), ("default.mixed", "jax", True),
                                           ("default.qubit", "numpy", True), ("default.qubit", "jax", False)])
def test_jit_stream_advances_and_replays(short, rng, jit):
    dev = device(short, 2, seed=21, rng=rng)
    f = _jax_sampler(dev, jit)
    calls = [np.asarray(f(1.3)) for _ in range(3)]
    assert dev.executions == 3
    assert not np.array_equal(calls[0], calls[1]) and not np.array_equal(calls[1], calls[2])
    with dev.replay_execution(1):
        assert np.array_equal(np.asarray(f(1.3)), calls[1])


def test_jax_key_common_mode_under_jit():
    dev = device("default.qubit", 2, seed=21, rng="jax", mode="common")
    f = _jax_sampler(dev)
    assert np.array_equal(np.asarray(f(1.3)), np.asarray(f(1.3)))


@pytest.mark.parametrize("short", ["default.qubit", "default.mixed"])
def test_native_jax_key_repeats_without_qrand(short):
    """The behaviour qrand fixes: a PennyLane device given a JAX key repeats per execute."""
    dev = qml.device(short, wires=1, seed=jax.random.PRNGKey(0))

    @qml.set_shots(32)
    @qml.qnode(dev, interface="jax")
    def f():
        qml.Hadamard(0)
        return qml.sample(wires=0)

    assert np.array_equal(np.asarray(f()), np.asarray(f()))


def test_jax_key_shot_vector_under_jit():
    dev = device("default.qubit", 3, seed=4, rng="jax")

    @jax.jit
    @qml.set_shots((16, 16))
    @qml.qnode(dev, interface="jax")
    def f():
        for w in range(3):
            qml.Hadamard(w)
        return qml.sample(wires=[0, 1, 2])

    first, second = f(), f()
    assert dev.executions == 2
    assert not np.array_equal(first[0], first[1])  # the two shot-vector parts differ
    assert not np.array_equal(first[0], second[0])  # and the next call is fresh
    with dev.replay_execution(0):
        again = f()
    assert all(np.array_equal(x, y) for x, y in zip(first, again))


def test_default_mixed_jax_batch_members_differ():
    tape = qml.tape.QuantumScript([qml.Hadamard(0)], [qml.sample(wires=0)], shots=32)
    native = qml.execute([tape, tape], qml.device("default.mixed", wires=1, seed=jax.random.PRNGKey(1)))
    assert np.array_equal(native[0], native[1])  # PennyLane: one key for the whole batch
    ours = qml.execute([tape, tape], device("default.mixed", 1, seed=1, rng="jax"))
    assert not np.array_equal(ours[0], ours[1])


@pytest.mark.slow
def test_fresh_processes_give_identical_streams():
    script = textwrap.dedent("""
        import json, numpy as np, pennylane as qml, jax
        from qrand.quantum import device
        out = {}
        for short, rng in [("default.qubit", "numpy"), ("lightning.qubit", "numpy"),
                           ("default.mixed", "numpy"), ("default.qubit", "jax")]:
            dev = device(short, 3, seed=2024, rng=rng)
            @qml.set_shots(16)
            @qml.qnode(dev)
            def f():
                for w in range(3):
                    qml.Hadamard(w)
                return qml.sample(wires=[0, 1, 2])
            g = jax.jit(f) if rng == "jax" else f
            out[short + rng] = [np.asarray(g()).tolist() for _ in range(3)]
        from qrand.quantum import aer_simulator, circuits
        qc = circuits.ghz(3)
        qc.measure_all()
        sim = aer_simulator(seed=2024, method="statevector")
        out["aer"] = [sim.run(qc, shots=64, memory=True) for _ in range(3)]
        print(json.dumps(out))
    """)
    first, second = run_python_json(script), run_python_json(script)
    assert first == second
    for stream in first.values():  # consecutive calls differ
        assert stream[0] != stream[1] and stream[1] != stream[2]
    here = np.asarray(sampler(device("default.qubit", 3, seed=2024))()).tolist()
    assert here == first["default.qubitnumpy"][0]


def test_bad_inputs():
    with pytest.raises(QrandError, match="default.qubit, default.mixed, lightning.qubit"):
        device("default.qbit", 2, seed=1)
    with pytest.raises(QrandError, match="mode"):
        device("default.qubit", 2, seed=1, mode="fresh")
    with pytest.raises(QrandError, match="seed"):
        device("default.qubit", 2, seed=-1)
    with pytest.raises(QrandError, match="wires"):
        device("default.qubit", 0, seed=1)
    with pytest.raises(QrandError, match="rng='jax'"):
        device("lightning.qubit", 2, seed=1, rng="jax")
    with pytest.raises(QrandError, match="name"):
        device("default.qubit", 2, seed=1, name="")
    with pytest.raises(QrandError, match="start_exec"):
        device("default.qubit", 2, seed=1, start_exec=-2)


def test_wire_mismatch_is_an_error():
    dev = device("default.qubit", 2, seed=1)

    @qml.qnode(dev)
    def f():
        qml.CNOT([0, 2])
        return qml.probs()

    with pytest.raises(Exception, match="wire"):
        f()
