"""Quantum bit sources (Hadamard + measure on seeded simulators) and readout bias."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pennylane")
pytest.importorskip("qiskit_aer")

from qrand import bits, nist  # noqa: E402
from qrand.bits.quantum import MAX_SHOTS, load_profile  # noqa: E402
from qrand.seeding import record  # noqa: E402


@pytest.mark.parametrize("name", ["quantum:default.qubit", "quantum:aer"])
def test_ideal_quantum_sources_are_seeded(name):
    a = bits.source(name, 20_000, seed=3)
    assert a.shape == (20_000,) and a.dtype == np.uint8
    assert np.array_equal(a, bits.source(name, 20_000, seed=3))
    assert not np.array_equal(a, bits.source(name, 20_000, seed=4))
    assert nist.frequency(a)[0].passed is not None
    assert abs(a.mean() - 0.5) < 0.02


def test_executions_follow_the_execution_seed_rule():
    before = record.current().devices.get("aer", {}).get("calls", 0)
    wires = 16
    n = 2 * MAX_SHOTS * wires + 10  # three executions
    out = bits.source("quantum:aer", n, seed=5)
    assert record.current().devices["aer"]["calls"] - before == 3
    per_exec = MAX_SHOTS * wires
    assert not np.array_equal(out[:1000], out[per_exec:per_exec + 1000])  # stream mode: fresh seed per call


def test_profile_readout_asymmetry_biases_each_qubit():
    profile = load_profile("manila")
    readout = np.array([q.readout for q in profile.qubits])
    assert (readout[:, 1] > readout[:, 0]).all()  # P(0|1) > P(1|0): the calibration's asymmetry is kept
    shots = 40_000
    out = bits.source("quantum:default.mixed:manila", 5 * shots, seed=1)
    per_qubit = out.reshape(5, shots).mean(axis=1)  # laid out qubit by qubit
    expected = 0.5 * (1 - readout[:, 1]) + 0.5 * readout[:, 0]
    assert per_qubit == pytest.approx(expected, abs=0.01)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["quantum:default.mixed:manila", "quantum:aer:manila"])
def test_noisy_source_fails_frequency_and_passes_after_von_neumann(name):
    raw = bits.source(name, 1_000_000, seed=7)
    assert nist.frequency(raw)[0].p_value < 1e-10
    extracted = bits.generate(name, 1_000_000, seed=7, extract="vn")
    frame = nist.run_battery(extracted)
    ok = frame[frame["applicable"]]
    assert ok.set_index("test").loc["frequency", "p_value"] >= 0.01
    assert ok["passed"].astype(bool).mean() >= 0.95  # ~1% of P-values below alpha is expected
