"""The variational quantum classifier: data re-uploading circuit, analytic or finite-shot training.

Circuit on ``n_qubits`` wires, repeated ``n_layers`` times: ``RX(x_q)`` encodes
feature ``q mod d`` on wire ``q``, then trainable ``RY(w[l, q, 0])``,
``RZ(w[l, q, 1])``, then a ring of CNOTs. Class ``c``'s logit is
``scale * <Z_c>``. The exact probabilities come from a small JAX
statevector simulator (``backend="jax"``, the fast default) or a PennyLane
``default.qubit`` QNode with the JAX interface (``backend="pennylane"``);
a test checks the two agree.

With ``shots > 0`` the gradient is the parameter-shift rule (shifts of
``+-pi/2``) where every expectation is estimated from ``shots`` samples.
Training step ``k`` is one device execution (the forward and all shifted
circuits of the minibatch) and draws its samples from the execution-seed
rule ``tree.child("device", "default.qubit", "exec", k)`` of the shots
stream; one 32-bit word per shot is turned into an outcome by inverse-CDF
search (:func:`sample_counts`), so the single-seed and vmapped runs draw the
very same samples.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from .._optional import require
from ..errors import QrandError
from ..seeding import record
from .engine import JaxTrainer, TrainConfig, accuracy_and_loss, key_data
from .streams import exec_tree

#: device name used in the execution-seed rule
DEVICE = "default.qubit"


def _cnot_ring_permutation(n_qubits: int) -> np.ndarray:
    """Gather index ``g`` with ``state_after = state_before[g]`` for the CNOT ring."""
    total = np.arange(2**n_qubits)
    if n_qubits < 2:
        return total
    for q in range(n_qubits):
        control, target = q, (q + 1) % n_qubits
        basis = np.arange(2**n_qubits)
        cbit = (basis >> (n_qubits - 1 - control)) & 1
        step = basis ^ (cbit << (n_qubits - 1 - target))
        total = total[step]
    return total


def statevector_probs(n_qubits: int, n_layers: int):
    """``probs(weights, x)`` of the circuit from a JAX statevector simulator."""
    jax = require("jax")
    jnp = jax.numpy
    perm = _cnot_ring_permutation(n_qubits)

    def layer_unitaries(x, theta, phi):
        """Entries ``(u00, u01, u10, u11)`` of ``RZ(phi) RY(theta) RX(x)`` for every wire."""
        cx, sx = jnp.cos(x / 2), jnp.sin(x / 2)
        ct, st = jnp.cos(theta / 2), jnp.sin(theta / 2)
        lo, hi = jnp.exp(-0.5j * phi), jnp.exp(0.5j * phi)
        return (lo * (ct * cx + 1j * st * sx), lo * (-1j * ct * sx - st * cx),
                hi * (st * cx - 1j * ct * sx), hi * (-1j * st * sx + ct * cx))

    def probs(weights, x):
        encoded = x[np.arange(n_qubits) % x.shape[0]]
        state = jnp.zeros(2**n_qubits, dtype=jnp.complex128).at[0].set(1.0)
        for layer in range(n_layers):
            u00, u01, u10, u11 = layer_unitaries(encoded, weights[layer, :, 0], weights[layer, :, 1])
            for q in range(n_qubits):  # elementwise update: fuses into one loop, vmaps cheaply
                view = state.reshape(2**q, 2, 2 ** (n_qubits - q - 1))
                s0, s1 = view[:, 0], view[:, 1]
                state = jnp.stack([u00[q] * s0 + u01[q] * s1, u10[q] * s0 + u11[q] * s1], 1).reshape(-1)
            state = state[perm]
        return jnp.real(state) ** 2 + jnp.imag(state) ** 2

    return probs


def pennylane_probs(n_qubits: int, n_layers: int):
    """``probs(weights, x)`` of the same circuit as a PennyLane ``default.qubit`` QNode (JAX)."""
    qml = require("pennylane")
    dev = qml.device("default.qubit", wires=n_qubits)

    @qml.qnode(dev, interface="jax", diff_method="backprop")
    def circuit(weights, x):
        d = x.shape[0]
        for layer in range(n_layers):
            for q in range(n_qubits):
                qml.RX(x[q % d], wires=q)
                qml.RY(weights[layer, q, 0], wires=q)
                qml.RZ(weights[layer, q, 1], wires=q)
            if n_qubits > 1:
                for q in range(n_qubits):
                    qml.CNOT(wires=[q, (q + 1) % n_qubits])
        return qml.probs(wires=range(n_qubits))

    return circuit


def z_signs(n_qubits: int, n_out: int) -> np.ndarray:
    """Matrix ``S[b, c] = +-1``: eigenvalue of ``Z_c`` on basis state ``b`` (wire 0 = top bit)."""
    basis = np.arange(2**n_qubits)[:, None]
    bits = (basis >> (n_qubits - 1 - np.arange(n_out))[None, :]) & 1
    return (1 - 2 * bits).astype(np.float64)


#: shots drawn per block by :func:`sample_counts` (bounds the working set under ``vmap``)
SHOT_BLOCK = 32


def sample_counts(jax, key, probs: Any, shots: int, block: int = SHOT_BLOCK) -> Any:
    """Outcome counts of ``shots`` samples from each row of ``probs`` (inverse CDF).

    ``probs`` has shape ``(..., 2**n)``; the result has the same shape (int32).
    Sample ``s`` of row ``r`` is outcome ``b`` when
    ``cdf[r, b-1] <= u[r, s] < cdf[r, b]`` for ``u = word / 2**32``: one
    32-bit word per shot against the thresholds ``floor(cdf * 2**32)``
    (capped at ``2**32 - 1``), counted as ``#(u < cdf_b)`` (integer compares,
    no scatter). Shots come in blocks of ``block``: block ``j`` (shots
    ``j*block ..``) takes its words for all rows from one
    ``jax.random.bits(fold_in(key, j), (..., size))`` call, and a
    ``lax.fori_loop`` adds up the blocks. The words depend only on ``key``,
    ``shots`` and the shape of ``probs``, so ``vmap`` over keys gives each key
    the counts it gives alone; blocking keeps the working set at
    ``rows x block`` words, which is what lets a vmapped batch of seeds stay
    in cache (drawing all shots at once made the vmapped 1000-shot run
    several times slower than with blocks of 32).
    """
    jnp = jax.numpy
    cdf = jnp.cumsum(probs, axis=-1)[..., :-1]
    top = float(2**32 - 1)
    thresholds = jnp.floor(jnp.clip(cdf * 2.0**32, 0.0, top)).astype(jnp.uint32)
    lead = probs.shape[:-1]

    def below_in(j, size):
        words = jax.random.bits(jax.random.fold_in(key, j), lead + (size,), dtype=jnp.uint32)
        return jnp.sum(words[..., :, None] < thresholds[..., None, :], axis=-2, dtype=jnp.int32)

    n_full, rest = divmod(int(shots), int(block))
    below = jnp.zeros(thresholds.shape, jnp.int32)
    if n_full:
        below = jax.lax.fori_loop(0, n_full, lambda j, acc: acc + below_in(j, block), below)
    if rest:
        below = below + below_in(n_full, rest)
    cumulative = jnp.concatenate([below, jnp.full(lead + (1,), shots, jnp.int32)], -1)
    return jnp.diff(cumulative, axis=-1, prepend=0).astype(jnp.int32)


class VQC(JaxTrainer):
    """Seeded variational quantum classifier (see the module docstring).

    Parameters
    ----------
    config : TrainConfig, optional
        Dataset, schedule, shots, factors varied.
    n_qubits, n_layers : int
        Circuit size (the classes must fit on the wires: ``n_classes <= n_qubits``).
    scale : float
        Logit scale applied to ``<Z_c>``.
    backend : {"jax", "pennylane"}
        Simulator giving the exact probabilities.
    record_samples : bool
        Also return the shot counts of every execution (``result.samples``).
    adam_eps : float
        Adam's epsilon. Parameters with an exactly zero gradient (the last
        layer's ``RZ`` commutes with the ``Z`` readout) get round-off gradients
        ~1e-17 that Adam divides by ``eps``; 1e-6 keeps the vmapped and single
        analytic runs within ~1e-11 of each other (1e-8 gives ~1e-9).
    **overrides
        Fields of :class:`TrainConfig`.
    """

    name = "vqc"
    options = ("n_qubits", "n_layers", "scale", "backend", "record_samples", "adam_eps")

    def __init__(self, config: TrainConfig | None = None, *, n_qubits: int = 4, n_layers: int = 2,
                 scale: float = 3.0, backend: str = "jax", record_samples: bool = False,
                 adam_eps: float = 1e-6, **overrides):
        super().__init__(config, **overrides)
        if backend not in ("jax", "pennylane"):
            raise QrandError(f"backend must be 'jax' or 'pennylane', got {backend!r}")
        if not 1 <= int(n_qubits) <= 10 or int(n_layers) < 1:
            raise QrandError(f"need 1 <= n_qubits <= 10 and n_layers >= 1, got {n_qubits}, {n_layers}")
        self.n_qubits, self.n_layers, self.scale = int(n_qubits), int(n_layers), float(scale)
        self.backend, self.record_samples = backend, bool(record_samples)
        self.adam_eps = float(adam_eps)

    @property
    def factors(self) -> tuple[str, ...]:
        """Streams this model draws from (``shots`` only with finite shots)."""
        return ("init", "split", "shuffle") + (("shots",) if self.config.shots else ())

    @cached_property
    def probs(self):
        """``probs(weights, x)``: exact outcome probabilities of one circuit."""
        make = statevector_probs if self.backend == "jax" else pennylane_probs
        return make(self.n_qubits, self.n_layers)

    def _inputs(self, split, trees):
        if split.n_classes > self.n_qubits:
            raise QrandError(f"{split.n_classes} classes do not fit on {self.n_qubits} qubits")
        shape = (self.n_layers, self.n_qubits, 2)
        init = trees["init"].numpy().uniform(0.0, 2 * np.pi, size=shape)
        return {"init": init}

    def prepare(self, seed):
        inputs = super().prepare(seed)
        trees = self.trees(seed)
        n_steps = inputs["batches"].shape[0]
        if self.config.shots:
            keys = [key_data(exec_tree(trees["shots"], DEVICE, k)) for k in range(n_steps)]
        else:
            keys = [np.zeros_like(key_data(trees["shots"]))] * n_steps
        inputs["shot_keys"] = np.stack(keys)
        return inputs

    def note(self, n_runs: int = 1) -> None:
        super().note(n_runs)
        if self.config.shots:
            rec = record.current()
            rec.note_device(DEVICE, mode="stream", shots=self.config.shots,
                            rule="tree.child('device', NAME, 'exec', k)")

    def core(self, inputs):
        jax, optax = require("jax"), require("optax")
        jnp = jax.numpy
        n_classes, shots, scale = self.dataset.n_classes, self.config.shots, self.scale
        signs = jnp.asarray(z_signs(self.n_qubits, n_classes))
        probs = self.probs
        X, y = inputs["X_train"], inputs["y_train"]

        def logits(weights, rows):
            return scale * jax.vmap(lambda x: probs(weights, x))(rows) @ signs

        def loss(weights, rows, labels):
            return accuracy_and_loss(jnp, logits(weights, rows), labels)[1]

        def shot_gradient(weights, rows, labels, key):
            n_par = weights.size
            shifts = (np.pi / 2) * jnp.eye(n_par).reshape((n_par,) + weights.shape)
            sets = jnp.concatenate([weights[None], weights[None] + shifts, weights[None] - shifts])
            exact = jax.vmap(lambda x: jax.vmap(lambda w: probs(w, x))(sets))(rows)
            counts = sample_counts(jax, key, exact, shots)
            z = (counts.astype(signs.dtype) @ signs) / shots          # (B, 2P+1, C)
            d_logits = jax.grad(lambda lg: accuracy_and_loss(jnp, lg, labels)[1])(scale * z[:, 0])
            d_z = scale * d_logits                                     # (B, C)
            diff = (z[:, 1:n_par + 1] - z[:, n_par + 1:]) / 2          # (B, P, C)
            grad = jnp.einsum("bc,bpc->p", d_z, diff).reshape(weights.shape)
            return grad, counts

        optimiser = optax.adam(self.config.lr, eps=self.adam_eps)

        def step(carry, xs):
            weights, state = carry
            rows, key_raw = xs
            xb, yb = X[rows], y[rows]
            if shots:
                grad, counts = shot_gradient(weights, xb, yb, jax.random.wrap_key_data(key_raw))
            else:
                grad, counts = jax.grad(loss)(weights, xb, yb), jnp.zeros((), jnp.int32)
            updates, state = optimiser.update(grad, state, weights)
            weights = optax.apply_updates(weights, updates)
            out = (loss(weights, X, y), counts if self.record_samples else jnp.zeros((), jnp.int32))
            return (weights, state), out

        weights = inputs["init"]
        (weights, _), (losses, counts) = jax.lax.scan(
            step, (weights, optimiser.init(weights)), (inputs["batches"], inputs["shot_keys"]))
        train_acc, _ = accuracy_and_loss(jnp, logits(weights, X), y)
        test_acc, _ = accuracy_and_loss(jnp, logits(weights, inputs["X_test"]), inputs["y_test"])
        out = {"losses": losses, "train_acc": train_acc, "test_acc": test_acc, "params": weights}
        if self.record_samples and shots:
            out["samples"] = counts
        return out
