"""Hardware profiles: Aer equality, PennyLane/Aer noisy agreement, JSON schema, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

qml = pytest.importorskip("pennylane")
pytest.importorskip("qiskit_ibm_runtime")

from qiskit_aer.noise import NoiseModel

from qrand.errors import QrandError
from qrand.quantum import HardwareProfile, circuits, device, probabilities, transpile
from qrand.quantum.profiles import fake_backend


@pytest.fixture(scope="module")
def manila():
    return HardwareProfile.from_fake_backend("manila")


def test_to_aer_equals_from_backend(manila):
    assert manila.n_qubits == 5
    assert manila.to_aer() == NoiseModel.from_backend(fake_backend("FakeManilaV2"))
    assert manila.to_aer() != NoiseModel.from_backend(fake_backend("lima"))


@pytest.mark.parametrize("make", [lambda: circuits.ghz(3), lambda: circuits.qft(3),
                                  lambda: circuits.random_layered(4, 3, seed=2)])
def test_noisy_pennylane_matches_aer_density_matrix(manila, make):
    qc = make()
    qc.measure_all()
    tqc = transpile(qc, "manila", seed=7)
    p_aer = probabilities(tqc, backend="aer.density_matrix", profile=manila)
    p_pl = probabilities(tqc, backend="default.mixed", profile=manila)
    ideal = probabilities(tqc, backend="aer")
    assert 0.5 * np.abs(p_aer - p_pl).sum() <= 1e-6
    assert 0.5 * np.abs(p_aer - ideal).sum() > 1e-3  # the noise (and readout) is really there


def test_calibration_readout_keeps_the_asymmetry(manila):
    properties = fake_backend("manila").properties()
    calibrated = HardwareProfile.from_fake_backend("manila", readout="calibration")
    for q, (sym, asym) in enumerate(zip(manila.qubits, calibrated.qubits)):
        values = properties.qubit_property(q)
        assert asym.readout == (values["prob_meas1_prep0"][0], values["prob_meas0_prep1"][0])
        assert sym.readout[0] == sym.readout[1] and asym.readout[0] != asym.readout[1]
        assert sym.t1 == asym.t1 and sym.t2 == asym.t2
    assert calibrated.gates == manila.gates
    ghz = circuits.ghz(2)
    aer = probabilities(ghz, backend="aer", profile=calibrated)
    mixed = probabilities(ghz, backend="default.mixed", profile=calibrated)
    assert np.max(np.abs(aer - mixed)) < 1e-6 and np.max(np.abs(aer - probabilities(ghz, backend="aer", profile=manila))) > 1e-3
    with pytest.raises(QrandError, match="readout must be"):
        HardwareProfile.from_fake_backend("manila", readout="symmetric")


def test_readout_only_profile_is_the_confusion_matrix():
    profile = HardwareProfile.uniform(2, p1q=0.0, p2q=0.0, t1=1e9, t2=1e9, readout=[0.1, 0.3])
    qc = circuits.bell()
    confusion = np.array([[0.9, 0.1], [0.3, 0.7]])  # rows: prepared 0/1, columns: read 0/1
    expected = np.kron(confusion, confusion).T @ np.array([0.5, 0, 0, 0.5])
    for backend in ("aer", "default.mixed"):
        assert np.allclose(probabilities(qc, backend=backend, profile=profile), expected, atol=1e-9)


def test_noisy_device_and_to_pennylane_transform(manila):
    qc = circuits.ghz(3)
    qc.measure_all()
    tqc = transpile(qc, manila, seed=3)
    from qrand.quantum import to_pennylane

    qfunc = to_pennylane(tqc)
    dev = device("default.mixed", 5, seed=1, profile=manila)
    noisy = qml.QNode(qfunc, dev)()
    plain = qml.QNode(manila.to_pennylane()(qfunc), qml.device("default.mixed", wires=5))()
    assert np.allclose(noisy, probabilities(tqc, backend="aer", profile=manila), atol=1e-9)
    assert np.allclose(noisy, plain, atol=1e-12)


def test_json_round_trip_and_hash(tmp_path, manila):
    path = manila.to_json(tmp_path / "manila.json")
    again = HardwareProfile.from_json(path)
    assert again == manila and again.hash() == manila.hash()
    assert again.to_aer() == manila.to_aer()
    changed = json.loads(path.read_text())
    changed["qubits"][0]["t1"] *= 1.01
    assert HardwareProfile.from_dict(changed).hash() != manila.hash()


def test_subset_and_uniform(manila):
    sub = manila.subset([2, 1])
    assert sub.n_qubits == 2 and sub.qubits[0] == manila.qubits[2]
    assert {g.qubits for g in sub.gates if g.gate == "cx"} == {(0, 1), (1, 0)}
    uni = HardwareProfile.uniform(3, coupling_map="full")
    assert len([g for g in uni.gates if g.gate == "cx"]) == 6
    assert uni.to_aer().noise_qubits == [0, 1, 2]


def bad_profile(**change):
    data = HardwareProfile.uniform(2).to_dict()
    for key, value in change.items():
        if key == "qubit0":
            data["qubits"][0].update(value)
        elif key == "gate0":
            data["gates"][0].update(value)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize("change,message", [
    ({"qubit0": {"t2": 3e-4, "t1": 1e-4}}, "exceeds 2\\*T1"),
    ({"gate0": {"error": -0.1}}, "error must lie in"),
    ({"qubit0": {"readout": [0.1, 1.5]}}, "readout error must lie in"),
    ({"gate0": {"qubits": [7]}}, "qubits must lie in 0..1"),
    ({"n_qubits": 3}, "n_qubits=3"),
    ({"schema": "other/9"}, "schema"),
    ({"qubit0": {"t1": "long"}}, "must be a number"),
])
def test_bad_json_profiles(tmp_path, change, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad_profile(**change)))
    with pytest.raises(QrandError, match=message):
        HardwareProfile.from_json(path)


def test_bad_inputs(tmp_path, manila):
    with pytest.raises(QrandError, match="valid names: .*manila"):
        HardwareProfile.from_fake_backend("manilla")
    (tmp_path / "x.json").write_text("{not json")
    with pytest.raises(QrandError, match="not valid JSON"):
        HardwareProfile.from_json(tmp_path / "x.json")
    with pytest.raises(QrandError, match="cannot read"):
        HardwareProfile.from_json(tmp_path / "missing.json")
    with pytest.raises(QrandError, match="has qubits 0..4; device wires uses \\[5, 6\\]"):
        device("default.mixed", 7, seed=1, profile=manila)
    with pytest.raises(QrandError, match="needs 'default.mixed'"):
        device("default.qubit", 2, seed=1, profile=manila)
    with pytest.raises(QrandError, match="has qubits 0..4; circuit 'ghz_6'"):
        probabilities(circuits.ghz(6), backend="aer", profile=manila)
    with pytest.raises(QrandError, match="needs backend"):
        probabilities(circuits.ghz(2), backend="default.qubit", profile=manila)
    with pytest.raises(QrandError, match="distinct"):
        manila.subset([1, 1])
    with pytest.raises(QrandError, match="exceeds 2\\*T1"):
        HardwareProfile.uniform(2, t1=1e-5, t2=1e-4)


def test_transpiled_layout_and_idle_qubits_are_handled():
    qc = circuits.qft(4)
    qc.measure_all()
    tqc = transpile(qc, "manila", seed=5)
    # layout and routing permute physical qubits; the measured (clbit) order is what counts
    for backend in ("aer", "default.qubit"):
        assert np.abs(probabilities(tqc, backend=backend) - probabilities(qc)).max() <= 1e-10


@pytest.mark.slow
def test_127_qubit_profile_truncates_t2_like_aer_and_compacts():
    from qrand.seeding import record

    brisbane = HardwareProfile.from_fake_backend("brisbane")
    assert brisbane.n_qubits == 127
    assert all(q.t2 <= 2 * q.t1 for q in brisbane.qubits)
    assert any("T2 > 2*T1" in w for w in record.current().warnings)
    ref = NoiseModel.from_backend(fake_backend("brisbane"))
    ours = brisbane.to_aer()
    bad = next(q for q, p in enumerate(fake_backend("brisbane").target.qubit_properties) if p.t2 > 2 * p.t1)
    for gate in ("sx", "x"):
        assert ours._local_quantum_errors[gate][(bad,)] == ref._local_quantum_errors[gate][(bad,)]
    qc = circuits.ghz(3)
    qc.measure_all()
    tqc = transpile(qc, brisbane, seed=2)
    p_aer = probabilities(tqc, backend="aer", profile=brisbane)  # 127 qubits: idle ones dropped
    p_pl = probabilities(tqc, backend="default.mixed", profile=brisbane)
    assert 0.5 * np.abs(p_aer - p_pl).sum() <= 1e-6


def test_scheduled_circuit_delays_get_the_same_relaxation(manila):
    qc = circuits.qft(3)
    qc.measure_all()
    plain = transpile(qc, "manila", seed=4)
    scheduled = transpile(qc, "manila", seed=4, scheduling_method="alap")
    assert "delay" in scheduled.count_ops()
    p_aer = probabilities(scheduled, backend="aer", profile=manila)
    p_pl = probabilities(scheduled, backend="default.mixed", profile=manila)
    assert 0.5 * np.abs(p_aer - p_pl).sum() <= 1e-6
    # the idle time matters: without its relaxation the distribution differs
    assert 0.5 * np.abs(p_aer - probabilities(plain, backend="aer", profile=manila)).sum() > 1e-4
    from qrand.quantum import to_pennylane

    on_device = qml.QNode(to_pennylane(scheduled), device("default.mixed", 5, seed=0, profile=manila))()
    assert 0.5 * np.abs(np.asarray(on_device) - p_aer).sum() <= 1e-6
