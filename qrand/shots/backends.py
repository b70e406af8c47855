"""The backend-spec grammar of ``qrand shots``: which simulator, which method, which noise.

Grammar (whitespace is ignored, names are case-sensitive)::

    spec     := simulator ( ":" option )*
    simulator:= "default.qubit" | "lightning.qubit" | "default.mixed" | "aer"
    option   := method | profile
    method   := "automatic" | "statevector" | "density_matrix"      (aer only)
    profile  := "ideal"                                               (no noise)
              | "fake_" NAME        any qiskit_ibm_runtime fake backend: fake_manila
              | "uniform(" [ KEY "=" FLOAT ( "," KEY "=" FLOAT )* ] ")"
    KEY      := "t1" | "t2" | "p1q" | "p2q" | "readout"

Examples: ``default.qubit``, ``aer``, ``aer:density_matrix``, ``aer:fake_manila``,
``default.mixed:fake_manila``, ``aer:uniform(p1q=1e-3,p2q=1e-2,readout=0.02)``.
A profile needs a simulator of mixed states (``default.mixed`` or ``aer``).
In a comma-separated list (``--backends``) commas inside ``uniform(...)`` do not
split. :attr:`BackendSpec.name` is the canonical text (floats normalised), used
as the backend's label and seed-path key.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import QrandError

SIMULATORS = ("default.qubit", "lightning.qubit", "default.mixed", "aer")
AER_METHODS = ("automatic", "statevector", "density_matrix")
UNIFORM_KEYS = ("t1", "t2", "p1q", "p2q", "readout")
MIXED = ("default.mixed", "aer")
_UNIFORM = re.compile(r"^uniform\((.*)\)$")
_FAKE = re.compile(r"^fake_[a-z0-9_]+$")


def _number(text: str) -> str:
    value = float(text)
    if math.isnan(value) or value < 0:
        raise ValueError(text)
    return "inf" if math.isinf(value) else format(value, "g")


@dataclass(frozen=True)
class BackendSpec:
    """A parsed backend spec (see the module docstring)."""

    simulator: str
    method: str | None = None
    profile: str | None = None
    profile_args: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """Canonical spec text, e.g. ``aer:density_matrix:uniform(p1q=0.001)``."""
        return ":".join(p for p in (self.simulator, self.method, self.profile_name
                                    if self.profile else None) if p)

    @property
    def profile_name(self) -> str:
        """``"ideal"``, ``"fake_manila"`` or ``"uniform(p1q=0.001,...)"``."""
        if self.profile is None:
            return "ideal"
        if self.profile == "uniform":
            return "uniform(" + ",".join(f"{k}={v}" for k, v in self.profile_args) + ")"
        return self.profile

    @property
    def noisy(self) -> bool:
        """Whether a noise profile is attached."""
        return self.profile is not None

    def build_profile(self, n_qubits: int):
        """The :class:`qrand.quantum.HardwareProfile` of this spec (``None`` when ideal)."""
        if self.profile is None:
            return None
        from ..quantum import HardwareProfile

        if self.profile == "uniform":
            return HardwareProfile.uniform(n_qubits, **{k: float(v) for k, v in self.profile_args})
        return HardwareProfile.from_fake_backend(self.profile[len("fake_"):])

    def __str__(self) -> str:
        return self.name


def _parse_profile(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    if text == "ideal":
        return "", ()
    if _FAKE.match(text):
        return text, ()
    match = _UNIFORM.match(text)
    if not match:
        raise QrandError(f"unknown backend option {text!r}: expected a method "
                         f"({', '.join(AER_METHODS)}), 'ideal', fake_NAME or uniform(key=value,...)")
    args: dict[str, str] = {}
    body = match.group(1).strip()
    for item in filter(None, (part.strip() for part in body.split(","))) if body else []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in UNIFORM_KEYS:
            raise QrandError(f"bad uniform() argument {item!r}: use key=value with key in "
                             f"{', '.join(UNIFORM_KEYS)}")
        if key in args:
            raise QrandError(f"uniform() argument {key!r} given twice")
        try:
            args[key] = _number(value.strip())
        except ValueError:
            raise QrandError(f"uniform() argument {key} must be a non-negative number, "
                             f"got {value.strip()!r}") from None
    return "uniform", tuple((k, args[k]) for k in UNIFORM_KEYS if k in args)


def parse_backend(spec: str | BackendSpec) -> BackendSpec:
    """Parse one backend spec; bad text raises :class:`QrandError` with one line."""
    if isinstance(spec, BackendSpec):
        return spec
    if not isinstance(spec, str) or not spec.strip():
        raise QrandError(f"backend spec must be a non-empty string, got {spec!r}")
    text = re.sub(r"\s+", "", spec)
    head, sep, rest = text.partition(":")
    if head not in SIMULATORS:
        raise QrandError(f"unknown simulator {head!r} in backend {spec!r}; valid: {', '.join(SIMULATORS)}")
    method = profile = None
    args: tuple = ()
    options = _split(rest, ":") if sep else []
    for option in options:
        if option in AER_METHODS:
            if head != "aer":
                raise QrandError(f"method {option!r} is for aer only (backend {spec!r})")
            if method is not None:
                raise QrandError(f"backend {spec!r} gives two methods")
            method = option
            continue
        if profile is not None:
            raise QrandError(f"backend {spec!r} gives two noise profiles")
        profile, args = _parse_profile(option)
    if profile == "":
        profile = None
    if profile is not None and head not in MIXED:
        raise QrandError(f"noise profile {option!r} needs a mixed-state simulator "
                         f"({' or '.join(MIXED)}), not {head!r}")
    return BackendSpec(head, method, profile, args)


def _split(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside parentheses."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QrandError(f"unbalanced parentheses in {text!r}")
        if char == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth:
        raise QrandError(f"unbalanced parentheses in {text!r}")
    parts.append("".join(current))
    if any(not p for p in parts):
        raise QrandError(f"empty item in {text!r}")
    return parts


def parse_backends(text: str | list) -> list[BackendSpec]:
    """A comma-separated list (commas inside ``uniform(...)`` kept) or a list of specs."""
    items = _split(re.sub(r"\s+", "", text), ",") if isinstance(text, str) else list(text)
    specs = [parse_backend(item) for item in items]
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise QrandError(f"backend listed twice: {', '.join(sorted({n for n in names if names.count(n) > 1}))}")
    if not specs:
        raise QrandError("no backends given")
    return specs
