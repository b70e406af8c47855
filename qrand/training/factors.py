"""Variance decomposition: how much of the seed-to-seed spread each random factor causes.

For each factor F the model draws from, run ``n`` seeds varying only F (all
other streams from the fixed base tree), then ``n`` seeds varying all of
them at once. F's share is ``Var_F / Var_all`` of the chosen metric (test
accuracy by default). When the factors act roughly additively the one-at-a-
time shares sum to about 1; the gap (``interaction``) is what they do
together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import QrandError
from .engine import Trainer, with_options
from .runs import results_frame, multi_seed
from .streams import FACTORS


@dataclass
class Decomposition:
    """``runs``: one row per (condition, seed); ``table``: variance and share per condition."""

    runs: object
    table: object

    def share_sum(self) -> float:
        """Sum of the one-at-a-time shares (about 1 when factors add up)."""
        rows = self.table[~self.table["factor"].isin(["all", "sum of factors"])]
        return float(rows["share"].sum())


def decompose(trainer: Trainer, seeds: int | Sequence = 16, *, factors: Sequence[str] | None = None,
              metric: str = "test_acc", progress: bool = False) -> Decomposition:
    """Vary each factor alone, then all together; report each factor's variance share.

    Parameters
    ----------
    trainer : Trainer
        Any model (its ``vary`` is replaced per condition).
    seeds : int or sequence
        Seeds per condition.
    factors : sequence of str, optional
        Default: the factors the model draws from (``trainer.factors``).
    metric : str
        Column of :meth:`TrainResult.summary` (``test_acc``, ``final_loss``, ...).
    progress : bool
        tqdm bars.

    Returns
    -------
    Decomposition
    """
    import pandas as pd

    factors = tuple(trainer.factors if factors is None else factors)
    unknown = [f for f in factors if f not in FACTORS]
    if unknown or not factors:
        raise QrandError(f"unknown factor(s) {unknown!r}: choose from {', '.join(FACTORS)}")
    if metric not in ("test_acc", "train_acc", "final_loss"):
        raise QrandError(f"metric must be test_acc, train_acc or final_loss, got {metric!r}")
    frames = []
    for condition in factors + ("all",):
        vary = tuple(factors) if condition == "all" else (condition,)
        runs = multi_seed(with_options(trainer, vary=vary), seeds, progress=progress)
        frame = results_frame(runs)
        frame.insert(1, "factor", condition)
        frames.append(frame)
    runs = pd.concat(frames, ignore_index=True)
    stats = runs.groupby("factor", sort=False)[metric].agg(["mean", "std", "var", "count"]).reset_index()
    total = float(stats.loc[stats["factor"] == "all", "var"].iloc[0])
    stats["share"] = stats["var"] / total if total > 0 else np.nan
    singles = stats[stats["factor"] != "all"]
    summed = {"factor": "sum of factors", "mean": np.nan, "std": np.nan, "var": singles["var"].sum(),
              "count": int(singles["count"].sum()), "share": singles["share"].sum()}
    table = pd.concat([stats, pd.DataFrame([summed])], ignore_index=True)
    table.insert(0, "model", trainer.name)
    table.insert(1, "metric", metric)
    table["interaction"] = np.where(table["factor"] == "sum of factors", total - summed["var"], np.nan)
    return Decomposition(runs, table)
