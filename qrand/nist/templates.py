"""SP 800-22 template-matching tests: non-overlapping (2.7, all aperiodic
templates at once) and overlapping (2.8, all-ones template).

Counting uses the integer code of every m-bit window (see
:meth:`qrand.nist._core.Bits.codes`) and one ``bincount`` per block. An
aperiodic template cannot overlap itself, so its non-overlapping count equals
its plain count. A periodic template given by the user is not applicable
(the test's mean and variance assume an aperiodic one); with ``strict=False``
it is counted with the skip-m-bits rule of section 2.7.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..errors import QrandError
from ._core import ALPHA, Bits, TestResult, check_int, igamc, not_applicable, result


@lru_cache(maxsize=None)
def _aperiodic_codes(m: int) -> tuple[int, ...]:
    codes = np.arange(1 << m, dtype=np.int64)
    ok = np.ones(codes.size, dtype=bool)
    for k in range(1, m):
        ok &= (codes >> k) != (codes & ((1 << (m - k)) - 1))
    return tuple(int(c) for c in codes[ok])


def aperiodic_templates(m: int = 9) -> list[str]:
    """All aperiodic m-bit templates in ascending order (sts's template files; 148 for m=9)."""
    m = check_int("m", m, 2)
    if m > 21:
        raise QrandError(f"template length m must be <= 21, got {m}")
    return [format(c, f"0{m}b") for c in _aperiodic_codes(m)]


def _template_code(template: str) -> int:
    if not template or set(template) - {"0", "1"}:
        raise QrandError(f"a template is a string of 0/1, got {template!r}")
    return int(template, 2)


def _is_aperiodic(code: int, m: int) -> bool:
    return all((code >> k) != (code & ((1 << (m - k)) - 1)) for k in range(1, m))


def _skip_count(starts: np.ndarray, m: int) -> int:
    """Greedy non-overlapping count from sorted match positions."""
    count, free_from = 0, -1
    for pos in starts.tolist():
        if pos >= free_from:
            count += 1
            free_from = pos + m
    return count


def non_overlapping_template(bits, *, m: int = 9, templates: list[str] | None = None, blocks: int = 8,
                             alpha: float = ALPHA, strict: bool = True) -> list[TestResult]:
    """Non-overlapping template matching; one result per template (variant = the template).

    Parameters
    ----------
    m : int
        Template length (templates default to all aperiodic ones of length m).
    templates : list of str, optional
        Templates to test (all of length m).
    blocks : int
        Number of blocks N (sts default 8); block length M = n // N.
    """
    b = Bits.of(bits)
    if templates is None:
        templates = aperiodic_templates(m)
    else:
        templates = [str(t) for t in templates]
        if not templates:
            raise QrandError("templates: give at least one template")
        m = len(templates[0])
        if any(len(t) != m for t in templates):
            raise QrandError("templates must all have the same length")
    m = check_int("m", m, 1)
    codes_wanted = [_template_code(t) for t in templates]
    n_blocks = check_int("blocks", blocks)
    block_len = b.n // n_blocks
    if block_len < m:
        return not_applicable("non_overlapping_template", templates,
                              f"block length n/N = {block_len} is shorter than the template (m={m})")
    if strict and (n_blocks > 100 or block_len <= 0.01 * b.n):
        return not_applicable("non_overlapping_template", templates,
                              f"needs N <= 100 blocks and M > 0.01 n (got N={n_blocks}, M={block_len})")
    positions = block_len - m + 1
    lam = positions / 2.0 ** m
    var = block_len * (1.0 / 2.0 ** m - (2.0 * m - 1.0) / 2.0 ** (2 * m))
    window = b.codes(m, wrap=True)[: n_blocks * block_len].reshape(n_blocks, block_len)[:, :positions]
    if m <= 16:
        keys = window + (np.arange(n_blocks, dtype=np.uint64) << np.uint64(m))[:, None]
        table = np.bincount(keys.ravel().astype(np.int64), minlength=n_blocks << m).reshape(n_blocks, 1 << m)
    else:
        table = None
    out = []
    for template, code in zip(templates, codes_wanted):
        aperiodic = _is_aperiodic(code, m)
        if strict and not aperiodic:
            out.extend(not_applicable("non_overlapping_template", [template],
                                      f"template {template} is periodic; the test's statistics assume "
                                      "an aperiodic template"))
            continue
        if aperiodic:
            counts = table[:, code] if table is not None else (window == code).sum(axis=1)
        else:
            counts = np.array([_skip_count(np.flatnonzero(row == code), m) for row in window])
        chi2 = float(np.sum((counts - lam) ** 2 / var))
        out.append(result("non_overlapping_template", template, chi2, igamc(n_blocks / 2.0, chi2 / 2.0),
                          alpha=alpha, counts=counts.tolist()))
    return out


def overlapping_probabilities(m: int, block_size: int, classes: int = 5) -> np.ndarray:
    """Class probabilities of the all-ones template count per block (sts-2.1.2's Pr(u, eta))."""
    lam = (block_size - m + 1) / 2.0 ** m
    eta = lam / 2.0
    pis = []
    for u in range(classes):
        if u == 0:
            p = math.exp(-eta)
        else:
            p = sum(math.exp(-eta - u * math.log(2) + l * math.log(eta) - math.lgamma(l + 1)
                             + math.lgamma(u) - math.lgamma(l) - math.lgamma(u - l + 1))
                    for l in range(1, u + 1))
        pis.append(p)
    pis.append(1.0 - sum(pis))
    return np.array(pis)


def overlapping_template(bits, *, m: int = 9, block_size: int = 1032, alpha: float = ALPHA,
                         strict: bool = True) -> list[TestResult]:
    """Overlapping template matching for the all-ones template of length ``m`` (sts: m=9, M=1032)."""
    b = Bits.of(bits)
    m, block_len = check_int("m", m), check_int("block_size", block_size)
    n_blocks = b.n // block_len
    if block_len < m or n_blocks < 1:
        return not_applicable("overlapping_template", None,
                              f"needs at least one block of {block_len} >= m bits, got n={b.n}")
    pis = overlapping_probabilities(m, block_len)
    if strict and n_blocks * pis.min() < 5:
        need = math.ceil(5 / pis.min()) * block_len
        return not_applicable("overlapping_template", None,
                              f"needs N * min(pi) >= 5, i.e. n >= {need} bits for M={block_len}; got {b.n}")
    target = (1 << m) - 1
    window = b.codes(m, wrap=True)[: n_blocks * block_len].reshape(n_blocks, block_len)[:, : block_len - m + 1]
    counts = np.count_nonzero(window == target, axis=1)
    nu = np.bincount(np.minimum(counts, 5), minlength=6)
    expected = n_blocks * pis
    chi2 = float(np.sum((nu - expected) ** 2 / expected))
    return [result("overlapping_template", None, chi2, igamc(5 / 2.0, chi2 / 2.0), alpha=alpha,
                   counts=nu.tolist())]
