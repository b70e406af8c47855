"""The seed tree: one root, stable children addressed by paths of keys.

A child's state is ``numpy.random.SeedSequence(root, spawn_key=encode(path))``.
Each key is encoded as exactly two uint32 words (fixed width, so paths never
collide the way concatenated variable-width words can):

* an ``int`` key ``k`` (``0 <= k < 2**63``) is itself;
* a ``str`` key is ``2**63 | (blake2b64(b"qrand-key:" + utf8) >> 1)``.

Integer keys and string keys therefore live in disjoint halves of the 64-bit
space; the encoding never depends on Python's salted ``hash()``, the process,
the machine or the call order.
"""

from __future__ import annotations

import hashlib
import numbers
import random
import secrets
from functools import cached_property
from typing import Any

import numpy as np

from ..errors import QrandError

MAX_ROOT = 2**128
MAX_INT_KEY = 2**63
_WIDTHS = {32: np.uint32, 64: np.uint64}

Key = str | int


def validate_root(seed: Any) -> int:
    """Return ``seed`` as a root int or raise :class:`QrandError` with one clear line."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise QrandError(
            f"seed must be a non-negative integer below 2**128, got {type(seed).__name__} {seed!r}"
        )
    seed = int(seed)
    if not 0 <= seed < MAX_ROOT:
        raise QrandError(f"seed must be a non-negative integer below 2**128, got {seed}")
    return seed


def parse_seed(text: str) -> int:
    """Parse a seed given as text (decimal or 0x-hex), as the CLI receives it."""
    cleaned = text.strip().replace("_", "")
    try:
        value = int(cleaned, 16) if cleaned.lower().startswith("0x") else int(cleaned, 10)
    except ValueError:
        raise QrandError(f"seed must be a non-negative integer, got {text!r}") from None
    return validate_root(value)


def encode_key(key: Key) -> tuple[int, int]:
    """Encode one path key as two uint32 words (low, high)."""
    if isinstance(key, str):
        digest = hashlib.blake2b(b"qrand-key:" + key.encode("utf-8"), digest_size=8).digest()
        value = (1 << 63) | (int.from_bytes(digest, "little") >> 1)
    elif isinstance(key, numbers.Integral) and not isinstance(key, bool) and 0 <= key < MAX_INT_KEY:
        value = int(key)
    else:
        raise QrandError(
            f"seed-tree keys must be str or int in [0, 2**63), got {type(key).__name__} {key!r}"
        )
    return value & 0xFFFFFFFF, value >> 32


def _normalise_key(key: Key) -> Key:
    encode_key(key)  # validates
    return key if isinstance(key, str) else int(key)


class SeedTree:
    """A root seed and a path: the address of one independent random stream.

    Parameters
    ----------
    seed : int, SeedTree or None
        Non-negative int below ``2**128``. ``None`` draws 128 bits of OS entropy
        (``secrets.randbits(128)``) and records it: ``.source == "os"``.

    Examples
    --------
    >>> tree = SeedTree(42)
    >>> tree.child("data", "shuffle").seed(32) == SeedTree(42).child("data", "shuffle").seed(32)
    True
    """

    __slots__ = ("_root", "_source", "_path", "__dict__")

    def __init__(self, seed: int | SeedTree | None = None, *, _path: tuple = (), _source: str | None = None):
        if isinstance(seed, SeedTree):
            self._root, self._source, self._path = seed.root, seed.source, seed.path
            return
        if seed is None:
            self._root, self._source = secrets.randbits(128), "os"
        else:
            self._root, self._source = validate_root(seed), "user"
        if _source is not None:
            self._source = _source
        self._path = tuple(_normalise_key(k) for k in _path)

    # -- identity -----------------------------------------------------------
    @property
    def root(self) -> int:
        """The root seed (int below 2**128)."""
        return self._root

    @property
    def source(self) -> str:
        """Where the root came from: ``"user"`` or ``"os"``."""
        return self._source

    @property
    def path(self) -> tuple[Key, ...]:
        """The keys from the root to this node."""
        return self._path

    def root_tree(self) -> SeedTree:
        """The tree at the root (empty path)."""
        return SeedTree(self._root, _source=self._source)

    def child(self, *keys: Key) -> SeedTree:
        """The node at ``self.path + keys``; keys are str or int in [0, 2**63)."""
        return SeedTree(self._root, _path=self._path + keys, _source=self._source)

    def spawn(self, n: int) -> list[SeedTree]:
        """``n`` independent children: ``[self.child(0), ..., self.child(n - 1)]``."""
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
            raise QrandError(f"spawn needs a non-negative int, got {n!r}")
        return [self.child(i) for i in range(int(n))]

    # -- numbers ------------------------------------------------------------
    @cached_property
    def spawn_key(self) -> tuple[int, ...]:
        """The path encoded as uint32 words (two per key)."""
        return tuple(word for key in self._path for word in encode_key(key))

    def seed_sequence(self) -> np.random.SeedSequence:
        """A fresh ``SeedSequence`` for this node."""
        return np.random.SeedSequence(self._root, spawn_key=self.spawn_key)

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray:
        """``n_words`` words of this node's state (see ``SeedSequence.generate_state``)."""
        return self.seed_sequence().generate_state(n_words, dtype)

    def seed(self, bits: int = 32) -> int:
        """An int seed generated at ``bits`` width (32 or 64); never reduced with ``%``."""
        if bits not in _WIDTHS:
            raise QrandError(f"bits must be 32 or 64, got {bits!r}")
        return int(self.generate_state(1, _WIDTHS[bits])[0])

    def numpy(self) -> np.random.Generator:
        """A ``numpy.random.Generator`` (PCG64) on this node's stream."""
        return np.random.Generator(np.random.PCG64(self.seed_sequence()))

    def python(self) -> random.Random:
        """A ``random.Random`` seeded with 128 bits of this node's stream."""
        words = self.generate_state(2, np.uint64)
        return random.Random(int(words[0]) | (int(words[1]) << 64))

    def jax_key(self):
        """A typed JAX key (default PRNG implementation) filled from this node's stream."""
        from .._optional import require

        jax = require("jax")
        impl = jax.config.jax_default_prng_impl
        shape = jax.random.key_data(jax.random.key(0, impl=impl)).shape
        data = self.generate_state(int(np.prod(shape)), np.uint32).reshape(shape)
        return jax.random.wrap_key_data(jax.numpy.asarray(data, dtype=jax.numpy.uint32), impl=impl)

    def torch_generator(self, device: str = "cpu"):
        """A ``torch.Generator`` seeded with this node's 64-bit seed."""
        from .._optional import require

        torch = require("torch")
        generator = torch.Generator(device=device)
        generator.manual_seed(self.seed(64))
        return generator

    # -- plumbing -----------------------------------------------------------
    def to_dict(self) -> dict:
        """JSON-ready description: root (int and hex), source, path."""
        return {"root": self._root, "root_hex": hex(self._root), "source": self._source,
                "path": list(self._path)}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SeedTree) and (self._root, self._path) == (other._root, other._path)

    def __hash__(self) -> int:
        return hash((self._root, self._path))

    def __repr__(self) -> str:
        path = "".join(f".child({k!r})" for k in self._path)
        return f"SeedTree({self._root}, source={self._source!r}){path}"
