"""``qrand diff A B [--json]``: what differs between two manifests (versions first).

Exit status 0 when they agree, 1 when they differ, 2 on a bad file.
"""

from __future__ import annotations

import argparse
import json

HELP = "Compare two manifests: versions, seeds, env and flags, hardware, fingerprints, outputs."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", metavar="A", help="first manifest")
    parser.add_argument("b", metavar="B", help="second manifest")
    parser.add_argument("--json", action="store_true", help="machine-readable rows")


def run(args: argparse.Namespace) -> int:
    from ..manifest.model import Manifest

    changes = Manifest.load(args.a).diff(Manifest.load(args.b))
    if args.json:
        print(json.dumps(changes.to_records(), indent=2, default=str))
    else:
        print(changes)
    return 1 if changes else 0
