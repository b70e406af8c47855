"""Hardware profiles: one description of a device's noise for Aer and PennyLane.

A :class:`HardwareProfile` holds per-qubit T1, T2, frequency and readout
confusion, per-gate error and duration on each qubit tuple, the coupling map
and the basis gates. ``to_aer()`` builds Aer's noise model exactly as
``NoiseModel.from_backend`` does (depolarizing + thermal relaxation after each
gate, readout errors on measurement); ``to_pennylane()`` applies the *same*
channels (their Kraus operators) after the same gates on ``default.mixed``,
plus the readout confusion before measurement.

JSON schema (``from_json`` / ``to_json``; times in seconds, frequency in Hz)::

    {
      "schema": "qrand.hardware_profile/1",
      "name": "my_chip",
      "n_qubits": 2,
      "basis_gates": ["cx", "id", "measure", "rz", "sx", "x"],
      "coupling_map": [[0, 1], [1, 0]],
      "dt": null,
      "qubits": [{"t1": 1e-4, "t2": 8e-5, "frequency": 5e9,
                  "readout": [0.02, 0.03], "readout_duration": 1e-6}, ...],
      "gates": [{"gate": "sx", "qubits": [0], "error": 3e-4, "duration": 3.5e-8}, ...]
    }

``readout`` is ``[P(read 1 | prepared 0), P(read 0 | prepared 1)]``. Error
rates must lie in [0, 1], times must be positive and ``T2 <= 2 * T1``.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .._optional import require
from ..errors import QrandError

SCHEMA = "qrand.hardware_profile/1"
_SKIP_OPS = {"delay", "for_loop", "if_else", "switch_case", "while_loop", "barrier", "measure"}


@dataclass(frozen=True)
class QubitSpec:
    """One qubit: T1, T2 (s), frequency (Hz), readout [P(1|0), P(0|1)], readout duration (s)."""

    t1: float | None
    t2: float | None
    frequency: float | None = None
    readout: tuple[float, float] = (0.0, 0.0)
    readout_duration: float | None = None


@dataclass(frozen=True)
class GateSpec:
    """One gate on one qubit tuple: error probability and duration (s)."""

    gate: str
    qubits: tuple[int, ...]
    error: float | None
    duration: float | None


def _fake_classes() -> dict[str, str]:
    """Short lowercase name -> class name in ``qiskit_ibm_runtime.fake_provider``."""
    fake = require("qiskit_ibm_runtime.fake_provider")
    backend_v2 = require("qiskit.providers").BackendV2
    out = {}
    for attr in dir(fake):
        cls = getattr(fake, attr)
        if attr.startswith("Fake") and isinstance(cls, type) and issubclass(cls, backend_v2):
            short = attr[4:-2] if attr.endswith("V2") else attr[4:]
            if short != "FractionalBackend":
                out[short.lower()] = attr
    return out


def fake_backend(name: str):
    """A ``qiskit_ibm_runtime.fake_provider`` backend by name ("manila", "FakeManilaV2", "fake_brisbane")."""
    if not isinstance(name, str):
        raise QrandError(f"fake backend name must be a string, got {name!r}")
    classes = _fake_classes()
    key = name.lower().removeprefix("fake_").removeprefix("fake").removesuffix("v2").strip("_")
    if key not in classes:
        raise QrandError(f"unknown fake backend {name!r}; valid names: {', '.join(sorted(classes))}")
    return getattr(require("qiskit_ibm_runtime.fake_provider"), classes[key])()


def _number(value: Any, what: str, *, lo: float = 0.0, hi: float = math.inf, allow_none: bool = True):
    if value is None:
        if allow_none:
            return None
        raise QrandError(f"{what} is required")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise QrandError(f"{what} must be a number, got {value!r}")
    if not lo <= value <= hi:
        raise QrandError(f"{what} must lie in [{lo}, {hi}], got {value!r}")
    return float(value)


@dataclass(frozen=True)
class HardwareProfile:
    """Noise description of a device; build with a ``from_*``/``uniform`` constructor."""

    name: str
    qubits: tuple[QubitSpec, ...]
    gates: tuple[GateSpec, ...]
    basis_gates: tuple[str, ...]
    coupling_map: tuple[tuple[int, int], ...] = ()
    dt: float | None = None
    _cache: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self):
        self._validate()

    # -- validation ------------------------------------------------------------
    def _validate(self) -> None:
        n = len(self.qubits)
        if n < 1:
            raise QrandError(f"profile {self.name!r} has no qubits")
        for q, spec in enumerate(self.qubits):
            where = f"profile {self.name!r} qubit {q}"
            t1 = _number(spec.t1, f"{where} t1", lo=1e-300)
            t2 = _number(spec.t2, f"{where} t2", lo=1e-300)
            if t1 is not None and t2 is not None and t2 > 2 * t1 * (1 + 1e-12):
                raise QrandError(f"{where}: T2 = {t2:g} s exceeds 2*T1 = {2 * t1:g} s (unphysical)")
            _number(spec.frequency, f"{where} frequency")
            _number(spec.readout_duration, f"{where} readout_duration")
            if len(spec.readout) != 2:
                raise QrandError(f"{where} readout must be [P(1|0), P(0|1)], got {spec.readout!r}")
            for p in spec.readout:
                _number(p, f"{where} readout error", hi=1.0, allow_none=False)
        for g in self.gates:
            where = f"profile {self.name!r} gate {g.gate} on {list(g.qubits)}"
            bad = [q for q in g.qubits if not (isinstance(q, int) and 0 <= q < n)]
            if bad or not g.qubits:
                raise QrandError(f"{where}: qubits must lie in 0..{n - 1}")
            _number(g.error, f"{where} error", hi=1.0)
            _number(g.duration, f"{where} duration")
        for edge in self.coupling_map:
            if len(edge) != 2 or not all(isinstance(q, int) and 0 <= q < n for q in edge):
                raise QrandError(f"profile {self.name!r} coupling edge {list(edge)} outside 0..{n - 1}")

    @property
    def n_qubits(self) -> int:
        """Number of qubits."""
        return len(self.qubits)

    def check_qubits(self, qubits: Iterable, *, what: str = "circuit") -> None:
        """Raise ``QrandError`` unless every label in ``qubits`` is a qubit of this profile."""
        missing = [q for q in qubits if isinstance(q, bool) or not isinstance(q, int) or not 0 <= q < self.n_qubits]
        if missing:
            raise QrandError(
                f"profile {self.name!r} has qubits 0..{self.n_qubits - 1}; {what} uses {missing}"
            )

    # -- constructors ----------------------------------------------------------
    @classmethod
    def from_fake_backend(cls, name: str, *, readout: str = "target") -> HardwareProfile:
        """Profile of a ``qiskit_ibm_runtime.fake_provider`` backend (offline), e.g. "manila".

        ``readout`` as in :meth:`from_backend`.
        """
        return cls.from_backend(fake_backend(name), readout=readout)

    @classmethod
    def from_backend(cls, backend, *, readout: str = "target") -> HardwareProfile:
        """Profile of a Qiskit ``BackendV2`` (its ``target``).

        ``readout="target"`` takes each qubit's measurement error from the
        target, which holds one symmetric number (what Aer's
        ``NoiseModel.from_backend`` uses); ``readout="calibration"`` takes the
        asymmetric ``[P(1|0), P(0|1)]`` from ``backend.properties()`` where the
        backend has them (fake backends do), else the target's.
        Reported T2 values above 2*T1 (unphysical, present in some IBM
        calibrations) are truncated to 2*T1, as Aer does; the run record gets a warning.
        """
        if readout not in ("target", "calibration"):
            raise QrandError(f"readout must be 'target' or 'calibration', got {readout!r}")
        target = backend.target
        n = target.num_qubits
        props = target.qubit_properties or [None] * n
        calibrated = _calibrated_readout(backend) if readout == "calibration" else {}
        qubits, truncated = [], []
        for q in range(n):
            meas = target["measure"].get((q,)) if "measure" in target else None
            err = (meas.error if meas is not None else None) or 0.0
            ro = calibrated.get(q, (err, err))
            p = props[q]
            t1, t2 = getattr(p, "t1", None), getattr(p, "t2", None)
            if t1 is not None and t2 is not None and t2 > 2 * t1:
                truncated.append(q)
                t2 = 2 * t1  # what Aer's NoiseModel.from_backend uses
            qubits.append(QubitSpec(
                t1=t1, t2=t2,
                frequency=getattr(p, "frequency", None),
                readout=(float(ro[0]), float(ro[1])),
                readout_duration=None if meas is None else meas.duration,
            ))
        gates = []
        for op_name in sorted(target.operation_names):
            if op_name in _SKIP_OPS:
                continue
            for qargs, ip in sorted(target[op_name].items(), key=lambda kv: kv[0] or ()):
                if qargs is None or ip is None:
                    continue
                gates.append(GateSpec(op_name, tuple(int(q) for q in qargs), ip.error, ip.duration))
        coupling = tuple(sorted(tuple(int(q) for q in e) for e in (target.build_coupling_map() or []).get_edges())) \
            if target.build_coupling_map() is not None else ()
        name = getattr(backend, "name", "backend")
        if truncated:
            from ..seeding import record

            record.current().warn(f"hardware profile {name}: T2 > 2*T1 on qubits {truncated}; "
                                  "truncated to 2*T1 as Aer's NoiseModel.from_backend does")
        return cls(name=str(name), qubits=tuple(qubits), gates=tuple(gates),
                   basis_gates=tuple(backend.operation_names), coupling_map=coupling, dt=backend.dt)

    @classmethod
    def uniform(cls, n_qubits: int, *, t1: float = 100e-6, t2: float = 80e-6, p1q: float = 1e-3,
                p2q: float = 1e-2, readout: float | Sequence[float] = 0.02, duration_1q: float = 35e-9,
                duration_2q: float = 300e-9, readout_duration: float = 1e-6,
                coupling_map: str | Sequence = "line", two_qubit_gate: str = "cx",
                name: str | None = None) -> HardwareProfile:
        """The same numbers on every qubit and edge; basis rz (noiseless, virtual), sx, x, id and a 2-qubit gate.

        ``readout`` is one symmetric flip probability or ``[P(1|0), P(0|1)]``;
        ``coupling_map`` is "line", "full" or a list of [control, target] edges
        (each undirected edge gets both directions when given as "line"/"full").
        """
        if isinstance(n_qubits, bool) or not isinstance(n_qubits, int) or n_qubits < 1:
            raise QrandError(f"n_qubits must be a positive int, got {n_qubits!r}")
        ro = (readout, readout) if isinstance(readout, (int, float)) else tuple(readout)
        if coupling_map == "line":
            edges = [(q, q + 1) for q in range(n_qubits - 1)]
            edges += [(b, a) for a, b in edges]
        elif coupling_map == "full":
            edges = [(a, b) for a in range(n_qubits) for b in range(n_qubits) if a != b]
        elif isinstance(coupling_map, str):
            raise QrandError(f"coupling_map must be 'line', 'full' or a list of edges, got {coupling_map!r}")
        else:
            edges = [tuple(e) for e in coupling_map]
        qspec = QubitSpec(t1=t1, t2=t2, frequency=5e9, readout=ro, readout_duration=readout_duration)
        gates = [GateSpec("rz", (q,), 0.0, 0.0) for q in range(n_qubits)]
        for gate in ("id", "sx", "x"):
            gates += [GateSpec(gate, (q,), p1q, duration_1q) for q in range(n_qubits)]
        gates += [GateSpec(two_qubit_gate, tuple(e), p2q, duration_2q) for e in sorted(edges)]
        basis = tuple(sorted({"rz", "id", "sx", "x", two_qubit_gate, "measure", "delay", "reset"}))
        return cls(name=name or f"uniform_{n_qubits}", qubits=(qspec,) * n_qubits, gates=tuple(gates),
                   basis_gates=basis, coupling_map=tuple(sorted(edges)))

    @classmethod
    def from_dict(cls, data: dict) -> HardwareProfile:
        """Profile from a dict in the documented JSON schema."""
        if not isinstance(data, dict):
            raise QrandError(f"a hardware profile must be a JSON object, got {type(data).__name__}")
        if data.get("schema", SCHEMA) != SCHEMA:
            raise QrandError(f"unsupported hardware profile schema {data.get('schema')!r} (expected {SCHEMA})")
        try:
            qubits = tuple(
                QubitSpec(t1=q.get("t1"), t2=q.get("t2"), frequency=q.get("frequency"),
                          readout=tuple(q.get("readout", (0.0, 0.0))),
                          readout_duration=q.get("readout_duration"))
                for q in data["qubits"]
            )
            gates = tuple(GateSpec(str(g["gate"]), tuple(g["qubits"]), g.get("error"), g.get("duration"))
                          for g in data.get("gates", []))
            n = data.get("n_qubits", len(qubits))
            if n != len(qubits):
                raise QrandError(f"profile says n_qubits={n} but lists {len(qubits)} qubits")
            basis = data.get("basis_gates") or sorted({g.gate for g in gates} | {"measure"})
            return cls(name=str(data.get("name", "profile")), qubits=qubits, gates=gates,
                       basis_gates=tuple(basis),
                       coupling_map=tuple(tuple(e) for e in data.get("coupling_map", [])),
                       dt=data.get("dt"))
        except (KeyError, TypeError, AttributeError) as exc:
            raise QrandError(f"malformed hardware profile: {type(exc).__name__}: {exc}") from None

    @classmethod
    def from_json(cls, path: str | Path) -> HardwareProfile:
        """Profile from a JSON file in the documented schema."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise QrandError(f"cannot read hardware profile {str(path)!r}: {exc.strerror}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise QrandError(f"hardware profile {str(path)!r} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
        return cls.from_dict(data)

    # -- views -------------------------------------------------------------------
    def to_dict(self) -> dict:
        """JSON-ready dict in the documented schema."""
        return {
            "schema": SCHEMA, "name": self.name, "n_qubits": self.n_qubits,
            "basis_gates": list(self.basis_gates), "coupling_map": [list(e) for e in self.coupling_map],
            "dt": self.dt,
            "qubits": [{"t1": q.t1, "t2": q.t2, "frequency": q.frequency, "readout": list(q.readout),
                        "readout_duration": q.readout_duration} for q in self.qubits],
            "gates": [{"gate": g.gate, "qubits": list(g.qubits), "error": g.error, "duration": g.duration}
                      for g in self.gates],
        }

    def to_json(self, path: str | Path) -> Path:
        """Write the profile as JSON; return the path."""
        path = Path(path)
        path.write_text(json.dumps(self.to_dict(), indent=1), encoding="utf-8")
        return path

    def hash(self) -> str:
        """sha256 of the canonical JSON (the fingerprint the manifest records)."""
        if "hash" not in self._cache:
            text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
            self._cache["hash"] = hashlib.sha256(text.encode()).hexdigest()
        return self._cache["hash"]

    def subset(self, qubits: Sequence[int]) -> HardwareProfile:
        """The profile restricted to ``qubits``, renumbered 0..len-1 in the given order."""
        qubits = list(qubits)
        self.check_qubits(qubits, what="subset")
        if len(set(qubits)) != len(qubits) or not qubits:
            raise QrandError(f"subset needs distinct qubits, got {qubits}")
        key = ("subset", tuple(qubits))
        if key not in self._cache:
            self._cache[key] = self._subset(qubits)
        return self._cache[key]

    def _subset(self, qubits: list[int]) -> HardwareProfile:
        new = {old: i for i, old in enumerate(qubits)}
        gates = tuple(GateSpec(g.gate, tuple(new[q] for q in g.qubits), g.error, g.duration)
                      for g in self.gates if all(q in new for q in g.qubits))
        edges = tuple(sorted((new[a], new[b]) for a, b in self.coupling_map if a in new and b in new))
        return HardwareProfile(name=f"{self.name}[{','.join(map(str, qubits))}]",
                               qubits=tuple(self.qubits[q] for q in qubits), gates=gates,
                               basis_gates=self.basis_gates, coupling_map=edges, dt=self.dt)

    def to_target(self):
        """A Qiskit ``Target`` (for ``transpile`` and ``to_aer``)."""
        if "target" in self._cache:
            return self._cache["target"]
        require("qiskit")  # a clear MissingExtraError before the imports below
        from qiskit.circuit import Delay, Measure, Parameter
        from qiskit.circuit.library import get_standard_gate_name_mapping
        from qiskit.transpiler import InstructionProperties, QubitProperties, Target

        target = Target(num_qubits=self.n_qubits, dt=self.dt, qubit_properties=[
            QubitProperties(t1=q.t1, t2=q.t2, frequency=q.frequency) for q in self.qubits])
        standard = get_standard_gate_name_mapping()
        by_gate: dict[str, dict] = {}
        for g in self.gates:
            by_gate.setdefault(g.gate, {})[g.qubits] = InstructionProperties(duration=g.duration, error=g.error)
        for gate, props in by_gate.items():
            if gate not in standard:
                raise QrandError(f"profile gate {gate!r} is not a standard Qiskit gate")
            target.add_instruction(standard[gate], props)
        target.add_instruction(Measure(), {
            (q,): InstructionProperties(duration=s.readout_duration, error=sum(s.readout) / 2)
            for q, s in enumerate(self.qubits)})
        if "delay" in self.basis_gates:
            target.add_instruction(Delay(Parameter("t")), {(q,): None for q in range(self.n_qubits)})
        self._cache["target"] = target
        return target

    def to_aer(self):
        """Aer ``NoiseModel``: ``NoiseModel.from_backend`` on this profile, with its readout errors."""
        if "aer" in self._cache:
            return self._cache["aer"]
        from .noise import aer_noise_model

        self._cache["aer"] = aer_noise_model(self)
        return self._cache["aer"]

    def to_pennylane(self):
        """A PennyLane transform adding this profile's channels (use with ``default.mixed``).

        Apply it to a QNode, tape or quantum function: ``noisy = profile.to_pennylane()(qnode)``.
        """
        from functools import partial

        from .noise import apply_profile_noise, pennylane_tables

        return partial(apply_profile_noise, tables=pennylane_tables(self))

    def __repr__(self) -> str:
        return f"HardwareProfile(name={self.name!r}, n_qubits={self.n_qubits}, gates={len(self.gates)})"


def _calibrated_readout(backend) -> dict[int, tuple[float, float]]:
    """``{qubit: (P(1|0), P(0|1))}`` from ``backend.properties()``, for the qubits that record both."""
    properties = getattr(backend, "properties", lambda: None)()
    out = {}
    for q in range(backend.target.num_qubits) if properties is not None else ():
        values = properties.qubit_property(q)
        if "prob_meas1_prep0" in values and "prob_meas0_prep1" in values:
            out[q] = (float(values["prob_meas1_prep0"][0]), float(values["prob_meas0_prep1"][0]))
    return out
