"""qrand.shots library API: seed blocks and seed paths, analyse, exact_distributions, sweep_figures."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

from qrand.errors import QrandError
from qrand.seeding.tree import SeedTree
from qrand.shots import (ShotAnalysis, analyse, detection_report, exact_distributions, fast_counts,
                         spread_table, sweep, sweep_figures)
from qrand.shots.sampling import exact_probabilities, ideal_probabilities
from qrand.shots.sweeping import FAST_BLOCK, seed_blocks, seed_node, transpile_seed

KEYS = ["circuit", "backend", "shots", "seed", "observable"]


def test_public_name_sweep_is_the_function_even_after_the_submodule_is_imported():
    importlib.import_module("qrand.shots.sweeping")
    import qrand.shots

    assert callable(qrand.shots.sweep) and qrand.shots.sweep.__module__ == "qrand.shots.sweeping"
    from qrand.shots import sweep as again

    assert again is sweep


def test_seed_blocks_are_a_fixed_partition():
    assert seed_blocks(5, 2) == [[0, 1], [2, 3], [4]]
    assert seed_blocks([7, 1, 3, 2], 2) == [[1], [2, 3], [7]]
    with pytest.raises(QrandError, match="duplicates"):
        seed_blocks([1, 1], 2)
    assert sum(seed_blocks(2 * FAST_BLOCK + 3, FAST_BLOCK), []) == list(range(2 * FAST_BLOCK + 3))


def test_each_seed_draws_from_its_own_node_whatever_else_is_asked(tmp_path):
    """Seed s's counts depend only on (root, circuit, backend, s, N): not on the block, the seed
    list or the other shot counts."""
    backends = "default.qubit,aer:fake_manila"
    a = sweep("ghz:3", backends, shots=[10, 100], seeds=[0, 1, FAST_BLOCK + 2], seed=3,
              store=tmp_path / "a.sqlite", progress=False)
    b = sweep("ghz:3", backends, shots=[100, 1000], seeds=FAST_BLOCK + 3, seed=3,
              store=tmp_path / "b.sqlite", progress=False)
    both = a.merge(b, on=KEYS, suffixes=("_a", "_b"))
    assert len(both) == 2 * 3  # shots 100, seeds {0, 1, FAST_BLOCK + 2}, two backends
    assert np.array_equal(both.estimate_a, both.estimate_b)
    assert np.array_equal(both.g_pvalue_ideal_a, both.g_pvalue_ideal_b)
    # and the draws are the documented node's: recompute one cell by hand
    root = SeedTree(3)
    exact = exact_probabilities("ghz:3", "aer:fake_manila", transpile_seed(root, "ghz:3", "aer:fake_manila"))
    counts = fast_counts(exact, [100], seed_node(root, "ghz:3", "aer:fake_manila", FAST_BLOCK + 2))[0]
    parity = np.array([(-1) ** bin(i).count("1") for i in range(8)])
    row = a[(a.backend == "aer:fake_manila") & (a.shots == 100) & (a.seed == FAST_BLOCK + 2)]
    assert row.estimate.item() == pytest.approx(counts @ parity / 100)
    c = sweep("ghz:3", backends, shots=[100], seeds=[0, 1], seed=4, store=tmp_path / "c.sqlite",
              progress=False)
    assert not np.array_equal(c[c.backend == "aer:fake_manila"].estimate,
                              a[(a.backend == "aer:fake_manila") & (a.shots == 100) & (a.seed < 2)].estimate)


@pytest.fixture(scope="module")
def small_sweep(tmp_path_factory):
    store = tmp_path_factory.mktemp("rep") / "s.sqlite"
    return sweep("ghz:3", "default.qubit,aer:fake_manila", shots=[10, 100, 1000], seeds=30,
                 seed=SeedTree(7).child("study"), store=store, progress=False)


def test_analyse_bundles_spread_report_and_summary(small_sweep):
    frame = small_sweep
    result = analyse(frame, alpha=0.05, target_power=0.8, seed=5)
    assert isinstance(result, ShotAnalysis)
    pd.testing.assert_frame_equal(result.spread, spread_table(frame))
    report = detection_report(frame, alpha=0.05, target_power=0.8, seed=5)
    pd.testing.assert_frame_equal(result.report.table, report.table)
    pd.testing.assert_frame_equal(result.report.thresholds, report.thresholds)
    summary = result.summary
    assert len(summary) == len(result.spread) == 2 * 3
    assert {"std", "analytic_std", "slope", "power", "null_tvd_high", "detected"} <= set(summary.columns)
    # the join lines up: each summary row carries the power of its own (backend, shots)
    table = report.table.set_index(["backend", "shots"])["power"]
    assert np.array_equal(summary.power, [table.loc[(b, n)] for b, n in zip(summary.backend, summary.shots)])
    with pytest.raises(QrandError):
        analyse(frame.iloc[:0])


def test_exact_distributions_use_the_sweeps_own_transpile_seed(small_sweep):
    exact, ideal = exact_distributions(small_sweep)
    assert set(exact) == set(ideal) == {"ghz:3"}
    assert set(exact["ghz:3"]) == {"aer:fake_manila"}  # the ideal backend is drawn as "ideal"
    assert np.allclose(ideal["ghz:3"], [0.5, 0, 0, 0, 0, 0, 0, 0.5])
    noisy = exact["ghz:3"]["aer:fake_manila"]
    assert noisy.sum() == pytest.approx(1) and abs(noisy - ideal["ghz:3"]).sum() > 0.01
    # the sweep's root has a path (SeedTree(7).child("study")): the seed must come from that node
    seed_t = transpile_seed(SeedTree(7).child("study"), "ghz:3", "aer:fake_manila")
    assert np.array_equal(noisy, exact_probabilities("ghz:3", "aer:fake_manila", seed_t))
    exact_row = small_sweep[small_sweep.backend == "aer:fake_manila"]["exact"].iloc[0]
    parity = np.array([(-1) ** bin(i).count("1") for i in range(8)])
    assert exact_row == pytest.approx(noisy @ parity)  # what the sweep itself used
    assert np.array_equal(ideal["ghz:3"], ideal_probabilities("ghz:3"))
    bare = small_sweep.copy()
    bare.attrs = {}
    with pytest.raises(QrandError, match="root"):
        exact_distributions(bare)


def test_sweep_figures_writes_png_and_svg_with_captions(small_sweep, tmp_path):
    result = analyse(small_sweep, seed=1)
    figures = sweep_figures(small_sweep, result, tmp_path / "fig")
    stems = sorted(path.stem for _, path in figures)
    assert stems == ["detection", "distance", "histogram_ghz_3", "standard_error"]
    for caption, png in figures:
        assert png.suffix == ".png" and png.stat().st_size > 1000
        assert png.with_suffix(".svg").stat().st_size > 1000
        assert isinstance(caption, str) and len(caption) > 20
    assert any("ghz:3" in caption for caption, _ in figures)
