"""Worker seeding (DataLoader, forked pools) and the info/seed commands."""

import json
import multiprocessing
import subprocess
import sys

import numpy as np
import pytest

import qrand
from qrand.cli import main
from qrand.seeding import registry
from qrand.seeding.workers import WorkerSeeder, dataloader_kwargs, pool_initializer

from conftest import run_python_json


def _draw(index, queue):
    queue.put((index, float(np.random.rand())))


def test_forked_children_do_not_share_streams():
    ctx = multiprocessing.get_context("fork")

    def run():
        qrand.seed_everything(4)
        queue = ctx.Queue()
        children = [ctx.Process(target=_draw, args=(i, queue)) for i in range(2)]
        for child in children:
            child.start()
            child.join()
        return dict(queue.get() for _ in children)

    first = run()
    assert first[0] != first[1]  # without reseeding both children continue the parent's stream
    assert run() == first  # the n-th fork after seed_everything always gets child ("fork", n)


DATALOADER = """
import json, sys, torch, numpy as np
from torch.utils.data import DataLoader, Dataset
import qrand
from qrand.seeding.workers import dataloader_kwargs
class Noisy(Dataset):
    def __len__(self): return 8
    def __getitem__(self, i): return torch.tensor([i, np.random.rand(), torch.rand(1).item()])
tree = qrand.seed_everything(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
loader = DataLoader(Noisy(), batch_size=2, shuffle=True, num_workers=2, **dataloader_kwargs(tree))
epochs = [[b.tolist() for b in loader] for _ in range(2)]
print(json.dumps(epochs))
"""


@pytest.mark.slow
def test_dataloader_with_workers_is_reproducible():
    a = run_python_json(DATALOADER)
    b = run_python_json(DATALOADER)
    assert a == b
    first, second = a
    assert first != second  # epochs differ (order and per-worker streams)
    values = [row[1] for batch in first for row in batch]
    assert len(set(values)) == len(values)  # workers do not repeat each other's NumPy draws


def test_worker_seeder_nodes():
    tree = qrand.SeedTree(3)
    seeder = WorkerSeeder(tree)
    assert seeder.node(0) == tree.child("worker", 0) != seeder.node(1)
    seeder(1)
    a = np.random.rand()
    seeder(1)
    assert np.random.rand() == a
    kwargs = dataloader_kwargs(tree)
    assert kwargs["generator"].initial_seed() == tree.child("dataloader").seed(64)


def test_cli_seed_json(capsys):
    assert main(["seed", "42", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["root"] == 42 and out["source"] == "user"
    tree = qrand.SeedTree(42)
    assert out["seeds"]["numpy"] == tree.child("numpy").seed(32)
    assert out["seeds"]["torch"] == tree.child("torch").seed(64)
    assert set(out["seeds"]) >= {"python", "numpy", "torch", "tensorflow", "jax", "pythonhashseed"}
    assert main(["seed", "1", "--path", "data", "3", "--bits", "64", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["path"]["seed"] == qrand.SeedTree(1).child("data", 3).seed(64)


@pytest.mark.parametrize("argv", [["seed", "-5"], ["seed", "1.5"], ["seed", "true"], ["seed", "abc"],
                                  ["seed", "1", "--library", "nope"], ["seed", "1", "--bits", "16"],
                                  ["seed", str(2**128)]])
def test_cli_bad_input_exits_2_with_one_line(argv):
    proc = subprocess.run([sys.executable, "-m", "qrand", *argv], capture_output=True, text=True)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_cli_info_json(capsys):
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["versions"]["numpy"] == np.__version__
    assert "hash_randomization" in info and "cpu_count" in info["threads"]
    assert info["sources"]["torch"]["installed"] is True


def _numpy_seed_word(_):
    return int(np.random.get_state()[1][0])  # MT19937 key word 0 = the int seed it was given


def test_spawned_pool_workers_get_their_own_streams():
    from concurrent.futures import ProcessPoolExecutor

    tree = qrand.SeedTree(8)
    ctx = multiprocessing.get_context("spawn")
    init, args = pool_initializer(tree, ctx)
    with ProcessPoolExecutor(2, mp_context=ctx, initializer=init, initargs=args) as pool:
        seeds = set(pool.map(_numpy_seed_word, range(4)))
    expected = {registry.derive(tree.child("worker", i), "numpy") for i in range(2)}
    assert seeds and seeds <= expected  # every task ran on a worker seeded from its own child


def test_cli_reference_page_is_in_sync():
    from pathlib import Path

    from qrand.cli.reference import render

    page = Path(__file__).resolve().parent.parent / "docs" / "reference" / "cli.md"
    assert page.read_text() == render(), "regenerate: python -m qrand.cli.reference > docs/reference/cli.md"
