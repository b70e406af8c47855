"""Run a command as a seeded child process (``qrand run``/``replay``/``check``/``audit``).

A child gets its seeding through the environment only, so this works for any
command: ``PYTHONHASHSEED``, ``QISKIT_TRANSPILER_SEED`` and (with
``deterministic``) the determinism variables. A *Python* child is also seeded
in-process before user code runs: ``PYTHONPATH`` starts with
:data:`SITE_DIR`, whose ``sitecustomize`` calls :func:`qrand.seed_everything`
from ``QRAND_SEED``/``QRAND_DETERMINISTIC`` (or starts an audit when
``QRAND_AUDIT_OUT`` is set), then chains to any other ``sitecustomize``. At
exit it writes the child's run record to ``QRAND_RECORD_OUT``, which the
parent merges into the manifest.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import QrandError
from .outputs import IGNORED_DIRS, snapshot

SITE_DIR = Path(__file__).resolve().parent / "_sitecustomize"
QRAND_VARS = ("QRAND_SEED", "QRAND_DETERMINISTIC", "QRAND_RECORD_OUT", "QRAND_AUDIT_OUT")
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "TF_NUM_INTRAOP_THREADS")
MAX_COPY_BYTES = 512 * 1024 * 1024
MAX_RECORD_BYTES = 16 * 1024 * 1024


@dataclass
class ChildResult:
    """A finished child: exit status, its run record (None: not a seeded Python child), files."""

    returncode: int
    record: dict | None
    stdout_path: Path
    stderr_path: Path | None
    duration: float
    workdir: Path

    def stderr_tail(self, lines: int = 5) -> str:
        """Last lines of captured stderr (empty when it went to the terminal)."""
        if self.stderr_path is None or not self.stderr_path.exists():
            return ""
        text = self.stderr_path.read_text(errors="replace").strip().splitlines()
        return "\n".join(text[-lines:])


def thread_env(n: int) -> dict[str, str]:
    """Variables that pin OpenMP/MKL/OpenBLAS/NumExpr/TF (and XLA when 1) to ``n`` threads."""
    env = {name: str(n) for name in THREAD_VARS}
    if n == 1:
        env["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    return env


def child_environment(*, tree=None, seed_python: bool = True, deterministic: bool = False,
                      hashseed: int | None = None, overrides: dict[str, str] | None = None,
                      base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a child process.

    Parameters
    ----------
    tree : SeedTree, optional
        The run's seed tree; gives ``PYTHONHASHSEED`` and (when ``seed_python``)
        ``QRAND_SEED`` etc. via :func:`qrand.seeding.environment.child_env`.
    seed_python : bool
        Seed Python children in-process at start-up (``QRAND_SEED``).
    deterministic : bool
        Add the determinism variables (cuBLAS, TF, XLA).
    hashseed : int, optional
        Override ``PYTHONHASHSEED``.
    overrides : dict, optional
        Applied last (thread counts, recorded variables on replay).
    base : dict, optional
        Starting environment (default ``os.environ``).
    """
    from ..seeding import determinism, environment

    env = dict(os.environ if base is None else base)
    for name in QRAND_VARS:
        env.pop(name, None)
    if tree is not None:
        seeded = environment.child_env(tree, deterministic)
        if not seed_python:
            seeded = {k: v for k, v in seeded.items() if k == "PYTHONHASHSEED"}
        env.update(seeded)
    if deterministic:
        env.update(determinism.determinism_env(True, env))
        env["QRAND_DETERMINISTIC"] = "1"
    if hashseed is not None:
        env["PYTHONHASHSEED"] = str(hashseed)
    for name, value in (overrides or {}).items():
        if name == "XLA_FLAGS" and env.get("XLA_FLAGS"):
            value = " ".join(dict.fromkeys(env["XLA_FLAGS"].split() + value.split()))
        env[name] = value
    env["PYTHONPATH"] = os.pathsep.join([str(SITE_DIR)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep)
                                                           if p and p != str(SITE_DIR)])
    return env


def resolve_argv(argv: list[str], cwd: str | os.PathLike | None = None) -> list[str]:
    """Validate a command and make a relative program path (``./x``, ``.venv/bin/python``) absolute."""
    if not argv:
        raise QrandError("no command given: put it after '--', e.g. qrand run -- python train.py")
    argv = [str(a) for a in argv]
    program = argv[0]
    if os.sep in program and not os.path.isabs(program):
        program = os.path.abspath(os.path.join(cwd or os.getcwd(), program))
    elif os.sep not in program and shutil.which(program) is None:
        raise QrandError(f"command not found: {program}")
    return [program, *argv[1:]]


def copy_workdir(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    """Copy ``src`` to ``dst`` (skipping VCS/venv/cache folders), at most :data:`MAX_COPY_BYTES`."""
    total = sum(size for size, _ in snapshot(src).values())
    if total > MAX_COPY_BYTES:
        raise QrandError(f"{src} holds {total / 2**20:.0f} MiB; too much to copy per run "
                         "(run from a smaller directory or use --inplace)")
    shutil.copytree(src, dst, symlinks=True, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(*IGNORED_DIRS, "*.egg-info"))


def _read_record(path: Path) -> dict | None:
    try:
        if not path.exists() or path.stat().st_size > MAX_RECORD_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def run_child(argv: list[str], *, cwd: str | os.PathLike, env: dict[str, str], store: str | os.PathLike,
              tee: bool = False, capture_stderr: bool = True, timeout: float | None = None) -> ChildResult:
    """Run ``argv`` in ``cwd`` with ``env``; stdout goes to ``store/stdout`` (and the terminal if ``tee``).

    The child's record (written by the start-up hook) is read from
    ``store/record.json``; it is None for non-Python commands.
    """
    store = Path(store)
    store.mkdir(parents=True, exist_ok=True)
    record_path, stdout_path = store / "record.json", store / "stdout"
    stderr_path = store / "stderr" if capture_stderr else None
    env = {**env, "QRAND_RECORD_OUT": str(record_path)}
    start = time.perf_counter()
    stderr_handle = open(stderr_path, "wb") if stderr_path else None
    try:
        with open(stdout_path, "wb") as out:
            try:
                proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=stderr_handle)
            except FileNotFoundError:
                raise QrandError(f"command not found: {argv[0]}") from None
            except PermissionError:
                raise QrandError(f"command is not executable: {argv[0]}") from None
            watchdog = threading.Timer(timeout, proc.kill) if timeout else None
            if watchdog is not None:
                watchdog.daemon = True
                watchdog.start()
            try:
                for chunk in iter(lambda: proc.stdout.read1(65536), b""):
                    out.write(chunk)
                    if tee:
                        sys.stdout.buffer.write(chunk)
                        sys.stdout.flush()
                returncode = proc.wait()
            except BaseException:
                proc.kill()
                proc.wait()
                raise
            finally:
                if watchdog is not None:
                    watchdog.cancel()
            if watchdog is not None and returncode < 0 and time.perf_counter() - start >= timeout:
                raise QrandError(f"{argv[0]} did not finish within {timeout:g} s and was stopped")
    finally:
        if stderr_handle:
            stderr_handle.close()
    return ChildResult(returncode, _read_record(record_path), stdout_path, stderr_path,
                       time.perf_counter() - start, Path(cwd))
