"""Seed x config sweeps: a crash-safe SQLite store, resume, serial/process/Dask executors.

>>> from qrand.sweep import run_sweep
>>> result = run_sweep(fn, configs=[{"n": 100}], seeds=10, root=1234, store="s.sqlite")  # doctest: +SKIP

Each task ``(config, seed)`` gets the seed tree ``root.child("task", key)``,
``key`` being a hash of the task's canonical JSON, so results are bitwise
identical whatever executor or worker count ran them. Names load lazily so
that ``from qrand.sweep import add_sweep_arguments`` stays cheap.
"""

from __future__ import annotations

from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "run_sweep": "qrand.sweep.run",
    "load_sweep": "qrand.sweep.run",
    "SweepResult": "qrand.sweep.run",
    "SweepStore": "qrand.sweep.store",
    "task_key": "qrand.sweep.tasks",
    "add_sweep_arguments": "qrand.sweep.cli",
    "sweep_options": "qrand.sweep.cli",
})
