"""``qrand <command>``: a thin layer that parses, calls the library and prints.

Each command lives in its own module ``qrand.cli.<name>`` with two functions,
``add_arguments(parser)`` and ``run(args) -> int``, and a one-line ``HELP``.
Bad input (:class:`qrand.errors.QrandError`) prints one line and exits 2.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

from ..errors import MissingExtraError, QrandError

#: command name -> module (listed in the order ``qrand --help`` shows them)
COMMANDS = ["study", "info", "seed", "run", "replay", "diff", "check", "audit",
            "shots", "nist", "train"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"qrand: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full ``qrand`` argument parser."""
    parser = _Parser(prog="qrand", description="Controllable, measurable randomness for QML.")
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"qrand {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module_name = f"{__name__}.{name}"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``qrand`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "_run", None) is None:
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except (QrandError, MissingExtraError) as exc:
        print(f"qrand: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("qrand: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
