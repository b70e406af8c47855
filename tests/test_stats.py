"""Tests for qrand.stats: distances, tests, estimators, bootstrap and null baselines."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats
from scipy.spatial.distance import jensenshannon

from qrand.errors import QrandError
from qrand.seeding.tree import SeedTree
from qrand.stats import (analytic_variance, bootstrap_ci, chi_square_test, estimator_spread,
                         expected_tvd, fit_slope, g_test, goodness_of_fit, hellinger_distance,
                         hellinger_fidelity, js_distance, js_divergence, kl_divergence,
                         null_distance, pauli_expectation, pauli_signs, pool_cells, power, tvd,
                         two_sample)


def _random_dist(rng, k, zeros=0):
    p = rng.dirichlet(np.ones(k))
    p[rng.choice(k, zeros, replace=False)] = 0
    return p / p.sum()


# -- distances ---------------------------------------------------------------

def test_hellinger_matches_qiskit_convention():
    from qiskit.quantum_info import hellinger_fidelity as qk_fid
    from qiskit.quantum_info.analysis import hellinger_distance as qk_dist

    rng = np.random.default_rng(7)
    for _ in range(20):
        keys = [format(i, "03b") for i in range(8)]
        a = {k: int(v) for k, v in zip(keys, rng.integers(0, 50, 8)) if v}
        b = {k: int(v) for k, v in zip(keys, rng.integers(0, 50, 8)) if v}
        assert hellinger_distance(a, b) == pytest.approx(qk_dist(a, b), abs=1e-12)
        assert hellinger_fidelity(a, b) == pytest.approx(qk_fid(a, b), abs=1e-12)
        h = hellinger_distance(a, b)
        assert hellinger_fidelity(a, b) == pytest.approx((1 - h**2) ** 2, abs=1e-12)


def test_tvd_kl_js_match_scipy_and_are_vectorised():
    rng = np.random.default_rng(1)
    ps = np.stack([_random_dist(rng, 16, zeros=3) for _ in range(5)])
    qs = np.stack([_random_dist(rng, 16) for _ in range(5)])
    assert tvd(ps, qs).shape == (5,)
    for p, q, t, kl, js in zip(ps, qs, tvd(ps, qs), kl_divergence(ps, qs), js_divergence(ps, qs)):
        assert t == pytest.approx(1 - np.minimum(p, q).sum())
        assert kl == pytest.approx(scipy.stats.entropy(p, q))
        assert js == pytest.approx(jensenshannon(p, q) ** 2)
        assert js_distance(p, q) == pytest.approx(jensenshannon(p, q))
    assert tvd([1, 0], [0, 1]) == 1.0 and tvd([3, 1], [6, 2]) == 0.0


def test_kl_smoothing_handles_zero_counts():
    p = np.array([0.5, 0.25, 0.25])
    counts = np.array([10, 6, 0])
    assert np.isinf(kl_divergence(p, counts, smoothing=0))
    smoothed = (counts + 0.5) / (counts.sum() + 1.5)
    assert kl_divergence(p, counts) == pytest.approx(scipy.stats.entropy(p, smoothed))
    # probabilities are never smoothed: zero-probability outcomes with zero counts are harmless
    assert kl_divergence(np.array([7, 3, 0]), np.array([0.7, 0.3, 0.0])) == pytest.approx(0.0)
    assert js_divergence(p, counts) <= np.log(2)
    assert js_divergence(p, counts, smoothing=1.0) < js_divergence(p, counts)


def test_distance_bad_input():
    with pytest.raises(QrandError, match="different numbers of outcomes"):
        tvd([1, 2], [1, 2, 3])
    with pytest.raises(QrandError, match="non-negative"):
        tvd([1, -2], [1, 2])
    with pytest.raises(QrandError, match="total zero"):
        hellinger_distance([0, 0], [1, 2])


# -- tests -------------------------------------------------------------------

def test_gof_equals_scipy_without_pooling():
    rng = np.random.default_rng(3)
    q = np.array([0.1, 0.2, 0.3, 0.4])
    obs = rng.multinomial(500, q)
    ref_g = scipy.stats.power_divergence(obs, 500 * q, lambda_="log-likelihood")
    ref_p = scipy.stats.chisquare(obs, 500 * q)
    assert g_test(obs, q, williams=False).statistic == pytest.approx(ref_g.statistic)
    assert g_test(obs, q, williams=False).pvalue == pytest.approx(ref_g.pvalue)
    assert g_test(obs, q).statistic == pytest.approx(ref_g.statistic / (1 + 5 / 3000))
    assert chi_square_test(obs, q).pvalue == pytest.approx(ref_p.pvalue)
    a, b = rng.multinomial(300, q), rng.multinomial(200, q[::-1])
    for method, lam in (("g", "log-likelihood"), ("pearson", "pearson")):
        stat, pval, dof, _ = scipy.stats.chi2_contingency([a, b], correction=False, lambda_=lam)
        res = two_sample(a, b, method=method, williams=False)
        assert (res.statistic, res.pvalue, res.dof) == (pytest.approx(stat), pytest.approx(pval), dof)
    corrected = two_sample(a, b).statistic  # Williams: q = 1 + (N(1/300+1/200)-1)(N sum 1/C - 1)/(6N*3)
    cols = a + b
    q_w = 1 + (500 * (1 / 300 + 1 / 200) - 1) * (500 * np.sum(1 / cols) - 1) / (6 * 500 * 3)
    assert corrected == pytest.approx(two_sample(a, b, williams=False).statistic / q_w)


def test_pooling_keeps_cells_large_enough():
    rng = np.random.default_rng(4)
    for _ in range(50):
        e = rng.exponential(3, size=20) * (rng.random(20) > 0.2)
        labels = pool_cells(e, 5.0)
        assert np.all(labels[e == 0] == -1) and np.all(labels[e > 0] >= 0)
        sums = np.bincount(labels[labels >= 0], weights=e[labels >= 0])
        if e.sum() >= 5:
            assert sums.min() >= 5 - 1e-12
        else:
            assert len(sums) == 1


@pytest.mark.parametrize("method", ["g", "pearson"])
def test_tests_are_calibrated_and_powerful(method):
    rng = np.random.default_rng(11)
    q = _random_dist(rng, 32, zeros=8)
    q[q > 0] = np.maximum(q[q > 0], 0.002)
    q /= q.sum()
    for shots in (20, 300):
        null = goodness_of_fit(rng.multinomial(shots, q, size=2000), q, method=method).pvalue
        assert 0.02 <= power(null, 0.05) <= 0.08
        a, b = rng.multinomial(shots, q, size=(2, 1000))
        assert 0.02 <= power(two_sample(a, b, method=method).pvalue) <= 0.08
    shifted = 0.8 * q + 0.2 / 32
    alt = goodness_of_fit(rng.multinomial(2000, shifted, size=200), q, method=method).pvalue
    assert power(alt) > 0.95  # includes outcomes impossible under q: rejected outright


def test_williams_correction_fixes_small_sample_size():
    # GHZ-like (1/2, 1/2) at 10 shots: exact size of the uncorrected G-test is 0.109
    k = np.arange(11)
    counts = np.stack([k, 10 - k], axis=1)
    weights = scipy.stats.binom.pmf(k, 10, 0.5)
    raw = g_test(counts, [0.5, 0.5], williams=False).pvalue < 0.05
    corrected = g_test(counts, [0.5, 0.5]).pvalue < 0.05
    assert weights[raw].sum() == pytest.approx(2 * 56 / 1024)
    assert weights[corrected].sum() <= 0.05


def test_impossible_outcome_rejects_and_tiny_samples_have_no_power():
    res = g_test([5, 1, 4], [0.5, 0.0, 0.5])
    assert np.isinf(res.statistic) and res.pvalue == 0.0
    res = g_test([1, 0, 1], [0.5, 0.0, 0.5])  # expected counts 1 each: pooled into one cell
    assert res.dof == 0 and res.pvalue == 1.0
    with pytest.raises(QrandError, match="unknown test method"):
        goodness_of_fit([1, 2], [0.5, 0.5], method="wald")


# -- estimators --------------------------------------------------------------

def test_pauli_signs_against_bitstrings():
    for pauli in ("Z", "ZZ", "ZIZ", "IZZI", "ZZZZZ"):
        n = len(pauli)
        signs = pauli_signs(pauli)
        for i in range(2**n):
            bits = format(i, f"0{n}b")  # wire 0 = most significant bit
            parity = sum(int(b) for b, l in zip(bits, pauli) if l == "Z") % 2
            assert signs[i] == (-1) ** parity
    ghz = np.zeros(8)
    ghz[[0, 7]] = 0.5
    assert pauli_expectation(ghz, "ZZZ") == 0.0 and pauli_expectation(ghz, "ZZI") == 1.0
    with pytest.raises(QrandError, match="Z-type"):
        pauli_signs("XZ")
    with pytest.raises(QrandError, match="letters for"):
        pauli_expectation(ghz, "ZZ")


def test_estimator_spread_and_slope_on_binomial_estimates():
    rng = np.random.default_rng(5)
    shots = np.array([10, 100, 1000, 10000])
    exact = 0.3
    plus = rng.binomial(shots, (1 + exact) / 2, size=(400, 4))
    est = (2 * plus - shots) / shots
    table = estimator_spread(est, shots, exact)
    assert list(table.shots) == list(shots)
    assert np.allclose(table.analytic_std, np.sqrt((1 - exact**2) / shots))
    assert np.all((table.std_low < table.analytic_std) & (table.analytic_std < table.std_high))
    fit = fit_slope(shots, table["std"])
    assert abs(fit.slope + 0.5) < 3 * fit.stderr + 0.02
    exact_fit = fit_slope(shots, 2.0 * shots**-0.5)
    assert exact_fit.slope == pytest.approx(-0.5) and exact_fit.r2 == pytest.approx(1.0)
    assert exact_fit.predict([400])[0] == pytest.approx(0.1)
    assert analytic_variance(1.0, 10) == 0.0
    with pytest.raises(QrandError):
        fit_slope([10, 100], [0.1, 0.03])


# -- bootstrap and null ------------------------------------------------------

def test_bootstrap_is_seeded_and_sensible():
    x = np.random.default_rng(2).normal(1.0, 2.0, size=200)
    a = bootstrap_ci(x, seed=SeedTree(9).child("boot"))
    b = bootstrap_ci(x, seed=SeedTree(9).child("boot"))
    assert a == b
    assert a.low < x.mean() < a.high
    assert a.standard_error == pytest.approx(x.std(ddof=1) / np.sqrt(200), rel=0.15)
    bca = bootstrap_ci(x, np.std, seed=1, method="bca")
    assert bca.low < x.std() < bca.high
    with pytest.raises(QrandError, match="unknown bootstrap method"):
        bootstrap_ci(x, seed=1, method="magic")


def test_null_baseline_matches_normal_approximation():
    p = np.array([0.4, 0.3, 0.2, 0.1])
    one = null_distance(p, [2000, 8000], seed=SeedTree(3), kind="one-sample", draws=3000)
    two = null_distance(p, [2000, 8000], seed=SeedTree(3), kind="two-sample", draws=3000)
    assert np.allclose(one["mean"], expected_tvd(p, [2000, 8000]), rtol=0.04)
    assert np.allclose(two["mean"], expected_tvd(p, [2000, 8000], kind="two-sample"), rtol=0.04)
    assert np.all(one.low < one["mean"]) and np.all(one["mean"] < one.high)
    again = null_distance(p, [2000, 8000], seed=SeedTree(3), kind="one-sample", draws=3000)
    assert one.equals(again)
    hell = null_distance(p, [10, 100, 1000], seed=1, distance="hellinger")
    assert np.all(np.diff(hell["mean"]) < 0)  # shot noise shrinks with N
    with pytest.raises(QrandError, match="unknown distance"):
        null_distance(p, [10], seed=1, distance="euclid")
    with pytest.raises(QrandError, match="not a probability vector"):
        null_distance([0.5, 0.6], [10], seed=1)
