"""Second-level analysis over many streams (SP 800-22 section 4.2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qrand import bits as qbits
from qrand.errors import QrandError
from qrand.nist import analyse_streams, iter_streams, proportion_interval, second_level, uniformity


def test_proportion_interval_document_example():
    # section 4.2.1: 1000 sequences, alpha = 0.01 -> 0.99 +- 0.0094392
    low, high = proportion_interval(1000, 0.01)
    assert low == pytest.approx(0.9805608, abs=1e-7)
    assert high == pytest.approx(0.9994392, abs=1e-7)
    low20, _ = proportion_interval(20)
    assert 18 < low20 * 20 < 19  # sts: "approximately 18" of 20 must pass, so 19 is needed


def test_uniformity_extremes():
    p_uniform, counts = uniformity(np.arange(100) / 100 + 0.005)
    assert counts.tolist() == [10] * 10 and p_uniform == pytest.approx(1.0)
    p_bad, counts = uniformity(np.full(10, 0.05))
    assert counts.tolist() == [10] + [0] * 9
    assert p_bad < 1e-10  # chi2 = 90 with 9 degrees of freedom
    _, counts = uniformity(np.array([1.0, 0.0, 0.1]))  # P = 1 goes to the last bin, as in sts
    assert counts.tolist() == [1, 1, 0, 0, 0, 0, 0, 0, 0, 1]


def _frame(p_values, applicable=None):
    n = len(p_values)
    applicable = [True] * n if applicable is None else applicable
    return pd.DataFrame({"stream": range(n), "test": "frequency", "variant": None,
                         "p_value": [p if a else None for p, a in zip(p_values, applicable)],
                         "applicable": applicable})


def test_second_level_counts_and_checks():
    p = np.linspace(0.005, 0.995, 20)
    p[0] = 0.001  # one failure of 20 is within the interval
    row = second_level(_frame(p)).iloc[0]
    assert (row.streams, row.passed, row.not_applicable) == (20, 19, 0)
    assert row.proportion_ok and row.uniformity_ok is None  # < 55 streams: no uniformity verdict
    p[1] = 0.002  # two failures of 20 fall below 18.47
    assert not second_level(_frame(p)).iloc[0].proportion_ok


def test_second_level_skips_not_applicable_streams():
    p = np.linspace(0.05, 0.95, 60)
    applicable = [i % 6 != 0 for i in range(60)]
    row = second_level(_frame(p, applicable)).iloc[0]
    assert row.streams == 50 and row.not_applicable == 10
    none = second_level(_frame(p, [False] * 60)).iloc[0]
    assert none.streams == 0 and none.proportion_ok is None


def test_uniformity_verdict_from_55_streams():
    row = second_level(_frame(np.full(60, 0.55))).iloc[0]
    assert row.uniformity_ok is not None and not row.uniformity_ok and row.proportion_ok


def test_analyse_streams_from_generator():
    gen = qbits.streams("pcg64", 20_000, 6, seed=11)
    report = analyse_streams(gen, tests="frequency,cumulative_sums,runs", progress=False)
    assert (report.n_bits, report.streams) == (20_000, 6)
    assert len(report.per_stream) == 6 * 4
    assert report.summary[["test", "variant"]].fillna("-").values.tolist() == [
        ["frequency", "-"], ["cumulative_sums", "forward"], ["cumulative_sums", "reverse"], ["runs", "-"]]
    assert (report.summary["streams"] == 6).all()
    same = analyse_streams(qbits.streams("pcg64", 20_000, 6, seed=11), tests="frequency", progress=False)
    assert same.per_stream["p_value"].tolist() == report.per_stream.query("test == 'frequency'")["p_value"].tolist()


def test_analyse_streams_detects_bias():
    report = analyse_streams(qbits.streams("biased:0.52", 20_000, 5, seed=1), tests="frequency", progress=False)
    assert report.summary.iloc[0].passed == 0
    assert len(report.failures()) == 1


def test_analyse_streams_from_file(tmp_path):
    raw = qbits.source("philox", 8 * 30_000, seed=3)
    path = tmp_path / "streams.bin"
    path.write_bytes(np.packbits(raw).tobytes())
    report = analyse_streams(iter_streams(path, 30_000), tests="frequency", progress=False)
    assert report.streams == 8
    direct = analyse_streams([raw[i * 30_000:(i + 1) * 30_000] for i in range(8)], tests="frequency",
                             progress=False)
    assert report.per_stream["p_value"].tolist() == direct.per_stream["p_value"].tolist()


def test_analyse_streams_errors():
    with pytest.raises(QrandError, match="no streams"):
        analyse_streams(iter([]), tests="frequency")
    with pytest.raises(QrandError, match="stream 1 has"):
        analyse_streams([np.zeros(200, np.uint8), np.zeros(300, np.uint8)], tests="frequency", progress=False)
