"""Small sweep functions used by the docs, the tests and the benchmark.

They are module-level (so worker processes can import them) and draw every
random number from the task's tree.
"""

from __future__ import annotations

import numpy as np

from ..seeding.tree import SeedTree


def estimate_pi(config: dict, tree: SeedTree) -> dict:
    """Monte Carlo estimate of pi from ``config["n"]`` points (NumPy, vectorised)."""
    rng = tree.numpy()
    n = int(config["n"])
    xy = rng.random((n, 2))
    inside = int(np.count_nonzero((xy * xy).sum(axis=1) <= 1.0))
    return {"pi": 4.0 * inside / n, "inside": inside}


def random_walk(config: dict, tree: SeedTree) -> dict:
    """CPU-bound pure-Python random walk of ``config["steps"]`` steps (holds the GIL)."""
    rng = tree.python()
    position = 0
    extreme = 0
    for _ in range(int(config["steps"])):
        position += 1 if rng.random() < config.get("p", 0.5) else -1
        extreme = max(extreme, abs(position))
    return {"final": position, "extreme": extreme}


def flaky(config: dict, tree: SeedTree) -> dict:
    """Fails (``ValueError``) when ``config["fail"]`` is true, else returns a few draws."""
    if config.get("fail"):
        raise ValueError(f"task asked to fail: {config}")
    rng = tree.numpy()
    return {"x": float(rng.normal()), "k": int(rng.integers(0, 1 << 30))}
