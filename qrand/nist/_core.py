"""Shared pieces of the SP 800-22 tests: the result record and prepared bits.

:class:`Bits` wraps a validated 0/1 array and caches what several tests need
(the ±1 random walk, sliding-window pattern codes), so the battery computes
each of them once. Every test function accepts a plain array too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..errors import QrandError
from .io import as_bits

ALPHA = 0.01


@dataclass
class TestResult:
    """One P-value of one test (one variant: template, state, p1/p2, ...).

    ``applicable`` is False, with ``reason`` set, when the input does not meet
    the test's requirements; ``statistic``/``p_value``/``passed`` are then None.
    """

    __test__ = False  # not a pytest class

    test: str
    variant: str | None
    statistic: float | None
    p_value: float | None
    passed: bool | None
    applicable: bool = True
    reason: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``details`` included)."""
        return asdict(self)


def result(test: str, variant: str | None, statistic: float | None, p_value: float, *,
           alpha: float = ALPHA, **details: Any) -> TestResult:
    """An applicable result; ``passed`` is ``p_value >= alpha``."""
    p = float(min(max(p_value, 0.0), 1.0))
    stat = None if statistic is None else float(statistic)
    return TestResult(test, variant, stat, p, bool(p >= alpha), True, None, details)


def not_applicable(test: str, variants: list[str | None] | None, reason: str) -> list[TestResult]:
    """One not-applicable result per variant, all with the same ``reason``."""
    return [TestResult(test, v, None, None, None, False, reason) for v in (variants or [None])]


def igamc(a: float, x: float) -> float:
    """Upper regularised incomplete gamma Q(a, x) (cephes ``igamc``)."""
    from scipy.special import gammaincc

    return float(gammaincc(a, x))


def erfc(x: float) -> float:
    """Complementary error function."""
    from scipy.special import erfc as _erfc

    return float(_erfc(x))


def check_int(name: str, value: Any, minimum: int = 1) -> int:
    """``value`` as an int >= ``minimum`` or a :class:`QrandError`."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise QrandError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def c_div(a: int, b: int) -> int:
    """C integer division (truncates toward zero), as sts-2.1.2 computes it."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


class Bits:
    """A validated bit sequence plus cached derived arrays.

    Parameters
    ----------
    data : array-like, bytes, str or Bits
        See :func:`qrand.nist.io.as_bits`.
    """

    def __init__(self, data: Any):
        self.eps = as_bits(data)
        self.n = int(self.eps.size)
        self._cache: dict[Any, np.ndarray] = {}

    @classmethod
    def of(cls, data: Any) -> Bits:
        """``data`` itself if already a :class:`Bits`, else ``Bits(data)``."""
        return data if isinstance(data, Bits) else cls(data)

    @property
    def walk(self) -> np.ndarray:
        """Partial sums S_k of the ±1 sequence (int64, length n)."""
        if "walk" not in self._cache:
            self._cache["walk"] = np.cumsum(self.eps.astype(np.int64) * 2 - 1)
        return self._cache["walk"]

    def ones(self) -> int:
        """Number of ones."""
        if "ones" not in self._cache:
            self._cache["ones"] = int(np.count_nonzero(self.eps))
        return self._cache["ones"]

    def codes(self, m: int, wrap: bool) -> np.ndarray:
        """Integer code of every m-bit window, first bit most significant.

        ``wrap=True``: n windows over the sequence extended by its first m-1
        bits (serial, approximate entropy). ``wrap=False``: the n-m+1 windows
        inside the sequence.
        """
        if not 1 <= m <= 56:
            raise QrandError(f"pattern length must be in [1, 56], got {m}")
        key = ("codes", m, wrap)
        if key not in self._cache:
            width = max(m, 16)
            base = self._cache.get(("wrapped", width))
            if base is None:
                base = _window_codes(self.eps, width)
                self._cache[("wrapped", width)] = base
            codes = base >> np.uint64(width - m) if width != m else base
            codes = codes if wrap else codes[: self.n - m + 1]
            self._cache[key] = codes
        return self._cache[key]


def _window_codes(eps: np.ndarray, m: int) -> np.ndarray:
    """Codes of the n cyclic m-bit windows (m <= 56), uint64, via packed bytes."""
    n = eps.size
    ext = np.concatenate([eps, np.resize(eps, m + 64)])  # cyclic extension, any n
    packed = np.packbits(ext)
    n_bytes = -(-n // 8)
    word = np.zeros(n_bytes, dtype=np.uint64)
    padded = np.concatenate([packed, np.zeros(8, np.uint8)]).astype(np.uint64)
    for k in range(8):  # big-endian 64-bit word starting at each byte
        word |= padded[k:k + n_bytes] << np.uint64(56 - 8 * k)
    out = np.empty(n_bytes * 8, dtype=np.uint64)
    mask = np.uint64((1 << m) - 1)
    for r in range(8):
        out[r::8] = (word >> np.uint64(64 - r - m)) & mask
    return out[:n]
