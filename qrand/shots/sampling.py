"""Counts for a shot sweep: the fast multinomial path and the device path.

Both paths sample the same *prepared* circuit: the library circuit with a final
``measure_all``, transpiled (seeded) onto the noise profile's target when the
backend has a profile, so noise lands on the profile's native gates exactly
as on hardware. Outcome ``i`` is the bitstring of ``i`` over the measured
(logical) qubits with qubit 0 as the most significant bit.

* **fast** (:func:`fast_counts`): the backend's exact outcome distribution
  (noisy and with readout error when a profile is attached) is computed once
  per process for each (circuit, backend, profile) and cached; then for each
  shot count ``N`` one multinomial draw of ``N`` shots from the generator
  ``tree.child("multinomial", N).numpy()``. Only counts are built, never a
  per-shot array.
* **device** (:func:`device_counts`): the real simulator. One seeded device
  (PennyLane, via :func:`qrand.quantum.device`) or Aer simulator (via
  :func:`qrand.quantum.aer_simulator`) per seed, named by the backend spec;
  by qrand's execution-seed rule the ``k``-th shot count of the (sorted) shot
  list is execution ``k`` and draws its seed from
  ``tree.child("device", BACKEND, "exec", k)``.

In a sweep ``tree`` is the seed's own node
``root.child("shots", CIRCUIT, BACKEND, "seed", s)`` of the sweep's root (see
:mod:`qrand.shots.sweeping`), whichever task the seed is computed in. The two paths give different counts for one seed
but the same distribution: a G-test on pooled counts accepts, see the tests.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from .._optional import require
from ..errors import QrandError
from ..seeding.tree import SeedTree
from ..stats._common import clean_probabilities, multinomial
from .backends import BackendSpec, parse_backend
from .circuits import build_circuit

#: probabilities below this are treated as exactly zero (simulator round-off)
ZERO_ATOL = 1e-12


def _key(circuit_cfg: str | dict) -> str | tuple:
    return circuit_cfg if isinstance(circuit_cfg, str) else (circuit_cfg["name"], circuit_cfg["qasm"])


def _cfg(key: str | tuple) -> str | dict:
    return key if isinstance(key, str) else {"name": key[0], "qasm": key[1]}


@lru_cache(maxsize=32)
def _profile(backend: BackendSpec, n_qubits: int):
    return backend.build_profile(n_qubits)


def profile_for(circuit_cfg: str | dict, backend: str | BackendSpec):
    """The backend's :class:`~qrand.quantum.HardwareProfile` for this circuit (None when ideal)."""
    backend = parse_backend(backend)
    return _profile(backend, build_circuit(circuit_cfg).num_qubits)


def prepared_circuit(circuit_cfg: str | dict, backend: str | BackendSpec, transpile_seed: int):
    """The measured circuit a backend runs (transpiled onto its profile, if any); cached."""
    return _prepared(_key(circuit_cfg), parse_backend(backend), int(transpile_seed)).copy()


@lru_cache(maxsize=64)
def _prepared(key, backend: BackendSpec, transpile_seed: int):
    circuit = build_circuit(_cfg(key))
    circuit.measure_all()
    profile = _profile(backend, circuit.num_qubits)
    if profile is None:
        return circuit
    if circuit.num_qubits > profile.n_qubits:
        raise QrandError(f"circuit {circuit.name!r} has {circuit.num_qubits} qubits; profile "
                         f"{profile.name!r} has {profile.n_qubits}")
    from ..quantum import transpile

    return transpile(circuit, profile, seed=transpile_seed)


def exact_probabilities(circuit_cfg: str | dict, backend: str | BackendSpec,
                        transpile_seed: int) -> np.ndarray:
    """The backend's exact outcome distribution of the prepared circuit; cached per process."""
    return _exact(_key(circuit_cfg), parse_backend(backend), int(transpile_seed)).copy()


def _snap(probs: Any) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    p = np.where(np.abs(p) < ZERO_ATOL, 0.0, p)
    return clean_probabilities(p)


@lru_cache(maxsize=64)
def _exact(key, backend: BackendSpec, transpile_seed: int) -> np.ndarray:
    from ..quantum import probabilities

    circuit = _prepared(key, backend, transpile_seed)
    profile = _profile(backend, build_circuit(_cfg(key)).num_qubits)
    return _snap(probabilities(circuit, backend=exact_backend(backend), profile=profile))


def exact_backend(backend: BackendSpec) -> str:
    """The ``qrand.quantum.probabilities`` backend computing this spec's exact distribution.

    Aer with a profile is computed as a density matrix (whatever method samples it).
    """
    if backend.simulator != "aer":
        return backend.simulator
    if backend.profile is not None:
        return "aer.density_matrix"
    return "aer" if backend.method in (None, "automatic") else f"aer.{backend.method}"


def ideal_probabilities(circuit_cfg: str | dict) -> np.ndarray:
    """The ideal (noiseless, state-vector) distribution of the circuit; cached per process."""
    return _exact(_key(circuit_cfg), BackendSpec("default.qubit"), 0).copy()


def check_shots(shots: Sequence[int]) -> list[int]:
    """Shot counts as a sorted list of distinct positive ints (bad input: QrandError)."""
    if isinstance(shots, (int, np.integer)):
        shots = [shots]
    out = []
    for n in shots:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise QrandError(f"shot counts must be positive integers, got {n!r}")
        out.append(int(n))
    if not out:
        raise QrandError("no shot counts given")
    return sorted(set(out))


def fast_counts(probs: np.ndarray, shots: Sequence[int], tree: SeedTree) -> np.ndarray:
    """Counts, shape ``(len(shots), K)``: one multinomial draw per shot count (see module doc)."""
    p = clean_probabilities(probs)
    return np.stack([multinomial(tree.child("multinomial", n).numpy(), p, n) for n in shots])


def _bits_to_index(samples: np.ndarray, n_bits: int) -> np.ndarray:
    samples = np.asarray(samples, dtype=np.int64).reshape(-1, n_bits)
    return samples @ (1 << np.arange(n_bits - 1, -1, -1, dtype=np.int64))


def device_counts(circuit_cfg: str | dict, backend: str | BackendSpec, shots: Sequence[int],
                  tree: SeedTree, transpile_seed: int) -> np.ndarray:
    """Counts, shape ``(len(shots), K)``, from the seeded device (see module doc)."""
    backend = parse_backend(backend)
    circuit = _prepared(_key(circuit_cfg), backend, int(transpile_seed))
    n_bits = circuit.num_clbits
    profile = _profile(backend, build_circuit(circuit_cfg).num_qubits)
    out = np.zeros((len(shots), 2**n_bits), dtype=np.int64)
    if backend.simulator == "aer":
        from ..quantum import aer_simulator

        sim = aer_simulator(seed=tree, method=backend.method or "automatic", profile=profile,
                            name=backend.name)
        for row, n in enumerate(shots):
            counts = sim.run(circuit, shots=int(n), bit_order="wire0-first")
            for key, value in counts.items():
                out[row, int(key, 2)] += value
        return out
    qml = require("pennylane")
    from ..quantum import device
    from ..quantum.bridge import qiskit_operations

    ops = qiskit_operations(circuit)  # built outside the QNode: each op is queued once, below
    measured = measured_qubits(circuit)

    def qfunc():
        for op in ops:
            qml.apply(op)
        return qml.sample(wires=measured)

    dev = device(backend.simulator, circuit.num_qubits, seed=tree, profile=profile, name=backend.name)
    qnode = qml.QNode(qfunc, dev)
    for row, n in enumerate(shots):
        samples = qml.set_shots(qnode, shots=int(n))()
        out[row] = np.bincount(_bits_to_index(samples, n_bits), minlength=2**n_bits)
    return out


def measured_qubits(circuit) -> list[int]:
    """Qubits measured by ``circuit``, in classical-bit order."""
    pairs = {circuit.find_bit(inst.clbits[0]).index: circuit.find_bit(inst.qubits[0]).index
             for inst in circuit.data if inst.operation.name == "measure"}
    return [pairs[c] for c in sorted(pairs)]
