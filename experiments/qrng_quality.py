"""QRNG quality: the NIST SP 800-22 battery on OS, PCG64, simulated-quantum and noisy-quantum bits.

A simulated quantum RNG (Hadamard + measure on Aer) is a seeded PRNG in
disguise: it passes like PCG64 and the OS pool. A hardware-like noise model
(``fake_manila``'s asymmetric readout errors) biases the bits, and the
frequency family of tests fails by far. Extractors fix the bias: von Neumann
(pairs ``01 -> 0``, ``10 -> 1``; about 4 input bits per output bit) and
Toeplitz hashing (2 input bits per output bit), at the price shown in
``yield``.

Run: ``python experiments/qrng_quality.py [--seed S] [--quick]``.
"""

from __future__ import annotations

import pandas as pd
from tqdm.auto import tqdm

from _common import finish, start
from qrand import bits, nist

SOURCES = {"os": "os", "pcg64": "pcg64", "simulated quantum": "quantum:aer",
           "noisy quantum (fake_manila)": "quantum:aer:manila"}
EXTRACTIONS = (None, "vn", "toeplitz")


def battery_rows(n_bits: int, n_streams: int, tree) -> pd.DataFrame:
    """One row per source x extraction x stream x NIST P-value."""
    frames = []
    combos = [(label, extract) for label in SOURCES for extract in EXTRACTIONS]
    for label, extract in tqdm(combos, desc="sources x extractors"):
        name = SOURCES[label]
        streams = bits.streams(name, n_bits, n_streams, tree.child("qrng", name), extract=extract)
        for k, stream in enumerate(streams):
            frame = nist.run_battery(stream)
            frame.insert(0, "source", label)
            frame.insert(1, "extraction", extract or "raw")
            frame.insert(2, "stream", k)
            frame["ones"] = float(stream.mean())
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def yields(tree, n_bits: int) -> dict[str, float]:
    """Output bits per input bit of each extractor on the noisy source."""
    raw = bits.source(SOURCES["noisy quantum (fake_manila)"], n_bits, tree.child("yield"))
    return {"vn": bits.von_neumann(raw).size / raw.size,
            "toeplitz": bits.toeplitz(raw, tree.child("yield", "toeplitz")).size / raw.size}


def summarise(rows: pd.DataFrame) -> pd.DataFrame:
    """Per source x extraction: pass rate of applicable P-values, frequency P-value, fraction of ones."""
    ok = rows[rows["applicable"].astype(bool)].copy()
    ok["passed"] = ok["passed"].astype(bool)
    freq = ok[ok["test"] == "frequency"].groupby(["source", "extraction"], sort=False)["p_value"].min()
    out = ok.groupby(["source", "extraction"], sort=False).agg(
        p_values=("p_value", "size"), pass_rate=("passed", "mean"), ones=("ones", "mean")).reset_index()
    out["frequency_min_p"] = [freq[(s, e)] for s, e in zip(out["source"], out["extraction"])]
    return out


def plot(run, rows: pd.DataFrame, summary: pd.DataFrame) -> None:
    """Pass rate per NIST test (heatmap) and fraction of ones per source."""
    import matplotlib.pyplot as plt

    ok = rows[rows["applicable"].astype(bool)].copy()
    ok["passed"] = ok["passed"].astype(bool)
    ok["row"] = ok["source"] + " / " + ok["extraction"]
    grid = ok.pivot_table(index="row", columns="test", values="passed", aggfunc="mean", sort=False)
    fig, ax = plt.subplots(figsize=(10, 4.8))
    image = ax.imshow(grid.values, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(grid.shape[0]), grid.index, fontsize=8)
    fig.colorbar(image, ax=ax, label="fraction of P-values >= 0.01")
    ax.set_title("NIST SP 800-22 pass rate per test")
    run.figure(fig, "nist_pass_rate")

    fig, ax = plt.subplots(figsize=(7, 3.6))
    labels = summary["source"] + " / " + summary["extraction"]
    ax.barh(labels, summary["ones"] - 0.5, left=0.5, color="tab:blue")
    ax.axvline(0.5, color="k", lw=0.8)
    ax.set_xlabel("fraction of ones")
    ax.tick_params(axis="y", labelsize=8)
    run.figure(fig, "fraction_of_ones")


def main(argv=None) -> None:
    run = start("qrng_quality", __doc__.splitlines()[0], argv)
    n_bits, n_streams = run.pick(200_000, 1_000_000), run.pick(1, 4)
    rows = battery_rows(n_bits, n_streams, run.tree)
    summary = summarise(rows)
    run.csv(rows, "nist_pvalues")
    run.csv(summary, "summary")
    plot(run, rows, summary)

    cell = summary.set_index(["source", "extraction"])
    noisy = "noisy quantum (fake_manila)"
    claims = {
        "n_bits": n_bits, "streams": n_streams,
        "pass_rate": {f"{s} / {e}": round(float(v), 4) for (s, e), v in cell["pass_rate"].items()},
        "noisy_raw_ones": float(cell.loc[(noisy, "raw"), "ones"]),
        "noisy_raw_frequency_p": float(cell.loc[(noisy, "raw"), "frequency_min_p"]),
        "noisy_vn_frequency_p": float(cell.loc[(noisy, "vn"), "frequency_min_p"]),
        "noisy_toeplitz_frequency_p": float(cell.loc[(noisy, "toeplitz"), "frequency_min_p"]),
        "extractor_yield": yields(run.tree, n_bits),
    }
    finish(run, claims)


if __name__ == "__main__":
    main()
