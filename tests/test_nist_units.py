"""The vectorised kernels of qrand.nist against plain scalar implementations, and input checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qrand import nist
from qrand.errors import QrandError
from qrand.nist import Bits
from qrand.nist.complexity import linear_complexities
from qrand.nist.frequency import longest_run_per_block
from qrand.nist.matrix import gf2_ranks, rank_probabilities


def _rng(seed):
    return np.random.default_rng(seed)


def _scalar_bm(seq) -> int:
    """Textbook Berlekamp-Massey over GF(2)."""
    n = len(seq)
    c, b = [0] * (n + 1), [0] * (n + 1)
    c[0] = b[0] = 1
    length, m = 0, -1
    for i in range(n):
        d = seq[i]
        for j in range(1, length + 1):
            d ^= c[j] & seq[i - j]
        if d:
            t = c[:]
            for j in range(n + 1 - (i - m)):
                c[j + i - m] ^= b[j]
            if 2 * length <= i:
                length, m, b = i + 1 - length, i, t
    return length


@pytest.mark.parametrize("block", [7, 64, 65, 130])
def test_linear_complexity_matches_scalar_berlekamp_massey(block):
    bits = _rng(block).integers(0, 2, block * 12, dtype=np.uint8)
    got = linear_complexities(bits, block)
    want = [_scalar_bm(list(map(int, bits[i * block:(i + 1) * block]))) for i in range(12)]
    assert got.tolist() == want


def test_linear_complexity_of_known_sequences():
    # an LFSR with connection polynomial 1 + x + x^4 (period 15) has complexity 4; all-zero has 0
    state = [1, 0, 0, 1]
    for _ in range(60):
        state.append(state[-1] ^ state[-4])
    seqs = np.array(state[:64] + [0] * 64 + [0] * 63 + [1], dtype=np.uint8)
    assert linear_complexities(seqs, 64).tolist() == [4, 0, 64]


def _scalar_rank(matrix) -> int:
    rows = [int("".join(map(str, row)), 2) for row in matrix]
    rank = 0
    for bit in reversed(range(matrix.shape[1])):
        pivot = next((r for r in rows if r >> bit & 1), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        rows = [r ^ pivot if r >> bit & 1 else r for r in rows]
        rank += 1
    return rank


@pytest.mark.parametrize("shape", [(32, 32), (6, 6), (5, 9)])
def test_gf2_ranks_match_scalar_elimination(shape):
    rows, cols = shape
    rng = _rng(rows * cols)
    bits = rng.integers(0, 2, rows * cols * 40, dtype=np.uint8)
    # include low-rank matrices: copy rows in some of them
    mats = bits.reshape(40, rows, cols)
    mats[::3, 1] = mats[::3, 0]
    mats[::5, : rows // 2] = 0
    got = gf2_ranks(mats.reshape(-1), rows, cols)
    assert got.tolist() == [_scalar_rank(m) for m in mats]


def test_rank_probabilities_match_document():
    p32, p31, p30 = rank_probabilities(32, 32)
    assert (p32, p31, p30) == (pytest.approx(0.2888, abs=1e-4), pytest.approx(0.5776, abs=1e-4),
                               pytest.approx(0.1336, abs=1e-4))


def test_window_codes_match_naive():
    bits = _rng(1).integers(0, 2, 1001, dtype=np.uint8)
    b = Bits(bits)
    for m in (1, 3, 9, 16, 17, 30):
        ext = np.concatenate([bits, bits[: m - 1]])
        naive = np.array([int("".join(map(str, ext[i:i + m])), 2) for i in range(bits.size)])
        assert b.codes(m, wrap=True).tolist() == naive.tolist()
        assert b.codes(m, wrap=False).tolist() == naive[: bits.size - m + 1].tolist()


def test_window_codes_on_short_sequences():
    b = Bits("101")
    assert b.codes(2, wrap=True).tolist() == [0b10, 0b01, 0b11]
    assert b.codes(5, wrap=True).tolist() == [0b10110, 0b01101, 0b11011]


def test_longest_run_per_block_matches_naive():
    bits = _rng(2).integers(0, 2, 128 * 20, dtype=np.uint8)
    bits[:128] = 1
    bits[128:256] = 0

    def naive(block):
        best = run = 0
        for bit in block:
            run = run + 1 if bit else 0
            best = max(best, run)
        return best

    assert longest_run_per_block(bits, 128).tolist() == [naive(bits[i:i + 128]) for i in range(0, bits.size, 128)]


def test_aperiodic_templates():
    templates = nist.aperiodic_templates(9)
    assert len(templates) == 148
    assert templates[:3] == ["000000001", "000000011", "000000101"]
    assert templates[-1] == "111111110"
    assert [len(nist.aperiodic_templates(m)) for m in range(2, 11)] == [2, 4, 6, 12, 20, 40, 74, 148, 284]


def test_non_overlapping_counts_match_scan():
    bits = _rng(3).integers(0, 2, 4000, dtype=np.uint8)
    out = nist.non_overlapping_template(bits, templates=["0001", "1111", "0101"], blocks=4, strict=False)

    def scan(block, template):
        count, i, m = 0, 0, len(template)
        s = "".join(map(str, block))
        while i <= len(s) - m:
            if s[i:i + m] == template:
                count, i = count + 1, i + m
            else:
                i += 1
        return count

    for r in out:
        want = [scan(bits[i * 1000:(i + 1) * 1000], r.variant) for i in range(4)]
        assert r.details["counts"] == want  # "1111" and "0101" are periodic: the skip rule matters


def test_periodic_templates_are_not_applicable_when_strict():
    bits = _rng(3).integers(0, 2, 100_000, dtype=np.uint8)
    out = nist.non_overlapping_template(bits, templates=["000000001", "111111111", "010101010"])
    assert [r.applicable for r in out] == [True, False, False]
    assert "periodic" in out[1].reason


def test_universal_distances_match_sts_loop():
    bits = _rng(4).integers(0, 2, 3 * (40 + 300), dtype=np.uint8)
    r = nist.universal(bits, block_length=3, init_blocks=40, strict=False)[0]
    table, total = {}, 0.0
    words = [int("".join(map(str, bits[i * 3:i * 3 + 3])), 2) for i in range(340)]
    for i, w in enumerate(words[:40], start=1):
        table[w] = i
    for i, w in enumerate(words[40:], start=41):
        total += math.log2(i - table.get(w, 0))
        table[w] = i
    assert r.statistic == pytest.approx(total / 300)


def test_excursion_visits_match_naive_cycles():
    bits = _rng(5).integers(0, 2, 20000, dtype=np.uint8)
    out = nist.random_excursions(bits, strict=False)
    walk = np.cumsum(2 * bits.astype(int) - 1)
    cycles, current = [], []
    for s in walk:
        if s == 0:
            cycles.append(current)
            current = []
        else:
            current.append(s)
    if walk[-1] != 0:
        cycles.append(current)
    for r in out:
        x = int(r.variant)
        visits = [min(c.count(x), 5) for c in cycles]
        assert r.details["counts"] == [visits.count(k) for k in range(6)]
        assert r.details["cycles"] == len(cycles)
    variant = {r.variant: r.statistic for r in nist.random_excursions_variant(bits, strict=False)}
    assert variant["+3"] == np.count_nonzero(walk == 3)


def test_strict_reports_not_applicable_with_reason():
    short = _rng(6).integers(0, 2, 50, dtype=np.uint8)
    for name in nist.TESTS:
        out = nist.TESTS[name](short)
        assert out and all(not r.applicable and r.p_value is None and r.passed is None for r in out)
        assert all(r.reason for r in out)


def test_runs_pretest_failure_gives_zero():
    r = nist.runs(np.ones(200, dtype=np.uint8))[0]
    assert r.applicable and r.p_value == 0.0 and r.passed is False and r.statistic is None


def test_constant_sequence_fails_frequency():
    r = nist.frequency(np.zeros(1000, dtype=np.uint8))[0]
    assert r.p_value < 1e-100 and not r.passed


def test_battery_rejects_unknown_tests_and_parameters():
    bits = _rng(7).integers(0, 2, 2000, dtype=np.uint8)
    with pytest.raises(QrandError, match="unknown test"):
        nist.battery(bits, tests="frequency,nope")
    with pytest.raises(QrandError, match="unknown parameter"):
        nist.battery(bits, tests="frequency", params={"frequency": {"block_size": 3}})
    with pytest.raises(QrandError, match="unknown test"):
        nist.battery(bits, params={"bogus": {}})
    with pytest.raises(QrandError, match="alpha"):
        nist.battery(bits, alpha=1.5)
    with pytest.raises(QrandError, match="block_size"):
        nist.block_frequency(bits, block_size=0)
    with pytest.raises(QrandError, match="sigma"):
        nist.universal(bits, sigma="x")
    with pytest.raises(QrandError, match="template"):
        nist.non_overlapping_template(bits, templates=["01a"])


def test_battery_parameters_are_used():
    bits = _rng(8).integers(0, 2, 50_000, dtype=np.uint8)
    default = nist.battery(bits, tests="block_frequency")[0]
    changed = nist.battery(bits, tests="block_frequency", params={"block_frequency": {"block_size": 1000}})[0]
    assert default.details["block_size"] == 128 and changed.details["block_size"] == 1000
    assert default.statistic != changed.statistic
    assert nist.parameters_of("serial") == {"m": 16}


def test_run_battery_frame_is_tidy():
    bits = _rng(9).integers(0, 2, 20_000, dtype=np.uint8)
    frame = nist.run_battery(bits, tests=["frequency", "cumulative_sums"], alpha=0.05)
    assert list(frame.columns) == nist.COLUMNS
    assert frame["test"].tolist() == ["frequency", "cumulative_sums", "cumulative_sums"]
    assert frame["variant"].tolist()[1:] == ["forward", "reverse"]
    assert (frame["passed"] == (frame["p_value"] >= 0.05)).all()


def test_battery_memory_stays_small():
    import tracemalloc

    bits = _rng(10).integers(0, 2, 1_000_000, dtype=np.uint8)
    nist.battery(bits[:100_000])  # imports and caches outside the measurement
    tracemalloc.start()
    try:
        nist.battery(bits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 500 * 2**20
