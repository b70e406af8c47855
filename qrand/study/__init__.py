"""``qrand study``: the flagship end-to-end study and its report.

:func:`run_study` runs every section (seed tree and environment, shot noise vs
hardware-like noise, seed spread of VQC vs classical training, randomness
traps, NIST battery on several bit sources) and writes ``report.md``,
``report.html``, the data, the sweep stores and the manifest;
:func:`verify_study` compares a re-run's data files with a study's hashes.
"""

from __future__ import annotations

from .._lazy import lazy_exports

_EXPORTS = {name: "qrand.study.run" for name in ("run_study", "verify_study", "data_hashes", "SECTIONS")}
_EXPORTS["StudyConfig"] = "qrand.study.config"

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
