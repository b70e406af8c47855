"""Sum floats in per-thread chunks: the summation order depends on OMP_NUM_THREADS."""

import os
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np

threads = int(os.environ.get("OMP_NUM_THREADS", "1"))
values = np.random.default_rng(7).standard_normal(100_000) * 10.0 ** np.linspace(-6, 6, 100_000)
chunks = np.array_split(values, threads)
with ThreadPoolExecutor(max_workers=threads) as pool:
    partials = list(pool.map(lambda c: float(np.cumsum(c)[-1]), chunks))
total = 0.0
for part in partials:
    total += part
np.save("total.npy", np.array([total]))
print(f"threads={threads}", file=sys.stderr)
