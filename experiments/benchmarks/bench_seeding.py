"""Benchmark: ``import qrand`` vs ``import pennylane``, and ``seed_everything`` cost.

Goals (issue 2): ``import qrand`` at most 0.1x of ``import pennylane`` and under
0.15 s (fresh processes, median); ``seed_everything`` with every framework
loaded under 5 ms median. Run: ``python experiments/benchmarks/bench_seeding.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

REPEATS = 7


def import_time(module: str) -> float:
    """Median wall time of ``import module`` in fresh interpreters (interpreter start excluded)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True).stdout) for _ in range(REPEATS)]
    return statistics.median(times)


def seed_everything_time() -> float:
    """Median time of ``seed_everything`` with torch, TF, JAX, PennyLane, sklearn loaded."""
    import jax  # noqa: F401
    import pennylane  # noqa: F401
    import sklearn  # noqa: F401
    import tensorflow  # noqa: F401
    import torch  # noqa: F401

    import qrand

    qrand.seed_everything(0)
    times = []
    for seed in range(50):
        start = time.perf_counter()
        qrand.seed_everything(seed)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    qrand_s, pennylane_s = import_time("qrand"), import_time("pennylane")
    print(f"import qrand      {qrand_s * 1e3:8.1f} ms (median of {REPEATS} fresh processes)")
    print(f"import pennylane  {pennylane_s * 1e3:8.1f} ms")
    print(f"ratio qrand/pennylane = {qrand_s / pennylane_s:.4f}  (goal <= 0.1, and qrand < 150 ms)")
    seed_s = seed_everything_time()
    print(f"seed_everything with all frameworks loaded: {seed_s * 1e3:.2f} ms median (goal < 5 ms)")


if __name__ == "__main__":
    main()
