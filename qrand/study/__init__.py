"""``qrand study``: the flagship end-to-end study and its report.

:func:`run_study` runs every section (seed tree and environment, shot noise vs
hardware-like noise, seed spread of VQC vs classical training, randomness
traps, NIST battery on several bit sources) and writes ``report.md``,
``report.html``, the data, the sweep stores and the manifest.
"""

from __future__ import annotations

from typing import Any

__all__ = ["run_study", "verify_study", "StudyConfig"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module 'qrand.study' has no attribute {name!r}")
