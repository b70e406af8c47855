"""``run_sweep``: run ``fn(config, tree)`` over configs x seeds into a resumable store.

This module ties the pieces together: it checks the input, opens (or
creates) the store, skips finished tasks, hands the rest to an executor,
writes each outcome as it arrives, shows a progress bar with the failure
count, and returns a :class:`SweepResult`.
"""

from __future__ import annotations

import os
import pickle
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import QrandError
from ..seeding import record as _record
from ..seeding.tree import SeedTree
from .executors import EXECUTORS, run_tasks
from .store import SweepStore
from .tasks import build_tasks, error_summary, fn_name, normalise_configs, normalise_seeds, root_tree


@dataclass
class SweepResult:
    """What a sweep produced.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per task (all tasks of the sweep, also those finished in
        earlier runs): ``key``, config columns, ``seed``, ``status``, result
        fields, ``elapsed``, ``error``.
    failures : list of (str, str)
        ``(task key, traceback text)`` of every failed task.
    store_path : pathlib.Path
        The store written (differs from the one asked for after ``new=True``).
    ran, skipped : int
        Tasks run now, and tasks already finished in the store and skipped.
    """

    frame: Any
    failures: list[tuple[str, str]]
    store_path: Path
    ran: int = 0
    skipped: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every task finished without error."""
        return not self.failures and self.counts.get("pending", 0) == 0

    def summary(self) -> str:
        """A few lines: counts, the store, and one line per failed task."""
        c = self.counts
        now = (f" ({self.ran} run now in {self.wall:.1f} s, {self.skipped} already done)"
               if self.ran or self.skipped else "")
        lines = [f"sweep: {c.get('done', 0)} done, {c.get('failed', 0)} failed, "
                 f"{c.get('pending', 0)} pending{now} -> {self.store_path}"]
        for key, text in self.failures:
            lines.append(f"  failed {key}: {error_summary(text)}")
        return "\n".join(lines)


def sweep_manifest(sweep: dict | None = None) -> dict:
    """The manifest stored with each run of a sweep.

    A :class:`qrand.manifest.Manifest` document (``Manifest(data)`` loads it
    back) with ``sweep`` under ``extra``. Should the manifest layer be
    unavailable, a smaller dict with ``"kind": "sweep-basic"``: the run record
    plus cheap environment facts (Python, OS, CPU count, library versions,
    relevant environment variables).
    """
    extra = {"sweep": sweep or {}}
    try:
        from ..manifest import Manifest

        return Manifest.capture(extra=extra).to_dict()
    except Exception:  # noqa: BLE001 - manifest layer missing or failing: fall back
        pass
    info: dict[str, Any] = {
        "kind": "sweep-basic",
        "record": _record.current().to_dict(),
        "python": sys.version,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "argv": list(sys.argv),
        "extra": extra,
    }
    try:
        from ..seeding import environment

        info["versions"] = environment.library_versions()
        info["env"] = environment.env_vars()
    except Exception:  # noqa: BLE001 - environment helpers are optional here
        pass
    return info


def _check_options(name: Any, executor: str, workers: Any, scheduler: Any, start_method: Any) -> None:
    import multiprocessing

    if not isinstance(name, str) or not name.strip():
        raise QrandError(f"sweep name must be a non-empty string, got {name!r}")
    if executor not in EXECUTORS:
        raise QrandError(f"executor must be one of {', '.join(EXECUTORS)}, got {executor!r}")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise QrandError(f"workers must be a positive int, got {workers!r}")
    if scheduler is not None and executor != "dask":
        raise QrandError(f"a scheduler address needs executor='dask', got executor={executor!r}")
    methods = multiprocessing.get_all_start_methods()
    if start_method is not None and start_method not in methods:
        raise QrandError(f"start_method must be one of {', '.join(methods)}, got {start_method!r}")


def _check_picklable(fn: Callable, name: str) -> None:
    try:
        pickle.loads(pickle.dumps(fn))
    except Exception as exc:  # noqa: BLE001
        raise QrandError(f"sweep function {name} cannot be sent to worker processes "
                         f"({type(exc).__name__}: {exc}); define it at module level") from None


def run_sweep(fn: Callable[[dict, SeedTree], dict], configs: list[dict], seeds: int | list[int], *,
              root: int | SeedTree, name: str = "sweep", store: str | os.PathLike | None = None,
              executor: str = "serial", workers: int | None = None, scheduler: str | None = None,
              resume: bool = True, new: bool = False, progress: bool = True,
              rerun_failed: bool = True, start_method: str | None = None) -> SweepResult:
    """Run ``fn(config, tree)`` for every config x seed, storing each result as it finishes.

    Parameters
    ----------
    fn : callable
        Module-level (picklable) function ``fn(config: dict, tree: SeedTree) -> dict``
        returning JSON-ready values. ``tree`` is ``root.child("task", key)``
        where ``key`` hashes the canonical JSON of ``(config, seed)``: draw all
        randomness from it and the result does not depend on the executor.
    configs : list of dict
        JSON-ready configurations.
    seeds : int or list of int
        ``N`` means seeds ``0..N-1``.
    root : int or SeedTree
        Root of every task's seed tree (part of the sweep definition).
    name : str
        Label of the sweep; the default store is ``<name>.sqlite``.
    store : path, optional
        SQLite file for the results.
    executor : {"serial", "processes", "dask"}
    workers : int, optional
        Worker processes (default: the usable CPUs). Ignored by ``serial`` and
        by ``dask`` with a ``scheduler``.
    scheduler : str, optional
        Address of an existing Dask scheduler (``executor="dask"`` only).
    resume : bool
        Skip tasks the store already finished (default). ``False`` re-runs all.
    new : bool
        Write a new store next to ``store`` if it exists (e.g. after changing
        the sweep definition); the name used is ``result.store_path``.
    progress : bool
        Show a progress bar and print the summary to stderr.
    rerun_failed : bool
        On resume, run failed tasks again (default) or keep their failure.
    start_method : str, optional
        multiprocessing start method for ``processes`` (default ``forkserver``
        on Linux, ``spawn`` elsewhere).

    Returns
    -------
    SweepResult
    """
    from tqdm.auto import tqdm

    _check_options(name, executor, workers, scheduler, start_method)
    tree = root_tree(root)
    configs = normalise_configs(configs)
    seed_list = normalise_seeds(seeds)
    tasks = build_tasks(configs, seed_list)
    qualname = fn_name(fn)
    if executor != "serial":
        _check_picklable(fn, qualname)
    definition = {"fn": qualname, "name": name, "configs": configs, "seeds": seed_list,
                  "root": {"root": tree.root, "path": list(tree.path)}}
    asked = Path(store) if store is not None else Path(f"{name}.sqlite")
    db = SweepStore.open_or_create(asked, definition, tasks, new=new)
    if progress and db.path != asked:
        print(f"qrand: {asked} exists; writing a new store {db.path}", file=sys.stderr)
    try:
        if not resume:
            db.reset_tasks(t.key for t in tasks)
        todo = db.pending_keys(rerun_failed=rerun_failed)
        payloads = [t.payload(tree) for t in tasks if t.key in todo]
        skipped = len(tasks) - len(payloads)
        about = {"name": name, "store": str(db.path), "definition_hash": db.definition_hash(),
                 "executor": executor, "workers": workers, "scheduler": scheduler, "tasks": len(tasks),
                 "to_run": len(payloads)}
        run_id = db.begin_run(executor=executor, workers=workers, scheduler=scheduler,
                              manifest=sweep_manifest(about))
        done = failed = 0
        status = "error"
        started = time.perf_counter()
        bar = tqdm(total=len(tasks), initial=skipped, desc=name, unit="task", disable=not progress,
                   dynamic_ncols=True)
        bar.set_postfix_str("failed=0", refresh=False)
        try:
            for outcome in run_tasks(fn, payloads, executor=executor, workers=workers,
                                     scheduler=scheduler, start_method=start_method):
                db.record(outcome, run_id)
                if outcome["status"] == "done":
                    done += 1
                else:
                    failed += 1
                    bar.set_postfix_str(f"failed={failed}", refresh=False)
                bar.update(1)
            status = "finished"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            bar.close()
            db.end_run(run_id, status, done=done, failed=failed)
        result = SweepResult(frame=db.frame(), failures=db.failures(), store_path=db.path,
                             ran=len(payloads), skipped=skipped, counts=db.counts(),
                             wall=time.perf_counter() - started)
    finally:
        db.close()
    if progress:
        print(result.summary(), file=sys.stderr)
    return result


def load_sweep(store: str | os.PathLike) -> SweepResult:
    """Read a sweep store back (without running anything) as a :class:`SweepResult`."""
    with SweepStore.open(store) as db:
        return SweepResult(frame=db.frame(), failures=db.failures(), store_path=db.path,
                           counts=db.counts())
