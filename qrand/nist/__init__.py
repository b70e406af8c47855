"""NIST SP 800-22 Rev 1a statistical test battery, vectorised with NumPy.

All 15 tests with sts-2.1.2's default parameters and P-values, second-level
analysis over many streams, and readers for NIST ASCII / raw binary files.

>>> import numpy as np
>>> from qrand.nist import run_battery
>>> bits = np.random.default_rng(1).integers(0, 2, 200_000, dtype=np.uint8)
>>> frame = run_battery(bits, tests="frequency,runs")
>>> list(frame.columns)
['test', 'variant', 'statistic', 'p_value', 'passed', 'applicable', 'reason']
"""

from __future__ import annotations

from ._core import ALPHA, Bits, TestResult
from .battery import COLUMNS, TESTS, battery, parameters_of, run_battery, select_tests, to_frame
from .complexity import linear_complexity
from .entropy import approximate_entropy, serial
from .excursions import random_excursions, random_excursions_variant
from .frequency import block_frequency, cumulative_sums, frequency, longest_run, runs
from .io import as_bits, iter_streams, read_bits
from .matrix import rank
from .second_level import StreamsReport, analyse_streams, proportion_interval, second_level, uniformity
from .spectral import dft
from .templates import aperiodic_templates, non_overlapping_template, overlapping_template
from .universal import universal

__all__ = [
    "ALPHA", "Bits", "COLUMNS", "StreamsReport", "TESTS", "TestResult", "analyse_streams", "aperiodic_templates",
    "approximate_entropy", "as_bits", "battery", "block_frequency", "cumulative_sums", "dft", "frequency",
    "iter_streams", "linear_complexity", "longest_run", "non_overlapping_template", "overlapping_template",
    "parameters_of", "proportion_interval", "random_excursions", "random_excursions_variant", "rank",
    "read_bits", "run_battery", "runs", "second_level", "select_tests", "serial", "to_frame", "uniformity",
    "universal",
]
