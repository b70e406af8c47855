"""Many seeds of a model that cannot be vmapped, as a resumable sweep.

:func:`sweep_seeds` turns each seed into one task of
:func:`qrand.sweep.run_sweep`: the task's config holds the trainer's
:meth:`~qrand.training.engine.Trainer.spec` and the seed, and the task runs
``trainer(seed)``, so every result equals the seed's single run whatever the
executor (the task's own tree is not used). Results go through the sweep's
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
    return json.dumps(spec, sort_keys=True)


def train_task(config: dict, tree: SeedTree) -> dict:
    """Sweep task: ``trainer(seed)`` for the spec and seed in ``config`` (``tree`` unused)."""
    key = _spec_key(config["trainer"])
    if key not in _TRAINERS:
        _TRAINERS[key] = trainer_from_spec(config["trainer"])
    return _TRAINERS[key](seed_from_json(config["seed"])).to_dict()


def sweep_seeds(trainer: Trainer, seeds: list[int | SeedTree], *, executor: str = "serial",
                workers: int | None = None, scheduler: str | None = None, store: str | os.PathLike | None = None,
                resume: bool = True, new: bool = False, progress: bool = False) -> list[TrainResult]:
    """Run ``trainer(seed)`` for every seed through :func:`qrand.sweep.run_sweep`.

    Parameters
    ----------
    trainer : Trainer
        Rebuilt in each worker from its ``spec()`` (in this process it is used as is).
    seeds : list of int or SeedTree
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
    configs = [{"trainer": spec, "seed": seed_to_json(seed)} for seed in seeds]
    with tempfile.TemporaryDirectory(prefix="qrand-seeds-") as scratch:
        path = Path(store) if store is not None else Path(scratch) / "seeds.sqlite"
        result = run_sweep(train_task, list({_spec_key(c): c for c in configs}.values()), [0], root=0,
                           name=f"multi_seed-{trainer.name}", store=path, executor=executor,
                           workers=workers, scheduler=scheduler, resume=resume, new=new, progress=progress)
        if result.failures:
            key, text = result.failures[0]
            kept = f" (finished seeds kept in {result.store_path})" if store is not None else ""
            raise QrandError(f"{len(result.failures)} of {len(configs)} seeds failed{kept}; "
                             f"first: {error_summary(text)}")
        with SweepStore.open(result.store_path) as db:
            by_key = {row[0]: json.loads(row[3]) for row in db.result_rows()}
    return [TrainResult.from_dict(by_key[task_key(c, 0)], seed=seed, config=trainer.config)
            for c, seed in zip(configs, seeds)]
