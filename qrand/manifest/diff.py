"""``Manifest.diff``: what differs between two manifests, most important first.

Library version changes come first (a changed NumPy or JAX can change every
random stream), then seeds, determinism flags and env vars, threads, hardware,
fingerprints, outputs, devices and the command. Nested sections are flattened
to dotted keys, so each row is one fact that changed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

#: sections in report order; ``created`` is never compared
SECTIONS = ["versions", "seed", "seeds", "determinism", "env", "threads", "hardware",
            "fingerprints", "outputs", "devices", "command", "warnings", "extra"]


@dataclass(frozen=True)
class Change:
    """One difference: ``section``, dotted ``key``, values in A and B, and the kind."""

    section: str
    key: str
    a: Any
    b: Any

    @property
    def kind(self) -> str:
        """``"added"`` (only in B), ``"removed"`` (only in A) or ``"changed"``."""
        if self.a is None:
            return "added"
        if self.b is None:
            return "removed"
        return "changed"

    def __str__(self) -> str:
        label = f"{self.section}.{self.key}" if self.key else self.section
        if self.kind == "added":
            return f"{label}: (absent) -> {_short(self.b)}"
        if self.kind == "removed":
            return f"{label}: {_short(self.a)} -> (absent)"
        return f"{label}: {_short(self.a)} -> {_short(self.b)}"


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out or ({prefix: {}} if prefix else {})
    return {prefix: value}


class ManifestDiff:
    """The differences between two manifests (A -> B), versions first.

    Iterate for :class:`Change` rows; ``bool(diff)`` is True when anything
    differs; :meth:`to_frame` gives a tidy DataFrame; ``str`` a readable list.
    """

    def __init__(self, changes: list[Change]):
        self.changes = changes

    def section(self, name: str) -> list[Change]:
        """The changes in one section (e.g. ``"versions"``)."""
        return [c for c in self.changes if c.section == name]

    def __iter__(self):
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def to_records(self) -> list[dict]:
        """JSON-ready rows."""
        return [{**asdict(c), "kind": c.kind} for c in self.changes]

    def to_frame(self):
        """Tidy DataFrame: one row per change (section, key, a, b, kind)."""
        import pandas as pd

        return pd.DataFrame(self.to_records(), columns=["section", "key", "a", "b", "kind"])

    def __str__(self) -> str:
        if not self.changes:
            return "no differences"
        lines = []
        for name in dict.fromkeys(c.section for c in self.changes):
            rows = self.section(name)
            title = "VERSION CHANGES" if name == "versions" else name
            lines.append(f"{title} ({len(rows)}):")
            lines.extend(f"  {c}" for c in rows)
        return "\n".join(lines)


def diff_sections(a: dict, b: dict, sections: list[str] | None = None) -> ManifestDiff:
    """Compare two manifest documents section by section."""
    changes = []
    for name in sections or SECTIONS:
        left, right = a.get(name), b.get(name)
        if name == "versions":
            left = {**(left or {}), "qrand(manifest)": a.get("qrand_version")}
            right = {**(right or {}), "qrand(manifest)": b.get("qrand_version")}
        if isinstance(left, list) or isinstance(right, list):
            if left != right:
                changes.append(Change(name, "", left, right))
            continue
        fa, fb = _flatten(left or {}), _flatten(right or {})
        for key in list(fa) + [k for k in fb if k not in fa]:
            va, vb = fa.get(key), fb.get(key)
            if va != vb:
                changes.append(Change(name, key, va, vb))
    return ManifestDiff(changes)


def diff(a, b) -> ManifestDiff:
    """Differences between manifests ``a`` and ``b`` (``Manifest`` objects or dicts)."""
    return diff_sections(getattr(a, "data", a), getattr(b, "data", b))
