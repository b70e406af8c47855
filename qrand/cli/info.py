"""``qrand info``: what decides the randomness of a run on this machine."""

from __future__ import annotations

from ..seeding import determinism, environment, registry
from ._output import print_json, print_table

HELP = "Show RNG-relevant library versions, hash seed, determinism flags, threads, CPU/GPU."


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def collect() -> dict:
    """Everything ``qrand info`` shows, JSON-ready."""
    sources = {}
    for name in registry.SOURCE_MODULES:
        module = registry.source(name)
        sources[name] = {"installed": module.available(), **module.describe()}
    return {
        "versions": environment.library_versions(),
        "hash_randomization": environment.hash_randomization(),
        "determinism": determinism.state(),
        "env": environment.env_vars(),
        "threads": environment.thread_settings(),
        "hardware": environment.hardware(),
        "sources": sources,
    }


def run(args) -> int:
    info = collect()
    if args.json:
        print_json(info)
        return 0
    print_table(list(info["versions"].items()), "Libraries")
    print_table(list(info["hash_randomization"].items()), "Hash randomization")
    print_table(list(info["determinism"].items()), "Determinism flags")
    print_table(list(info["env"].items()) or [("(none set)", "")], "Environment")
    print_table([("cpu_count", info["threads"]["cpu_count"]),
                 *[(k, v) for k, v in info["threads"]["env"].items()]], "Threads")
    hw = info["hardware"]
    print_table([("python", hw["python"]), ("os", hw["os"]), ("cpu", hw["processor"]),
                 ("gpus", ", ".join(g["name"] for g in hw["gpus"]) or "none")], "Hardware")
    return 0
