"""Post-import hooks: run a callback right after a module finishes importing.

Used by ``seed_everything`` to seed a library the moment it is first imported,
without importing it. A meta-path finder wraps the real loader's
``exec_module`` for watched names only; the module's own ``__loader__`` is put
back afterwards, and a failing callback never breaks the import (it warns).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
import threading
import warnings
from collections.abc import Callable

_callbacks: dict[str, list[Callable]] = {}
_searching: set[str] = set()
_lock = threading.RLock()


class _Loader(importlib.abc.Loader):
    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        module.__loader__ = self._loader
        if getattr(module, "__spec__", None) is not None:
            module.__spec__.loader = self._loader
        fire(module.__name__)

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        with _lock:
            if fullname not in _callbacks or fullname in _searching:
                return None
            _searching.add(fullname)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            with _lock:
                _searching.discard(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader)
        return spec


_FINDER = _Finder()


def when_imported(name: str, callback: Callable) -> None:
    """Call ``callback(module)`` once ``name`` is imported (now, if it already is)."""
    if name in sys.modules:
        callback(sys.modules[name])
        return
    with _lock:
        _callbacks.setdefault(name, []).append(callback)
        if _FINDER not in sys.meta_path:
            sys.meta_path.insert(0, _FINDER)


def fire(name: str) -> None:
    """Run and forget the callbacks registered for ``name``."""
    with _lock:
        callbacks = _callbacks.pop(name, [])
        if not _callbacks and _FINDER in sys.meta_path:
            sys.meta_path.remove(_FINDER)
    for callback in callbacks:
        try:
            callback(sys.modules[name])
        except Exception as exc:  # never break the user's import
            warnings.warn(f"qrand: seeding {name} on import failed: {exc}", RuntimeWarning, stacklevel=2)


def pending() -> dict[str, list[Callable]]:
    """A copy of the callbacks still waiting for their module."""
    with _lock:
        return {k: list(v) for k, v in _callbacks.items()}


def restore(saved: dict[str, list[Callable]]) -> None:
    """Replace all pending callbacks with ``saved`` (used by ``scoped``)."""
    with _lock:
        _callbacks.clear()
        _callbacks.update({k: list(v) for k, v in saved.items()})
        if _callbacks and _FINDER not in sys.meta_path:
            sys.meta_path.insert(0, _FINDER)
        elif not _callbacks and _FINDER in sys.meta_path:
            sys.meta_path.remove(_FINDER)
