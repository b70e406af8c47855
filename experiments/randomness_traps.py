"""Randomness traps: three ways a "seeded" training script still goes wrong, each with its fix.

1. **Sorted data, never shuffled.** A JAX MLP on ``iris`` with rows sorted by
   label and no shuffling sees one class per minibatch; on the same seeds
   (same init, same split) it converges worse than with shuffled rows.
2. **Fixed init, everything else random.** Fixing the init seed while the
   split and the shuffling stay random leaves most of the spread: one fixed
   seed does not make a run reproducible.
3. **``train_test_split`` without ``random_state``.** A different test set on
   every call and in every new process; the split seeded from the tree
   repeats everywhere.

Run: ``python experiments/randomness_traps.py [--seed S] [--quick]``.
"""

from __future__ import annotations

import pandas as pd

from _common import fresh_json, finish, start
from qrand.training import JaxMLP, fixed_init_spread, sorted_without_shuffle, unseeded_split

SPLIT_CHILD = """
import json
from qrand.training import unseeded_split
frame = unseeded_split("iris", runs=2, seed={seed})
print(json.dumps(frame.to_dict(orient="records")))
"""


def split_across_processes(seed: int, processes: int) -> pd.DataFrame:
    """:func:`unseeded_split` in ``processes`` fresh interpreters."""
    rows = []
    for proc in range(processes):
        for row in fresh_json(SPLIT_CHILD.format(seed=seed)):
            rows.append({"process": proc, **row})
    return pd.DataFrame(rows)


def plot(run, order: pd.DataFrame, init: pd.DataFrame, splits: pd.DataFrame) -> None:
    """One panel per trap."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    groups = list(dict.fromkeys(order["order"]))
    axes[0].boxplot([order.loc[order["order"] == g, "curve_mean"] for g in groups], tick_labels=groups)
    axes[0].set_ylabel("mean training loss over the run")
    axes[0].set_title("iris: sorted & unshuffled vs shuffled")
    conditions = list(dict.fromkeys(init["condition"]))
    axes[1].boxplot([init.loc[init["condition"] == c, "test_acc"] for c in conditions], tick_labels=conditions)
    axes[1].set_ylabel("test accuracy")
    axes[1].set_title("moons: init fixed vs all varied")
    distinct = splits.groupby("mode")["test_fingerprint"].nunique()
    axes[2].bar(distinct.index, distinct.values, color=["tab:green" if m == "seeded" else "tab:red"
                                                        for m in distinct.index])
    axes[2].set_ylabel(f"distinct test sets (of {len(splits) // 2} splits)")
    axes[2].set_title(f"train_test_split in {splits['process'].nunique()} processes")
    run.figure(fig, "traps")


def main(argv=None) -> None:
    run = start("randomness_traps", __doc__.splitlines()[0], argv)
    base = run.tree.child("base").seed(32)
    seeds = [run.tree.child("run", i) for i in range(run.pick(8, 32))]
    order = sorted_without_shuffle(JaxMLP(dataset="iris", epochs=run.pick(5, 20), base=base), seeds)
    init = fixed_init_spread(JaxMLP(dataset="moons", epochs=run.pick(3, 10), base=base), seeds)
    splits = split_across_processes(run.tree.child("split").seed(32), run.pick(2, 4))
    for frame, stem in ((order, "sorted_without_shuffle"), (init, "fixed_init_spread"), (splits, "unseeded_split")):
        run.csv(frame, stem)
    plot(run, order, init, splits)

    by_order = order.groupby("order")[["curve_mean", "final_loss", "test_acc"]].mean()
    claims = {
        "seeds": len(seeds),
        "curve_mean": by_order["curve_mean"].round(4).to_dict(),
        "test_acc_mean_by_order": by_order["test_acc"].round(4).to_dict(),
        "sorted_converges_worse": bool(by_order.loc["sorted", "curve_mean"] > by_order.loc["shuffled", "curve_mean"]),
        "test_acc_std_by_condition": init.groupby("condition")["test_acc"].std().round(4).to_dict(),
        "split_calls": len(splits) // 2,
        "distinct_test_sets": splits.groupby("mode")["test_fingerprint"].nunique().to_dict(),
    }
    finish(run, claims)


if __name__ == "__main__":
    main()
