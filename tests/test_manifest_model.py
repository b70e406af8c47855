"""Fingerprints and the Manifest document: capture, atomic save, validated load, diff."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import qrand
from qrand.errors import QrandError
from qrand.manifest.fingerprinting import fingerprint
from qrand.manifest.model import SCHEMA_VERSION, Manifest
from qrand.seeding import record


# -- fingerprint ----------------------------------------------------------------

def test_fingerprint_sees_dtype_shape_and_values():
    base = np.arange(6, dtype=np.float64)
    digests = {fingerprint(base), fingerprint(base.astype(np.float32)), fingerprint(base.reshape(2, 3)),
               fingerprint(base + 1e-12)}
    assert len(digests) == 4
    assert fingerprint(base) == fingerprint(np.arange(6, dtype=np.float64))
    assert fingerprint(np.asfortranarray(base.reshape(2, 3))) == fingerprint(base.reshape(2, 3))
    assert fingerprint(base.astype(">f8")) == fingerprint(base)  # byte order is canonicalised


def test_fingerprint_containers_and_frames():
    a = {"x": np.zeros(2), "y": [1, 2.5, "s", None, True]}
    b = {"y": [1, 2.5, "s", None, True], "x": np.zeros(2)}
    assert fingerprint(a) == fingerprint(b)  # dict key order does not matter
    assert fingerprint([1, 2]) != fingerprint([2, 1])
    assert fingerprint(1) != fingerprint(1.0) != fingerprint("1")
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["u", "v"]})
    renamed = frame.rename(columns={"b": "c"})
    assert fingerprint(frame) == fingerprint(frame.copy())
    assert fingerprint(frame) != fingerprint(renamed)
    assert fingerprint(frame) != fingerprint(frame.astype({"a": "float32"}))
    assert fingerprint(frame["a"]) != fingerprint(frame["a"].to_numpy())


def test_fingerprint_jax_matches_numpy_and_keys():
    jax = pytest.importorskip("jax")
    values = np.arange(4, dtype=np.float32)
    assert fingerprint(jax.numpy.asarray(values)) == fingerprint(values)
    assert fingerprint(jax.random.key(1)) != fingerprint(jax.random.key(2))
    assert fingerprint(jax.random.key(1)) == fingerprint(jax.random.key(1))


def test_fingerprint_files_and_naming(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n")
    first = fingerprint(path)
    assert first != fingerprint("a,b\n1,2\n" and str(path))  # a str is text, not a path
    path.write_text("a,b\n1,3\n")
    assert fingerprint(path) != first
    assert fingerprint(tmp_path) == fingerprint(tmp_path)
    saved = record.swap(record.RunRecord())
    try:
        digest = fingerprint(np.ones(3), name="initial-params")
        assert record.current().fingerprints == {"initial-params": digest}
    finally:
        record.swap(saved)
    with pytest.raises(QrandError, match="cannot fingerprint"):
        fingerprint(object())
    with pytest.raises(QrandError, match="no such file"):
        fingerprint(tmp_path / "missing")


# -- capture / save / load -------------------------------------------------------

def test_capture_save_load_roundtrip(tmp_path):
    with qrand.scoped(123):
        fingerprint(np.arange(3), name="dataset")
        manifest = Manifest.capture(argv=["train.py", "--lr", "0.1"])
    assert manifest.root == 123 and manifest.seed_source == "user"
    assert manifest.data["seeds"]["numpy"] == qrand.SeedTree(123).child("numpy").seed(32)
    assert "dataset" in manifest.data["fingerprints"]
    assert manifest.versions["numpy"] == np.__version__
    assert manifest.data["hardware"]["python"]
    path = manifest.save(tmp_path / "sub" / "m.json")
    assert [p.name for p in path.parent.iterdir()] == ["m.json"]  # no temp file left behind
    loaded = Manifest.load(path)
    assert loaded == manifest
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION


def test_os_entropy_root_is_recorded():
    with qrand.scoped(None) as tree:
        manifest = Manifest.capture()
    assert manifest.seed_source == "os" and manifest.root == tree.root


def _valid() -> dict:
    with qrand.scoped(5):
        return Manifest.capture(argv=["python", "x.py"]).to_dict()


def _hostile_files(tmp_path: Path) -> dict[str, Path]:
    valid = json.dumps(_valid())
    cases = {
        "truncated": valid[: len(valid) // 2],
        "wrong type": json.dumps({**_valid(), "seed": {"root": "five"}}),
        "argv not a list": json.dumps({**_valid(), "command": {"argv": "rm -rf /"}}),
        "huge number": valid.replace('"root": 5', '"root": ' + "9" * 1_000_000, 1),
        "unknown schema": json.dumps({**_valid(), "schema_version": 99}),
        "nested bomb": "[" * 100_000 + "]" * 100_000,
        "escaping output": json.dumps({**_valid(), "outputs": {"../../etc/passwd": {"sha256": "0" * 64}}}),
        "not an object": "[1, 2, 3]",
        "NaN": valid.replace('"root": 5', '"root": NaN', 1),
    }
    files = {}
    for name, text in cases.items():
        files[name] = tmp_path / f"{name.replace(' ', '_')}.json"
        files[name].write_text(text)
    files["pickle"] = tmp_path / "m.pkl"
    files["pickle"].write_bytes(pickle.dumps(_valid()))
    files["binary"] = tmp_path / "m.bin"
    files["binary"].write_bytes(bytes(range(256)))
    return files


def test_hostile_files_give_one_clear_line(tmp_path):
    expected = {"truncated": "truncated JSON", "wrong type": "seed.root must be an integer",
                "argv not a list": "command.argv must be an array", "huge number": "digits",
                "unknown schema": "schema_version 99", "nested bomb": "nested too deeply",
                "escaping output": "outside the run directory", "not an object": "must be an object",
                "NaN": "NaN is not valid JSON", "pickle": "pickle", "binary": "binary"}
    for name, path in _hostile_files(tmp_path).items():
        with pytest.raises(QrandError) as info:
            Manifest.load(path)
        message = str(info.value)
        assert expected[name] in message, (name, message)
        assert "\n" not in message and len(message) < 300, (name, message)
    with pytest.raises(QrandError, match="cannot read"):
        Manifest.load(tmp_path / "absent.json")


# -- diff -------------------------------------------------------------------------

def test_diff_flags_versions_first():
    a = _valid()
    b = json.loads(json.dumps(a))
    b["versions"]["numpy"] = "0.0.1"
    b["seed"]["root"] = 6
    b["env"]["OMP_NUM_THREADS"] = "4"
    b["outputs"]["out.csv"] = {"sha256": "f" * 64, "size": 1}
    changes = Manifest(a).diff(Manifest(b))
    sections = [c.section for c in changes]
    assert sections[0] == "versions" and {"seed", "env", "outputs"} <= set(sections)
    assert str(changes).splitlines()[0].startswith("VERSION CHANGES")
    frame = changes.to_frame()
    assert list(frame.columns) == ["section", "key", "a", "b", "kind"]
    assert frame.loc[frame.key == "out.csv.sha256", "kind"].item() == "added"
    assert not Manifest(a).diff(Manifest(json.loads(json.dumps(a))))
