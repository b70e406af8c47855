"""``qrand study``: the end-to-end report, and its reproduction check."""

import json
import re
import subprocess
import sys

import pandas as pd
import pytest

from qrand.errors import QrandError
from qrand.study.report import Section, markdown_table, write_html, write_markdown
from qrand.study.run import verify_study


def _qrand(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "qrand", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=900)


@pytest.mark.slow
def test_quick_study_twice_gives_identical_data_and_a_complete_report(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    run = _qrand("study", "--quick", "--seed", "11", "--out", str(first))
    assert run.returncode == 0, run.stderr[-3000:]
    again = _qrand("study", "--quick", "--seed", "11", "--out", str(second), "--verify", str(first))
    assert again.returncode == 0, again.stdout + again.stderr[-3000:]
    assert "identical" in again.stdout
    hashes = json.loads((first / "data_hashes.json").read_text())
    assert len(hashes) >= 10 and all(name.startswith("data/") for name in hashes)
    for name in hashes:  # byte for byte, not only the recorded hashes
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    report = (first / "report.md").read_text()
    for title in ("Seed tree", "graded, not binary", "Shot noise", "Seed spread", "Randomness traps", "NIST",
                  "Reproduction check"):
        assert title in report
    assert report.rstrip().splitlines()[-1].startswith("|")  # ends with the reproduction tables
    assert "qrand study --seed 11 --quick" in report
    html = (first / "report.html").read_text()
    pngs = sorted((first / "figures").glob("*.png"))
    assert len(pngs) >= 5
    assert html.count("data:image/png;base64,") == report.count("![")
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["outputs"].keys() == hashes.keys()
    thresholds = pd.read_csv(first / "data" / "shots_thresholds.csv")
    assert not thresholds.empty


def test_verify_reports_differences_and_rejects_non_studies(tmp_path):
    for folder, value in (("a", "1"), ("b", "2")):
        data = tmp_path / folder / "data"
        data.mkdir(parents=True)
        (data / "x.csv").write_text(value)
    from qrand.study.run import data_hashes

    (tmp_path / "a" / "data_hashes.json").write_text(json.dumps(data_hashes(tmp_path / "a")))
    result = verify_study(tmp_path / "b", tmp_path / "a")
    assert result == {"identical": False, "differ": ["data/x.csv"], "missing": [], "extra": [],
                      "compared": 1}
    assert verify_study(tmp_path / "a", tmp_path / "a")["identical"]
    with pytest.raises(QrandError, match="not a qrand study folder"):
        verify_study(tmp_path / "b", tmp_path / "b")
    bad = _qrand("study", "--quick", "--verify", str(tmp_path / "b"), "--out", str(tmp_path / "c"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    bad = _qrand("study", "--only", "nope", "--out", str(tmp_path / "c"))
    assert bad.returncode == 2 and "unknown study section 'nope'" in bad.stderr


def test_report_writers(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1])
    png = tmp_path / "f.png"
    fig.savefig(png)
    section = Section("Part <one>", tables=[("t", pd.DataFrame({"a": [1.23456789], "b": ["x"]}))],
                      figures=[("a figure", png)])
    section.say("uses `code` and **bold**")
    md = write_markdown("Title", [section], tmp_path).read_text()
    assert "| a | b |" in md and "1.235" in md and "![a figure](f.png)" in md
    html = write_html("Title", [section], tmp_path).read_text()
    assert "Part &lt;one&gt;" in html and "<code>code</code>" in html and "<strong>bold</strong>" in html
    assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/=]{100,}"', html)
    assert markdown_table(pd.DataFrame({"n": [None]})).endswith("|  |")
    assert markdown_table(pd.DataFrame({"n": ["max |diff| 1"]})).endswith("| max \\|diff\\| 1 |")


@pytest.mark.slow
def test_reproducibility_section_grades_each_case(tmp_path):
    from qrand.seeding.tree import SeedTree
    from qrand.study.config import StudyConfig
    from qrand.study.sections import NONDETERMINISTIC, reproducibility

    section = reproducibility(SeedTree(3).child("reproducibility"), StudyConfig.quick_preset(), tmp_path)
    levels = dict(zip(*section.data["reproducibility"][["case", "level"]].T.values))
    assert levels["seeded NumPy draws"] == "bitwise"
    assert levels["iteration order of a set of strings"] == "none"
    assert levels["float32 sum of 4M numbers in torch"] == "tolerance"  # threads 1 vs 2
    unseeded = section.data[f"{NONDETERMINISTIC}/reproducibility_unseeded"]
    assert unseeded["level"].iloc[0] in ("statistical", "none")  # never bitwise: OS entropy
    explanations = section.tables[0][1].set_index("case")["explanation"]
    assert "PYTHONHASHSEED" in explanations["iteration order of a set of strings"]
    assert "threads 1 -> 2" in explanations["float32 sum of 4M numbers in torch"]
