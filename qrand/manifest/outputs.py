"""Finding and hashing a run's output files.

Outputs are named by glob patterns relative to the run's working directory
(``--outputs 'results/*.csv'``); without patterns, the outputs are the files
the run created or modified (found by comparing directory snapshots taken
before and after). Version-control, virtual-environment and cache folders are
never scanned.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path, PurePosixPath

from ..errors import QrandError
from .fingerprinting import file_sha256

IGNORED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", ".tox", "__pycache__", ".mypy_cache",
                ".pytest_cache", ".ruff_cache", "node_modules", ".ipynb_checkpoints", ".eggs"}
MAX_FILES = 50_000

Snapshot = dict[str, tuple[int, int]]


def check_globs(globs: list[str] | None) -> list[str]:
    """Validate output patterns: relative, inside the working directory."""
    out = []
    for pattern in globs or []:
        if not isinstance(pattern, str) or not pattern.strip():
            raise QrandError(f"output pattern must be a non-empty string, got {pattern!r}")
        parts = PurePosixPath(pattern.replace(os.sep, "/")).parts
        if os.path.isabs(pattern) or ".." in parts:
            raise QrandError(f"output pattern {pattern!r} must be relative to the working directory (no '..')")
        out.append(pattern)
    return out


def _walk(root: Path):
    count = 0
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_DIRS and not d.endswith(".egg-info"))
        for name in files:
            count += 1
            if count > MAX_FILES:
                raise QrandError(
                    f"{root} holds more than {MAX_FILES} files; name the outputs with --outputs")
            yield Path(directory, name)


def snapshot(root: str | os.PathLike) -> Snapshot:
    """``{relative posix path: (size, mtime_ns)}`` of the files under ``root``."""
    root = Path(root)
    result = {}
    for path in _walk(root):
        try:
            stat = path.stat()
        except OSError:
            continue
        result[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return result


def collect(root: str | os.PathLike, globs: list[str] | None = None, before: Snapshot | None = None,
            exclude: set[str] | None = None) -> list[str]:
    """Relative names of the outputs: files matching ``globs``, else files changed since ``before``."""
    root = Path(root)
    exclude = exclude or set()
    if globs:
        names = set()
        for pattern in globs:
            for match in glob.glob(pattern, root_dir=root, recursive=True):
                path = root / match
                if path.is_file() and not set(Path(match).parts) & IGNORED_DIRS:
                    names.add(Path(match).as_posix())
        return sorted(names - exclude)
    if before is None:
        return []
    after = snapshot(root)
    return sorted(name for name, info in after.items() if before.get(name) != info and name not in exclude)


def hash_files(root: str | os.PathLike, names: list[str]) -> dict[str, dict]:
    """``{name: {"sha256": hex, "size": bytes}}`` for files under ``root``."""
    root = Path(root)
    return {name: {"sha256": file_sha256(root / name), "size": (root / name).stat().st_size}
            for name in names}
