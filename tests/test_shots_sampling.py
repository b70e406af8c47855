"""Fast (multinomial) vs device sampling paths of qrand.shots: same distribution, seeded."""

from __future__ import annotations

import numpy as np
import pytest

from qrand.errors import QrandError
from qrand.seeding.tree import SeedTree
from qrand.shots.sampling import (check_shots, device_counts, exact_probabilities, fast_counts,
                                  ideal_probabilities, measured_qubits, prepared_circuit)
from qrand.stats import g_test, tvd, two_sample

CIRCUIT = "random_layered:3:3:5"  # a spread-out distribution over all 8 outcomes
SEED_T = 11


def _ideal_statevector(spec: str) -> np.ndarray:
    from qiskit.quantum_info import Statevector

    from qrand.shots.circuits import build_circuit

    qc = build_circuit(spec)
    n = qc.num_qubits
    little = Statevector(qc).probabilities()  # qiskit: qubit 0 is the least significant bit
    return little.reshape([2] * n).transpose(list(range(n))[::-1]).reshape(-1)


@pytest.mark.slow
def test_exact_distributions_and_bit_order():
    ideal = ideal_probabilities(CIRCUIT)
    assert np.allclose(ideal, _ideal_statevector(CIRCUIT), atol=1e-12)
    for backend in ("default.qubit", "aer", "default.mixed", "lightning.qubit"):
        assert np.allclose(exact_probabilities(CIRCUIT, backend, SEED_T), ideal, atol=1e-10)
    noisy = exact_probabilities(CIRCUIT, "aer:fake_manila", SEED_T)
    assert tvd(noisy, exact_probabilities(CIRCUIT, "default.mixed:fake_manila", SEED_T)) < 1e-6
    assert tvd(noisy, ideal) > 0.01
    circuit = prepared_circuit(CIRCUIT, "aer:fake_manila", SEED_T)
    assert circuit.num_qubits == 5 and circuit.num_clbits == 3  # transpiled onto manila's 5 qubits
    assert sorted(measured_qubits(circuit)) == sorted(set(measured_qubits(circuit)))


def test_fast_counts_are_seeded_by_tree_and_shot_count():
    p = ideal_probabilities(CIRCUIT)
    tree = SeedTree(3).child("task", "x")
    a = fast_counts(p, [10, 1000], tree)
    assert a.shape == (2, 8) and a.dtype == np.int64 and list(a.sum(axis=1)) == [10, 1000]
    assert np.array_equal(a, fast_counts(p, [10, 1000], SeedTree(3).child("task", "x")))
    # each shot count has its own stream: adding a shot count changes nothing else
    assert np.array_equal(a[1], fast_counts(p, [5, 1000], tree)[1])
    assert not np.array_equal(a, fast_counts(p, [10, 1000], SeedTree(4).child("task", "x")))
    with pytest.raises(QrandError, match="positive integers"):
        check_shots([10, 0])
    assert check_shots([100, 10, 100]) == [10, 100]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["default.qubit", "lightning.qubit", "aer:density_matrix",
                                     "default.mixed:fake_manila", "aer:fake_manila"])
def test_fast_and_device_paths_are_statistically_equivalent(backend):
    exact = exact_probabilities(CIRCUIT, backend, SEED_T)
    root = SeedTree(2026).child("equivalence", backend)
    shots = [1200]
    fast = sum(fast_counts(exact, shots, root.child("fast", s)).sum(axis=0) for s in range(10))
    device = sum(device_counts(CIRCUIT, backend, shots, root.child("device", s), SEED_T).sum(axis=0)
                 for s in range(10))
    assert fast.sum() == device.sum() == 10 * 1200
    assert g_test(device, exact).pvalue > 1e-3
    assert two_sample(fast, device).pvalue > 1e-3
    # the same test rejects a slightly perturbed distribution: 5% of the mass moved between outcomes
    order = np.argsort(exact)
    perturbed = exact.copy()
    moved = min(0.05, exact[order[-1]] / 2)
    perturbed[order[-1]] -= moved
    perturbed[order[0]] += moved
    assert g_test(device, perturbed).pvalue < 1e-6
    assert g_test(fast, perturbed).pvalue < 1e-6


@pytest.mark.slow
def test_device_path_follows_the_execution_seed_rule():
    tree = SeedTree(9).child("task", "abc")
    a = device_counts(CIRCUIT, "aer", [100, 100], tree, SEED_T)
    b = device_counts(CIRCUIT, "aer", [100, 100], SeedTree(9).child("task", "abc"), SEED_T)
    assert np.array_equal(a, b)
    assert not np.array_equal(a[0], a[1])  # execution 0 and execution 1 draw different seeds
    # execution k of device NAME seeds from tree.child("device", NAME, "exec", k)
    from qrand.quantum.aer import aer_seed

    circuit = prepared_circuit(CIRCUIT, "aer", SEED_T)
    from qiskit_aer import AerSimulator

    raw = AerSimulator().run(circuit, shots=100,
                             seed_simulator=aer_seed(tree.child("device", "aer", "exec", 1))).result()
    counts = {k[::-1]: v for k, v in raw.get_counts().items()}
    expected = np.zeros(8, dtype=np.int64)
    for key, value in counts.items():
        expected[int(key, 2)] += value
    assert np.array_equal(a[1], expected)
