"""Named random streams of a training run, and which ones a run varies.

Every random choice of a training run comes from its own child of the seed
tree, so each source of randomness can be varied alone. The child paths are
part of the manifest contract (changing one is a breaking change):

=========  ==========================================  ======================
factor     child path (relative to the factor's tree)  drives
=========  ==========================================  ======================
data       ``("data",)``                               synthetic data (moons, circles)
split      ``("split",)``                              train/test split
init       ``("init",)``                               initial parameters
shuffle    ``("shuffle",)``, ``("shuffle", epoch)``    epoch order, minibatches, DataLoader
dropout    ``("dropout",)``                            dropout masks
shots      ``("device", NAME, "exec", k)``             shot noise of execution ``k``
=========  ==========================================  ======================

"Vary factor F" means: F's child comes from the run's tree while every other
factor's child comes from one fixed *base* tree. Varying ``all`` takes every
factor from the run's tree. The data factor is held at the base tree unless
named explicitly, so the dataset itself stays fixed across seeds.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

from ..errors import QrandError
from ..seeding.tree import SeedTree

#: factors a run can vary, in report order
FACTORS = ("init", "split", "shuffle", "dropout", "shots")
#: every named stream, including the dataset generator
STREAMS = ("data",) + FACTORS
#: root of the fixed base tree when the caller gives none
DEFAULT_BASE = 0


def as_tree(seed: int | SeedTree) -> SeedTree:
    """``seed`` as a :class:`SeedTree` (ints become roots)."""
    if isinstance(seed, SeedTree):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return SeedTree(int(seed))
    raise QrandError(f"a seed must be an int or a SeedTree, got {type(seed).__name__} {seed!r}")


def parse_vary(vary: str | Iterable[str] | None) -> tuple[str, ...]:
    """Normalise a ``vary`` spec (``"all"``, ``"init,split"``, a list) to a tuple of factors."""
    if vary is None:
        return FACTORS
    if isinstance(vary, str):
        vary = [v.strip() for v in vary.split(",") if v.strip()]
    names = tuple(dict.fromkeys(vary))
    if "all" in names:
        return FACTORS + tuple(n for n in names if n == "data")
    unknown = [n for n in names if n not in STREAMS]
    if unknown or not names:
        raise QrandError(f"unknown factor(s) {unknown or names!r}: choose from {', '.join(STREAMS)} or all")
    return names


def factor_trees(seed: int | SeedTree, vary: str | Iterable[str] | None = None,
                 base: int | SeedTree = DEFAULT_BASE) -> dict[str, SeedTree]:
    """The tree of each named stream for one run.

    Parameters
    ----------
    seed : int or SeedTree
        The run's seed (its tree).
    vary : str or iterable of str, optional
        Factors taken from the run's tree (default: all of :data:`FACTORS`).
    base : int or SeedTree
        Tree the other factors come from (fixed across runs).

    Returns
    -------
    dict
        ``{stream: tree.child(stream)}`` for every name in :data:`STREAMS`;
        ``"shots"`` maps to the run/base tree itself because shot noise
        follows the execution-seed rule ``tree.child("device", NAME, "exec", k)``.
    """
    run, fixed, varied = as_tree(seed), as_tree(base), parse_vary(vary)
    out = {}
    for name in STREAMS:
        tree = run if name in varied else fixed
        out[name] = tree if name == "shots" else tree.child(name)
    return out


def exec_tree(shots_tree: SeedTree, device: str, k: int) -> SeedTree:
    """The execution-seed rule: execution ``k`` of device ``device``."""
    return shots_tree.child("device", device, "exec", int(k))
