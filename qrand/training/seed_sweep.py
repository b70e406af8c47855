"""Many seeds of one model as a resumable sweep.

:func:`sweep_seeds` turns the seeds into tasks of
:func:`qrand.sweep.run_sweep`: a task's config holds the trainer's
:meth:`~qrand.training.engine.Trainer.spec` and one seed, which the task
trains with ``trainer(seed)``, or (for a vmappable model) a chunk of seeds,
trained as one vmapped job. Every result equals the seed's single run
whatever the executor (the task's own tree is not used). Results go through the sweep's
SQLite store, so a store given by the caller makes the run resumable; without
one a temporary store is used and removed.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import QrandError
from ..seeding.tree import SeedTree
from .engine import Trainer, TrainResult
from .models import trainer_from_spec
from .streams import as_tree

#: trainers already built in this process, by canonical spec (keeps compiled code and loaded data)
_TRAINERS: dict[str, Trainer] = {}


def seed_to_json(seed: int | SeedTree) -> Any:
    """An int seed as is; a tree as ``{"root": int, "path": [...]}``."""
    tree = as_tree(seed)
    return seed if not isinstance(seed, SeedTree) else {"root": tree.root, "path": list(tree.path)}


def seed_from_json(value: Any) -> int | SeedTree:
    """Inverse of :func:`seed_to_json`."""
    if isinstance(value, dict):
        return SeedTree(value["root"]).child(*value["path"])
    as_tree(value)  # validates
    return value


def _spec_key(spec: dict) -> str:
    from ..sweep.tasks import canonical_json

    return canonical_json(spec)


def train_task(config: dict, tree: SeedTree) -> dict:
    """Sweep task: train the ``seed`` (or the vmapped chunk of ``seeds``) in ``config`` (``tree`` unused)."""
    key = _spec_key(config["trainer"])
    if key not in _TRAINERS:
        _TRAINERS[key] = trainer_from_spec(config["trainer"])
    trainer = _TRAINERS[key]
    if "seeds" in config:
        from .runs import vmapped_runs

        return {"runs": [r.to_dict() for r in vmapped_runs(trainer, [seed_from_json(s) for s in config["seeds"]])]}
    return trainer(seed_from_json(config["seed"])).to_dict()


def sweep_seeds(trainer: Trainer, seeds: list[int | SeedTree], *, vmapped: bool = False,
                chunk: int | None = None, executor: str = "serial",
                workers: int | None = None, scheduler: str | None = None, store: str | os.PathLike | None = None,
                resume: bool = True, new: bool = False, progress: bool = False) -> list[TrainResult]:
    """Train every seed through :func:`qrand.sweep.run_sweep`.

    Parameters
    ----------
    trainer : Trainer
        Rebuilt in each worker from its ``spec()`` (in this process it is used as is).
    seeds : list of int or SeedTree
    vmapped, chunk : bool, int
        One task per seed, or (``vmapped``) one vmapped job per ``chunk``
        seeds (default: all seeds in one task).
    executor, workers, scheduler : see :func:`qrand.sweep.run_sweep`
    store : path, optional
        SQLite store (resumable); default a temporary one.
    resume, new, progress : see :func:`qrand.sweep.run_sweep`

    Returns
    -------
    list of TrainResult
        In the order of ``seeds``. Raises :class:`QrandError` naming the first
        failure when any seed failed (finished seeds stay in the store).
    """
    from ..sweep import SweepStore, run_sweep, task_key
    from ..sweep.tasks import error_summary

    spec = trainer.spec()
    trainer.dataset  # noqa: B018 - loaded here so its fingerprint lands in the caller's run record
    _TRAINERS[_spec_key(spec)] = trainer  # in this process, the caller's own object
    if vmapped:
        size = len(seeds) if chunk is None else max(1, int(chunk))
        groups = [seeds[i:i + size] for i in range(0, len(seeds), size)]
        configs = [{"trainer": spec, "seeds": [seed_to_json(s) for s in group]} for group in groups]
    else:
        groups = [[seed] for seed in seeds]
        configs = [{"trainer": spec, "seed": seed_to_json(seed)} for seed in seeds]
    with tempfile.TemporaryDirectory(prefix="qrand-seeds-") as scratch:
        path = Path(store) if store is not None else Path(scratch) / "seeds.sqlite"
        result = run_sweep(train_task, list({_spec_key(c): c for c in configs}.values()), [0], root=0,
                           name=f"multi_seed-{trainer.name}", store=path, executor=executor,
                           workers=workers, scheduler=scheduler, resume=resume, new=new, progress=progress)
        if result.failures:
            key, text = result.failures[0]
            kept = f" (finished seeds kept in {result.store_path})" if store is not None else ""
            what = "seed batches" if vmapped else "seeds"
            raise QrandError(f"{len(result.failures)} of {len(configs)} {what} failed{kept}; "
                             f"first: {error_summary(text)}")
        with SweepStore.open(result.store_path) as db:
            by_key = {row[0]: json.loads(row[3]) for row in db.result_rows()}
    results = []
    for config, group in zip(configs, groups):
        data = by_key[task_key(config, 0)]
        runs = data["runs"] if vmapped else [data]
        results += [TrainResult.from_dict(run, seed=seed, config=trainer.config) for run, seed in zip(runs, group)]
    return results
