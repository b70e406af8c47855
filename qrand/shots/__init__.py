"""Shot-noise studies: when does hardware-like noise stand out from shot noise?

* :func:`sweep` samples circuits on backends (``default.qubit``, ``aer:fake_manila``,
  ...) for many seeds and shot counts, by the fast multinomial path or the real
  device path, into a resumable store and a tidy DataFrame;
* :func:`detection_report` finds, per circuit and noise profile, the smallest shot
  count at which the noise is distinguishable from the ideal simulator;
* :mod:`qrand.shots.plots` draws the figures. See ``docs/shots.md``.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "sweep": "qrand.shots.sweep",
    "load_counts": "qrand.shots.sweep",
    "parse_backend": "qrand.shots.backends",
    "parse_backends": "qrand.shots.backends",
    "BackendSpec": "qrand.shots.backends",
    "fast_counts": "qrand.shots.sampling",
    "device_counts": "qrand.shots.sampling",
    "exact_probabilities": "qrand.shots.sampling",
    "ideal_probabilities": "qrand.shots.sampling",
    "spread_table": "qrand.shots.compare",
    "detection_table": "qrand.shots.compare",
    "detection_report": "qrand.shots.compare",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qrand.shots' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
