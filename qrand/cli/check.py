"""``qrand check -- CMD``: run a command N times and report the strongest level that holds.

Levels: bitwise, tolerance (``--rtol``/``--atol``), statistical (two-sample
KS test at ``--alpha``), none. ``--vary hashseed,threads`` changes a factor
between runs on purpose; the report names the output and the factor that
broke the stronger level. Exit 0 when ``--require`` holds, 1 when not, 2 on
bad input.
"""

from __future__ import annotations

import argparse
import json

from .run import add_command_argument, command_of, seed_argument

HELP = "Run a command N times and grade its reproducibility (bitwise/tolerance/statistical/none)."


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {text}")
    return value


def add_grading_arguments(parser: argparse.ArgumentParser) -> None:
    """``--rtol --atol --alpha --require --json``, shared with ``qrand replay``."""
    from ..manifest.compare import LEVELS

    parser.add_argument("--rtol", type=_non_negative, default=0.0, help="relative tolerance (default 0)")
    parser.add_argument("--atol", type=_non_negative, default=0.0, help="absolute tolerance (default 0)")
    parser.add_argument("--alpha", type=_non_negative, default=0.01,
                        help="KS test level for 'statistical' (default 0.01, Bonferroni-corrected)")
    parser.add_argument("--require", choices=LEVELS, default="bitwise",
                        help="exit 1 unless at least this level holds (default bitwise)")
    parser.add_argument("--json", action="store_true", help="machine-readable report")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=3, help="number of fresh runs (default 3)")
    parser.add_argument("--vary", default=None, metavar="FACTORS",
                        help="comma-separated factors to change between runs: hashseed, threads")
    parser.add_argument("--outputs", nargs="+", metavar="GLOB", default=None,
                        help="output files to compare (default: files each run created or changed); "
                             "stdout is always compared")
    parser.add_argument("--seed", type=seed_argument, default=None,
                        help="also seed Python children at start-up, as qrand run --seed does")
    parser.add_argument("--deterministic", action="store_true", help="give the runs the determinism variables")
    parser.add_argument("--inplace", action="store_true",
                        help="run in the current directory (one after another) instead of copies")
    parser.add_argument("--timeout", type=_non_negative, default=None, help="seconds per run")
    add_grading_arguments(parser)
    add_command_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ..manifest.check import check_command

    report = check_command(command_of(args), runs=args.runs, vary=args.vary, outputs=args.outputs,
                           rtol=args.rtol, atol=args.atol, alpha=args.alpha, seed=args.seed,
                           deterministic=args.deterministic, inplace=args.inplace, timeout=args.timeout)
    print(json.dumps(report.to_dict(), indent=2, default=str) if args.json else report)
    return 0 if report.holds(args.require) else 1
