"""Distances between outcome distributions (counts or probabilities).

All functions normalise their inputs, broadcast over leading axes (last axis =
outcomes) and return floats or arrays. Conventions:

* ``tvd(p, q) = 1/2 sum |p_i - q_i|`` in [0, 1].
* ``hellinger_distance(p, q) = sqrt(1 - BC)`` with the Bhattacharyya
  coefficient ``BC = sum sqrt(p_i q_i)``; equivalently
  ``sqrt(sum (sqrt p_i - sqrt q_i)^2 / 2)``, in [0, 1].
* ``hellinger_fidelity(p, q) = (1 - H^2)^2 = BC^2``: **Qiskit's convention**
  (``qiskit.quantum_info.hellinger_fidelity``), the classical fidelity, equal
  to the state fidelity of diagonal density matrices. Note it is the square of
  the Bhattacharyya coefficient, not ``1 - H``.
* ``kl_divergence(p, q)`` in nats; infinite where ``q_i = 0 < p_i``. Counts
  given as ``q`` are smoothed with a pseudocount (default 0.5) so a zero
  count does not make the divergence infinite; probabilities are used as given.
* ``js_divergence(p, q)`` in nats (bounded by ln 2), always finite; optional
  smoothing of count inputs. ``js_distance`` is its square root.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..errors import QrandError
from ._common import align, is_counts, normalise, smooth


def _pair(p: Any, q: Any) -> tuple[np.ndarray, np.ndarray]:
    a, b = align(p, q)
    return normalise(a, "p"), normalise(b, "q")


def _out(x: np.ndarray) -> float | np.ndarray:
    return float(x) if np.ndim(x) == 0 else x


def tvd(p: Any, q: Any) -> float | np.ndarray:
    """Total variation distance ``1/2 sum |p - q|``."""
    a, b = _pair(p, q)
    return _out(0.5 * np.abs(a - b).sum(axis=-1))


def bhattacharyya(p: Any, q: Any) -> float | np.ndarray:
    """Bhattacharyya coefficient ``sum sqrt(p q)`` in [0, 1]."""
    a, b = _pair(p, q)
    return _out(np.minimum(np.sqrt(a * b).sum(axis=-1), 1.0))


def hellinger_distance(p: Any, q: Any) -> float | np.ndarray:
    """Hellinger distance ``sqrt(1 - sum sqrt(p q))`` (Qiskit's ``hellinger_distance``)."""
    return _out(np.sqrt(np.maximum(1.0 - np.asarray(bhattacharyya(p, q)), 0.0)))


def hellinger_fidelity(p: Any, q: Any) -> float | np.ndarray:
    """Hellinger fidelity ``(1 - H^2)^2 = (sum sqrt(p q))^2``, Qiskit's convention."""
    return _out(np.asarray(bhattacharyya(p, q)) ** 2)


def _xlogy_ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``sum a log(a / b)`` with ``0 log 0 = 0`` and ``inf`` where ``b = 0 < a``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(a > 0, a * (np.log(np.where(a > 0, a, 1.0)) - np.log(b)), 0.0)
    return terms.sum(axis=-1)


def _prepare(x: np.ndarray, raw: Any, pseudocount: float) -> np.ndarray:
    return smooth(x, pseudocount) if pseudocount and is_counts(raw) else normalise(x)


def kl_divergence(p: Any, q: Any, *, smoothing: float = 0.5) -> float | np.ndarray:
    """Kullback-Leibler divergence ``KL(p || q)`` in nats.

    Parameters
    ----------
    p, q : counts or probabilities
    smoothing : float
        Pseudocount added to every outcome of ``q`` when ``q`` holds counts
        (0.5 = Jeffreys). ``p`` is never smoothed (``0 log 0 = 0``).
    """
    a, b = align(p, q)
    return _out(_xlogy_ratio(normalise(a, "p"), _prepare(b, q, smoothing)))


def js_divergence(p: Any, q: Any, *, smoothing: float = 0.0) -> float | np.ndarray:
    """Jensen-Shannon divergence in nats (``<= ln 2``); ``smoothing`` applies to count inputs."""
    a, b = align(p, q)
    a, b = _prepare(a, p, smoothing), _prepare(b, q, smoothing)
    m = 0.5 * (a + b)
    return _out(np.maximum(0.5 * _xlogy_ratio(a, m) + 0.5 * _xlogy_ratio(b, m), 0.0))


def js_distance(p: Any, q: Any, *, smoothing: float = 0.0) -> float | np.ndarray:
    """Jensen-Shannon distance ``sqrt(JS)`` (a metric)."""
    return _out(np.sqrt(np.asarray(js_divergence(p, q, smoothing=smoothing))))


#: name -> distance function (used by the null baselines and the shot sweeps)
DISTANCES: dict[str, Callable[..., Any]] = {
    "tvd": tvd,
    "hellinger": hellinger_distance,
    "kl": kl_divergence,
    "js": js_divergence,
}


def get_distance(name: str) -> Callable[..., Any]:
    """The distance function called ``name`` (one of :data:`DISTANCES`)."""
    try:
        return DISTANCES[name]
    except KeyError:
        raise QrandError(f"unknown distance {name!r}; choose from {', '.join(DISTANCES)}") from None
