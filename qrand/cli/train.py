"""``qrand train``: train one model over many seeds, vary factors, write tables, plots, manifest."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import QrandError

HELP = "train a seeded VQC or classical baseline over many seeds (spread, factors, lucky runs)"

MODEL_NAMES = ("vqc", "mlp", "logreg", "jax-mlp", "torch-mlp")
DATASET_NAMES = ("iris", "moons", "circles", "breast_cancer", "digits")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``qrand train``."""
    parser.add_argument("--model", choices=MODEL_NAMES, default="vqc")
    parser.add_argument("--dataset", choices=DATASET_NAMES, default="moons")
    parser.add_argument("--seeds", type=int, default=32, help="seeds per condition (default 32)")
    parser.add_argument("--seed", "--root", dest="root", default="0",
                        help="root seed; run i uses SeedTree(root).child('run', i)")
    parser.add_argument("--shots", default="0", help="comma list of shot counts, 0 = analytic (VQC only)")
    parser.add_argument("--vary", default="all",
                        help="comma list of factors (init,split,shuffle,shots,dropout) or all; "
                             "several factors are each varied alone and then all at once")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--no-plots", action="store_true", help="skip the figures")
    from ..sweep import add_sweep_arguments

    group = add_sweep_arguments(parser, store=False)
    group.description = ("each condition's results are kept in a sweep store under OUT/stores/, so the "
                         "same command resumes an interrupted run; --executor/--workers say where the "
                         "seeds of logreg, mlp and torch-mlp run (vqc and jax-mlp run as one vmapped job)")


def _int_list(text: str, name: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise QrandError(f"--{name} must be a comma list of integers, got {text!r}") from None
    if not values or any(v < 0 for v in values):
        raise QrandError(f"--{name} must be non-negative integers, got {text!r}")
    return values


def _conditions(text: str) -> list[str]:
    from ..training.streams import FACTORS

    items = [v.strip() for v in text.split(",") if v.strip()]
    bad = [v for v in items if v != "all" and v not in FACTORS]
    if bad or not items:
        raise QrandError(f"--vary: unknown factor(s) {bad or text!r}; choose from {', '.join(FACTORS)} or all")
    if len(items) > 1 and "all" not in items:
        items.append("all")
    return list(dict.fromkeys(items))


def run(args: argparse.Namespace) -> int:
    """Run the study and write ``runs.csv``, ``curves.csv``, ``summary.json``, figures, manifest."""
    from ..seeding.tree import SeedTree, parse_seed

    if args.seeds < 2:
        raise QrandError(f"--seeds must be at least 2, got {args.seeds}")
    root = parse_seed(args.root)
    shots_list = _int_list(args.shots, "shots")
    if args.model != "vqc" and shots_list != [0]:
        raise QrandError(f"--shots applies to the vqc model only (got --model {args.model})")
    conditions = _conditions(args.vary)
    from ..sweep import sweep_options

    sweep = sweep_options(args)

    import pandas as pd

    from ..seeding import record
    from ..training import lucky, plots
    from ..training.engine import with_options
    from ..training.models import make_trainer
    from ..training import curves_frame, multi_seed, results_frame

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    seeds = [SeedTree(root).child("run", i) for i in range(args.seeds)]
    runs, curves, summary = [], [], {"model": args.model, "dataset": args.dataset, "root": root,
                                     "conditions": []}
    for shots in shots_list:
        options = dict(dataset=args.dataset, epochs=args.epochs, batch_size=args.batch_size,
                       lr=args.lr, base=root, shots=shots)
        trainer = make_trainer(args.model, **options)
        for condition in conditions:
            vary = trainer.factors if condition == "all" else (condition,)
            if condition != "all" and condition not in trainer.factors:
                print(f"qrand: note: {args.model} does not draw from {condition!r}; skipped",
                      file=sys.stderr)
                continue
            store = out / "stores" / f"{args.model}-shots{shots}-{condition}.sqlite"
            results = multi_seed(with_options(trainer, vary=vary), seeds, progress=sys.stderr.isatty(),
                                 **{**sweep, "store": store})
            frame = results_frame(results)
            frame["condition"] = condition
            runs.append(frame)
            curve = curves_frame(results)
            curve["condition"] = condition
            curves.append(curve)
            stats = lucky.summarize(frame["test_acc"], reported=float(frame["test_acc"].iloc[0]), bounds=(0, 1))
            ks = sorted({k for k in (1, 2, 4, 8, len(frame)) if k <= len(frame)})
            best = lucky.best_of_k_curve(frame["test_acc"], ks=ks)
            summary["conditions"].append({"shots": shots, "condition": condition, **stats,
                                          "best_of_k": best.to_dict("records")})
    if not runs:
        raise QrandError(f"{args.model} draws from none of the factors in --vary {args.vary!r}")
    runs_df, curves_df = pd.concat(runs, ignore_index=True), pd.concat(curves, ignore_index=True)
    runs_df.to_csv(out / "runs.csv", index=False)
    curves_df.to_csv(out / "curves.csv", index=False)
    if "all" in set(runs_df["condition"]) and runs_df["condition"].nunique() > 1:
        table = (runs_df.groupby(["shots", "condition"], sort=False)["test_acc"].var().rename("var")
                 .reset_index())
        total = table[table["condition"] == "all"].set_index("shots")["var"]
        table["share"] = table["var"] / table["shots"].map(total)
        table.to_csv(out / "variance_shares.csv", index=False)
        summary["variance_shares"] = table.to_dict("records")
    if not args.no_plots:
        group = "condition" if runs_df["condition"].nunique() > 1 else "shots"
        plots.plot_distributions(runs_df, out, by=group)
        plots.plot_curves(curves_df, out, by=group)
        first = runs_df[runs_df["condition"] == runs_df["condition"].iloc[0]]
        first = first[first["shots"] == first["shots"].iloc[0]]
        plots.plot_best_of_k(lucky.best_of_k_curve(first["test_acc"]), out,
                             mean=float(first["test_acc"].mean()), label=args.model)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=float))
    manifest = _manifest(record.current().to_dict(), summary, out)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
    if args.json:
        print(json.dumps(summary, default=float))
    else:
        for item in summary["conditions"]:
            print(f"{args.model} shots={item['shots']} vary={item['condition']}: test_acc "
                  f"{item['mean']:.3f} [{item['ci_low']:.3f}, {item['ci_high']:.3f}] "
                  f"range {item['min']:.3f}-{item['max']:.3f}")
        print(f"wrote {out}")
    return 0


def _manifest(rec: dict, summary: dict, out: Path) -> dict:
    """The manifest document: run record, output hashes and the study's summary."""
    from ..manifest.capture import capture

    outputs = [str(p.relative_to(out)) for p in sorted(out.glob("*.csv")) + [out / "summary.json"]]
    return capture(record=rec, outputs=outputs, cwd=str(out), extra={"study": "train", "summary": summary})
