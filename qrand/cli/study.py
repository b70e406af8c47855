"""``qrand study``: the end-to-end study on built-in defaults, with its report."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import QrandError

HELP = "Run the end-to-end study (seeds, shot noise vs noise models, training spread, traps, NIST)."


def add_arguments(parser) -> None:
    parser.add_argument("--seed", default=None, help="root seed (default: OS entropy, recorded)")
    parser.add_argument("--out", default="qrand-study", help="output folder (default ./qrand-study)")
    parser.add_argument("--quick", action="store_true", help="small preset (fewer seeds and bits): ~20 s on 2 cores")
    parser.add_argument("--only", default=None, metavar="LIST",
                        help="comma list of sections: environment,reproducibility,shots,training,traps,nist")
    parser.add_argument("--verify", default=None, metavar="DIR",
                        help="after the run, compare its data files with the study in DIR (exit 1 if not identical)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args) -> int:
    from ..seeding.tree import parse_seed
    from ..study.run import run_study, verify_study
    from ._output import print_json

    seed = None if args.seed is None else parse_seed(args.seed)
    only = None if args.only is None else [s.strip() for s in args.only.split(",") if s.strip()]
    if args.verify is not None and not (Path(args.verify) / "data_hashes.json").is_file():
        raise QrandError(f"--verify {args.verify}: not a qrand study folder (no data_hashes.json)")
    result = run_study(seed, args.out, quick=args.quick, progress=sys.stderr.isatty() and not args.json,
                       only=only)
    code = 0
    if args.verify is not None:
        result["verify"] = verify_study(args.out, args.verify)
        code = 0 if result["verify"]["identical"] else 1
    if args.json:
        print_json(result)
        return code
    print(f"root seed {result['root']}; {len(result['hashes'])} data files; {result['seconds']:.0f} s")
    print(f"report: {args.out}/report.html and {args.out}/report.md")
    if args.verify is not None:
        check = result["verify"]
        if check["identical"]:
            print(f"identical: all {check['compared']} data files match {args.verify}")
        else:
            for kind in ("differ", "missing", "extra"):
                for name in check[kind]:
                    print(f"{kind}: {name}")
    return code
