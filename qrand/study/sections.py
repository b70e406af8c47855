"""The study's sections: each takes the study's tree and returns a :class:`Section`.

Every section draws only from its own child of the study tree
(``("environment",)``, ``("reproducibility",)``, ``("shots",)``,
``("training",)``, ``("traps",)``, ``("nist",)``), so sections can be re-run, reordered or skipped without
changing each other's numbers.
"""

from __future__ import annotations

from pathlib import Path

from ..seeding import registry
from ..seeding.tree import SeedTree
from .config import StudyConfig
from .report import Section

#: data files whose content depends on OS entropy by design (kept out of the reproduction check)
NONDETERMINISTIC = "nondeterministic"


def environment(tree: SeedTree, cfg: StudyConfig, figures: Path) -> Section:
    """The seed tree and what decides randomness on this machine."""
    import pandas as pd

    from ..cli.info import collect

    section = Section("Seed tree and environment")
    section.say(f"Root seed **{tree.root}** (source: `{tree.source}`). Every random stream below is a "
                "node of this one tree; each library gets a seed generated at the width it accepts.")
    rows = []
    for name, value in registry.derived_seeds(tree).items():
        module = registry.source(name)
        rows.append({"library": name, "path": "/".join(map(str, module.PATH)), "bits": module.BITS,
                     "seed": str(value)})
    seeds = pd.DataFrame(rows)
    section.tables.append(("Derived seed per library", seeds))
    section.data["seeds"] = seeds
    info = collect()
    hashing = info["hash_randomization"]
    section.say(f"Hash randomisation here: `PYTHONHASHSEED={hashing['effective']}` (fixed at interpreter "
                "start; `qrand run` gives child processes the derived value). Determinism flags: "
                + ", ".join(f"`{k}={v}`" for k, v in info["determinism"].items()) + ".")
    keep = ["numpy", "jax", "pennylane", "qiskit", "qiskit-aer", "torch", "tensorflow-cpu", "scikit-learn"]
    versions = pd.DataFrame([{"package": k, "version": v} for k, v in info["versions"].items() if k in keep])
    section.tables.append(("Versions that change random streams (all are in the manifest)", versions))
    return section


#: reproducibility cases: (case, script, factors varied, runs, rtol, module it needs)
REPRO_CASES = (
    ("seeded NumPy draws", "import numpy as np\nprint(*np.random.default_rng(7).normal(size=5))\n",
     "hashseed,threads", 3, 0.0, "numpy"),
    ("iteration order of a set of strings",
     "print(*{'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'})\n",
     "hashseed", 3, 0.0, None),
    ("float32 sum of 4M numbers in torch",
     "import torch\nx = torch.rand(4_000_000, generator=torch.Generator().manual_seed(1))\nprint(x.sum().item())\n",
     "threads", 2, 1e-5, "torch"),
)
#: the case whose level is itself random (its row goes to the nondeterministic data)
UNSEEDED_CASE = ("unseeded shot counts (default_rng(), like a device with seed=None)",
                 "import numpy as np\nprint(*np.random.default_rng().binomial(1000, 0.3, size=200))\n",
                 "", 3, 0.0, "numpy")


def reproducibility(tree: SeedTree, cfg: StudyConfig, figures: Path, progress: bool = False) -> Section:
    """``qrand check`` on small scripts: bitwise, within tolerance, statistical, none."""
    import sys
    import tempfile

    import pandas as pd

    from .._optional import available
    from ..manifest.check import check_command

    section = Section("Reproducibility is graded, not binary")
    section.say("Each script below ran in fresh processes under `qrand check` (the same as "
                "`qrand check --runs N --vary FACTORS -- python script.py`), with the named factors changed "
                "between runs. The grade is the strongest level every output reaches: `bitwise`, "
                "`tolerance` (rtol 1e-5), `statistical` (same distribution, KS test) or `none`, and the "
                "explanation names the output and the factor that broke the stronger level.")
    rows, unseeded = [], None
    for case, script, vary, runs, rtol, needs in REPRO_CASES + (UNSEEDED_CASE,):
        row = {"case": case, "varied": vary or "nothing", "runs": runs}
        if needs is not None and not available(needs):
            rows.append({**row, "level": f"skipped ({needs} not installed)", "explanation": ""})
            continue
        with tempfile.TemporaryDirectory(prefix="qrand-study-") as folder:
            Path(folder, "script.py").write_text(script)
            report = check_command([sys.executable, "script.py"], runs=runs, vary=vary or None, rtol=rtol,
                                   cwd=folder, progress=False, tree=tree.child(case))
        rows.append({**row, "level": report.level, "explanation": report.explanation()})
        if case == UNSEEDED_CASE[0]:
            unseeded = rows[-1]
    table = pd.DataFrame(rows)
    section.tables.append(("Level reached per script", table))
    section.data["reproducibility"] = table[table["case"] != UNSEEDED_CASE[0]].drop(columns=["explanation"])
    section.data[f"{NONDETERMINISTIC}/reproducibility_unseeded"] = pd.DataFrame([unseeded or rows[-1]])
    return section


def shots(tree: SeedTree, cfg: StudyConfig, figures: Path, progress: bool = False,
          stores: Path | None = None) -> Section:
    """Shot noise of ideal simulators vs hardware-like noise models."""
    from ..shots.report import analyse, sweep_figures
    from ..shots import sweep

    section = Section("Shot noise vs hardware-like noise")
    store = None if stores is None else str(Path(stores) / "shots.sqlite")
    frame = sweep(list(cfg.shot_circuits), list(cfg.shot_backends), shots=list(cfg.shots),
                  seeds=cfg.shot_seeds, seed=tree, store=store, new=True, progress=progress)
    result = analyse(frame, seed=tree.child("null"))
    slopes = (result.spread.groupby(["circuit", "backend"])["slope"].first().reset_index())
    section.say(f"{len(cfg.shot_circuits)} circuits on {len(cfg.shot_backends)} backends, shots "
                f"{', '.join(map(str, cfg.shots))}, {cfg.shot_seeds} seeds each (fast path: exact noisy "
                "distribution once, then seeded multinomial draws). The Z-parity estimator's standard error "
                "falls as N^-1/2 wherever it fluctuates (on the ideal GHZ state the parity is exactly +1: no "
                "shot noise, no slope); the question is when a noise model stands out from shot noise itself.")
    section.tables.append(("Fitted slope of the standard error vs shots (expect -0.5)", slopes))
    thresholds = result.report.thresholds[["circuit", "backend", "threshold_shots", "power_at_threshold",
                                           "power_at_max"]]
    section.tables.append(("Smallest shot count at which noise is distinguishable from the ideal simulator "
                           "(G-test, alpha 0.05, power >= 0.8 across seeds; empty: never up to the largest "
                           "shot count)", thresholds))
    section.data.update({"shots_tidy": frame, "shots_summary": result.summary,
                         "shots_thresholds": result.report.thresholds})
    for caption, path in sweep_figures(frame, result, figures):
        section.figures.append((caption, path))
    return section


def training(tree: SeedTree, cfg: StudyConfig, figures: Path, progress: bool = False) -> Section:
    """Seed spread of a VQC next to classical baselines; lucky runs and best-of-k."""
    import pandas as pd

    from ..training import (best_of_k_curve, curves_frame, make_trainer, multi_seed, plots,
                            results_frame, summarize)

    section = Section("Seed spread: VQC vs classical training")
    node = tree.child("training")
    seeds = [node.child("run", i) for i in range(cfg.train_seeds)]
    base = node.child("base").seed(64)
    runs, curves, stats = [], [], []
    for model in cfg.train_models:
        shots = cfg.vqc_shots if model == "vqc" else 0
        trainer = make_trainer(model, dataset=cfg.train_dataset, epochs=cfg.train_epochs, base=base,
                               shots=shots)
        results = multi_seed(trainer, seeds, progress=progress)
        frame = results_frame(results).drop(columns=["seconds"])
        runs.append(frame)
        curves.append(curves_frame(results))
        summary = summarize(frame["test_acc"], reported=float(frame["test_acc"].iloc[0]), bounds=(0, 1))
        best = best_of_k_curve(frame["test_acc"], ks=[min(5, len(frame))])
        stats.append({"model": model, "shots": shots, **{k: summary[k] for k in
                      ("n", "mean", "std", "ci_low", "ci_high", "min", "max", "reported_percentile")},
                      "best_of_5": float(best["expected_best"].iloc[0])})
    runs_df, curves_df, stats_df = (pd.concat(runs, ignore_index=True), pd.concat(curves, ignore_index=True),
                                    pd.DataFrame(stats))
    section.data.update({"training_runs": runs_df, "training_curves": curves_df, "training_summary": stats_df})
    section.say(f"{cfg.train_seeds} seeds per model on `{cfg.train_dataset}`; every factor (init, split, "
                f"shuffling, dropout, shot noise: the VQC uses {cfg.vqc_shots} shots per circuit) comes from "
                "each run's own node of the tree. `reported_percentile` is where seed 0 (the run a paper "
                "would report) falls in the distribution; `best_of_5` is the expected accuracy of the best "
                "of 5 seeds: the inflation that picking the best seed buys.")
    section.tables.append(("Test accuracy over seeds", stats_df))
    widest = stats_df.loc[stats_df["std"].idxmax()]
    section.say(f"Widest spread: **{widest['model']}**, test accuracy {widest['min']:.3f} to {widest['max']:.3f} "
                f"across seeds (mean {widest['mean']:.3f}); a single seed proves little.")
    for path in plots.plot_distributions(runs_df, figures, by="model", stem="training_accuracy"):
        if path.suffix == ".png":
            section.figures.append(("Test accuracy per seed, per model", path))
    for path in plots.plot_curves(curves_df, figures, by="model", stem="training_curves"):
        if path.suffix == ".png":
            section.figures.append(("Training loss over seeds: mean, +-1 std and min-max band", path))
    first = runs_df[runs_df["model"] == cfg.train_models[0]]["test_acc"]
    for path in plots.plot_best_of_k(best_of_k_curve(first), figures, mean=float(first.mean()),
                                     label=cfg.train_models[0], stem="best_of_k"):
        if path.suffix == ".png":
            section.figures.append((f"Best-of-k inflation ({cfg.train_models[0]})", path))
    return section


def traps(tree: SeedTree, cfg: StudyConfig, figures: Path, progress: bool = False) -> Section:
    """The randomness traps: unshuffled sorted data, fixed init, unseeded split."""
    import pandas as pd

    from ..training import fixed_init_spread, make_trainer, sorted_without_shuffle, unseeded_split

    section = Section("Randomness traps")
    node = tree.child("traps")
    seeds = [node.child("run", i) for i in range(cfg.trap_seeds)]
    trainer = make_trainer("jax-mlp", dataset="iris", epochs=cfg.train_epochs, base=node.child("base").seed(64))
    order = sorted_without_shuffle(trainer, seeds, progress=progress).drop(columns=["seconds"])
    by_order = order.groupby("order")[["final_loss", "curve_mean", "test_acc"]].mean().reset_index()
    shuffled, sorted_ = (by_order.set_index("order").loc[k] for k in ("shuffled", "sorted"))
    section.say(f"**Unshuffled, label-sorted data** (JAX MLP on iris, same {cfg.trap_seeds} seeds): mean final "
                f"loss {sorted_['final_loss']:.3f} sorted vs {shuffled['final_loss']:.3f} shuffled.")
    section.tables.append(("Sorted without shuffling vs shuffled", by_order))
    spread = fixed_init_spread(trainer, seeds, progress=progress).drop(columns=["seconds"])
    by_condition = (spread.groupby("condition")["test_acc"].agg(["mean", "std", "min", "max"]).reset_index())
    section.say("**Fixed init, everything else random**: the spread does not vanish; split and order "
                "still move the result (and a fixed init can sit in a poor local minimum for every run).")
    section.tables.append(("Test accuracy with init fixed vs all varied", by_condition))
    split = unseeded_split("iris", runs=5, seed=node.child("split"))
    distinct = split.groupby("mode")["test_fingerprint"].nunique().rename("distinct_test_sets").reset_index()
    section.say("**train_test_split without random_state**: a different test set in every call "
                f"({int(distinct.set_index('mode').loc['unseeded'].iloc[0])} distinct in 5 calls) vs "
                f"{int(distinct.set_index('mode').loc['seeded'].iloc[0])} when seeded from the tree.")
    section.tables.append(("Distinct test sets in 5 splits", distinct))
    section.data.update({"traps_order": order, "traps_fixed_init": spread})
    section.data[f"{NONDETERMINISTIC}/traps_unseeded_split"] = split
    return section


def nist(tree: SeedTree, cfg: StudyConfig, figures: Path, progress: bool = False) -> Section:
    """NIST SP 800-22 on OS, PRNG, simulated-quantum and noisy-quantum bits."""
    import pandas as pd

    from ..bits import generate
    from ..nist import run_battery

    section = Section("Random bit quality: NIST SP 800-22")
    node = tree.child("nist")
    runs = [(name, None) for name in cfg.nist_sources]
    noisy = [name for name in cfg.nist_sources if name.count(":") >= 2]
    runs += [(name, "vn") for name in noisy]
    frames, summary = [], []
    for name, extract in [("os", None), *runs]:
        bits = generate(name, cfg.nist_bits, seed=node.child(name), extract=extract)
        frame = run_battery(bits)
        label = name if extract is None else f"{name} + von Neumann"
        frame.insert(0, "source", label)
        frames.append(frame)
        applicable = frame[frame["applicable"]]
        failed = sorted(set(applicable.loc[~applicable["passed"].astype(bool), "test"]))
        summary.append({"source": label, "ones_fraction": float(bits.mean()),
                        "applicable": int(len(applicable)), "passed": int(applicable["passed"].sum()),
                        "failed_tests": ", ".join(failed) or "-"})
    table = pd.DataFrame(summary)
    section.say(f"{cfg.nist_bits:,} bits per source, sts-2.1.2 default parameters, alpha = 0.01 "
                "(a P-value per test and variant; the 148 templates alone give ~1.5 expected failures for a "
                "perfect source). Simulated quantum bits are a seeded PRNG in disguise; the noisy profile's "
                "asymmetric readout biases them, and the von Neumann extractor removes that bias.")
    section.tables.append(("Battery summary per source", table))
    section.data["nist_summary"] = table[table["source"] != "os"]
    section.data["nist_results"] = pd.concat(frames[1:], ignore_index=True)
    section.data[f"{NONDETERMINISTIC}/nist_os"] = frames[0]
    return section
