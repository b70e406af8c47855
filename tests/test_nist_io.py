"""Reading bits for qrand.nist: arrays, bytes, ASCII/binary/.npy files, streaming, malformed input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qrand.errors import QrandError
from qrand.nist import as_bits, iter_streams, read_bits
from qrand.nist import io as nist_io

DATA = Path(__file__).parent / "data"


def test_as_bits_inputs():
    assert as_bits("10 1\n1").tolist() == [1, 0, 1, 1]
    assert as_bits(b"\xa0").tolist() == [1, 0, 1, 0, 0, 0, 0, 0]  # MSB first
    assert as_bits([True, False]).tolist() == [1, 0]
    assert as_bits(np.array([[0, 1], [1, 1]], dtype=np.int64)).tolist() == [0, 1, 1, 1]
    assert as_bits(np.array([0, 1], dtype=np.uint8)).dtype == np.uint8


@pytest.mark.parametrize("bad,match", [
    ("10x1", "byte 120"),
    ("", "empty"),
    (np.array([0, 2]), "0 or 1"),
    (np.array([0, 1], dtype=np.uint8) * 3, "0 or 1"),
    (np.array([0.5, 1.0]), "integers"),
    ([], "empty"),
    (b"", "empty"),
])
def test_as_bits_rejects_malformed(bad, match):
    with pytest.raises(QrandError, match=match):
        as_bits(bad)


def test_data_e_starts_with_integer_part():
    bits = read_bits(DATA / "data.e", 12)
    assert "".join(map(str, bits)) == "101011011111"  # e = 10.1011011111... in binary


def test_binary_file_msb_first_and_autodetect(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(bytes([0b10000001, 0xFF, 0x00]))
    assert read_bits(path).tolist() == [1, 0, 0, 0, 0, 0, 0, 1] + [1] * 8 + [0] * 8
    assert read_bits(DATA / "data.sha1").size == 1_000_000


def test_ascii_format_forced_on_binary_is_an_error(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(bytes([0, 1, 2]))
    with pytest.raises(QrandError, match="offset 0"):
        read_bits(path, format="ascii")


def test_npy_file(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.array([1, 0, 1], dtype=np.uint8))
    assert read_bits(path).tolist() == [1, 0, 1]


@pytest.mark.parametrize("content,match", [(b"", "empty"), (b"  \n\t", "no bits")])
def test_empty_files(tmp_path, content, match):
    path = tmp_path / "e.txt"
    path.write_bytes(content)
    with pytest.raises(QrandError, match=match):
        read_bits(path)


def test_missing_file_and_bad_format(tmp_path):
    with pytest.raises(QrandError, match="no such file"):
        read_bits(tmp_path / "nope")
    (tmp_path / "a.txt").write_text("0101")
    with pytest.raises(QrandError, match="format"):
        read_bits(tmp_path / "a.txt", format="hex")


def test_too_short_file(tmp_path):
    (tmp_path / "a.txt").write_text("0101")
    with pytest.raises(QrandError, match="too short: holds 4 bits, need 8"):
        read_bits(tmp_path / "a.txt", 8)
    with pytest.raises(QrandError, match="too short"):
        list(iter_streams(tmp_path / "a.txt", 2, streams=3))


def test_iter_streams_reads_in_chunks(tmp_path, monkeypatch):
    # chunks much smaller than a stream and not aligned with it; bits span line breaks
    monkeypatch.setattr(nist_io, "_CHUNK", 7)
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2, 1000, dtype=np.uint8)
    text = "\n".join("".join(map(str, bits[i:i + 33])) for i in range(0, 1000, 33))
    path = tmp_path / "s.txt"
    path.write_text(text)
    streams = list(iter_streams(path, 90))
    assert len(streams) == 11  # 1000 // 90, remainder dropped
    assert np.array_equal(np.concatenate(streams), bits[:990])
    first_two = list(iter_streams(path, 90, streams=2))
    assert np.array_equal(np.concatenate(first_two), bits[:180])
    binary = tmp_path / "s.bin"
    binary.write_bytes(np.packbits(bits[:992]).tobytes())
    assert np.array_equal(np.concatenate(list(iter_streams(binary, 100, streams=9))), bits[:900])


def test_iter_streams_is_lazy(tmp_path, monkeypatch):
    monkeypatch.setattr(nist_io, "_CHUNK", 16)
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(range(256)) * 10)
    seen = []
    original = nist_io.iter_chunks

    def counting(*args, **kwargs):
        for chunk in original(*args, **kwargs):
            seen.append(chunk.size)
            yield chunk

    monkeypatch.setattr(nist_io, "iter_chunks", counting)
    first = next(iter_streams(path, 256))
    assert first.size == 256 and sum(seen) <= 256 + 128  # only what the first stream needs was read
