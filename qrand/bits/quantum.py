"""Quantum bit sources: a Hadamard on every qubit, then measure, on seeded simulators.

The devices come from :mod:`qrand.quantum`, so execution ``k`` of device
NAME (``default.qubit``, ``default.mixed`` or ``aer``) is seeded from
``tree.child("device", NAME, "exec", k)``. Each execution measures ``W``
qubits ``S`` times; the bits of one execution are laid out qubit by qubit
(all S shots of qubit 0, then qubit 1, ...), so consecutive bits come from
the same qubit and share its readout bias (which is what lets the von
Neumann extractor remove it). The Hadamard is compiled as RZ(pi/2) SX
RZ(pi/2), the basis gates a hardware profile attaches its noise to.

With a PROFILE (a fake-backend name such as ``manila``, or a profile JSON
path), gate noise and the profile's asymmetric readout errors apply, and the
bits are biased.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from .._optional import require
from ..errors import QrandError
from ..seeding.tree import SeedTree

QUANTUM_SOURCES = ("default.qubit", "aer", "aer:PROFILE", "default.mixed:PROFILE")
#: qubits measured per execution without a profile
IDEAL_WIRES = 16
#: shots per execution at most
MAX_SHOTS = 1 << 16


def load_profile(spec: str):
    """A :class:`~qrand.quantum.profiles.HardwareProfile` from a fake-backend name or a JSON path.

    For a fake backend, the per-qubit readout asymmetry P(1|0) != P(0|1) that
    the backend's calibration (``backend.properties()``) records is kept.
    """
    from ..quantum import HardwareProfile

    if spec.endswith(".json") or Path(spec).is_file():
        return HardwareProfile.from_json(spec)
    return HardwareProfile.from_fake_backend(spec, readout="calibration")


def _plan(n_bits: int, wires: int) -> tuple[int, int]:
    """(shots per execution, executions) to get at least ``n_bits`` bits."""
    shots = min(MAX_SHOTS, math.ceil(n_bits / wires))
    shots += shots % 2  # even, so von Neumann pairs never straddle two qubits
    return shots, math.ceil(n_bits / (shots * wires))


def _pennylane_bits(backend: str, n_bits: int, tree: SeedTree, profile) -> np.ndarray:
    qml = require("pennylane")
    from ..quantum import device

    wires = profile.n_qubits if profile is not None else IDEAL_WIRES
    shots, executions = _plan(n_bits, wires)
    dev = device(backend, wires, seed=tree, profile=profile)

    @qml.set_shots(shots=shots)
    @qml.qnode(dev)
    def hadamards():
        for w in range(wires):
            qml.RZ(math.pi / 2, wires=w)
            qml.SX(wires=w)
            qml.RZ(math.pi / 2, wires=w)
        return qml.sample()

    chunks = [np.asarray(hadamards(), dtype=np.uint8).reshape(shots, wires).T.ravel()
              for _ in range(executions)]
    return np.concatenate(chunks)[:n_bits]


def _aer_bits(n_bits: int, tree: SeedTree, profile) -> np.ndarray:
    qiskit = require("qiskit")
    from ..quantum import aer_simulator

    wires = profile.n_qubits if profile is not None else IDEAL_WIRES
    shots, executions = _plan(n_bits, wires)
    method = "density_matrix" if profile is not None else "statevector"
    sim = aer_simulator(seed=tree, method=method, profile=profile)
    circuit = qiskit.QuantumCircuit(wires)
    for q in range(wires):
        circuit.rz(math.pi / 2, q)
        circuit.sx(q)
        circuit.rz(math.pi / 2, q)
    circuit.measure_all()
    chunks = []
    bit_index = np.arange(wires, dtype=np.int64)
    for _ in range(executions):
        # raw per-shot memory: hex strings of the classical register, clbit q = qubit q = bit q
        memory = sim.result(circuit, shots=shots, memory=True).data(0)["memory"]
        values = np.fromiter((int(h, 16) for h in memory), dtype=np.int64, count=shots)
        chunks.append(((values[None, :] >> bit_index[:, None]) & 1).ravel())  # qubit by qubit
    return np.concatenate(chunks)[:n_bits].astype(np.uint8)


def quantum_bits(spec: str, n_bits: int, tree: SeedTree) -> np.ndarray:
    """Bits from ``quantum:SPEC`` (SPEC = ``default.qubit``, ``aer``, ``aer:PROFILE``, ``default.mixed:PROFILE``)."""
    backend, _, profile_spec = spec.partition(":")
    if backend not in ("default.qubit", "default.mixed", "aer"):
        raise QrandError(f"unknown quantum source quantum:{spec}; valid: "
                         + ", ".join("quantum:" + q for q in QUANTUM_SOURCES))
    if backend == "default.qubit" and profile_spec:
        raise QrandError("quantum:default.qubit takes no profile; use quantum:default.mixed:PROFILE")
    if backend == "default.mixed" and not profile_spec:
        raise QrandError("quantum:default.mixed needs a profile, e.g. quantum:default.mixed:manila")
    profile = load_profile(profile_spec) if profile_spec else None
    if backend == "aer":
        return _aer_bits(n_bits, tree, profile)
    return _pennylane_bits(backend, n_bits, tree, profile)
