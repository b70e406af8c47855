"""qrand.sweep executors: bitwise-identical results, and surviving kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

from qrand.seeding import record
from qrand.seeding.tree import SeedTree
from qrand.sweep import SweepStore, run_sweep
from qrand.sweep.examples import random_walk

pytestmark = pytest.mark.slow


def draws(config: dict, tree: SeedTree) -> dict:
    """Raw draws plus the per-task device counter (0 when records do not leak between tasks)."""
    if config.get("fail"):
        raise RuntimeError("planned failure")
    rng = tree.numpy()
    record.current().note_seed("numpy", tree.seed(32))
    return {"u": rng.random(4).tolist(), "big": int(rng.integers(0, 2**63 - 1)),
            "calls_before": record.current().count_call("dev"), "py": tree.python().random()}


def counted(config: dict, tree: SeedTree) -> dict:
    """Counts device calls around a pause that lets other threads run."""
    first = record.current().count_call("dev")
    time.sleep(0.02)
    second = record.current().count_call("dev")
    return {"first": first, "second": second, "x": tree.seed(32)}


def stored(path) -> list[tuple]:
    """The executor-independent part of a store: key, seed, status, result JSON, record JSON."""
    with SweepStore.open(path) as db:
        return db.result_rows()


CONFIGS = [{"scale": 1.0}, {"scale": 2.5, "tags": ["a", "b"]}, {"fail": True}]


@pytest.mark.parametrize("executor, options", [
    ("processes", {}),
    ("processes", {"start_method": "spawn"}),
    ("dask", {}),
])
def test_executors_give_bitwise_identical_results(tmp_path, executor, options):
    serial = run_sweep(draws, CONFIGS, 5, root=2024, store=tmp_path / "serial.sqlite", progress=False)
    other = run_sweep(draws, CONFIGS, 5, root=2024, store=tmp_path / "other.sqlite", executor=executor,
                      workers=2, progress=False, **options)
    assert stored(tmp_path / "serial.sqlite") == stored(tmp_path / "other.sqlite")
    with sqlite3.connect(tmp_path / "serial.sqlite") as a, sqlite3.connect(tmp_path / "other.sqlite") as b:
        query = "SELECT key, result FROM tasks WHERE status='done' ORDER BY key"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()  # the raw bytes, too
    pd.testing.assert_frame_equal(serial.frame.drop(columns="elapsed"), other.frame.drop(columns="elapsed"))
    assert (serial.frame["status"] == "failed").sum() == 5 == len(other.failures)
    assert (serial.frame.loc[serial.frame.status == "done", "calls_before"] == 0).all()
    with SweepStore.open(tmp_path / "other.sqlite") as db:
        pids = {int(r["worker"].rsplit(":", 1)[1]) for r in db.rows() if r["status"] == "done"}
        assert os.getpid() not in pids and 1 <= len(pids) <= 2, pids  # ran in worker processes
        assert db.runs()[0]["executor"] == executor


SCRIPT = textwrap.dedent("""
    import sys
    from qrand.sweep import run_sweep
    from qrand.sweep.examples import random_walk
    if __name__ == "__main__":
        run_sweep(random_walk, [{"steps": 40000}, {"steps": 40001, "p": 0.6}], 30, root=77,
                  store=sys.argv[1], executor=sys.argv[2], workers=2, progress=False)
""")


def _done(path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM tasks WHERE status='done'").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_kill_9_then_resume_equals_uninterrupted_run(tmp_path, executor):
    script = tmp_path / "sweep_script.py"
    script.write_text(SCRIPT)
    killed = tmp_path / "killed.sqlite"
    proc = subprocess.Popen([sys.executable, str(script), str(killed), executor], start_new_session=True,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _done(killed) < 6:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "sweep subprocess made no progress"
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, mid-run
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with SweepStore.open(killed) as db:
        counts = db.counts()
        assert counts["failed"] == 0 and counts["done"] >= 6 and counts["pending"] > 0, counts
        assert db.runs()[0]["status"] == "running"  # it never got to say goodbye
    resumed = run_sweep(random_walk, [{"steps": 40000}, {"steps": 40001, "p": 0.6}], 30, root=77,
                        store=killed, executor=executor, workers=2, progress=False)
    assert resumed.skipped == counts["done"] and resumed.ran == 60 - counts["done"]
    whole = run_sweep(random_walk, [{"steps": 40000}, {"steps": 40001, "p": 0.6}], 30, root=77,
                      store=tmp_path / "whole.sqlite", progress=False)
    assert stored(killed) == stored(tmp_path / "whole.sqlite")
    pd.testing.assert_frame_equal(resumed.frame.drop(columns="elapsed"), whole.frame.drop(columns="elapsed"))


def test_existing_dask_cluster_via_scheduler_address(tmp_path, capsys):
    import logging

    from distributed import Client, LocalCluster

    configs = [{"i": i} for i in range(4)]
    serial = run_sweep(counted, configs, 3, root=5, store=tmp_path / "serial.sqlite", progress=False)
    assert set(serial.frame["first"]) == {0} and set(serial.frame["second"]) == {1}
    # one worker process with 3 threads: tasks share a process and must still not share a run record
    with LocalCluster(n_workers=1, threads_per_worker=3, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster:
        run_sweep(counted, configs, 3, root=5, store=tmp_path / "dask.sqlite", executor="dask",
                  scheduler=cluster.scheduler_address, progress=False)
        with Client(cluster) as client:  # the sweep left the cluster running
            assert list(client.nthreads().values()) == [3]
    assert "1 of 1 Dask workers have more than one thread" in capsys.readouterr().err
    assert stored(tmp_path / "serial.sqlite") == stored(tmp_path / "dask.sqlite")
