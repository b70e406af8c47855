"""The command-line options every sweeping command shares.

``qrand shots``, ``qrand train`` and later commands call
:func:`add_sweep_arguments` on their parser and pass
``**sweep_options(args)`` to :func:`qrand.sweep.run_sweep`. Cheap to import.
"""

from __future__ import annotations

import argparse

from ..errors import QrandError
from .executors import EXECUTORS


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def add_sweep_arguments(parser: argparse.ArgumentParser, *, store: bool = True) -> argparse._ArgumentGroup:
    """Add ``--executor``, ``--workers``, ``--scheduler``, ``--store``, ``--resume``, ``--new``.

    ``store=False`` leaves out ``--store`` (for commands that place their stores themselves).
    """
    group = parser.add_argument_group("sweep execution")
    group.add_argument("--executor", choices=EXECUTORS, default=None,
                       help="where tasks run: serial (default), processes (local pool) or dask "
                            "(default with --scheduler)")
    group.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                       help="worker processes for processes/dask (default: usable CPUs)")
    group.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="address of an existing Dask scheduler, e.g. tcp://host:8786")
    if store:
        group.add_argument("--store", default=None, metavar="PATH",
                           help="SQLite result store of the sweep (default: <name>.sqlite)")
    group.add_argument("--resume", action=argparse.BooleanOptionalAction, default=True,
                       help="skip tasks the store already finished (default: on)")
    group.add_argument("--new", action="store_true",
                       help="write a new store next to --store if it exists (e.g. after changing the sweep)")
    return group


def sweep_options(args: argparse.Namespace) -> dict:
    """Keyword arguments for :func:`qrand.sweep.run_sweep` from parsed arguments."""
    executor = args.executor
    if args.scheduler and executor not in (None, "dask"):
        raise QrandError(f"--scheduler needs --executor dask, got --executor {executor}")
    if executor is None:
        executor = "dask" if args.scheduler else "serial"
    return {"executor": executor, "workers": args.workers, "scheduler": args.scheduler,
            "store": getattr(args, "store", None), "resume": args.resume, "new": args.new}
