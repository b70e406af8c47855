"""Benchmark: fast multinomial path vs device path of ``qrand.shots.sweep``.

A 6-qubit circuit on 3 backends (one with a noise profile), shots 10..10^4,
200 seeds, serial executor. Each path runs in its own fresh process (so peak
RSS is per path); a tiny warm-up sweep (of another circuit) runs before the
clock starts, so the times compare sampling, not imports. Prints both side by side and the
ratios of wall time and of CPU time (all threads; the CPU ratio is the fairer one on a
shared, loaded machine). Nothing instruments the timed region (``tracemalloc`` slows
pure-Python code several-fold and would inflate the fast path more than the device path);
memory is the peak RSS of each path's process.

    .venv/bin/python experiments/benchmarks/bench_shots.py [--seeds 200] [--circuit random_layered:6:4]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time

BACKENDS = "default.qubit,aer,aer:uniform(p1q=1e-3,p2q=1e-2,readout=0.02)"
SHOTS = [10, 100, 1000, 10000]


def one(method: str, circuit: str, seeds: int, store: str) -> dict:
    from qrand.shots import sweep

    # warm-up outside the timed region: imports and plugin loading (another circuit, so the
    # timed run still computes its exact distributions and transpiles its own circuit)
    sweep("bell", BACKENDS, shots=[10], seeds=1, seed=0, method=method, store=store + ".warm",
          progress=False)

    start, cpu = time.perf_counter(), time.process_time()
    frame = sweep(circuit, BACKENDS, shots=SHOTS, seeds=seeds, seed=1, method=method, store=store,
                  progress=False)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"method": method, "wall_s": wall, "cpu_s": cpu, "rows": len(frame),
            "per_seed_ms": 1e3 * wall / (3 * seeds), "peak_rss_mib": rss / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--circuit", default="random_layered:6:4")
    parser.add_argument("--only", choices=("fast", "device"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(one(args.only, args.circuit, args.seeds, f"{tmp}/s.sqlite")))
        return
    results = {}
    for method in ("fast", "device"):
        out = subprocess.run([sys.executable, __file__, "--only", method, "--seeds", str(args.seeds),
                              "--circuit", args.circuit], check=True, capture_output=True, text=True)
        results[method] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"circuit {args.circuit}, backends {BACKENDS}, shots {SHOTS}, {args.seeds} seeds")
    print(f"{'':24}{'fast':>12}{'device':>12}")
    for key, label in (("wall_s", "sweep wall (s)"), ("cpu_s", "sweep CPU (s)"), ("per_seed_ms", "per backend x seed (ms)"),
                       ("peak_rss_mib", "peak RSS (MiB)")):
        print(f"{label:<24}{results['fast'][key]:>12.2f}{results['device'][key]:>12.2f}")
    ratio = results["device"]["wall_s"] / results["fast"]["wall_s"]
    cpu_ratio = results["device"]["cpu_s"] / results["fast"]["cpu_s"]
    print(f"speed-up fast vs device: {ratio:.1f}x wall, {cpu_ratio:.1f}x CPU (goal >= 100x); "
          f"peak RSS fast {results['fast']['peak_rss_mib']:.0f} MiB (goal < 1024)")


if __name__ == "__main__":
    main()
