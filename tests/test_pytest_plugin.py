"""The pytest plugin: per-test trees, printed seed, re-run with the same seed."""

import re
import subprocess
import sys

TEST_FILE = '''
import random
import numpy as np

def test_draws(qrand_tree, qrand_rng):
    value = np.random.rand() + random.random() + qrand_rng.random()
    print("VALUE", repr(value), qrand_tree.path)
    assert value < 0  # always fails, showing the numbers
'''


def _pytest(tmp_path, *args):
    (tmp_path / "test_sample.py").write_text(TEST_FILE)
    return subprocess.run([sys.executable, "-m", "pytest", "-s", "-p", "no:cacheprovider", *args,
                           str(tmp_path / "test_sample.py")],
                          capture_output=True, text=True, cwd=tmp_path)


def test_failing_test_replays_with_printed_seed(tmp_path):
    first = _pytest(tmp_path)
    assert first.returncode == 1
    seed = re.search(r"re-run with --qrand-seed=(\d+)", first.stdout).group(1)
    assert f"qrand seed: {seed}" in first.stdout  # in the header too
    value = re.search(r"VALUE (\S+)", first.stdout).group(1)
    again = _pytest(tmp_path, f"--qrand-seed={seed}")
    assert re.search(r"VALUE (\S+)", again.stdout).group(1) == value
    other = _pytest(tmp_path, f"--qrand-seed={int(seed) + 1}")
    assert re.search(r"VALUE (\S+)", other.stdout).group(1) != value
    assert "test_sample.py::test_draws" in again.stdout


def test_last_seed_and_disable(tmp_path):
    (tmp_path / "test_sample.py").write_text(TEST_FILE)
    run = lambda *a: subprocess.run([sys.executable, "-m", "pytest", "-s", *a, "test_sample.py"],
                                    capture_output=True, text=True, cwd=tmp_path)
    first = run("--qrand-seed=77")
    last = run("--qrand-seed=last")
    assert "qrand seed: 77" in last.stdout
    assert re.search(r"VALUE (\S+)", first.stdout).group(1) == re.search(r"VALUE (\S+)", last.stdout).group(1)
    off = run("-p", "no:qrand")
    assert "qrand seed" not in off.stdout and "fixture 'qrand_tree' not found" in off.stdout
    bad = run("--qrand-seed=-4")
    assert bad.returncode == 4 and "--qrand-seed" in bad.stderr
