"""The SP 800-22 battery: the registry of the 15 tests and one call that runs
them (all or a selection) on one bit sequence.

Test names (as in ``qrand nist --json``): frequency, block_frequency,
cumulative_sums, runs, longest_run, rank, dft, non_overlapping_template,
overlapping_template, universal, approximate_entropy, random_excursions,
random_excursions_variant, linear_complexity, serial.
"""

from __future__ import annotations

import inspect

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..errors import QrandError
from ._core import ALPHA, Bits, TestResult
from .complexity import linear_complexity
from .entropy import approximate_entropy, serial
from .excursions import random_excursions, random_excursions_variant
from .frequency import block_frequency, cumulative_sums, frequency, longest_run, runs
from .matrix import rank
from .spectral import dft
from .templates import non_overlapping_template, overlapping_template
from .universal import universal

#: test name -> function, in the order sts reports them
TESTS: dict[str, Callable[..., list[TestResult]]] = {
    "frequency": frequency,
    "block_frequency": block_frequency,
    "cumulative_sums": cumulative_sums,
    "runs": runs,
    "longest_run": longest_run,
    "rank": rank,
    "dft": dft,
    "non_overlapping_template": non_overlapping_template,
    "overlapping_template": overlapping_template,
    "universal": universal,
    "approximate_entropy": approximate_entropy,
    "random_excursions": random_excursions,
    "random_excursions_variant": random_excursions_variant,
    "linear_complexity": linear_complexity,
    "serial": serial,
}

COLUMNS = ["test", "variant", "statistic", "p_value", "passed", "applicable", "reason"]


def select_tests(tests: str | Iterable[str] | None) -> list[str]:
    """Validate a selection of test names (comma-separated string or list; None = all)."""
    if tests is None:
        return list(TESTS)
    names = [t.strip() for t in tests.split(",")] if isinstance(tests, str) else [str(t) for t in tests]
    names = [t for t in names if t]
    unknown = [t for t in names if t not in TESTS]
    if unknown or not names:
        raise QrandError(f"unknown test(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(TESTS)}")
    return [t for t in TESTS if t in names]


def battery(bits: Any, *, tests: str | Iterable[str] | None = None,
            params: Mapping[str, Mapping[str, Any]] | None = None, alpha: float = ALPHA,
            strict: bool = True) -> list[TestResult]:
    """Run the selected tests on one sequence and return every P-value as a :class:`TestResult`.

    Parameters
    ----------
    bits : array-like, bytes, str or Bits
        The sequence (see :func:`qrand.nist.as_bits`).
    tests : str or list of str, optional
        Test names (default: all 15).
    params : dict, optional
        Per-test keyword arguments, e.g. ``{"block_frequency": {"block_size": 256}}``.
    alpha : float
        Significance level for ``passed``.
    strict : bool
        Apply NIST's recommended input sizes (False: only what each computation needs).
    """
    names = select_tests(tests)
    params = check_params(params)
    if not 0 < alpha < 1:
        raise QrandError(f"alpha must be in (0, 1), got {alpha}")
    prepared = Bits.of(bits)
    out: list[TestResult] = []
    for name in names:
        out.extend(TESTS[name](prepared, alpha=alpha, strict=strict, **params.get(name, {})))
    return out


def check_params(params: Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, Any]]:
    """Validate per-test parameters (test and parameter names) before any bits are generated."""
    params = {k: dict(v) for k, v in (params or {}).items()}
    unknown = set(params) - set(TESTS)
    if unknown:
        raise QrandError(f"params for unknown test(s): {', '.join(sorted(unknown))}")
    for name, kwargs in params.items():
        allowed = parameters_of(name)
        bad = sorted(set(kwargs) - set(allowed))
        if bad:
            raise QrandError(f"{name}: unknown parameter(s) {', '.join(bad)}; it takes {', '.join(allowed)}")
    return params


def parameters_of(name: str) -> dict[str, Any]:
    """The settable parameters of test ``name`` and their defaults."""
    signature = inspect.signature(TESTS[name])
    return {k: p.default for k, p in signature.parameters.items() if k not in ("bits", "alpha", "strict")}


def to_frame(results: Iterable[TestResult]):
    """Tidy DataFrame (one row per P-value) with the columns in :data:`COLUMNS`."""
    import pandas as pd

    rows = [{c: getattr(r, c) for c in COLUMNS} for r in results]
    return pd.DataFrame(rows, columns=COLUMNS)


def run_battery(bits: Any, **kwargs: Any):
    """:func:`battery` as a tidy DataFrame (columns :data:`COLUMNS`)."""
    return to_frame(battery(bits, **kwargs))
