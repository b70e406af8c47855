"""Simulator seeds vs OS entropy: what "seeded" means for PennyLane and Qiskit Aer.

1. PennyLane across fresh processes: ``seed=None`` (OS entropy) and the
   default ``seed="global"`` without a NumPy seed give different samples in
   every process; the same default device after ``qrand.seed_everything`` and
   a ``qrand.quantum.device(seed=S)`` give the same samples in every process,
   and the qrand device still gives fresh samples on its next call.
2. The Aer seed-overlap pitfall, with real Aer: when Aer samples shot by shot
   (here: a mid-circuit measurement), shot ``j`` uses ``seed_simulator + j``,
   so runs seeded ``n`` and ``n + 1`` return the same shots shifted by one;
   in a batch, circuit ``i`` uses ``n + 2113*i``. qrand's
   ``aer_simulator(seed=n)`` and ``seed=n + 1`` hash their seeds, and the
   match rate at every shift stays at chance.

Run: ``python experiments/simulator_seeds_vs_os_entropy.py [--seed S] [--quick]``.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from _common import fresh_json, finish, start

N_WIRES = 4
SHOTS_PL = 32
SHIFTS = range(-4, 5)

CHILD = """
import json, numpy as np, pennylane as qml, qrand
from qrand.quantum import device

def circuit():
    for w in range({n}):
        qml.Hadamard(w)
    return qml.sample(wires=range({n}))

def draws(dev, calls=2):
    node = qml.set_shots(qml.QNode(circuit, dev), {shots})
    return [np.asarray(node()).astype(int).tolist() for _ in range(calls)]

out = {{}}
out["pennylane seed=None (OS entropy)"] = draws(qml.device("default.qubit", wires={n}, seed=None))
out["pennylane default, NumPy unseeded"] = draws(qml.device("default.qubit", wires={n}))
qrand.seed_everything({seed})
out["pennylane default after seed_everything"] = draws(qml.device("default.qubit", wires={n}))
out["qrand.quantum.device(seed=S)"] = draws(device("default.qubit", {n}, seed={seed}))
print(json.dumps(out))
"""


def _digest(samples) -> str:
    return hashlib.sha256(np.asarray(samples, dtype=np.int8).tobytes()).hexdigest()[:16]


def pennylane_fresh_processes(seed: int, processes: int) -> pd.DataFrame:
    """Samples of each device variant, two calls, in ``processes`` fresh interpreters."""
    rows = []
    code = CHILD.format(n=N_WIRES, shots=SHOTS_PL, seed=seed)
    for proc in range(processes):
        for variant, calls in fresh_json(code).items():
            for call, samples in enumerate(calls):
                rows.append({"variant": variant, "process": proc, "call": call,
                             "samples_sha": _digest(samples),
                             "first_shots": " ".join("".join(map(str, s)) for s in samples[:4])})
    return pd.DataFrame(rows)


def _mid_circuit_circuit(n: int = 5):
    """H on ``n`` qubits, a mid-circuit measurement, H again, measure all: Aer samples shot by shot."""
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(n, n + 1)
    qc.h(range(n))
    qc.measure(0, n)
    qc.h(0)
    qc.measure(range(n), range(n))
    return qc


def match_by_shift(a: list[str], b: list[str]) -> dict[int, float]:
    """Fraction of shots with ``a[j + d] == b[j]`` for each shift ``d``."""
    out = {}
    for d in SHIFTS:
        pairs = list(zip(a[d:], b)) if d >= 0 else list(zip(a, b[-d:]))
        out[d] = float(np.mean([x == y for x, y in pairs]))
    return out


def aer_overlap(tree, shots: int) -> tuple[pd.DataFrame, dict]:
    """Native Aer seeds n, n+1 (and batch n + 2113) vs qrand-seeded Aer with roots n, n+1."""
    from qiskit_aer import AerSimulator

    from qrand.quantum import aer_simulator

    qc = _mid_circuit_circuit()
    n = tree.child("aer-native").seed(32)
    native = AerSimulator()

    def memory(seed, circuits=qc):
        return native.run(circuits, shots=shots, memory=True, seed_simulator=seed).result()

    nat_a, nat_b = memory(n).get_memory(), memory(n + 1).get_memory()
    batch = memory(n, [qc, qc])
    batch_second_equals = batch.get_memory(1) == memory(n + 2113).get_memory()

    sim_a, sim_b = aer_simulator(seed=n, name="mid"), aer_simulator(seed=n + 1, name="mid")
    seeds = {"qrand root n, exec 0": sim_a.execution_seed(0), "qrand root n+1, exec 0": sim_b.execution_seed(0),
             "qrand root n, exec 1": sim_a.execution_seed(1)}
    q_a0 = sim_a.result(qc, shots, memory=True).get_memory()
    q_a1 = sim_a.result(qc, shots, memory=True).get_memory()
    q_b0 = sim_b.result(qc, shots, memory=True).get_memory()
    pairs = {"Aer seed_simulator n vs n+1": (nat_a, nat_b),
             "qrand aer_simulator(seed=n) vs (seed=n+1)": (q_a0, q_b0),
             "qrand seed=n: execution 0 vs 1": (q_a0, q_a1)}
    rows = [{"pair": name, "shift": d, "match": m}
            for name, (a, b) in pairs.items() for d, m in match_by_shift(a, b).items()]
    values = sorted(seeds.values())
    info = {"native_seed_n": n, "batch_circuit1_equals_seed_n_plus_2113": bool(batch_second_equals),
            "qrand_seeds": seeds, "qrand_min_seed_gap": int(min(np.diff(values))),
            "chance_match": float(sum((nat_a.count(k) / shots) ** 2 for k in set(nat_a)))}
    return pd.DataFrame(rows), info


def plot(run, pl: pd.DataFrame, shifts: pd.DataFrame) -> None:
    """Distinct sample sets per variant, and match rate vs shift."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.2))
    first = pl[pl["call"] == 0].groupby("variant", sort=False)["samples_sha"].nunique()
    ax.barh(first.index, first.values, color=["tab:red", "tab:red", "tab:green", "tab:green"][: len(first)])
    ax.set_xlabel(f"distinct call-0 samples across {pl['process'].nunique()} fresh processes")
    ax.set_xlim(0, pl["process"].nunique() + 0.5)
    run.figure(fig, "pennylane_fresh_processes")

    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for name, group in shifts.groupby("pair", sort=False):
        ax.plot(group["shift"], group["match"], marker="o", label=name)
    ax.set_xlabel("shift d (compare shot j+d of run A with shot j of run B)")
    ax.set_ylabel("fraction of equal shots")
    ax.set_ylim(-0.02, 1.05)
    ax.legend(fontsize=7)
    ax.set_title("Aer per-shot seeds: n and n+1 overlap, qrand's do not")
    run.figure(fig, "aer_seed_overlap")


def main(argv=None) -> None:
    run = start("simulator_seeds_vs_os_entropy", __doc__.splitlines()[0], argv)
    seed = run.tree.child("pennylane").seed(32)
    pl = pennylane_fresh_processes(seed, run.pick(3, 5))
    run.csv(pl, "pennylane_samples")
    shifts, info = aer_overlap(run.tree, run.pick(400, 4000))
    run.csv(shifts, "aer_shift_match")
    plot(run, pl, shifts)

    call0 = pl[pl["call"] == 0].groupby("variant")["samples_sha"].nunique().to_dict()
    by_pair = shifts.set_index(["pair", "shift"])["match"]
    claims = {
        "processes": int(pl["process"].nunique()),
        "distinct_call0_samples_across_processes": call0,
        "qrand_device_call1_differs_from_call0": bool(
            (pl[pl["variant"] == "qrand.quantum.device(seed=S)"].groupby("process")["samples_sha"].nunique() == 2).all()),
        "aer_native_match_at_shift_1": by_pair[("Aer seed_simulator n vs n+1", 1)],
        "qrand_max_match_any_shift": float(shifts[shifts["pair"] != "Aer seed_simulator n vs n+1"]["match"].max()),
        **info,
    }
    finish(run, claims)


if __name__ == "__main__":
    main()
