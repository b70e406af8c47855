"""Figures of a shot sweep (matplotlib, Agg backend, each saved as PNG and SVG).

* :func:`plot_standard_error`: empirical std of the estimator vs shots, log-log,
  with the analytic ``sqrt((1 - <P>^2) / N)`` line;
* :func:`plot_distance`: mean TVD to the ideal distribution vs shots with the
  shot-noise null band;
* :func:`plot_histograms`: exact outcome distributions, ideal vs each backend;
* :func:`plot_detection`: power vs shots per backend, with ``alpha``, the
  target power and each profile's detection threshold.

Each function takes the tables of :mod:`qrand.shots.compare` and a path stem
(``out/se``), writes ``stem.png`` and ``stem.svg`` and returns both paths.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _plt():
    from .._optional import require

    matplotlib = require("matplotlib")
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _save(fig, stem: str | Path) -> list[Path]:
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    fig.tight_layout()
    fig.savefig(paths[0], dpi=120)
    fig.savefig(paths[1], metadata={"Date": None})  # no timestamp: same figure, same bytes
    _plt().close(fig)
    return paths


def _panels(n: int, width: float = 4.5, height: float = 3.6):
    plt = _plt()
    fig, axes = plt.subplots(1, n, figsize=(width * n, height), squeeze=False)
    return fig, axes[0]


def plot_standard_error(spread, stem: str | Path) -> list[Path]:
    """Std of the estimator across seeds vs shots (log-log), one panel per circuit x observable."""
    keys = list(spread.groupby(["circuit", "observable"], sort=True).groups)
    fig, axes = _panels(len(keys))
    for ax, (circuit, obs) in zip(axes, keys):
        part = spread[(spread.circuit == circuit) & (spread.observable == obs)]
        for backend, group in part.groupby("backend", sort=True):
            line, = ax.loglog(group.shots, group["std"], "o", label=backend)
            ax.fill_between(group.shots, group.std_low, group.std_high, alpha=0.15,
                            color=line.get_color())
            ax.loglog(group.shots, group.analytic_std, "-", color=line.get_color(), alpha=0.6)
        ax.set(title=f"{circuit}  <{obs}>", xlabel="shots N", ylabel="std of estimator")
        ax.text(0.02, 0.03, "points: empirical (95% CI)\nlines: sqrt((1-<P>^2)/N)",
                transform=ax.transAxes, fontsize=7)
        ax.legend(fontsize=7)
    return _save(fig, stem)


def plot_distance(detection, stem: str | Path) -> list[Path]:
    """Mean TVD to ideal vs shots per backend, with the shot-noise null band."""
    circuits = sorted(detection.circuit.unique())
    fig, axes = _panels(len(circuits))
    for ax, circuit in zip(axes, circuits):
        part = detection[detection.circuit == circuit]
        null = part.drop_duplicates("shots").sort_values("shots")
        if null.null_tvd_high.notna().any():
            ax.fill_between(null.shots, null.null_tvd_low, null.null_tvd_high, color="0.85",
                            label=f"shot-noise null (2.5%-{1 - part.alpha.iloc[0]:.0%} quantiles)")
            ax.plot(null.shots, null.null_tvd_mean, ":", color="0.4", label="null mean")
        for backend, group in part.groupby("backend", sort=True):
            ax.plot(group.shots, group.tvd_ideal, "o-", label=backend)
        ax.set(xscale="log", yscale="log", title=circuit, xlabel="shots N",
               ylabel="mean TVD(sample, ideal)")
        ax.legend(fontsize=7)
    return _save(fig, stem)


def plot_histograms(exact: dict[str, np.ndarray], ideal: np.ndarray, stem: str | Path, *,
                    title: str = "") -> list[Path]:
    """Bars of the ideal distribution and each backend's exact distribution."""
    n_out = len(ideal)
    n_bits = int(n_out).bit_length() - 1
    fig, axes = _panels(1, width=max(6.0, 0.3 * n_out), height=3.8)
    ax = axes[0]
    width = 0.8 / (len(exact) + 1)
    x = np.arange(n_out)
    ax.bar(x - 0.4 + width / 2, ideal, width, label="ideal", color="black")
    for i, (name, probs) in enumerate(sorted(exact.items()), start=1):
        ax.bar(x - 0.4 + width * (i + 0.5), probs, width, label=name)
    ax.set_xticks(x, [format(i, f"0{n_bits}b") for i in x], rotation=90, fontsize=7)
    ax.set(ylabel="probability", title=title or "outcome distributions")
    ax.legend(fontsize=7)
    return _save(fig, stem)


def plot_detection(detection, thresholds, stem: str | Path) -> list[Path]:
    """Power vs shots per backend with alpha, the target power and each threshold."""
    import pandas as pd

    circuits = sorted(detection.circuit.unique())
    fig, axes = _panels(len(circuits))
    for ax, circuit in zip(axes, circuits):
        part = detection[detection.circuit == circuit]
        for backend, group in part.groupby("backend", sort=True):
            line, = ax.plot(group.shots, group.power, "o-", label=backend)
            ax.fill_between(group.shots, group.power_low, group.power_high, alpha=0.15,
                            color=line.get_color())
            hit = thresholds[(thresholds.circuit == circuit) & (thresholds.backend == backend)]
            if len(hit) and not pd.isna(hit.threshold_shots.iloc[0]):
                ax.axvline(int(hit.threshold_shots.iloc[0]), color=line.get_color(), ls="--", lw=0.8)
        ax.axhline(part.alpha.iloc[0], color="0.5", ls=":", label="alpha")
        ax.axhline(part.target_power.iloc[0], color="0.3", ls="-.", label="target power")
        ax.set(xscale="log", ylim=(-0.02, 1.02), title=f"{circuit}: noise vs ideal",
               xlabel="shots N", ylabel="power (G-test vs ideal)")
        ax.legend(fontsize=7)
    return _save(fig, stem)


def safe_name(label: str) -> str:
    """A circuit label as a file-name fragment (``ghz:3`` -> ``ghz_3``)."""
    return "".join(c if c.isalnum() else "_" for c in label)


def plot_all(frame, spread, report, exact: dict, ideal: dict, out: str | Path) -> list[Path]:
    """Every figure for one sweep into ``out/`` (``exact``/``ideal`` keyed by circuit)."""
    out = Path(out)
    paths = plot_standard_error(spread, out / "standard_error")
    paths += plot_distance(report.table, out / "distance")
    paths += plot_detection(report.table, report.thresholds, out / "detection")
    for circuit, per_backend in sorted(exact.items()):
        paths += plot_histograms(per_backend, ideal[circuit], out / f"histogram_{safe_name(circuit)}",
                                 title=circuit)
    return paths
