"""Randomness extractors: von Neumann debiasing and seeded Toeplitz hashing.

Both take and return 1-D uint8 0/1 arrays.

* :func:`von_neumann` turns independent but biased bits into unbiased ones:
  pairs ``01 -> 0``, ``10 -> 1``, ``00``/``11`` dropped (output rate
  p(1-p) per input bit).
* :func:`toeplitz` multiplies each block of ``block`` input bits by a random
  ``out x block`` Toeplitz matrix over GF(2) (a 2-universal hash, seeded from
  ``tree.child("extract", "toeplitz")``); it also removes correlations, at a
  fixed compression ratio ``out / block`` that must stay below the source's
  min-entropy per bit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from ..errors import QrandError
from ..nist.io import as_bits
from ..seeding.tree import SeedTree


def von_neumann(bits) -> np.ndarray:
    """Von Neumann extractor: first bit of each unequal pair."""
    eps = as_bits(bits)
    pairs = eps[: eps.size // 2 * 2].reshape(-1, 2)
    return np.ascontiguousarray(pairs[pairs[:, 0] != pairs[:, 1], 0])


def toeplitz_seed_bits(seed, block: int, out: int) -> np.ndarray:
    """The ``out + block - 1`` bits that define the Toeplitz matrix."""
    gen = SeedTree(seed).child("extract", "toeplitz", block, out).numpy()
    return gen.integers(0, 2, out + block - 1, dtype=np.uint8)


def toeplitz(bits, seed=None, *, block: int = 1024, out: int | None = None) -> np.ndarray:
    """Toeplitz-hash extractor: ``out`` bits from every complete block of ``block`` bits.

    Parameters
    ----------
    seed : int, SeedTree or None
        Seeds the matrix (``tree.child("extract", "toeplitz", block, out)``).
    block : int
        Input bits per block (incomplete trailing bits are dropped).
    out : int, optional
        Output bits per block (default ``block // 2``), at most ``block``.
    """
    eps = as_bits(bits)
    if isinstance(block, bool) or not isinstance(block, int) or block < 2:
        raise QrandError(f"toeplitz block must be an integer >= 2, got {block!r}")
    out = block // 2 if out is None else out
    if isinstance(out, bool) or not isinstance(out, int) or not 1 <= out <= block:
        raise QrandError(f"toeplitz out must be an integer in [1, block={block}], got {out!r}")
    n_blocks = eps.size // block
    if n_blocks == 0:
        return np.zeros(0, dtype=np.uint8)
    t = toeplitz_seed_bits(seed, block, out).astype(np.float64)
    x = eps[: n_blocks * block].reshape(n_blocks, block).astype(np.float64)
    size = 1 << int(np.ceil(np.log2(out + 2 * block - 2)))
    # y_i = sum_j t[i - j + block - 1] x_j = (t * x)[i + block - 1]: one batched FFT convolution
    conv = np.fft.irfft(np.fft.rfft(x, size, axis=1) * np.fft.rfft(t, size), size, axis=1)
    y = np.rint(conv[:, block - 1: block - 1 + out]).astype(np.int64) & 1
    return y.astype(np.uint8).reshape(-1)


def extract_chunks(chunks: Iterable[np.ndarray], method: str, seed=None, **options) -> Iterator[np.ndarray]:
    """Apply an extractor to a long input that arrives in chunks (e.g. :func:`qrand.nist.io.iter_chunks`).

    Chunks are regrouped so von Neumann pairs and Toeplitz blocks never
    straddle two chunks; the Toeplitz matrix is the same for the whole input.
    """
    unit = 2 if method in ("vn", "von_neumann") else options.get("block", 1024)
    seed = SeedTree(seed)  # one matrix for every chunk, even when seed is None
    carry = np.zeros(0, dtype=np.uint8)
    for chunk in chunks:
        data = np.concatenate([carry, chunk]) if carry.size else chunk
        usable = data.size // unit * unit
        if usable:
            yield extract(data[:usable], method, seed, **options)
        carry = data[usable:]


#: names accepted by :func:`extract` (and ``qrand nist --extract``)
EXTRACTORS = ("vn", "von_neumann", "toeplitz")


def extract(bits, method: str, seed=None, **options) -> np.ndarray:
    """Apply the extractor ``method`` ("vn"/"von_neumann" or "toeplitz")."""
    if method in ("vn", "von_neumann"):
        if options:
            raise QrandError(f"von Neumann extraction takes no options, got {sorted(options)}")
        return von_neumann(bits)
    if method == "toeplitz":
        return toeplitz(bits, seed, **options)
    raise QrandError(f"unknown extractor {method!r}; choose vn or toeplitz")
