"""Figures of the training studies (matplotlib, Agg backend; each saved as PNG and SVG).

* :func:`plot_distributions`: test accuracy per group (model or factor), one
  dot per seed over a box.
* :func:`plot_curves`: training loss per step, mean with a min-max and a
  +-1 std band over seeds, one line per group.
* :func:`plot_best_of_k`: expected best-of-k accuracy and the mean.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._optional import require


def _pyplot():
    matplotlib = require("matplotlib")
    matplotlib.use("Agg", force=True)
    return require("matplotlib.pyplot")


def _save(fig, out: str | Path, stem: str) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "svg"):
        path = out / f"{stem}.{ext}"
        fig.savefig(path, dpi=120, bbox_inches="tight", metadata={"Date": None} if ext == "svg" else None)
        paths.append(path)
    fig.clear()
    _pyplot().close(fig)
    return paths


def plot_distributions(runs, out: str | Path, *, by: str = "model", metric: str = "test_acc",
                       stem: str = "accuracy_distribution") -> list[Path]:
    """Box plus one dot per seed of ``metric`` for each value of column ``by``."""
    plt = _pyplot()
    groups = list(dict.fromkeys(runs[by]))
    fig, ax = plt.subplots(figsize=(max(4, 1.3 * len(groups) + 2), 3.5))
    data = [runs.loc[runs[by] == g, metric].to_numpy() for g in groups]
    ax.boxplot(data, widths=0.5, showfliers=False)
    jitter = np.random.default_rng(0)  # fixed: only spreads dots sideways
    for i, values in enumerate(data, start=1):
        ax.scatter(i + jitter.uniform(-0.12, 0.12, len(values)), values, s=12, alpha=0.7)
    ax.set_xticks(range(1, len(groups) + 1), [str(g) for g in groups])
    ax.set_xlabel(by)
    ax.set_ylabel(metric)
    ax.set_title(f"{metric} over seeds")
    return _save(fig, out, stem)


def plot_curves(curves, out: str | Path, *, by: str = "model", stem: str = "loss_curves") -> list[Path]:
    """Mean training loss per step with min-max and +-1 std bands over seeds."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for group, frame in curves.groupby(by, sort=False):
        stats = frame.groupby("step")["loss"].agg(["mean", "std", "min", "max"])
        line, = ax.plot(stats.index, stats["mean"], label=str(group))
        ax.fill_between(stats.index, stats["min"], stats["max"], color=line.get_color(), alpha=0.12)
        ax.fill_between(stats.index, stats["mean"] - stats["std"].fillna(0),
                        stats["mean"] + stats["std"].fillna(0), color=line.get_color(), alpha=0.25)
    ax.set_xlabel("step")
    ax.set_ylabel("training loss")
    ax.legend(title=by, fontsize=8)
    ax.set_title("loss over seeds (mean, +-1 std, min-max)")
    return _save(fig, out, stem)


def plot_best_of_k(curve, out: str | Path, *, mean: float | None = None, label: str = "",
                   stem: str = "best_of_k") -> list[Path]:
    """Expected best-of-k metric against k (from :func:`qrand.training.lucky.best_of_k_curve`)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(curve["k"], curve["expected_best"], marker="o", ms=3, label="expected best of k")
    if mean is not None:
        ax.axhline(mean, color="gray", ls="--", label="mean over seeds")
    ax.set_xlabel("k (seeds tried, best one reported)")
    ax.set_ylabel("test accuracy")
    ax.set_title(f"best-of-k inflation {label}".strip())
    ax.legend(fontsize=8)
    return _save(fig, out, stem)
