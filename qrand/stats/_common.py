"""Shared input handling for :mod:`qrand.stats`: counts or probabilities as arrays.

Every function in ``qrand.stats`` accepts either NumPy arrays whose last axis
indexes outcomes (leading axes broadcast, e.g. ``(seeds, shots, outcomes)``),
or mappings ``{bitstring: count}`` such as Qiskit's ``get_counts()``. Two
mappings are aligned on the union of their keys; a mapping next to an array
is placed by ``int(key, 2)`` (bitstring read as a binary number).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import QrandError


def _mapping_to_array(mapping: Mapping, size: int) -> np.ndarray:
    out = np.zeros(size, dtype=float)
    for key, value in mapping.items():
        try:
            index = int(str(key).replace(" ", ""), 2) if not isinstance(key, int) else key
        except ValueError:
            raise QrandError(f"outcome key {key!r} is not a bitstring") from None
        if not 0 <= index < size:
            raise QrandError(f"outcome {key!r} does not fit in {size} outcomes")
        out[index] += value
    return out


def as_array(x: Any, name: str = "distribution") -> np.ndarray:
    """``x`` as a float array (last axis = outcomes); checks for negative or non-finite values."""
    if isinstance(x, Mapping):
        raise QrandError(f"{name}: use align() for mappings")
    arr = np.asarray(x)
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise QrandError(f"{name} must have at least one outcome, got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.number):
        raise QrandError(f"{name} must be numeric, got dtype {arr.dtype}")
    arr = arr.astype(float, copy=False)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise QrandError(f"{name} must be finite and non-negative")
    return arr


def is_counts(x: Any) -> bool:
    """Whether ``x`` holds counts: an integer dtype, or integral values with a total above 1."""
    arr = np.asarray(list(x.values()) if isinstance(x, Mapping) else x)
    if np.issubdtype(arr.dtype, np.integer):
        return True
    return bool(arr.size and np.all(arr == np.round(arr)) and np.all(arr.sum(axis=-1) > 1))


def clean_probabilities(probs: Any, atol: float = 1e-9) -> np.ndarray:
    """Probabilities from a simulator made safe for sampling: tiny negatives clipped, sum 1.

    Raises :class:`QrandError` when a value is below ``-atol`` or the total is
    off by more than ``1e-6`` (not a probability vector at all).
    """
    p = np.asarray(probs, dtype=float)
    if p.ndim != 1 or p.size == 0 or not np.all(np.isfinite(p)):
        raise QrandError(f"probabilities must be a finite 1-D array, got shape {p.shape}")
    if np.any(p < -atol) or abs(p.sum() - 1.0) > 1e-6:
        raise QrandError(f"not a probability vector (min {p.min():.3g}, sum {p.sum():.9g})")
    p = np.clip(p, 0.0, None)
    return p / p.sum()


def multinomial(rng: np.random.Generator, probs: np.ndarray, shots: int, size: Any = None) -> np.ndarray:
    """Counts of ``shots`` draws from ``probs`` (``size`` extra leading axes), int64."""
    if int(shots) != shots or shots < 1:
        raise QrandError(f"shots must be a positive integer, got {shots!r}")
    return rng.multinomial(int(shots), probs, size=size).astype(np.int64, copy=False)


def as_generator(seed: Any) -> np.random.Generator:
    """A NumPy ``Generator`` from a ``Generator``, a :class:`~qrand.SeedTree` or an int root."""
    from ..seeding.tree import SeedTree

    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, SeedTree):
        return seed.numpy()
    return SeedTree(seed).numpy()


def align(p: Any, q: Any) -> tuple[np.ndarray, np.ndarray]:
    """Two inputs as float arrays over the same outcomes (see the module docstring)."""
    if isinstance(p, Mapping) and isinstance(q, Mapping):
        keys = sorted(set(p) | set(q), key=str)
        return (as_array([p.get(k, 0) for k in keys], "p"), as_array([q.get(k, 0) for k in keys], "q"))
    if isinstance(p, Mapping):
        q = as_array(q, "q")
        return _mapping_to_array(p, q.shape[-1]), q
    if isinstance(q, Mapping):
        p = as_array(p, "p")
        return p, _mapping_to_array(q, p.shape[-1])
    p, q = as_array(p, "p"), as_array(q, "q")
    if p.shape[-1] != q.shape[-1]:
        raise QrandError(f"p and q have different numbers of outcomes: {p.shape[-1]} vs {q.shape[-1]}")
    return p, q


def normalise(x: np.ndarray, name: str = "distribution") -> np.ndarray:
    """Divide by the total along the last axis; an all-zero row is an error."""
    total = x.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise QrandError(f"{name} has total zero: no counts or probabilities")
    return x / total


def smooth(x: np.ndarray, pseudocount: float) -> np.ndarray:
    """Additive (Lidstone) smoothing: add ``pseudocount`` to every outcome, then normalise.

    ``pseudocount=0.5`` is the Jeffreys / Krichevsky-Trofimov estimator,
    ``1`` is Laplace's rule. Apply it to counts, not to probabilities.
    """
    if pseudocount < 0:
        raise QrandError(f"smoothing pseudocount must be >= 0, got {pseudocount}")
    return normalise(x + pseudocount)
