"""The run's record: what randomness this process was given and used.

``seeding`` keeps it; upper layers write into it (quantum devices add call
counters, datasets add fingerprints, ...) and ``qrand.manifest`` reads it, so
the manifest never imports ``quantum`` or ``training``. Everything stored is
JSON-ready (ints, strings, lists, dicts).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from .tree import SeedTree


@dataclass
class RunRecord:
    """Mutable record of one run (one per process; see :func:`current`)."""

    tree: SeedTree | None = None
    deterministic: bool = False
    seeds: dict[str, Any] = field(default_factory=dict)
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def note_seed(self, library: str, value: Any) -> None:
        """Record the seed (or key data) handed to ``library``."""
        with self._lock:
            self.seeds[library] = value

    def note_device(self, name: str, **info: Any) -> None:
        """Create or update a device entry (e.g. ``calls=3, mode="stream"``)."""
        with self._lock:
            self.devices.setdefault(name, {}).update(info)

    def count_call(self, name: str, n: int = 1) -> int:
        """Advance device ``name``'s execution counter by ``n``; return the old value."""
        with self._lock:
            entry = self.devices.setdefault(name, {})
            before = entry.get("calls", 0)
            entry["calls"] = before + n
            return before

    def note_fingerprint(self, name: str, digest: str) -> None:
        """Record a sha256 fingerprint (dataset, initial parameters, circuit, profile)."""
        with self._lock:
            self.fingerprints[name] = digest

    def warn(self, message: str) -> None:
        """Record a warning about the run's reproducibility (also shown by the manifest)."""
        with self._lock:
            if message not in self.warnings:
                self.warnings.append(message)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy."""
        with self._lock:
            return {
                "tree": None if self.tree is None else self.tree.to_dict(),
                "deterministic": self.deterministic,
                "seeds": dict(self.seeds),
                "devices": {k: dict(v) for k, v in self.devices.items()},
                "fingerprints": dict(self.fingerprints),
                "warnings": list(self.warnings),
                "extra": dict(self.extra),
            }


_CURRENT = RunRecord()


def current() -> RunRecord:
    """The process's run record."""
    return _CURRENT


def reset(tree: SeedTree | None = None, *, deterministic: bool = False) -> RunRecord:
    """Start a fresh record (``seed_everything`` calls this) and return it."""
    global _CURRENT
    _CURRENT = RunRecord(tree=tree, deterministic=deterministic)
    return _CURRENT


def swap(record: RunRecord) -> RunRecord:
    """Install ``record`` as current and return the previous one (used by ``scoped``)."""
    global _CURRENT
    previous, _CURRENT = _CURRENT, record
    return previous
