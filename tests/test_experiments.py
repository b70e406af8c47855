"""The research scripts in ``experiments/``: each runs with ``--quick`` in a fresh process.

Every script must write its CSVs, PNGs, ``claims.json`` and a manifest whose
output hashes match the files, and its data must show the script's main
point (checked here from the CSV files, not from the script's own summary).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import qrand

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENTS = ROOT / "experiments"
SEED = 20261204


def _run(name: str, out: Path) -> dict:
    proc = subprocess.run([sys.executable, str(EXPERIMENTS / f"{name}.py"), "--quick", "--seed", str(SEED),
                           "--out", str(out)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-4000:]
    manifest = qrand.Manifest.load(out / "manifest.json")
    assert manifest.root == SEED and manifest.seed_source == "user"
    outputs = manifest.data["outputs"]
    assert "claims.json" in outputs and any(k.endswith(".png") for k in outputs)
    for rel, info in outputs.items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == info["sha256"], rel
    return json.loads((out / "claims.json").read_text())


def check_where_randomness_enters_training(out: Path, claims: dict) -> None:
    runs = pd.read_csv(out / "runs.csv")
    assert set(runs["factor"]) == {"init", "split", "shuffle", "dropout", "all"}
    # each factor alone moves the result: no two seeds end at the same loss
    assert (runs.groupby("factor")["final_loss"].nunique() == claims["seeds_per_factor"]).all()
    assert claims["same_seed_bitwise_identical"] is True
    sums = pd.read_csv(out / "summation_order.csv")
    assert sums.groupby("method")["sum"].nunique().max() > 1  # order changes the last bits
    assert (sums["sum"] - sums["exact"]).abs().max() < 1e-2 * sums["exact"].abs().max() + 1.0
    assert {"thread_count.csv", "float_order.png"} <= {p.name for p in out.iterdir()}


def check_seeding_levels(out: Path, claims: dict) -> None:
    summary = pd.read_csv(out / "summary.csv").set_index(["variant", "quantity"])["distinct"]
    processes = claims["processes"]
    assert summary[("SeedTree(None)", "root")] == processes
    for quantity in ("set order", "numpy.random.rand()", "random.random()"):
        assert summary[("plain python", quantity)] > 1
        assert summary[("qrand run --seed S", quantity)] == 1
    assert summary[("seed_everything(S) in the script", "numpy.random.rand()")] == 1
    assert summary[("seed_everything(S) in the script", "set order")] > 1  # too late for the hash seed
    levels = pd.read_csv(out / "levels.csv")
    cublas = levels[(levels["quantity"] == "CUBLAS_WORKSPACE_CONFIG")].set_index("variant")["value"]
    assert cublas["qrand run --deterministic -- qrand info"] == ":4096:8"


def check_randomness_traps(out: Path, claims: dict) -> None:
    order = pd.read_csv(out / "sorted_without_shuffle.csv")
    means = order.groupby("order")["curve_mean"].mean()
    assert means["sorted"] > means["shuffled"]
    init = pd.read_csv(out / "fixed_init_spread.csv")
    assert init[init["condition"] == "init fixed"]["test_acc"].std() > 0
    splits = pd.read_csv(out / "unseeded_split.csv")
    distinct = splits.groupby("mode")["test_fingerprint"].nunique()
    assert distinct["seeded"] == 1 and distinct["unseeded"] == len(splits) // 2


def check_shot_noise_vs_noise_models(out: Path, claims: dict) -> None:
    thresholds = pd.read_csv(out / "thresholds.csv")
    by = thresholds.set_index(["circuit", "backend"])["threshold_shots"]
    assert pd.isna(by[("ghz:4", "default.qubit")])  # the ideal simulator is never "detected"
    control = [b for b in thresholds["backend"] if b.startswith("default.mixed:uniform")]
    assert control and pd.isna(by[("ghz:4", control[0])])
    assert by[("ghz:4", "aer:fake_manila")] <= 1000
    spread = pd.read_csv(out / "spread.csv")
    ideal = spread[(spread["backend"] == "default.qubit") & (spread["observable"] == "ZIII")]
    assert -0.75 < ideal["slope"].iloc[0] < -0.3


def check_quantum_vs_classical_seed_variance(out: Path, claims: dict) -> None:
    runs = pd.read_csv(out / "runs.csv")
    assert {"VQC (exact)", "JAX MLP", "logreg", "sklearn MLP"} <= set(runs["label"])
    assert (runs.groupby("label")["seed"].nunique() == claims["seeds"]).all()
    best = pd.read_csv(out / "best_of_k.csv")
    for _, part in best.groupby("label"):
        assert part["inflation"].is_monotonic_increasing and part["inflation"].iloc[0] == pytest.approx(0, abs=1e-12)
    assert runs[runs["label"] == "VQC (exact)"]["test_acc"].std() > 0


def check_qrng_quality(out: Path, claims: dict) -> None:
    summary = pd.read_csv(out / "summary.csv").set_index(["source", "extraction"])
    noisy = "noisy quantum (fake_manila)"
    assert summary.loc[(noisy, "raw"), "frequency_min_p"] < 1e-6
    assert summary.loc[(noisy, "vn"), "frequency_min_p"] >= 0.01
    assert abs(summary.loc[(noisy, "raw"), "ones"] - 0.5) > 0.005
    assert summary.loc[("os", "raw"), "pass_rate"] > 0.9 and summary.loc[("pcg64", "raw"), "pass_rate"] > 0.9
    assert 0.2 < claims["extractor_yield"]["vn"] < 0.26


def check_simulator_seeds_vs_os_entropy(out: Path, claims: dict) -> None:
    samples = pd.read_csv(out / "pennylane_samples.csv")
    distinct = samples[samples["call"] == 0].groupby("variant")["samples_sha"].nunique()
    processes = samples["process"].nunique()
    assert distinct["pennylane seed=None (OS entropy)"] == processes
    assert distinct["qrand.quantum.device(seed=S)"] == 1
    assert distinct["pennylane default after seed_everything"] == 1
    shifts = pd.read_csv(out / "aer_shift_match.csv").set_index(["pair", "shift"])["match"]
    assert shifts[("Aer seed_simulator n vs n+1", 1)] == 1.0
    qrand_pairs = shifts.drop("Aer seed_simulator n vs n+1", level="pair")
    assert qrand_pairs.max() < 0.2
    assert claims["batch_circuit1_equals_seed_n_plus_2113"] is True


SCRIPTS = [name.removeprefix("check_") for name in dir() if name.startswith("check_")]


def test_every_script_is_tested():
    scripts = {p.stem for p in EXPERIMENTS.glob("*.py") if not p.stem.startswith("_")}
    assert scripts == set(SCRIPTS)


@pytest.mark.slow
@pytest.mark.timeout(400)
@pytest.mark.parametrize("name", SCRIPTS)
def test_script_quick(name, tmp_path):
    out = tmp_path / name
    claims = _run(name, out)
    assert claims["quick"] is True
    globals()[f"check_{name}"](out, claims)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_gpu_checks_plumbing_on_the_cpu(tmp_path):
    """The GPU check script runs its paths on the CPU (so it is ready when a GPU session comes)."""
    script = EXPERIMENTS / "benchmarks" / "gpu_checks.py"
    proc = subprocess.run([sys.executable, str(script), "--cpu-dry-run", "--skip-bench", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=280)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    checks = {c["check"]: c for c in json.loads((tmp_path / "gpu_checks.json").read_text())["checks"]}
    assert len(checks) == 5 and all(c["status"] != "FAIL" for c in checks.values())
    assert "default kernels: bitwise; deterministic: bitwise" in checks["torch index_add_ graded by qrand check"]["detail"]
