"""Exceptions qrand raises for bad input.

Every error a user can cause by giving bad input is a :class:`QrandError`
(a ``ValueError``); the CLI prints its message as one line and exits 2.
"""

from __future__ import annotations


class QrandError(ValueError):
    """Bad input: a seed, a file, a name or a parameter qrand cannot use."""


class MissingExtraError(ImportError):
    """An optional framework is needed but not installed."""
