"""Classical bit sources: OS entropy, PRNGs, and two deliberately bad references.

Every source function has the signature ``f(n_bits, node, arg) -> uint8 0/1
array``, where ``node`` is the :class:`~qrand.seeding.tree.SeedTree` node the
source draws its seed from (``tree.child("bits", NAME)``) and ``arg`` is the
text after the first ``:`` in the source name (``biased:0.51`` -> ``"0.51"``).
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache

import numpy as np

from .._optional import require
from ..errors import QrandError
from ..seeding.tree import SeedTree


def _unpack_bytes(raw: bytes | np.ndarray, n_bits: int) -> np.ndarray:
    return np.unpackbits(np.frombuffer(raw, dtype=np.uint8) if isinstance(raw, bytes) else raw)[:n_bits]


def _n_bytes(n_bits: int) -> int:
    return -(-n_bits // 8)


def _no_arg(name: str, arg: str | None) -> None:
    if arg:
        raise QrandError(f"bit source {name!r} takes no ':' argument, got {name}:{arg}")


def os_bits(n_bits: int, node: SeedTree, arg: str | None) -> np.ndarray:
    """``os.urandom`` (not seedable: the seed is ignored)."""
    _no_arg("os", arg)
    return _unpack_bytes(os.urandom(_n_bytes(n_bits)), n_bits)


def secrets_bits(n_bits: int, node: SeedTree, arg: str | None) -> np.ndarray:
    """``secrets.token_bytes`` (not seedable: the seed is ignored)."""
    _no_arg("secrets", arg)
    return _unpack_bytes(secrets.token_bytes(_n_bytes(n_bits)), n_bits)


def _numpy_bits(bit_generator: type, n_bits: int, node: SeedTree) -> np.ndarray:
    gen = np.random.Generator(bit_generator(node.seed_sequence()))
    return _unpack_bytes(gen.bytes(_n_bytes(n_bits)), n_bits)


def pcg64_bits(n_bits: int, node: SeedTree, arg: str | None) -> np.ndarray:
    """NumPy ``PCG64`` seeded from the node's ``SeedSequence``."""
    _no_arg("pcg64", arg)
    return _numpy_bits(np.random.PCG64, n_bits, node)


def mt19937_bits(n_bits: int, node: SeedTree, arg: str | None) -> np.ndarray:
    """NumPy ``MT19937`` seeded from the node's ``SeedSequence``."""
    _no_arg("mt19937", arg)
    return _numpy_bits(np.random.MT19937, n_bits, node)


def philox_bits(n_bits: int, node: SeedTree, arg: str | None) -> np.ndarray:
    """NumPy ``Philox`` (counter-based) seeded from the node's ``SeedSequence``."""
    _no_arg("philox", arg)
    return _numpy_bits(np.random.Philox, n_bits, node)


def python_bits(n_bits: int, node: SeedTree, arg: str | None) -> np.ndarray:
    """``random.Random`` (Mersenne Twister) seeded with 128 bits of the node: its 32-bit outputs, MSB first.

    The same bits as successive ``getrandbits(32)`` calls (one ``getrandbits``
    call draws them all at once, lowest word first).
    """
    _no_arg("python", arg)
    n_words = -(-n_bits // 32)
    value = node.python().getrandbits(32 * n_words)
    words = np.frombuffer(value.to_bytes(4 * n_words, "little"), dtype="<u4")
    return _unpack_bytes(words.astype(">u4").view(np.uint8), n_bits)


def jax_threefry_bits(n_bits: int, node: SeedTree, arg: str | None) -> np.ndarray:
    """``jax.random.bits`` with a threefry2x32 key made of two uint32 words of the node's state."""
    _no_arg("jax-threefry", arg)
    jax = require("jax")
    data = jax.numpy.asarray(node.generate_state(2, np.uint32), dtype=jax.numpy.uint32)
    key = jax.random.wrap_key_data(data, impl="threefry2x32")
    words = np.asarray(jax.random.bits(key, (-(-n_bits // 32),), dtype=jax.numpy.uint32))
    return _unpack_bytes(words.astype(">u4").view(np.uint8), n_bits)


#: 16-bit LCG constants (a = 25173, c = 13849: a classic textbook generator)
LCG16_A, LCG16_C = 25173, 13849


@lru_cache(maxsize=1)
def _lcg16_cycle() -> np.ndarray:
    """The full period (2**16 states) of the LCG, starting from state 0."""
    states = np.empty(1 << 16, dtype=np.uint32)
    x = 0
    for i in range(1 << 16):
        states[i] = x
        x = (LCG16_A * x + LCG16_C) & 0xFFFF
    return states


def lcg16_bits(n_bits: int, node: SeedTree, arg: str | None) -> np.ndarray:
    """A 16-bit LCG x -> (25173 x + 13849) mod 2**16 emitting all 16 state bits (bad on purpose).

    Full period 2**16: the low bit alternates and the whole output repeats after
    1,048,576 bits. The seed picks the starting point of the cycle.
    """
    _no_arg("lcg16", arg)
    cycle = _lcg16_cycle()
    start = node.seed(32) & 0xFFFF
    idx = (start + np.arange(-(-n_bits // 16), dtype=np.int64)) % cycle.size
    return _unpack_bytes(cycle[idx].astype(">u2").view(np.uint8), n_bits)


def biased_bits(n_bits: int, node: SeedTree, arg: str | None) -> np.ndarray:
    """Independent bits with P(1) = p (``biased:p``), from PCG64."""
    try:
        p = float(arg) if arg else float("nan")
    except ValueError:
        p = float("nan")
    if not 0.0 <= p <= 1.0:
        raise QrandError(f"biased source needs a probability, e.g. biased:0.51, got biased:{arg or ''}")
    return (node.numpy().random(n_bits) < p).astype(np.uint8)


#: source name -> function (quantum sources live in :mod:`qrand.bits.quantum`)
CLASSICAL = {
    "os": os_bits,
    "secrets": secrets_bits,
    "pcg64": pcg64_bits,
    "mt19937": mt19937_bits,
    "philox": philox_bits,
    "python": python_bits,
    "jax-threefry": jax_threefry_bits,
    "lcg16": lcg16_bits,
    "biased": biased_bits,
}
#: sources that ignore the seed
UNSEEDED = frozenset({"os", "secrets"})
