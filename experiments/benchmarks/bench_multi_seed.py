"""Benchmark: 32 seeds of a 4-qubit VQC, one vmapped jitted job vs a loop of single-seed runs.

Run: ``python experiments/benchmarks/bench_multi_seed.py [--seeds 32] [--shots 0,100,1000] [--repeat 3]``.

Both sides are compiled before timing and do the same host work per seed
(split, init, minibatches, shot keys). The loop calls ``trainer(seed)`` for
every seed: each call is one ``jit(core)`` whose steps are a single
``lax.scan``. ``multi_seed`` runs ``jit(vmap(core))`` once over the seeds.
Loop and vmap are timed in alternation ``--repeat`` times (the machine may be
shared); the table gives the range of each wall time, the median per-seed
times and the range of the per-repeat ratios, then checks that both paths gave
identical shot counts and parameters (max abs difference).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np

from qrand.training import VQC, multi_seed


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def circuits_per_step(trainer: VQC, n_train: int) -> int:
    """Circuit evaluations per training step (gradient circuits plus the full-train loss)."""
    n_par = trainer.n_layers * trainer.n_qubits * 2
    per_row = 2 * n_par + 1 if trainer.config.shots else 1
    return trainer.config.batch_size * per_row + n_train


def span(values) -> str:
    return f"{min(values):.3f}-{max(values):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=32)
    parser.add_argument("--shots", default="0,100,1000")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3, help="timed loop/vmap pairs per shot count")
    parser.add_argument("--chunk", type=int, default=None, help="seeds per vmapped batch")
    args = parser.parse_args()
    import jax

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs (load {load:.1f}), "
          f"jax {jax.__version__} on {jax.devices()[0].platform}")
    print(f"# VQC 4 qubits x 2 layers, moons, {args.epochs} epochs, batch {args.batch_size}, "
          f"{args.seeds} seeds, {args.repeat} repeats")
    print(f"{'shots':>5} {'steps':>5} {'circ/step':>9} {'loop s':>11} {'vmap s':>11} {'loop ms/seed':>12} "
          f"{'vmap ms/seed':>12} {'ratio':>9} {'median':>6} {'compile 1':>9} {'compile N':>9} samples params")
    seeds = list(range(args.seeds))
    for shots in [int(s) for s in args.shots.split(",")]:
        trainer = VQC(dataset="moons", epochs=args.epochs, batch_size=args.batch_size, shots=shots,
                      record_samples=bool(shots))
        first, compile_one = timed(lambda: trainer(seeds[0]))
        _, compile_many = timed(lambda: multi_seed(trainer, seeds, chunk=args.chunk))
        loop_s, vmap_s = [], []
        for _ in range(max(1, args.repeat)):
            loop, seconds = timed(lambda: [trainer(seed) for seed in seeds])
            loop_s.append(seconds)
            batched, seconds = timed(lambda: multi_seed(trainer, seeds, chunk=args.chunk))
            vmap_s.append(seconds)
        ratios = [a / b for a, b in zip(loop_s, vmap_s)]
        same_samples = all(a.samples is None or np.array_equal(a.samples, b.samples)
                           for a, b in zip(loop, batched))
        worst = max(float(np.max(np.abs(a.params - b.params))) for a, b in zip(loop, batched))
        n_train = len(trainer.prepare(seeds[0])["y_train"])
        per_seed = [1e3 * statistics.median(t) / len(seeds) for t in (loop_s, vmap_s)]
        print(f"{shots:>5} {len(first.losses):>5} {circuits_per_step(trainer, n_train):>9} {span(loop_s):>11} "
              f"{span(vmap_s):>11} {per_seed[0]:>12.2f} {per_seed[1]:>12.2f} "
              f"{min(ratios):>4.2f}-{max(ratios):<4.2f} {statistics.median(ratios):>6.2f} "
              f"{compile_one:>9.2f} {compile_many:>9.2f} {'same' if same_samples else 'DIFFER':>7} {worst:.1e}")


if __name__ == "__main__":
    main()
