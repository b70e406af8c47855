"""Write the CLI reference page from the parsers: ``python -m qrand.cli.reference > docs/reference/cli.md``."""

from __future__ import annotations

import os

from . import COMMANDS, build_parser

INTRO = """# Command line

Every command accepts `--help`. Bad input (a bad seed, a broken manifest, an unknown device or
backend, a malformed bit file, impossible parameters) exits with status 2 and one line on stderr,
without a traceback; `--json` prints machine-readable output. Long work shows a progress bar; sweeps
resume from their store.

This page is the `--help` text of each command (regenerate it with
`python -m qrand.cli.reference > docs/reference/cli.md`; a test keeps it in sync).
"""


def render() -> str:
    """The Markdown page: one section per command, its ``--help`` at 88 columns."""
    os.environ["COLUMNS"] = "88"
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    parts = [INTRO]
    for name in COMMANDS:
        if name in sub.choices:
            command = sub.choices[name]
            command.prog = f"qrand {name}"
            parts.append(f"## `qrand {name}`\n\n```text\n{command.format_help().rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
