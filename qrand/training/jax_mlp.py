"""A JAX MLP with dropout: the classical baseline that shares the VQC's vmapped path.

One hidden ``tanh`` layer with inverted dropout. Initial weights (Glorot
uniform) come from the ``("init",)`` stream, minibatches from
``("shuffle",)``, and the dropout mask of step ``k`` from
``fold_in(key, k)`` where ``key`` is the ``("dropout",)`` stream's JAX key.
"""

from __future__ import annotations

import numpy as np

from .._optional import require
from ..errors import QrandError
from .engine import JaxTrainer, TrainConfig, accuracy_and_loss, key_data


class JaxMLP(JaxTrainer):
    """Seeded JAX MLP with dropout.

    Parameters
    ----------
    config : TrainConfig, optional
    hidden : int
        Width of the hidden layer.
    dropout : float
        Drop probability in ``[0, 1)`` (0 disables the dropout stream's effect).
    **overrides
        Fields of :class:`TrainConfig`.
    """

    name = "jax-mlp"
    options = ("hidden", "dropout")

    def __init__(self, config: TrainConfig | None = None, *, hidden: int = 16, dropout: float = 0.2,
                 **overrides):
        super().__init__(config, **overrides)
        if int(hidden) < 1 or not 0.0 <= float(dropout) < 1.0:
            raise QrandError(f"need hidden >= 1 and 0 <= dropout < 1, got {hidden}, {dropout}")
        self.hidden, self.dropout = int(hidden), float(dropout)

    @property
    def factors(self) -> tuple[str, ...]:
        """Streams this model draws from."""
        return ("init", "split", "shuffle") + (("dropout",) if self.dropout else ())

    def shapes(self) -> list[tuple[int, ...]]:
        """Shapes of ``W1, b1, W2, b2``."""
        d, h, c = self.dataset.n_features, self.hidden, self.dataset.n_classes
        return [(d, h), (h,), (h, c), (c,)]

    def _inputs(self, split, trees):
        rng = trees["init"].numpy()
        parts = []
        for shape in self.shapes():
            if len(shape) == 2:
                limit = np.sqrt(6.0 / sum(shape))
                parts.append(rng.uniform(-limit, limit, size=shape).ravel())
            else:
                parts.append(np.zeros(shape).ravel())
        return {"init": np.concatenate(parts), "dropout_key": key_data(trees["dropout"])}

    def core(self, inputs):
        jax, optax = require("jax"), require("optax")
        jnp = jax.numpy
        shapes, rate = self.shapes(), self.dropout
        sizes = np.cumsum([int(np.prod(s)) for s in shapes])[:-1]
        X, y = inputs["X_train"], inputs["y_train"]
        key = jax.random.wrap_key_data(inputs["dropout_key"])

        def unpack(flat):
            return [part.reshape(shape) for part, shape in zip(jnp.split(flat, sizes), shapes)]

        def forward(flat, rows, mask=None):
            w1, b1, w2, b2 = unpack(flat)
            hidden = jnp.tanh(rows @ w1 + b1)
            if mask is not None:
                hidden = hidden * mask / (1.0 - rate)
            return hidden @ w2 + b2

        def batch_loss(flat, rows, labels, mask):
            return accuracy_and_loss(jnp, forward(flat, rows, mask), labels)[1]

        optimiser = optax.adam(self.config.lr)

        def step(carry, xs):
            flat, state = carry
            index, rows = xs
            mask = jax.random.bernoulli(jax.random.fold_in(key, index), 1.0 - rate,
                                        (rows.shape[0], self.hidden)).astype(X.dtype)
            grad = jax.grad(batch_loss)(flat, X[rows], y[rows], mask)
            updates, state = optimiser.update(grad, state, flat)
            flat = optax.apply_updates(flat, updates)
            return (flat, state), accuracy_and_loss(jnp, forward(flat, X), y)[1]

        flat = inputs["init"]
        steps = jnp.arange(inputs["batches"].shape[0])
        (flat, _), losses = jax.lax.scan(step, (flat, optimiser.init(flat)), (steps, inputs["batches"]))
        train_acc, _ = accuracy_and_loss(jnp, forward(flat, X), y)
        test_acc, _ = accuracy_and_loss(jnp, forward(flat, inputs["X_test"]), inputs["y_test"])
        return {"losses": losses, "train_acc": train_acc, "test_acc": test_acc, "params": flat}
