"""Turn a :class:`~qrand.quantum.profiles.HardwareProfile` into Aer and PennyLane noise.

Aer's model is built by ``NoiseModel.from_backend`` on a small ``BackendV2``
around the profile's target (plus its possibly asymmetric readout errors).
PennyLane gets the Kraus operators of exactly those Aer errors, inserted
after the same gates on the same qubits, and the readout confusion as a
classical bit-flip channel before measurement. A Qiskit ``delay`` (qrand's
``Delay`` operation after the bridge) gets the thermal relaxation Aer's
``RelaxationNoisePass`` adds for the same duration (temperature 0).
"""

from __future__ import annotations

import numpy as np

from .._optional import require
from ..errors import QrandError
from .bridge import Q2P

_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9, "ps": 1e-12}


def _profile_backend(profile):
    """A minimal ``BackendV2`` exposing the profile's target and basis gates."""
    providers = require("qiskit.providers")

    class ProfileBackend(providers.BackendV2):
        def __init__(self):
            super().__init__(name=profile.name)
            self._target = profile.to_target()

        @property
        def target(self):
            return self._target

        @property
        def operation_names(self):
            return list(profile.basis_gates)

        @property
        def max_circuits(self):
            return None

        @classmethod
        def _default_options(cls):
            return providers.Options()

        def run(self, run_input, **options):
            raise NotImplementedError("a HardwareProfile backend only describes noise")

    return ProfileBackend()


def aer_noise_model(profile):
    """Aer ``NoiseModel`` for ``profile`` (as ``NoiseModel.from_backend`` builds it)."""
    noise = require("qiskit_aer.noise")
    model = noise.NoiseModel.from_backend(_profile_backend(profile), readout_error=False)
    for q, spec in enumerate(profile.qubits):
        p10, p01 = spec.readout
        if p10 or p01:
            model.add_readout_error(noise.ReadoutError([[1 - p10, p10], [p01, 1 - p01]]), [q])
    return model


def readout_matrices(profile) -> dict[int, np.ndarray]:
    """Per qubit, ``M[i, j] = P(read j | prepared i)`` (only qubits with readout error)."""
    out = {}
    for q, spec in enumerate(profile.qubits):
        p10, p01 = spec.readout
        if p10 or p01:
            out[q] = np.array([[1 - p10, p10], [p01, 1 - p01]])
    return out


def _readout_kraus(m: np.ndarray) -> list[np.ndarray]:
    """Kraus operators of the classical channel with confusion matrix ``m``."""
    ops = []
    for i in range(2):
        for j in range(2):
            if m[i, j] > 0:
                k = np.zeros((2, 2), dtype=complex)
                k[j, i] = np.sqrt(m[i, j])
                ops.append(k)
    return ops


def pennylane_tables(profile) -> dict:
    """Kraus operators in PennyLane wire order: ``{"gates": {(op, wires): [K]}, "readout": {q: [K]}}``."""
    if "pl_tables" in profile._cache:
        return profile._cache["pl_tables"]
    quantum_info = require("qiskit.quantum_info")
    model = profile.to_aer()
    gates = {}
    for gate, per_qubits in model._local_quantum_errors.items():  # Aer has no public getter
        if gate not in Q2P:
            continue
        for qubits, error in per_qubits.items():
            kraus = quantum_info.Kraus(error.to_quantumchannel()).data
            # Kraus matrices are little-endian in qargs: applied on reversed wires (see below)
            gates[(Q2P[gate], tuple(qubits))] = [np.asarray(k) for k in kraus]
    readout = {q: _readout_kraus(m) for q, m in readout_matrices(profile).items()}
    relax = [(q.t1, q.t2) for q in profile.qubits]  # T2 <= 2*T1 already holds in a profile
    tables = {"gates": gates, "readout": readout, "n_qubits": profile.n_qubits,
              "relax": relax, "dt": profile.dt, "delay_cache": {}}
    profile._cache["pl_tables"] = tables
    return tables


def _delay_kraus(tables: dict, wire: int, duration: float, unit: str) -> list[np.ndarray] | None:
    """Kraus operators of Aer's thermal relaxation for a delay (as its ``RelaxationNoisePass`` adds)."""
    key = (wire, duration, unit)
    cache = tables["delay_cache"]
    if key not in cache:
        seconds = duration
        if unit == "dt":
            if tables["dt"] is None:
                raise QrandError("a delay in 'dt' units needs a profile with dt")
            seconds *= tables["dt"]
        else:
            seconds *= _UNITS[unit]
        t1, t2 = tables["relax"][wire]
        if t1 is None and t2 is None or seconds == 0:
            cache[key] = None
        else:
            noise = require("qiskit_aer.noise")
            quantum_info = require("qiskit.quantum_info")
            error = noise.thermal_relaxation_error(t1 or np.inf, t2 or np.inf, seconds, 0)
            cache[key] = [np.asarray(k) for k in quantum_info.Kraus(error.to_quantumchannel()).data]
    return cache[key]


def _apply_profile_noise(tape, tables):
    qml = require("pennylane")
    ops = []
    for op in tape.operations:
        ops.append(op)
        kraus = tables["gates"].get((op.name, tuple(op.wires)))
        if kraus is not None:
            ops.append(qml.QubitChannel(kraus, wires=list(reversed(op.wires))))
        elif op.name == "Delay":
            relax = _delay_kraus(tables, op.wires[0], float(op.data[0]), op.hyperparameters["unit"])
            if relax is not None:
                ops.append(qml.QubitChannel(relax, wires=[op.wires[0]]))
    classical = [m for m in tape.measurements if type(m).__name__ not in ("StateMP", "DensityMatrixMP")]
    measured = []
    for m in classical:
        for w in (m.wires if len(m.wires) else tape.wires):
            if w not in measured:
                measured.append(w)
    for w in measured:
        if w in tables["readout"]:
            ops.append(qml.QubitChannel(tables["readout"][w], wires=[w]))
    new = tape.copy(operations=ops)
    return [new], lambda results: results[0]


def __getattr__(name):
    # build the PennyLane transform on first use so importing this module stays framework-free
    if name == "apply_profile_noise":
        qml = require("pennylane")
        transform = qml.transform(_apply_profile_noise)
        globals()[name] = transform
        return transform
    raise AttributeError(name)
