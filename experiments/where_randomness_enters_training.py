"""Where randomness enters training: init, data split, shuffling, dropout, and float order.

Part 1 trains a small JAX MLP (``qrand.training.JaxMLP`` on ``moons``) many
times, each time letting exactly one named stream (``init``, ``split``,
``shuffle``, ``dropout``) take its seed from the run while the others stay at
a fixed base tree, then all of them at once. Each factor alone already
spreads the loss curves and the test accuracy; the same seed twice gives
bitwise-identical curves.

Part 2 shows the randomness nobody seeds: float order. Summing the same
float32 numbers in another order changes the last bits; so does the number
of threads of a parallel reduction (torch); and a full-batch gradient
descent on the same data with the rows permuted (mathematically the same
gradient) drifts apart step by step.

Run: ``python experiments/where_randomness_enters_training.py [--seed S] [--quick]``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from _common import finish, start
from qrand.training import JaxMLP, curves_frame, multi_seed, results_frame, with_options


def factor_runs(trainer, seeds) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Runs and loss curves with one factor varied at a time, then all."""
    runs, curves = [], []
    for factor in (*trainer.factors, "all"):
        vary = trainer.factors if factor == "all" else (factor,)
        results = multi_seed(with_options(trainer, vary=vary), seeds)
        for frame, out in ((results_frame(results), runs), (curves_frame(results), curves)):
            frame.insert(0, "factor", factor)
            out.append(frame)
    return pd.concat(runs, ignore_index=True), pd.concat(curves, ignore_index=True)


def summation_order(tree, n: int, orders: int) -> pd.DataFrame:
    """float32 sums of the same numbers in ``orders`` random orders vs the exact sum."""
    values = tree.child("values").numpy().normal(size=n).astype(np.float32)
    exact = math.fsum(values.astype(np.float64))
    rng = tree.child("orders").numpy()
    rows = []
    for k in range(orders):
        order = np.arange(n) if k == 0 else rng.permutation(n)
        x = values[order]
        for how, total in (("numpy pairwise sum", np.sum(x)), ("sequential cumsum", np.cumsum(x)[-1])):
            rows.append({"order": k, "method": how, "sum": float(total), "exact": exact,
                         "ulps_from_exact": float((np.float32(total) - np.float32(exact)) / np.spacing(np.float32(exact)))})
    return pd.DataFrame(rows)


def thread_count(tree, n: int) -> pd.DataFrame:
    """torch's parallel float32 sum of the same tensor with 1 and 2 threads."""
    import torch

    x = torch.from_numpy(tree.child("threads").numpy().normal(size=n).astype(np.float32))
    before = torch.get_num_threads()
    rows = []
    try:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            rows.append({"threads": threads, "sum": float(x.sum()), "mean": float(x.mean())})
    finally:
        torch.set_num_threads(before)
    return pd.DataFrame(rows)


def permuted_rows_drift(tree, steps: int) -> pd.DataFrame:
    """Full-batch GD of a tanh MLP on the same rows in two orders: max |w_a - w_b| per step."""
    from sklearn.datasets import make_moons

    X, y = make_moons(400, noise=0.2, random_state=tree.child("moons").seed(32))
    X, y = X.astype(np.float32), y.astype(np.float32)
    init = tree.child("init").numpy()
    start_w = (init.normal(size=(2, 16)).astype(np.float32), np.zeros(16, np.float32),
               init.normal(size=16).astype(np.float32))

    def train(rows):
        w1, b1, w2 = (w.copy() for w in start_w)
        xs, ys, lr, out = X[rows], y[rows], np.float32(0.5), []
        for _ in range(steps):
            h = np.tanh(xs @ w1 + b1)
            g = (1 / (1 + np.exp(-(h @ w2))) - ys) / len(ys)
            gh = np.outer(g, w2) * (1 - h * h)
            w1 -= lr * (xs.T @ gh)
            b1 -= lr * gh.sum(0)
            w2 -= lr * (h.T @ g)
            out.append(np.concatenate([w1.ravel(), b1, w2]))
        return np.array(out)

    a = train(np.arange(len(y)))
    b = train(tree.child("permutation").numpy().permutation(len(y)))
    return pd.DataFrame({"step": np.arange(1, steps + 1), "max_abs_weight_diff": np.abs(a - b).max(axis=1)})


def plot(run, runs, curves, sums, drift) -> None:
    """Loss bands per factor, test-accuracy spread per factor, float-order figures."""
    import matplotlib.pyplot as plt

    factors = list(dict.fromkeys(runs["factor"]))
    fig, axes = plt.subplots(1, len(factors), figsize=(3 * len(factors), 3), sharey=True)
    for ax, factor in zip(axes, factors):
        part = curves[curves["factor"] == factor]
        for _, one in part.groupby("seed"):
            ax.plot(one["step"], one["loss"], lw=0.7, alpha=0.6)
        ax.set_title(f"vary {factor}")
        ax.set_xlabel("step")
    axes[0].set_ylabel("training loss")
    run.figure(fig, "loss_curves_by_factor")

    fig, ax = plt.subplots(figsize=(6, 3.4))
    ax.boxplot([runs.loc[runs["factor"] == f, "test_acc"] for f in factors], tick_labels=factors)
    ax.set_ylabel("test accuracy")
    ax.set_title(f"JaxMLP on moons, {runs['seed'].nunique()} seeds per factor")
    run.figure(fig, "test_acc_by_factor")

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
    for method, part in sums.groupby("method"):
        left.hist(part["ulps_from_exact"], bins=20, alpha=0.6, label=method)
    left.set_xlabel("float32 sum - exact sum (ULPs)")
    left.set_title(f"{sums['order'].nunique()} orderings of the same numbers")
    left.legend(fontsize=8)
    right.semilogy(drift["step"], drift["max_abs_weight_diff"].clip(lower=1e-10))
    right.set_xlabel("gradient step")
    right.set_ylabel("max |w_a - w_b|")
    right.set_title("same data, rows permuted (float32 GD)")
    run.figure(fig, "float_order")


def main(argv=None) -> None:
    run = start("where_randomness_enters_training", __doc__.splitlines()[0], argv)
    trainer = JaxMLP(dataset="moons", epochs=run.pick(5, 20), base=run.tree.child("base").seed(32))
    seeds = [run.tree.child("run", i) for i in range(run.pick(8, 32))]
    runs, curves = factor_runs(trainer, seeds)
    again = [trainer(seeds[0]), trainer(seeds[0])]
    sums = summation_order(run.tree, run.pick(200_000, 2_000_000), run.pick(20, 100))
    threads = thread_count(run.tree, run.pick(2_000_000, 8_000_000))
    drift = permuted_rows_drift(run.tree, run.pick(500, 3000))
    for frame, stem in ((runs, "runs"), (curves, "curves"), (sums, "summation_order"),
                        (threads, "thread_count"), (drift, "permuted_rows_drift")):
        run.csv(frame, stem)
    plot(run, runs, curves, sums, drift)

    spread = runs.groupby("factor", sort=False)["test_acc"].std()
    claims = {
        "seeds_per_factor": len(seeds),
        "test_acc_std_by_factor": {k: round(float(v), 4) for k, v in spread.items()},
        "final_loss_distinct_by_factor": runs.groupby("factor", sort=False)["final_loss"].nunique().to_dict(),
        "same_seed_bitwise_identical": bool(np.array_equal(again[0].losses, again[1].losses)
                                            and np.array_equal(again[0].params, again[1].params)),
        "summation_distinct_results": sums.groupby("method")["sum"].nunique().to_dict(),
        "thread_sums_differ": bool(threads["sum"].nunique() > 1),
        "thread_sums": threads["sum"].tolist(),
        "permuted_rows_drift_first_last": [float(drift["max_abs_weight_diff"].iloc[0]),
                                           float(drift["max_abs_weight_diff"].iloc[-1])],
    }
    finish(run, claims)


if __name__ == "__main__":
    main()
