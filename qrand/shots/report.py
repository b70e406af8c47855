"""Analysis of a finished shot sweep: the tables and figures ``qrand shots`` and the study write.

* :func:`analyse`: the spread table, the detection report and the joined
  per-shot summary of a tidy sweep frame, as one :class:`ShotAnalysis`;
* :func:`exact_distributions`: the exact outcome distributions behind a sweep
  frame (per circuit and noisy backend) and the ideal ones (per circuit);
* :func:`sweep_figures`: every figure of :mod:`qrand.shots.plots` for a sweep,
  as ``(caption, png path)`` pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import QrandError

#: keys joining the spread table and the detection table
SUMMARY_KEYS = ["circuit", "backend", "profile", "method", "shots"]
#: detection-table columns the summary adds to the spread table
SUMMARY_DETECTION = ["power", "power_low", "power_high", "tvd_ideal", "hellinger_ideal",
                     "null_tvd_low", "null_tvd_mean", "null_tvd_high", "detected"]

_CAPTIONS = {
    "standard_error": "Standard error of the Pauli estimator across seeds vs shots (points, 95% CI) "
                      "and the analytic sqrt((1 - <P>^2) / N) (lines)",
    "distance": "Mean TVD between sample and ideal distribution vs shots, with the shot-noise null band",
    "detection": "Power of the G-test against the ideal distribution vs shots; dashed lines mark "
                 "each backend's detection threshold",
    "histogram": "Exact outcome distributions of {circuit}: ideal vs each backend",
}


@dataclass
class ShotAnalysis:
    """What :func:`analyse` returns.

    Attributes
    ----------
    spread : pandas.DataFrame
        :func:`qrand.shots.spread_table` of the frame.
    report : qrand.shots.compare.DetectionReport
        :func:`qrand.shots.detection_report` of the frame (``.table``, ``.thresholds``).
    summary : pandas.DataFrame
        The spread table joined with the per-shot detection table (``summary.csv``).
    """

    spread: Any
    report: Any
    summary: Any


def summary_frame(spread, table) -> Any:
    """The spread table joined with the per-shot detection table on :data:`SUMMARY_KEYS`."""
    return spread.merge(table[SUMMARY_KEYS + SUMMARY_DETECTION], on=SUMMARY_KEYS, how="left")


def analyse(frame, *, alpha: float = 0.05, target_power: float = 0.8, seed: Any = 0) -> ShotAnalysis:
    """Spread, detection report and summary of a tidy sweep frame.

    Parameters
    ----------
    frame : the tidy frame of :func:`qrand.shots.sweep`
    alpha : significance of each G-test
    target_power : power at which noise counts as distinguishable from ideal
    seed : SeedTree or int root of the null-band Monte Carlo (``qrand shots`` passes
        ``tree.child("shots", "null")``)
    """
    from .compare import detection_report, spread_table

    if frame is None or len(frame) == 0:
        raise QrandError("nothing to analyse: the shot frame is empty")
    spread = spread_table(frame)
    report = detection_report(frame, alpha=alpha, target_power=target_power, seed=seed)
    return ShotAnalysis(spread, report, summary_frame(spread, report.table))


def exact_distributions(frame) -> tuple[dict, dict]:
    """Exact distributions behind a sweep frame: ``(exact, ideal)``.

    ``exact[circuit][backend]`` is the exact outcome distribution of every
    backend other than ``default.qubit`` (transpiled with the sweep's seed, so
    it is what the fast path sampled); ``ideal[circuit]`` is the ideal one.
    Needs ``frame.attrs["root"]`` (and ``"root_path"``), set by :func:`qrand.shots.sweep`,
    and circuits given as library specs.
    """
    from ..seeding.tree import SeedTree
    from .sampling import exact_probabilities, ideal_probabilities
    from .sweeping import transpile_seed

    if "root" not in frame.attrs:
        raise QrandError("the frame has no sweep root (frame.attrs['root']); pass the frame "
                         "qrand.shots.sweep returned")
    root = SeedTree(int(frame.attrs["root"])).child(*frame.attrs.get("root_path", []))
    exact: dict = {}
    ideal: dict = {}
    for circuit in sorted(frame["circuit"].unique()):
        ideal[circuit] = ideal_probabilities(circuit)
        exact[circuit] = {}
        for backend in sorted(frame.loc[frame["circuit"] == circuit, "backend"].unique()):
            if backend != "default.qubit":
                exact[circuit][backend] = exact_probabilities(
                    circuit, backend, transpile_seed(root, circuit, backend))
    return exact, ideal


def sweep_figures(frame, analysis: ShotAnalysis, folder: str | Path) -> list[tuple[str, Path]]:
    """Write every figure of a sweep (PNG and SVG) into ``folder``; return ``(caption, png path)``."""
    from . import plots

    folder = Path(folder)
    exact, ideal = exact_distributions(frame)
    paths = plots.plot_all(frame, analysis.spread, analysis.report, exact, ideal, folder)
    out = []
    for path in paths:
        if path.suffix != ".png":
            continue
        stem = path.stem
        if stem.startswith("histogram_"):
            circuit = next((c for c in exact if plots.safe_name(c) == stem[len("histogram_"):]), stem)
            caption = _CAPTIONS["histogram"].format(circuit=circuit)
        else:
            caption = _CAPTIONS[stem]
        out.append((caption, path))
    return out
