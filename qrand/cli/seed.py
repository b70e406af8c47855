"""``qrand seed``: the seed each library gets from a root (imports no framework)."""

from __future__ import annotations

from ..seeding import SeedTree, parse_seed, registry
from ..errors import QrandError
from ._output import print_json, print_table

HELP = "Show the seed each library and well-known path derives from a root seed."


def add_arguments(parser) -> None:
    parser.add_argument("seed", nargs="?", help="root seed (int < 2**128; omit for OS entropy)")
    parser.add_argument("--library", action="append", metavar="NAME",
                        help="only these libraries (repeatable or comma-separated)")
    parser.add_argument("--path", nargs="+", metavar="KEY",
                        help="also derive the seed at this child path (ints are int keys)")
    parser.add_argument("--bits", type=int, default=32, help="width for --path: 32 or 64")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _key(text: str):
    return int(text) if text.isdigit() else text


def run(args) -> int:
    if args.bits not in (32, 64):
        raise QrandError(f"--bits must be 32 or 64, got {args.bits}")
    tree = SeedTree(None if args.seed is None else parse_seed(args.seed))
    libraries = None if not args.library else [n for item in args.library for n in item.split(",") if n]
    names = registry.select(libraries)
    result = {
        "root": tree.root,
        "source": tree.source,
        "seeds": registry.derived_seeds(tree, names),
        "paths": {name: list(registry.source(name).PATH) for name in names},
        "bits": {name: registry.source(name).BITS for name in names},
    }
    if args.path:
        path = [_key(k) for k in args.path]
        result["path"] = {"keys": path, "bits": args.bits, "seed": tree.child(*path).seed(args.bits)}
    if args.json:
        print_json(result)
        return 0
    print(f"root {tree.root} (source: {tree.source})")
    print_table([(f"{name} {tuple(result['paths'][name])} u{result['bits'][name]}", value)
                 for name, value in result["seeds"].items()])
    if args.path:
        print(f"path {tuple(result['path']['keys'])} u{args.bits}: {result['path']['seed']}")
    return 0
