"""Battery results as text (laid out like sts-2.1.2's reports) and as the
``qrand nist --json`` document.

JSON shape::

    {"n_bits": int, "streams": int,
     "results": [{"test": str, "variant": str|null, "statistic": float|null,
                  "p_value": float|null, "passed": bool|null, "applicable": bool}]}

With one stream each result is one P-value. With several streams each result
is one (test, variant) of the second-level analysis: ``statistic`` is the
proportion of streams that passed, ``p_value`` the uniformity P-value of the
streams' P-values, and ``passed`` says whether the proportion lies in its
confidence interval (and, from 55 streams on, the uniformity P-value >= 0.0001).
"""

from __future__ import annotations

import math
from typing import Any

from ._core import TestResult

JSON_KEYS = ("test", "variant", "statistic", "p_value", "passed", "applicable")


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def single_payload(results: list[TestResult], n_bits: int) -> dict:
    """The ``--json`` document for one stream."""
    rows = [{"test": r.test, "variant": r.variant, "statistic": _num(r.statistic),
             "p_value": _num(r.p_value), "passed": r.passed, "applicable": bool(r.applicable)}
            for r in results]
    return {"n_bits": int(n_bits), "streams": 1, "results": rows}


def _isnan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _flag(value: Any) -> bool | None:
    """A summary cell that is True/False/None (pandas may hold None as NaN)."""
    return None if value is None or _isnan(value) else bool(value)


def _stream_passed(row) -> bool | None:
    if row["streams"] == 0:
        return None
    uniform = _flag(row["uniformity_ok"])
    return bool(row["proportion_ok"]) and uniform is not False


def streams_payload(summary, n_bits: int, streams: int) -> dict:
    """The ``--json`` document for several streams (from a second-level summary)."""
    rows = []
    for _, row in summary.iterrows():
        variant = row["variant"]
        rows.append({"test": row["test"], "variant": None if variant is None or _isnan(variant) else variant,
                     "statistic": _num(row["proportion"]), "p_value": _num(row["uniformity_p"]),
                     "passed": _stream_passed(row), "applicable": bool(row["streams"] > 0)})
    return {"n_bits": int(n_bits), "streams": int(streams), "results": rows}


def format_single(results: list[TestResult], title: str) -> str:
    """One line per P-value: test, variant, statistic, P-value, SUCCESS/FAILURE."""
    lines = [title, "-" * 78,
             f"{'test':<27}{'variant':<11}{'statistic':>13}{'P-value':>11}  result", "-" * 78]
    skip_until = -1
    for i, r in enumerate(results):
        if i <= skip_until:
            continue
        variant = r.variant or ""
        if not r.applicable:  # one line for a run of variants that are not applicable for the same reason
            j = i
            while (j + 1 < len(results) and not results[j + 1].applicable
                   and results[j + 1].test == r.test and results[j + 1].reason == r.reason):
                j += 1
            if j > i:
                variant, skip_until = f"({j - i + 1} variants)", j
            lines.append(f"{r.test:<27}{variant:<11}  not applicable: {r.reason}")
            continue
        stat = "" if r.statistic is None else f"{r.statistic:.6g}"
        lines.append(f"{r.test:<27}{variant:<11}{stat:>13}{r.p_value:>11.6f}  "
                     f"{'SUCCESS' if r.passed else 'FAILURE'}")
    applicable = [r for r in results if r.applicable]
    failed = sum(1 for r in applicable if not r.passed)
    lines += ["-" * 78, f"{len(applicable)} P-values, {failed} below alpha; "
              f"{len(results) - len(applicable)} not applicable"]
    return "\n".join(lines)


def format_streams(summary, title: str, alpha: float) -> str:
    """sts's finalAnalysisReport layout: C1..C10, uniformity P-value, proportion, test."""
    head = " ".join(f"{f'C{i}':>3}" for i in range(1, 11))
    lines = [title, "-" * 96, f"{head}  {'P-VALUE':>9}  {'PROPORTION':>10}  STATISTICAL TEST", "-" * 96]
    failures = 0
    for _, row in summary.iterrows():
        name = row["test"] + ("" if row["variant"] is None or _isnan(row["variant"]) else f" {row['variant']}")
        if row["streams"] == 0:
            lines.append(f"{'':>39}  {'----':>9}  {'----':>10}  {name} (not applicable)")
            continue
        bins = " ".join(f"{int(row[f'c{i}']):>3}" for i in range(1, 11))
        ok = _stream_passed(row)
        failures += not ok
        uni_flag = "*" if _flag(row["uniformity_ok"]) is False else " "
        prop_flag = "*" if not row["proportion_ok"] else " "
        lines.append(f"{bins}  {row['uniformity_p']:>8.6f}{uni_flag}  "
                     f"{int(row['passed']):>4}/{int(row['streams']):<4}{prop_flag}  {name}")
    lines += ["-" * 96,
              f"'*' marks a failure. Proportion interval at alpha={alpha}: p_hat +- 3 sqrt(p_hat(1-p_hat)/s); "
              "uniformity needs >= 55 streams.",
              f"{failures} of {len(summary)} (test, variant) pairs fail the second-level checks."]
    return "\n".join(lines)
