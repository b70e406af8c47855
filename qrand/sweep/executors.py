"""Executors: run sweep tasks serially, in local processes, or on Dask.

Every executor takes the same task payloads and yields the outcomes of
:func:`qrand.sweep.tasks.execute_task` as they finish (in any order). Workers
only compute: they build each task's seed tree from the root and the task key,
so results never depend on which worker ran a task, and they never touch the
store (the parent is its only writer). At most a few tasks per worker are in
flight at any time, so an interrupted sweep loses only those.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Iterator

from ..errors import QrandError
from .tasks import execute_task

EXECUTORS = ("serial", "processes", "dask")
#: tasks in flight per worker
IN_FLIGHT_PER_WORKER = 4


def default_workers() -> int:
    """Worker count when none is given: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS/Windows
        return max(1, os.cpu_count() or 1)


def default_start_method() -> str:
    """``forkserver`` on Linux, ``spawn`` elsewhere.

    Plain ``fork`` copies the parent's threads' locks (JAX, torch, BLAS pools
    and Dask all start threads) and can deadlock; the fork server is a clean,
    single-threaded process, so workers start fast and safe.
    """
    return "forkserver" if sys.platform.startswith("linux") else "spawn"


def failure_outcome(payload: dict, error: str) -> dict:
    """The outcome of a task whose worker failed outside the task function."""
    from .tasks import canonical_json

    return {"key": payload["key"], "status": "failed", "result": None,
            "record": canonical_json({}), "error": error, "started": time.time(),
            "elapsed": 0.0, "cpu": 0.0, "worker": None}


_DIED = ("BrokenProcessPool: the worker process running this task died abruptly "
         "(crash, out of memory or os._exit); it was re-run alone and died again\n")


def run_serial(fn: Callable, payloads: list[dict], **_: object) -> Iterator[dict]:
    """Run the tasks one after the other in this process."""
    for payload in payloads:
        yield execute_task(fn, payload)


def run_processes(fn: Callable, payloads: list[dict], *, workers: int | None = None,
                  start_method: str | None = None, **_: object) -> Iterator[dict]:
    """Run the tasks on a local ``concurrent.futures.ProcessPoolExecutor``.

    A worker process that dies (segfault, out of memory, ``os._exit``) breaks
    the pool. The tasks that were in flight are then re-run one at a time in a
    fresh pool: the one that breaks it again alone is recorded as failed, the
    others finish normally, and the sweep goes on.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    workers = workers or default_workers()
    method = start_method or default_start_method()
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["qrand.sweep.tasks", "numpy"])
    todo = list(reversed(payloads))
    suspects: list[dict] = []  # in flight when a worker died: re-run alone
    window = IN_FLIGHT_PER_WORKER * workers
    while todo or suspects:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
        running: dict = {}
        broken = False
        lone = None  # key of a suspect running alone
        try:
            while not broken:
                if suspects:
                    batch = [suspects.pop()] if not running else []
                    lone = batch[0]["key"] if batch else lone
                else:
                    batch = [todo.pop() for _ in range(min(len(todo), window - len(running)))]
                for payload in batch:
                    try:
                        running[pool.submit(execute_task, fn, payload)] = payload
                    except BrokenProcessPool:  # never ran: back where it came from
                        (suspects if payload["key"] == lone else todo).append(payload)
                        broken = True
                if not running:
                    break
                finished, _pending = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    payload = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        if payload["key"] == lone:
                            yield failure_outcome(payload, _DIED)
                        else:
                            suspects.append(payload)
                    except Exception:  # noqa: BLE001 - e.g. an unpicklable result
                        yield failure_outcome(payload, traceback.format_exc())
            for future, payload in running.items():  # pool broke under them: result unknown
                if future.done() and not future.cancelled() and future.exception() is None:
                    yield future.result()
                else:
                    suspects.append(payload)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _dask_client(workers: int | None, scheduler: str | None):
    """A Dask client and the LocalCluster it owns (None for an existing cluster)."""
    import logging

    from .._optional import require

    distributed = require("distributed")
    if scheduler:
        try:
            return distributed.Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as exc:
            raise QrandError(f"cannot reach Dask scheduler {scheduler}: {exc}") from None
    cluster = distributed.LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                                       processes=True, dashboard_address=":0",
                                       silence_logs=logging.ERROR)
    return distributed.Client(cluster), cluster


def run_dask(fn: Callable, payloads: list[dict], *, workers: int | None = None,
             scheduler: str | None = None, **_: object) -> Iterator[dict]:
    """Run the tasks with ``dask.distributed``.

    Without ``scheduler`` a ``LocalCluster`` (``workers`` processes, one thread
    each) is started and closed afterwards; with ``scheduler`` (an address such
    as ``tcp://10.0.0.5:8786``) the existing cluster is used and left running.
    """
    from .._optional import require

    distributed = require("distributed")
    client, cluster = _dask_client(workers, scheduler)
    token = uuid.uuid4().hex[:8]
    try:
        threads = client.nthreads()
        slots = max(1, sum(threads.values()))
        crowded = sum(n > 1 for n in threads.values())
        if crowded:
            print(f"qrand: {crowded} of {len(threads)} Dask workers have more than one thread; a worker runs "
                  "one sweep task at a time (start workers with --nthreads 1 and more --nworkers)",
                  file=sys.stderr)
        todo = list(reversed(payloads))
        running: dict = {}

        def submit() -> object:
            payload = todo.pop()
            future = client.submit(execute_task, fn, payload, key=f"qrand-sweep-{payload['key']}-{token}",
                                   pure=False, retries=0)
            running[future.key] = payload
            return future

        batch = [submit() for _ in range(min(len(todo), IN_FLIGHT_PER_WORKER * slots))]
        queue = distributed.as_completed(batch)
        for future in queue:
            payload = running.pop(future.key)
            try:
                yield future.result()
            except Exception:  # noqa: BLE001 - KilledWorker, unpicklable result, lost connection
                yield failure_outcome(payload, traceback.format_exc())
            finally:
                future.release()
            if todo:
                queue.add(submit())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


_RUNNERS = {"serial": run_serial, "processes": run_processes, "dask": run_dask}


def run_tasks(fn: Callable, payloads: list[dict], *, executor: str = "serial", workers: int | None = None,
              scheduler: str | None = None, start_method: str | None = None) -> Iterator[dict]:
    """Yield the outcome of every payload, run with ``executor``."""
    if executor not in _RUNNERS:
        raise QrandError(f"executor must be one of {', '.join(EXECUTORS)}, got {executor!r}")
    if not payloads:  # nothing to do: start no pool, no cluster
        return iter(())
    return _RUNNERS[executor](fn, payloads, workers=workers, scheduler=scheduler, start_method=start_method)
