"""``qrand nist``: run the NIST SP 800-22 battery on a bit file or a named source."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import QrandError

#: below this no SP 800-22 test applies
MIN_BITS = 100

HELP = "Run the NIST SP 800-22 battery on a bit file or a bit source (qrand.bits)."


def add_arguments(parser) -> None:
    parser.add_argument("file", nargs="?", help="bit file: NIST ASCII '0'/'1', raw binary (MSB first) or .npy")
    parser.add_argument("--source", metavar="NAME",
                        help="bit source instead of a file: os, secrets, pcg64, mt19937, philox, python, "
                             "jax-threefry, lcg16, biased:P, quantum:default.qubit, quantum:aer, "
                             "quantum:aer:PROFILE, quantum:default.mixed:PROFILE")
    parser.add_argument("--bits", type=int, metavar="N",
                        help="bits per stream (default: 1000000 for a source, the whole file for a file)")
    parser.add_argument("--streams", type=int, default=1, metavar="M", help="number of streams (default 1)")
    parser.add_argument("--extract", choices=["vn", "toeplitz"], help="extractor applied before testing")
    parser.add_argument("--tests", metavar="LIST", help="comma-separated test names (default: all 15)")
    parser.add_argument("--set", action="append", default=[], metavar="TEST.PARAM=VALUE",
                        help="set a test parameter, e.g. block_frequency.block_size=256 (repeatable; "
                             "VALUE is JSON or a string)")
    parser.add_argument("--seed", help="root seed for the source and the Toeplitz matrix (default: OS entropy)")
    parser.add_argument("--format", choices=["auto", "ascii", "binary"], default="auto",
                        help="how to read FILE (default: auto-detect)")
    parser.add_argument("--alpha", type=float, default=0.01, help="significance level (default 0.01)")
    parser.add_argument("--out", metavar="DIR", help="also write per_stream.csv and summary.csv here")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _params(settings: list[str]) -> dict:
    """``["serial.m=2", ...]`` -> ``{"serial": {"m": 2}}``."""
    params: dict[str, dict] = {}
    for item in settings:
        key, sep, raw = item.partition("=")
        test, dot, name = key.partition(".")
        if not sep or not dot or not test or not name:
            raise QrandError(f"--set needs TEST.PARAM=VALUE, got {item!r}")
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        params.setdefault(test, {})[name] = value
    return params


def _bit_streams(args, tree):
    """(iterator of streams, description) for the FILE or --source input."""
    from ..bits import extract_chunks, streams as source_streams
    from ..nist.io import iter_chunks, iter_streams, split_streams

    if args.source:
        n_bits = args.bits or 1_000_000
        it = source_streams(args.source, n_bits, args.streams, tree, extract=args.extract)
        return it, f"source {args.source}"
    path = Path(args.file)
    if args.extract is None:
        if args.bits is None and args.streams > 1:
            raise QrandError("give --bits (bits per stream) to split a file into several streams")
        return iter_streams(path, args.bits, args.streams, format=args.format), f"file {path}"
    if args.bits is None:
        raise QrandError("give --bits (bits per stream after extraction) with --extract on a file")
    chunks = extract_chunks(iter_chunks(path, format=args.format), args.extract, tree)
    return split_streams(chunks, args.bits, args.streams, name=str(path)), f"file {path}"


def run(args) -> int:
    from ..nist import analyse_streams, battery, select_tests
    from ..nist.battery import check_params
    from ..nist.report import format_single, format_streams, single_payload, streams_payload
    from ..seeding.tree import SeedTree, parse_seed
    from ._output import print_json

    if (args.file is None) == (args.source is None):
        raise QrandError("give either a FILE or --source NAME (not both)")
    if args.streams < 1:
        raise QrandError(f"--streams must be >= 1, got {args.streams}")
    if args.bits is not None and args.bits < MIN_BITS:
        raise QrandError(f"--bits must be >= {MIN_BITS} (most tests need far more, e.g. 10^6), got {args.bits}")
    tests = select_tests(args.tests)
    params = check_params(_params(args.set))
    tree = SeedTree(None if args.seed is None else parse_seed(args.seed))
    streams, what = _bit_streams(args, tree)
    extra = f", {args.extract} extractor" if args.extract else ""
    from ..bits import UNSEEDED

    seeded = (args.source and args.source.partition(":")[0] not in UNSEEDED) or args.extract == "toeplitz"
    seed_note = f", seed {tree.root}" if seeded else ""
    if args.streams == 1:
        from ..nist import Bits, to_frame

        bits = Bits(next(iter(streams)))
        if bits.n < MIN_BITS:
            raise QrandError(f"input too short: {bits.n} bits; the battery needs at least {MIN_BITS} "
                             "(most tests need far more, e.g. 10^6)")
        results = battery(bits, tests=tests, params=params, alpha=args.alpha)
        if args.out:
            _write(args.out, to_frame(results), None)
        if args.json:
            print_json(single_payload(results, bits.n))
        else:
            print(format_single(results, f"NIST SP 800-22: {what}, {bits.n} bits{extra}{seed_note}"))
        return 0
    report = analyse_streams(streams, tests=tests, params=params, alpha=args.alpha, total=args.streams,
                             progress=None if not args.json else False)
    if args.out:
        _write(args.out, report.per_stream, report.summary)
    if args.json:
        print_json(streams_payload(report.summary, report.n_bits, report.streams))
    else:
        title = f"NIST SP 800-22: {what}, {report.streams} streams x {report.n_bits} bits{extra}{seed_note}"
        print(format_streams(report.summary, title, args.alpha))
    return 0


def _write(out: str, per_stream, summary) -> None:
    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    per_stream.to_csv(directory / "per_stream.csv", index=False)
    if summary is not None:
        summary.to_csv(directory / "summary.csv", index=False)
    print(f"wrote {directory}", file=sys.stderr)
