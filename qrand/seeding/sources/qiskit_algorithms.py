"""``qiskit_algorithms.utils.algorithm_globals.random_seed`` (when installed)."""

import sys

from ..._optional import available as _installed

NAME, MODULE, PATH, BITS = "qiskit_algorithms", "qiskit_algorithms", ("qiskit", "algorithms"), 32


def _globals():
    sys.modules["qiskit_algorithms"]  # only used once imported
    from qiskit_algorithms.utils import algorithm_globals

    return algorithm_globals


def available() -> bool:
    return _installed("qiskit_algorithms")


def seed(value: int) -> None:
    _globals().random_seed = seed


def get_state():
    return _globals().random.bit_generator.state


def set_state(state) -> None:
    _globals().random.bit_generator.state = state


def describe() -> dict:
    return {"global_state": "qiskit_algorithms.utils.algorithm_globals"}
