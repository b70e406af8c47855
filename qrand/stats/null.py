"""Shot-noise null baselines: how far apart are samples of the *same* distribution?

A distance between a noisy sample and the ideal distribution means nothing on
its own: at ``N`` shots two samples of one distribution already differ. For a
distribution ``p``, :func:`null_distance` draws (vectorised multinomials)

* ``kind="one-sample"``: the distance between an ``N``-shot sample and ``p``;
* ``kind="two-sample"``: the distance between two independent ``N``-shot samples,

and reports its mean, spread and a quantile band. A difference larger than the
band's upper quantile is more than shot noise. :func:`expected_tvd` is the
large-``N`` normal approximation
``E[TVD] ~ 1/2 sum sqrt(2 c p_i (1 - p_i) / (pi N))`` with ``c = 1`` (one
sample) or ``2`` (two samples); it is accurate when every ``N p_i`` is large.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..errors import QrandError
from ._common import as_generator, clean_probabilities, multinomial
from .distances import get_distance

KINDS = ("one-sample", "two-sample")


def _check_kind(kind: str) -> int:
    if kind not in KINDS:
        raise QrandError(f"unknown null kind {kind!r}; choose from {', '.join(KINDS)}")
    return 1 if kind == "one-sample" else 2


def expected_tvd(probs: Any, shots: Any, *, kind: str = "one-sample") -> Any:
    """Normal approximation of the expected TVD under shot noise alone (see module docstring)."""
    c = _check_kind(kind)
    p = clean_probabilities(probs)
    n = np.asarray(shots, dtype=float)
    value = 0.5 * np.sqrt(2 * c / (np.pi * n[..., None])) * np.sqrt(p * (1 - p))
    out = value.sum(axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def null_distance(probs: Any, shots: Iterable[int], *, seed: Any, distance: str = "tvd",
                  kind: str = "two-sample", draws: int = 1000,
                  quantiles: tuple[float, float] = (0.025, 0.975)):
    """Monte-Carlo distribution of ``distance`` under shot noise alone, per shot count.

    Parameters
    ----------
    probs : the distribution (exact probabilities, shape ``(K,)``)
    shots : shot counts
    seed : SeedTree, int root or Generator (a SeedTree gets one child per shot count)
    distance : a name from :data:`qrand.stats.DISTANCES`
    kind : ``"one-sample"`` or ``"two-sample"``
    draws : Monte-Carlo repetitions per shot count
    quantiles : the band reported as ``low`` and ``high``

    Returns
    -------
    pandas.DataFrame
        Columns ``distance, kind, shots, mean, std, low, high, draws``.
    """
    import pandas as pd

    from ..seeding.tree import SeedTree

    _check_kind(kind)
    fn = get_distance(distance)
    p = clean_probabilities(probs)
    if int(draws) < 2:
        raise QrandError(f"draws must be >= 2, got {draws}")
    rows = []
    base = seed if isinstance(seed, SeedTree) else None
    shared = None if base is not None else as_generator(seed)
    for n in shots:
        rng = base.child("null", distance, kind, int(n)).numpy() if base is not None else shared
        a = multinomial(rng, p, n, size=int(draws))
        b = p if kind == "one-sample" else multinomial(rng, p, n, size=int(draws))
        d = np.asarray(fn(a, b))
        lo, hi = np.quantile(d, quantiles)
        rows.append({"distance": distance, "kind": kind, "shots": int(n), "mean": float(d.mean()),
                     "std": float(d.std(ddof=1)), "low": float(lo), "high": float(hi),
                     "draws": int(draws)})
    return pd.DataFrame(rows)
