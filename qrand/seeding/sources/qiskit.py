"""Qiskit: ``transpile(seed_transpiler=None)`` reads ``QISKIT_TRANSPILER_SEED``.

Setting the variable needs no import; qiskit reads it at each ``transpile``
call. Explicit ``seed_transpiler`` arguments still take precedence.
"""

import os

from ..._optional import available as _installed

NAME, MODULE, PATH, BITS = "qiskit", None, ("qiskit", "transpiler"), 32
ENV = "QISKIT_TRANSPILER_SEED"


def available() -> bool:
    return _installed("qiskit")


def seed(value: int) -> None:
    os.environ[ENV] = str(value)


def get_state():
    return os.environ.get(ENV)


def set_state(state) -> None:
    if state is None:
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = state


def describe() -> dict:
    return {ENV: os.environ.get(ENV)}
