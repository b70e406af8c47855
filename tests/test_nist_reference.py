"""qrand.nist against the published SP 800-22 / sts-2.1.2 values (../shared/nist/REFERENCE.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qrand import nist
from qrand.nist import Bits, read_bits

DATA = Path(__file__).parent / "data"
N = 1_000_000

# (test, variant) -> (data.e, data.pi) P-values printed by sts-2.1.2 for 10^6 bits
REFERENCE = {
    ("frequency", None): (0.953749, 0.578211),
    ("block_frequency", None): (0.211072, 0.380615),
    ("cumulative_sums", "forward"): (0.669886, 0.628308),
    ("cumulative_sums", "reverse"): (0.724265, 0.663369),
    ("runs", None): (0.561917, 0.419268),
    ("longest_run", None): (0.718945, 0.024390),
    ("rank", None): (0.306156, 0.083553),
    ("dft", None): (0.847187, 0.010186),
    ("non_overlapping_template", "000000001"): (0.078790, 0.165757),
    ("overlapping_template", None): (0.110434, 0.296897),
    ("universal", None): (0.282568, 0.669012),
    ("approximate_entropy", None): (0.700073, 0.361595),
    ("random_excursions", "+1"): (0.786868, 0.844143),
    ("random_excursions_variant", "-1"): (0.826009, 0.760966),
    ("linear_complexity", None): (0.826335, 0.255475),
    ("serial", "p1"): (0.766182, 0.143005),
    ("serial", "p2"): (0.462921, None),
}


@pytest.fixture(scope="module")
def results():
    out = {}
    for column, name in enumerate(("data.e", "data.pi")):
        bits = read_bits(DATA / name, N)
        assert bits.size == N
        out[column] = {(r.test, r.variant): r for r in nist.battery(bits)}
    return out


CASES = [(key, column) for key, values in REFERENCE.items() for column in (0, 1) if values[column] is not None]


@pytest.mark.parametrize("key,column", CASES,
                         ids=[f"{('data.e', 'data.pi')[c]}-{k[0]}-{k[1]}" for k, c in CASES])
def test_reference_p_values(results, key, column):
    expected = REFERENCE[key][column]
    got = results[column][key]
    tol = 2e-6 if key[0] == "cumulative_sums" else 1e-6
    assert got.applicable
    assert got.p_value == pytest.approx(expected, abs=tol)
    assert got.passed == (expected >= 0.01)


def test_battery_has_every_variant(results):
    counts = {}
    for test, _ in results[0]:
        counts[test] = counts.get(test, 0) + 1
    assert list(counts) == list(nist.TESTS)
    assert counts["non_overlapping_template"] == 148
    assert counts["random_excursions"] == 8
    assert counts["random_excursions_variant"] == 18
    assert counts["cumulative_sums"] == counts["serial"] == 2
    assert sum(counts.values()) == 188
    assert all(r.applicable for r in results[0].values())


def test_random_excursions_all_states_data_e(results):
    # section 2.14.8 misprints these; the correct sts values are in REFERENCE.md
    for x, expected in zip(("+1", "+2", "+3", "+4"), (0.786868, 0.440912, 0.797854, 0.778186)):
        assert results[0][("random_excursions", x)].p_value == pytest.approx(expected, abs=1e-6)


def test_data_sha1_excursions_not_applicable():
    bits = read_bits(DATA / "data.sha1", format="binary")
    assert bits.size == N
    out = nist.battery(bits, tests=["random_excursions", "random_excursions_variant", "frequency"])
    excursions = [r for r in out if r.test.startswith("random_excursions")]
    assert len(excursions) == 26
    for r in excursions:
        assert not r.applicable and r.p_value is None and r.passed is None
        assert "J=412" in r.reason
    assert [r for r in out if r.test == "frequency"][0].applicable


PI_100 = read_bits(DATA / "data.pi", 100)


def _e(n):
    return read_bits(DATA / "data.e", n)


LONGEST_EXAMPLE = ("11001100000101010110110001001100111000000000001001001101010100010001001111010110"
                   "100000001101011111001100111001101101100010110010")

# (function, input, kwargs, variant index, expected P) -- the document's worked examples
EXAMPLES = [
    ("frequency", "1011010101", {}, 0, 0.527089),
    ("frequency", "pi100", {}, 0, 0.109599),
    ("block_frequency", "0110011010", {"block_size": 3}, 0, 0.801252),
    ("block_frequency", "pi100", {"block_size": 10}, 0, 0.706438),
    ("runs", "1001101011", {}, 0, 0.147232),
    ("runs", "pi100", {}, 0, 0.500798),
    ("longest_run", LONGEST_EXAMPLE, {"block_size": 8}, 0, 0.180609),
    ("dft", "1001010011", {}, 0, 0.468160),
    ("dft", "pi100", {}, 0, 0.646355),
    ("non_overlapping_template", "10100100101110010110", {"templates": ["001"], "blocks": 2}, 0, 0.344154),
    ("universal", "01011010011101010111", {"block_length": 2, "init_blocks": 4, "sigma": "unscaled"}, 0,
     0.767189),
    ("serial", "0011011101", {"m": 3}, 0, 0.808792),
    ("serial", "0011011101", {"m": 3}, 1, 0.670320),
    ("approximate_entropy", "0100110101", {"m": 3}, 0, 0.261961),
    ("approximate_entropy", "pi100", {"m": 2}, 0, 0.235301),
    ("cumulative_sums", "pi100", {}, 0, 0.219194),
    ("cumulative_sums", "pi100", {}, 1, 0.114866),
    ("random_excursions", "0110110101", {"prob_decimals": 4}, 4, 0.502529),
    ("random_excursions_variant", "0110110101", {}, 9, 0.683091),
]


@pytest.mark.parametrize("name,data,kwargs,index,expected", EXAMPLES,
                         ids=[f"{e[0]}-{i}" for i, e in enumerate(EXAMPLES)])
def test_worked_examples(name, data, kwargs, index, expected):
    bits = PI_100 if data == "pi100" else data
    out = nist.TESTS[name](bits, strict=False, **kwargs)
    tol = 2e-6 if name == "cumulative_sums" else 1e-6
    assert out[index].p_value == pytest.approx(expected, abs=tol)


@pytest.fixture(scope="module")
def data_e():
    return Bits(_e(N))


def test_worked_examples_on_data_e(data_e):
    assert nist.rank(_e(100_000))[0].p_value == pytest.approx(0.532069, abs=1e-6)
    assert nist.overlapping_template(data_e, m=9, block_size=1032)[0].p_value == pytest.approx(0.110434, abs=1e-6)
    assert nist.linear_complexity(data_e, block_size=1000)[0].p_value == pytest.approx(0.845406, abs=1e-6)
    p1, p2 = nist.serial(data_e, m=2)
    assert (p1.p_value, p2.p_value) == (pytest.approx(0.843764, abs=1e-6), pytest.approx(0.561915, abs=1e-6))


def test_overlapping_probabilities_are_sts_values():
    from qrand.nist.templates import overlapping_probabilities

    pis = overlapping_probabilities(9, 1032)
    expected = [0.367879, 0.183940, 0.137955, 0.099634, 0.069935, 0.140657]
    assert pis == pytest.approx(expected, abs=1e-6)


def test_random_excursions_example_default_uses_exact_probabilities():
    # visits of +1 per cycle are (1, 1, 0... ) -> nu = [1, 1, 0, 1, 0, 0]; with sts's exact table
    # chi2 = 13/3, while the document's 4-decimal table gives its printed 4.333033
    exact = nist.random_excursions("0110110101", strict=False)[4]
    rounded = nist.random_excursions("0110110101", strict=False, prob_decimals=4)[4]
    assert exact.details["counts"] == [1, 1, 0, 1, 0, 0]
    assert exact.statistic == pytest.approx(13 / 3)
    assert rounded.statistic == pytest.approx(4.333033, abs=1e-6)
