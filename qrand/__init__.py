"""qrand: controllable, measurable randomness for quantum machine learning.

``import qrand`` is cheap: names below are loaded on first use (PEP 562), and
no framework (JAX, PennyLane, Qiskit, torch, TensorFlow) is imported until an
adapter that needs it is used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS = {
    "SeedTree": "qrand.seeding.tree",
    "seed_everything": "qrand.seeding.everything",
    "scoped": "qrand.seeding.everything",
    "jax_key": "qrand.seeding.everything",
    "worker_init_fn": "qrand.seeding.workers",
    "QrandError": "qrand.errors",
    "MissingExtraError": "qrand.errors",
    "Manifest": "qrand.manifest",
    "fingerprint": "qrand.manifest",
    "check_determinism": "qrand.manifest",
    "audit": "qrand.manifest",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qrand' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
