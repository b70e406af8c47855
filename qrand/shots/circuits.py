"""Circuits of a shot sweep: library specs such as ``ghz:4`` or the user's own circuits.

Spec grammar: ``NAME[:ARG[:ARG...]]`` with

* ``bell``
* ``ghz:N``
* ``qft:N``
* ``random_layered:N:DEPTH[:SEED]`` (``SEED`` defaults to 0)
* ``hea:N:LAYERS[:SEED]`` (angles uniform in [0, 2 pi) from ``SeedTree(SEED)``)

A Qiskit ``QuantumCircuit`` (without measurements, or with a final
``measure_all``) is also accepted: it travels to workers as OpenQASM 2 text,
so it stays JSON-ready in the sweep's definition. Circuits are the
``qrand.quantum.circuits`` library's Qiskit circuits.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from .._optional import require
from ..errors import QrandError

LIBRARY_ARGS = {"bell": (0, 0), "ghz": (1, 1), "qft": (1, 1), "random_layered": (2, 3), "hea": (2, 3)}


def _ints(name: str, args: list[str], spec: str) -> list[int]:
    low, high = LIBRARY_ARGS[name]
    if not low <= len(args) <= high:
        raise QrandError(f"circuit {spec!r}: {name} takes {low}..{high} integer arguments")
    try:
        values = [int(a) for a in args]
    except ValueError:
        raise QrandError(f"circuit {spec!r}: arguments must be integers") from None
    return values


def circuit_config(circuit: Any) -> str | dict:
    """The JSON-ready form of a circuit: a checked spec string, or ``{"name", "qasm"}``."""
    if isinstance(circuit, str):
        spec = circuit.replace(" ", "")
        name, *args = spec.split(":")
        if name not in LIBRARY_ARGS:
            raise QrandError(f"unknown circuit {name!r}; valid: {', '.join(LIBRARY_ARGS)} "
                             f"(e.g. ghz:4), or pass a QuantumCircuit")
        _ints(name, args, spec)
        return spec
    qiskit = require("qiskit")
    if isinstance(circuit, qiskit.QuantumCircuit):
        bare = circuit.remove_final_measurements(inplace=False)
        if any(inst.operation.name == "measure" for inst in bare.data):
            raise QrandError(f"circuit {circuit.name!r} has mid-circuit measurements")
        if bare.num_parameters:
            raise QrandError(f"circuit {circuit.name!r} has unbound parameters")
        return {"name": circuit.name, "qasm": qiskit.qasm2.dumps(bare)}
    raise QrandError(f"a circuit must be a spec like 'ghz:4' or a QuantumCircuit, got "
                     f"{type(circuit).__name__}")


def circuit_label(config: str | dict) -> str:
    """The circuit's label in results (the spec, or the circuit's name)."""
    return config if isinstance(config, str) else config["name"]


def build_circuit(config: str | dict):
    """The Qiskit circuit (no measurements) of a circuit config; cached per process."""
    key = config if isinstance(config, str) else (config["name"], config["qasm"])
    return _build(key).copy()


@lru_cache(maxsize=64)
def _build(key: str | tuple):
    if isinstance(key, tuple):
        return require("qiskit").qasm2.loads(key[1])
    from ..quantum import circuits
    from ..seeding.tree import SeedTree

    name, *args = key.split(":")
    values = _ints(name, args, key)
    if name == "random_layered":
        n, depth, *seed = values
        return circuits.random_layered(n, depth, seed=seed[0] if seed else 0)
    if name == "hea":
        n, layers, *seed = values
        rng = SeedTree(seed[0] if seed else 0).child("circuits", "hea", n, layers).numpy()
        return circuits.hea(n, layers, rng.uniform(0, 2 * math.pi, size=(layers, n, 2)))
    return getattr(circuits, name)(*values)
