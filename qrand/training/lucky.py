"""Lucky-run analysis: how misleading one reported seed (or the best of k) can be.

Given one metric over N seeds: mean and a t confidence interval, the
percentile of any single reported run, and the expected best of k runs
(what reporting the best of k seeds inflates), computed exactly from the
empirical distribution: with sorted values ``v_1 <= ... <= v_N``, the best
of k drawn without replacement is ``v_i`` with probability
``C(i-1, k-1) / C(N, k)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import comb

import numpy as np

from ..errors import QrandError


def _values(values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).ravel()
    if array.size < 2 or not np.all(np.isfinite(array)):
        raise QrandError(f"need at least 2 finite values, got {array.size}")
    return array


def expected_best_of_k(values: Sequence[float], k: int) -> float:
    """Expected maximum of ``k`` runs drawn without replacement from ``values``."""
    array = np.sort(_values(values))
    n = array.size
    if not 1 <= int(k) <= n:
        raise QrandError(f"k must be in [1, {n}], got {k}")
    weights = np.array([comb(i, int(k) - 1) for i in range(n)], dtype=np.float64) / comb(n, int(k))
    return float(weights @ array)


def percentile_of(values: Sequence[float], reported: float) -> float:
    """Percentile (0-100, mid-rank for ties) of ``reported`` within ``values``."""
    array = _values(values)
    below, equal = np.sum(array < reported), np.sum(array == reported)
    return float(100.0 * (below + 0.5 * equal) / array.size)


def summarize(values: Sequence[float], *, reported: float | None = None, confidence: float = 0.95,
              bounds: tuple[float, float] | None = None) -> dict:
    """Mean, std, t confidence interval, min/median/max and (optionally) ``reported``'s percentile.

    ``bounds`` clips the interval to the metric's range (``(0, 1)`` for an accuracy).
    """
    from scipy import stats

    array = _values(values)
    if not 0 < confidence < 1:
        raise QrandError(f"confidence must be in (0, 1), got {confidence}")
    mean, std = float(array.mean()), float(array.std(ddof=1))
    half = float(stats.t.ppf(0.5 + confidence / 2, array.size - 1) * std / np.sqrt(array.size))
    low, high = mean - half, mean + half
    if bounds is not None:
        if len(bounds) != 2 or not float(bounds[0]) < float(bounds[1]):
            raise QrandError(f"bounds must be (low, high) with low < high, got {bounds!r}")
        low, high = max(low, float(bounds[0])), min(high, float(bounds[1]))
    out = {"n": int(array.size), "mean": mean, "std": std, "ci_low": low, "ci_high": high,
           "confidence": confidence, "min": float(array.min()), "median": float(np.median(array)),
           "max": float(array.max())}
    if reported is not None:
        out["reported"] = float(reported)
        out["reported_percentile"] = percentile_of(array, reported)
    return out


def best_of_k_curve(values: Sequence[float], ks: Sequence[int] | None = None):
    """Tidy frame: ``k``, expected best of k, and its inflation over the mean."""
    import pandas as pd

    array = _values(values)
    ks = list(range(1, array.size + 1)) if ks is None else [int(k) for k in ks]
    rows = [{"k": k, "expected_best": expected_best_of_k(array, k)} for k in ks]
    frame = pd.DataFrame(rows)
    frame["inflation"] = frame["expected_best"] - array.mean()
    return frame
