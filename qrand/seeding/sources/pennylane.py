"""PennyLane: ``seed="global"`` devices draw their seed from NumPy's global
state at construction (``np.random.randint``), ``seed=None`` from OS entropy.

Seeding NumPy's global state covers the first; qrand's own devices
(:mod:`qrand.quantum`) follow the execution-seed rule instead.
"""

from ..._optional import available as _installed
from . import numpy_legacy

NAME, MODULE, PATH, BITS = "pennylane", "pennylane", numpy_legacy.PATH, numpy_legacy.BITS


def available() -> bool:
    return _installed("pennylane")


def seed(value: int) -> None:
    """Covered by the NumPy source."""


def get_state():
    return None


def set_state(state) -> None:
    """Covered by the NumPy source."""


def describe() -> dict:
    return {"seed='global'": "numpy.random global state at device construction",
            "seed=None": "OS entropy (not reproducible)"}
