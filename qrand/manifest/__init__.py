"""Run manifests, fingerprints, graded determinism checks and the randomness audit.

``import qrand.manifest`` is cheap: the names below are loaded on first use.

* :class:`Manifest` -- capture/save/load/diff a run's JSON manifest.
* :func:`fingerprint` -- sha256 of arrays, frames, dicts of them, files.
* :func:`check_determinism` -- call a function N times, grade the results.
* :func:`audit` -- ``with qrand.audit() as report:`` finds implicit randomness.
"""

from __future__ import annotations

from .._lazy import lazy_exports


_EXPORTS = {
    "Manifest": "qrand.manifest.model",
    "fingerprint": "qrand.manifest.fingerprinting",
    "check_determinism": "qrand.manifest.check",
    "check_command": "qrand.manifest.check",
    "audit": "qrand.manifest.auditing",
    "AuditReport": "qrand.manifest.auditing",
    "Report": "qrand.manifest.compare",
    "LEVELS": "qrand.manifest.compare",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
