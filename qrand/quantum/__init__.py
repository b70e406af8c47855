"""Seeded quantum backends, a PennyLane<->Qiskit bridge and hardware-like noise profiles.

Importing ``qrand.quantum`` imports no framework; names load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "device": "qrand.quantum.devices",
    "DEVICES": "qrand.quantum.devices",
    "aer_simulator": "qrand.quantum.aer",
    "SeededAer": "qrand.quantum.aer",
    "transpile": "qrand.quantum.transpiling",
    "circuit_hash": "qrand.quantum.transpiling",
    "to_qiskit": "qrand.quantum.bridge",
    "to_pennylane": "qrand.quantum.bridge",
    "circuits": "qrand.quantum.circuits",
    "probabilities": "qrand.quantum.exact",
    "HardwareProfile": "qrand.quantum.profiles",
    "ExecutionStream": "qrand.quantum._stream",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qrand.quantum' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if module.endswith("." + name) else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
