"""qrand.shots sweeps: the 1/sqrt(N) law, detection thresholds, determinism, store and CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from qrand.cli import main
from qrand.errors import QrandError
from qrand.shots.compare import detection_report, spread_table
from qrand.shots.sweeping import COLUMNS, load_counts, sweep

DECADES = [10, 100, 1000, 10000]
ZERO_NOISE = "default.mixed:uniform(t1=inf,t2=inf,p1q=0,p2q=0,readout=0)"


@pytest.mark.slow
def test_ghz3_parity_std_follows_analytic_law(tmp_path):
    """Must-show: 200 seeds, std within 10% of sqrt((1 - <ZZZ>^2)/N) at every N, slope -0.5 +- 0.05."""
    frame = sweep("ghz:3", "default.qubit", shots=DECADES, seeds=200, seed=0,
                  store=tmp_path / "s.sqlite", progress=False)
    assert list(frame.columns) == COLUMNS and len(frame) == 4 * 200
    spread = spread_table(frame)
    assert np.allclose(spread["exact"], 0.0, atol=1e-12)  # GHZ parity on 3 qubits is 0
    assert np.allclose(spread["analytic_std"], 1 / np.sqrt(DECADES))
    assert np.all(np.abs(spread["std_ratio"] - 1) < 0.10), spread[["shots", "std_ratio"]]
    assert abs(spread["slope"].iloc[0] + 0.5) < 0.05
    assert np.all(np.abs(spread["bias"]) < 3 * spread["analytic_std"] / np.sqrt(200))


@pytest.mark.slow
def test_detection_threshold_fake_manila_vs_zero_noise(tmp_path):
    """Must-show: fake_manila distinguishable for GHZ(4) at some N <= 1e4; zero-error profile never."""
    frame = sweep("ghz:4", ["aer:fake_manila", "default.mixed:fake_manila", ZERO_NOISE],
                  shots=DECADES, seeds=200, seed=1, store=tmp_path / "d.sqlite", progress=False)
    report = detection_report(frame, alpha=0.05, target_power=0.8, seed=1)
    th = report.thresholds.set_index("backend")
    for noisy in ("aer:fake_manila", "default.mixed:fake_manila"):
        assert th.loc[noisy, "threshold_shots"] <= 10_000
        assert th.loc[noisy, "power_at_max"] == 1.0
    name = ZERO_NOISE  # already canonical
    assert pd.isna(th.loc[name, "threshold_shots"])
    zero = report.table[report.table.backend == name]
    # power stays near the test's size (exact size of this G-test: 0.02-0.057), far below 0.8
    assert zero.power.mean() < 0.1 and zero.power.max() < 0.2
    assert "never" in report.to_text() and "from" in report.to_text()
    # distances: from 100 shots the noisy TVD is above the shot-noise band; zero noise stays inside
    noisy = report.table[(report.table.backend == "aer:fake_manila") & (report.table.shots >= 100)]
    assert len(noisy) == 3 and np.all(noisy.tvd_ideal > noisy.null_tvd_high)
    assert np.all(zero.tvd_ideal < zero.null_tvd_high)


_SCRIPT = textwrap.dedent("""
    import sys
    from qrand.shots.sweeping import sweep

    if __name__ == "__main__":
        executor, folder = sys.argv[1:3]
        for method in ("fast", "device"):
            frame = sweep("ghz:3", "default.qubit,aer:fake_manila,default.mixed:fake_manila",
                          shots=[10, 100], seeds=3, seed=42, method=method,
                          store=f"{folder}/{method}-{executor}.sqlite", executor=executor,
                          workers=None if executor == "serial" else 2, progress=False)
            frame.to_parquet(f"{folder}/{method}-{executor}.parquet")
""")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_same_seed_same_frame_in_fresh_processes_for_every_executor_and_method(tmp_path):
    """Must-show: identical DataFrames from fresh processes, for both methods and every executor."""
    script = tmp_path / "run.py"
    script.write_text(_SCRIPT)
    for executor in ("serial", "processes", "dask"):  # one fresh interpreter each
        subprocess.run([sys.executable, str(script), executor, str(tmp_path)], check=True,
                       timeout=400, capture_output=True)
    frames = {(m, e): pd.read_parquet(tmp_path / f"{m}-{e}.parquet")
              for m in ("fast", "device") for e in ("serial", "processes", "dask")}
    for method in ("fast", "device"):
        base = frames[method, "serial"]
        assert len(base) == 3 * 2 * 3
        for executor in ("processes", "dask"):
            pd.testing.assert_frame_equal(frames[method, executor], base, check_exact=True)
    fast, device = frames["fast", "serial"], frames["device", "serial"]
    assert not fast.estimate.equals(device.estimate)  # different paths, different draws


def test_store_keeps_counts_and_resumes(tmp_path):
    store = tmp_path / "c.sqlite"
    frame = sweep("bell", "aer", shots=[10, 50], seeds=4, seed=5, store=store, progress=False)
    counts = load_counts(store)
    assert set(counts.outcome) <= {"00", "11"}
    totals = counts.groupby(["shots", "seed"])["count"].sum()
    assert set(totals.loc[10]) == {10} and set(totals.loc[50]) == {50}
    est = frame.set_index(["shots", "seed"])["estimate"]
    for (shots, seed), group in counts.groupby(["shots", "seed"]):
        value = sum(c * (1 if o.count("1") % 2 == 0 else -1) for o, c in zip(group.outcome, group["count"]))
        assert value / shots == pytest.approx(est.loc[(shots, seed)])
    again = sweep("bell", "aer", shots=[10, 50], seeds=4, seed=5, store=store, progress=False)
    pd.testing.assert_frame_equal(frame, again)
    with pytest.raises(QrandError):  # another definition on the same store is refused
        sweep("bell", "aer", shots=[10, 60], seeds=4, seed=5, store=store, progress=False)


def test_user_circuit_and_observables(tmp_path):
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(2, name="plus_zero")
    qc.h(0)
    frame = sweep([qc], "default.qubit", shots=[400], seeds=5, seed=3, observables=["ZI", "IZ"],
                  store=tmp_path / "u.sqlite", progress=False)
    assert set(frame.circuit) == {"plus_zero"}
    by_obs = frame.groupby("observable")
    assert by_obs.exact.first().to_dict() == pytest.approx({"ZI": 0.0, "IZ": 1.0}, abs=1e-12)
    assert np.all(frame[frame.observable == "IZ"].estimate == 1.0)
    with pytest.raises(QrandError, match="letters"):
        sweep("bell", "aer", shots=[10], seeds=2, observables=["ZZZ"], store=tmp_path / "x.sqlite")
    with pytest.raises(QrandError, match="Z-type"):
        sweep("bell", "aer", shots=[10], seeds=2, observables=["XX"], store=tmp_path / "x.sqlite")
    with pytest.raises(QrandError, match="method"):
        sweep("bell", "aer", shots=[10], seeds=2, method="magic", store=tmp_path / "x.sqlite")


def test_cli_writes_outputs(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["shots", "--circuit", "ghz:3", "--backends", "default.qubit,aer:fake_manila",
                 "--shots", "10,100,1000", "--seeds", "20", "--seed", "7", "--out", str(out), "--json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["backend"] for r in rows} == {"default.qubit", "aer:fake_manila"}
    summary = pd.read_csv(out / "summary.csv")
    assert {"std", "analytic_std", "power", "null_tvd_high", "slope"} <= set(summary.columns)
    assert len(summary) == len(rows) == 2 * 3
    thresholds = pd.read_csv(out / "thresholds.csv")
    assert set(thresholds.backend) == {"default.qubit", "aer:fake_manila"}
    for stem in ("standard_error", "distance", "detection", "histogram_ghz_3"):
        for ext in ("png", "svg"):
            assert (out / "figures" / f"{stem}.{ext}").stat().st_size > 1000
    manifest = json.loads((out / "manifest.json").read_text())
    assert "summary.csv" in json.dumps(manifest)
    assert (out / "shots.sqlite").exists()


@pytest.mark.parametrize("argv, message", [
    (["--backends", "default.qubit:fake_manila"], "mixed-state"),
    (["--backends", "nope"], "unknown simulator"),
    (["--circuit", "ghz:x"], "integers"),
    (["--seeds", "1"], "at least 2"),
])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, capsys, argv, message):
    base = {"--circuit": "ghz:2", "--backends": "aer", "--seeds": "3"}
    base.update(dict(zip(argv[::2], argv[1::2])))
    args = ["shots", "--shots", "10", "--out", str(tmp_path / "o"), "--no-plots"]
    for key, value in base.items():
        args += [key, value]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
