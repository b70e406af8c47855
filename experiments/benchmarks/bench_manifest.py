"""Costs of the manifest layer, measured side by side in one run.

* child start-up: ``python -c pass`` plain vs with qrand's start-up seeding
  (the ``sitecustomize`` that ``qrand run``/``check`` put on ``PYTHONPATH``);
* ``qrand.fingerprint`` of a 64 MiB float64 array vs raw ``hashlib.sha256``;
* ``Manifest.capture`` + ``save`` + ``load`` round trip.

Run: ``python experiments/benchmarks/bench_manifest.py``.
"""

from __future__ import annotations

import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import qrand
from qrand.manifest.runner import child_environment


def _best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    plain_env = child_environment()
    seeded_env = child_environment(tree=qrand.SeedTree(1))
    run = lambda env: subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)  # noqa: E731
    plain, seeded = _best(lambda: run(plain_env)), _best(lambda: run(seeded_env))
    print(f"child start-up   plain {plain * 1e3:7.1f} ms   seeded {seeded * 1e3:7.1f} ms   ratio {seeded / plain:5.2f}x")

    array = np.random.default_rng(0).standard_normal(8 * 2**20)
    raw = _best(lambda: hashlib.sha256(array.tobytes()).hexdigest(), 3)
    fp = _best(lambda: qrand.fingerprint(array), 3)
    print(f"64 MiB array     sha256 {raw * 1e3:6.1f} ms   fingerprint {fp * 1e3:6.1f} ms   ratio {fp / raw:5.2f}x")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "m.json")
        with qrand.scoped(3):
            capture = _best(lambda: qrand.Manifest.capture(), 3)
            manifest = qrand.Manifest.capture()
        save = _best(lambda: manifest.save(path))
        load = _best(lambda: qrand.Manifest.load(path))
    print(f"manifest         capture {capture * 1e3:6.1f} ms   save {save * 1e3:5.2f} ms   load {load * 1e3:5.2f} ms")


if __name__ == "__main__":
    main()
