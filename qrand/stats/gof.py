"""Pearson chi-square and G-tests: counts vs exact probabilities, and two samples.

* :func:`goodness_of_fit` tests observed counts against a probability vector
  (e.g. a sampled backend vs its exact distribution, or a noisy sample vs the
  ideal distribution).
* :func:`two_sample` tests whether two count vectors come from one
  distribution (a 2 x K contingency table).

Both pool sparse cells so the chi-square approximation holds: outcomes whose
expected count is below ``min_expected`` (default 5) are merged, smallest
first, into groups that each reach ``min_expected`` (see :func:`pool_cells`). Outcomes
with probability exactly zero are dropped, but observing one rejects outright
(statistic ``inf``, p-value 0). With fewer than two cells left the test has no
power: statistic 0, ``dof`` 0, p-value 1.

The G-test is anti-conservative for small samples (GHZ at 10 shots: size
0.11 at nominal 0.05), so by default its statistic is divided by Williams'
factor ``q = 1 + (k + 1) / (6 N)`` for ``k`` cells (goodness of fit) or
``q = 1 + (N sum 1/R_i - 1)(N sum 1/C_j - 1) / (6 N (r - 1)(c - 1))`` (two
samples); ``williams=False`` gives the textbook statistic. Leading axes broadcast (one test per
row); :class:`TestResult` then holds arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import QrandError
from ._common import align, as_array

METHODS = ("g", "pearson")


@dataclass(frozen=True)
class TestResult:
    """Statistic, degrees of freedom and p-value (floats, or arrays over leading axes)."""

    statistic: Any
    dof: Any
    pvalue: Any
    method: str

    __test__ = False  # not a pytest class


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise QrandError(f"unknown test method {method!r}; choose from {', '.join(METHODS)}")
    return method


def pool_cells(expected: np.ndarray, min_expected: float) -> np.ndarray:
    """Cell labels after pooling: ``-1`` for dropped outcomes (expected 0).

    Outcomes with an expected count below ``min_expected`` are taken in
    ascending order and grouped greedily; a group closes once its expected
    total reaches ``min_expected``, and a short last group joins the previous
    one (or the smallest large cell).
    """
    expected = np.asarray(expected, dtype=float)
    labels = np.full(expected.shape, -1, dtype=np.int64)
    live = np.flatnonzero(expected > 0)
    order = live[np.argsort(expected[live], kind="stable")]
    small = [i for i in order if expected[i] < min_expected]
    big = [i for i in order if expected[i] >= min_expected]
    groups, current, total = [], [], 0.0
    for index in small:
        current.append(index)
        total += expected[index]
        if total >= min_expected:
            groups.append(current)
            current, total = [], 0.0
    if current:
        if groups:
            groups[-1].extend(current)
        elif big:
            groups.append(current + [big.pop(0)])
        else:
            groups.append(current)
    groups.extend([i] for i in big)
    for label, group in enumerate(groups):
        labels[group] = label
    return labels


def _grouping(expected: np.ndarray, min_expected: float) -> tuple[np.ndarray, int]:
    """0/1 matrix (K x cells) summing outcomes into pooled cells, and the number of cells."""
    if expected.size <= 4096:  # the same (N, probs) recurs across seeds: cache small ones
        return _grouping_cached(expected.tobytes(), float(min_expected))
    return _grouping_of(expected, min_expected)


@lru_cache(maxsize=256)
def _grouping_cached(raw: bytes, min_expected: float) -> tuple[np.ndarray, int]:
    return _grouping_of(np.frombuffer(raw, dtype=float), min_expected)


def _grouping_of(expected: np.ndarray, min_expected: float) -> tuple[np.ndarray, int]:
    labels = pool_cells(expected, min_expected)
    n_cells = int(labels.max()) + 1
    grouping = np.zeros((len(expected), max(n_cells, 0)))
    grouping[labels >= 0, labels[labels >= 0]] = 1.0
    grouping.flags.writeable = False
    return grouping, n_cells


def _statistic(observed: np.ndarray, expected: np.ndarray, method: str) -> np.ndarray:
    if method == "pearson":
        return ((observed - expected) ** 2 / expected).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
    return 2.0 * terms.sum(axis=-1)


def _pvalue(statistic: np.ndarray, dof: np.ndarray) -> np.ndarray:
    from scipy.special import chdtrc  # chi-square survival function as a plain ufunc (fast)

    with np.errstate(invalid="ignore"):
        p = np.where(dof > 0, chdtrc(np.maximum(dof, 1), statistic), 1.0)
    return np.where(np.isinf(statistic), 0.0, p)


def _pack(stat: np.ndarray, dof: np.ndarray, method: str) -> TestResult:
    pvalue = _pvalue(stat, dof)
    if stat.ndim == 0:
        return TestResult(float(stat), int(dof), float(pvalue), method)
    return TestResult(stat, dof, pvalue, method)


def goodness_of_fit(observed: Any, probs: Any, *, method: str = "g",
                    min_expected: float = 5.0, williams: bool = True) -> TestResult:
    """Test counts against a probability vector (one test per row of ``observed``).

    Parameters
    ----------
    observed : counts, shape ``(..., K)`` or a ``{bitstring: count}`` mapping
    probs : exact probabilities, shape ``(K,)``
    method : ``"g"`` (likelihood ratio) or ``"pearson"``
    min_expected : pool outcomes whose expected count is below this
    williams : divide the G statistic by Williams' correction factor
    """
    _check_method(method)
    obs, q = align(observed, probs)
    if q.ndim != 1:
        raise QrandError("goodness_of_fit needs one probability vector (shape (K,))")
    q = q / q.sum()
    flat = obs.reshape(-1, obs.shape[-1])
    n = flat.sum(axis=-1)
    stat = np.zeros(len(flat))
    dof = np.zeros(len(flat), dtype=np.int64)
    impossible = (flat[:, q == 0] > 0).any(axis=-1)
    for total in np.unique(n):
        rows = np.flatnonzero(n == total)
        grouping, n_cells = _grouping(total * q, min_expected)
        if n_cells < 2:
            continue
        stat[rows] = _statistic(flat[rows] @ grouping, total * q @ grouping, method)
        if method == "g" and williams:
            stat[rows] /= 1.0 + (n_cells + 1) / (6.0 * total)
        dof[rows] = n_cells - 1
    stat = np.where(impossible, np.inf, stat)
    return _pack(stat.reshape(obs.shape[:-1]), dof.reshape(obs.shape[:-1]), method)


def two_sample(a: Any, b: Any, *, method: str = "g", min_expected: float = 5.0,
               williams: bool = True) -> TestResult:
    """Test whether two count vectors come from the same distribution (2 x K table).

    Outcomes are pooled by their expected count in the smaller sample
    (``min(N_a, N_b) * column_total / N``); dof = cells - 1.
    """
    _check_method(method)
    a, b = align(a, b)
    a, b = np.broadcast_arrays(a, b)
    shape = a.shape[:-1]
    fa, fb = a.reshape(-1, a.shape[-1]), b.reshape(-1, b.shape[-1])
    stat = np.zeros(len(fa))
    dof = np.zeros(len(fa), dtype=np.int64)
    for row in range(len(fa)):
        na, nb = fa[row].sum(), fb[row].sum()
        if na <= 0 or nb <= 0:
            raise QrandError("two_sample needs at least one count in each sample")
        column = fa[row] + fb[row]
        grouping, n_cells = _grouping_of(min(na, nb) * column / (na + nb), min_expected)
        if n_cells < 2:
            continue
        table = np.stack([fa[row] @ grouping, fb[row] @ grouping])
        expected = np.outer([na, nb], table.sum(axis=0)) / (na + nb)
        stat[row] = _statistic(table.ravel(), expected.ravel(), method)
        if method == "g" and williams:
            n, cols = na + nb, table.sum(axis=0)
            stat[row] /= 1.0 + (n * (1 / na + 1 / nb) - 1) * (n * np.sum(1 / cols) - 1) / (
                6.0 * n * (n_cells - 1))
        dof[row] = n_cells - 1
    return _pack(stat.reshape(shape), dof.reshape(shape), method)


def chi_square_test(observed: Any, probs: Any, **kwargs: Any) -> TestResult:
    """Pearson chi-square goodness of fit (:func:`goodness_of_fit` with ``method="pearson"``)."""
    return goodness_of_fit(observed, probs, method="pearson", **kwargs)


def g_test(observed: Any, probs: Any, **kwargs: Any) -> TestResult:
    """G-test (likelihood ratio) goodness of fit (:func:`goodness_of_fit` with ``method="g"``)."""
    return goodness_of_fit(observed, probs, method="g", **kwargs)


def power(pvalues: Any, alpha: float = 0.05) -> float:
    """Fraction of tests rejecting at level ``alpha`` (the empirical power across seeds)."""
    p = as_array(np.ravel(pvalues), "pvalues")
    if not 0 < alpha < 1:
        raise QrandError(f"alpha must be in (0, 1), got {alpha}")
    return float(np.mean(p < alpha))
