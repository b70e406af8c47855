"""qrand.training: streams, data, circuit, sampling, models, traps, lucky runs, plots, CLI."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import numpy as np
import pytest

from qrand.errors import MissingExtraError, QrandError
from qrand.seeding.tree import SeedTree


# -- streams and data ---------------------------------------------------------------

def test_import_is_cheap():
    code = ("import sys, qrand.training, qrand.training.streams; "
            "print([m for m in ('jax', 'torch', 'pandas', 'sklearn', 'pennylane') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_factor_trees_vary_one_factor_alone():
    from qrand.training.streams import factor_trees

    a, b = factor_trees(1, "init", base=99), factor_trees(2, "init", base=99)
    assert a["init"] != b["init"] and a["init"] == SeedTree(1).child("init")
    for name in ("split", "shuffle", "dropout", "shots", "data"):
        assert a[name] == b[name] == (SeedTree(99) if name == "shots" else SeedTree(99).child(name))
    every = factor_trees(3, "all", base=99)
    assert every["split"] == SeedTree(3).child("split") and every["data"] == SeedTree(99).child("data")


@pytest.mark.parametrize("vary", ["bogus", "", ["init", "nope"]])
def test_bad_vary_raises(vary):
    from qrand.training.streams import parse_vary

    with pytest.raises(QrandError):
        parse_vary(vary)


def test_datasets_load_offline_and_split_is_seeded():
    from qrand.training.data import DATASETS, load_dataset, split_dataset

    for name in DATASETS:
        data = load_dataset(name)
        assert data.n_features <= 4 and data.n_classes >= 2
        assert data.fingerprint == load_dataset(name).fingerprint
    data = load_dataset("iris")
    one, two = split_dataset(data, SeedTree(5).child("split")), split_dataset(data, SeedTree(5).child("split"))
    other = split_dataset(data, SeedTree(6).child("split"))
    assert one.fingerprint() == two.fingerprint() != other.fingerprint()
    assert np.allclose(one.X_train.mean(0), 0) and np.bincount(one.y_test).min() >= 13  # stratified
    ordered = split_dataset(data, SeedTree(5).child("split"), order="sorted")
    assert np.all(np.diff(ordered.y_train) >= 0)
    with pytest.raises(QrandError):
        load_dataset("mnist")
    with pytest.raises(QrandError):
        split_dataset(data, 1, test_size=0.99)


def test_train_config_rejects_bad_values():
    from qrand.training import TrainConfig

    for bad in ({"shots": -1}, {"epochs": 0}, {"dataset": "x"}, {"order": "random"}, {"lr": 0}):
        with pytest.raises(QrandError):
            TrainConfig(**bad)


# -- circuit and shot sampling -----------------------------------------------------

@pytest.mark.slow
def test_statevector_matches_pennylane_default_qubit():
    import jax

    from qrand.training.vqc import pennylane_probs, statevector_probs

    rng = np.random.default_rng(3)
    with jax.enable_x64(True):
        ours, reference = statevector_probs(4, 2), pennylane_probs(4, 2)
        for features in (2, 4):
            weights, x = rng.uniform(0, 2 * np.pi, (2, 4, 2)), rng.normal(size=features)
            assert np.max(np.abs(np.asarray(ours(weights, x)) - np.asarray(reference(weights, x)))) < 1e-12


def test_sample_counts_pass_g_test_and_ignore_batching():
    import jax

    from qrand.stats import g_test
    from qrand.training.vqc import sample_counts

    rng = np.random.default_rng(0)
    with jax.enable_x64(True):
        probs = rng.dirichlet(np.full(16, 0.5), size=6)
        probs[0] = np.eye(16)[5]  # a deterministic outcome
        key = jax.random.key(11)
        counts = np.asarray(sample_counts(jax, key, jax.numpy.asarray(probs), 20000))
        assert counts.shape == (6, 16) and counts.dtype == np.int32 and np.all(counts.sum(-1) == 20000)
        assert counts[0, 5] == 20000
        # statistically right: a G-test against the exact probabilities accepts every row ...
        assert min(float(g_test(c, p).pvalue) for c, p in zip(counts[1:], probs[1:])) > 1e-3
        # ... and has the power to reject the same counts against a neighbouring distribution
        assert max(float(g_test(c, np.roll(p, 1)).pvalue) for c, p in zip(counts[1:], probs[1:])) < 1e-6
        # independent keys give independent samples; vmap over keys/rows changes nothing
        keys = jax.random.split(key, 3)
        batched = jax.vmap(lambda k, p: sample_counts(jax, k, p, 50))(
            keys, jax.numpy.asarray(probs.reshape(3, 2, 16)))
        alone = [np.asarray(sample_counts(jax, k, jax.numpy.asarray(p), 50))
                 for k, p in zip(keys, probs.reshape(3, 2, 16))]
        assert np.array_equal(np.asarray(batched), np.stack(alone))
        assert not np.array_equal(alone[1][0], np.asarray(sample_counts(jax, keys[2], jax.numpy.asarray(probs[2]), 50)))


@pytest.mark.slow
def test_many_shots_approach_analytic_training():
    from qrand.training import VQC

    options = dict(dataset="moons", epochs=1, batch_size=4, max_samples=40, lr=0.05, n_layers=1)
    exact = VQC(shots=0, **options)(4)
    many = np.max(np.abs(VQC(shots=2000, **options)(4).losses - exact.losses))
    few = np.max(np.abs(VQC(shots=10, **options)(4).losses - exact.losses))
    assert many < 0.003 and few > many


@pytest.mark.slow
def test_vqc_shot_keys_follow_execution_seed_rule():
    from qrand.training import VQC
    from qrand.training.engine import key_data

    options = dict(dataset="moons", epochs=1, batch_size=8, max_samples=40, shots=30)
    varied, fixed = VQC(vary="shots", **options), VQC(vary="init", **options)
    keys = varied.prepare(SeedTree(1))["shot_keys"]
    for k in (0, len(keys) - 1):
        rule = SeedTree(1).child("device", "default.qubit", "exec", k)
        assert np.array_equal(keys[k], key_data(rule))
        assert np.array_equal(np.asarray(__import__("jax").random.key_data(rule.jax_key())), keys[k])
    assert not np.array_equal(keys, varied.prepare(SeedTree(2))["shot_keys"])
    assert np.array_equal(fixed.prepare(SeedTree(1))["shot_keys"], fixed.prepare(SeedTree(2))["shot_keys"])
    run = VQC(record_samples=True, vary="shots", **options)(1)
    assert run.samples.shape[0] == len(run.losses) and np.all(run.samples.sum(-1) == 30)


# -- models ------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["logreg", "mlp", "jax-mlp", "vqc"])
def test_every_model_learns_and_repeats_in_process(model):
    from qrand.training import make_trainer

    trainer = make_trainer(model, dataset="iris", epochs=4, batch_size=8, lr=0.05)
    one, two = trainer(3), trainer(3)
    assert np.array_equal(one.losses, two.losses) and np.array_equal(one.params, two.params)
    assert one.losses[-1] < one.losses[0] and one.test_acc > 0.5
    other = trainer(4)
    assert not np.array_equal(one.losses, other.losses)


def test_torch_missing_names_the_extra(monkeypatch):
    from qrand.training import TorchMLP

    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(MissingExtraError, match=r"qrand\[torch\]"):
        TorchMLP(dataset="moons", epochs=1)(0)


@pytest.mark.slow
def test_multi_seed_jax_mlp_equals_single_runs():
    from qrand.training import JaxMLP, multi_seed

    trainer = JaxMLP(dataset="moons", epochs=3)
    batched = multi_seed(trainer, 6)
    for seed, result in enumerate(batched):
        alone = trainer(seed)
        assert np.max(np.abs(alone.params - result.params)) < 1e-12
        assert np.max(np.abs(alone.losses - result.losses)) < 1e-12
        assert alone.test_acc == result.test_acc
    with pytest.raises(QrandError):
        multi_seed(trainer, [])


def test_multi_seed_vmapped_chunks_through_a_store_resume(tmp_path):
    from qrand.sweep import SweepStore
    from qrand.training import VQC, multi_seed

    trainer = VQC(dataset="moons", epochs=1, shots=20, record_samples=True)
    store = tmp_path / "vqc.sqlite"
    stored = multi_seed(trainer, 5, store=store, chunk=2)
    direct = multi_seed(trainer, 5, chunk=2)  # same batches: bitwise equal
    for a, b in zip(stored, direct):
        assert np.array_equal(a.samples, b.samples) and np.array_equal(a.params, b.params)
        assert np.array_equal(a.losses, b.losses) and a.test_acc == b.test_acc
    again = multi_seed(trainer, 5, store=store, chunk=2)
    assert all(np.array_equal(a.params, b.params) for a, b in zip(again, stored))
    with SweepStore.open(store) as db:
        assert [(r["done"], r["failed"]) for r in db.runs()] == [(3, 0), (0, 0)]


def test_multi_seed_runs_sklearn_as_a_sweep_equal_to_single_runs():
    from qrand.training import SklearnTrainer, multi_seed

    trainer = SklearnTrainer("mlp", dataset="iris", epochs=2)
    seeds = [SeedTree(7).child("run", i) for i in range(3)] + [5]
    serial = multi_seed(trainer, seeds)
    pooled = multi_seed(trainer, seeds, executor="processes", workers=2)
    for seed, a, b in zip(seeds, serial, pooled):
        alone = trainer(seed)
        assert a.seed is seed and b.seed is seed
        for run in (a, b):
            assert np.array_equal(run.params, alone.params) and np.array_equal(run.losses, alone.losses)
            assert run.test_acc == alone.test_acc and run.fingerprints == alone.fingerprints
    with pytest.raises(QrandError):
        multi_seed(trainer, [1], vectorize=True)
    with pytest.raises(QrandError, match="plain function"):
        multi_seed(lambda seed: trainer(seed), [1], executor="processes")


def _logreg_failing_on_seed_two(**options):
    """The logreg trainer (same spec) crashing on seed 2: stands in for an interrupted run."""
    from qrand.training import SklearnTrainer

    class FailsOnSeedTwo(SklearnTrainer):
        def __call__(self, seed):
            if seed == 2:
                raise RuntimeError("interrupted")
            return super().__call__(seed)

    return FailsOnSeedTwo("logreg", **options)


def test_multi_seed_sweep_resumes_from_its_store(tmp_path):
    from qrand.sweep import SweepStore
    from qrand.training import SklearnTrainer, multi_seed

    trainer = SklearnTrainer("logreg", dataset="iris", epochs=2)
    store = tmp_path / "seeds.sqlite"
    with pytest.raises(QrandError, match=r"1 of 4 seeds failed .*kept in .*RuntimeError: interrupted"):
        multi_seed(_logreg_failing_on_seed_two(dataset="iris", epochs=2), 4, store=store)
    runs = multi_seed(trainer, 4, store=store)
    with SweepStore.open(store) as db:
        history = db.runs()
    assert [(r["done"], r["failed"]) for r in history] == [(3, 1), (1, 0)]
    assert all(np.array_equal(run.params, trainer(seed).params) for seed, run in enumerate(runs))


# -- traps, decomposition, lucky runs -------------------------------------------

def test_sorted_unshuffled_converges_worse_on_same_seeds():
    from qrand.training import JaxMLP, sorted_without_shuffle

    frame = sorted_without_shuffle(JaxMLP(dataset="iris", epochs=5, lr=0.05), 8)
    loss = frame.pivot(index="seed", columns="order", values="final_loss")
    assert loss["sorted"].mean() > loss["shuffled"].mean() * 1.2
    assert (loss["sorted"] > loss["shuffled"]).mean() >= 0.75


def test_fixed_init_still_spreads():
    from qrand.training import JaxMLP, fixed_init_spread

    frame = fixed_init_spread(JaxMLP(dataset="moons", epochs=3), 8)
    spread = frame.groupby("condition")["test_acc"].std()
    assert spread["init fixed"] > 0 and spread["all varied"] > 0


def test_unseeded_split_changes_every_run():
    from qrand.training import unseeded_split

    frame = unseeded_split("iris", runs=4)
    unique = frame.groupby("mode")["test_fingerprint"].nunique()
    assert unique["seeded"] == 1 and unique["unseeded"] > 1


def test_variance_shares_sum_to_about_total():
    from qrand.training import SklearnTrainer, decompose

    result = decompose(SklearnTrainer("mlp", dataset="iris", epochs=4), 24)
    table = result.table.set_index("factor")
    assert set(table.index) == {"init", "split", "shuffle", "all", "sum of factors"}
    assert table.loc["all", "share"] == 1.0 and table.loc["all", "var"] > 0
    assert 0.5 < result.share_sum() < 2.0
    assert len(result.runs) == 4 * 24


def test_expected_best_of_k_matches_enumeration():
    from qrand.training import best_of_k_curve, expected_best_of_k, percentile_of, summarize

    values = np.array([0.7, 0.9, 0.8, 0.8, 0.95, 0.6])
    for k in range(1, 7):
        brute = np.mean([max(c) for c in itertools.combinations(values, k)])
        assert expected_best_of_k(values, k) == pytest.approx(brute)
    assert expected_best_of_k(values, 1) == pytest.approx(values.mean())
    assert percentile_of(values, 0.95) == pytest.approx(100 * 5.5 / 6)
    stats = summarize(values, reported=0.95)
    assert stats["ci_low"] < values.mean() < stats["ci_high"] and stats["reported_percentile"] > 90
    near_one = [1.0, 1.0, 0.7, 1.0]
    assert summarize(near_one)["ci_high"] > 1 and summarize(near_one, bounds=(0, 1))["ci_high"] == 1
    with pytest.raises(QrandError, match="bounds must be"):
        summarize(near_one, bounds=(1, 0))
    curve = best_of_k_curve(values)
    assert np.all(np.diff(curve["inflation"]) >= 0) and curve["inflation"].iloc[-1] == pytest.approx(0.95 - values.mean())
    with pytest.raises(QrandError):
        expected_best_of_k(values, 7)


# -- plots and CLI -----------------------------------------------------------------

def test_plots_write_png_and_svg(tmp_path):
    from qrand.training import SklearnTrainer, best_of_k_curve, curves_frame, multi_seed, results_frame
    from qrand.training.plots import plot_best_of_k, plot_curves, plot_distributions

    runs = multi_seed(SklearnTrainer("logreg", dataset="iris", epochs=3), 4)
    frame = results_frame(runs)
    paths = (plot_distributions(frame, tmp_path) + plot_curves(curves_frame(runs), tmp_path)
             + plot_best_of_k(best_of_k_curve(frame["test_acc"]), tmp_path, mean=0.9))
    assert sorted(p.suffix for p in paths) == [".png"] * 3 + [".svg"] * 3
    assert all(p.stat().st_size > 1000 for p in paths)


def test_cli_train_writes_tables_plots_manifest(tmp_path, capsys):
    from qrand.cli import main

    out = tmp_path / "run"
    code = main(["train", "--model", "logreg", "--dataset", "iris", "--seeds", "4", "--epochs", "2",
                 "--vary", "split,shuffle", "--out", str(out), "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert [c["condition"] for c in summary["conditions"]] == ["split", "shuffle", "all"]
    for name in ("runs.csv", "curves.csv", "variance_shares.csv", "manifest.json", "summary.json",
                 "accuracy_distribution.png", "loss_curves.svg", "best_of_k.png"):
        assert (out / name).exists(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert any(key.startswith("dataset/iris") for key in json.dumps(manifest).split('"'))
    assert sorted(p.name for p in (out / "stores").iterdir()) == [
        f"logreg-shots0-{c}.sqlite" for c in ("all", "shuffle", "split")]


def test_cli_train_sklearn_on_two_processes_resumes(tmp_path, capsys):
    from qrand.cli import main

    argv = ["train", "--model", "mlp", "--dataset", "iris", "--seeds", "4", "--epochs", "2",
            "--out", str(tmp_path), "--no-plots", "--json"]
    assert main(argv + ["--executor", "processes", "--workers", "2"]) == 0
    first = (tmp_path / "runs.csv").read_text()
    assert main(argv) == 0  # every seed comes from the store now
    assert (tmp_path / "runs.csv").read_text().split("\n")[0] == first.split("\n")[0]
    capsys.readouterr()
    from qrand.sweep import SweepStore

    with SweepStore.open(tmp_path / "stores" / "mlp-shots0-all.sqlite") as db:
        assert [(r["executor"], r["done"]) for r in db.runs()] == [("processes", 4), ("serial", 0)]


@pytest.mark.parametrize("argv", [["--shots", "-5"], ["--vary", "bogus"], ["--seeds", "1"],
                                  ["--model", "logreg", "--shots", "100"]])
def test_cli_bad_input_exits_2(tmp_path, capsys, argv):
    from qrand.cli import main

    assert main(["train", "--out", str(tmp_path), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qrand: error:") and err.count("\n") == 1
