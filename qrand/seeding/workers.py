"""Seeding for worker processes: torch DataLoader workers and process pools.

Each worker gets ``tree.child("worker", i)``; in a process pool
(:func:`pool_initializer`), ``i`` counts the pool's workers as they start. A DataLoader re-creates its
workers every epoch with the same ids, so the worker's node also includes
torch's per-epoch base seed (drawn from the loader's seeded generator): epochs
differ, runs repeat. Forked children of a seeded process are reseeded from
``tree.child("fork", n)`` automatically (see ``seed_everything``).
"""

from __future__ import annotations

import multiprocessing
import sys

from . import record, registry
from .tree import SeedTree


class WorkerSeeder:
    """Picklable ``worker_init_fn``/pool initializer seeding Python, NumPy (and torch).

    Parameters
    ----------
    tree : SeedTree or None
        Parent node; ``None`` uses the current run's tree (inherited by fork).
    """

    def __init__(self, tree: SeedTree | None = None):
        self.tree = tree

    def node(self, worker_id: int) -> SeedTree:
        """The node worker ``worker_id`` draws from."""
        tree = self.tree or record.current().tree
        if tree is None:
            tree = SeedTree(0)
        node = tree.child("worker", int(worker_id))
        torch = sys.modules.get("torch")
        if torch is not None and torch.utils.data.get_worker_info() is not None:
            base = torch.initial_seed() - int(worker_id)  # the loader's per-epoch base seed
            node = node.child(base & 0x7FFFFFFF, (base >> 31) & 0x7FFFFFFF, base >> 62)
        return node

    def __call__(self, worker_id: int) -> None:
        node = self.node(worker_id)
        for name in ("python", "numpy"):
            module = registry.source(name)
            if registry.loaded(module):
                module.seed(registry.derive(node, name))
        torch = sys.modules.get("torch")
        if torch is not None and torch.utils.data.get_worker_info() is None:
            registry.source("torch").seed(registry.derive(node, "torch"))

    def __repr__(self) -> str:
        return f"WorkerSeeder({self.tree!r})"


def _seed_pool_worker(seeder: WorkerSeeder, counter) -> None:
    with counter.get_lock():
        index = counter.value
        counter.value += 1
    seeder(index)


def pool_initializer(tree: SeedTree, context=None) -> tuple:
    """``(initializer, initargs)`` for ``multiprocessing.Pool`` / ``ProcessPoolExecutor``.

    Example: ``init, args = pool_initializer(tree, ctx)`` then
    ``ProcessPoolExecutor(2, mp_context=ctx, initializer=init, initargs=args)``.
    """
    ctx = context or multiprocessing.get_context()
    return _seed_pool_worker, (WorkerSeeder(tree), ctx.Value("i", 0))


def worker_init_fn(worker_id: int) -> None:
    """Drop-in ``DataLoader(worker_init_fn=...)`` using the current run's tree."""
    WorkerSeeder()(worker_id)


def dataloader_kwargs(tree: SeedTree) -> dict:
    """``generator`` and ``worker_init_fn`` for a reproducible ``torch.utils.data.DataLoader``."""
    return {"generator": tree.child("dataloader").torch_generator(),
            "worker_init_fn": WorkerSeeder(tree.child("dataloader"))}
