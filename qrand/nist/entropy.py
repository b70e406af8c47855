"""SP 800-22 tests on overlapping m-bit pattern frequencies (cyclic):
serial (2.11, two P-values) and approximate entropy (2.12).
"""

from __future__ import annotations

import math

import numpy as np

from ._core import ALPHA, Bits, TestResult, check_int, igamc, not_applicable, result


def pattern_counts(bits, m: int) -> np.ndarray:
    """Counts of the 2**m cyclic overlapping m-bit patterns (index = pattern code)."""
    b = Bits.of(bits)
    return np.bincount(b.codes(m, wrap=True).astype(np.int64), minlength=1 << m)


def _psi2(b: Bits, m: int) -> float:
    if m <= 0:
        return 0.0
    counts = pattern_counts(b, m).astype(np.float64)
    return float(np.dot(counts, counts)) * 2.0 ** m / b.n - b.n


def _phi(b: Bits, m: int) -> float:
    if m <= 0:
        return 0.0
    counts = pattern_counts(b, m)
    counts = counts[counts > 0].astype(np.float64)
    return float(np.sum(counts * np.log(counts / b.n)) / b.n)


def serial(bits, *, m: int = 16, alpha: float = ALPHA, strict: bool = True) -> list[TestResult]:
    """Serial test with pattern length ``m`` (sts default 16); variants ``p1`` and ``p2``."""
    b = Bits.of(bits)
    m = check_int("m", m, 2)
    limit = int(math.floor(math.log2(b.n))) - 2
    if m > 25 or (strict and m >= limit):
        return not_applicable("serial", ["p1", "p2"],
                              f"needs m < floor(log2 n) - 2 = {limit} and m <= 25 (got m={m}, n={b.n})")
    psi0, psi1, psi2 = _psi2(b, m), _psi2(b, m - 1), _psi2(b, m - 2)
    del1 = psi0 - psi1
    del2 = psi0 - 2.0 * psi1 + psi2
    return [result("serial", "p1", del1, igamc(2.0 ** (m - 1) / 2, del1 / 2.0), alpha=alpha, m=m),
            result("serial", "p2", del2, igamc(2.0 ** (m - 2) / 2, del2 / 2.0), alpha=alpha, m=m)]


def approximate_entropy(bits, *, m: int = 10, alpha: float = ALPHA, strict: bool = True) -> list[TestResult]:
    """Approximate entropy test with block length ``m`` (sts default 10)."""
    b = Bits.of(bits)
    m = check_int("m", m, 1)
    limit = int(math.floor(math.log2(b.n))) - 5
    if m > 24 or (strict and m >= limit):
        return not_applicable("approximate_entropy", None,
                              f"needs m < floor(log2 n) - 5 = {limit} and m <= 24 (got m={m}, n={b.n})")
    apen = _phi(b, m) - _phi(b, m + 1)
    chi2 = 2.0 * b.n * (math.log(2) - apen)
    return [result("approximate_entropy", None, chi2, igamc(2.0 ** (m - 1), chi2 / 2.0), alpha=alpha,
                   apen=apen, m=m)]
