"""The one place that knows which optional packages qrand can use.

Nothing here imports a framework at import time: :func:`available` asks
``importlib.util.find_spec``; :func:`require` imports on demand and names the
extra to install when the package is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from .errors import MissingExtraError

#: import name -> (distribution name, qrand extra that installs it)
OPTIONAL = {
    "jax": ("jax", "jax"),
    "optax": ("optax", "jax"),
    "pennylane": ("pennylane", "quantum"),
    "qiskit": ("qiskit", "quantum"),
    "qiskit_aer": ("qiskit-aer", "quantum"),
    "qiskit_ibm_runtime": ("qiskit-ibm-runtime", "quantum"),
    "torch": ("torch", "torch"),
    "tensorflow": ("tensorflow", "tf"),
    "keras": ("keras", "tf"),
    "sklearn": ("scikit-learn", "ml"),
    "matplotlib": ("matplotlib", "ml"),
    "pyarrow": ("pyarrow", "ml"),
    "dask": ("dask", "dask"),
    "distributed": ("distributed", "dask"),
}


def available(name: str) -> bool:
    """Whether the top-level package ``name`` can be imported (without importing it)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def require(name: str) -> ModuleType:
    """Import and return ``name``, or raise :class:`MissingExtraError` naming the extra."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        top = name.split(".")[0]
        dist, extra = OPTIONAL.get(top, (top, "all"))
        raise MissingExtraError(
            f"{name} is not installed: pip install 'qrand[{extra}]' (or pip install {dist})"
        ) from exc
