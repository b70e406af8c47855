"""Shared pytest set-up: paths to test data and a helper to run fresh interpreters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, *, env: dict | None = None, timeout: float = 300, cwd=None) -> str:
    """Run ``code`` in a fresh interpreter and return its stdout (fails the test on error)."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=cwd or ROOT)
    if proc.returncode != 0:
        raise AssertionError(f"child failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return proc.stdout


def run_python_json(code: str, **kwargs):
    """Like :func:`run_python`, parsing the last stdout line as JSON."""
    return json.loads(run_python(code, **kwargs).strip().splitlines()[-1])


@pytest.fixture
def fresh_python():
    """Fixture form of :func:`run_python_json`."""
    return run_python_json
