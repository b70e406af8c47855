"""Seeded transpile: unseeded Qiskit varies, qrand's seeded transpile does not, hash recorded."""

from __future__ import annotations

import hashlib

import pytest

pytest.importorskip("qiskit_ibm_runtime")

import qiskit

from conftest import run_python_json
from qrand.errors import QrandError
from qrand.quantum import circuits, transpile
from qrand.quantum.profiles import fake_backend
from qrand.quantum.transpiling import circuit_hash
from qrand.seeding import record


@pytest.fixture(scope="module")
def brisbane():
    backend = fake_backend("brisbane")
    assert backend.num_qubits == 127
    return backend


@pytest.fixture
def qft6():
    qc = circuits.qft(6)
    qc.measure_all()
    return qc


def test_unseeded_varies_seeded_does_not(brisbane, qft6, monkeypatch):
    # qrand.seed_everything (and the pytest plugin) set QISKIT_TRANSPILER_SEED: remove it here
    monkeypatch.delenv("QISKIT_TRANSPILER_SEED", raising=False)
    unseeded = {circuit_hash(qiskit.transpile(qft6, backend=brisbane)) for _ in range(6)}
    assert len(unseeded) > 1
    seeded = {circuit_hash(transpile(qft6, brisbane, seed=11)) for _ in range(3)}
    assert len(seeded) == 1
    assert record.current().fingerprints["transpiled:qft_6"] == hashlib.sha256(seeded.pop().encode()).hexdigest()
    assert "qiskit.transpile:qft_6" in record.current().seeds
    assert circuit_hash(transpile(qft6, brisbane, seed=12)) != circuit_hash(transpile(qft6, brisbane, seed=11))


@pytest.mark.slow
def test_seeded_transpile_same_in_fresh_process(brisbane, qft6):
    code = ("import json; from qrand.quantum import circuits, transpile;"
            "from qrand.quantum.transpiling import circuit_hash;"
            "qc = circuits.qft(6); qc.measure_all();"
            "print(json.dumps(circuit_hash(transpile(qc, 'brisbane', seed=11))))")
    assert run_python_json(code) == circuit_hash(transpile(qft6, brisbane, seed=11))


def test_transpile_accepts_profiles_and_pennylane(qft6):
    from qrand.quantum import HardwareProfile

    out = transpile(qft6, HardwareProfile.uniform(6), seed=1)
    assert set(out.count_ops()) <= {"rz", "sx", "x", "cx", "measure", "barrier", "id"}


def test_bad_inputs(qft6):
    with pytest.raises(QrandError, match="valid names"):
        transpile(qft6, "brisbone", seed=1)
    with pytest.raises(QrandError, match="seed_transpiler"):
        transpile(qft6, "manila", seed=1, seed_transpiler=3)
    with pytest.raises(QrandError, match="backend must be"):
        transpile(qft6, 3.5, seed=1)
