"""Many seeds of one model as one job: ``jit(vmap(core))`` where the model allows it.

:func:`multi_seed` stacks every seed's host-side inputs (split, initial
parameters, minibatch indices, shot and dropout keys) and runs the model's
pure JAX ``core`` once over the stacked axis. Each seed's result equals its
single run because every random draw was made per seed on the host (or from a
per-seed key) before batching. Models that cannot be vmapped (scikit-learn,
torch) run as a sweep (:mod:`qrand.training.seed_sweep`): one task per seed,
serial or on worker processes / Dask, resumable through a store.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from ..errors import QrandError
from ..seeding.tree import SeedTree
from .engine import TrainResult
from .streams import as_tree


def _normalise(seeds: int | Iterable[int | SeedTree]) -> list[int | SeedTree]:
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        if seeds < 1:
            raise QrandError(f"need at least one seed, got {seeds}")
        return list(range(seeds))
    seeds = list(seeds)
    if not seeds:
        raise QrandError("need at least one seed")
    for seed in seeds:
        as_tree(seed)  # validates
    return seeds


def multi_seed(train_fn: Callable[[Any], TrainResult], seeds: int | Sequence[int | SeedTree], *,
               vectorize: bool | None = None, chunk: int | None = None, progress: bool = False,
               executor: str = "serial", workers: int | None = None, scheduler: str | None = None,
               store: str | os.PathLike | None = None, resume: bool = True,
               new: bool = False) -> list[TrainResult]:
    """Train every seed; one vmapped, jitted job when ``train_fn`` supports it, else a sweep.

    Parameters
    ----------
    train_fn : callable
        A trainer (``VQC``, ``JaxMLP``, ``SklearnTrainer``, ``TorchMLP``) or
        any ``seed -> TrainResult`` function.
    seeds : int or sequence of int / SeedTree
        An int ``n`` means seeds ``0 .. n-1``.
    vectorize : bool, optional
        Force the vmapped path (error if unsupported) or the loop; default:
        vmap when the trainer is vmappable.
    chunk : int, optional
        Seeds per vmapped batch (memory cap); default all at once.
    progress : bool
        Show a tqdm bar.
    executor, workers, scheduler, store, resume, new
        Models that cannot be vmapped run as a sweep of one task per seed
        (see :func:`qrand.sweep.run_sweep`): ``executor="processes"`` trains
        seeds in parallel. A ``store`` path makes the run resumable; with one,
        a vmappable model runs as a sweep too, one task per ``chunk`` of seeds.
        A plain function (no ``spec()``) runs in a serial loop.

    Returns
    -------
    list of TrainResult
        In the order of ``seeds``; each equal to ``train_fn(seed)``.
    """
    seeds = _normalise(seeds)
    can_vmap = bool(getattr(train_fn, "vmappable", False)) and hasattr(train_fn, "core")
    if vectorize and not can_vmap:
        raise QrandError(f"{getattr(train_fn, 'name', train_fn)!r} cannot be vmapped; use vectorize=False")
    use_vmap = can_vmap if vectorize is None else bool(vectorize)
    if hasattr(train_fn, "spec") and (not use_vmap or store is not None):
        from .seed_sweep import sweep_seeds

        results = sweep_seeds(train_fn, seeds, vmapped=use_vmap, chunk=chunk, executor=executor,
                              workers=workers, scheduler=scheduler, store=store, resume=resume, new=new,
                              progress=progress)
        train_fn.note(len(seeds))
        return results
    if not use_vmap:
        if executor != "serial" or store is not None or scheduler is not None:
            raise QrandError("executor and store need a trainer (an object with spec()), not a plain function")
        from tqdm.auto import tqdm

        return [train_fn(seed) for seed in tqdm(seeds, desc="seeds", disable=not progress)]
    return vmapped_runs(train_fn, seeds, chunk=chunk, progress=progress)


def vmapped_runs(trainer, seeds: Sequence[int | SeedTree], *, chunk: int | None = None,
                 progress: bool = False) -> list[TrainResult]:
    """The seeds of a vmappable trainer as ``jit(vmap(core))`` jobs of ``chunk`` seeds (default all)."""
    from tqdm.auto import tqdm

    size = len(seeds) if chunk is None else max(1, int(chunk))
    results: list[TrainResult] = []
    for start in tqdm(range(0, len(seeds), size), desc="seed batches", disable=not progress):
        block = seeds[start:start + size]
        began = time.perf_counter()
        prepared = [trainer.prepare(as_tree(seed)) for seed in block]
        stacked = {key: np.stack([p[key] for p in prepared]) for key in prepared[0]}
        outputs = trainer.execute(stacked, batched=True)
        seconds = (time.perf_counter() - began) / len(block)
        for i, seed in enumerate(block):
            results.append(trainer.finish(seed, prepared[i], {k: v[i] for k, v in outputs.items()}, seconds))
    trainer.note(len(seeds))
    return results


def results_frame(results: Iterable[TrainResult]):
    """One tidy row per run (see :meth:`TrainResult.summary`)."""
    import pandas as pd

    return pd.DataFrame([r.summary() for r in results])


def curves_frame(results: Iterable[TrainResult]):
    """Training curves in long form: model, seed, step, loss (plus shots/vary)."""
    import pandas as pd

    rows = []
    for r in results:
        head = r.summary()
        for step, loss in enumerate(np.asarray(r.losses)):
            rows.append({"model": head["model"], "dataset": head["dataset"], "seed": head["seed"],
                         "shots": head["shots"], "vary": head["vary"], "order": head["order"],
                         "step": step, "loss": float(loss)})
    return pd.DataFrame(rows)
