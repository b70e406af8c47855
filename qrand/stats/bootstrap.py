"""Seeded bootstrap confidence intervals (a thin, reproducible wrapper of SciPy's).

The resampling generator comes from a :class:`~qrand.SeedTree`, an int root or a
``numpy.random.Generator``, so the interval is the same in every process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..errors import QrandError
from ._common import as_generator

METHODS = ("percentile", "basic", "bca")


@dataclass(frozen=True)
class BootstrapCI:
    """A point estimate with its bootstrap interval."""

    estimate: float
    low: float
    high: float
    standard_error: float
    confidence: float
    method: str


def bootstrap_ci(data: Any, statistic: Callable[..., Any] = np.mean, *, seed: Any,
                 confidence: float = 0.95, n_resamples: int = 2000,
                 method: str = "percentile") -> BootstrapCI:
    """Bootstrap confidence interval of ``statistic`` over the 1-D sample ``data``.

    Parameters
    ----------
    data : 1-D array of observations (e.g. one estimate per seed)
    statistic : vectorised function ``f(x, axis=-1)`` (``np.mean``, ``np.std``, ...)
    seed : SeedTree, int root or Generator (required: an interval must replay)
    method : ``"percentile"``, ``"basic"`` or ``"bca"``
    """
    from scipy.stats import bootstrap

    if method not in METHODS:
        raise QrandError(f"unknown bootstrap method {method!r}; choose from {', '.join(METHODS)}")
    if not 0 < confidence < 1:
        raise QrandError(f"confidence must be in (0, 1), got {confidence}")
    x = np.asarray(data, dtype=float).ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        raise QrandError("bootstrap needs at least two finite observations")
    res = bootstrap((x,), statistic, n_resamples=int(n_resamples), confidence_level=confidence,
                    method=method, rng=as_generator(seed), vectorized=True)
    return BootstrapCI(float(statistic(x, axis=-1)), float(res.confidence_interval.low),
                       float(res.confidence_interval.high), float(res.standard_error),
                       confidence, method)
