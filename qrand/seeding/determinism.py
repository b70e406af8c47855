"""Determinism flags: deterministic kernels for torch, TensorFlow, cuBLAS and XLA.

``apply()`` sets the environment variables now and the framework flags now or
when the framework is imported. Flags read once at start-up (cuBLAS workspace,
XLA flags) are useless after CUDA / the XLA backend is initialised: qrand warns
and records that instead of pretending.
"""

from __future__ import annotations

import os
import sys
import warnings

from . import hooks
from .record import current

#: variables a deterministic run sets (XLA_FLAGS is appended to, not replaced)
ENV = {
    "CUBLAS_WORKSPACE_CONFIG": ":4096:8",
    "TF_DETERMINISTIC_OPS": "1",
    "TF_CUDNN_DETERMINISTIC": "1",
}
XLA_FLAG = "--xla_gpu_deterministic_ops=true"


def determinism_env(deterministic: bool = True, environ=None) -> dict[str, str]:
    """The environment variables a (child) process needs for determinism."""
    if not deterministic:
        return {}
    environ = os.environ if environ is None else environ
    env = dict(ENV)
    xla = environ.get("XLA_FLAGS", "")
    env["XLA_FLAGS"] = xla if XLA_FLAG in xla else f"{xla} {XLA_FLAG}".strip()
    return env


def _late(what: str) -> None:
    message = f"{what} was set after it could take effect; set it before the framework starts (qrand run --deterministic does)"
    current().warn(message)
    warnings.warn(f"qrand: {message}", RuntimeWarning, stacklevel=3)


def _torch_flags(torch) -> None:
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def _tf_flags(tf) -> None:
    tf.config.experimental.enable_op_determinism()


def _jax_backend_started() -> bool:
    if "jax" not in sys.modules:
        return False
    try:
        from jax._src import xla_bridge

        return bool(getattr(xla_bridge, "_backends", {}))
    except Exception:
        return False


def apply() -> dict[str, str]:
    """Turn on deterministic algorithms everywhere qrand knows of; return env set."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_initialized() and "CUBLAS_WORKSPACE_CONFIG" not in os.environ:
        _late("CUBLAS_WORKSPACE_CONFIG")
    if _jax_backend_started() and XLA_FLAG not in os.environ.get("XLA_FLAGS", ""):
        _late("XLA_FLAGS=" + XLA_FLAG)
    env = determinism_env(True)
    os.environ.update(env)
    hooks.when_imported("torch", _torch_flags)
    hooks.when_imported("tensorflow", _tf_flags)
    return env


def state() -> dict:
    """The determinism flags and variables as they are now (imports nothing)."""
    info = {name: os.environ.get(name) for name in [*ENV, "XLA_FLAGS"]}
    torch = sys.modules.get("torch")
    if torch is not None:
        info["torch.use_deterministic_algorithms"] = torch.are_deterministic_algorithms_enabled()
        info["torch.backends.cudnn.deterministic"] = bool(torch.backends.cudnn.deterministic)
        info["torch.backends.cudnn.benchmark"] = bool(torch.backends.cudnn.benchmark)
    if sys.modules.get("tensorflow") is not None:
        info["tf.op_determinism"] = tf_op_determinism()
    return info


def tf_op_determinism() -> bool:
    """Whether TensorFlow's op determinism is on (TF has no public getter)."""
    from tensorflow.python.framework import config

    return bool(config.is_op_determinism_enabled())
