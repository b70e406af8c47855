"""Sweep tasks: canonical JSON, stable task keys, and running one task.

A task is one ``(config, seed)`` pair of a sweep. Its key is a hash of the
canonical JSON of that pair, so it depends on the task's identity only, never
on the worker, the order or the time; its seed tree is
``root.child("task", key)``. :func:`execute_task` is what every executor runs
(in the parent for ``serial``, in a worker process otherwise): it never raises,
it returns an outcome dict the parent writes into the store.
"""

from __future__ import annotations

import copy
import hashlib
import json
import numbers
import os
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import QrandError
from ..seeding import record as _record
from ..seeding.tree import SeedTree, validate_root

#: length of a task key in hex characters (64 bits of sha256)
KEY_HEX = 16


def _json_default(value: Any) -> Any:
    """Turn numpy scalars/arrays (and tuples via lists) into plain JSON values."""
    item = getattr(value, "item", None)
    tolist = getattr(value, "tolist", None)
    if tolist is not None and getattr(value, "ndim", 0) > 0:
        return tolist()
    if item is not None:
        return item()
    raise TypeError(f"{type(value).__name__} {value!r} is not JSON-ready")


def canonical_json(value: Any, *, allow_nan: bool = False) -> str:
    """Canonical JSON text: sorted keys, no spaces, UTF-8, numpy scalars as plain numbers.

    Raises ``TypeError``/``ValueError`` for values JSON cannot hold.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=allow_nan, default=_json_default)


def task_key(config: dict, seed: int) -> str:
    """The stable key of task ``(config, seed)``: 16 hex chars of sha256 of its canonical JSON."""
    text = canonical_json({"config": config, "seed": seed})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:KEY_HEX]


def fn_name(fn: Callable) -> str:
    """``module:qualname`` of a sweep function; refuses lambdas and nested functions."""
    module = getattr(fn, "__module__", None)
    qualname = getattr(fn, "__qualname__", None)
    if not callable(fn) or module is None or qualname is None:
        raise QrandError(f"sweep function must be a module-level function, got {fn!r}")
    if "<" in qualname:
        raise QrandError(f"sweep function must be a picklable module-level function, "
                         f"got {module}:{qualname} (lambda or nested function)")
    return f"{module}:{qualname}"


def normalise_configs(configs: Any) -> list[dict]:
    """Check ``configs`` is a non-empty list of JSON-ready dicts; return them round-tripped."""
    if isinstance(configs, dict) or not hasattr(configs, "__iter__"):
        raise QrandError(f"configs must be a list of dicts, got {type(configs).__name__}")
    out = []
    for i, config in enumerate(configs):
        if not isinstance(config, dict):
            raise QrandError(f"config {i} must be a dict, got {type(config).__name__} {config!r}")
        try:
            out.append(json.loads(canonical_json(config)))
        except (TypeError, ValueError) as exc:
            raise QrandError(f"config {i} is not JSON-ready: {exc}") from None
    if not out:
        raise QrandError("configs is empty: a sweep needs at least one config (use [{}] for none)")
    return out


def normalise_seeds(seeds: Any) -> list[int]:
    """``N`` -> ``[0, ..., N-1]``; a list of distinct non-negative ints is kept in order."""
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        if seeds < 1:
            raise QrandError(f"seeds must be a positive count or a list of ints, got {seeds}")
        return list(range(int(seeds)))
    if isinstance(seeds, (str, bytes, dict)) or not hasattr(seeds, "__iter__"):
        raise QrandError(f"seeds must be a positive count or a list of ints, got {seeds!r}")
    out = []
    for s in seeds:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 0:
            raise QrandError(f"seeds must be non-negative ints, got {s!r}")
        out.append(int(s))
    if not out:
        raise QrandError("seeds is empty: a sweep needs at least one seed")
    if len(set(out)) != len(out):
        raise QrandError(f"seeds contains duplicates: {sorted({s for s in out if out.count(s) > 1})}")
    return out


def root_tree(root: Any) -> SeedTree:
    """The sweep's root tree from an int or a :class:`SeedTree` (``None`` is refused)."""
    if isinstance(root, SeedTree):
        return root
    if root is None:
        raise QrandError("a sweep needs an explicit root seed (int or SeedTree) so that it can resume")
    return SeedTree(validate_root(root))


@dataclass(frozen=True)
class Task:
    """One ``(config, seed)`` of a sweep, with its index in definition order and its key."""

    index: int
    config: dict
    seed: int
    key: str

    def payload(self, root: SeedTree) -> dict:
        """Plain picklable data a worker needs to run this task."""
        return {"key": self.key, "config": self.config, "seed": self.seed,
                "root": root.root, "path": list(root.path), "source": root.source}


def build_tasks(configs: list[dict], seeds: list[int]) -> list[Task]:
    """All tasks, configs outer and seeds inner; duplicate configs are refused."""
    tasks: list[Task] = []
    seen: set[str] = set()
    for config in configs:
        for seed in seeds:
            key = task_key(config, seed)
            if key in seen:
                raise QrandError(f"config {config!r} appears twice in the sweep")
            seen.add(key)
            tasks.append(Task(len(tasks), config, seed, key))
    return tasks


def task_tree(payload: dict) -> SeedTree:
    """The task's seed tree: ``root.child("task", key)``."""
    root = SeedTree(payload["root"], _path=tuple(payload["path"]), _source=payload["source"])
    return root.child("task", payload["key"])


def execute_task(fn: Callable, payload: dict) -> dict:
    """Run ``fn(config, tree)`` for one task; never raises.

    The task runs with a fresh run record (``qrand.seeding.record``), so device
    call counters and noted seeds from one task never leak into the next task
    that happens to run in the same process. Returns ``{"key", "status"
    ("done"|"failed"), "result" (canonical JSON text or None), "record" (JSON
    text), "error" (traceback text or None), "started" (epoch s), "elapsed" (wall s
    in ``fn``), "cpu" (CPU s of this process in ``fn``), "worker" (host:pid)}``.
    """
    with _ONE_TASK_PER_PROCESS:
        return _execute(fn, payload)


#: The run record is process-wide, so tasks sharing a process (threads of a
#: multi-threaded Dask worker) run one at a time, each with its own record.
_ONE_TASK_PER_PROCESS = threading.RLock()  # re-entrant: a task may run a nested serial sweep


def _execute(fn: Callable, payload: dict) -> dict:
    tree = task_tree(payload)
    record = _record.RunRecord(tree=tree)
    previous = _record.swap(record)
    started = time.time()
    t0, c0 = time.perf_counter(), time.process_time()
    result_text, error = None, None
    try:
        value = fn(copy.deepcopy(payload["config"]), tree)  # fn may mutate its config
        elapsed = time.perf_counter() - t0
        if not isinstance(value, dict):
            raise TypeError(f"sweep function must return a dict, got {type(value).__name__}")
        result_text = canonical_json(value, allow_nan=True)
    except (Exception, SystemExit):  # a task failure must not stop the sweep
        elapsed = time.perf_counter() - t0
        error = traceback.format_exc()
    finally:
        _record.swap(previous)
        cpu = time.process_time() - c0
    try:
        record_text = canonical_json(record.to_dict(), allow_nan=True)
    except (TypeError, ValueError) as exc:
        record_text = canonical_json({"unserialisable": str(exc)})
    return {"key": payload["key"], "status": "failed" if error else "done", "result": result_text,
            "record": record_text, "error": error, "started": started, "elapsed": elapsed, "cpu": cpu,
            "worker": f"{os.uname().nodename}:{os.getpid()}" if hasattr(os, "uname") else str(os.getpid())}


def error_summary(traceback_text: str | None) -> str:
    """The last line of a traceback (``"ValueError: ..."``)."""
    lines = [line for line in (traceback_text or "").splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""
