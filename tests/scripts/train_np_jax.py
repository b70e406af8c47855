"""Train a tiny linear model with NumPy data and JAX gradients; save the parameters.

Seeded only by qrand run: NumPy's global state (data) and qrand.jax_key() (init).
"""

import jax
import jax.numpy as jnp
import numpy as np

import qrand

X = np.random.normal(size=(64, 3)).astype(np.float32)
y = (X @ np.array([1.5, -2.0, 0.5], dtype=np.float32) + 0.1 * np.random.normal(size=64)).astype(np.float32)
w = jax.random.normal(qrand.jax_key("init"), (3,))


def loss(w):
    return jnp.mean((X @ w - y) ** 2)


grad = jax.jit(jax.grad(loss))
for _ in range(50):
    w = w - 0.1 * grad(w)
np.save("params.npy", np.asarray(w))
print(f"loss {float(loss(w)):.8f}")
