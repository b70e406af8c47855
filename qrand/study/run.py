"""Run the study end to end, write the report, and check a re-run against it.

Layout of ``out/``: ``report.md``, ``report.html``, ``data/*.csv`` (every
number in the report; the reproduction check compares these byte for byte),
``data/nondeterministic/*.csv`` (results that come from OS entropy on purpose),
``figures/``, ``stores/`` (sweep stores) and ``manifest.json``.
"""

from __future__ import annotations

import json
import shlex
import sys
import time
from pathlib import Path

from ..errors import QrandError
from ..seeding.tree import SeedTree
from . import sections as S
from .config import StudyConfig
from .report import Section, markdown_table, write_html, write_markdown

#: section name -> function, in report order
SECTIONS = {
    "environment": S.environment,
    "reproducibility": S.reproducibility,
    "shots": S.shots,
    "training": S.training,
    "traps": S.traps,
    "nist": S.nist,
}


def _write_data(section: Section, data_dir: Path) -> list[Path]:
    written = []
    for name, frame in section.data.items():
        path = data_dir / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(path, index=False, float_format="%.17g")
        written.append(path)
    return written


def data_hashes(out: Path) -> dict[str, str]:
    """sha256 of every reproducible data file (``data/`` less ``data/nondeterministic/``)."""
    from ..manifest.outputs import file_sha256

    data = out / "data"
    return {p.relative_to(out).as_posix(): file_sha256(p) for p in sorted(data.rglob("*.csv"))
            if S.NONDETERMINISTIC not in p.relative_to(data).parts}


def _command(tree: SeedTree, cfg: StudyConfig, out: str) -> str:
    quick = " --quick" if cfg.quick else ""
    return f"qrand study --seed {tree.root}{quick} --out {shlex.quote(out + '-rerun')} --verify {shlex.quote(out)}"


def run_study(seed=None, out: str | Path = "qrand-study", *, quick: bool = False, progress: bool = True,
              only: list[str] | None = None) -> dict:
    """Run the study and write the report; return ``{"out", "root", "hashes", "seconds"}``.

    Parameters
    ----------
    seed : int, SeedTree or None
        Root seed; ``None`` draws OS entropy (recorded, and printed in the report).
    out : path
        Output folder (created; existing files are overwritten).
    quick : bool
        The small preset (fewer seeds and bits) instead of the full one.
    progress : bool
        Show a progress bar per section.
    only : list of str, optional
        Run only these sections (names of :data:`SECTIONS`).
    """
    import matplotlib

    matplotlib.use("Agg")
    from tqdm.auto import tqdm

    from .. import seed_everything
    from ..manifest import Manifest

    names = list(SECTIONS) if only is None else only
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise QrandError(f"unknown study section {unknown[0]!r}; known: {', '.join(SECTIONS)}")
    cfg = StudyConfig.preset(quick)
    out = Path(out)
    for folder in ("data", "figures", "stores"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    tree = seed_everything(seed)
    started = time.perf_counter()
    sections, timings = [], {}
    bar = tqdm(names, desc="qrand study", disable=not progress, unit="section")
    for name in bar:
        bar.set_postfix_str(name)
        began = time.perf_counter()
        kwargs = {} if name == "environment" else {"progress": False}
        if name == "shots":
            kwargs["stores"] = out / "stores"
        section = SECTIONS[name](tree.child(name) if name != "environment" else tree, cfg, out / "figures",
                                 **kwargs)
        _write_data(section, out / "data")
        sections.append(section)
        timings[name] = round(time.perf_counter() - began, 2)
    hashes = data_hashes(out)
    seconds = time.perf_counter() - started
    sections.append(_reproduction_section(tree, cfg, str(out), hashes, timings))
    title = f"qrand study (root seed {tree.root}{', quick' if quick else ''})"
    write_markdown(title, sections, out)
    write_html(title, sections, out)
    manifest = Manifest.capture(outputs={name: {"sha256": digest} for name, digest in hashes.items()},
                                extra={"study": {"config": cfg.to_dict(), "sections": names,
                                                 "timings": timings}})
    manifest.save(out / "manifest.json")
    (out / "data_hashes.json").write_text(json.dumps(hashes, indent=2) + "\n")
    return {"out": str(out), "root": tree.root, "hashes": hashes, "seconds": seconds, "timings": timings}


def _reproduction_section(tree: SeedTree, cfg: StudyConfig, out: str, hashes: dict, timings: dict) -> Section:
    import pandas as pd

    section = Section("Reproduction check")
    section.say(f"Every number above comes from root seed **{tree.root}**. Re-running the study with it "
                "recomputes every data file and compares sha256 hashes with this run's (recorded in "
                "`manifest.json` and `data_hashes.json`):")
    section.say(f"`{_command(tree, cfg, out)}`")
    section.say("The command exits 0 and prints `identical` when every data file is byte-identical, and names "
                "each file that differs otherwise. Files under `data/nondeterministic/` come from OS entropy "
                "on purpose (the `os` bit source, unseeded `train_test_split`, unseeded shot counts) and are left out.")
    section.tables.append(("Data files and their hashes", pd.DataFrame(
        [{"file": k, "sha256": v[:16] + "..."} for k, v in hashes.items()])))
    section.tables.append(("Seconds per section", pd.DataFrame([timings])))
    return section


def verify_study(out: str | Path, reference: str | Path) -> dict:
    """Compare the data hashes of study ``out`` with study ``reference``.

    Returns ``{"identical": bool, "differ": [...], "missing": [...], "extra": [...]}``.
    """
    out, reference = Path(out), Path(reference)
    path = reference / "data_hashes.json"
    if not path.is_file():
        raise QrandError(f"{reference} is not a qrand study folder (no data_hashes.json)")
    try:
        expected = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        raise QrandError(f"{path} is not valid JSON") from None
    if not isinstance(expected, dict):
        raise QrandError(f"{path} does not hold a file -> hash map")
    actual = data_hashes(out)
    differ = sorted(k for k in expected if k in actual and actual[k] != expected[k])
    missing = sorted(k for k in expected if k not in actual)
    extra = sorted(k for k in actual if k not in expected)
    return {"identical": not (differ or missing or extra), "differ": differ, "missing": missing,
            "extra": extra, "compared": len(expected)}
