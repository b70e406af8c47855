"""The one execution-seed rule shared by every qrand quantum backend.

Execution ``k`` of a device named ``NAME`` draws its seed from
``tree.child("device", NAME, "exec", k)``.  In mode ``"stream"`` each call
takes the next ``k``; in mode ``"common"`` every call reuses execution 0's
seed (common random numbers).  The counter lives on the device object and is
mirrored into the run record (:func:`qrand.seeding.record.current`).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from ..errors import QrandError
from ..seeding import record as _record
from ..seeding.tree import SeedTree

MODES = ("stream", "common")


def resolve_tree(seed: int | SeedTree | None) -> SeedTree:
    """The seed tree a device uses: ``SeedTree`` as is, int as root, None as run tree or OS entropy."""
    if isinstance(seed, SeedTree):
        return seed
    if seed is None:
        tree = _record.current().tree
        return tree if tree is not None else SeedTree(None)
    return SeedTree(seed)


def note_profile(name: str, profile) -> None:
    """Record that device ``name`` runs with ``profile`` (its name and sha256 hash)."""
    digest = profile.hash()
    rec = _record.current()
    rec.note_device(name, profile=profile.name, profile_hash=digest)
    rec.note_fingerprint(f"profile:{profile.name}", digest)


class ExecutionStream:
    """Hands out execution seeds for one named device.

    Parameters
    ----------
    seed : int, SeedTree or None
        Root (or subtree) of the stream; ``None`` uses the run's tree (after
        ``seed_everything``) or fresh OS entropy, which is recorded.
    name : str
        The device's name in the seed tree and the run record.
    backend : str
        What executes (``"default.qubit"``, ``"aer"``, ...), for the record.
    mode : {"stream", "common"}
        Fresh seed per call, or the same seed (execution 0's) for every call.
    start_exec : int
        Index of the first execution (replay call ``k`` alone with ``start_exec=k``).
    """

    def __init__(self, seed, name: str, backend: str, *, mode: str = "stream", start_exec: int = 0):
        if mode not in MODES:
            raise QrandError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        if not isinstance(name, str) or not name:
            raise QrandError(f"device name must be a non-empty string, got {name!r}")
        if isinstance(start_exec, bool) or not isinstance(start_exec, int) or start_exec < 0:
            raise QrandError(f"start_exec must be a non-negative int, got {start_exec!r}")
        self.tree = resolve_tree(seed)
        self.name, self.backend, self.mode = name, backend, mode
        self._next = start_exec
        self._lock = threading.Lock()
        _record.current().note_device(
            name, backend=backend, mode=mode, seed_tree=self.tree.to_dict(),
            rule=f'tree.child("device", {name!r}, "exec", k)',
        )

    @property
    def next_exec(self) -> int:
        """Index of the next execution."""
        return self._next

    def node(self, k: int) -> SeedTree:
        """The seed node execution ``k`` uses (execution 0's node in ``common`` mode)."""
        return self.tree.child("device", self.name, "exec", 0 if self.mode == "common" else int(k))

    def take(self) -> tuple[int, SeedTree]:
        """Advance the counter; return ``(k, node)`` for this execution."""
        with self._lock:
            k = self._next
            self._next += 1
        rec = _record.current()
        rec.count_call(self.name)
        rec.note_device(self.name, backend=self.backend, mode=self.mode, last_exec=k)
        return k, self.node(k)

    def seek(self, k: int) -> None:
        """Make execution ``k`` the next one."""
        if isinstance(k, bool) or not isinstance(k, int) or k < 0:
            raise QrandError(f"execution index must be a non-negative int, got {k!r}")
        with self._lock:
            self._next = k

    @contextmanager
    def replay(self, k: int) -> Iterator[None]:
        """Run the block as execution ``k`` (and on), then restore the counter."""
        before = self._next
        self.seek(k)
        try:
            yield
        finally:
            with self._lock:
                self._next = before
