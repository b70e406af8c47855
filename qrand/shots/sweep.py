"""``qrand.shots.sweep``: circuits x backends x seeds x shot counts, as a tidy DataFrame.

Each sweep task is one (circuit, backend, seed); it samples every shot count
(fast or device path, see :mod:`qrand.shots.sampling`), keeps the counts in
the store and returns per shot count the Pauli estimates, distances to the
backend's exact distribution and to the ideal one, and G-test p-values
against both. Tasks run through :func:`qrand.sweep.run_sweep`, so the store
is resumable and results are identical for every executor and worker count.
"""

from __future__ import annotations

import warnings
from typing import Any, Sequence

import numpy as np

from ..errors import QrandError
from ..seeding.tree import SeedTree
from ..stats import g_test, hellinger_distance, pauli_expectation, pauli_signs, tvd
from .backends import BackendSpec, parse_backends
from .circuits import build_circuit, circuit_config, circuit_label
from .sampling import (check_shots, device_counts, exact_probabilities, fast_counts,
                       ideal_probabilities, prepared_circuit)

METHODS = ("fast", "device")
#: columns of the tidy frame, in order
COLUMNS = ["circuit", "backend", "profile", "method", "shots", "seed", "observable", "estimate",
           "exact", "ideal", "tvd_exact", "hellinger_exact", "tvd_ideal", "hellinger_ideal",
           "g_pvalue_exact", "g_pvalue_ideal"]


def shot_task(config: dict, tree: SeedTree) -> dict:
    """One sweep task: counts and statistics of one (circuit, backend, seed) for all shot counts."""
    circuit, backend, shots = config["circuit"], config["backend"], config["shots"]
    seed_t = config["transpile_seed"]
    exact = exact_probabilities(circuit, backend, seed_t)
    ideal = ideal_probabilities(circuit)
    if config["method"] == "fast":
        counts = fast_counts(exact, shots, tree)
    else:
        counts = device_counts(circuit, backend, shots, tree, seed_t)
    observables = config["observables"]
    estimates = np.stack([pauli_expectation(counts, o) for o in observables], axis=1)
    sparse = [[np.flatnonzero(row).tolist(), row[row > 0].tolist()] for row in counts]
    return {
        "counts": sparse,
        "estimate": estimates.tolist(),
        "exact": [pauli_expectation(exact, o) for o in observables],
        "ideal": [pauli_expectation(ideal, o) for o in observables],
        "tvd_exact": np.atleast_1d(tvd(counts, exact)).tolist(),
        "hellinger_exact": np.atleast_1d(hellinger_distance(counts, exact)).tolist(),
        "tvd_ideal": np.atleast_1d(tvd(counts, ideal)).tolist(),
        "hellinger_ideal": np.atleast_1d(hellinger_distance(counts, ideal)).tolist(),
        "g_pvalue_exact": np.atleast_1d(g_test(counts, exact).pvalue).tolist(),
        "g_pvalue_ideal": np.atleast_1d(g_test(counts, ideal).pvalue).tolist(),
    }


def _observables(observables: Any, n_qubits: int, label: str) -> list[str]:
    if observables is None:
        return ["Z" * n_qubits]
    if isinstance(observables, str):
        observables = [observables]
    out = [str(o).upper() for o in observables]
    for o in out:
        pauli_signs(o)  # validates letters
        if len(o) != n_qubits:
            raise QrandError(f"observable {o!r} has {len(o)} letters; circuit {label!r} has {n_qubits} qubits")
    if not out:
        raise QrandError("no observables given")
    return out


def _root(seed: int | SeedTree | None) -> SeedTree:
    from ..quantum._stream import resolve_tree

    return resolve_tree(seed)


def build_configs(circuits: Sequence, backends: Sequence | str, shots: Sequence[int], *,
                  observables: Any = None, method: str = "fast",
                  root: SeedTree) -> tuple[list[dict], list[BackendSpec]]:
    """The sweep's task configs (one per circuit x backend), checked up front."""
    if method not in METHODS:
        raise QrandError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if isinstance(circuits, str) or not isinstance(circuits, Sequence):
        circuits = [circuits]
    specs = parse_backends(backends)
    shot_list = check_shots(shots)
    configs = []
    labels = set()
    for circuit in circuits:
        cfg = circuit_config(circuit)
        label = circuit_label(cfg)
        if label in labels:
            raise QrandError(f"circuit {label!r} listed twice")
        labels.add(label)
        n = build_circuit(cfg).num_qubits
        obs = _observables(observables, n, label)
        for spec in specs:
            seed_t = root.child("transpile", label, spec.name).seed(32)
            prepared_circuit(cfg, spec, seed_t)  # bad profiles and sizes fail here, once
            configs.append({"circuit": cfg, "backend": spec.name, "method": method,
                            "shots": shot_list, "observables": obs, "transpile_seed": seed_t})
    if not configs:
        raise QrandError("no circuits given")
    return configs, specs


def tidy(frame) -> Any:
    """The tidy shot frame (:data:`COLUMNS`) from a sweep's task frame (done tasks only)."""
    import pandas as pd

    from .backends import parse_backend

    rows: list[tuple] = []
    done = frame[frame["status"] == "done"] if "status" in frame else frame
    circuit_col = "circuit.name" if "circuit.name" in done else "circuit"
    for t in done.to_dict("records"):
        spec = parse_backend(t["backend"])
        circuit = t[circuit_col]
        for i, n in enumerate(t["shots"]):
            for j, obs in enumerate(t["observables"]):
                rows.append((circuit, spec.name, spec.profile_name, t["method"], n, t["seed"], obs,
                             t["estimate"][i][j], t["exact"][j], t["ideal"][j], t["tvd_exact"][i],
                             t["hellinger_exact"][i], t["tvd_ideal"][i], t["hellinger_ideal"][i],
                             t["g_pvalue_exact"][i], t["g_pvalue_ideal"][i]))
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out.astype({"shots": "int64", "seed": "int64"})
    return out.sort_values(["circuit", "backend", "shots", "seed", "observable"],
                           kind="stable").reset_index(drop=True)


def sweep(circuits: Any, backends: Sequence | str, *, shots: Sequence[int], seeds: int | list[int],
          observables: Any = None, method: str = "fast", seed: int | SeedTree | None = None,
          store: str | None = None, executor: str = "serial", workers: int | None = None,
          scheduler: str | None = None, resume: bool = True, new: bool = False,
          progress: bool = True):
    """Sample circuits on backends for every seed and shot count; return a tidy DataFrame.

    Parameters
    ----------
    circuits : spec (``"ghz:4"``), QuantumCircuit, or a list of them
    backends : backend specs (list or comma-separated text; see :mod:`qrand.shots.backends`)
    shots : shot counts
    seeds : ``N`` (seeds ``0..N-1``) or a list of seed indices
    observables : Z-type Pauli strings (default: the Z-parity ``"Z" * n``)
    method : ``"fast"`` (exact distribution + multinomial) or ``"device"``
    seed : root of the sweep's seed tree (``None``: the run's tree or OS entropy)
    store : SQLite store (default ``shots.sqlite``); counts are kept there
    executor, workers, scheduler, resume, new, progress : see :func:`qrand.sweep.run_sweep`

    Returns
    -------
    pandas.DataFrame
        One row per circuit x backend x shots x seed x observable, columns
        :data:`COLUMNS`; ``frame.attrs`` holds ``store``, ``root`` and ``failures``.
    """
    from ..sweep import run_sweep

    root = _root(seed)
    configs, _ = build_configs(circuits, backends, shots, observables=observables, method=method,
                               root=root)
    result = run_sweep(shot_task, configs, seeds, root=root, name="shots",
                       store=store if store is not None else "shots.sqlite", executor=executor,
                       workers=workers, scheduler=scheduler, resume=resume, new=new,
                       progress=progress)
    if result.failures:
        warnings.warn(f"{len(result.failures)} shot task(s) failed; see the store "
                      f"{result.store_path}", RuntimeWarning, stacklevel=2)
        if len(result.failures) == len(result.frame):
            from ..sweep.tasks import error_summary

            raise QrandError(f"every shot task failed; first: {error_summary(result.failures[0][1])}")
    out = tidy(result.frame)
    out.attrs.update({"store": str(result.store_path), "root": root.root,
                      "failures": len(result.failures)})
    return out


def load_counts(store: str):
    """Counts kept in a shot sweep's store, long form: ``circuit, backend, shots, seed, outcome, count``.

    ``outcome`` is the bitstring with qubit 0 first; only non-zero counts are listed.
    """
    import pandas as pd

    from ..sweep import load_sweep

    frame = load_sweep(store).frame
    frame = frame[frame["status"] == "done"]
    circuit_col = "circuit.name" if "circuit.name" in frame else "circuit"
    rows = []
    for _, t in frame.iterrows():
        n_bits = len(t["observables"][0])
        for n, (outcomes, counts) in zip(t["shots"], t["counts"]):
            for o, c in zip(outcomes, counts):
                rows.append((t[circuit_col], t["backend"], n, t["seed"], format(o, f"0{n_bits}b"), c))
    out = pd.DataFrame(rows, columns=["circuit", "backend", "shots", "seed", "outcome", "count"])
    return out.sort_values(["circuit", "backend", "shots", "seed", "outcome"]).reset_index(drop=True)
