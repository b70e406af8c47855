"""seed_everything and scoped with the real libraries."""

import os
import sys

import pytest

import qrand
from qrand.seeding import hooks, record

from conftest import run_python, run_python_json

DRAWS = """
import json, os, sys
import qrand
tree = qrand.seed_everything(int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ["S"]))
assert "torch" not in sys.modules and "tensorflow" not in sys.modules  # seeded on import below
import random
import numpy as np
out = {"python": random.random(), "numpy": float(np.random.rand())}
from sklearn.model_selection import train_test_split
out["sklearn"] = [int(i) for i in train_test_split(np.arange(20), test_size=5)[1]]
import pennylane as qml
dev = qml.device("default.qubit", wires=1, shots=20, seed="global")
@qml.qnode(dev)
def circuit():
    qml.Hadamard(0)
    return qml.sample(qml.PauliZ(0))
out["pennylane"] = [int(x) for x in circuit()]
import torch
out["torch"] = torch.rand(3).tolist()
import tensorflow as tf
out["tensorflow"] = tf.random.uniform((3,)).numpy().tolist()
import keras
out["keras"] = keras.random.uniform((2,)).numpy().tolist()
import jax
out["jax"] = jax.random.uniform(qrand.jax_key(), (2,)).tolist()
print(json.dumps(out))
"""


@pytest.mark.slow
def test_every_library_reproducible_in_fresh_processes():
    a = run_python_json(DRAWS, env={"S": "7"})
    b = run_python_json(DRAWS, env={"S": "7"})
    c = run_python_json(DRAWS, env={"S": "8"})
    assert a == b
    for library in a:
        assert a[library] != c[library], library


def test_import_qrand_is_cheap():
    out = run_python_json(
        "import json, sys, qrand, qrand.seeding, qrand.cli\n"
        "heavy = ['numpy', 'jax', 'pennylane', 'qiskit', 'torch', 'tensorflow', 'sklearn', 'pandas', 'scipy']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))")
    assert out == ["numpy"] or out == []  # qrand.seeding may load numpy, never a framework
    out = run_python_json("import json, sys, qrand\nprint(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
                          "{'numpy','jax','pennylane','qiskit','torch','tensorflow','sklearn','pandas'})))")
    assert out == []


def test_library_imported_later_is_seeded_on_import():
    code = """
import json, sys, qrand
qrand.seed_everything(%d)
assert "torch" not in sys.modules
import torch
print(json.dumps(torch.rand(2).tolist()))
"""
    assert run_python_json(code % 3) == run_python_json(code % 3) != run_python_json(code % 4)


def test_scoped_restores_every_state_even_on_exception():
    import random

    import numpy as np
    import tensorflow as tf
    import torch

    def draws():
        return (random.random(), float(np.random.rand()), torch.rand(1).item(),
                float(tf.random.uniform(())), os.environ.get("QISKIT_TRANSPILER_SEED"))

    qrand.seed_everything(11)
    expected = draws()
    qrand.seed_everything(11)
    with pytest.raises(RuntimeError):
        with qrand.scoped(99) as tree:
            assert tree.root == 99
            inner = draws()
            with qrand.scoped(5):
                draws()
            assert draws() != inner  # the inner scope restored this scope's state
            raise RuntimeError("boom")
    assert draws() == expected
    assert record.current().tree.root == 11


def test_scoped_inner_scope_restores_outer_stream():
    import numpy as np

    with qrand.scoped(1):
        first = np.random.rand(3)
    with qrand.scoped(1):
        a = np.random.rand()
        with qrand.scoped(2):
            np.random.rand(100)
        rest = np.random.rand(2)
    assert np.array_equal(first, [a, *rest])


def test_keras_seeding_does_not_clobber_python_and_numpy():
    import random

    import keras
    import numpy as np

    qrand.seed_everything(5, libraries=["python", "numpy"])
    expected = (random.random(), np.random.rand())
    qrand.seed_everything(5)
    assert (random.random(), np.random.rand()) == expected
    from keras.src.utils.rng_utils import get_random_seed

    assert get_random_seed() == record.current().seeds["keras"]


def test_libraries_argument_and_errors():
    import numpy as np

    np.random.seed(0)
    before = np.random.get_state()[1][:4].copy()
    qrand.seed_everything(3, libraries=["python"])
    assert np.array_equal(np.random.get_state()[1][:4], before)  # numpy untouched
    with pytest.raises(qrand.QrandError, match="unknown library 'foo'"):
        qrand.seed_everything(3, libraries=["foo"])
    with pytest.raises(qrand.QrandError):
        qrand.seed_everything(-1)


def test_os_entropy_root_recorded():
    tree = qrand.seed_everything()
    rec = record.current()
    assert rec.tree.source == "os" and rec.tree.root == tree.root
    assert rec.seeds["numpy"] == tree.child("numpy").seed(32)


def test_hashseed_mismatch_is_warned_and_env_given():
    from qrand.seeding import environment

    out = run_python("import qrand; t = qrand.seed_everything(1); "
                     "from qrand.seeding import record, environment; "
                     "print(record.current().warnings); print(environment.child_env(t)['PYTHONHASHSEED'])",
                     env={"PYTHONHASHSEED": "random"})
    assert "PYTHONHASHSEED is random" in out
    derived = environment.hashseed_for(qrand.SeedTree(1))
    assert str(derived) in out
    # a child started with the derived value raises no warning
    out = run_python("import qrand; qrand.seed_everything(1); from qrand.seeding import record; "
                     "print(record.current().warnings)", env={"PYTHONHASHSEED": str(derived)})
    assert out.strip() == "[]"


def test_deterministic_flags_set():
    import torch

    with qrand.scoped(1, deterministic=True):
        assert torch.are_deterministic_algorithms_enabled()
        assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":4096:8"
        assert "--xla_gpu_deterministic_ops=true" in os.environ["XLA_FLAGS"]
    torch.use_deterministic_algorithms(False)


def test_post_import_hook_failure_does_not_break_import():
    name = "json.tool"  # a real, not yet imported module
    sys.modules.pop(name, None)
    hooks.when_imported(name, lambda m: 1 / 0)
    with pytest.warns(RuntimeWarning, match="seeding json.tool on import failed"):
        import json.tool  # noqa: F401
    assert sys.modules[name].__loader__.__class__.__name__ != "_Loader"
