"""``fingerprint(obj)``: a sha256 over canonical bytes of data a run depends on.

"Save the dataset, save the initial model state": a fingerprint is the cheap
way to record *which* data and parameters a run used. The bytes hashed are a
tagged, length-prefixed encoding, so that equal content gives an equal digest
in every process and on every machine, and different content (including a
different dtype, shape, column name or key order-insensitive dict) gives a
different one:

* NumPy arrays, JAX arrays (typed keys as their key data) and torch tensors:
  dtype (byte order made explicit), shape, then C-order bytes. A NumPy and a
  JAX array with the same dtype, shape and values have the same fingerprint.
* pandas ``DataFrame``/``Series``: index, column names, dtypes, values.
* ``dict`` (keys sorted by their encoding), ``list``/``tuple`` (in order),
  ``str``, ``bytes``, ``int``, ``float`` (exact, via ``float.hex``), ``bool``,
  ``None``.
* ``pathlib.Path``: the file's bytes (streamed), or a directory's files
  (relative names and contents, sorted). A plain ``str`` is text, not a path.

pandas and JAX are never imported here; an object is recognised by its type's
module when that library is already loaded.
"""

from __future__ import annotations

import hashlib
import math
import os
import struct
import sys
from pathlib import Path
from typing import Any

from ..errors import QrandError

_CHUNK = 1 << 20
_MAX_DEPTH = 200


class _Hasher:
    """Feeds tagged, length-prefixed items to one sha256."""

    def __init__(self) -> None:
        self.sha = hashlib.sha256()

    def item(self, tag: bytes, payload: bytes = b"") -> None:
        self.sha.update(tag + b":" + struct.pack("<Q", len(payload)) + payload)

    def open(self, tag: bytes, n: int) -> None:
        self.sha.update(tag + b"[" + struct.pack("<Q", n))


def _array_bytes(h: _Hasher, array: Any) -> None:
    import numpy as np

    array = np.asarray(array)
    if array.dtype.hasobject:
        h.open(b"objarray", array.size)
        h.item(b"shape", repr(tuple(array.shape)).encode())
        for value in array.ravel(order="C"):
            _feed(h, value, 1)
        return
    dtype = array.dtype.newbyteorder("<") if array.dtype.byteorder == ">" else array.dtype
    array = np.ascontiguousarray(array, dtype=dtype)
    h.item(b"dtype", array.dtype.str.encode() + (repr(array.dtype.descr).encode() if array.dtype.names else b""))
    h.item(b"shape", repr(tuple(int(n) for n in array.shape)).encode())
    h.item(b"data", memoryview(array).cast("B").tobytes() if array.size else b"")


def _frame_bytes(h: _Hasher, obj: Any, depth: int) -> None:
    if type(obj).__name__ == "Series":
        h.open(b"series", 1)
        _feed(h, None if obj.name is None else str(obj.name), depth + 1)
        _index_bytes(h, obj.index, depth)
        h.item(b"dtype", str(obj.dtype).encode())
        _array_bytes(h, obj.to_numpy())
        return
    h.open(b"frame", len(obj.columns))
    _index_bytes(h, obj.index, depth)
    for position, name in enumerate(obj.columns):
        column = obj.iloc[:, position]
        h.item(b"column", repr(name).encode())
        h.item(b"dtype", str(column.dtype).encode())
        _array_bytes(h, column.to_numpy())


def _index_bytes(h: _Hasher, index: Any, depth: int) -> None:
    h.item(b"index", type(index).__name__.encode())
    _array_bytes(h, index.to_numpy())


def _path_bytes(h: _Hasher, path: Path) -> None:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        h.open(b"dir", len(files))
        for file in files:
            h.item(b"name", file.relative_to(path).as_posix().encode())
            h.item(b"file", bytes.fromhex(file_sha256(file)))
        return
    h.item(b"file", bytes.fromhex(file_sha256(path)))


def _feed(h: _Hasher, obj: Any, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise QrandError(f"fingerprint: object nested deeper than {_MAX_DEPTH} levels")
    module = type(obj).__module__.split(".")[0]
    if obj is None:
        h.item(b"none")
    elif isinstance(obj, bool):
        h.item(b"bool", b"1" if obj else b"0")
    elif isinstance(obj, int):
        h.item(b"int", str(obj).encode())
    elif isinstance(obj, float):
        h.item(b"float", (repr(obj) if math.isnan(obj) or math.isinf(obj) else obj.hex()).encode())
    elif isinstance(obj, str):
        h.item(b"str", obj.encode("utf-8", "surrogatepass"))
    elif isinstance(obj, (bytes, bytearray, memoryview)):
        h.item(b"bytes", bytes(obj))
    elif isinstance(obj, Path):
        if not obj.exists():
            raise QrandError(f"fingerprint: no such file or directory: {obj}")
        _path_bytes(h, obj)
    elif isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            sub = _Hasher()
            _feed(sub, key, depth + 1)
            items.append((sub.sha.digest(), value))
        items.sort(key=lambda kv: kv[0])
        h.open(b"dict", len(items))
        for key_digest, value in items:
            h.item(b"key", key_digest)
            _feed(h, value, depth + 1)
    elif isinstance(obj, (list, tuple)):
        h.open(b"list", len(obj))
        for value in obj:
            _feed(h, value, depth + 1)
    elif module == "pandas" and type(obj).__name__ in ("DataFrame", "Series"):
        _frame_bytes(h, obj, depth)
    elif module in ("jax", "jaxlib") and "jax" in sys.modules:
        jax = sys.modules["jax"]
        if jax.dtypes.issubdtype(obj.dtype, jax.dtypes.prng_key):
            h.item(b"jaxkey", str(jax.random.key_impl(obj)).encode())
            obj = jax.random.key_data(obj)
        _array_bytes(h, obj)
    elif module == "torch" and hasattr(obj, "detach"):
        _array_bytes(h, obj.detach().cpu().numpy())
    elif module == "numpy" or hasattr(obj, "__array_interface__"):
        _array_bytes(h, obj)
    else:
        raise QrandError(
            f"fingerprint: cannot fingerprint a {type(obj).__module__}.{type(obj).__name__}; "
            "give arrays, DataFrames, dicts/lists of those, scalars, or a pathlib.Path"
        )


def fingerprint(obj: Any, *, name: str | None = None) -> str:
    """sha256 (hex) of ``obj``'s canonical bytes; dtype and shape included.

    Parameters
    ----------
    obj : array, DataFrame, Series, dict, list, scalar or pathlib.Path
        What to fingerprint (see the module docstring for the encoding).
    name : str, optional
        When given, the digest is also noted in the run record under ``name``
        (``qrand.seeding.record.current().fingerprints``), so the manifest of
        the run lists it.

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> import numpy as np
    >>> fingerprint(np.zeros(3)) == fingerprint(np.zeros(3, dtype=np.float32))
    False
    """
    h = _Hasher()
    h.item(b"qrand-fingerprint-v1")
    _feed(h, obj, 0)
    digest = h.sha.hexdigest()
    if name is not None:
        if not isinstance(name, str) or not name:
            raise QrandError(f"fingerprint name must be a non-empty str, got {name!r}")
        from ..seeding.record import current

        current().note_fingerprint(name, digest)
    return digest


def file_sha256(path: str | os.PathLike) -> str:
    """sha256 (hex) of a file's raw bytes, streamed."""
    sha = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                sha.update(chunk)
    except OSError as exc:
        raise QrandError(f"cannot read {path}: {exc.strerror or exc}") from None
    return sha.hexdigest()
