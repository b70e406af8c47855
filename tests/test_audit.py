"""``qrand.audit()`` and ``qrand audit``: implicit randomness, named by file:line of user code."""

from __future__ import annotations

import json
from contextlib import contextmanager
import random
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

import qrand
from qrand.cli import main

SCRIPTS = Path(__file__).parent / "scripts"
HERE = str(Path(__file__).resolve())


@contextmanager
def unseeded_audit():
    """The qrand pytest plugin seeds every test: audit as a process without a qrand seed."""
    from qrand.seeding import record

    saved = record.swap(record.RunRecord())
    try:
        with qrand.audit() as report:
            yield report
    finally:
        record.swap(saved)


def _line(marker: str, path: Path = Path(__file__)) -> int:
    return next(i for i, text in enumerate(path.read_text().splitlines(), 1) if marker in text
                and "_line(" not in text)


def _kinds(report) -> dict[tuple[str, int], str]:
    return {(Path(f.file).resolve().as_posix(), f.line): f.kind for f in report if not f.covered}


def test_global_draws_named_by_line_and_restored():
    originals = (random.random, np.random.rand, np.random.default_rng, np.random.seed)
    with unseeded_audit() as report:
        random.random()  # LINE-random
        np.random.rand(2)  # LINE-numpy
        np.random.default_rng()  # LINE-rng
        np.random.default_rng(5).random()
    found = _kinds(report)
    assert found[(Path(HERE).as_posix(), _line("# LINE-random"))] == "global-draw"
    assert found[(Path(HERE).as_posix(), _line("# LINE-numpy"))] == "global-draw"
    assert found[(Path(HERE).as_posix(), _line("# LINE-rng"))] == "unseeded-generator"
    assert len(report) == 3
    assert (random.random, np.random.rand, np.random.default_rng, np.random.seed) == originals


PREBOUND = """\
from random import random as coin
from numpy.random import rand


def draw():
    return coin(), rand(2)  # LINE-prebound
"""


def test_names_bound_before_the_audit_are_seen_and_restored(tmp_path, monkeypatch):
    import importlib

    module_file = tmp_path / "prebound_user_module.py"
    module_file.write_text(PREBOUND)
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("prebound_user_module")
    originals = (module.coin, module.rand)
    with unseeded_audit() as report:
        module.draw()
        module.coin = print  # re-bound by the user inside the audit: left alone on exit
    found = {(f.call, f.line) for f in report if Path(f.file) == module_file}
    assert found == {("random.random", _line("# LINE-prebound", module_file)),
                     ("numpy.random.rand", _line("# LINE-prebound", module_file))}
    assert (module.coin, module.rand) == (print, originals[1])
    assert originals == (random.random, np.random.rand)
    sys.modules.pop("prebound_user_module")


def test_explicit_seeds_cover_global_draws():
    with unseeded_audit() as report:
        random.seed(1)
        np.random.seed(1)
        random.random(), np.random.rand()
    assert len(report) == 0
    with qrand.scoped(3), qrand.audit() as seeded:
        random.random(), np.random.rand()
    assert len(seeded) == 0


def test_sklearn_random_state_none_names_the_call():
    from sklearn.cluster import KMeans
    from sklearn.model_selection import train_test_split

    X = np.arange(40.0).reshape(20, 2)
    with unseeded_audit() as report:
        train_test_split(X, test_size=0.25)  # LINE-split
        train_test_split(X, test_size=0.25, random_state=0)
        KMeans(n_clusters=2, n_init=1).fit(X)  # LINE-kmeans
    calls = {(f.call, f.line) for f in report if f.kind == "sklearn-random-state"}
    assert ("train_test_split", _line("# LINE-split")) in calls
    assert ("KMeans.fit", _line("# LINE-kmeans")) in calls
    assert len(calls) == 2
    import sklearn.model_selection._split as split

    assert not getattr(split.check_random_state, "__qrand_audit__", False)


@pytest.mark.slow
def test_quantum_and_torch_sources():
    pytest.importorskip("qiskit_aer")
    pytest.importorskip("pennylane")
    pytest.importorskip("torch")
    with unseeded_audit() as report:  # imported inside: patched on import
        import pennylane as qml
        import torch
        from qiskit import QuantumCircuit, transpile
        from qiskit_aer import AerSimulator
        from qiskit_aer.primitives import SamplerV2

        qml.device("default.qubit", wires=1)  # LINE-pl
        qml.device("default.qubit", wires=1, seed=7)
        circuit = QuantumCircuit(2)
        circuit.h(0), circuit.cx(0, 1), circuit.measure_all()
        simulator = AerSimulator()
        compiled = transpile(circuit, simulator)  # LINE-transpile
        transpile(circuit, simulator, seed_transpiler=1)
        simulator.run(compiled, shots=10).result()  # LINE-aer
        simulator.run(compiled, shots=10, seed_simulator=3).result()
        SamplerV2().run([compiled], shots=10).result()  # LINE-sampler
        SamplerV2(seed=5).run([compiled], shots=10).result()
        torch.rand(2)  # LINE-torch
        torch.rand(2, generator=torch.Generator().manual_seed(1))
    found = {(f.kind, f.line) for f in report}
    assert ("pennylane-device-seed", _line("# LINE-pl")) in found
    assert ("transpile-seed", _line("# LINE-transpile")) in found
    assert ("aer-seed-simulator", _line("# LINE-aer")) in found
    assert ("global-draw", _line("# LINE-torch")) in found
    assert ("aer-seed-simulator", _line("# LINE-sampler")) in found
    assert len(found) == 5, report
    assert not getattr(qml.device, "__qrand_audit__", False)


@pytest.mark.slow
def test_tensorflow_draws_without_a_seed():
    tf = pytest.importorskip("tensorflow")
    with unseeded_audit() as report:
        tf.random.uniform((2,))  # LINE-tf
        tf.random.normal((2,), seed=3)
        tf.random.set_seed(1)
        tf.random.shuffle(tf.range(4))
    assert {(f.kind, f.call, f.line) for f in report} == {("global-draw", "tf.random.uniform", _line("# LINE-tf"))}
    assert not getattr(tf.random.uniform, "__qrand_audit__", False)


@pytest.mark.slow
def test_cli_audit_script(tmp_path, monkeypatch, capsys):
    for name in ("audit_many.py", "unseeded_split.py"):
        shutil.copy(SCRIPTS / name, tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["audit", "--json", "--", sys.executable, "audit_many.py"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    script = tmp_path / "audit_many.py"
    lines = {f["line"]: f["kind"] for f in findings}
    assert lines == {_line("MARK:python", script): "global-draw", _line("MARK:numpy", script): "global-draw",
                     _line("MARK:default_rng", script): "unseeded-generator"}
    assert main(["audit", "--", sys.executable, "unseeded_split.py"]) == 1
    out = capsys.readouterr().out
    expected = f"unseeded_split.py:{_line('# AUDIT-LINE', tmp_path / 'unseeded_split.py')}: train_test_split"
    assert expected in out
    assert main(["audit", "--", "sh", "-c", "true"]) == 2
    assert "needs a Python command" in capsys.readouterr().err
