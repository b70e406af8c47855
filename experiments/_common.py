"""Shared plumbing of the experiment scripts: flags, output folder, figures, fresh processes, manifest.

Every script in ``experiments/`` calls :func:`start` first and :func:`finish`
last. ``start`` parses ``--seed/--quick/--out``, seeds the run with
``qrand.seed_everything`` (OS entropy when ``--seed`` is left out: the root
is printed and recorded) and creates ``results/<script>/``. ``finish``
writes ``claims.json`` (the numbers the script's message rests on) and a
qrand manifest that hashes every output file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import qrand

#: variables that would seed a child behind the experiment's back
_SEEDING_ENV = ("PYTHONHASHSEED", "QRAND_SEED", "QISKIT_TRANSPILER_SEED", "CUBLAS_WORKSPACE_CONFIG",
                "TF_DETERMINISTIC_OPS", "TF_CUDNN_DETERMINISTIC", "XLA_FLAGS")


class Run:
    """One experiment run: its args, seed tree, output folder and clock."""

    def __init__(self, args: argparse.Namespace, tree, out: Path):
        self.args, self.tree, self.out = args, tree, out
        self.began = time.perf_counter()

    @property
    def quick(self) -> bool:
        """``--quick`` given."""
        return bool(self.args.quick)

    def pick(self, quick, full):
        """``quick`` under ``--quick``, else ``full``."""
        return quick if self.quick else full

    def csv(self, frame, stem: str) -> Path:
        """Write a DataFrame as ``<out>/<stem>.csv``.

        A wall-clock column (``seconds``) is left out, so that a re-run with
        the same seed writes the same bytes.
        """
        path = self.out / f"{stem}.csv"
        frame.drop(columns=["seconds"], errors="ignore").to_csv(path, index=False)
        return path

    def figure(self, fig, stem: str) -> Path:
        """Save a matplotlib figure as ``<out>/<stem>.png`` and close it."""
        import matplotlib.pyplot as plt

        path = self.out / f"{stem}.png"
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)
        return path


def start(name: str, description: str, argv: list[str] | None = None) -> Run:
    """Parse the common flags, seed the run, create the output folder."""
    import matplotlib

    matplotlib.use("Agg")
    parser = argparse.ArgumentParser(prog=f"{name}.py", description=description)
    parser.add_argument("--seed", type=int, default=None, help="root seed (default: 128 bits of OS entropy, recorded)")
    parser.add_argument("--quick", action="store_true", help="small sizes (well under a minute)")
    parser.add_argument("--out", default=None, help=f"output folder (default results/{name})")
    args = parser.parse_args(argv)
    try:
        tree = qrand.seed_everything(args.seed)
    except qrand.QrandError as exc:  # e.g. a negative seed: one line, exit 2
        parser.error(str(exc))
    out = Path(args.out) if args.out else Path("results") / name
    out.mkdir(parents=True, exist_ok=True)
    print(f"{name}: root seed {tree.root} ({tree.source}); writing to {out}", flush=True)
    return Run(args, tree, out)


def clean_env(**extra: str) -> dict[str, str]:
    """``os.environ`` without the variables that seed or pin a child, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in _SEEDING_ENV}
    env.update(extra)
    return env


def fresh_run(argv: list[str], env: dict[str, str] | None = None, cwd: str | None = None,
              timeout: float = 180) -> str:
    """Run ``argv`` as a new process (a clean env by default) and return its stdout."""
    proc = subprocess.run(argv, env=clean_env() if env is None else env, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"child {argv[:3]} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return proc.stdout


def fresh_python(code: str, env: dict[str, str] | None = None, prefix: list[str] | None = None,
                 cwd: str | None = None) -> str:
    """Run ``code`` in a new interpreter, after ``prefix`` (e.g. ``qrand run ... --``)."""
    return fresh_run([*(prefix or []), sys.executable, "-c", code], env, cwd)


def qrand_cli(*args: str) -> list[str]:
    """The argv of ``qrand ARGS`` for this interpreter."""
    return [sys.executable, "-m", "qrand", *args]


def fresh_json(code: str, env: dict[str, str] | None = None, **kwargs) -> object:
    """:func:`fresh_python` whose last stdout line is JSON."""
    return json.loads(fresh_python(code, env, **kwargs).strip().splitlines()[-1])


def finish(run: Run, claims: dict) -> Path:
    """Write ``claims.json`` and ``manifest.json`` (output hashes, claims in ``extra``)."""
    claims = {**claims, "seconds": round(time.perf_counter() - run.began, 2), "quick": run.quick}
    (run.out / "claims.json").write_text(json.dumps(claims, indent=2, default=_plain) + "\n")
    manifest = qrand.Manifest.capture(argv=[sys.executable, *sys.argv], cwd=str(run.out),
                                      outputs=["*.csv", "*.png", "claims.json"],
                                      extra={"claims": json.loads(json.dumps(claims, default=_plain))})
    path = manifest.save(run.out / "manifest.json")
    for key, value in claims.items():
        print(f"  {key}: {value}")
    print(f"done in {claims['seconds']} s; manifest {path}", flush=True)
    return path


def _plain(value):
    """JSON fallback for numpy scalars."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)
