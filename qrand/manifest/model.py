"""The run ``Manifest``: a JSON document that says how to replay a run.

This module owns the schema: building a manifest from a plain dict, writing it
atomically, and loading it back with validation. Loading treats the file as
untrusted input: it is read as bytes with a size cap, must be UTF-8 JSON (a
pickle or any other binary file is refused before parsing), numbers are parsed
with a digit limit, and every section is type-checked. Nothing in a manifest
is ever executed or unpickled; a bad file raises :class:`QrandError` with one
line saying what is wrong.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import QrandError

SCHEMA_VERSION = 1
MAX_BYTES = 64 * 1024 * 1024
MAX_INT_DIGITS = 40  # 2**128 has 39 digits

# section -> expected JSON type; nested "map of X" checked by _SECTION_VALUES
_TOP = {
    "schema_version": int,
    "qrand_version": str,
    "created": str,
    "command": dict,
    "seed": dict,
    "seeds": dict,
    "devices": dict,
    "fingerprints": dict,
    "outputs": dict,
    "versions": dict,
    "hardware": dict,
    "threads": dict,
    "determinism": dict,
    "env": dict,
    "warnings": list,
    "extra": dict,
}
_REQUIRED = ("schema_version", "command", "seed")
_TYPE_NAMES = {int: "an integer", str: "a string", dict: "an object", list: "an array",
               bool: "true/false", type(None): "null"}


class _Reject(ValueError):
    """Raised from inside json parsing hooks."""


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Reject(f"a number with {len(text)} digits (at most {MAX_INT_DIGITS} allowed)")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > 400:
        raise _Reject(f"a number written with {len(text)} characters")
    value = float(text)
    if not math.isfinite(value):
        raise _Reject(f"a number out of range ({text[:20]}...)")
    return value


def _parse_constant(text: str) -> float:
    raise _Reject(f"{text} is not valid JSON")


def _kind(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _expect(where: str, value: Any, types: type | tuple) -> None:
    types = types if isinstance(types, tuple) else (types,)
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        wanted = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
        raise QrandError(f"{where} must be {wanted}, got {_kind(value)}")


def _map_of(where: str, value: dict, types: type | tuple) -> None:
    for key, item in value.items():
        _expect(f"{where}.{key}", item, types)


def validate(data: Any, *, where: str = "manifest") -> dict:
    """Check ``data`` against the schema; return it or raise :class:`QrandError`."""
    _expect(where, data, dict)
    if "schema_version" not in data:
        raise QrandError(f"{where} has no schema_version (not a qrand manifest?)")
    version = data["schema_version"]
    _expect(f"{where}.schema_version", version, int)
    if version != SCHEMA_VERSION:
        raise QrandError(
            f"{where} has schema_version {version}; this qrand reads schema_version {SCHEMA_VERSION}")
    for key in _REQUIRED:
        if key not in data:
            raise QrandError(f"{where} is missing the {key!r} section")
    for key, kind in _TOP.items():
        if key in data:
            _expect(f"{where}.{key}", data[key], kind)
    cmd = data["command"]
    argv = cmd.get("argv")
    _expect(f"{where}.command.argv", argv, list)
    if not argv:
        raise QrandError(f"{where}.command.argv is empty")
    for i, arg in enumerate(argv):
        _expect(f"{where}.command.argv[{i}]", arg, str)
        if "\x00" in arg:
            raise QrandError(f"{where}.command.argv[{i}] contains a NUL byte")
    for key in ("cwd", "kind"):
        if key in cmd:
            _expect(f"{where}.command.{key}", cmd[key], (str, type(None)))
    if "returncode" in cmd:
        _expect(f"{where}.command.returncode", cmd["returncode"], (int, type(None)))
    seed = data["seed"]
    _expect(f"{where}.seed.root", seed.get("root"), (int, type(None)))
    if seed.get("root") is not None and not 0 <= seed["root"] < 2**128:
        raise QrandError(f"{where}.seed.root must be in [0, 2**128), got {seed['root']}")
    _expect(f"{where}.seed.source", seed.get("source"), (str, type(None)))
    if "deterministic" in seed:
        _expect(f"{where}.seed.deterministic", seed["deterministic"], bool)
    for key in ("versions", "env"):
        _map_of(f"{where}.{key}", data.get(key, {}), str)
    _map_of(f"{where}.fingerprints", data.get("fingerprints", {}), str)
    _map_of(f"{where}.devices", data.get("devices", {}), dict)
    for name, entry in data.get("outputs", {}).items():
        parts = name.replace("\\", "/").split("/")
        if name != "<stdout>" and (not name or name.startswith("/") or ".." in parts or ":" in parts[0]):
            raise QrandError(f"{where}.outputs has a name outside the run directory: {name[:80]!r}")
        _expect(f"{where}.outputs.{name}", entry, dict)
        digest = entry.get("sha256")
        _expect(f"{where}.outputs.{name}.sha256", digest, str)
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise QrandError(f"{where}.outputs.{name}.sha256 is not a sha256 hex digest")
        if "size" in entry:
            _expect(f"{where}.outputs.{name}.size", entry["size"], int)
    for i, item in enumerate(data.get("warnings", [])):
        _expect(f"{where}.warnings[{i}]", item, str)
    return data


def parse(raw: bytes, *, where: str = "manifest") -> dict:
    """Decode and validate manifest bytes (never executes or unpickles)."""
    if raw[:1] == b"\x80" or raw[:2] in (b"(d", b"(l", b"}q", b"]q") and raw.rstrip()[-1:] == b".":
        raise QrandError(f"{where} is a Python pickle, not a JSON manifest (qrand never unpickles)")
    if b"\x00" in raw:
        raise QrandError(f"{where} is a binary file, not a JSON manifest")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QrandError(f"{where} is not UTF-8 text (byte {exc.start}); not a JSON manifest") from None
    if not text.strip():
        raise QrandError(f"{where} is empty")
    try:
        data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                          parse_constant=_parse_constant)
    except _Reject as exc:
        raise QrandError(f"{where} is not a valid manifest: it contains {exc}") from None
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        what = "truncated JSON" if truncated else "invalid JSON"
        raise QrandError(f"{where} is {what} at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise QrandError(f"{where} is nested too deeply to be a manifest") from None
    except ValueError as exc:  # e.g. the interpreter's own int-digit limit
        raise QrandError(f"{where} is not a valid manifest: {str(exc).splitlines()[0]}") from None
    return validate(data, where=where)


class Manifest:
    """A run manifest: seeds, versions, environment, hardware, fingerprints, outputs.

    Build one with :meth:`capture` (from the live process), :meth:`load` (from a
    file) or ``Manifest(dict)``; the dict is validated against the schema.

    Attributes
    ----------
    data : dict
        The JSON-ready document (see ``docs/manifest.md`` for its sections).
    """

    def __init__(self, data: dict):
        self.data = validate(data)

    # -- construction --------------------------------------------------------
    @classmethod
    def capture(cls, **kwargs: Any) -> Manifest:
        """Capture a manifest from the live process; see :func:`qrand.manifest.capture.capture`."""
        from .capture import capture

        return cls(capture(**kwargs))

    @classmethod
    def load(cls, path: str | os.PathLike) -> Manifest:
        """Read and validate a manifest file; raise :class:`QrandError` if it is broken or hostile."""
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise QrandError(f"{path} is {size} bytes; a manifest is at most {MAX_BYTES} bytes")
            raw = path.read_bytes()
        except IsADirectoryError:
            raise QrandError(f"{path} is a directory, not a manifest file") from None
        except OSError as exc:
            raise QrandError(f"cannot read manifest {path}: {exc.strerror or exc}") from None
        manifest = cls.__new__(cls)
        manifest.data = parse(raw, where=str(path))
        return manifest

    # -- output --------------------------------------------------------------
    def to_dict(self) -> dict:
        """A deep copy of the document."""
        return json.loads(self.to_json())

    def to_json(self, indent: int | None = 2) -> str:
        """The document as JSON text (keys in schema order)."""
        return json.dumps(self.data, indent=indent, sort_keys=False, ensure_ascii=False, allow_nan=False)

    def save(self, path: str | os.PathLike) -> Path:
        """Write atomically (temp file in the same directory, then ``os.replace``)."""
        path = Path(path)
        text = self.to_json() + "\n"
        directory = path.parent if str(path.parent) else Path(".")
        try:
            directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        except OSError as exc:
            raise QrandError(f"cannot write manifest {path}: {exc.strerror or exc}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def diff(self, other: Manifest):
        """What differs from ``other``: a :class:`qrand.manifest.diff.ManifestDiff`."""
        from .diff import diff

        return diff(self, other)

    # -- convenient views ----------------------------------------------------
    @property
    def root(self) -> int | None:
        """The root seed."""
        return self.data["seed"].get("root")

    @property
    def seed_source(self) -> str | None:
        """Where the root came from: ``"user"`` or ``"os"``."""
        return self.data["seed"].get("source")

    @property
    def deterministic(self) -> bool:
        """Whether the run asked for deterministic kernels."""
        return bool(self.data["seed"].get("deterministic", False))

    @property
    def argv(self) -> list[str]:
        """The recorded command line."""
        return list(self.data["command"]["argv"])

    @property
    def outputs(self) -> dict[str, dict]:
        """Output files: relative name -> ``{"sha256": ..., "size": ...}``."""
        return dict(self.data.get("outputs", {}))

    @property
    def versions(self) -> dict[str, str]:
        """Package versions at capture time."""
        return dict(self.data.get("versions", {}))

    @property
    def env(self) -> dict[str, str]:
        """Relevant environment variables at capture time."""
        return dict(self.data.get("env", {}))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Manifest) and self.data == other.data

    def __repr__(self) -> str:
        return (f"Manifest(root={self.root}, source={self.seed_source!r}, argv={self.argv!r}, "
                f"outputs={len(self.outputs)})")
