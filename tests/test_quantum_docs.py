"""The python code blocks of docs/quantum.md run, in order, in one namespace."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("pennylane")
pytest.importorskip("qiskit_ibm_runtime")

PAGE = Path(__file__).resolve().parent.parent / "docs" / "quantum.md"


@pytest.mark.slow
def test_quantum_page_examples_run(capsys):
    text = PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 6
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(PAGE), "exec"), namespace)  # noqa: S102 - our own docs
    (schema,) = re.findall(r"```json\n(.*?)```", text, flags=re.S)
    from qrand.quantum import HardwareProfile

    profile = HardwareProfile.from_dict(json.loads(schema))
    assert profile.n_qubits == 2 and profile.qubits[1].readout == (0.01, 0.04)
