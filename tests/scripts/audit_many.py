"""Implicit randomness of several kinds, each on a marked line (for the audit tests)."""

import random

import numpy as np

random.random()  # MARK:python
np.random.rand(2)  # MARK:numpy
np.random.default_rng()  # MARK:default_rng
np.random.seed(0)
np.random.rand(2)  # seeded: not a finding
rng = np.random.default_rng(1)
rng.random()  # explicit generator: not a finding
