"""``qrand nist``: the --json shape, the text report, files, sources, extractors and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qrand import bits
from qrand.cli import main

DATA = Path(__file__).parent / "data"
KEYS = {"test", "variant", "statistic", "p_value", "passed", "applicable"}
NAMES = ["frequency", "block_frequency", "cumulative_sums", "runs", "longest_run", "rank", "dft",
         "non_overlapping_template", "overlapping_template", "universal", "approximate_entropy",
         "random_excursions", "random_excursions_variant", "linear_complexity", "serial"]


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def _check_shape(doc):
    assert set(doc) == {"n_bits", "streams", "results"}
    assert isinstance(doc["n_bits"], int) and isinstance(doc["streams"], int)
    for row in doc["results"]:
        assert set(row) == KEYS
        assert row["test"] in NAMES
        assert row["variant"] is None or isinstance(row["variant"], str)
        for key in ("statistic", "p_value"):
            assert row[key] is None or isinstance(row[key], float)
        assert row["passed"] is None or isinstance(row["passed"], bool)
        assert isinstance(row["applicable"], bool)
        if not row["applicable"]:
            assert row["p_value"] is None and row["passed"] is None


def test_json_full_battery_on_data_e(capsys):
    doc = _json(capsys, ["nist", str(DATA / "data.e"), "--bits", "1000000", "--json"])
    _check_shape(doc)
    assert (doc["n_bits"], doc["streams"]) == (1_000_000, 1)
    rows = doc["results"]
    assert list(dict.fromkeys(r["test"] for r in rows)) == NAMES and len(rows) == 188
    variants = {r["test"]: [] for r in rows}
    for r in rows:
        variants[r["test"]].append(r["variant"])
    assert variants["cumulative_sums"] == ["forward", "reverse"]
    assert variants["serial"] == ["p1", "p2"]
    assert variants["non_overlapping_template"][0] == "000000001" and len(variants["non_overlapping_template"]) == 148
    assert variants["random_excursions"] == ["-4", "-3", "-2", "-1", "+1", "+2", "+3", "+4"]
    assert variants["random_excursions_variant"][0] == "-9" and variants["random_excursions_variant"][-1] == "+9"
    freq = rows[0]
    assert freq["p_value"] == pytest.approx(0.953749, abs=1e-6) and freq["passed"] is True


def test_json_not_applicable_on_data_sha1(capsys):
    doc = _json(capsys, ["nist", str(DATA / "data.sha1"), "--json", "--tests",
                         "random_excursions,random_excursions_variant"])
    _check_shape(doc)
    assert len(doc["results"]) == 26 and not any(r["applicable"] for r in doc["results"])


def test_json_several_streams_from_a_source(capsys):
    argv = ["nist", "--source", "pcg64", "--bits", "20000", "--streams", "4", "--seed", "5",
            "--tests", "frequency,cumulative_sums", "--json"]
    doc = _json(capsys, argv)
    _check_shape(doc)
    assert (doc["n_bits"], doc["streams"]) == (20000, 4)
    assert [(r["test"], r["variant"]) for r in doc["results"]] == [
        ("frequency", None), ("cumulative_sums", "forward"), ("cumulative_sums", "reverse")]
    for r in doc["results"]:
        assert r["statistic"] in (0.0, 0.25, 0.5, 0.75, 1.0)  # proportion of the 4 streams that passed
    assert _json(capsys, argv) == doc  # seeded: the same document again


def test_biased_source_fails_in_cli(capsys):
    doc = _json(capsys, ["nist", "--source", "biased:0.51", "--bits", "1000000", "--seed", "1",
                         "--tests", "frequency", "--json"])
    assert doc["results"][0]["passed"] is False
    doc = _json(capsys, ["nist", "--source", "biased:0.51", "--bits", "200000", "--seed", "1",
                         "--tests", "frequency", "--extract", "vn", "--json"])
    assert doc["n_bits"] == 200_000 and doc["results"][0]["applicable"]


def test_set_parameters(capsys):
    doc = _json(capsys, ["nist", str(DATA / "data.e"), "--bits", "1000000", "--tests", "serial",
                         "--set", "serial.m=2", "--json"])
    assert [r["p_value"] for r in doc["results"]] == [pytest.approx(0.843764, abs=1e-6),
                                                      pytest.approx(0.561915, abs=1e-6)]


def test_text_report(capsys):
    assert main(["nist", str(DATA / "data.pi"), "--bits", "1000000", "--tests", "frequency,random_excursions"]) == 0
    out = capsys.readouterr().out
    assert "frequency" in out and "0.578211" in out and "SUCCESS" in out
    assert "+1" in out and "0.844143" in out


def test_text_report_streams_like_sts(capsys):
    assert main(["nist", "--source", "lcg16", "--bits", "100000", "--streams", "3", "--seed", "1",
                 "--tests", "frequency,rank"]) == 0
    out = capsys.readouterr().out
    assert "C1" in out and "PROPORTION" in out and "STATISTICAL TEST" in out
    rank_line = [line for line in out.splitlines() if line.rstrip().endswith("rank")][0]
    assert "0/3" in rank_line and "*" in rank_line


def test_file_streams_with_extractor(tmp_path, capsys):
    raw = bits.source("biased:0.6", 400_000, seed=3)
    path = tmp_path / "biased.bin"
    path.write_bytes(np.packbits(raw).tobytes())
    plain = _json(capsys, ["nist", str(path), "--bits", "100000", "--streams", "2", "--tests", "frequency",
                           "--json"])
    assert plain["results"][0]["statistic"] == 0.0
    for method in ("vn", "toeplitz"):
        doc = _json(capsys, ["nist", str(path), "--bits", "40000", "--streams", "2", "--extract", method,
                             "--seed", "1", "--tests", "frequency", "--json"])
        assert doc["streams"] == 2 and doc["results"][0]["statistic"] >= 0.5


def test_out_writes_csv(tmp_path, capsys):
    out = tmp_path / "res"
    assert main(["nist", "--source", "philox", "--bits", "20000", "--streams", "2", "--seed", "1",
                 "--tests", "frequency", "--out", str(out)]) == 0
    import pandas as pd

    assert len(pd.read_csv(out / "per_stream.csv")) == 2
    assert pd.read_csv(out / "summary.csv")["streams"].tolist() == [2]


@pytest.mark.parametrize("argv,match", [
    (["nist"], "either a FILE or --source"),
    (["nist", "x.txt", "--source", "os"], "either a FILE or --source"),
    (["nist", "--source", "nope"], "unknown bit source"),
    (["nist", "--source", "os", "--tests", "frequency,bogus"], "unknown test"),
    (["nist", "--source", "os", "--bits", "10"], "--bits must be"),
    (["nist", "--source", "os", "--streams", "0"], "--streams must be"),
    (["nist", "--source", "os", "--seed", "abc"], "seed"),
    (["nist", "missing.txt"], "no such file"),
    (["nist", "--source", "os", "--set", "serial=2"], "TEST.PARAM=VALUE"),
    (["nist", "--source", "os", "--tests", "serial", "--set", "serial.q=2"], "unknown parameter"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, match):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert match in err and err.count("\n") == 1


def test_malformed_and_short_files(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("0101 0102\n")
    assert main(["nist", str(bad), "--format", "ascii"]) == 2
    assert "'2'" in capsys.readouterr().err
    short = tmp_path / "short.txt"
    short.write_text("0101")
    assert main(["nist", str(short)]) == 2
    assert "too short" in capsys.readouterr().err
    assert main(["nist", str(short), "--bits", "1000", "--streams", "2"]) == 2
    assert "too short" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert main(["nist", str(empty)]) == 2
    assert "empty" in capsys.readouterr().err
