"""The levels of seeding: OS entropy, the Python interpreter, the libraries, the hardware flags.

Every row is measured in fresh processes, because that is where unseeded
randomness shows: within one process a global RNG just moves on.

* **OS**: ``SeedTree(None)`` draws a 128-bit root from OS entropy. Every
  process gets another root, but the root is recorded, and ``SeedTree(root)``
  replays the same numbers.
* **Python**: the iteration order of a ``set`` of strings and ``hash(str)``
  depend on ``PYTHONHASHSEED``, which is read once at interpreter start.
  ``qrand.seed_everything`` inside the script cannot fix them (it records a
  warning); ``qrand run --seed S`` sets the variable for the child and does.
* **Libraries**: ``random`` and NumPy's global RNG (and torch in the full
  run) give new draws in every process unless seeded; ``seed_everything(S)``
  and ``qrand run --seed S`` make them repeat.
* **Hardware flags**: ``deterministic=True`` / ``qrand run --deterministic``
  set the determinism variables (cuBLAS, TF, XLA) and torch's deterministic
  algorithms; ``qrand info`` shows them.

Run: ``python experiments/seeding_levels.py [--seed S] [--quick]``.
"""

from __future__ import annotations

import json
import tempfile

import numpy as np
import pandas as pd

import qrand
from _common import fresh_json, fresh_python, fresh_run, finish, qrand_cli, start

OS_CHILD = """
import json, qrand
tree = qrand.SeedTree(None)
again = qrand.SeedTree(tree.root)
print(json.dumps({"root": str(tree.root), "source": tree.source,
                  "replays": bool((tree.numpy().random(4) == again.numpy().random(4)).all())}))
"""

DRAWS_CHILD = """
import json, os, random, sys
import numpy as np
{setup}
words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau".split()
out = {{"set order": " ".join(set(words)),
       "hash('qrand')": str(hash("qrand")),
       "random.random()": repr(random.random()),
       "numpy.random.rand()": repr(float(np.random.rand()))}}
if {torch}:
    import torch
    out["torch.rand()"] = repr(float(torch.rand(1)))
print(json.dumps(out))
"""

FLAGS_CHILD = """
import json, os, qrand
qrand.seed_everything({seed}, deterministic=True)
import torch
flags = {{k: os.environ.get(k) for k in ("CUBLAS_WORKSPACE_CONFIG", "TF_DETERMINISTIC_OPS", "XLA_FLAGS")}}
flags["torch.are_deterministic_algorithms_enabled()"] = torch.are_deterministic_algorithms_enabled()
print(json.dumps(flags))
"""


DRAW_VARIANTS = ("plain python", "seed_everything(S) in the script", "qrand run --seed S")


def os_level(processes: int) -> list[dict]:
    """Roots drawn from OS entropy in fresh processes, and whether the recorded root replays."""
    rows = []
    for proc in range(processes):
        got = fresh_json(OS_CHILD)
        rows.append({"level": "OS", "variant": "SeedTree(None)", "process": proc, "quantity": "root",
                     "value": got["root"]})
        rows.append({"level": "OS", "variant": "SeedTree(None)", "process": proc,
                     "quantity": "SeedTree(recorded root) replays", "value": str(got["replays"])})
    return rows


def draw_levels(seed: int, processes: int, torch: bool, scratch: str) -> list[dict]:
    """Python- and library-level draws: unseeded, seed_everything in-process, ``qrand run``."""
    variants = {
        "plain python": ("", None),
        "seed_everything(S) in the script": (f"import qrand; qrand.seed_everything({seed})", None),
        "qrand run --seed S": ("", qrand_cli("run", "--seed", str(seed), "--outputs", "none",
                                             "--manifest", f"{scratch}/run.json", "--")),
    }
    rows = []
    for variant, (setup, prefix) in variants.items():
        code = DRAWS_CHILD.format(setup=setup, torch=torch)
        for proc in range(processes):
            got = json.loads(fresh_python(code, prefix=prefix, cwd=scratch).strip().splitlines()[-1])
            for quantity, value in got.items():
                level = "Python" if quantity in ("set order", "hash('qrand')") else "libraries"
                rows.append({"level": level, "variant": variant, "process": proc, "quantity": quantity,
                             "value": value})
    return rows


def flag_level(seed: int, scratch: str, torch: bool) -> list[dict]:
    """Determinism flags as ``qrand info`` shows them, without and with ``--deterministic`` (and torch's)."""
    rows = []
    plain = json.loads(fresh_run(qrand_cli("info", "--json")))["determinism"]
    det = json.loads(fresh_run(qrand_cli("run", "--seed", str(seed), "--deterministic", "--outputs", "none",
                                         "--manifest", f"{scratch}/det.json", "--", *qrand_cli("info", "--json")),
                               cwd=scratch))["determinism"]
    for variant, flags in (("qrand info", plain), ("qrand run --deterministic -- qrand info", det)):
        for key, value in flags.items():
            rows.append({"level": "hardware flags", "variant": variant, "process": 0, "quantity": key,
                         "value": str(value)})
    for key, value in (fresh_json(FLAGS_CHILD.format(seed=seed)) if torch else {}).items():
        rows.append({"level": "hardware flags", "variant": "seed_everything(S, deterministic=True)",
                     "process": 0, "quantity": key, "value": str(value)})
    return rows


def summarise(levels: pd.DataFrame) -> pd.DataFrame:
    """Per level x variant x quantity: number of distinct values across processes."""
    return (levels.groupby(["level", "variant", "quantity"], sort=False)
            .agg(processes=("process", "nunique"), distinct=("value", "nunique"), example=("value", "first"))
            .reset_index())


def plot(run, summary: pd.DataFrame) -> None:
    """Grid of distinct values across fresh processes (1 = reproducible)."""
    import matplotlib.pyplot as plt

    table = summary[summary["level"].isin(["Python", "libraries"])]
    grid = table.pivot(index="variant", columns="quantity", values="distinct")
    grid = grid.loc[[v for v in table["variant"].unique()]]
    fig, ax = plt.subplots(figsize=(8, 2.8))
    ax.imshow(grid.values > 1, cmap="RdYlGn_r", vmin=0, vmax=1.6, aspect="auto")
    for (i, j), value in np.ndenumerate(grid.values):
        ax.text(j, i, f"{int(value)}", ha="center", va="center")
    ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=20, ha="right", fontsize=8)
    ax.set_yticks(range(grid.shape[0]), grid.index, fontsize=8)
    ax.set_title(f"distinct values across {int(table['processes'].max())} fresh processes (1 = repeats)")
    run.figure(fig, "seeding_levels")


def main(argv=None) -> None:
    run = start("seeding_levels", __doc__.splitlines()[0], argv)
    seed = run.tree.child("levels").seed(32)
    processes = run.pick(3, 5)
    with tempfile.TemporaryDirectory() as scratch:
        rows = os_level(processes)
        rows += draw_levels(seed, processes, torch=not run.quick, scratch=scratch)
        rows += flag_level(seed, scratch, torch=not run.quick)
    levels = pd.DataFrame(rows)
    summary = summarise(levels)
    run.csv(levels, "levels")
    run.csv(summary, "summary")
    plot(run, summary)

    def distinct(variant, quantity):
        hit = summary[(summary["variant"] == variant) & (summary["quantity"] == quantity)]
        return int(hit["distinct"].iloc[0])

    flags = levels[levels["level"] == "hardware flags"]
    det_cublas = flags[(flags["variant"] == "qrand run --deterministic -- qrand info")
                       & (flags["quantity"] == "CUBLAS_WORKSPACE_CONFIG")]["value"].iloc[0]
    own = qrand.Manifest.capture().data
    claims = {
        "processes": processes,
        "os_roots_distinct": distinct("SeedTree(None)", "root"),
        "os_root_replays": bool((levels[levels["quantity"] == "SeedTree(recorded root) replays"]["value"] == "True").all()),
        "set_order_distinct": {v: distinct(v, "set order") for v in DRAW_VARIANTS},
        "numpy_distinct": {v: distinct(v, "numpy.random.rand()") for v in DRAW_VARIANTS},
        "deterministic_sets_cublas": det_cublas,
        "this_run_warnings": own.get("warnings", []),
    }
    finish(run, claims)


if __name__ == "__main__":
    main()
