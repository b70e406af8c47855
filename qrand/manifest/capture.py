"""Capture a manifest document from the live process (or from a finished child).

Reads the run record kept by :mod:`qrand.seeding.record` (seeds handed out,
device call counters, fingerprints, warnings) and the environment facts from
:mod:`qrand.seeding.environment` (versions, hardware, threads, env vars); it
never imports ``quantum`` or ``training``.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
from typing import Any

from .. import __version__
from .model import SCHEMA_VERSION


def _json_ready(value: Any) -> Any:
    """Coerce NumPy scalars / tuples in a record to plain JSON types."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, (str, bool, type(None))):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else repr(value)
    if hasattr(value, "item"):  # numpy scalar
        return _json_ready(value.item())
    return repr(value)


def _this_command() -> list[str]:
    """How this process was started, as a command that can be run again when possible."""
    return [sys.executable, *sys.argv] if sys.argv and sys.argv[0] else ["<interactive>"]


def environment_facts(env: dict[str, str] | None = None) -> dict:
    """Versions, hardware, threads, determinism flags and env vars of this interpreter."""
    from ..seeding import determinism, environment

    source = os.environ if env is None else env
    threads = environment.thread_settings()
    if env is not None:
        threads["env"] = {name: env.get(name) for name in environment.THREAD_VARS}
    flags = determinism.state() if env is None else {
        name: env.get(name) for name in [*determinism.ENV, "XLA_FLAGS"]}
    flags["pythonhashseed"] = source.get("PYTHONHASHSEED") or "random"
    return {
        "versions": environment.library_versions(),
        "hardware": environment.hardware(),
        "threads": threads,
        "determinism": flags,
        "env": {k: source[k] for k in environment.RELEVANT_ENV_VARS if k in source},
    }


def capture(*, argv: list[str] | None = None, cwd: str | None = None, record: dict | None = None,
            outputs: dict[str, dict] | list[str] | None = None, returncode: int | None = None,
            kind: str = "in-process", env: dict[str, str] | None = None,
            facts: dict | None = None, seed: dict | None = None, extra: dict | None = None) -> dict:
    """Build a manifest document.

    Parameters
    ----------
    argv : list of str, optional
        The command line (default: this interpreter and ``sys.argv``).
    cwd : str, optional
        Working directory of the run (default the current one).
    record : dict, optional
        A run record (``RunRecord.to_dict()``); default the live process's.
    outputs : dict or list of str, optional
        Output hashes (``{name: {"sha256", "size"}}``), or glob patterns
        relative to ``cwd`` whose files are hashed now.
    returncode : int, optional
        Exit status of the command, when it ran as a child.
    kind : str
        ``"in-process"`` (captured by the running program), ``"python"`` (a
        Python child seeded at start-up), ``"env-only"`` (non-Python child).
    env : dict, optional
        The environment the run saw (default ``os.environ``).
    facts : dict, optional
        Versions/hardware/threads measured elsewhere (e.g. by the child); the
        missing ones are measured here.
    seed : dict, optional
        ``{"root", "source", "deterministic"}`` overriding the record's tree.
    extra : dict, optional
        Free-form JSON-ready additions.

    Returns
    -------
    dict
        A document that passes :func:`qrand.manifest.model.validate`.
    """
    if record is None:
        from ..seeding.record import current

        record = current().to_dict()
    tree = record.get("tree") or {}
    seed_info = {"root": tree.get("root"), "source": tree.get("source"),
                 "deterministic": bool(record.get("deterministic", False))}
    if seed:
        seed_info.update(seed)
    if seed_info["root"] is not None:
        seed_info["root_hex"] = hex(seed_info["root"])
    if isinstance(outputs, (list, tuple)):
        from .outputs import check_globs, collect, hash_files

        root = cwd if cwd is not None else os.getcwd()
        outputs = hash_files(root, collect(root, check_globs(list(outputs))))
    measured = environment_facts(env)
    if facts:
        measured.update({k: v for k, v in facts.items() if k in measured and v})
    doc = {
        "schema_version": SCHEMA_VERSION,
        "qrand_version": __version__,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": {"argv": list(argv) if argv is not None else _this_command(),
                    "cwd": cwd if cwd is not None else os.getcwd(),
                    "kind": kind, "returncode": returncode},
        "seed": seed_info,
        "seeds": record.get("seeds", {}),
        "devices": record.get("devices", {}),
        "fingerprints": record.get("fingerprints", {}),
        "outputs": outputs or {},
        **measured,
        "warnings": record.get("warnings", []),
        "extra": {**record.get("extra", {}), **(extra or {})},
    }
    return _json_ready(doc)
