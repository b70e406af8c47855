"""TensorFlow: the global seed (op seeds derive from it) and the global
``tf.random.Generator``.

In eager mode TF derives each op's seed from a ``random.Random`` seeded with
the global seed, so a snapshot is (global seed, that generator's state, the
global ``tf.random.Generator`` state).
"""

import sys

from ..._optional import available as _installed

NAME, MODULE, PATH, BITS = "tensorflow", "tensorflow", ("tensorflow",), 32


def available() -> bool:
    return _installed("tensorflow")


def _context():
    from tensorflow.python.eager import context

    return context.context()


def apply(seed: int) -> None:
    tf = sys.modules["tensorflow"]
    tf.random.set_seed(seed)
    tf.random.set_global_generator(tf.random.Generator.from_seed(seed))


def get_state():
    tf = sys.modules["tensorflow"]
    ctx = _context()
    op_rng = ctx._rng.getstate() if getattr(ctx, "_rng", None) is not None else None
    return ctx._seed, op_rng, tf.random.get_global_generator().state.numpy().copy()


def set_state(state) -> None:
    tf = sys.modules["tensorflow"]
    seed, op_rng, generator = state
    ctx = _context()
    tf.random.set_seed(seed)  # also clears TF's kernel cache
    if op_rng is not None:
        ctx._rng.setstate(op_rng)
    tf.random.get_global_generator().reset(generator)


def describe() -> dict:
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return {}
    return {"global_seed": _context()._seed,
            "op_determinism": bool(tf.config.experimental.is_op_determinism_enabled())}
