"""SP 800-22 Maurer's "universal statistical" test (2.9).

The distance from each test block to the previous occurrence of the same
L-bit word is found for all blocks at once with one stable sort.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import QrandError
from ._core import ALPHA, Bits, TestResult, check_int, erfc, not_applicable, result

#: L -> (expected value, variance) of the test statistic (section 2.9.4 table)
UNIVERSAL_TABLE = {
    1: (0.7326495, 0.690), 2: (1.5374383, 1.338), 3: (2.4016068, 1.901), 4: (3.3112247, 2.358),
    5: (4.2534266, 2.705), 6: (5.2177052, 2.954), 7: (6.1962507, 3.125), 8: (7.1836656, 3.238),
    9: (8.1764248, 3.311), 10: (9.1723243, 3.356), 11: (10.170032, 3.384), 12: (11.168765, 3.401),
    13: (12.168070, 3.410), 14: (13.167693, 3.416), 15: (14.167488, 3.419), 16: (15.167379, 3.421),
}
#: sts-2.1.2's choice of L from n: the smallest n for each L >= 6
_L_THRESHOLDS = ((1059061760, 16), (496435200, 15), (231669760, 14), (107560960, 13),
                 (49643520, 12), (22753280, 11), (10342400, 10), (4654080, 9), (2068480, 8),
                 (904960, 7), (387840, 6))
SIGMA_MODES = ("sts", "unscaled")


def default_block_length(n: int) -> int:
    """L as sts-2.1.2 chooses it from n (5 when n < 387,840)."""
    for threshold, length in _L_THRESHOLDS:
        if n >= threshold:
            return length
    return 5


def universal(bits, *, block_length: int | None = None, init_blocks: int | None = None,
              sigma: str = "sts", alpha: float = ALPHA, strict: bool = True) -> list[TestResult]:
    """Maurer's universal test.

    Parameters
    ----------
    block_length : int, optional
        L (default chosen from n as sts does: 7 for 10^6 bits).
    init_blocks : int, optional
        Q, the initialisation blocks (default 10 * 2**L).
    sigma : {"sts", "unscaled"}
        ``"sts"``: sigma = c(L, K) sqrt(var(L) / K) (sts-2.1.2 and section 2.9.4);
        ``"unscaled"``: sigma = sqrt(var(L)), the value the worked example of
        section 2.9.4 uses (only to reproduce that example).
    """
    if sigma not in SIGMA_MODES:
        raise QrandError(f"sigma must be one of {', '.join(SIGMA_MODES)}, got {sigma!r}")
    b = Bits.of(bits)
    length = default_block_length(b.n) if block_length is None else check_int("block_length", block_length)
    if length not in UNIVERSAL_TABLE:
        return not_applicable("universal", None, f"L must be in 1..16, got {length}")
    q = 10 * 2 ** length if init_blocks is None else check_int("init_blocks", init_blocks)
    k = b.n // length - q
    if strict and (length < 6 or q < 10 * 2 ** length):
        return not_applicable("universal", None, f"needs 6 <= L <= 16 and Q >= 10*2^L, i.e. n >= 387840 "
                                                 f"bits (got n={b.n}, L={length}, Q={q})")
    if k < 1:
        return not_applicable("universal", None, f"no test blocks: n/L - Q = {k} (n={b.n}, L={length}, Q={q})")
    total = q + k
    words = b.codes(length, wrap=True)[: total * length : length].astype(np.int64)
    order = np.argsort(words, kind="stable")  # same word -> ascending block index
    sorted_words = words[order]
    previous = np.zeros(total, dtype=np.int64)  # 1-based index of previous occurrence, 0 = none
    same = sorted_words[1:] == sorted_words[:-1]
    previous[order[1:][same]] = order[:-1][same] + 1
    index = np.arange(1, total + 1, dtype=np.int64)
    distances = (index - previous)[q:]
    phi = float(np.sum(np.log2(distances)) / k)
    expected, variance = UNIVERSAL_TABLE[length]
    if sigma == "sts":
        c = 0.7 - 0.8 / length + (4 + 32 / length) * k ** (-3 / length) / 15
        sd = c * math.sqrt(variance / k)
    else:
        sd = math.sqrt(variance)
    p = erfc(abs(phi - expected) / (math.sqrt(2) * sd))
    return [result("universal", None, phi, p, alpha=alpha, L=length, Q=q, K=k)]
