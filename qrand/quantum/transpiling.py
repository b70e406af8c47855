"""Seeded transpilation with a recorded fingerprint of the result.

Qiskit's transpiler is stochastic (Sabre layout and routing draw random
numbers) unless ``seed_transpiler`` is set. :func:`transpile` derives it from
``tree.child("transpile", NAME)`` and records the seed and a sha256 of the
transpiled circuit (OpenQASM 3 text plus final layout) in the run record.
"""

from __future__ import annotations

import hashlib

from .._optional import require
from ..errors import QrandError
from ..seeding import record as _record
from ._stream import resolve_tree
from .bridge import to_qiskit


def circuit_hash(circuit) -> str:
    """sha256 of a Qiskit circuit's OpenQASM 3 text and its final layout."""
    qiskit = require("qiskit")
    try:
        text = qiskit.qasm3.dumps(circuit)
    except Exception:  # gates OpenQASM 3 cannot express: fall back to the instruction list
        text = "\n".join(f"{i.operation.name} {i.operation.params} "
                         f"{[circuit.find_bit(q).index for q in i.qubits]}" for i in circuit.data)
    layout = circuit.layout.final_index_layout() if circuit.layout is not None else None
    return hashlib.sha256(f"{text}\nlayout={layout}".encode()).hexdigest()


def _resolve_backend(backend):
    from .aer import SeededAer
    from .profiles import HardwareProfile, fake_backend

    if isinstance(backend, str):
        return {"backend": fake_backend(backend)}
    if isinstance(backend, HardwareProfile):
        return {"target": backend.to_target()}
    if isinstance(backend, SeededAer):
        return {"backend": backend.backend}
    if hasattr(backend, "target"):
        return {"backend": backend}
    raise QrandError(f"backend must be a fake backend name, a HardwareProfile or a Qiskit backend, "
                     f"got {type(backend).__name__}")


def transpile(circuit, backend, *, seed=None, name: str | None = None, optimization_level: int = 1,
              **kwargs):
    """Transpile with a derived ``seed_transpiler``; record the seed and the result's hash.

    Parameters
    ----------
    circuit : QuantumCircuit, PennyLane tape or quantum function, or a list of circuits
        What to transpile (PennyLane input goes through :func:`~qrand.quantum.to_qiskit`).
    backend : str, HardwareProfile, SeededAer or Qiskit backend
        A fake-backend name ("manila", "brisbane"), a profile (its target) or a backend.
    seed : int, SeedTree or None
        Root of the seed tree (``None``: the run's tree or OS entropy).
    name : str, optional
        NAME in ``tree.child("transpile", NAME)`` and the record (default: the circuit's name).
    optimization_level : int
        Qiskit optimisation level.
    **kwargs
        Other ``qiskit.transpile`` options (``seed_transpiler`` is not allowed).
    """
    if "seed_transpiler" in kwargs:
        raise QrandError("seed_transpiler is derived by qrand; pass seed= instead")
    qiskit = require("qiskit")
    many = isinstance(circuit, (list, tuple))
    circuits = [to_qiskit(c) for c in (circuit if many else [circuit])]
    label = name or (circuits[0].name if len(circuits) == 1 else "batch")
    tree = resolve_tree(seed)
    seed_transpiler = tree.child("transpile", label).seed(32)
    out = qiskit.transpile(circuits, seed_transpiler=seed_transpiler,
                           optimization_level=optimization_level, **_resolve_backend(backend), **kwargs)
    rec = _record.current()
    rec.note_seed(f"qiskit.transpile:{label}", seed_transpiler)
    digest = hashlib.sha256("".join(circuit_hash(c) for c in out).encode()).hexdigest()
    rec.note_fingerprint(f"transpiled:{label}", digest)
    return out if many else out[0]
