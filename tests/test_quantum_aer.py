"""Seeded Aer wrapper: derived seeds, stream/common, replay, batches and binds, errors."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("qiskit_aer")

from qrand.errors import QrandError
from qrand.quantum import aer_simulator, circuits
from qrand.seeding import record
from qrand.seeding.tree import SeedTree


def measured(qc):
    qc = qc.copy()
    qc.measure_all()
    return qc


@pytest.fixture(scope="module")
def flat():
    qc = circuits.random_layered(4, 3, seed=5)
    return measured(qc)


def memory(sim, qc, shots=64, **kw):
    return sim.result(qc, shots=shots, memory=True, **kw).get_memory()


def test_stream_fresh_and_replay(flat):
    sim = aer_simulator(seed=8, method="statevector")
    calls = [memory(sim, flat) for _ in range(3)]
    assert calls[0] != calls[1] != calls[2] != calls[0]
    with sim.replay_execution(1):
        assert memory(sim, flat) == calls[1]
    assert sim.executions == 3
    alone = aer_simulator(seed=8, method="statevector", start_exec=2)
    assert memory(alone, flat) == calls[2]


def test_common_mode(flat):
    sim = aer_simulator(seed=8, mode="common", method="statevector")
    assert memory(sim, flat) == memory(sim, flat)
    assert memory(sim, flat) == memory(aer_simulator(seed=8, method="statevector"), flat)


def test_derived_seeds_follow_the_rule():
    sim = aer_simulator(seed=SeedTree(3), name="chip")
    seeds = [sim.execution_seed(k) for k in range(50)]
    assert seeds[7] == SeedTree(3).child("device", "chip", "exec", 7).seed(64) >> 1
    assert all(0 <= s < 2**63 for s in seeds)
    # Aer shifts a run's seed by 2113*i (circuits) and by the shot index: derived seeds are far apart
    gaps = np.diff(np.sort(np.array(seeds, dtype=object)))
    assert min(gaps) > 2113 * 10**6


def test_native_backend_seed_option_repeats(flat):
    from qiskit_aer import AerSimulator

    sim = AerSimulator(method="statevector", seed_simulator=9)
    runs = [sim.run(flat, shots=32, memory=True).result().get_memory() for _ in range(2)]
    assert runs[0] == runs[1]  # the seed is reused by every run


def test_native_aer_shift_overlap_that_qrand_avoids(flat):
    """Aer's own rule: circuit i of a batch uses seed + 2113*i, so seeds n and n+2113 overlap."""
    from qiskit_aer import AerSimulator

    sim = AerSimulator(method="statevector")
    other = measured(circuits.ghz(4))
    batch = sim.run([other, flat], shots=64, seed_simulator=100, memory=True).result()
    single = sim.run(flat, shots=64, seed_simulator=100 + 2113, memory=True).result()
    assert batch.get_memory(1) == single.get_memory(0)


def test_native_shot_shift_overlap_that_qrand_avoids():
    """With per-shot sampling (noise), Aer's shot j uses seed + j: seeds n and n+1 share shots."""
    from qiskit_aer import AerSimulator

    from qrand.quantum import HardwareProfile

    profile = HardwareProfile.uniform(4, p1q=0.05)
    qc = measured(circuits.random_layered(4, 2, seed=3))
    sim = AerSimulator(method="statevector", noise_model=profile.to_aer())
    a = sim.run(qc, shots=40, seed_simulator=500, memory=True).result().get_memory()
    b = sim.run(qc, shots=40, seed_simulator=501, memory=True).result().get_memory()
    assert a[1:] == b[:-1]
    ours = aer_simulator(seed=500, method="statevector", profile=profile)
    x, y = memory(ours, qc, shots=40), memory(ours, qc, shots=40)
    assert all(x[i:] != y[: len(y) - i] and y[i:] != x[: len(x) - i] for i in range(1, 20))


def test_batch_and_parameter_binds_are_one_execution():
    qc = measured(circuits.hea(3, 1))
    sim = aer_simulator(seed=4, method="statevector")
    params = list(qc.parameters)
    binds = [{p: [0.1 * i, 0.7] for i, p in enumerate(params)}]
    counts = sim.run(qc, shots=100, parameter_binds=binds)
    assert sim.executions == 1 and isinstance(counts, list) and len(counts) == 2
    with sim.replay_execution(0):
        assert sim.run(qc, shots=100, parameter_binds=binds) == counts
    two = sim.run([measured(circuits.bell()), measured(circuits.ghz(3))], shots=50)
    assert sim.executions == 2 and [sum(c.values()) for c in two] == [50, 50]


def test_bit_order():
    from qiskit import QuantumCircuit

    sim = aer_simulator(seed=1)

    one = QuantumCircuit(2)
    one.x(0)
    one.measure_all()
    assert sim.run(one, shots=10) == {"01": 10}  # Qiskit: qubit 0 is the rightmost bit
    assert sim.run(one, shots=10, bit_order="wire0-first") == {"10": 10}


def test_record_and_profile_hash():
    from qrand.quantum import HardwareProfile

    profile = HardwareProfile.uniform(2)
    sim = aer_simulator(seed=2, profile=profile, name="noisy")
    sim.run(measured(circuits.bell()), shots=10)
    entry = record.current().to_dict()["devices"]["noisy"]
    assert entry["calls"] == 1 and entry["profile_hash"] == profile.hash()
    assert entry["last_seed_simulator"] == sim.execution_seed(0)


def test_bad_inputs():
    with pytest.raises(QrandError, match="density_matrix"):
        aer_simulator(seed=1, method="densitymatrix")
    with pytest.raises(QrandError, match="seed_simulator"):
        aer_simulator(seed=1, seed_simulator=3)
    with pytest.raises(QrandError, match="mode"):
        aer_simulator(seed=1, mode="x")
    sim = aer_simulator(seed=1)
    with pytest.raises(QrandError, match="shots"):
        sim.run(measured(circuits.bell()), shots=0)
    with pytest.raises(QrandError, match="bit_order"):
        sim.run(measured(circuits.bell()), bit_order="big")
    from qrand.quantum import HardwareProfile

    small = aer_simulator(seed=1, profile=HardwareProfile.uniform(2))
    with pytest.raises(QrandError, match=r"qubits 0..1; circuit 'ghz_3' uses \[2\]"):
        small.run(measured(circuits.ghz(3)))


def test_wire0_first_counts_match_pennylane_keys():
    qml = pytest.importorskip("pennylane")
    from qrand.quantum import device

    def qfunc():
        qml.PauliX(0)
        qml.Hadamard(2)
        return qml.counts(wires=[0, 1, 2])

    pl = qml.set_shots(qml.QNode(qfunc, device("default.qubit", 3, seed=1)), 64)()
    aer = aer_simulator(seed=1).run(qfunc, shots=64, bit_order="wire0-first")  # PennyLane input
    assert set(pl) == set(aer) == {"100", "101"}
