"""Exact outcome distributions of a circuit on PennyLane or Aer, with optional noise.

The result is ordered wire-0-first (big-endian, as ``qml.probs``): index
``sum(b_i * 2**(m-1-i))`` for bit ``b_i`` of the ``i``-th returned qubit.
Qiskit's little-endian order is converted.
"""

from __future__ import annotations

import numpy as np

from .._optional import require
from ..errors import QrandError
from .bridge import _measured_qubits, qiskit_operations, to_qiskit

BACKENDS = ("default.qubit", "default.mixed", "lightning.qubit", "aer", "aer.statevector",
            "aer.density_matrix")


def _big_endian(p_little: np.ndarray, m: int) -> np.ndarray:
    """Reorder a little-endian probability vector over ``m`` qubits to wire-0-first."""
    return np.asarray(p_little).reshape([2] * m).transpose(list(range(m))[::-1]).reshape(-1)


def apply_readout(probs: np.ndarray, matrices: list[np.ndarray | None]) -> np.ndarray:
    """Push a wire-0-first distribution through per-qubit confusion matrices ``M[i, j] = P(j|i)``."""
    m = len(matrices)
    tensor = np.asarray(probs, dtype=float).reshape([2] * m)
    for axis, mat in enumerate(matrices):
        if mat is not None:
            tensor = np.moveaxis(np.tensordot(tensor, mat, axes=([axis], [0])), -1, axis)
    return tensor.reshape(-1)


def probabilities(circuit, *, backend: str = "default.qubit", profile=None, qubits=None) -> np.ndarray:
    """Exact probabilities of every outcome (no sampling), readout error included with a profile.

    Parameters
    ----------
    circuit : QuantumCircuit, QuantumScript or quantum function
        The circuit; measured qubits (clbit order) are returned when it has
        ``measure`` instructions, else all qubits.
    backend : {"default.qubit", "default.mixed", "lightning.qubit", "aer", "aer.statevector", "aer.density_matrix"}
        Simulator; with a profile only ``default.mixed`` and Aer (density matrix) apply noise.
    profile : HardwareProfile, optional
        Gate noise and readout confusion; the circuit's qubits must exist in it
        (transpile to the profile's basis gates first: other gates are noiseless).
    qubits : sequence of int, optional
        Qubits to return, in this order (overrides the measured qubits).

    Returns
    -------
    numpy.ndarray
        Shape ``(2**m,)``, wire-0-first (big-endian) like ``qml.probs``.
    """
    if backend not in BACKENDS:
        raise QrandError(f"unknown backend {backend!r}; valid names: {', '.join(BACKENDS)}")
    qc = to_qiskit(circuit)
    n = qc.num_qubits
    measured = _measured_qubits(qc)
    out = list(qubits) if qubits is not None else (measured if measured is not None else list(range(n)))
    bad = [q for q in out if isinstance(q, bool) or not isinstance(q, int) or not 0 <= q < n]
    if bad or len(set(out)) != len(out) or not out:
        raise QrandError(f"qubits must be distinct qubits of the {n}-qubit circuit, got {out}")
    if profile is not None:
        profile.check_qubits(range(n), what=f"circuit {qc.name!r}")
        if backend in ("default.qubit", "lightning.qubit", "aer.statevector"):
            raise QrandError(f"a noise profile needs backend 'default.mixed' or 'aer', not {backend!r}")
    qc, out, profile = _compact(qc, out, profile)
    if backend.startswith("aer"):
        return _aer(qc, out, backend, profile)
    return _pennylane(qc, out, backend, profile)


def _compact(qc, out, profile):
    """Drop qubits no gate touches and nobody reads (e.g. the idle qubits of a transpiled circuit).

    Idle qubits stay in |0> and get no gate noise, so removing them changes
    no probability; the profile is restricted to the kept qubits.
    """
    active = set(out)
    for inst in qc.data:
        if inst.operation.name not in ("barrier", "measure"):
            active.update(qc.find_bit(q).index for q in inst.qubits)
    if len(active) == qc.num_qubits:
        return qc, out, profile
    keep = sorted(active)
    index = {q: i for i, q in enumerate(keep)}
    small = type(qc)(len(keep), name=qc.name, global_phase=qc.global_phase)
    for inst in qc.data:
        qubits = [qc.find_bit(q).index for q in inst.qubits]
        if inst.operation.name == "measure" or not qubits:
            continue
        operation = inst.operation
        if operation.name == "barrier":
            qubits = [q for q in qubits if q in index]
            operation = type(operation)(len(qubits)) if qubits else None
        if operation is not None:
            small.append(operation, [index[q] for q in qubits])
    return small, [index[q] for q in out], None if profile is None else profile.subset(keep)


def _pennylane(qc, out, backend, profile):
    qml = require("pennylane")
    ops = qiskit_operations(qc)
    tape = qml.tape.QuantumScript(ops, [qml.probs(wires=out)])
    if profile is not None:
        from .noise import apply_profile_noise, pennylane_tables

        (tape,), _ = apply_profile_noise(tape, tables=pennylane_tables(profile))
    dev = qml.device(backend, wires=qc.num_qubits)
    (result,) = qml.execute([tape], dev, diff_method=None)
    return np.asarray(result, dtype=float)


def _aer(qc, out, backend, profile):
    aer = require("qiskit_aer")
    from qiskit_aer.library import SaveProbabilities

    method = backend.split(".", 1)[1] if "." in backend else (
        "density_matrix" if profile is not None else "statevector")
    bare = qc.remove_final_measurements(inplace=False)
    bare.append(SaveProbabilities(len(out)), [bare.qubits[q] for q in out])
    options = {"method": method, "precision": "double"}
    if profile is not None:
        options["noise_model"] = profile.to_aer()
    sim = aer.AerSimulator(**options)
    result = sim.run(bare, shots=1, seed_simulator=0).result()
    probs = _big_endian(result.data(0)["probabilities"], len(out))
    if profile is not None:
        from .noise import readout_matrices

        mats = readout_matrices(profile)
        probs = apply_readout(probs, [mats.get(q) for q in out])
    return probs
