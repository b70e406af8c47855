"""``qrand run``: run a command seeded from one root and write its manifest.

A Python child is seeded at interpreter start-up (before user code); any
command gets ``PYTHONHASHSEED``, ``QISKIT_TRANSPILER_SEED`` and, with
``--deterministic``, the determinism variables. The manifest (seeds,
versions, hardware, env, output hashes) is written at the end.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import QrandError

HELP = "Run a command with one seed for every library and write a replayable manifest."


def add_command_argument(parser: argparse.ArgumentParser) -> None:
    """The ``-- CMD...`` positional shared by run/check/audit."""
    parser.add_argument("command", nargs=argparse.REMAINDER, metavar="-- CMD",
                        help="the command to run, after '--'")


def command_of(args: argparse.Namespace) -> list[str]:
    """The command after ``--`` (one-line error when missing)."""
    command = list(args.command or [])
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        raise QrandError("no command given: put it after '--', e.g. qrand run -- python train.py")
    return command


def seed_argument(text: str) -> int:
    """argparse type for ``--seed`` (decimal or 0x-hex, below 2**128)."""
    from ..seeding.tree import parse_seed

    try:
        return parse_seed(text)
    except QrandError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=seed_argument, default=None,
                        help="root seed (default: 128 bits of OS entropy, recorded)")
    parser.add_argument("--deterministic", action="store_true",
                        help="deterministic kernels (torch, TF, cuBLAS, XLA) in the child")
    parser.add_argument("--outputs", nargs="+", metavar="GLOB", default=None,
                        help="output files to hash (default: files the command created or changed)")
    parser.add_argument("--manifest", default="qrand-manifest.json", metavar="PATH",
                        help="where to write the manifest (default: qrand-manifest.json)")
    add_command_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ..manifest.session import record_run

    manifest, result = record_run(command_of(args), seed=args.seed, deterministic=args.deterministic,
                                  outputs=args.outputs, manifest_path=args.manifest)
    outputs = len(manifest.outputs) - 1
    print(f"qrand: root seed {manifest.root} ({manifest.seed_source}); {outputs} output file(s) hashed; "
          f"manifest written to {args.manifest}; command exited with {result.returncode}", file=sys.stderr)
    return result.returncode
