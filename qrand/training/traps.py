"""Randomness traps as runnable cases, each with the fix beside it.

* :func:`sorted_without_shuffle`: training rows sorted by label and never
  shuffled converge worse than shuffled rows on the same seeds (same init,
  same split).
* :func:`fixed_init_spread`: fixing the init seed while everything else stays
  random still leaves a spread of results (local minima, split, order).
* :func:`unseeded_split`: ``train_test_split`` without ``random_state`` gives
  a different test set every call; the seeded split repeats.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._optional import require
from ..errors import QrandError
from .data import fingerprint_arrays, load_dataset
from .engine import Trainer, with_options
from .runs import multi_seed, results_frame
from .streams import as_tree


def sorted_without_shuffle(trainer: Trainer, seeds: int | Sequence = 8, *, progress: bool = False):
    """Train the same seeds shuffled and sorted-by-label-unshuffled.

    Returns
    -------
    pandas.DataFrame
        One row per (order, seed): final loss, mean loss over the curve
        (``curve_mean``, lower = faster convergence), accuracies.
    """
    import pandas as pd

    frames = []
    for order in ("shuffled", "sorted"):
        runs = multi_seed(with_options(trainer, order=order), seeds, progress=progress)
        frame = results_frame(runs)
        frame["curve_mean"] = [float(np.mean(r.losses)) for r in runs]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def fixed_init_spread(trainer: Trainer, seeds: int | Sequence = 8, *, progress: bool = False):
    """Test accuracy over seeds with the init stream fixed vs everything varied.

    Returns
    -------
    pandas.DataFrame
        Rows per (condition, seed); ``condition`` is ``"init fixed"`` or ``"all varied"``.
    """
    import pandas as pd

    others = tuple(f for f in trainer.factors if f != "init")
    if not others:
        raise QrandError(f"{trainer.name} draws from no stream besides init")
    frames = []
    for condition, vary in (("init fixed", others), ("all varied", tuple(trainer.factors))):
        frame = results_frame(multi_seed(with_options(trainer, vary=vary), seeds, progress=progress))
        frame.insert(1, "condition", condition)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def unseeded_split(dataset: str = "iris", runs: int = 5, *, seed: int = 0, test_size: float = 0.3):
    """Fingerprint of the test set of ``runs`` splits, unseeded vs seeded from the tree.

    The unseeded calls draw from NumPy's global state, which moves on after
    every call (and starts from OS entropy in every new process).

    Returns
    -------
    pandas.DataFrame
        Columns ``mode`` (``"unseeded"``/``"seeded"``), ``run``, ``test_fingerprint``.
    """
    import pandas as pd

    selection = require("sklearn.model_selection")
    if int(runs) < 2:
        raise QrandError(f"runs must be at least 2, got {runs}")
    data = load_dataset(dataset)
    index = np.arange(len(data.y))
    rows = []
    for run in range(int(runs)):
        _, test = selection.train_test_split(index, test_size=test_size)
        rows.append({"mode": "unseeded", "run": run, "test_fingerprint": fingerprint_arrays(np.sort(test))})
        split_seed = as_tree(seed).child("split").seed(32)
        _, test = selection.train_test_split(index, test_size=test_size, random_state=split_seed)
        rows.append({"mode": "seeded", "run": run, "test_fingerprint": fingerprint_arrays(np.sort(test))})
    return pd.DataFrame(rows)
