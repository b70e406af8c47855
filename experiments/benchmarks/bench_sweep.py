"""Benchmark qrand.sweep: executor throughput and the store's per-task overhead.

A CPU-bound sweep (pure-Python random walks, ``--tasks`` tasks) runs serially,
on a 2-process pool, on a fresh 2-worker Dask LocalCluster (startup included)
and on an already running 2-worker Dask cluster (as with ``--scheduler``).
Throughput ratios against serial are printed side by side (goal: >= 1.7x on
2 cores), then the store overhead per task (goal: < 2 ms).

    python experiments/benchmarks/bench_sweep.py [--tasks 200] [--steps 150000] [--workers 2]

The machine may be shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

from qrand.sweep import SweepStore, run_sweep
from qrand.sweep.examples import random_walk
from qrand.sweep.tasks import build_tasks, execute_task, task_tree


def noop(config: dict, tree) -> dict:
    """A task that does nothing: its sweep time is all overhead."""
    return {"i": config["i"]}


def timed_sweep(workdir: Path, label: str, configs: list[dict], seeds: int,
                **kwargs) -> tuple[float, float, float]:
    """(wall s, summed wall s inside the task function, summed CPU s inside it) for one fresh sweep."""
    start = time.perf_counter()
    result = run_sweep(random_walk, configs, seeds, root=1, store=workdir / f"{label}.sqlite",
                       progress=False, **kwargs)
    wall = time.perf_counter() - start
    assert result.ok, result.summary()
    with SweepStore.open(result.store_path) as db:
        rows = db.rows()
    return wall, sum(r["elapsed"] for r in rows), sum(r["cpu"] for r in rows)


def throughput(workdir: Path, tasks: int, steps: int, workers: int) -> list[tuple[str, tuple]]:
    """(wall, busy, cpu) seconds per executor for the same CPU-bound sweep."""
    from distributed import Client, LocalCluster

    configs, seeds = [{"steps": steps}], tasks
    rows = [("serial", timed_sweep(workdir, "serial", configs, seeds))]
    rows.append((f"processes x{workers}", timed_sweep(workdir, "proc", configs, seeds,
                                                      executor="processes", workers=workers)))
    rows.append((f"dask LocalCluster x{workers} (cold)", timed_sweep(workdir, "dask", configs, seeds,
                                                                     executor="dask", workers=workers)))
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster, Client(cluster):
        rows.append((f"dask --scheduler x{workers} (warm)",
                     timed_sweep(workdir, "warm", configs, seeds, executor="dask",
                                 scheduler=cluster.scheduler_address)))
    return rows


def store_overhead(workdir: Path, n: int) -> tuple[float, float]:
    """(ms per task of store.record alone, ms per task of a serial sweep beyond calling fn)."""
    configs = [{"i": i} for i in range(n)]
    tasks = build_tasks(configs, [0])
    root = __import__("qrand").SeedTree(1)
    payloads = [t.payload(root) for t in tasks]
    outcomes = [execute_task(noop, p) for p in payloads]
    definition = {"fn": "bench:noop", "name": "x", "configs": configs, "seeds": [0],
                  "root": {"root": 1, "path": []}}
    with SweepStore.create(workdir / "micro.sqlite", definition, tasks) as db:
        run = db.begin_run(executor="serial", workers=None, scheduler=None, manifest=None)
        start = time.perf_counter()
        for outcome in outcomes:
            db.record(outcome, run)
        record_ms = (time.perf_counter() - start) / n * 1e3
    start = time.perf_counter()
    for p in payloads:
        task_tree(p)
        execute_task(noop, p)
    bare = time.perf_counter() - start
    start = time.perf_counter()
    run_sweep(noop, configs, [0], root=1, store=workdir / "e2e.sqlite", progress=False)
    sweep = time.perf_counter() - start
    return record_ms, (sweep - bare) / n * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--steps", type=int, default=150000, help="random-walk steps per task")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--overhead-tasks", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        rows = throughput(workdir, args.tasks, args.steps, args.workers)
        serial = rows[0][1][0]
        print(f"\nCPU-bound sweep: {args.tasks} tasks x {args.steps} random-walk steps, "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other work shares the CPUs)")
        print(f"{'executor':36s} {'wall s':>8s} {'tasks/s':>8s} {'vs serial':>9s} {'busy/wall':>9s} "
              f"{'cpu/busy':>8s}")
        for label, (wall, busy, cpu) in rows:
            print(f"{label:36s} {wall:8.2f} {args.tasks / wall:8.1f} {serial / wall:8.2f}x "
                  f"{busy / wall:9.2f} {cpu / busy:8.2f}")
        print("goal: >= 1.70x with 2 workers on 2 free cores\n"
              "busy/wall: tasks running at once on average; cpu/busy: share of a core a running task got "
              "(1.00 = a free core; lower = CPUs shared with other work)")
        record_ms, e2e_ms = store_overhead(workdir, args.overhead_tasks)
        print(f"\nstore overhead per task ({args.overhead_tasks} no-op tasks): "
              f"store.record {record_ms:.3f} ms, whole serial sweep beyond fn {e2e_ms:.3f} ms "
              f"(goal < 2 ms)")


if __name__ == "__main__":
    main()
