"""SP 800-22 linear complexity test (2.10) with Berlekamp-Massey run on all
blocks in lockstep.

Each block's connection polynomial C(x), its shifted predecessor x^(n-m)B(x)
and the reversed window of the block's bits are bit-packed into uint64 words
(bit i = coefficient of x^i); one step of Berlekamp-Massey is then a handful
of whole-array operations over every block at once.
"""

from __future__ import annotations

import numpy as np

from ._core import ALPHA, Bits, TestResult, check_int, igamc, not_applicable, result

#: class probabilities as sts-2.1.2 hard-codes them (pi_0 rounded to 0.01047)
LINEAR_COMPLEXITY_PROBS = (0.01047, 0.03125, 0.12500, 0.50000, 0.25000, 0.06250, 0.020833)

_ONE = np.uint64(1)
_SHIFT63 = np.uint64(63)


def _shift_left(words: np.ndarray) -> np.ndarray:
    """Multiply every packed polynomial (rows of ``words``) by x."""
    out = words << _ONE
    out[:, 1:] |= words[:, :-1] >> _SHIFT63
    return out


def _parity(words: np.ndarray) -> np.ndarray:
    """Parity of the set bits of each row (XOR of the words, then folded), as bool."""
    x = np.bitwise_xor.reduce(words, axis=1)
    for shift in (32, 16, 8, 4, 2, 1):
        x ^= x >> np.uint64(shift)
    return (x & _ONE).astype(bool)


def linear_complexities(bits: np.ndarray, block_size: int) -> np.ndarray:
    """Linear complexity (Berlekamp-Massey over GF(2)) of each complete block."""
    n_blocks = bits.size // block_size
    blocks = bits[: n_blocks * block_size].reshape(n_blocks, block_size).astype(np.uint64)
    n_words = block_size // 64 + 1  # room for coefficients 0..block_size
    conn = np.zeros((n_blocks, n_words), dtype=np.uint64)
    conn[:, 0] = _ONE
    shifted_b = np.zeros_like(conn)
    shifted_b[:, 0] = np.uint64(2)  # x * B(x) with B = 1, m = -1
    window = np.zeros_like(conn)  # bit i = s[n - i]
    length = np.zeros(n_blocks, dtype=np.int64)
    for step in range(block_size):
        window = _shift_left(window)
        window[:, 0] |= blocks[:, step]
        d = _parity(conn & window)
        change = d & (2 * length <= step)
        d_mask = np.where(d, ~np.uint64(0), np.uint64(0))[:, None]
        c_mask = np.where(change, ~np.uint64(0), np.uint64(0))[:, None]
        new_conn = conn ^ (shifted_b & d_mask)
        shifted_b = _shift_left((conn & c_mask) | (shifted_b & ~c_mask))
        length = np.where(change, step + 1 - length, length)
        conn = new_conn
    return length


def linear_complexity(bits, *, block_size: int = 500, alpha: float = ALPHA,
                      strict: bool = True) -> list[TestResult]:
    """Linear complexity test with blocks of ``block_size`` bits (sts default M=500)."""
    b = Bits.of(bits)
    m = check_int("block_size", block_size, 2)
    n_blocks = b.n // m
    if n_blocks < 1:
        return not_applicable("linear_complexity", None, f"needs at least one block of {m} bits, got n={b.n}")
    if strict and not (500 <= m <= 5000 and n_blocks >= 200):
        return not_applicable("linear_complexity", None,
                              f"needs 500 <= M <= 5000 and N >= 200 blocks (got M={m}, N={n_blocks})")
    lengths = linear_complexities(b.eps, m)
    sign = 1.0 if (m + 1) % 2 else -1.0
    mean = m / 2.0 + (9.0 + sign) / 36.0 - 1.0 / 2.0 ** m * (m / 3.0 + 2.0 / 9.0)
    t = (1.0 if m % 2 == 0 else -1.0) * (lengths - mean) + 2.0 / 9.0
    classes = np.searchsorted(np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]), t, side="left")
    nu = np.bincount(classes, minlength=7)
    expected = n_blocks * np.asarray(LINEAR_COMPLEXITY_PROBS)
    chi2 = float(np.sum((nu - expected) ** 2 / expected))
    return [result("linear_complexity", None, chi2, igamc(3.0, chi2 / 2.0), alpha=alpha,
                   block_size=m, counts=nu.tolist())]
