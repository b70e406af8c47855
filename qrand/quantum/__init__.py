"""Seeded quantum backends, a PennyLane<->Qiskit bridge and hardware-like noise profiles.

Importing ``qrand.quantum`` imports no framework; names load on first use.
"""

from __future__ import annotations

from .._lazy import lazy_exports


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

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
