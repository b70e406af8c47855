"""Named random bit sources and extractors, for testing with :mod:`qrand.nist`.

``source(name, n_bits, seed=...)`` returns a 1-D ``numpy.uint8`` array of
exactly ``n_bits`` 0/1 values (one byte per bit, not packed; use
``numpy.packbits`` to pack, most significant bit first).

Sources
-------
``os``, ``secrets``
    OS entropy (not seedable; the seed is ignored).
``pcg64``, ``mt19937``, ``philox``
    NumPy bit generators seeded from ``SeedTree(seed).child("bits", NAME)``.
``python``
    ``random.Random`` (Mersenne Twister) seeded with 128 bits of that node.
``jax-threefry``
    ``jax.random.bits`` with a threefry2x32 key (needs ``qrand[jax]``).
``quantum:default.qubit``, ``quantum:aer``
    Hadamard + measure on simulators, seeded through the execution-seed rule
    (``tree.child("device", NAME, "exec", k)``); needs ``qrand[quantum]``.
``quantum:aer:PROFILE``, ``quantum:default.mixed:PROFILE``
    The same with a hardware-like noise profile (gate noise and asymmetric
    readout errors): PROFILE is a fake-backend name (``manila``) or the path
    of a profile JSON file.
``lcg16``, ``biased:p``
    Bad references: a 16-bit LCG, and independent bits with P(1) = p.

Extractors: :func:`von_neumann`, :func:`toeplitz`, or ``extract=`` in
:func:`generate` / :func:`streams`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator

import numpy as np

from ..errors import QrandError
from ..seeding.tree import SeedTree
from . import extractors
from .extractors import EXTRACTORS, extract, extract_chunks, toeplitz, von_neumann
from .sources import CLASSICAL, UNSEEDED

QUANTUM_PREFIX = "quantum:"


def source_names() -> list[str]:
    """The source names (PROFILE/p parts shown as placeholders)."""
    from .quantum import QUANTUM_SOURCES

    names = [n for n in CLASSICAL if n != "biased"] + ["biased:p"]
    return names + [QUANTUM_PREFIX + q for q in QUANTUM_SOURCES]


def _check_n_bits(n_bits) -> int:
    if isinstance(n_bits, bool) or not isinstance(n_bits, numbers.Integral) or n_bits < 1:
        raise QrandError(f"n_bits must be a positive integer, got {n_bits!r}")
    return int(n_bits)


def source(name: str, n_bits: int, seed: int | SeedTree | None = None) -> np.ndarray:
    """``n_bits`` bits from the named source (see the module docstring).

    Parameters
    ----------
    name : str
        Source name, e.g. ``"pcg64"``, ``"biased:0.51"``, ``"quantum:aer:manila"``.
    n_bits : int
        Number of bits.
    seed : int, SeedTree or None
        Root (or subtree) the source's seed is derived from; ``None`` draws OS
        entropy. Ignored by ``os`` and ``secrets``.

    Returns
    -------
    numpy.ndarray
        uint8 array of 0/1, length ``n_bits``.
    """
    if not isinstance(name, str) or not name:
        raise QrandError(f"source name must be a non-empty string, got {name!r}")
    n_bits = _check_n_bits(n_bits)
    tree = SeedTree(seed)
    if name.startswith(QUANTUM_PREFIX):
        from .quantum import quantum_bits

        bits = quantum_bits(name[len(QUANTUM_PREFIX):], n_bits, tree)
    else:
        base, _, arg = name.partition(":")
        fn = CLASSICAL.get(base)
        if fn is None:
            raise QrandError(f"unknown bit source {name!r}; valid sources: {', '.join(source_names())}")
        bits = fn(n_bits, tree.child("bits", base), arg or None)
    if bits.size != n_bits:  # pragma: no cover - every source returns exactly n_bits
        raise AssertionError(f"source {name} returned {bits.size} bits, not {n_bits}")
    return np.ascontiguousarray(bits, dtype=np.uint8)


def generate(name: str, n_bits: int, seed: int | SeedTree | None = None, *, extract: str | None = None,
             **extract_options) -> np.ndarray:
    """``n_bits`` bits from a source, optionally after an extractor.

    With ``extract``, the source is read in rounds (round ``r`` from
    ``tree.child("extract-input", r)``) until the extractor has produced
    ``n_bits`` bits; the output is cut to exactly ``n_bits``.
    """
    n_bits = _check_n_bits(n_bits)
    if extract is None:
        if extract_options:
            raise QrandError("extractor options given without extract=")
        return source(name, n_bits, seed)
    if extract not in EXTRACTORS:
        raise QrandError(f"unknown extractor {extract!r}; choose from {', '.join(EXTRACTORS)}")
    tree = SeedTree(seed)
    parts: list[np.ndarray] = []
    have = 0
    if extract == "toeplitz":  # fixed ratio out / block
        block = extract_options.get("block", 1024)
        rate = (extract_options.get("out") or block // 2) / block
    else:  # von Neumann: p (1 - p) <= 1/4 output bits per input bit
        rate = 0.25
    for round_ in range(64):
        want = max(1024, math.ceil((n_bits - have) / rate * 1.05) + 4096)
        raw = source(name, want, tree.child("extract-input", round_))
        out = extractors.extract(raw, extract, tree, **extract_options)
        if out.size == 0:
            raise QrandError(f"extractor {extract} produced no bits from {want} bits of {name} "
                             "(is the source constant?)")
        parts.append(out)
        have += out.size
        if have >= n_bits:
            return np.concatenate(parts)[:n_bits]
        rate = out.size / raw.size  # the observed yield sizes the next round
    raise QrandError(f"extractor {extract} produced only {have} of {n_bits} bits from {name}")


def streams(name: str, n_bits: int, n_streams: int, seed: int | SeedTree | None = None, *,
            extract: str | None = None, **extract_options) -> Iterator[np.ndarray]:
    """Yield ``n_streams`` independent streams; stream k uses ``tree.child("stream", k)``."""
    if isinstance(n_streams, bool) or not isinstance(n_streams, numbers.Integral) or n_streams < 1:
        raise QrandError(f"n_streams must be a positive integer, got {n_streams!r}")
    tree = SeedTree(seed)
    for k in range(int(n_streams)):
        yield generate(name, n_bits, tree.child("stream", k), extract=extract, **extract_options)


__all__ = ["CLASSICAL", "EXTRACTORS", "UNSEEDED", "extract", "extract_chunks", "generate", "source", "source_names", "streams",
           "toeplitz", "von_neumann"]
