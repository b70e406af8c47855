"""Graded determinism: the comparison engine, check_determinism and ``qrand check``."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

import qrand
from qrand.cli import main
from qrand.errors import QrandError
from qrand.manifest.compare import grade, view_bytes

SCRIPTS = Path(__file__).parent / "scripts"
PY = sys.executable


def _npy(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array))
    return buffer.getvalue()


# -- the comparison engine ------------------------------------------------------

def test_levels_from_bytes():
    rng = np.random.default_rng(3)
    base = rng.standard_normal(200)
    runs = [{"run": i, "varied": {"threads": i + 1}} for i in range(2)]
    same = grade({"a.npy": [view_bytes("a.npy", _npy(base))] * 2}, runs=runs)
    assert same.level == "bitwise" and same.broken is None
    close = grade({"a.npy": [view_bytes("a.npy", _npy(base)), view_bytes("a.npy", _npy(base * (1 + 1e-12)))]},
                  rtol=1e-9, runs=runs)
    assert close.level == "tolerance"
    assert "threads 1 -> 2" in close.explanation() and "'a.npy'" in close.explanation()
    exact = grade({"a.npy": [view_bytes("a.npy", _npy(base)), view_bytes("a.npy", _npy(base * (1 + 1e-12)))]})
    assert exact.level == "statistical"  # rtol=0: beyond tolerance, yet the same distribution
    other = rng.standard_normal(200)
    stat = grade({"a.npy": [view_bytes("a.npy", _npy(base)), view_bytes("a.npy", _npy(other))]})
    assert stat.level == "statistical" and stat.outputs[0].p_value > 0.01
    shifted = grade({"a.npy": [view_bytes("a.npy", _npy(base)), view_bytes("a.npy", _npy(other + 3))]})
    assert shifted.level == "none" and "distributions differ" in shifted.outputs[0].detail


def test_text_json_and_missing_outputs():
    text = [view_bytes("log.txt", b"epoch 1 loss 0.5000001\n"), view_bytes("log.txt", b"epoch 1 loss 0.5\n")]
    assert grade({"log.txt": text}, rtol=1e-6).level == "tolerance"
    words = [view_bytes("log.txt", b"a b"), view_bytes("log.txt", b"b a")]
    assert grade({"log.txt": words}, rtol=1).level == "none"
    js = [view_bytes("r.json", b'{"x": [1, 2.0]}'), view_bytes("r.json", b'{"x": [1.0, 2]}')]
    assert grade({"r.json": js}).level == "tolerance"  # same numbers, different spelling
    missing = grade({"a.txt": [view_bytes("a.txt", b"1"), None], "b.txt": [view_bytes("b.txt", b"1")] * 2})
    assert missing.level == "none" and missing.broken.name == "a.txt"
    with pytest.raises(QrandError, match="no outputs"):
        grade({})
    with pytest.raises(QrandError, match="rtol"):
        grade({"a": text}, rtol=-1)


# -- check_determinism -------------------------------------------------------------

def _seeded_training():
    data = np.random.normal(size=(50, 2))
    return {"mean": data.mean(axis=0), "first": float(data[0, 0])}


_STREAM = np.random.default_rng(12345)  # explicit, but advancing: each call draws new numbers


def _advancing():
    return _STREAM.standard_normal(100)


def _hash_order():
    return " ".join({"alpha", "beta", "gamma", "delta", "epsilon"})


def test_check_determinism_in_process():
    report = qrand.check_determinism(_seeded_training, runs=3, seed=1)
    assert report.level == "bitwise" and {g.name for g in report.outputs} == {"mean", "first"}
    advancing = qrand.check_determinism(_advancing, runs=3)
    assert advancing.level == "statistical"
    assert advancing.to_frame().loc[0, "level"] == "statistical"
    with pytest.raises(QrandError, match="fresh_process"):
        qrand.check_determinism(_hash_order, vary="hashseed")
    with pytest.raises(QrandError, match="runs"):
        qrand.check_determinism(_advancing, runs=1)


@pytest.mark.slow
def test_check_determinism_fresh_process_varies_hashseed():
    fixed = qrand.check_determinism(_hash_order, runs=2, fresh_process=True, seed=3)
    assert fixed.level == "bitwise"
    varied = qrand.check_determinism(_hash_order, runs=3, fresh_process=True, seed=3, vary="hashseed")
    assert varied.level == "none" and "PYTHONHASHSEED" in varied.explanation()


# -- qrand check (fresh processes) ----------------------------------------------------

@pytest.fixture
def workdir(tmp_path, monkeypatch):
    for script in SCRIPTS.glob("*.py"):
        shutil.copy(script, tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(capsys, *args):
    code = main(["check", "--json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out[out.index("{"):])


@pytest.mark.slow
def test_unseeded_train_test_split_is_none(workdir, capsys):
    code, report = _check(capsys, "--runs", "2", "--", PY, "unseeded_split.py")
    assert code == 1 and report["level"] == "none"
    assert report["outputs"][0]["name"] == "<stdout>"
    assert "nothing was varied" in report["explanation"]
    # the same script under qrand's start-up seeding replays bitwise
    code, seeded = _check(capsys, "--runs", "2", "--seed", "4", "--", PY, "unseeded_split.py")
    assert code == 0 and seeded["level"] == "bitwise"


@pytest.mark.slow
def test_set_order_caught_only_with_vary_hashseed(workdir, capsys):
    code, fixed = _check(capsys, "--runs", "2", "--", PY, "set_order.py")
    assert code == 0 and fixed["level"] == "bitwise"
    code, varied = _check(capsys, "--runs", "3", "--vary", "hashseed", "--", PY, "set_order.py")
    assert code == 1 and varied["level"] == "none"
    assert "PYTHONHASHSEED" in varied["explanation"] and "'<stdout>'" in varied["explanation"]


def test_hash_seeds_come_from_the_tree_given(workdir):
    from qrand.manifest.check import check_command

    def seeds(tree):
        report = check_command([PY, "set_order.py"], runs=3, vary="hashseed", cwd=workdir, tree=tree)
        return [run["pythonhashseed"] for run in report.runs]

    assert seeds(qrand.SeedTree(5)) == seeds(qrand.SeedTree(5)) != seeds(qrand.SeedTree(6))


@pytest.mark.slow
def test_thread_dependent_sum_is_tolerance(workdir, capsys):
    args = ["--runs", "3", "--vary", "threads", "--outputs", "total.npy", "--rtol", "1e-9"]
    code, report = _check(capsys, *args, "--require", "tolerance", "--", PY, "thread_sum.py")
    assert code == 0 and report["level"] == "tolerance"
    assert "threads 1 ->" in report["explanation"] and "total.npy" in report["explanation"]
    assert not (workdir / "total.npy").exists()  # runs happen in copies
    code, strict = _check(capsys, *args, "--", PY, "thread_sum.py")
    assert code == 1 and strict["level"] == "tolerance"  # --require bitwise (default) fails


def test_non_python_commands(workdir, capsys):
    code, same = _check(capsys, "--runs", "2", "--", "sh", "-c", "echo $PYTHONHASHSEED > h.txt")
    assert code == 0 and same["level"] == "bitwise" and same["outputs"][0]["name"] == "h.txt"
    code, varied = _check(capsys, "--runs", "2", "--vary", "hashseed", "--", "sh", "-c", "echo $PYTHONHASHSEED")
    assert code == 1 and varied["level"] == "none"


def test_check_bad_input_exits_2(workdir, capsys):
    assert main(["check", "--vary", "moon", "--", "true"]) == 2
    assert "cannot vary 'moon'" in capsys.readouterr().err
    assert main(["check", "--", "no-such-program-qrand"]) == 2
    assert main(["check", "--outputs", "../x", "--", "true"]) == 2
    assert main(["check"]) == 2
    assert main(["check", "--", "sh", "-c", "echo boom >&2; exit 3"]) == 2
    assert "status 3: boom" in capsys.readouterr().err
