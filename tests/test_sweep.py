"""qrand.sweep: stable task trees, the SQLite store, resume, failures, executors."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qrand.errors import QrandError
from qrand.seeding import record
from qrand.seeding.tree import SeedTree
from qrand.sweep import SweepStore, add_sweep_arguments, load_sweep, run_sweep, sweep_options, task_key
from qrand.sweep.examples import estimate_pi, flaky

CONFIGS = [{"n": 500}, {"n": 2000}]


def draw(config: dict, tree: SeedTree) -> dict:
    """Returns raw draws from the task tree and the task's device-call counter."""
    rng = tree.numpy()
    before = record.current().count_call("dev")  # a fresh record per task -> always 0
    return {"u": rng.random(3).tolist(), "k": int(rng.integers(0, 2**62)), "calls_before": before,
            "path": list(tree.path)}


def crash_on_fail(config: dict, tree: SeedTree) -> dict:
    """Kills its worker process outright when ``config["crash"]``."""
    if config.get("crash"):
        os._exit(3)
    return {"x": tree.seed(32)}


def not_a_dict(config: dict, tree: SeedTree):
    """Returns a list, or a dict that JSON cannot hold."""
    return [1] if config["kind"] == "list" else {"x": {1, 2}}


def stored(path) -> list[tuple]:
    """The executor-independent part of a store: key, seed, status, result JSON, record JSON."""
    with SweepStore.open(path) as db:
        return db.result_rows()


def test_task_tree_is_root_child_task_key(tmp_path):
    result = run_sweep(draw, [{"a": 1, "b": [1, 2]}], [5, 9], root=SeedTree(11).child("exp"),
                       store=tmp_path / "s.sqlite", progress=False)
    for _, row in result.frame.iterrows():
        config = {"b": [1, 2], "a": 1}  # key order must not matter
        tree = SeedTree(11).child("exp").child("task", task_key(config, int(row["seed"])))
        assert row["path"] == ["exp", "task", task_key(config, int(row["seed"]))]
        rng = tree.numpy()
        assert row["u"] == rng.random(3).tolist()
        assert row["k"] == int(rng.integers(0, 2**62))
        assert row["calls_before"] == 0
    assert task_key({"a": 1}, 0) != task_key({"a": 1}, 1) != task_key({"a": 2}, 1)


SCALARS = (st.none() | st.booleans() | st.integers(-2**70, 2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=8)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(max_size=6), JSON, max_size=5), st.integers(0, 2**40), st.randoms())
def test_task_key_depends_on_content_not_key_order(config, seed, rnd):
    items = list(config.items())
    rnd.shuffle(items)
    assert task_key(dict(items), seed) == task_key(json.loads(json.dumps(config)), seed)
    assert task_key(config, seed) != task_key(config, seed + 1)


def test_failing_task_does_not_stop_the_sweep(tmp_path, capsys):
    configs = [{"fail": False}, {"fail": True}, {"fail": False, "y": 2}]
    result = run_sweep(flaky, configs, 3, root=3, store=tmp_path / "f.sqlite", progress=True)
    frame = result.frame
    assert list(frame["status"]) == ["done"] * 3 + ["failed"] * 3 + ["done"] * 3
    assert len(result.failures) == 3 and not result.ok
    assert all("ValueError: task asked to fail" in tb and "Traceback" in tb for _, tb in result.failures)
    assert frame.loc[frame.status == "failed", "x"].isna().all()
    assert frame.loc[frame.status == "done", "x"].notna().all()
    err = capsys.readouterr().err
    assert "failed=3" in err  # the live count on the progress bar
    assert "6 done, 3 failed" in err
    assert all(key in err for key, _ in result.failures)


def test_resume_skips_finished_and_reruns_failed(tmp_path):
    path = tmp_path / "r.sqlite"
    configs = [{"fail": False}, {"fail": True}]
    first = run_sweep(flaky, configs, 4, root=5, store=path, progress=False)
    assert (first.ran, first.skipped) == (8, 0)
    again = run_sweep(flaky, configs, 4, root=5, store=path, progress=False)
    assert (again.ran, again.skipped) == (4, 4)  # failed ones re-run
    kept = run_sweep(flaky, configs, 4, root=5, store=path, progress=False, rerun_failed=False)
    assert (kept.ran, kept.skipped) == (0, 8)
    rerun = run_sweep(flaky, configs, 4, root=5, store=path, progress=False, resume=False)
    assert rerun.ran == 8
    pd.testing.assert_frame_equal(first.frame.drop(columns="elapsed"), rerun.frame.drop(columns="elapsed"))
    with SweepStore.open(path) as db:
        runs = db.runs()
        assert [r["status"] for r in runs] == ["finished"] * 4
        manifest = json.loads(runs[0]["manifest"])
        assert manifest["extra"]["sweep"]["definition_hash"] == db.definition_hash()
        assert manifest["extra"]["sweep"]["to_run"] == 8
        if manifest.get("kind") != "sweep-basic":  # the full manifest loads back
            from qrand.manifest import Manifest

            assert Manifest(manifest).to_dict() == manifest


def test_changed_definition_is_refused_unless_new(tmp_path):
    path = tmp_path / "d.sqlite"
    run_sweep(estimate_pi, CONFIGS, 2, root=1, store=path, progress=False)
    with pytest.raises(QrandError, match=r"different sweep \(seeds changed\).*--new"):
        run_sweep(estimate_pi, CONFIGS, 3, root=1, store=path, progress=False)
    with pytest.raises(QrandError, match=r"root changed"):
        run_sweep(estimate_pi, CONFIGS, 2, root=2, store=path, progress=False)
    with pytest.raises(QrandError, match=r"fn changed"):
        run_sweep(flaky, CONFIGS, 2, root=1, store=path, progress=False)
    fresh = run_sweep(estimate_pi, CONFIGS, 3, root=1, store=path, new=True, progress=False)
    assert fresh.store_path == tmp_path / "d-2.sqlite" and fresh.ran == 6
    assert load_sweep(path).counts["done"] == 4  # the old store is untouched
    old_rows = {row[0]: row for row in stored(path)}
    shared = [row for row in stored(fresh.store_path) if row[0] in old_rows]
    assert len(shared) == 4 and all(row == old_rows[row[0]] for row in shared)  # grown, not changed


def _make_foreign(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE tasks (x)")


def _make_corrupt(path):
    run_sweep(draw, [{"i": i, "pad": "x" * 300} for i in range(40)], 2, root=1, store=path, progress=False)
    size = path.stat().st_size
    assert size > 8 * 4096
    with open(path, "r+b") as fh:  # keep the header page, smash the pages after it
        fh.seek(4096)
        fh.write(b"\xde\xad\xbe\xef" * ((size - 4096) // 4))


def _make_truncated(path):
    run_sweep(draw, [{"i": i, "pad": "x" * 300} for i in range(40)], 2, root=1, store=path, progress=False)
    with open(path, "r+b") as fh:  # cut in half, as a full disk or a bad copy leaves it
        fh.truncate(path.stat().st_size // 2)


@pytest.mark.parametrize("damage, message", [
    (lambda p: p.write_bytes(b"this is not a database at all" * 100), "not a qrand sweep store"),
    (_make_foreign, "SQLite database but not a qrand sweep store"),
    (_make_corrupt, "is corrupted"),
    (_make_truncated, "is corrupted"),
])
def test_corrupted_or_foreign_store_gives_clear_error(tmp_path, damage, message):
    path = tmp_path / "bad.sqlite"
    damage(path)
    with pytest.raises(QrandError, match=message) as info:
        run_sweep(estimate_pi, CONFIGS, 2, root=1, store=path, progress=False)
    assert str(path) in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(QrandError, match=message):
        load_sweep(path)


def test_exports_csv_and_parquet(tmp_path):
    run_sweep(flaky, [{"fail": False}, {"fail": True}], 3, root=9, store=tmp_path / "e.sqlite",
              progress=False)
    with SweepStore.open(tmp_path / "e.sqlite") as db:
        frame = db.frame()
        csv = pd.read_csv(db.to_csv(tmp_path / "e.csv"))
        parquet = pd.read_parquet(db.to_parquet(tmp_path / "e.parquet"))
    assert list(csv.columns) == list(frame.columns) == list(parquet.columns)
    assert list(frame.columns[:4]) == ["key", "fail", "seed", "status"]
    assert csv["x"].tolist()[:3] == frame["x"].tolist()[:3]  # repr round-trip of floats
    assert parquet["k"].tolist() == frame["k"].tolist()
    assert str(frame["k"].dtype) == "Int64"  # ints stay exact next to failed (missing) rows


@pytest.mark.parametrize("kwargs, message", [
    ({"fn": lambda c, t: {}}, "module-level"),
    ({"configs": [1, 2]}, "config 0 must be a dict"),
    ({"configs": [{"a": object()}]}, "not JSON-ready"),
    ({"configs": [{"a": float("inf")}]}, "not JSON-ready"),
    ({"configs": [{"a": 1}, {"a": 1}]}, "appears twice"),
    ({"seeds": -1}, "positive count"),
    ({"seeds": [1, 1]}, "duplicates"),
    ({"root": None}, "explicit root"),
    ({"executor": "threads"}, "executor must be one of"),
    ({"workers": 0}, "workers must be a positive int"),
    ({"scheduler": "tcp://x:1"}, "needs executor='dask'"),
    ({"start_method": "clone"}, "start_method must be one of"),
    ({"name": ""}, "non-empty string"),
])
def test_bad_input_is_a_qrand_error(tmp_path, kwargs, message):
    args = {"fn": estimate_pi, "configs": CONFIGS, "seeds": 2, "root": 1,
            "store": tmp_path / "b.sqlite", "progress": False, **kwargs}
    fn, configs, seeds = args.pop("fn"), args.pop("configs"), args.pop("seeds")
    with pytest.raises(QrandError, match=message):
        run_sweep(fn, configs, seeds, **args)


def test_cli_options():
    parser = argparse.ArgumentParser()
    add_sweep_arguments(parser)
    assert sweep_options(parser.parse_args([])) == {
        "executor": "serial", "workers": None, "scheduler": None, "store": None, "resume": True, "new": False}
    opts = sweep_options(parser.parse_args(["--scheduler", "tcp://h:8786", "--store", "x.sqlite",
                                            "--no-resume", "--new", "--workers", "3"]))
    assert opts == {"executor": "dask", "workers": 3, "scheduler": "tcp://h:8786", "store": "x.sqlite",
                    "resume": False, "new": True}
    with pytest.raises(QrandError, match="--scheduler needs --executor dask"):
        sweep_options(parser.parse_args(["--executor", "processes", "--scheduler", "tcp://h:1"]))
    with pytest.raises(SystemExit):
        parser.parse_args(["--workers", "0"])


@pytest.mark.slow
def test_dead_worker_fails_its_task_and_the_sweep_goes_on(tmp_path):
    path = tmp_path / "c.sqlite"
    configs = [{"crash": False}, {"crash": True}, {"crash": False, "b": 1}]
    result = run_sweep(crash_on_fail, configs, 3, root=2, store=path, executor="processes", workers=2,
                       progress=False)
    frame = result.frame
    assert list(frame["status"]) == ["done"] * 3 + ["failed"] * 3 + ["done"] * 3
    assert all("BrokenProcessPool" in tb for _, tb in result.failures)
    serial = run_sweep(crash_on_fail, [configs[0], configs[2]], 3, root=2, store=tmp_path / "s.sqlite",
                       progress=False)
    assert serial.frame["x"].tolist() == frame.loc[frame.status == "done", "x"].tolist()


def test_bad_return_values_fail_the_task_not_the_sweep(tmp_path):
    result = run_sweep(not_a_dict, [{"kind": "list"}, {"kind": "set"}], 1, root=1,
                       store=tmp_path / "n.sqlite", progress=False)
    assert list(result.frame["status"]) == ["failed", "failed"]
    assert "must return a dict, got list" in result.failures[0][1]
    assert "set" in result.failures[1][1] and "JSON" in result.failures[1][1]


def interrupt_at_three(config: dict, tree: SeedTree) -> dict:
    """Behaves like a Ctrl-C arriving during the task with ``i == 3``."""
    if config["i"] == 3:
        raise KeyboardInterrupt
    return {"v": tree.seed(32)}


def test_ctrl_c_keeps_finished_tasks_and_marks_the_run_interrupted(tmp_path):
    path = tmp_path / "i.sqlite"
    configs = [{"i": i} for i in range(6)]
    with pytest.raises(KeyboardInterrupt):
        run_sweep(interrupt_at_three, configs, 1, root=4, store=path, progress=False)
    with SweepStore.open(path) as db:
        assert db.counts() == {"pending": 3, "done": 3, "failed": 0}
        assert db.runs()[0]["status"] == "interrupted"


def echo(config: dict, tree: SeedTree) -> dict:
    """Returns fields whose names clash with config fields and fixed columns, plus a nested dict."""
    return {"n": config["n"] * 2, "status": "mine", "fit": {"a": 1.5, "b": {"c": [1, 2]}}}


def test_frame_columns_never_clash(tmp_path):
    frame = run_sweep(echo, [{"n": 1, "seed": "cfg", "opt": {"lr": 0.1}}], [4], root=1,
                      store=tmp_path / "x.sqlite", progress=False).frame
    # fields come in sorted order (configs and results are stored as canonical JSON)
    assert list(frame.columns) == ["key", "n", "opt.lr", "config.seed", "seed", "status", "fit.a", "fit.b.c",
                                   "result.n", "result.status", "elapsed", "error"]
    row = frame.iloc[0]
    assert (row["n"], row["config.seed"], row["seed"], row["status"]) == (1, "cfg", 4, "done")
    assert row["result.n"] == 2 and row["result.status"] == "mine"
    assert row["fit.b.c"] == [1, 2] and row["opt.lr"] == 0.1
