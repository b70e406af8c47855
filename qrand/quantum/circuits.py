"""A small circuit library, returned as Qiskit ``QuantumCircuit`` objects.

Every circuit uses only gates the bridge converts both ways (h, x, rx, ry,
rz, cx, cz, cp, swap); convert with :func:`qrand.quantum.to_pennylane`.
Circuits carry no measurements: add them with ``circuit.measure_all()``.
"""

from __future__ import annotations

import math

import numpy as np

from .._optional import require
from ..errors import QrandError
from ._stream import resolve_tree


def _check_n(n, minimum: int = 1, what: str = "n") -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise QrandError(f"{what} must be an int >= {minimum}, got {n!r}")
    return int(n)


def _circuit(n: int, name: str):
    return require("qiskit").QuantumCircuit(n, name=name)


def bell():
    """The Bell state (|00> + |11>)/sqrt(2): h(0), cx(0, 1)."""
    qc = _circuit(2, "bell")
    qc.h(0)
    qc.cx(0, 1)
    return qc


def ghz(n: int):
    """The n-qubit GHZ state: h(0) then a cx chain."""
    n = _check_n(n)
    qc = _circuit(n, f"ghz_{n}")
    qc.h(0)
    for q in range(n - 1):
        qc.cx(q, q + 1)
    return qc


def qft(n: int, *, swaps: bool = True):
    """The n-qubit quantum Fourier transform (h, cp and the bit-reversal swaps) of |0101...>.

    ``x`` gates on the odd qubits come first (the QFT of |0...0> is a flat
    distribution, which would test little); ``swaps=False`` omits the swaps.
    """
    n = _check_n(n)
    qc = _circuit(n, f"qft_{n}")
    for q in range(1, n, 2):
        qc.x(q)
    for j in range(n):
        qc.h(j)
        for k in range(j + 1, n):
            qc.cp(math.pi / 2 ** (k - j), k, j)
    if swaps:
        for q in range(n // 2):
            qc.swap(q, n - 1 - q)
    return qc


def random_layered(n: int, depth: int, seed=None):
    """Layers of random single-qubit rotations and a brickwork of cz/cx gates.

    The angles and gate choices come from ``SeedTree(seed).child("circuits",
    "random_layered", n, depth)``, so the same seed gives the same circuit everywhere.
    """
    n, depth = _check_n(n), _check_n(depth, 0, "depth")
    rng = resolve_tree(seed).child("circuits", "random_layered", n, depth).numpy()
    qc = _circuit(n, f"random_layered_{n}_{depth}")
    for layer in range(depth):
        for q in range(n):
            gate = ("rx", "ry", "rz")[rng.integers(3)]
            getattr(qc, gate)(float(rng.uniform(0, 2 * math.pi)), q)
        for q in range(layer % 2, n - 1, 2):
            (qc.cz if rng.integers(2) else qc.cx)(q, q + 1)
    return qc


def hea(n: int, layers: int, params=None):
    """Hardware-efficient ansatz: per layer ry, rz on every qubit, then a cx ladder.

    Parameters
    ----------
    n, layers : int
        Qubits and layers.
    params : array_like of shape (layers, n, 2), optional
        Angles; ``None`` gives a parameterised circuit (``ParameterVector`` "theta",
        bind with Aer's ``parameter_binds`` or ``assign_parameters``).
    """
    n, layers = _check_n(n), _check_n(layers, 1, "layers")
    qiskit = require("qiskit")
    if params is None:
        vec = qiskit.circuit.ParameterVector("theta", layers * n * 2)
        values = np.array(list(vec), dtype=object).reshape(layers, n, 2)
    else:
        values = np.asarray(params, dtype=float)
        if values.shape != (layers, n, 2):
            raise QrandError(f"hea params must have shape {(layers, n, 2)}, got {values.shape}")
    qc = _circuit(n, f"hea_{n}_{layers}")
    for layer in range(layers):
        for q in range(n):
            qc.ry(values[layer, q, 0] if params is None else float(values[layer, q, 0]), q)
            qc.rz(values[layer, q, 1] if params is None else float(values[layer, q, 1]), q)
        for q in range(n - 1):
            qc.cx(q, q + 1)
    return qc


LIBRARY = {"bell": bell, "ghz": ghz, "qft": qft, "random_layered": random_layered, "hea": hea}
