"""Small printing helpers shared by the CLI commands."""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON (non-JSON values via ``str``)."""
    json.dump(data, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


def print_table(rows: list[tuple[str, Any]], title: str | None = None) -> None:
    """Print ``(label, value)`` rows aligned in two columns."""
    if title:
        print(title)
    width = max((len(label) for label, _ in rows), default=0)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
