"""SP 800-22 binary matrix rank test (2.5) with GF(2) elimination run on all
matrices at once (rows bit-packed into uint64, XOR elimination vectorised
across matrices).
"""

from __future__ import annotations

import math

import numpy as np

from ._core import ALPHA, Bits, TestResult, check_int, not_applicable, result


def gf2_ranks(bits: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Ranks over GF(2) of the consecutive ``rows x cols`` matrices in ``bits``.

    Matrix k is filled row by row from bits ``k*rows*cols ...`` (as sts does);
    incomplete trailing bits are discarded. ``cols`` must be <= 64.
    """
    if cols > 64:
        raise ValueError("cols must be <= 64")
    n_mat = bits.size // (rows * cols)
    mats = bits[: n_mat * rows * cols].reshape(n_mat, rows, cols).astype(np.uint64)
    weights = np.uint64(1) << np.arange(cols - 1, -1, -1, dtype=np.uint64)
    packed = (mats * weights).sum(axis=2, dtype=np.uint64)  # (n_mat, rows)
    used = np.zeros((n_mat, rows), dtype=bool)
    rank = np.zeros(n_mat, dtype=np.int64)
    arange = np.arange(n_mat)
    for c in range(cols):
        bit = ((packed >> np.uint64(cols - 1 - c)) & np.uint64(1)).astype(bool)
        cand = bit & ~used
        has = cand.any(axis=1)
        pivot = cand.argmax(axis=1)
        pivot_row = packed[arange, pivot]
        clear = bit & has[:, None]
        clear[arange, pivot] = False
        packed ^= np.where(clear, pivot_row[:, None], np.uint64(0))
        used[arange[has], pivot[has]] = True
        rank += has
    return rank


def rank_probabilities(rows: int, cols: int) -> tuple[float, float, float]:
    """P(rank = min), P(rank = min - 1), P(rank <= min - 2) for random matrices (sts formula)."""
    def p_rank(r: int) -> float:
        product = 1.0
        for i in range(r):
            product *= ((1.0 - 2.0 ** (i - cols)) * (1.0 - 2.0 ** (i - rows))) / (1.0 - 2.0 ** (i - r))
        return 2.0 ** (r * (cols + rows - r) - rows * cols) * product

    full = min(rows, cols)
    p_full, p_minus1 = p_rank(full), p_rank(full - 1)
    return p_full, p_minus1, 1.0 - (p_full + p_minus1)


def rank(bits, *, rows: int = 32, cols: int = 32, alpha: float = ALPHA,
         strict: bool = True) -> list[TestResult]:
    """Binary matrix rank test on ``rows x cols`` matrices (sts default 32 x 32)."""
    b = Bits.of(bits)
    rows, cols = check_int("rows", rows, 2), check_int("cols", cols, 2)
    if cols > 64:
        return not_applicable("rank", None, f"cols must be <= 64, got {cols}")
    n_mat = b.n // (rows * cols)
    need = 38 if strict else 1
    if n_mat < need:
        return not_applicable("rank", None, f"needs >= {need} matrices of {rows}x{cols} "
                                            f"({need * rows * cols} bits), got n={b.n}")
    ranks = gf2_ranks(b.eps, rows, cols)
    full = min(rows, cols)
    f_full = int(np.count_nonzero(ranks == full))
    f_minus1 = int(np.count_nonzero(ranks == full - 1))
    observed = np.array([f_full, f_minus1, n_mat - f_full - f_minus1], dtype=float)
    expected = n_mat * np.array(rank_probabilities(rows, cols))
    chi2 = float(np.sum((observed - expected) ** 2 / expected))
    return [result("rank", None, chi2, math.exp(-chi2 / 2.0), alpha=alpha,
                   matrices=n_mat, counts=observed.astype(int).tolist())]
