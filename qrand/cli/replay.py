"""``qrand replay MANIFEST [--yes]``: show a manifest's command and drift; rerun it with ``--yes``.

A manifest from elsewhere is untrusted input: without ``--yes`` nothing runs.
With it, the command runs in a copy of the current directory with the
recorded seed and variables, and its outputs are graded against the recorded
hashes (bitwise, or tolerance/statistical against the original files when
they are still here).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys

from .check import add_grading_arguments

HELP = "Show a manifest's command and environment drift; rerun it with --yes and grade the outputs."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("manifest", metavar="MANIFEST", help="a manifest written by qrand run")
    parser.add_argument("--yes", action="store_true", help="really run the recorded command")
    parser.add_argument("--inplace", action="store_true",
                        help="run in the current directory instead of a copy (overwrites outputs)")
    parser.add_argument("--manifest-out", metavar="PATH", default=None,
                        help="also save the replay's own manifest here")
    add_grading_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from ..manifest.model import Manifest
    from ..manifest.session import drift, replay, replay_env

    manifest = Manifest.load(args.manifest)
    print(f"recorded command: {shlex.join(manifest.argv)}")
    print(f"  in {manifest.data['command'].get('cwd')}  seed {manifest.root} ({manifest.seed_source})"
          f"{'  deterministic' if manifest.deterministic else ''}")
    env = replay_env(manifest)
    if env:
        print("  variables set again: " + " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(env.items())))
    changes = drift(manifest)
    versions = changes.section("versions")
    print(f"environment drift: {len(versions)} version change(s), {len(changes) - len(versions)} other")
    if changes:
        print("\n".join("  " + line for line in str(changes).splitlines()))
    if not args.yes:
        print("not running: a manifest is untrusted input; rerun with --yes to execute the command above")
        return 0
    result = replay(manifest, inplace=args.inplace, rtol=args.rtol, atol=args.atol, alpha=args.alpha)
    if args.manifest_out:
        result.manifest.save(args.manifest_out)
    if args.json:
        print(json.dumps({"returncode": result.returncode, **result.report.to_dict()}, indent=2, default=str))
    else:
        print(result.report)
    recorded = manifest.data["command"].get("returncode")
    if recorded is not None and result.returncode != recorded:
        print(f"qrand: the command exited with {result.returncode} (recorded {recorded})", file=sys.stderr)
    return 0 if result.report.holds(args.require) else 1
