"""``qrand shots``: shot-noise sweep of circuits on ideal and noisy backends.

Writes into ``--out DIR``: ``shots.csv`` (tidy per seed), ``summary.csv``
(per circuit x backend x observable x shots: estimator spread, analytic std,
power vs ideal, TVD and its null band), ``thresholds.csv`` (detection
threshold per circuit and profile), ``figures/`` (PNG + SVG), the SQLite
store (``shots.sqlite``, counts included, unless ``--store``) and
``manifest.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import QrandError

HELP = "Shot-noise sweep: estimator spread vs shots, and when noise is distinguishable from ideal."


def _int_list(text: str) -> list[int]:
    try:
        values = [int(float(v)) if "e" in v.lower() else int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def add_arguments(parser) -> None:
    from ..sweep import add_sweep_arguments

    parser.add_argument("--circuit", action="append", required=True, metavar="SPEC",
                        help="circuit spec, repeatable: ghz:4, bell, qft:3, random_layered:6:4[:seed]")
    parser.add_argument("--backends", required=True, metavar="LIST",
                        help="comma-separated backend specs, e.g. default.qubit,aer,aer:fake_manila,"
                             "default.mixed:fake_manila,aer:uniform(p1q=1e-3,p2q=1e-2)")
    parser.add_argument("--shots", type=_int_list, required=True, metavar="N,N,...",
                        help="shot counts, e.g. 10,100,1000,10000")
    parser.add_argument("--seeds", type=int, default=200, metavar="N", help="seeds per cell (default 200)")
    parser.add_argument("--seed", default=None, metavar="ROOT",
                        help="root seed (default: OS entropy, recorded in the manifest)")
    parser.add_argument("--method", choices=("fast", "device"), default="fast",
                        help="fast: exact distribution + multinomial draws; device: the real simulator")
    parser.add_argument("--observables", default=None, metavar="P,P,...",
                        help="Z-type Pauli strings (default: Z-parity on all qubits)")
    parser.add_argument("--alpha", type=float, default=0.05, help="significance of each test (0.05)")
    parser.add_argument("--power", type=float, default=0.8,
                        help="power at which noise counts as distinguishable (0.8)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory")
    parser.add_argument("--no-plots", action="store_true", help="skip the figures")
    parser.add_argument("--json", action="store_true", help="print the summary rows as JSON")
    add_sweep_arguments(parser)


def run(args) -> int:
    from .. import seed_everything
    from ..seeding.tree import parse_seed
    from ..shots import analyse, sweep, sweep_figures
    from ..sweep import sweep_options

    if args.seeds < 2:
        raise QrandError(f"--seeds must be at least 2 (a spread needs two seeds), got {args.seeds}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    options = sweep_options(args)
    if options["store"] is None:
        options["store"] = str(out / "shots.sqlite")
    tree = seed_everything(None if args.seed is None else parse_seed(args.seed),
                           libraries=["python", "numpy"])
    observables = None if args.observables is None else args.observables.split(",")
    frame = sweep(args.circuit, args.backends, shots=args.shots, seeds=args.seeds,
                  observables=observables, method=args.method, seed=tree,
                  progress=not args.json, **options)
    result = analyse(frame, alpha=args.alpha, target_power=args.power, seed=tree.child("shots", "null"))
    frame.to_csv(out / "shots.csv", index=False)
    result.summary.to_csv(out / "summary.csv", index=False)
    result.report.thresholds.to_csv(out / "thresholds.csv", index=False)
    written = ["shots.csv", "summary.csv", "thresholds.csv"]
    if not args.no_plots:
        for _, png in sweep_figures(frame, result, out / "figures"):
            written += [str(p.relative_to(out)) for p in (png, png.with_suffix(".svg"))]
    _manifest(out, written, tree, frame)
    if args.json:
        print(json.dumps(json.loads(result.summary.to_json(orient="records")), indent=2))
    else:
        print(f"root seed: {tree.root}")
        print(result.report.to_text())
        print(f"wrote {out}/ (summary.csv, thresholds.csv, shots.csv, figures/, manifest.json, "
              f"store {frame.attrs['store']})", file=sys.stderr)
    return 0


def _manifest(out: Path, written: list[str], tree, frame) -> None:
    extra = {"shots": {"store": frame.attrs.get("store"), "root": tree.root}}
    try:
        from ..manifest import Manifest
        from ..manifest.outputs import hash_files

        manifest = Manifest.capture(outputs=hash_files(out, written), extra=extra)
        manifest.save(out / "manifest.json")
    except ImportError:  # manifest layer missing: the run record is the best we have
        from ..seeding import record

        (out / "manifest.json").write_text(json.dumps({**record.current().to_dict(), "extra": extra},
                                                      indent=2, default=str))
