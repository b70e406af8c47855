"""``qrand audit -- CMD``: run a Python command and list its implicit randomness.

The child starts :func:`qrand.audit` at interpreter start-up (nothing is
seeded), so every call is seen; each finding names file:line of the user's
code. Exit 0 when nothing uncovered is found, 1 otherwise, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import QrandError
from .run import add_command_argument, command_of

HELP = "Find implicit randomness (unseeded global RNGs, devices, transpile, sklearn) with file:line."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable findings")
    add_command_argument(parser)


def run(args: argparse.Namespace) -> int:
    import os
    import tempfile
    from pathlib import Path

    from ..manifest.auditing import AuditReport
    from ..manifest.runner import child_environment, resolve_argv, run_child

    command = resolve_argv(command_of(args))
    with tempfile.TemporaryDirectory(prefix="qrand-audit-") as store:
        out = Path(store, "audit.json")
        env = {**child_environment(), "QRAND_AUDIT_OUT": str(out)}
        result = run_child(command, cwd=os.getcwd(), env=env, store=store, tee=True, capture_stderr=False)
        if not out.exists():
            raise QrandError("no Python interpreter reported an audit: qrand audit needs a Python command "
                             f"(exit status {result.returncode})")
        try:
            report = AuditReport.from_dict(json.loads(out.read_text(encoding="utf-8")))
        except ValueError:
            raise QrandError("the audit report of the child could not be read") from None
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(f"qrand audit: {len(report.uncovered)} uncovered, "
              f"{len(report) - len(report.uncovered)} covered finding(s)", file=sys.stderr)
        print(report)
    if result.returncode != 0:
        print(f"qrand: the command exited with {result.returncode}", file=sys.stderr)
    return 1 if report.uncovered else 0
