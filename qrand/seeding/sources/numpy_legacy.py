"""NumPy's legacy global ``RandomState`` (``np.random.seed``/``np.random.rand``).

scikit-learn's ``random_state=None`` and PennyLane's ``seed="global"`` devices
draw from this state, so seeding it covers them too.
"""

import sys

from ..._optional import available as _installed

NAME, MODULE, PATH, BITS = "numpy", "numpy", ("numpy",), 32


def available() -> bool:
    return _installed("numpy")


def seed(value: int) -> None:
    sys.modules["numpy"].random.seed(value)


def get_state():
    return sys.modules["numpy"].random.get_state()


def set_state(state) -> None:
    sys.modules["numpy"].random.set_state(state)


def describe() -> dict:
    return {"global_state": "numpy.random (legacy MT19937 RandomState)"}
