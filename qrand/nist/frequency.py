"""SP 800-22 tests on counts of ones and runs: frequency (2.1), block
frequency (2.2), runs (2.3), longest run of ones (2.4), cumulative sums (2.13).

Each function takes bits (array, bytes, str or :class:`~qrand.nist._core.Bits`)
and returns a list of :class:`~qrand.nist._core.TestResult`, one per variant.
``strict=True`` applies NIST's recommended minimum input sizes; ``strict=False``
keeps only what the computation needs (to reproduce the document's small
worked examples).
"""

from __future__ import annotations

import math

import numpy as np

from ._core import ALPHA, Bits, TestResult, c_div, check_int, erfc, igamc, not_applicable, result


def frequency(bits, *, alpha: float = ALPHA, strict: bool = True) -> list[TestResult]:
    """Frequency (monobit) test: P = erfc(|S_n| / sqrt(2n))."""
    b = Bits.of(bits)
    if strict and b.n < 100:
        return not_applicable("frequency", None, f"needs n >= 100 bits, got {b.n}")
    s = 2 * b.ones() - b.n
    s_obs = abs(s) / math.sqrt(b.n)
    return [result("frequency", None, s_obs, erfc(s_obs / math.sqrt(2)), alpha=alpha, sum=s)]


def block_frequency(bits, *, block_size: int = 128, alpha: float = ALPHA,
                    strict: bool = True) -> list[TestResult]:
    """Frequency within blocks of ``block_size`` bits (sts default M=128)."""
    b = Bits.of(bits)
    m = check_int("block_size", block_size)
    n_blocks = b.n // m
    if n_blocks < 1:
        return not_applicable("block_frequency", None, f"needs at least one block of {m} bits, got n={b.n}")
    if strict and (b.n < 100 or m < 20):
        return not_applicable("block_frequency", None,
                              f"needs n >= 100 and block_size >= 20 (got n={b.n}, M={m})")
    sums = b.eps[: n_blocks * m].reshape(n_blocks, m).sum(axis=1, dtype=np.int64)
    pi = sums / m
    chi2 = 4.0 * m * float(np.sum((pi - 0.5) ** 2))
    return [result("block_frequency", None, chi2, igamc(n_blocks / 2.0, chi2 / 2.0), alpha=alpha,
                   blocks=n_blocks, block_size=m)]


def runs(bits, *, alpha: float = ALPHA, strict: bool = True) -> list[TestResult]:
    """Runs test; P = 0 when the frequency pre-test |pi - 1/2| >= 2/sqrt(n) fails (as sts)."""
    b = Bits.of(bits)
    if strict and b.n < 100:
        return not_applicable("runs", None, f"needs n >= 100 bits, got {b.n}")
    if b.n < 2:
        return not_applicable("runs", None, f"needs at least 2 bits, got {b.n}")
    pi = b.ones() / b.n
    if abs(pi - 0.5) > 2.0 / math.sqrt(b.n):
        return [result("runs", None, None, 0.0, alpha=alpha, pi=pi, pretest="failed")]
    eps = b.eps
    v_obs = 1 + int(np.count_nonzero(eps[1:] != eps[:-1]))
    arg = abs(v_obs - 2.0 * b.n * pi * (1 - pi)) / (2.0 * pi * (1 - pi) * math.sqrt(2 * b.n))
    return [result("runs", None, float(v_obs), erfc(arg), alpha=alpha, pi=pi)]


#: block length -> (class boundaries v_0..v_K, class probabilities), as in sts-2.1.2
LONGEST_RUN_TABLES = {
    8: ((1, 2, 3, 4), (0.21484375, 0.3671875, 0.23046875, 0.1875)),
    128: ((4, 5, 6, 7, 8, 9), (0.1174035788, 0.242955959, 0.249363483, 0.17517706,
                               0.102701071, 0.112398847)),
    10000: ((10, 11, 12, 13, 14, 15, 16), (0.0882, 0.2092, 0.2483, 0.1933, 0.1208, 0.0675, 0.0727)),
}
_LONGEST_RUN_MIN_N = {8: 128, 128: 6272, 10000: 750000}


def longest_run_per_block(eps: np.ndarray, m: int) -> np.ndarray:
    """Longest run of ones in each complete ``m``-bit block."""
    n_blocks = eps.size // m
    blocks = eps[: n_blocks * m].reshape(n_blocks, m)
    idx = np.broadcast_to(np.arange(1, m + 1, dtype=np.int32), blocks.shape)
    last_zero = np.maximum.accumulate(np.where(blocks == 0, idx, 0), axis=1)
    return (idx - last_zero).max(axis=1)


def longest_run(bits, *, block_size: int | None = None, alpha: float = ALPHA,
                strict: bool = True) -> list[TestResult]:
    """Longest run of ones in blocks; M = 8, 128 or 10000 chosen from n as sts does."""
    b = Bits.of(bits)
    if block_size is None:
        if b.n < 128:
            return not_applicable("longest_run", None, f"needs n >= 128 bits, got {b.n}")
        m = 8 if b.n < 6272 else 128 if b.n < 750000 else 10000
    else:
        m = check_int("block_size", block_size)
        if m not in LONGEST_RUN_TABLES:
            return not_applicable("longest_run", None,
                                  f"block_size must be one of {sorted(LONGEST_RUN_TABLES)}, got {m}")
    need = _LONGEST_RUN_MIN_N[m] if strict else m
    if b.n < need:
        return not_applicable("longest_run", None, f"M={m} needs n >= {need} bits, got {b.n}")
    v, probs = LONGEST_RUN_TABLES[m]
    longest = longest_run_per_block(b.eps, m)
    classes = np.clip(longest, v[0], v[-1]) - v[0]
    nu = np.bincount(classes, minlength=len(v))
    n_blocks = longest.size
    expected = n_blocks * np.asarray(probs)
    chi2 = float(np.sum((nu - expected) ** 2 / expected))
    return [result("longest_run", None, chi2, igamc((len(v) - 1) / 2.0, chi2 / 2.0), alpha=alpha,
                   block_size=m, counts=nu.tolist())]


def _cusum_p_value(z: int, n: int) -> float:
    """sts-2.1.2's cumulative-sums P-value for maximum excursion ``z`` (C int division)."""
    from scipy.special import ndtr

    if z == 0:
        return 1.0
    sq = math.sqrt(n)
    k1 = np.arange(c_div(c_div(-n, z) + 1, 4), c_div(c_div(n, z) - 1, 4) + 1)
    k2 = np.arange(c_div(c_div(-n, z) - 3, 4), c_div(c_div(n, z) - 1, 4) + 1)
    sum1 = np.sum(ndtr((4 * k1 + 1) * z / sq) - ndtr((4 * k1 - 1) * z / sq))
    sum2 = np.sum(ndtr((4 * k2 + 3) * z / sq) - ndtr((4 * k2 + 1) * z / sq))
    return float(1.0 - sum1 + sum2)


def cumulative_sums(bits, *, alpha: float = ALPHA, strict: bool = True) -> list[TestResult]:
    """Cumulative sums, ``forward`` and ``reverse`` variants."""
    b = Bits.of(bits)
    if strict and b.n < 100:
        return not_applicable("cumulative_sums", ["forward", "reverse"], f"needs n >= 100 bits, got {b.n}")
    walk = b.walk
    final = int(walk[-1])
    sup = max(0, int(walk.max()))
    inf = min(0, int(walk.min()))
    z_fwd = max(sup, -inf)
    z_rev = max(sup - final, final - inf)
    return [result("cumulative_sums", variant, z, _cusum_p_value(z, b.n), alpha=alpha)
            for variant, z in (("forward", z_fwd), ("reverse", z_rev))]
