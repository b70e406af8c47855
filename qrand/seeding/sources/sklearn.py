"""scikit-learn: ``random_state=None`` means NumPy's legacy global state.

Nothing of its own to seed; recorded so a manifest says where sklearn's
implicit randomness comes from.
"""

from ..._optional import available as _installed
from . import numpy_legacy

NAME, MODULE, PATH, BITS = "sklearn", "sklearn", numpy_legacy.PATH, numpy_legacy.BITS


def available() -> bool:
    return _installed("sklearn")


def seed(value: int) -> None:
    """Covered by the NumPy source; kept for a uniform registry."""


def get_state():
    return None


def set_state(state) -> None:
    """Covered by the NumPy source."""


def describe() -> dict:
    return {"random_state=None": "numpy.random global RandomState (seeded by the numpy source)"}
