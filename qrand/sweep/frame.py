"""Tidy export of a sweep: one row per task, configs and results as columns.

Columns, in order: ``key``, the config fields, ``seed``, ``status``, the
result fields, ``elapsed`` (seconds in the task function), ``error`` (last
line of the traceback for failed tasks). Fields are sorted by name (configs
and results are stored as canonical JSON); nested dicts are flattened with ``.``
(``{"opt": {"lr": 0.1}}`` -> ``opt.lr``). A config field whose name is taken
by a fixed column becomes ``config.<name>``; a result field whose name is
taken becomes ``result.<name>``.
"""

from __future__ import annotations

import json
from typing import Any

from .tasks import error_summary

FIXED = ("key", "seed", "status", "elapsed", "error")


def flatten(value: dict, prefix: str = "") -> dict[str, Any]:
    """Flatten nested dicts into ``a.b`` keys (lists are kept as values)."""
    out: dict[str, Any] = {}
    for name, item in value.items():
        full = f"{prefix}{name}"
        if isinstance(item, dict) and item:
            out.update(flatten(item, full + "."))
        else:
            out[full] = item
    return out


def _ordered_union(dicts: list[dict]) -> list[str]:
    seen: dict[str, None] = {}
    for d in dicts:
        seen.update(dict.fromkeys(d))
    return list(seen)


def _column(values: list):
    """A pandas array for one column; ints stay exact (nullable ``Int64``) when values are missing."""
    import pandas as pd

    present = [v for v in values if v is not None]
    if len(present) < len(values) and present:
        if all(isinstance(v, bool) for v in present):
            return pd.array(values, dtype="boolean")
        if all(isinstance(v, int) and not isinstance(v, bool) and -2**63 <= v < 2**63 for v in present):
            return pd.array(values, dtype="Int64")
    if any(isinstance(v, int) and not isinstance(v, bool) and not -2**63 <= v < 2**64 for v in present):
        return pd.array(values, dtype=object)  # huge ints (e.g. 128-bit roots) stay exact
    return values


def tasks_frame(rows: list[dict]):
    """A tidy :class:`pandas.DataFrame` from store rows (see the module docstring)."""
    import pandas as pd

    configs = [flatten(json.loads(r["config"])) for r in rows]
    results = [flatten(json.loads(r["result"])) if r["result"] else {} for r in rows]
    config_cols = _ordered_union(configs)
    config_names = {c: (f"config.{c}" if c in FIXED else c) for c in config_cols}
    taken = set(FIXED) | set(config_names.values())
    result_cols = _ordered_union(results)
    result_names = {c: (f"result.{c}" if c in taken else c) for c in result_cols}
    columns: dict[str, list] = {"key": [r["key"] for r in rows]}
    for c in config_cols:
        columns[config_names[c]] = _column([cfg.get(c) for cfg in configs])
    columns["seed"] = [r["seed"] for r in rows]
    columns["status"] = [r["status"] for r in rows]
    for c in result_cols:
        columns[result_names[c]] = _column([res.get(c) for res in results])
    columns["elapsed"] = [r["elapsed"] for r in rows]
    columns["error"] = [error_summary(r["error"]) if r["status"] == "failed" else None for r in rows]
    return pd.DataFrame(columns)
