"""qrand.bits: classical sources, seeding, extractors."""

from __future__ import annotations

import numpy as np
import pytest

from qrand import bits
from qrand.bits.extractors import toeplitz_seed_bits
from qrand.bits.sources import LCG16_A, LCG16_C
from qrand.errors import QrandError
from qrand.seeding.tree import SeedTree

SEEDED = ["pcg64", "mt19937", "philox", "python", "lcg16", "biased:0.3"]


@pytest.mark.parametrize("name", SEEDED + ["os", "secrets"])
@pytest.mark.parametrize("n", [1, 13, 4096])
def test_sources_return_exact_length_of_bits(name, n):
    out = bits.source(name, n, seed=1)
    assert out.dtype == np.uint8 and out.shape == (n,) and set(np.unique(out)) <= {0, 1}


@pytest.mark.parametrize("name", SEEDED)
def test_seeded_sources_are_reproducible_and_seed_dependent(name):
    a = bits.source(name, 5000, seed=7)
    assert np.array_equal(a, bits.source(name, 5000, seed=7))
    assert np.array_equal(a, bits.source(name, 5000, seed=SeedTree(7)))
    assert not np.array_equal(a, bits.source(name, 5000, seed=8))
    assert np.array_equal(bits.source(name, 100, seed=7), a[:100])  # a prefix, not a new stream


def test_os_sources_are_not_repeatable():
    assert not np.array_equal(bits.source("os", 256, seed=1), bits.source("os", 256, seed=1))
    assert not np.array_equal(bits.source("secrets", 256), bits.source("secrets", 256))


def test_pcg64_bits_are_the_generators_bytes():
    node = SeedTree(5).child("bits", "pcg64")
    raw = np.random.Generator(np.random.PCG64(node.seed_sequence())).bytes(10)
    assert np.array_equal(bits.source("pcg64", 80, seed=5), np.unpackbits(np.frombuffer(raw, np.uint8)))


def test_python_bits_are_getrandbits_words():
    rng = SeedTree(5).child("bits", "python").python()
    expected = "".join(format(rng.getrandbits(32), "032b") for _ in range(3))
    assert "".join(map(str, bits.source("python", 96, seed=5))) == expected


def test_lcg16_follows_its_recurrence():
    out = bits.source("lcg16", 16 * 50, seed=3)
    words = np.packbits(out).view(">u2").astype(int)
    assert all(words[i + 1] == (LCG16_A * words[i] + LCG16_C) % 65536 for i in range(49))
    assert np.all(np.diff(out[15::16].astype(int)) != 0)  # the low bit alternates


def test_biased_source_probability():
    out = bits.source("biased:0.7", 200_000, seed=2)
    assert out.mean() == pytest.approx(0.7, abs=0.005)
    assert bits.source("biased:0", 100, seed=1).sum() == 0


def test_jax_threefry_source():
    pytest.importorskip("jax")
    a = bits.source("jax-threefry", 1000, seed=4)
    assert a.shape == (1000,) and np.array_equal(a, bits.source("jax-threefry", 1000, seed=4))
    assert not np.array_equal(a, bits.source("jax-threefry", 1000, seed=5))
    assert 0.4 < a.mean() < 0.6


@pytest.mark.parametrize("name,n,match", [
    ("nope", 10, "unknown bit source"),
    ("", 10, "non-empty"),
    ("biased:abc", 10, "probability"),
    ("biased:1.5", 10, "probability"),
    ("biased", 10, "probability"),
    ("pcg64:3", 10, "takes no"),
    ("pcg64", 0, "positive"),
    ("pcg64", 2.5, "positive"),
    ("quantum:foo", 10, "unknown quantum source"),
    ("quantum:default.mixed", 10, "needs a profile"),
    ("quantum:default.qubit:manila", 10, "takes no profile"),
])
def test_bad_source_arguments(name, n, match):
    with pytest.raises(QrandError, match=match):
        bits.source(name, n, seed=1)


def test_von_neumann():
    assert bits.von_neumann("01 10 00 11 10 0").tolist() == [0, 1, 1]
    biased = bits.source("biased:0.8", 400_000, seed=3)
    out = bits.von_neumann(biased)
    assert out.size == pytest.approx(200_000 * 2 * 0.8 * 0.2, rel=0.02)
    assert out.mean() == pytest.approx(0.5, abs=0.01)


def test_toeplitz_matches_explicit_matrix_product():
    x = bits.source("biased:0.6", 3 * 64 + 5, seed=9)
    out = bits.toeplitz(x, seed=1, block=64, out=24)
    t = toeplitz_seed_bits(1, 64, 24).astype(int)
    matrix = np.array([[t[i - j + 63] for j in range(64)] for i in range(24)])
    want = np.concatenate([(matrix @ x[k * 64:(k + 1) * 64].astype(int)) % 2 for k in range(3)])
    assert out.tolist() == want.tolist()
    assert np.array_equal(out, bits.toeplitz(x, seed=1, block=64, out=24))
    assert not np.array_equal(out, bits.toeplitz(x, seed=2, block=64, out=24))
    assert bits.toeplitz(x, seed=1).size == 0  # shorter than one default block


def test_toeplitz_removes_bias():
    out = bits.toeplitz(bits.source("biased:0.6", 200_000, seed=4), seed=5)
    assert out.size == 195 * 512
    assert out.mean() == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("kwargs,match", [({"block": 1}, "block"), ({"block": 8, "out": 9}, "out"),
                                          ({"out": 0}, "out")])
def test_toeplitz_bad_options(kwargs, match):
    with pytest.raises(QrandError, match=match):
        bits.toeplitz(np.zeros(100, np.uint8), **kwargs)


def test_extract_dispatch_errors():
    with pytest.raises(QrandError, match="unknown extractor"):
        bits.extract(np.zeros(10, np.uint8), "md5")
    with pytest.raises(QrandError, match="no options"):
        bits.extract(np.zeros(10, np.uint8), "vn", block=3)
    with pytest.raises(QrandError, match="unknown extractor"):
        bits.generate("pcg64", 10, seed=1, extract="md5")


@pytest.mark.parametrize("method", ["vn", "toeplitz"])
def test_generate_with_extractor_gives_exact_length(method):
    out = bits.generate("biased:0.9", 20_000, seed=3, extract=method)
    assert out.size == 20_000
    assert np.array_equal(out, bits.generate("biased:0.9", 20_000, seed=3, extract=method))
    assert out.mean() == pytest.approx(0.5, abs=0.02)


def test_generate_from_a_constant_source_is_an_error():
    with pytest.raises(QrandError, match="no bits"):
        bits.generate("biased:1", 1000, seed=1, extract="vn")
    assert bits.generate("biased:0.97", 5000, seed=1, extract="vn").size == 5000  # several rounds


def test_extract_chunks_equals_whole_input():
    raw = bits.source("biased:0.7", 10_001, seed=6)
    chunks = [raw[:333], raw[333:5000], raw[5000:]]
    for method in ("vn", "toeplitz"):
        whole = bits.extract(raw, method, seed=2)
        pieces = np.concatenate(list(bits.extract_chunks(iter(chunks), method, seed=2)))
        assert np.array_equal(whole, pieces)


def test_streams_are_independent_and_replayable():
    a = list(bits.streams("philox", 1000, 3, seed=12))
    b = list(bits.streams("philox", 1000, 3, seed=12))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], a[1])
    assert np.array_equal(a[2], bits.generate("philox", 1000, SeedTree(12).child("stream", 2)))
    with pytest.raises(QrandError, match="n_streams"):
        next(bits.streams("philox", 10, 0))


def test_source_names_lists_everything():
    names = bits.source_names()
    for name in ["os", "secrets", "pcg64", "mt19937", "philox", "python", "jax-threefry", "lcg16", "biased:p",
                 "quantum:default.qubit", "quantum:aer", "quantum:aer:PROFILE", "quantum:default.mixed:PROFILE"]:
        assert name in names
