"""Second-level analysis over many streams, as sts-2.1.2 reports it (SP 800-22
section 4.2): the proportion of streams passing each test with its
confidence interval, and the uniformity of the P-values over 10 bins.

:func:`analyse_streams` runs the battery on streams one at a time (from any
iterator, e.g. :func:`qrand.nist.iter_streams` over a file), so only one
stream's bits are ever held; the per-stream P-values are kept (a few hundred
numbers per stream).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import QrandError
from ._core import ALPHA, Bits, igamc
from .battery import COLUMNS, battery, to_frame

#: minimum number of streams for the uniformity P-value to be meaningful (SP 800-22 4.2.2)
MIN_STREAMS_UNIFORMITY = 55
#: uniformity P-values below this fail (sts-2.1.2)
UNIFORMITY_ALPHA = 0.0001

SUMMARY_COLUMNS = ["test", "variant", "streams", "passed", "proportion", "ci_low", "ci_high",
                   "proportion_ok", "uniformity_p", "uniformity_ok", "not_applicable"] + \
                  [f"c{i}" for i in range(1, 11)]


def proportion_interval(streams: int, alpha: float = ALPHA) -> tuple[float, float]:
    """Acceptable range of the pass proportion: p_hat ± 3 sqrt(p_hat (1 - p_hat) / s), p_hat = 1 - alpha."""
    p_hat = 1.0 - alpha
    half = 3.0 * math.sqrt(p_hat * alpha / streams)
    return p_hat - half, p_hat + half


def uniformity(p_values: np.ndarray) -> tuple[float, np.ndarray]:
    """Chi-square P-value of the P-values' histogram over 10 equal bins, and the bin counts."""
    p_values = np.asarray(p_values, dtype=float)
    bins = np.minimum(np.floor(p_values * 10).astype(int), 9)
    counts = np.bincount(bins, minlength=10)
    expected = p_values.size / 10.0
    chi2 = float(np.sum((counts - expected) ** 2 / expected))
    return igamc(9 / 2.0, chi2 / 2.0), counts


def second_level(per_stream, *, alpha: float = ALPHA):
    """Summarise per-stream results (a DataFrame with ``test, variant, p_value, applicable``).

    Returns
    -------
    pandas.DataFrame
        One row per (test, variant) with the columns in :data:`SUMMARY_COLUMNS`.
        ``uniformity_ok`` is None when fewer than 55 streams were applicable.
    """
    import pandas as pd

    rows = []
    frame = per_stream.copy()
    frame["variant_key"] = frame["variant"].fillna("")
    groups = frame.groupby(["test", "variant_key"], sort=False)
    for (test, key), group in groups:
        ok = group[group["applicable"].astype(bool)]
        streams = len(ok)
        variant = key or None
        row: dict[str, Any] = {"test": test, "variant": variant, "streams": streams,
                               "not_applicable": int(len(group) - streams)}
        if streams:
            p = ok["p_value"].to_numpy(dtype=float)
            passed = int(np.count_nonzero(p >= alpha))
            low, high = proportion_interval(streams, alpha)
            uni_p, counts = uniformity(p)
            row.update(passed=passed, proportion=passed / streams, ci_low=low, ci_high=high,
                       proportion_ok=bool(low * streams <= passed <= high * streams),
                       uniformity_p=uni_p,
                       uniformity_ok=(bool(uni_p >= UNIFORMITY_ALPHA)
                                      if streams >= MIN_STREAMS_UNIFORMITY else None),
                       **{f"c{i + 1}": int(c) for i, c in enumerate(counts)})
        else:
            row.update(passed=0, proportion=None, ci_low=None, ci_high=None, proportion_ok=None,
                       uniformity_p=None, uniformity_ok=None, **{f"c{i}": 0 for i in range(1, 11)})
        rows.append(row)
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


@dataclass
class StreamsReport:
    """Battery results over several streams: per-stream rows and the second-level summary."""

    n_bits: int
    streams: int
    per_stream: Any  # pandas.DataFrame: stream + COLUMNS
    summary: Any  # pandas.DataFrame: SUMMARY_COLUMNS

    def failures(self):
        """Summary rows that fail the proportion or the uniformity check."""
        s = self.summary
        return s[(s["proportion_ok"] == False) | (s["uniformity_ok"] == False)]  # noqa: E712


def analyse_streams(streams: Iterable[Any], *, tests: str | Iterable[str] | None = None,
                    params: Mapping[str, Mapping[str, Any]] | None = None, alpha: float = ALPHA,
                    strict: bool = True, total: int | None = None, progress: bool | None = None) -> StreamsReport:
    """Run the battery on each stream of an iterator and analyse the P-values across streams.

    Parameters
    ----------
    streams : iterable
        Bit sequences, consumed one at a time (all must have the same length).
    total : int, optional
        Number of streams, for the progress bar.
    progress : bool, optional
        Show a tqdm bar (default: only on a terminal).
    """
    import pandas as pd
    from tqdm.auto import tqdm

    frames = []
    n_bits = None
    bar = tqdm(streams, total=total, desc="nist streams", unit="stream",
               disable=(None if progress is None else not progress), leave=False)
    for index, stream in enumerate(bar):
        bits = Bits.of(stream)
        if n_bits is None:
            n_bits = bits.n
        elif bits.n != n_bits:
            raise QrandError(f"stream {index} has {bits.n} bits, the first had {n_bits}")
        frame = to_frame(battery(bits, tests=tests, params=params, alpha=alpha, strict=strict))
        frame.insert(0, "stream", index)
        frames.append(frame)
    if not frames:
        raise QrandError("no streams to analyse")
    per_stream = pd.concat(frames, ignore_index=True)
    return StreamsReport(n_bits=int(n_bits), streams=len(frames), per_stream=per_stream,
                         summary=second_level(per_stream, alpha=alpha))


__all__ = ["COLUMNS", "MIN_STREAMS_UNIFORMITY", "StreamsReport", "analyse_streams", "proportion_interval",
           "second_level", "uniformity"]
