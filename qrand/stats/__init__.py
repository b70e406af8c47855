"""Statistics for shot-noise studies: distances, tests, estimators, bootstrap, null baselines.

Everything works on counts or probabilities (NumPy arrays with outcomes on the
last axis, or ``{bitstring: count}`` mappings) and is vectorised over leading
axes. See ``docs/shots.md`` for the conventions (Hellinger fidelity follows
Qiskit: ``(1 - H^2)^2``).
"""

from __future__ import annotations

from .bootstrap import BootstrapCI, bootstrap_ci
from .distances import (DISTANCES, bhattacharyya, get_distance, hellinger_distance,
                        hellinger_fidelity, js_distance, js_divergence, kl_divergence, tvd)
from .estimators import (SlopeFit, analytic_variance, estimator_spread, fit_slope,
                         pauli_expectation, pauli_signs)
from .gof import (TestResult, chi_square_test, g_test, goodness_of_fit, pool_cells, power,
                  two_sample)
from .null import expected_tvd, null_distance

__all__ = [
    "BootstrapCI", "DISTANCES", "SlopeFit", "TestResult", "analytic_variance", "bhattacharyya",
    "bootstrap_ci", "chi_square_test", "estimator_spread", "expected_tvd", "fit_slope", "g_test",
    "get_distance", "goodness_of_fit", "hellinger_distance", "hellinger_fidelity", "js_distance",
    "js_divergence", "kl_divergence", "null_distance", "pauli_expectation", "pauli_signs",
    "pool_cells", "power", "tvd", "two_sample",
]
