"""Keras 3: the global seed behind ``keras.random`` and layer initialisers.

``keras.utils.set_random_seed`` also reseeds ``random``, NumPy and TF with the
same number; qrand keeps those on their own children, so it restores them
after the call (Keras and TF share the ``("tensorflow",)`` seed).
"""

import random
import sys

from ..._optional import available as _installed
from . import tensorflow as _tf

NAME, MODULE, PATH, BITS = "keras", "keras", _tf.PATH, _tf.BITS


def available() -> bool:
    return _installed("keras")


def seed(value: int) -> None:
    np = sys.modules.get("numpy")
    saved_python = random.getstate()
    saved_numpy = np.random.get_state() if np is not None else None
    sys.modules["keras"].utils.set_random_seed(value)
    random.setstate(saved_python)
    if saved_numpy is not None:
        np.random.set_state(saved_numpy)


def get_state():
    from keras.src.backend.common import global_state

    return (global_state.get_global_attribute("global_random_seed"),
            global_state.get_global_attribute("global_seed_generator"))


def set_state(state) -> None:
    from keras.src.backend.common import global_state

    seed, generator = state
    global_state.set_global_attribute("global_random_seed", seed)
    global_state.set_global_attribute("global_seed_generator", generator)


def describe() -> dict:
    keras = sys.modules.get("keras")
    if keras is None:
        return {}
    return {"backend": keras.backend.backend(), "global_seed": get_state()[0]}
