"""qrand: controllable, measurable randomness for quantum machine learning.

``import qrand`` is cheap: names below are loaded on first use (PEP 562), and
no framework (JAX, PennyLane, Qiskit, torch, TensorFlow) is imported until an
adapter that needs it is used.
"""

from __future__ import annotations

from ._lazy import lazy_exports


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
    "device": "qrand.quantum.devices",
    "aer_simulator": "qrand.quantum.aer",
    "HardwareProfile": "qrand.quantum.profiles",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
__all__ = [*__all__, "__version__"]
