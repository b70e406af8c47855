"""Graded comparison of a run's outputs: ``bitwise``, ``tolerance``, ``statistical``, ``none``.

Every output of every run becomes a :class:`View`: its sha256, a *skeleton*
(everything that is not a number: text between numbers, JSON structure, array
dtype kind and shape) and its numbers as one float64 vector. Runs are compared
against run 0, output by output:

``bitwise``
    the bytes (or the fingerprint of a returned object) are identical.
``tolerance``
    the skeletons are identical and every number satisfies
    ``|a - b| <= atol + rtol * |b|`` (NaN equals NaN).
``statistical``
    the numbers differ beyond tolerance, but look like draws from one
    distribution: a two-sample Kolmogorov-Smirnov test (``scipy.stats.ks_2samp``)
    of run 0's numbers against run k's, for every k, does not reject at level
    ``alpha`` (default 0.01, Bonferroni-corrected over the comparisons of that
    output). Each sample needs at least :data:`MIN_STAT_VALUES` numbers and the
    skeletons must agree; otherwise the level is ``none``.
``none``
    anything else (missing output, different structure, failed test).

The level of a check is the weakest output's level; the report names the
output and the run (and so the varied factor) that broke the stronger level.
How file content is read: ``.npy``/``.npz`` with ``allow_pickle=False``,
``.json`` as JSON, anything else that decodes as UTF-8 as text (so CSV and
printed output work), other binary files bitwise only.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import QrandError
from .fingerprinting import fingerprint

LEVELS = ("bitwise", "tolerance", "statistical", "none")
MIN_STAT_VALUES = 20
MAX_PARSE_BYTES = 256 * 1024 * 1024
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])|(?<!\w)[-+]?(?:nan|inf)(?!\w)",
    re.IGNORECASE)


def level_index(level: str) -> int:
    """Position of ``level`` in :data:`LEVELS` (0 = strongest); validates the name."""
    if level not in LEVELS:
        raise QrandError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    return LEVELS.index(level)


@dataclass
class View:
    """What is compared: digest, non-numeric skeleton, numbers (None: not parseable)."""

    digest: str
    skeleton: Any = None
    values: np.ndarray | None = None


def _numbers(values: list) -> np.ndarray:
    return np.asarray(values, dtype=np.float64).ravel() if values else np.zeros(0)


def _array_view(array: np.ndarray) -> tuple[Any, np.ndarray]:
    if array.dtype.kind in "biuf":
        return ("array", array.dtype.kind, array.shape), array.astype(np.float64).ravel()
    if array.dtype.kind == "c":
        return ("array", "c", array.shape), np.concatenate([array.real.ravel(), array.imag.ravel()])
    return ("array", array.dtype.str, array.shape, hashlib.sha256(array.tobytes()).hexdigest()), np.zeros(0)


def _walk(obj: Any, numbers: list) -> Any:
    """Skeleton of a JSON-like object, numbers appended to ``numbers``."""
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, (int, float, np.integer, np.floating)):
        numbers.append(float(obj))
        return "#"
    if isinstance(obj, dict):
        return {str(k): _walk(v, numbers) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [_walk(v, numbers) for v in obj]
    if hasattr(obj, "__array__") or hasattr(obj, "__array_interface__"):
        skeleton, values = _array_view(np.asarray(obj))
        numbers.extend(values.tolist())
        return skeleton
    if type(obj).__module__.split(".")[0] == "pandas":
        return _walk(obj.to_dict("list") if hasattr(obj, "columns") else obj.to_list(), numbers)
    return repr(obj)


def view_object(obj: Any) -> View:
    """View of a Python object returned by a function under test."""
    numbers: list = []
    skeleton = _walk(obj, numbers)
    try:
        digest = fingerprint(obj)
    except QrandError:
        digest = hashlib.sha256(repr(obj).encode()).hexdigest()
    return View(digest, skeleton, _numbers(numbers))


def view_bytes(name: str, data: bytes) -> View:
    """View of an output file's (or stdout's) bytes; ``name`` decides how it is read."""
    digest = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_PARSE_BYTES:
        return View(digest)
    lower = name.lower()
    try:
        if lower.endswith(".npy"):
            skeleton, values = _array_view(np.load(io.BytesIO(data), allow_pickle=False))
            return View(digest, skeleton, values)
        if lower.endswith(".npz"):
            with np.load(io.BytesIO(data), allow_pickle=False) as archive:
                parts = {key: _array_view(archive[key]) for key in sorted(archive.files)}
            values = np.concatenate([v for _, v in parts.values()]) if parts else np.zeros(0)
            return View(digest, {k: s for k, (s, _) in parts.items()}, values)
        if lower.endswith(".json"):
            numbers: list = []
            skeleton = _walk(json.loads(data.decode("utf-8")), numbers)
            return View(digest, skeleton, _numbers(numbers))
    except (ValueError, OSError, UnicodeDecodeError, EOFError):
        pass  # fall back to text / bitwise
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return View(digest)
    numbers = _NUMBER.findall(text)
    return View(digest, tuple(_NUMBER.split(text)), _numbers(numbers))


@dataclass
class OutputGrade:
    """One output's level across runs and why it is not stronger."""

    name: str
    level: str
    run: int | None = None  # the run (vs run 0) that broke the stronger level
    detail: str = ""
    max_abs: float | None = None
    max_rel: float | None = None
    p_value: float | None = None


@dataclass
class Report:
    """Graded result of comparing N runs; see the module docstring for the levels.

    Attributes
    ----------
    level : str
        Strongest level that holds for every output.
    outputs : list of OutputGrade
        Per-output level and detail.
    runs : list of dict
        Per run: the settings that identify it (seed, varied factors, status).
    rtol, atol, alpha : float
        The stated tolerance and test level.
    """

    level: str
    outputs: list[OutputGrade]
    runs: list[dict] = field(default_factory=list)
    rtol: float = 0.0
    atol: float = 0.0
    alpha: float = 0.01

    def holds(self, level: str) -> bool:
        """Whether the result is at least as strong as ``level``."""
        return level_index(self.level) <= level_index(level)

    @property
    def broken(self) -> OutputGrade | None:
        """The weakest output (the one that decided the level), or None if bitwise."""
        worst = [g for g in self.outputs if g.level == self.level]
        return worst[0] if worst and self.level != "bitwise" else None

    def factors(self, run: int) -> dict[str, str]:
        """What differs between run 0 and ``run``: name -> "value0 -> valueK"."""
        if not self.runs or run is None or run >= len(self.runs):
            return {}
        first, other = self.runs[0].get("varied", {}), self.runs[run].get("varied", {})
        return {k: f"{first.get(k)} -> {other.get(k)}" for k in {**first, **other}
                if first.get(k) != other.get(k)}

    def explanation(self) -> str:
        """One sentence: which output and which varied factor broke the stronger level."""
        worst = self.broken
        if worst is None:
            return "all outputs are bitwise identical across runs"
        stronger = LEVELS[level_index(self.level) - 1]
        factors = self.factors(worst.run)
        cause = (", ".join(f"{k} {v}" for k, v in factors.items()) if factors
                 else "nothing was varied, so the command itself is nondeterministic")
        return (f"{stronger} broken by output {worst.name!r} in run {worst.run} vs run 0 "
                f"({worst.detail}); varied: {cause}")

    def to_frame(self):
        """Tidy DataFrame: one row per output."""
        import pandas as pd

        return pd.DataFrame([vars(g) for g in self.outputs],
                            columns=["name", "level", "run", "detail", "max_abs", "max_rel", "p_value"])

    def to_dict(self) -> dict:
        """JSON-ready summary."""
        return {"level": self.level, "explanation": self.explanation(), "rtol": self.rtol,
                "atol": self.atol, "alpha": self.alpha, "runs": self.runs,
                "outputs": [vars(g) for g in self.outputs]}

    def __str__(self) -> str:
        lines = [f"level: {self.level}  (rtol={self.rtol:g}, atol={self.atol:g}, "
                 f"KS alpha={self.alpha:g}, runs={max(len(self.runs), 1)})"]
        for g in self.outputs:
            lines.append(f"  {g.level:<11} {g.name}" + (f"  [{g.detail}]" if g.detail else ""))
        lines.append(self.explanation())
        return "\n".join(lines)


def _tolerance_pair(a: View, b: View, rtol: float, atol: float) -> tuple[bool, str, float, float]:
    if a.values is None or b.values is None:
        return False, "not numeric (compared bitwise only)", None, None
    if a.skeleton != b.skeleton:
        return False, "structure or text differs", None, None
    if a.values.shape != b.values.shape:
        return False, f"{a.values.size} vs {b.values.size} numbers", None, None
    both_nan = np.isnan(a.values) & np.isnan(b.values)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.where(both_nan, 0.0, np.abs(a.values - b.values))
        diff = np.where(a.values == b.values, 0.0, diff)  # equal infinities
        scale = np.abs(b.values)
        rel = np.where(diff == 0, 0.0, diff / np.where(scale == 0, np.inf, scale))
    max_abs = float(np.nanmax(diff)) if diff.size else 0.0
    max_rel = float(np.nanmax(rel)) if rel.size else 0.0
    ok = bool(np.all(diff <= atol + rtol * scale)) and not np.isnan(diff).any()
    return ok, f"max |diff| {max_abs:.3g}, max rel {max_rel:.3g}", max_abs, max_rel


def _statistical(first: View, others: list[tuple[int, View]], alpha: float) -> tuple[bool, str, float, int]:
    from scipy import stats

    if first.values is None:
        return False, "not numeric", None, others[0][0]
    corrected = alpha / max(len(others), 1)
    worst_p, worst_run = 1.0, others[0][0]
    for run, view in others:
        if view.values is None or (view.skeleton != first.skeleton and not _arrays_of_one_kind(first, view)):
            return False, "structure or text differs", None, run
        a, b = first.values[np.isfinite(first.values)], view.values[np.isfinite(view.values)]
        if min(a.size, b.size) < MIN_STAT_VALUES:
            return False, (f"differs beyond tolerance; too few numbers for a KS test "
                           f"({min(a.size, b.size)} < {MIN_STAT_VALUES})"), None, run
        with warnings.catch_warnings():  # "exact calculation unsuccessful" -> asymptotic, fine
            warnings.simplefilter("ignore", RuntimeWarning)
            p = float(stats.ks_2samp(a, b).pvalue)
        if p < worst_p:
            worst_p, worst_run = p, run
    ok = worst_p >= corrected
    verdict = "same distribution" if ok else "distributions differ"
    return ok, f"KS two-sample p={worst_p:.3g} vs alpha {corrected:.3g}: {verdict}", worst_p, worst_run


def _arrays_of_one_kind(a: View, b: View) -> bool:
    """Two arrays of one dtype kind but different shapes can still be KS-compared."""
    return (isinstance(a.skeleton, tuple) and isinstance(b.skeleton, tuple) and a.skeleton[:2] == b.skeleton[:2]
            and a.skeleton[:1] == ("array",))


def grade_output(name: str, views: list[View | None], rtol: float, atol: float, alpha: float) -> OutputGrade:
    """Level of one output across runs (``None`` in ``views``: the run did not produce it)."""
    missing = [i for i, v in enumerate(views) if v is None]
    if missing:
        present = next((i for i, v in enumerate(views) if v is not None), 0)
        return OutputGrade(name, "none", missing[0] or present, f"missing in run {missing[0]}")
    first = views[0]
    differing = [(i, v) for i, v in enumerate(views[1:], start=1) if v.digest != first.digest]
    if not differing:
        return OutputGrade(name, "bitwise")
    worst_abs, worst_rel, failed = 0.0, 0.0, None
    for run, view in differing:
        ok, detail, max_abs, max_rel = _tolerance_pair(view, first, rtol, atol)
        if not ok:
            failed = (run, detail)
            break
        worst_abs, worst_rel = max(worst_abs, max_abs), max(worst_rel, max_rel)
    if failed is None:
        return OutputGrade(name, "tolerance", differing[0][0],
                           f"bytes differ; max |diff| {worst_abs:.3g}, max rel {worst_rel:.3g}",
                           worst_abs, worst_rel)
    ok, detail, p, run = _statistical(first, differing, alpha)
    if ok:
        return OutputGrade(name, "statistical", failed[0], f"{failed[1]}; {detail}", p_value=p)
    return OutputGrade(name, "none", run if p is not None else failed[0], f"{failed[1]}; {detail}"
                       if "structure" not in failed[1] else failed[1], p_value=p)


def grade(outputs: dict[str, list[View | None]], *, rtol: float = 0.0, atol: float = 0.0,
          alpha: float = 0.01, runs: list[dict] | None = None) -> Report:
    """Grade every output across runs and return the :class:`Report`."""
    for label, value in (("rtol", rtol), ("atol", atol)):
        if not (isinstance(value, (int, float)) and value >= 0 and np.isfinite(value)):
            raise QrandError(f"{label} must be a finite number >= 0, got {value!r}")
    if not 0 < alpha < 1:
        raise QrandError(f"alpha must be in (0, 1), got {alpha!r}")
    if not outputs:
        raise QrandError("no outputs to compare: the command printed nothing and no output files matched")
    grades = [grade_output(name, views, rtol, atol, alpha) for name, views in outputs.items()]
    grades.sort(key=lambda g: -level_index(g.level))
    level = grades[0].level
    return Report(level, grades, runs or [], float(rtol), float(atol), float(alpha))
