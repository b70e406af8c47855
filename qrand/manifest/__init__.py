"""Run manifests, fingerprints, graded determinism checks and the randomness audit.

``import qrand.manifest`` is cheap: the names below are loaded on first use.

* :class:`Manifest` -- capture/save/load/diff a run's JSON manifest.
* :func:`fingerprint` -- sha256 of arrays, frames, dicts of them, files.
* :func:`check_determinism` -- call a function N times, grade the results.
* :func:`audit` -- ``with qrand.audit() as report:`` finds implicit randomness.
"""

from __future__ import annotations

import importlib
from typing import Any

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

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qrand.manifest' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
