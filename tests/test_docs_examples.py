"""Every ```python block in the README and the docs runs (blocks of one page run in order).

Blocks run in a scratch folder where ``tests/`` points at the repository's
(examples read ``tests/data/...``). A block whose first line is ``# not run`` is skipped (e.g. one that needs a GPU
or a Dask scheduler address).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _blocks(page: Path) -> list[str]:
    return [b for b in BLOCK.findall(page.read_text()) if not b.startswith("# not run")]


@pytest.mark.slow
@pytest.mark.parametrize("page", [p for p in PAGES if _blocks(p)], ids=lambda p: str(p.relative_to(ROOT)))
def test_code_blocks_run(page, tmp_path):
    code = "\n\n".join(_blocks(page))
    (tmp_path / "tests").symlink_to(ROOT / "tests")  # examples use paths relative to the repository
    script = tmp_path / "example.py"  # a file, not -c: process-pool workers re-import __main__ from it
    script.write_text(code)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "MPLBACKEND": "Agg"}, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
