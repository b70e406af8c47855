"""Benchmark: 32 seeds of a 4-qubit VQC, one vmapped jitted job vs a loop of single-seed runs.

Run: ``python experiments/benchmarks/bench_multi_seed.py [--seeds 32] [--shots 0,100,1000]``.
Prints, per shot count, the warm wall time of the loop (each seed ``trainer(seed)``,
compiled once) and of ``multi_seed`` (compiled once), their ratio, the compile
times, and checks that both paths gave identical shot samples and parameters.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from qrand.training import VQC, multi_seed


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=32)
    parser.add_argument("--shots", default="0,100,1000")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--chunk", type=int, default=None, help="seeds per vmapped batch")
    args = parser.parse_args()
    import jax

    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"jax {jax.__version__} on {jax.devices()[0].platform}")
    print(f"# VQC 4 qubits x 2 layers, moons, {args.epochs} epochs, batch {args.batch_size}, "
          f"{args.seeds} seeds")
    header = f"{'shots':>6} {'loop s':>8} {'vmap s':>8} {'ratio':>6} {'compile 1':>10} {'compile N':>10} samples params"
    print(header)
    seeds = list(range(args.seeds))
    for shots in [int(s) for s in args.shots.split(",")]:
        trainer = VQC(dataset="moons", epochs=args.epochs, batch_size=args.batch_size, shots=shots,
                      record_samples=bool(shots))
        _, compile_one = timed(lambda: trainer(seeds[0]))
        _, compile_many = timed(lambda: multi_seed(trainer, seeds, chunk=args.chunk))
        loop, loop_s = timed(lambda: [trainer(seed) for seed in seeds])
        batched, vmap_s = timed(lambda: multi_seed(trainer, seeds, chunk=args.chunk))
        same_samples = all(a.samples is None or np.array_equal(a.samples, b.samples)
                           for a, b in zip(loop, batched))
        worst = max(float(np.max(np.abs(a.params - b.params))) for a, b in zip(loop, batched))
        print(f"{shots:>6} {loop_s:>8.3f} {vmap_s:>8.3f} {loop_s / vmap_s:>6.2f} {compile_one:>10.2f} "
              f"{compile_many:>10.2f} {'same' if same_samples else 'DIFFER':>7} {worst:.1e}")


if __name__ == "__main__":
    main()
