"""Summaries of a shot sweep: estimator spread vs shots, and when noise becomes detectable.

* :func:`spread_table`: per circuit x backend x observable x shots, the mean
  and the empirical std of the Pauli estimator across seeds against the
  analytic ``sqrt((1 - <P>^2) / N)``, plus the fitted log-log slope (expect -1/2).
* :func:`detection_table`: per circuit x backend x shots, the *power* (fraction
  of seeds whose G-test against the ideal distribution rejects at level
  ``alpha``) with a Wilson interval, and the mean TVD to the ideal distribution
  beside the shot-noise null band of that TVD (one-sample null of the ideal
  distribution at the same shot count: ``null_tvd_low``/``null_tvd_high`` are its
  2.5% and ``1 - alpha`` quantiles).
* :func:`detection_report`: per circuit and noise profile, the smallest shot
  count whose power reaches ``target_power``: the noise is distinguishable
  from the ideal simulator there, at significance ``alpha``. Backends whose
  exact distribution equals the ideal one have power ``~ alpha`` and no threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import QrandError
from ..stats import estimator_spread, fit_slope, null_distance

GROUP = ["circuit", "backend", "profile", "method"]


def spread_table(frame) -> Any:
    """Estimator spread per shot count (see module docstring); one row per group x shots."""
    import pandas as pd

    parts = []
    for key, group in frame.groupby(GROUP + ["observable"], sort=True):
        wide = group.pivot(index="seed", columns="shots", values="estimate").sort_index(axis=1)
        if len(wide) < 2:
            raise QrandError("the spread across seeds needs at least two seeds")
        exact = float(group["exact"].iloc[0])
        table = estimator_spread(wide.to_numpy(), wide.columns.to_numpy(), exact)
        usable = table[table["std"] > 0]
        fit = fit_slope(usable.shots, usable["std"]) if len(usable) >= 3 else None
        table.insert(0, "exact", exact)
        head = pd.DataFrame({name: [value] * len(table) for name, value in zip(GROUP + ["observable"], key)})
        table = pd.concat([head, table.reset_index(drop=True)], axis=1)
        table["slope"] = np.nan if fit is None else fit.slope
        table["slope_stderr"] = np.nan if fit is None else fit.stderr
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def _wilson(k: np.ndarray, n: np.ndarray, z: float = 1.959963984540054) -> tuple[np.ndarray, np.ndarray]:
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _ideal_for(label: str, ideal: dict | None):
    if ideal is not None and label in ideal:
        return np.asarray(ideal[label], dtype=float)
    from .sampling import ideal_probabilities

    try:
        return ideal_probabilities(label)
    except QrandError:
        return None


def detection_table(frame, *, alpha: float = 0.05, target_power: float = 0.8, seed: Any = 0,
                    null_draws: int = 2000, ideal: dict | None = None) -> Any:
    """Power of "noisy vs ideal" per circuit x backend x shots (see module docstring).

    Parameters
    ----------
    frame : the tidy frame of :func:`qrand.shots.sweep`
    alpha : significance of each G-test
    target_power : power at which the noise counts as distinguishable
    seed : SeedTree or int root for the null-band Monte Carlo
    null_draws : Monte-Carlo draws per shot count for the null band
    ideal : optional ``{circuit label: ideal probabilities}`` (library specs are rebuilt)
    """
    from ..seeding.tree import SeedTree

    if not 0 < alpha < 1 or not 0 < target_power <= 1:
        raise QrandError(f"need 0 < alpha < 1 and 0 < target_power <= 1, got {alpha}, {target_power}")
    per_seed = frame.drop_duplicates(GROUP + ["shots", "seed"])
    table = (per_seed.assign(reject=per_seed["g_pvalue_ideal"] < alpha)
             .groupby(GROUP + ["shots"], sort=True)
             .agg(n_seeds=("seed", "size"), rejections=("reject", "sum"),
                  tvd_ideal=("tvd_ideal", "mean"), hellinger_ideal=("hellinger_ideal", "mean"))
             .reset_index())
    table["power"] = table["rejections"] / table["n_seeds"]
    low, high = _wilson(table["rejections"].to_numpy(float), table["n_seeds"].to_numpy(float))
    table["power_low"], table["power_high"] = low, high
    table["null_tvd_low"] = np.nan
    table["null_tvd_mean"] = np.nan
    table["null_tvd_high"] = np.nan
    tree = seed if isinstance(seed, SeedTree) else SeedTree(seed)
    for circuit in table["circuit"].unique():
        probs = _ideal_for(circuit, ideal)
        if probs is None:
            continue
        rows = table["circuit"] == circuit
        shots = sorted(table.loc[rows, "shots"].unique())
        null = null_distance(probs, shots, seed=tree.child("null", circuit), kind="one-sample",
                             draws=null_draws, quantiles=(0.025, 1 - alpha)).set_index("shots")
        for name in ("low", "mean", "high"):
            table.loc[rows, f"null_tvd_{name}"] = table.loc[rows, "shots"].map(null[name]).to_numpy()
    table["detected"] = table["power"] >= target_power
    table["alpha"], table["target_power"] = alpha, target_power
    return table.drop(columns="rejections")


@dataclass
class DetectionReport:
    """Per-shot-count power table and per-profile detection thresholds."""

    table: Any
    thresholds: Any
    alpha: float
    target_power: float

    def to_text(self) -> str:
        """A short human-readable summary, one line per circuit x backend."""
        import pandas as pd

        lines = [f"noise vs ideal: G-test at alpha={self.alpha}, distinguishable when power >= "
                 f"{self.target_power}"]
        for row in self.thresholds.itertuples(index=False):
            where = ("never (up to the largest shot count)" if pd.isna(row.threshold_shots)
                     else f"from {int(row.threshold_shots)} shots (power {row.power_at_threshold:.2f})")
            lines.append(f"  {row.circuit:<16} {row.backend:<36} {where}")
        return "\n".join(lines)


def detection_report(frame, *, alpha: float = 0.05, target_power: float = 0.8, seed: Any = 0,
                     null_draws: int = 2000, ideal: dict | None = None) -> DetectionReport:
    """Smallest shot count per circuit x backend at which noise is distinguishable from ideal."""
    import pandas as pd

    table = detection_table(frame, alpha=alpha, target_power=target_power, seed=seed,
                            null_draws=null_draws, ideal=ideal)
    rows = []
    for key, group in table.groupby(GROUP, sort=True):
        hit = group[group["detected"]].sort_values("shots")
        rows.append({**dict(zip(GROUP, key)),
                     "threshold_shots": int(hit["shots"].iloc[0]) if len(hit) else None,
                     "power_at_threshold": float(hit["power"].iloc[0]) if len(hit) else float("nan"),
                     "max_shots": int(group["shots"].max()),
                     "power_at_max": float(group.sort_values("shots")["power"].iloc[-1]),
                     "alpha": alpha, "target_power": target_power})
    thresholds = pd.DataFrame(rows)
    thresholds["threshold_shots"] = thresholds["threshold_shots"].astype("Int64")
    return DetectionReport(table, thresholds, alpha, target_power)
