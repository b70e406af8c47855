"""JAX has no global RNG state: qrand keeps a default key for the run.

:func:`qrand.jax_key` builds it from the tree's ``("jax",)`` child; this source
records the key words and JAX's ``jax_default_prng_impl``.
"""

import sys

from ..._optional import available as _installed

NAME, MODULE, PATH, BITS = "jax", None, ("jax",), 64


def available() -> bool:
    return _installed("jax")


def seed(value: int) -> None:
    """Nothing global to seed: keys are made on demand by :func:`qrand.jax_key`."""


def get_state():
    return None


def set_state(state) -> None:
    """JAX has no global state."""


def describe() -> dict:
    info = {"global_state": None, "default_key": "qrand.jax_key() from tree.child('jax')"}
    if "jax" in sys.modules:
        info["jax_default_prng_impl"] = str(sys.modules["jax"].config.jax_default_prng_impl)
    return info
