"""The registry of random sources, in the order ``seed_everything`` seeds them.

Adding a source is adding one module to :mod:`qrand.seeding.sources` and one
name to :data:`SOURCE_MODULES`; nothing else branches on library names.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

from ..errors import QrandError
from .tree import SeedTree

#: name -> module, in seeding order (Keras after Python/NumPy: it restores them)
SOURCE_MODULES = {
    "python": "python_random",
    "numpy": "numpy_legacy",
    "sklearn": "sklearn",
    "pennylane": "pennylane",
    "jax": "jax",
    "qiskit": "qiskit",
    "qiskit_algorithms": "qiskit_algorithms",
    "torch": "torch",
    "tensorflow": "tensorflow",
    "keras": "keras",
    "pythonhashseed": "pythonhashseed",
}


def source(name: str) -> ModuleType:
    """The source module registered under ``name``."""
    if name not in SOURCE_MODULES:
        raise QrandError(f"unknown library {name!r}; known: {', '.join(SOURCE_MODULES)}")
    return importlib.import_module(f"{__package__}.sources.{SOURCE_MODULES[name]}")


def loaded(module: ModuleType) -> bool:
    """Whether a source's library is imported and usable (``sys.modules[name] = None`` blocks it)."""
    return module.MODULE is None or sys.modules.get(module.MODULE) is not None


def select(libraries=None) -> list[str]:
    """Validate a ``libraries=`` argument (None = all) and return names in seeding order."""
    if libraries is None:
        return list(SOURCE_MODULES)
    if isinstance(libraries, str):
        libraries = [part.strip() for part in libraries.split(",") if part.strip()]
    unknown = [name for name in libraries if name not in SOURCE_MODULES]
    if unknown:
        raise QrandError(f"unknown library {unknown[0]!r}; known: {', '.join(SOURCE_MODULES)}")
    return [name for name in SOURCE_MODULES if name in set(libraries)]


def derive(tree: SeedTree, name: str) -> int:
    """The seed library ``name`` gets from ``tree`` (pure: imports nothing)."""
    module = source(name)
    return tree.child(*module.PATH).seed(module.BITS)


def derived_seeds(tree: SeedTree, libraries=None) -> dict[str, int | list[int]]:
    """Every library's derived seed, plus the JAX key words (``"jax"``: uint32 list)."""
    import numpy as np

    seeds: dict[str, int | list[int]] = {}
    for name in select(libraries):
        if name == "jax":
            seeds[name] = [int(w) for w in tree.child(*source(name).PATH).generate_state(2, np.uint32)]
        else:
            seeds[name] = derive(tree, name)
    return seeds
