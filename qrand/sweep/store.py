"""The sweep result store: one SQLite file per sweep.

The file holds the sweep definition (function name, configs, seeds, root and
their hash), one row per task (key, config, seed, status, result JSON, the
task's run record, timing, traceback) and one row per run of the sweep (when,
which executor, the manifest). It is written in WAL mode, only by the parent
process, one atomic transaction per finished task, so a process killed at any
moment leaves every task either finished with its full result or pending.
``synchronous=NORMAL`` keeps that guarantee for a killed process; after a
power cut the last few finished tasks may be pending again (they re-run).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterable

from ..errors import QrandError
from .tasks import Task, canonical_json

#: SQLite ``PRAGMA application_id`` of a qrand sweep store ("qrsw")
APPLICATION_ID = 0x71727377
#: schema version (``PRAGMA user_version``)
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (
    run INTEGER PRIMARY KEY AUTOINCREMENT, started REAL NOT NULL, finished REAL,
    status TEXT NOT NULL, executor TEXT, workers INTEGER, scheduler TEXT,
    manifest TEXT, done INTEGER DEFAULT 0, failed INTEGER DEFAULT 0);
CREATE TABLE tasks (
    idx INTEGER NOT NULL UNIQUE, key TEXT PRIMARY KEY, config TEXT NOT NULL,
    seed INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'done', 'failed')),
    result TEXT, record TEXT, error TEXT, started REAL, elapsed REAL, cpu REAL, worker TEXT,
    run INTEGER, attempts INTEGER NOT NULL DEFAULT 0);
"""
_TABLES = {"meta", "runs", "tasks"}


def definition_hash(definition: dict) -> str:
    """sha256 of the canonical JSON of the parts that make a sweep what it is."""
    core = {k: definition[k] for k in ("fn", "configs", "seeds", "root")}
    return hashlib.sha256(canonical_json(core).encode("utf-8")).hexdigest()


def next_free_path(path: Path) -> Path:
    """``sweep.sqlite`` -> ``sweep-2.sqlite`` (or -3, ...): the first name not taken."""
    for n in range(2, 100_000):
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise QrandError(f"no free store name next to {path}")  # pragma: no cover


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30.0)
    conn.row_factory = sqlite3.Row
    return conn


class SweepStore:
    """An open sweep store. Use :meth:`open`, :meth:`create` or :meth:`open_or_create`."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = Path(path)
        self._conn = conn

    # -- opening ------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike) -> SweepStore:
        """Open an existing store, or raise :class:`QrandError` if it is missing, foreign or corrupt."""
        path = Path(path)
        if not path.is_file():
            raise QrandError(f"sweep store {path} does not exist")
        conn = cls._check(path)
        if conn is None:
            raise QrandError(f"sweep store {path} is empty (no sweep was ever written to it)")
        return cls(path, conn)

    @classmethod
    def _check(cls, path: Path) -> sqlite3.Connection | None:
        """Validate an existing file; None if it is an empty database, else an open connection."""
        try:
            conn = _connect(path)
        except sqlite3.Error as exc:
            raise QrandError(f"cannot open sweep store {path}: {exc}") from None
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            conn.close()
            if "malformed" in str(exc):
                raise QrandError(f"sweep store {path} is corrupted (SQLite: {exc})") from None
            raise QrandError(f"{path} is not a qrand sweep store "
                             f"(not a readable SQLite database: {exc})") from None
        if app_id == 0 and not tables:
            conn.close()
            return None
        if app_id != APPLICATION_ID or not _TABLES <= tables:
            conn.close()
            raise QrandError(f"{path} is an SQLite database but not a qrand sweep store "
                             f"(application_id {app_id:#x}, tables {sorted(tables)})")
        if version > SCHEMA_VERSION:
            conn.close()
            raise QrandError(f"sweep store {path} has schema {version}, newer than this qrand "
                             f"understands ({SCHEMA_VERSION}); upgrade qrand")
        try:
            check = [r[0] for r in conn.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as exc:
            check = [str(exc)]
        if check != ["ok"]:
            conn.close()
            raise QrandError(f"sweep store {path} is corrupted (SQLite quick_check: {'; '.join(check[:3])})")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @classmethod
    def create(cls, path: str | os.PathLike, definition: dict, tasks: Iterable[Task]) -> SweepStore:
        """Write a new store at ``path`` (which must not hold a sweep yet) in one transaction."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise QrandError(f"cannot create sweep store {path}: {exc}") from None
        if path.exists():
            existing = cls._check(path)
            if existing is not None:
                existing.close()
                raise QrandError(f"sweep store {path} already holds a sweep")
        conn = _connect(path)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            conn.close()
            raise QrandError(f"cannot create sweep store {path}: {exc}") from None
        meta = {"definition": canonical_json(definition), "definition_hash": definition_hash(definition),
                "created": repr(time.time()), "schema": str(SCHEMA_VERSION)}
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            conn.executemany("INSERT INTO tasks (idx, key, config, seed) VALUES (?, ?, ?, ?)",
                             ((t.index, t.key, canonical_json(t.config), t.seed) for t in tasks))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            conn.close()
            raise
        return cls(path, conn)

    @classmethod
    def open_or_create(cls, path: str | os.PathLike, definition: dict, tasks: list[Task], *,
                       new: bool = False) -> SweepStore:
        """The store for ``definition`` at ``path``.

        An existing store with the same definition is reopened (to resume); one
        with a different definition is refused unless ``new`` is true, in which
        case (and whenever ``new`` is true and ``path`` exists) a new file is
        written next to it (``name-2.sqlite``, ...).
        """
        path = Path(path)
        if new and path.exists():
            return cls.create(next_free_path(path), definition, tasks)
        if not path.exists():
            return cls.create(path, definition, tasks)
        conn = cls._check(path)
        if conn is None:
            return cls.create(path, definition, tasks)
        store = cls(path, conn)
        old = store.definition()
        if store.definition_hash() != definition_hash(definition):
            changed = [k for k in ("fn", "configs", "seeds", "root") if old.get(k) != definition.get(k)]
            store.close()
            raise QrandError(
                f"sweep store {path} holds a different sweep ({', '.join(changed) or 'definition'} "
                f"changed); use --new (new=True) to write a new store next to it, or another --store")
        return store

    # -- reading ------------------------------------------------------------
    def _meta(self, name: str) -> str:
        row = self._conn.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        if row is None:
            raise QrandError(f"sweep store {self.path} has no {name!r} (damaged store)")
        return row[0]

    def definition(self) -> dict:
        """The sweep definition: ``fn``, ``name``, ``configs``, ``seeds``, ``root``."""
        return json.loads(self._meta("definition"))

    def definition_hash(self) -> str:
        """The stored definition hash (sha256 hex)."""
        return self._meta("definition_hash")

    def pending_keys(self, *, rerun_failed: bool = True) -> set[str]:
        """Keys of tasks still to run: pending ones, and failed ones if ``rerun_failed``."""
        statuses = ("pending", "failed") if rerun_failed else ("pending",)
        marks = ",".join("?" * len(statuses))
        query = f"SELECT key FROM tasks WHERE status IN ({marks})"
        return {r[0] for r in self._conn.execute(query, statuses)}

    def counts(self) -> dict[str, int]:
        """Number of tasks per status."""
        out = {"pending": 0, "done": 0, "failed": 0}
        query = "SELECT status, count(*) FROM tasks GROUP BY status"
        out.update({r[0]: r[1] for r in self._conn.execute(query)})
        return out

    def rows(self) -> list[dict[str, Any]]:
        """Every task row as a dict, in definition order."""
        return [dict(r) for r in self._conn.execute("SELECT * FROM tasks ORDER BY idx")]

    def result_rows(self) -> list[tuple]:
        """``(key, seed, status, result JSON, record JSON)`` per task, in definition order.

        The part of a store that does not depend on how or where the tasks ran
        (no timing, no worker): two runs of the same sweep are identical in
        results exactly when their ``result_rows()`` are equal.
        """
        query = "SELECT key, seed, status, result, record FROM tasks ORDER BY idx"
        return [tuple(r) for r in self._conn.execute(query)]

    def runs(self) -> list[dict[str, Any]]:
        """Every run of this sweep (executor, workers, timing, manifest JSON), oldest first."""
        return [dict(r) for r in self._conn.execute("SELECT * FROM runs ORDER BY run")]

    def failures(self) -> list[tuple[str, str]]:
        """``(task key, traceback text)`` of every failed task, in definition order."""
        return [(r[0], r[1]) for r in
                self._conn.execute("SELECT key, error FROM tasks WHERE status='failed' ORDER BY idx")]

    def frame(self):
        """Tidy DataFrame, one row per task (see :func:`qrand.sweep.frame.tasks_frame`)."""
        from .frame import tasks_frame

        return tasks_frame(self.rows())

    def to_csv(self, path: str | os.PathLike) -> Path:
        """Write the tidy frame as CSV; returns the path."""
        self.frame().to_csv(path, index=False)
        return Path(path)

    def to_parquet(self, path: str | os.PathLike) -> Path:
        """Write the tidy frame as Parquet (needs pyarrow, extra ``ml``); returns the path."""
        from .._optional import require

        require("pyarrow")
        self.frame().to_parquet(path, index=False)
        return Path(path)

    # -- writing (parent process only) ---------------------------------------
    def begin_run(self, *, executor: str, workers: int | None, scheduler: str | None,
                  manifest: dict | None) -> int:
        """Record the start of a run; returns its id."""
        cur = self._conn.execute(
            "INSERT INTO runs (started, status, executor, workers, scheduler, manifest) "
            "VALUES (?, 'running', ?, ?, ?, ?)",
            (time.time(), executor, workers, scheduler,
             None if manifest is None else canonical_json(manifest, allow_nan=True)))
        return int(cur.lastrowid)

    def end_run(self, run: int, status: str, *, done: int, failed: int) -> None:
        """Record how run ``run`` ended (``finished``, ``interrupted``, ``error``)."""
        self._conn.execute("UPDATE runs SET finished=?, status=?, done=?, failed=? WHERE run=?",
                           (time.time(), status, done, failed, run))

    def reset_tasks(self, keys: Iterable[str]) -> None:
        """Mark ``keys`` pending again (``resume=False`` re-runs finished tasks)."""
        self._conn.execute("BEGIN IMMEDIATE")
        self._conn.executemany("UPDATE tasks SET status='pending' WHERE key=?", ((k,) for k in keys))
        self._conn.execute("COMMIT")

    def record(self, outcome: dict, run: int) -> None:
        """Write one task's outcome (from :func:`qrand.sweep.tasks.execute_task`) atomically."""
        self._conn.execute(
            "UPDATE tasks SET status=?, result=?, record=?, error=?, started=?, elapsed=?, cpu=?, "
            "worker=?, run=?, attempts=attempts+1 WHERE key=?",
            (outcome["status"], outcome["result"], outcome["record"], outcome["error"],
             outcome["started"], outcome["elapsed"], outcome["cpu"], outcome["worker"], run,
             outcome["key"]))

    def close(self) -> None:
        """Close the connection (checkpointing the WAL into the main file)."""
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:  # pragma: no cover - read-only media etc.
            pass
        self._conn.close()

    def __enter__(self) -> SweepStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SweepStore({str(self.path)!r})"


__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "SweepStore", "definition_hash", "next_free_path"]
