"""``qrand run``/``replay``/``diff``: real commands, manifests on disk, hostile files."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from qrand.cli import main
from qrand.manifest.model import Manifest

SCRIPTS = Path(__file__).parent / "scripts"
PY = sys.executable


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.slow
def test_run_then_replay_numpy_jax_training_is_bitwise(workdir, capsys):
    pytest.importorskip("jax")
    shutil.copy(SCRIPTS / "train_np_jax.py", workdir)
    assert main(["run", "--seed", "11", "--outputs", "params.npy", "--manifest", "m.json",
                 "--", PY, "train_np_jax.py"]) == 0
    manifest = Manifest.load("m.json")
    params = np.load("params.npy")
    assert manifest.root == 11 and manifest.data["command"]["kind"] == "python"
    assert set(manifest.outputs) == {"params.npy", "<stdout>"}
    assert manifest.data["seeds"]["jax"] and manifest.versions["jax"]
    assert manifest.env["PYTHONHASHSEED"] == str(manifest.data["seeds"]["pythonhashseed"])
    capsys.readouterr()

    assert main(["replay", "m.json", "--yes", "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out[out.index("{\n"):])
    assert report["level"] == "bitwise" and report["returncode"] == 0
    assert np.array_equal(np.load("params.npy"), params)  # original left alone (replay ran in a copy)

    data = manifest.to_dict()
    data["versions"]["jax"] = "0.0.1"
    data["outputs"]["params.npy"]["sha256"] = "0" * 64  # pretend the recorded run differed
    Path("old.json").write_text(json.dumps(data))
    assert main(["replay", "old.json", "--yes"]) == 1
    out = capsys.readouterr().out
    drift_at, level_at = out.index("versions.jax: 0.0.1 ->"), out.index("level:")
    assert drift_at < level_at  # version drift is reported before anything runs
    assert "VERSION CHANGES (1)" in out and "level: none" in out


def test_replay_without_yes_runs_nothing(workdir, capsys):
    assert main(["run", "--manifest", "m.json", "--", PY, "-c", "open('ran.txt', 'a').write('x')"]) == 0
    manifest = Manifest.load("m.json")
    assert manifest.seed_source == "os" and manifest.root is not None  # OS entropy, recorded
    assert "ran.txt" in manifest.outputs
    Path("ran.txt").unlink()
    assert main(["replay", "m.json"]) == 0
    assert "rerun with --yes" in capsys.readouterr().out and not Path("ran.txt").exists()
    assert main(["replay", "m.json", "--yes", "--inplace"]) == 0
    assert Path("ran.txt").read_text() == "x"


def test_non_python_command_env_only(workdir):
    script = "echo $PYTHONHASHSEED $QISKIT_TRANSPILER_SEED > seeds.txt"
    assert main(["run", "--seed", "5", "--manifest", "a.json", "--", "sh", "-c", script]) == 0
    a = Manifest.load("a.json")
    assert a.data["command"]["kind"] == "env-only"
    seeds = a.data["seeds"]
    assert Path("seeds.txt").read_text().split() == [str(seeds["pythonhashseed"]), str(seeds["qiskit"])]
    assert main(["run", "--seed", "6", "--manifest", "b.json", "--", "sh", "-c", script]) == 0
    assert main(["replay", "a.json", "--yes", "--require", "bitwise"]) == 0  # same seed, same hash
    assert main(["diff", "a.json", "a.json"]) == 0
    assert main(["diff", "a.json", "b.json", "--json"]) == 1


def test_command_exit_status_is_passed_through(workdir):
    assert main(["run", "--manifest", "m.json", "--", "sh", "-c", "exit 3"]) == 3
    assert Manifest.load("m.json").data["command"]["returncode"] == 3


def _valid_doc(workdir: Path) -> dict:
    main(["run", "--seed", "1", "--manifest", "valid.json", "--", PY, "-c", "pass"])
    data = json.loads(Path("valid.json").read_text())
    data["command"]["argv"] = [PY, "-c", "open('RAN', 'w').close()"]
    return data


def test_hostile_manifests_exit_2_and_run_nothing(workdir, capsys):
    import pickle

    valid = _valid_doc(workdir)
    text = json.dumps(valid)
    files = {
        "truncated.json": text[: len(text) - 40],
        "types.json": json.dumps({**valid, "outputs": {"x": {"sha256": 5}}}),
        "huge.json": text.replace('"root": 1', '"root": 1' + "0" * 1_000_000, 1),
        "version.json": json.dumps({**valid, "schema_version": 2}),
    }
    for name, content in files.items():
        Path(name).write_text(content)
    Path("m.pkl").write_bytes(pickle.dumps(valid))
    capsys.readouterr()
    for name in [*files, "m.pkl"]:
        assert main(["replay", name, "--yes"]) == 2, name
        err = capsys.readouterr().err
        assert err.startswith("qrand: error: ") and err.count("\n") == 1, (name, err)
        assert not Path("RAN").exists(), name
    Path("good.json").write_text(text)  # the control: the same command does run from a valid file
    assert main(["replay", "good.json", "--yes", "--inplace", "--require", "none"]) == 0
    assert Path("RAN").exists()


def test_deterministic_flags_and_existing_sitecustomize_kept(workdir, monkeypatch, capsys):
    import random

    import qrand
    from qrand.seeding import registry

    user_site = workdir / "usersite"
    user_site.mkdir()
    (user_site / "sitecustomize.py").write_text("open('user-sitecustomize-ran', 'w').close()\n")
    monkeypatch.setenv("PYTHONPATH", str(user_site))
    code = "import os, random; print(os.environ['CUBLAS_WORKSPACE_CONFIG'], random.random())"
    assert main(["run", "--seed", "9", "--deterministic", "--manifest", "m.json", "--", PY, "-c", code]) == 0
    manifest = Manifest.load("m.json")
    assert manifest.deterministic and manifest.data["command"]["kind"] == "python"
    assert manifest.env["CUBLAS_WORKSPACE_CONFIG"] and "--xla_gpu_deterministic_ops=true" in manifest.env["XLA_FLAGS"]
    assert manifest.data["seeds"]["python"] == registry.derive(qrand.SeedTree(9), "python")
    with qrand.scoped(9):
        expected = random.random()
    from qrand.seeding.determinism import ENV

    assert capsys.readouterr().out.split() == [ENV["CUBLAS_WORKSPACE_CONFIG"], repr(expected)]  # seeded before user code
    assert Path("user-sitecustomize-ran").exists()  # the user's own sitecustomize still runs


def test_in_process_capture_replays(workdir):
    import subprocess

    Path("cap.py").write_text(
        "import numpy as np, qrand\n"
        "qrand.seed_everything(3)\n"
        "np.save('o.npy', np.random.rand(3))\n"
        "qrand.Manifest.capture(outputs=['o.npy']).save('cap.json')\n")
    subprocess.run([PY, "cap.py"], check=True)
    manifest = Manifest.load("cap.json")
    assert manifest.argv[-1] == "cap.py" and manifest.data["command"]["kind"] == "in-process"
    assert set(manifest.outputs) == {"o.npy"}
    assert main(["replay", "cap.json", "--yes"]) == 0
    empty = manifest.to_dict()
    empty["outputs"] = {}
    Path("empty.json").write_text(json.dumps(empty))
    assert main(["replay", "empty.json", "--yes"]) == 2  # nothing to compare: refused before running
