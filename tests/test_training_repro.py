"""qrand.training must-shows: bitwise curves across fresh processes, multi_seed == single runs."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

SCRIPT = textwrap.dedent("""
    import hashlib, json
    import numpy as np
    from qrand.training import make_trainer

    def digest(*arrays):
        h = hashlib.sha256()
        for a in arrays:
            h.update(np.ascontiguousarray(a).tobytes())
        return h.hexdigest()

    small = dict(dataset="moons", epochs=2, batch_size=8, max_samples=48)
    cases = {
        "logreg": make_trainer("logreg", **small),
        "mlp": make_trainer("mlp", **small),
        "jax-mlp": make_trainer("jax-mlp", **small),
        "torch-mlp": make_trainer("torch-mlp", num_workers=2, **small),
        "vqc": make_trainer("vqc", **small),
        "vqc-shots": make_trainer("vqc", shots=50, record_samples=True, **small),
    }
    out = {}
    for name, trainer in cases.items():
        result = trainer(7)
        arrays = [result.losses, result.params] + ([result.samples] if result.samples is not None else [])
        out[name] = {"digest": digest(*arrays), "steps": len(result.losses),
                     "other_seed": digest(trainer(8).losses)}
    print(json.dumps(out))
""")


@pytest.mark.slow
def test_same_seed_gives_bitwise_identical_curves_in_fresh_processes():
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outputs = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr[-2000:]
        outputs.append(json.loads(stdout.strip().splitlines()[-1]))
    first, second = outputs
    assert set(first) == {"logreg", "mlp", "jax-mlp", "torch-mlp", "vqc", "vqc-shots"}
    for name in first:
        assert first[name]["digest"] == second[name]["digest"], name
        assert first[name]["steps"] > 1
        assert first[name]["other_seed"] != first[name]["digest"], name


@pytest.mark.slow
def test_multi_seed_32_finite_shot_vqc_equals_single_runs():
    from qrand.training import VQC, multi_seed

    trainer = VQC(dataset="moons", epochs=1, batch_size=8, max_samples=48, shots=50, record_samples=True)
    assert trainer.n_qubits == 4
    batched = multi_seed(trainer, 32)
    assert len(batched) == 32
    distinct = set()
    for seed, result in enumerate(batched):
        alone = trainer(seed)
        assert np.array_equal(alone.samples, result.samples)  # identical shot samples
        assert np.max(np.abs(alone.params - result.params)) < 1e-9
        assert np.max(np.abs(alone.losses - result.losses)) < 1e-9
        assert alone.params.dtype == np.float64
        distinct.add(result.samples.tobytes())
    assert len(distinct) == 32
