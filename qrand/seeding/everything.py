"""``seed_everything``, ``scoped`` and the run's default JAX key.

``seed_everything`` seeds every library that is already imported and, through
post-import hooks, every installed one at the moment it is first imported. It
imports no framework itself. ``scoped`` does the same inside a ``with`` block
and restores every global state it touched in ``finally``.
"""

from __future__ import annotations

import os
import sys
import warnings
from contextlib import contextmanager

from . import determinism, hooks, record, registry
from .sources import pythonhashseed
from .tree import SeedTree

_fork_hook_installed = False
_fork_counter = 0


def _seed_one(name: str, seed: int) -> None:
    registry.source(name).seed(seed)



def _check_hashseed(tree: SeedTree, rec: record.RunRecord) -> None:
    wanted = str(registry.derive(tree, "pythonhashseed"))
    effective = pythonhashseed.current()
    rec.extra["pythonhashseed"] = {"effective": effective, "derived": int(wanted)}
    if effective != wanted:
        message = (f"PYTHONHASHSEED is {effective} in this interpreter (derived {wanted}); it cannot "
                   "change after start-up: set/iterate order of str may differ between runs "
                   "(qrand run sets it for the child)")
        rec.warn(message)


def seed_everything(seed=None, *, deterministic: bool = False, libraries=None) -> SeedTree:
    """Seed every random source from one tree and return the tree.

    Parameters
    ----------
    seed : int, SeedTree or None
        Root seed; ``None`` draws 128 bits of OS entropy (recorded).
    deterministic : bool
        Also turn on deterministic algorithms (torch, TF, cuBLAS, XLA).
    libraries : list of str, optional
        Only these sources (names as in ``qrand seed``); default all.

    Notes
    -----
    Libraries imported later are seeded when first imported. Each library's
    seed comes from its well-known child path (``("numpy",)``, ``("torch",)``
    ...), generated at the width that library accepts.
    """
    tree = seed if isinstance(seed, SeedTree) else SeedTree(seed)
    names = registry.select(libraries)
    rec = record.reset(tree, deterministic=deterministic)
    hooks.restore({})
    for name, value in registry.derived_seeds(tree, names).items():
        rec.note_seed(name, value)
        module = registry.source(name)
        if name == "jax":
            continue
        if registry.loaded(module):
            module.seed(value)
        elif module.available():
            hooks.when_imported(module.MODULE, lambda _m, n=name, v=value: _seed_one(n, v))
    if "pythonhashseed" in names:
        _check_hashseed(tree, rec)
    if deterministic:
        determinism.apply()
    _install_fork_hook()
    return tree


def jax_key(*path):
    """The run's JAX key: ``tree.child("jax", *path).jax_key()`` of the current run.

    JAX has no global state, so this is qrand's default key; split or
    ``fold_in`` it as usual. Raises if ``seed_everything`` has not been called.
    """
    tree = record.current().tree
    if tree is None:
        from ..errors import QrandError

        raise QrandError("no run seed yet: call qrand.seed_everything(seed) first")
    return tree.child("jax", *path).jax_key()


# -- fork safety ---------------------------------------------------------------

def _after_fork_in_parent() -> None:
    global _fork_counter
    _fork_counter += 1


def _after_fork_in_child() -> None:
    """A forked child gets its own streams: tree.child("fork", n) for the n-th fork."""
    tree = record.current().tree
    if tree is None:
        return
    child = tree.child("fork", _fork_counter)
    for name in ("python", "numpy", "torch"):
        module = registry.source(name)
        if registry.loaded(module):
            module.seed(registry.derive(child, name))


def _install_fork_hook() -> None:
    """Reseed forked children; the n-th fork after ``seed_everything`` gets child n."""
    global _fork_hook_installed, _fork_counter
    _fork_counter = 0
    if not _fork_hook_installed and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child)
        _fork_hook_installed = True


# -- scoped --------------------------------------------------------------------

def _collect_rng_states() -> dict[str, object]:
    states = {}
    for name in registry.SOURCE_MODULES:
        module = registry.source(name)
        if registry.loaded(module):
            try:
                states[name] = module.get_state()
            except Exception as exc:  # pragma: no cover - a library's internals moved
                warnings.warn(f"qrand: cannot snapshot {name}: {exc}", RuntimeWarning, stacklevel=3)
    return states


def _set_rng_states(states: dict[str, object]) -> None:
    for name, state in states.items():
        module = registry.source(name)
        if registry.loaded(module):  # a test may have blocked the library meanwhile
            module.set_state(state)


@contextmanager
def scoped(seed=None, *, deterministic: bool = False, libraries=None):
    """Seed everything inside a ``with`` block; restore every global RNG state after.

    Restores Python, NumPy, torch, TensorFlow, Keras and Qiskit state (and the
    run record and pending import hooks) in ``finally``, also on exceptions.
    Nests. Yields the :class:`SeedTree`.
    """
    states = _collect_rng_states()
    saved_hooks = hooks.pending()
    saved_env = {name: os.environ.get(name) for name in [*determinism.ENV, "XLA_FLAGS"]}
    saved_record = record.swap(record.RunRecord())
    try:
        yield seed_everything(seed, deterministic=deterministic, libraries=libraries)
    finally:
        hooks.restore(saved_hooks)
        _set_rng_states(states)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        record.swap(saved_record)
