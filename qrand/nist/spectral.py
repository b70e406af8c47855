"""SP 800-22 discrete Fourier transform (spectral) test (2.6), as sts-2.1.2
computes it: peaks below ``sqrt(log(1/0.05) n)`` among the first n/2
moduli, ``d = (N1 - N0) / sqrt(n 0.95 0.05 / 4)``.
"""

from __future__ import annotations

import math

import numpy as np

from ._core import ALPHA, Bits, TestResult, erfc, not_applicable, result

#: sts-2.1.2's constant for log(1/0.05)
_LOG_20 = 2.995732274


def dft(bits, *, alpha: float = ALPHA, strict: bool = True) -> list[TestResult]:
    """Spectral test via ``numpy.fft.rfft``."""
    b = Bits.of(bits)
    need = 1000 if strict else 2
    if b.n < need:
        return not_applicable("dft", None, f"needs n >= {need} bits, got {b.n}")
    x = b.eps.astype(np.float64) * 2.0 - 1.0
    moduli = np.abs(np.fft.rfft(x))[: b.n // 2]
    threshold = math.sqrt(_LOG_20 * b.n)
    n1 = int(np.count_nonzero(moduli < threshold))
    n0 = 0.95 * b.n / 2.0
    d = (n1 - n0) / math.sqrt(b.n / 4.0 * 0.95 * 0.05)
    return [result("dft", None, d, erfc(abs(d) / math.sqrt(2.0)), alpha=alpha, n1=n1, n0=n0)]
