"""Shot-noise studies: when does hardware-like noise stand out from shot noise?

* :func:`sweep` samples circuits on backends (``default.qubit``, ``aer:fake_manila``,
  ...) for many seeds and shot counts, by the fast multinomial path or the real
  device path, into a resumable store and a tidy DataFrame;
* :func:`detection_report` finds, per circuit and noise profile, the smallest shot
  count at which the noise is distinguishable from the ideal simulator;
* :func:`analyse` bundles the spread table, the detection report and their
  joined summary; :func:`exact_distributions` gives the distributions behind a
  sweep; :func:`sweep_figures` writes every figure of :mod:`qrand.shots.plots`
  and returns ``(caption, png path)`` pairs. See ``docs/shots.md``.

The sweep itself lives in :mod:`qrand.shots.sweeping` (``qrand.shots.sweep`` is the function).
"""

from __future__ import annotations

from .._lazy import lazy_exports

_EXPORTS = {
    "sweep": "qrand.shots.sweeping",
    "load_counts": "qrand.shots.sweeping",
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
    "analyse": "qrand.shots.report",
    "ShotAnalysis": "qrand.shots.report",
    "exact_distributions": "qrand.shots.report",
    "sweep_figures": "qrand.shots.report",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
