"""TensorFlow: the global seed (op seeds derive from it) and the global
``tf.random.Generator``.

In eager mode TF derives each op's seed from a ``random.Random`` seeded with
the global seed, so a snapshot is (global seed, that generator's state, the
global ``tf.random.Generator`` state).
"""

import sys

from ..._optional import available as _installed
from .. import determinism

NAME, MODULE, PATH, BITS = "tensorflow", "tensorflow", ("tensorflow",), 32


def available() -> bool:
    return _installed("tensorflow")


def _context():
    from tensorflow.python.eager import context

    return context.context()


_installed_generator = None  # the global generator qrand created (safe to reset in place)


def _generator_state(seed: int, size: int):
    import numpy as np

    return np.random.SeedSequence(seed).generate_state(size, np.uint64).view(np.int64)


def seed(value: int) -> None:
    """Set the global seed and fill the global Philox generator's state from ``value``."""
    tf = sys.modules["tensorflow"]
    tf.random.set_seed(value)
    global _installed_generator
    generator = tf.random.get_global_generator()
    if generator is _installed_generator:  # reset in place: ~50x cheaper than a new Generator
        generator.reset(_generator_state(value, int(generator.state.shape[0])))
    else:
        generator = tf.random.Generator.from_state(_generator_state(value, 3), alg="philox")
        tf.random.set_global_generator(generator)
        _installed_generator = generator


def get_state():
    tf = sys.modules["tensorflow"]
    ctx = _context()
    op_rng = ctx._rng.getstate() if getattr(ctx, "_rng", None) is not None else None
    return ctx._seed, op_rng, tf.random.get_global_generator().state.numpy().copy()


def set_state(state) -> None:
    tf = sys.modules["tensorflow"]
    global_seed, op_rng, generator = state
    ctx = _context()
    tf.random.set_seed(global_seed)  # also clears TF's kernel cache
    if op_rng is not None:
        ctx._rng.setstate(op_rng)
    tf.random.get_global_generator().reset(generator)


def describe() -> dict:
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return {}
    return {"global_seed": _context()._seed,
            "op_determinism": determinism.tf_op_determinism()}
