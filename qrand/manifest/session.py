"""``qrand run`` and ``qrand replay`` as library calls: run a command and record
its manifest; show a manifest's drift against this machine; replay it and
grade its outputs against the recorded hashes.
"""

from __future__ import annotations

import glob
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import QrandError
from .capture import capture, environment_facts
from .compare import Report, View, grade, view_bytes
from .diff import ManifestDiff, diff_sections
from .model import Manifest
from .outputs import check_globs, collect, hash_files, snapshot
from .runner import QRAND_VARS, ChildResult, child_environment, copy_workdir, resolve_argv, run_child

STDOUT = "<stdout>"
DEFAULT_MANIFEST = "qrand-manifest.json"
#: sections compared before a replay (what this machine changes)
DRIFT_SECTIONS = ["versions", "hardware", "threads", "determinism", "env"]


def _sha256_file(path: Path) -> dict:
    data = path.read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def record_run(argv: list[str], *, seed: int | None = None, deterministic: bool = False,
               outputs: list[str] | None = None, cwd: str | os.PathLike | None = None,
               manifest_path: str | os.PathLike | None = None, tee: bool = True,
               env_overrides: dict[str, str] | None = None, source: str | None = None,
               timeout: float | None = None) -> tuple[Manifest, ChildResult]:
    """Run ``argv`` seeded from ``seed`` and return its manifest (saved when ``manifest_path``).

    Parameters
    ----------
    argv : list of str
        The command (Python or not).
    seed : int, optional
        Root seed; None draws OS entropy (recorded with ``source="os"``).
    deterministic : bool
        Give the child the determinism variables and flags.
    outputs : list of str, optional
        Glob patterns of output files; default: files created or modified.
    cwd : path, optional
        Working directory (default the current one).
    manifest_path : path, optional
        Where to save the manifest (atomically); it is never an output.
    tee : bool
        Echo the child's stdout to ours while recording its hash.
    env_overrides : dict, optional
        Extra variables for the child (replay uses the recorded ones).
    source : str, optional
        Override the recorded seed source (replay keeps the original's).
    timeout : float, optional
        Seconds before the child is killed.
    """
    from ..seeding.tree import SeedTree

    globs = check_globs(outputs)
    cwd = Path(cwd or os.getcwd()).resolve()
    command = resolve_argv(argv, cwd)
    tree = SeedTree(seed)
    exclude = set()
    if manifest_path is not None:
        target = Path(manifest_path).resolve()
        if target.is_relative_to(cwd):
            exclude.add(target.relative_to(cwd).as_posix())
    before = None if globs else snapshot(cwd)
    env = child_environment(tree=tree, deterministic=deterministic, overrides=env_overrides)
    with tempfile.TemporaryDirectory(prefix="qrand-run-") as store:
        result = run_child(command, cwd=cwd, env=env, store=store, tee=tee, capture_stderr=False,
                           timeout=timeout)
        hashes = hash_files(cwd, collect(cwd, globs, before, exclude))
        hashes[STDOUT] = _sha256_file(result.stdout_path)
    child = result.record or {}
    record = child.get("record") if isinstance(child.get("record"), dict) else None
    if record is None:  # not a (seedable) Python child: what the environment carried
        from ..seeding import registry

        record = {"tree": tree.to_dict(), "deterministic": deterministic,
                  "seeds": {"pythonhashseed": registry.derive(tree, "pythonhashseed"),
                            "qiskit": registry.derive(tree, "qiskit")}}
    facts = child.get("facts") if isinstance(child.get("facts"), dict) else {}
    doc = capture(argv=list(argv), cwd=str(cwd), record=record, outputs=hashes,
                  returncode=result.returncode, kind="python" if result.record else "env-only",
                  env={k: v for k, v in env.items() if k not in QRAND_VARS or k == "QRAND_SEED"},
                  facts=facts,
                  seed={"root": tree.root, "source": source or tree.source, "deterministic": deterministic},
                  extra={"child_python": child.get("python")} if child.get("python") else None)
    manifest = Manifest(doc)
    if manifest_path is not None:
        manifest.save(manifest_path)
    return manifest, result


def replay_env(manifest: Manifest) -> dict[str, str]:
    """The recorded variables a replay sets again (relevant ones only; never PATH-like ones)."""
    from ..seeding.environment import RELEVANT_ENV_VARS

    allowed = set(RELEVANT_ENV_VARS) - set(QRAND_VARS)
    return {k: v for k, v in manifest.env.items() if k in allowed}


def drift(manifest: Manifest) -> ManifestDiff:
    """What differs between the recorded environment and the one a replay here would get."""
    from ..seeding.tree import SeedTree

    if manifest.root is None:
        raise QrandError("the manifest records no root seed; it cannot be replayed")
    env = child_environment(tree=SeedTree(manifest.root), deterministic=manifest.deterministic,
                            overrides=replay_env(manifest))
    now = environment_facts(env)
    recorded = {k: manifest.data.get(k, {}) for k in DRIFT_SECTIONS}
    recorded["env"] = {k: v for k, v in recorded["env"].items() if k not in QRAND_VARS}
    now["env"] = {k: v for k, v in now["env"].items() if k not in QRAND_VARS}
    if manifest.data.get("command", {}).get("kind") in ("python", "in-process"):
        # the child measured its own threads/determinism state; compare like with like
        recorded.pop("threads", None), now.pop("threads", None)
        recorded.pop("determinism", None), now.pop("determinism", None)
    from .. import __version__

    now["qrand_version"] = __version__
    recorded["qrand_version"] = manifest.data.get("qrand_version")
    return diff_sections(recorded, now, DRIFT_SECTIONS)


def compare_outputs(manifest: Manifest, replayed: Manifest, original_dir: Path, *, rtol: float = 0.0,
                    atol: float = 0.0, alpha: float = 0.01) -> Report:
    """Grade a replay's outputs against the manifest's hashes.

    Equal hashes are ``bitwise``. When a hash differs and the original file is
    still in ``original_dir`` with the recorded hash, the two contents are
    graded (tolerance/statistical); otherwise the level is ``none``.
    """
    views: dict[str, list[View | None]] = {}
    new_dir = Path(replayed.data["command"]["cwd"])
    for name, entry in manifest.outputs.items():
        new = replayed.outputs.get(name)
        if new is None:
            views[name] = [View(entry["sha256"]), None]
            continue
        if new["sha256"] == entry["sha256"]:
            views[name] = [View(entry["sha256"]), View(new["sha256"])]
            continue
        original = original_dir / name
        if name != STDOUT and original.is_file() and _sha256_file(original)["sha256"] == entry["sha256"]:
            views[name] = [view_bytes(name, original.read_bytes()), view_bytes(name, (new_dir / name).read_bytes())]
        else:
            views[name] = [View(entry["sha256"]), View(new["sha256"])]
    runs = [{"run": 0, "seed": manifest.root, "varied": {"recorded": "manifest"}},
            {"run": 1, "seed": replayed.root, "varied": {"recorded": "replay"}}]
    return grade(views, rtol=rtol, atol=atol, alpha=alpha, runs=runs)


@dataclass
class ReplayResult:
    """A replay: the new manifest, the graded comparison, the child's exit status."""

    manifest: Manifest
    report: Report
    returncode: int


def replay(manifest: Manifest, *, cwd: str | os.PathLike | None = None, inplace: bool = False,
           rtol: float = 0.0, atol: float = 0.0, alpha: float = 0.01, tee: bool = True,
           timeout: float | None = None) -> ReplayResult:
    """Run the recorded command again with the recorded seed and variables; grade its outputs.

    Runs in a copy of ``cwd`` (so the original outputs stay for a tolerance
    comparison) unless ``inplace``.
    """
    if not manifest.outputs:
        raise QrandError("the manifest records no outputs, so a replay has nothing to compare "
                         "(qrand run records them; Manifest.capture takes outputs=[globs])")
    cwd = Path(cwd or os.getcwd()).resolve()
    globs = [name for name in manifest.outputs if name != STDOUT]
    with tempfile.TemporaryDirectory(prefix="qrand-replay-") as tmp:
        workdir = cwd if inplace else Path(tmp, "work")
        if not inplace:
            copy_workdir(cwd, workdir)
        new, result = record_run(manifest.argv, seed=manifest.root, deterministic=manifest.deterministic,
                                 outputs=[glob.escape(g) for g in globs] or None,
                                 cwd=workdir, tee=tee, env_overrides=replay_env(manifest),
                                 source=manifest.seed_source, timeout=timeout)
        report = compare_outputs(manifest, new, cwd, rtol=rtol, atol=atol, alpha=alpha)
    return ReplayResult(new, report, result.returncode)
