"""Bit input for the NIST battery: arrays, bytes, ASCII and raw binary files.

Bits are always handed around as a 1-D ``numpy.uint8`` array of 0s and 1s
(one byte per bit). Inputs understood:

* NumPy arrays / sequences of 0 and 1 (bool or integer dtype);
* ``str``: NIST ASCII, the characters ``'0'``/``'1'`` with any whitespace;
* ``bytes``/``bytearray``/``memoryview``: raw binary, most significant bit first;
* files: NIST ASCII (``format="ascii"``), raw binary (``format="binary"``,
  MSB first), or ``format="auto"`` (ASCII when the file's first 64 KiB contain
  only ``0``, ``1`` and whitespace, raw binary otherwise); a ``.npy`` file
  holds a 0/1 array.

:func:`iter_streams` reads a file stream by stream in fixed-size chunks, so a
file of 100 x 10^6 bits never sits in memory at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import QrandError

FORMATS = ("auto", "ascii", "binary")
_WHITESPACE = b" \t\n\r\v\f"
_ASCII_OK = np.zeros(256, dtype=bool)
_ASCII_OK[[ord("0"), ord("1")] + list(_WHITESPACE)] = True
_CHUNK = 1 << 22  # bytes read per chunk


def as_bits(data: Any, *, name: str = "input") -> np.ndarray:
    """Return ``data`` as a 1-D uint8 array of 0/1 (see the module docstring).

    Raises
    ------
    QrandError
        Empty input, values other than 0/1, characters other than 0/1/whitespace.
    """
    if isinstance(data, np.ndarray) and data.dtype == np.uint8 and data.ndim == 1:
        bits = data
    elif isinstance(data, str):
        bits = _ascii_to_bits(np.frombuffer(data.encode("latin-1", "replace"), dtype=np.uint8), name)
    elif isinstance(data, (bytes, bytearray, memoryview)):
        bits = np.unpackbits(np.frombuffer(bytes(data), dtype=np.uint8))
    else:
        try:
            arr = np.asarray(data)
        except Exception as exc:  # noqa: BLE001 - anything numpy cannot take
            raise QrandError(f"{name}: cannot read bits from {type(data).__name__}") from exc
        if arr.size == 0:
            raise QrandError(f"{name}: no bits (empty input)")
        if arr.dtype == bool:
            arr = arr.astype(np.uint8)
        if arr.ndim != 1:
            arr = arr.reshape(-1)
        if arr.dtype.kind not in "biu":
            raise QrandError(f"{name}: bits must be integers 0/1, got dtype {arr.dtype}")
        if arr.size and (arr.min() < 0 or arr.max() > 1):
            raise QrandError(f"{name}: bits must be 0 or 1, found values in [{arr.min()}, {arr.max()}]")
        bits = arr.astype(np.uint8, copy=False)
    if bits.size == 0:
        raise QrandError(f"{name}: no bits (empty input)")
    if bits is data and bits.size and bits.max() > 1:
        raise QrandError(f"{name}: bits must be 0 or 1, found a value {int(bits.max())}")
    return bits


def _ascii_to_bits(raw: np.ndarray, name: str, offset: int = 0) -> np.ndarray:
    """'0'/'1' bytes with whitespace -> 0/1 array; anything else is an error."""
    ok = _ASCII_OK[raw]
    if not ok.all():
        pos = int(np.argmin(ok))
        raise QrandError(
            f"{name}: not NIST ASCII bits: byte {int(raw[pos])} ({chr(raw[pos])!r}) at offset {offset + pos}; "
            "only '0', '1' and whitespace are allowed (use format='binary' for raw bytes)"
        )
    digits = raw[(raw == ord("0")) | (raw == ord("1"))]
    return (digits - ord("0")).astype(np.uint8)


def detect_format(path: str | os.PathLike) -> str:
    """``"ascii"`` if the first 64 KiB are only 0/1/whitespace, else ``"binary"``; ``.npy`` -> ``"npy"``."""
    path = Path(path)
    if path.suffix == ".npy":
        return "npy"
    with open(path, "rb") as fh:
        head = np.frombuffer(fh.read(1 << 16), dtype=np.uint8)
    if head.size and _ASCII_OK[head].all():
        return "ascii"
    return "binary"


def _check_path(path: str | os.PathLike, fmt: str) -> tuple[Path, str]:
    path = Path(path)
    if fmt not in FORMATS + ("npy",):
        raise QrandError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if not path.is_file():
        raise QrandError(f"no such file: {path}")
    if path.stat().st_size == 0:
        raise QrandError(f"{path}: file is empty")
    return path, detect_format(path) if fmt == "auto" else fmt


def iter_chunks(path: str | os.PathLike, *, format: str = "auto") -> Iterator[np.ndarray]:
    """Successive 0/1 arrays read from a bit file (about 4 MiB at a time; never the whole file)."""
    path, fmt = _check_path(path, format)
    if fmt == "npy":
        arr = np.load(path, mmap_mode="r", allow_pickle=False)
        flat = arr.reshape(-1)
        for start in range(0, flat.size, _CHUNK * 8):
            yield as_bits(np.asarray(flat[start:start + _CHUNK * 8]), name=str(path))
        return
    offset = 0
    with open(path, "rb") as fh:
        while True:
            raw = fh.read(_CHUNK)
            if not raw:
                return
            buf = np.frombuffer(raw, dtype=np.uint8)
            if fmt == "ascii":
                yield _ascii_to_bits(buf, str(path), offset)
            else:
                yield np.unpackbits(buf)
            offset += len(raw)


def read_bits(path: str | os.PathLike, n_bits: int | None = None, *, format: str = "auto") -> np.ndarray:
    """Read the first ``n_bits`` bits (all if ``None``) of a bit file.

    Parameters
    ----------
    path : path-like
        NIST ASCII, raw binary (MSB first) or ``.npy`` file.
    n_bits : int, optional
        Bits to read; the file must hold at least this many.
    format : {"auto", "ascii", "binary"}
        How to read the file (see the module docstring).
    """
    return next(iter_streams(path, n_bits, streams=1, format=format))


def iter_streams(path: str | os.PathLike, n_bits: int | None, streams: int | None = None, *,
                 format: str = "auto") -> Iterator[np.ndarray]:
    """Yield consecutive streams of ``n_bits`` bits from a file, one at a time.

    Parameters
    ----------
    n_bits : int or None
        Bits per stream; ``None`` reads the whole file as one stream.
    streams : int, optional
        Number of streams to yield (default: as many complete streams as the
        file holds). Asking for more than the file holds is an error.
    """
    path, fmt = _check_path(path, format)
    if n_bits is None:
        if streams not in (None, 1):
            raise QrandError("give the stream length (n_bits) to read several streams")
        parts = list(iter_chunks(path, format=fmt))
        bits = np.concatenate(parts) if parts else np.zeros(0, np.uint8)
        if bits.size == 0:
            raise QrandError(f"{path}: no bits found")
        yield bits
        return
    yield from split_streams(iter_chunks(path, format=fmt), n_bits, streams, name=str(path))


def split_streams(chunks: Iterable[np.ndarray], n_bits: int, streams: int | None = None, *,
                  name: str = "input") -> Iterator[np.ndarray]:
    """Regroup successive bit chunks into streams of exactly ``n_bits`` (holding at most one stream).

    ``streams=None`` yields every complete stream; otherwise exactly ``streams``
    of them, and running out first is a :class:`QrandError`.
    """
    if isinstance(n_bits, bool) or not isinstance(n_bits, (int, np.integer)) or n_bits < 1:
        raise QrandError(f"n_bits must be a positive integer, got {n_bits!r}")
    if streams is not None and (isinstance(streams, bool) or int(streams) < 1):
        raise QrandError(f"streams must be a positive integer, got {streams!r}")
    n_bits = int(n_bits)
    pending: list[np.ndarray] = []
    have = done = 0
    for chunk in chunks:
        pending.append(chunk)
        have += chunk.size
        while have >= n_bits and (streams is None or done < streams):
            joined = np.concatenate(pending) if len(pending) > 1 else pending[0]
            yield np.ascontiguousarray(joined[:n_bits])
            rest = joined[n_bits:]
            pending, have = ([rest] if rest.size else []), rest.size
            done += 1
        if streams is not None and done >= streams:
            return
    if done == 0 or (streams is not None and done < streams):
        total = done * n_bits + have
        raise QrandError(f"{name}: too short: holds {total} bits, need {n_bits * (streams or 1)} "
                         f"({streams or 1} stream(s) of {n_bits})")
