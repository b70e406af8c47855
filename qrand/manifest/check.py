"""Graded determinism checks: run the same thing N times and grade the outputs.

Two entry points share :mod:`qrand.manifest.compare`:

* :func:`check_command` (``qrand check``): N fresh child processes of a
  command, each in its own copy of the working directory, with the same
  ``PYTHONHASHSEED`` and environment, unless a factor is varied on purpose:
  ``hashseed`` (a different ``PYTHONHASHSEED`` per run) or ``threads``
  (1, 2, 4, 3 ... threads for OpenMP/MKL/OpenBLAS/NumExpr/TF, and XLA's
  single-thread flag for 1). With ``seed`` the Python children are also
  seeded in-process at start-up, exactly as ``qrand run --seed`` does;
  without it the command's own seeding is what is checked.
* :func:`check_determinism` (``qrand.check_determinism``): call a function N
  times under ``qrand.scoped(seed)`` (or in fresh spawned processes) and grade
  its return values.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Callable

from ..errors import QrandError
from .compare import Report, View, grade, view_bytes, view_object
from .outputs import check_globs, collect, snapshot
from .runner import child_environment, copy_workdir, resolve_argv, run_child, thread_env

VARY_FACTORS = ("hashseed", "threads")
THREAD_COUNTS = (1, 2, 4, 3, 8, 6, 5, 7)
STDOUT = "<stdout>"
_EMPTY = view_bytes("", b"").digest


def parse_vary(vary: str | list[str] | tuple | None) -> tuple[str, ...]:
    """Validate ``--vary`` (comma-separated or a list) against :data:`VARY_FACTORS`."""
    if vary is None:
        return ()
    items = vary.split(",") if isinstance(vary, str) else [p for v in vary for p in str(v).split(",")]
    factors = tuple(dict.fromkeys(p.strip() for p in items if p.strip()))
    unknown = [f for f in factors if f not in VARY_FACTORS]
    if unknown:
        raise QrandError(f"cannot vary {unknown[0]!r}; choose from {', '.join(VARY_FACTORS)}")
    return factors


def _check_runs(runs: Any) -> int:
    if isinstance(runs, bool) or not isinstance(runs, int) or not 2 <= runs <= 1000:
        raise QrandError(f"runs must be an integer from 2 to 1000, got {runs!r}")
    return runs


def plan(runs: int, vary: tuple[str, ...], tree) -> list[dict]:
    """Per run: the ``PYTHONHASHSEED``, thread count and env overrides (what is varied)."""
    from ..seeding.environment import hashseed_for

    base_hashseed = hashseed_for(tree)
    out = []
    for i in range(runs):
        hashseed = base_hashseed if i == 0 or "hashseed" not in vary else tree.child(
            "check", "hashseed", i).seed(32)
        entry = {"run": i, "hashseed": hashseed, "overrides": {}, "varied": {}}
        if "hashseed" in vary:
            entry["varied"]["PYTHONHASHSEED"] = hashseed
        if "threads" in vary:
            n = THREAD_COUNTS[i % len(THREAD_COUNTS)]
            entry["overrides"] = thread_env(n)
            entry["varied"]["threads"] = n
        out.append(entry)
    return out


def check_command(argv: list[str], *, runs: int = 3, vary=None, outputs: list[str] | None = None,
                  rtol: float = 0.0, atol: float = 0.0, alpha: float = 0.01, seed: int | None = None,
                  deterministic: bool = False, cwd: str | os.PathLike | None = None,
                  inplace: bool = False, timeout: float | None = None, progress: bool | None = None,
                  tree=None) -> Report:
    """Run a command ``runs`` times and grade its outputs (stdout and output files).

    Parameters
    ----------
    argv : list of str
        The command.
    runs : int
        Number of fresh runs (>= 2).
    vary : str or list of str, optional
        Factors to change between runs: ``"hashseed"``, ``"threads"``.
    outputs : list of str, optional
        Glob patterns of output files (relative); default: files each run
        created or modified. Standard output is always an output.
    rtol, atol : float
        Tolerance for the ``tolerance`` level.
    alpha : float
        Level of the KS test for the ``statistical`` level.
    seed : int, optional
        Also seed Python children in-process (as ``qrand run --seed``).
    deterministic : bool
        Give the children the determinism variables.
    cwd : path, optional
        Directory copied for each run (default the current one).
    inplace : bool
        Run in ``cwd`` itself, one run after another, instead of copies.
    timeout : float, optional
        Seconds per run.
    progress : bool, optional
        Show a progress bar (default: when stderr is a terminal).
    tree : SeedTree, optional
        Tree the runs' ``PYTHONHASHSEED`` values come from (default
        ``SeedTree(seed)``); unlike ``seed`` it does not seed the children.

    Returns
    -------
    Report
        The graded result (see :mod:`qrand.manifest.compare`).
    """
    from tqdm.auto import tqdm

    from ..seeding.tree import SeedTree

    runs, factors, globs = _check_runs(runs), parse_vary(vary), check_globs(outputs)
    cwd = Path(cwd or os.getcwd()).resolve()
    argv = resolve_argv(argv, cwd)
    tree = SeedTree(seed) if tree is None else tree
    views: dict[str, list[View | None]] = {}
    labels = []
    with tempfile.TemporaryDirectory(prefix="qrand-check-") as tmp:
        for entry in tqdm(plan(runs, factors, tree), desc="qrand check", unit="run",
                          disable=None if progress is None else not progress):
            i = entry["run"]
            workdir = cwd if inplace else Path(tmp, f"run{i}", "work")
            if not inplace:
                copy_workdir(cwd, workdir)
            before = None if globs else snapshot(workdir)
            env = child_environment(tree=tree, seed_python=seed is not None, deterministic=deterministic,
                                    hashseed=entry["hashseed"], overrides=entry["overrides"])
            result = run_child(argv, cwd=workdir, env=env, store=Path(tmp, f"run{i}", "store"), timeout=timeout)
            if result.returncode != 0:
                tail = result.stderr_tail(3).replace("\n", " | ")
                raise QrandError(f"run {i} of the command exited with status {result.returncode}"
                                 + (f": {tail}" if tail else ""))
            found = {STDOUT: result.stdout_path.read_bytes()}
            for name in collect(workdir, globs, before):
                found[name] = (workdir / name).read_bytes()
            for name in set(views) | set(found):
                views.setdefault(name, [None] * i)
                views[name].append(view_bytes(name, found[name]) if name in found else None)
            labels.append({"run": i, "seed": seed, "pythonhashseed": entry["hashseed"], "varied": entry["varied"],
                           "seconds": round(result.duration, 3)})
    if all(v is not None and v.digest == _EMPTY for v in views.get(STDOUT, [])):
        views.pop(STDOUT, None)
    return grade(views, rtol=rtol, atol=atol, alpha=alpha, runs=labels)


def _outputs_of(result: Any) -> dict[str, Any]:
    if isinstance(result, dict) and result and all(isinstance(k, str) for k in result):
        return result
    return {"result": result}


def check_determinism(fn: Callable[[], Any], *, runs: int = 3, fresh_process: bool = False,
                      rtol: float = 0.0, atol: float = 0.0, alpha: float = 0.01, seed: int | None = None,
                      vary=None) -> Report:
    """Call ``fn()`` ``runs`` times with the same seed and grade the results.

    Parameters
    ----------
    fn : callable
        Takes no arguments; returns arrays, numbers, DataFrames or a dict of
        them (each key is graded as its own output).
    runs : int
        Number of calls (>= 2).
    fresh_process : bool
        Call ``fn`` in a fresh spawned interpreter each time (``fn`` must be a
        module-level function); otherwise in this process under
        ``qrand.scoped(seed)``.
    rtol, atol : float
        Tolerance for the ``tolerance`` level.
    alpha : float
        Level of the KS test for the ``statistical`` level.
    seed : int, optional
        Root seed for every call (default: one draw of OS entropy).
    vary : str or list, optional
        ``"hashseed"``: a different ``PYTHONHASHSEED`` per call (needs ``fresh_process``).

    Returns
    -------
    Report
        ``report.level`` is ``"bitwise"``, ``"tolerance"``, ``"statistical"`` or ``"none"``.

    Examples
    --------
    >>> import numpy as np
    >>> check_determinism(lambda: np.random.rand(3), seed=1).level
    'bitwise'
    """
    from ..seeding.tree import SeedTree

    if not callable(fn):
        raise QrandError(f"check_determinism needs a callable, got {type(fn).__name__}")
    runs, factors = _check_runs(runs), parse_vary(vary)
    if "threads" in factors:
        raise QrandError("check_determinism cannot vary threads; use `qrand check --vary threads`")
    if factors and not fresh_process:
        raise QrandError("PYTHONHASHSEED is fixed when an interpreter starts: vary='hashseed' needs fresh_process=True")
    tree = SeedTree(seed)
    entries = plan(runs, factors, tree)
    results: list[dict[str, View]] = []
    if fresh_process:
        results = _fresh_results(fn, tree, entries)
    else:
        from ..seeding.everything import scoped

        for _ in entries:
            with scoped(tree.root):
                outputs = _outputs_of(fn())
            results.append({name: view_object(value) for name, value in outputs.items()})
    names = list(dict.fromkeys(name for r in results for name in r))
    views = {name: [r.get(name) for r in results] for name in names}
    labels = [{"run": e["run"], "seed": tree.root, "varied": e["varied"]} for e in entries]
    return grade(views, rtol=rtol, atol=atol, alpha=alpha, runs=labels)


def _fresh_results(fn: Callable, tree, entries: list[dict]) -> list[dict[str, View]]:
    import multiprocessing
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    try:
        pickle.dumps(fn)
    except Exception:
        raise QrandError("fresh_process=True needs a module-level (picklable) function") from None
    context = multiprocessing.get_context("spawn")
    results = []
    saved = os.environ.get("PYTHONHASHSEED")
    try:
        for entry in entries:
            os.environ["PYTHONHASHSEED"] = str(entry["hashseed"])
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                view = pool.submit(_fresh_views, fn, tree.root).result()
            results.append(view)
    finally:
        if saved is None:
            os.environ.pop("PYTHONHASHSEED", None)
        else:
            os.environ["PYTHONHASHSEED"] = saved
    return results


def _fresh_views(fn: Callable, root: int) -> dict[str, View]:
    from ..seeding.everything import seed_everything

    seed_everything(root)
    return {name: view_object(value) for name, value in _outputs_of(fn()).items()}
