"""Lazy package exports (PEP 562): names load from their module on first use.

Every qrand package keeps ``import qrand.<package>`` cheap this way::

    __getattr__, __dir__, __all__ = lazy_exports(__name__, {"Manifest": "qrand.manifest.model"})

A submodule must not share the name of a function it exports: once the
submodule is imported, Python binds the module to that package attribute and
the function could no longer be reached by name.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[Callable, Callable, list[str]]:
    """``(__getattr__, __dir__, __all__)`` for ``package`` exporting ``name -> module``.

    A name whose module path ends with ``.name`` exports that module itself.
    """
    names = sorted(exports)

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        loaded = importlib.import_module(module)
        value = loaded if module.endswith("." + name) else getattr(loaded, name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return names

    return __getattr__, __dir__, names
