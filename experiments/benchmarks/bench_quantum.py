"""Overhead of qrand's seeded quantum backends against the native ones, side by side.

Run: ``python experiments/benchmarks/bench_quantum.py [--calls N]``. Prints the
median time per call (ms) of each native/qrand pair and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd


def per_call(fn, calls: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def pennylane_pairs(n: int, shots: int):
    import jax
    import pennylane as qml

    from qrand.quantum import device

    def qnode(dev, interface="auto", jit=False):
        @qml.set_shots(shots)
        @qml.qnode(dev, interface=interface)
        def f(x):
            for w in range(n):
                qml.RY(x * (w + 1), w)
            for w in range(n - 1):
                qml.CNOT([w, w + 1])
            return qml.sample(wires=list(range(n)))

        if jit:
            g = jax.jit(f)
            return lambda: np.asarray(g(0.3))
        return lambda: f(0.3)

    yield "default.qubit numpy", qnode(qml.device("default.qubit", wires=n, seed=1)), \
        qnode(device("default.qubit", n, seed=1))
    yield "lightning.qubit", qnode(qml.device("lightning.qubit", wires=n, seed=1)), \
        qnode(device("lightning.qubit", n, seed=1))
    yield "default.qubit jit, int seed vs rng=numpy", \
        qnode(qml.device("default.qubit", wires=n, seed=1), "jax", True), \
        qnode(device("default.qubit", n, seed=1), "jax", True)
    yield "default.qubit jit, PRNGKey (repeats!) vs rng=jax", \
        qnode(qml.device("default.qubit", wires=n, seed=jax.random.PRNGKey(1)), "jax", True), \
        qnode(device("default.qubit", n, seed=1, rng="jax"), "jax", True)


def aer_pair(n: int, shots: int):
    from qiskit_aer import AerSimulator

    from qrand.quantum import aer_simulator, circuits

    qc = circuits.random_layered(n, 4, seed=1)
    qc.measure_all()
    raw = AerSimulator()
    ours = aer_simulator(seed=1)
    yield "aer run", lambda: raw.run(qc, shots=shots, seed_simulator=1).result().get_counts(), \
        lambda: ours.run(qc, shots=shots)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--qubits", type=int, default=4)
    parser.add_argument("--shots", type=int, default=100)
    args = parser.parse_args()
    rows = []
    for gen in (pennylane_pairs(args.qubits, args.shots), aer_pair(args.qubits, args.shots)):
        for label, native, seeded in gen:
            t_native, t_qrand = per_call(native, args.calls), per_call(seeded, args.calls)
            rows.append({"backend": label, "native_ms": round(t_native, 3), "qrand_ms": round(t_qrand, 3),
                         "ratio": round(t_qrand / t_native, 2)})
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
