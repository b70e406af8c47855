"""``qrand.shots.sweeping``: circuits x backends x seeds x shot counts, as a tidy DataFrame.

Tasks run through :func:`qrand.sweep.run_sweep` (resumable store, identical
results for every executor and worker count). A task is one (circuit,
backend, **block of seeds**): seed ``s`` belongs to block ``s // block``, a
fixed partition (``block`` is :data:`FAST_BLOCK` on the fast path and
:data:`DEVICE_BLOCK` on the device path), so results never depend on the
executor or the number of workers. A task samples every seed of its block at
every shot count (fast or device path, see :mod:`qrand.shots.sampling`),
keeps the counts in the store and returns, per seed and shot count, the Pauli
estimates, distances to the backend's exact distribution and to the ideal one,
and G-test p-values against both, computed for the whole block at once.

**Seed paths.** Seed ``s`` of circuit ``C`` on backend ``B`` draws only from
the node ``root.child("shots", C, B, "seed", s)`` of the sweep's root tree
(fast path: ``.child("multinomial", N)`` per shot count ``N``; device path:
the seeded simulator on that node). A seed's counts therefore do not depend
on the block size, on which other seeds or shot counts were asked for, or on
the executor.
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
#: seeds per task on the fast path (a fixed partition: seed s is in block s // FAST_BLOCK)
FAST_BLOCK = 50
#: seeds per task on the device path (each seed already costs a simulator run per shot count)
DEVICE_BLOCK = 1
#: columns of the tidy frame, in order
COLUMNS = ["circuit", "backend", "profile", "method", "shots", "seed", "observable", "estimate",
           "exact", "ideal", "tvd_exact", "hellinger_exact", "tvd_ideal", "hellinger_ideal",
           "g_pvalue_exact", "g_pvalue_ideal"]
#: per-seed statistics a task returns, each shaped (seeds, shots)
_STATS = ["tvd_exact", "hellinger_exact", "tvd_ideal", "hellinger_ideal", "g_pvalue_exact",
          "g_pvalue_ideal"]


def seed_node(root: SeedTree, circuit: str, backend: str, seed: int) -> SeedTree:
    """The node seed ``seed`` of ``circuit`` on ``backend`` draws from (see the module docstring)."""
    return root.child("shots", circuit, backend, "seed", int(seed))


def seed_blocks(seeds: int | Sequence[int], size: int) -> list[list[int]]:
    """Seeds grouped into blocks ``s // size`` (``seeds``: ``N`` for ``0..N-1``, or a list)."""
    from ..sweep.tasks import normalise_seeds

    blocks: dict[int, list[int]] = {}
    for s in sorted(set(normalise_seeds(seeds))):
        blocks.setdefault(s // size, []).append(s)
    return [blocks[b] for b in sorted(blocks)]


def shot_task(config: dict, tree: SeedTree) -> dict:
    """One sweep task: counts and statistics of one (circuit, backend, block of seeds), all shot counts.

    Results are lists indexed ``[seed][shot]`` (``estimate``: ``[seed][shot][observable]``)
    in the order of ``config["seeds"]`` and ``config["shots"]``.

    ``tree`` (the task's node) is not drawn from: every seed draws from its own
    :func:`seed_node` of the sweep's root (``config["stream"]``), so the result
    does not depend on how seeds are grouped into tasks.
    """
    circuit, backend, shots = config["circuit"], config["backend"], config["shots"]
    seed_t = config["transpile_seed"]
    root = SeedTree(int(config["stream"]["root"])).child(*config["stream"]["path"])
    label = circuit_label(circuit)
    seeds = config["seeds"]
    exact = exact_probabilities(circuit, backend, seed_t)
    ideal = ideal_probabilities(circuit)
    nodes = [seed_node(root, label, backend, s) for s in seeds]
    if config["method"] == "fast":
        counts = np.stack([fast_counts(exact, shots, node) for node in nodes])
    else:
        counts = np.stack([device_counts(circuit, backend, shots, node, seed_t) for node in nodes])
    # counts: (seeds, shots, outcomes); every statistic below is computed for the whole block at once
    observables = config["observables"]
    estimates = np.stack([pauli_expectation(counts, o) for o in observables], axis=-1)
    stats = {"tvd_exact": tvd(counts, exact), "hellinger_exact": hellinger_distance(counts, exact),
             "tvd_ideal": tvd(counts, ideal), "hellinger_ideal": hellinger_distance(counts, ideal),
             "g_pvalue_exact": g_test(counts, exact).pvalue, "g_pvalue_ideal": g_test(counts, ideal).pvalue}
    sparse = [[[np.flatnonzero(row).tolist(), row[row > 0].tolist()] for row in per_seed]
              for per_seed in counts]
    return {
        "counts": sparse,
        "estimate": estimates.tolist(),
        "exact": [pauli_expectation(exact, o) for o in observables],
        "ideal": [pauli_expectation(ideal, o) for o in observables],
        **{name: np.asarray(value, dtype=float).reshape(len(seeds), len(shots)).tolist()
           for name, value in stats.items()},
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
                  observables: Any = None, method: str = "fast", root: SeedTree,
                  seeds: int | Sequence[int] = 1) -> tuple[list[dict], list[BackendSpec]]:
    """The sweep's task configs (one per circuit x backend x block of seeds), checked up front."""
    if method not in METHODS:
        raise QrandError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if isinstance(circuits, str) or not isinstance(circuits, Sequence):
        circuits = [circuits]
    specs = parse_backends(backends)
    shot_list = check_shots(shots)
    blocks = seed_blocks(seeds, FAST_BLOCK if method == "fast" else DEVICE_BLOCK)
    stream = {"root": root.root, "path": list(root.path)}
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
            seed_t = transpile_seed(root, label, spec.name)
            prepared_circuit(cfg, spec, seed_t)  # bad profiles and sizes fail here, once
            for block in blocks:
                configs.append({"circuit": cfg, "backend": spec.name, "method": method,
                                "shots": shot_list, "observables": obs, "transpile_seed": seed_t,
                                "stream": stream, "seeds": block})
    if not configs:
        raise QrandError("no circuits given")
    return configs, specs


def transpile_seed(root: SeedTree, circuit: str, backend: str) -> int:
    """The transpiler seed of ``circuit`` on ``backend`` in a sweep with this root."""
    return root.child("transpile", circuit, backend).seed(32)


def tidy(frame) -> Any:
    """The tidy shot frame (:data:`COLUMNS`) from a sweep's task frame (done tasks only)."""
    import pandas as pd

    from .backends import parse_backend

    parts = []
    done = frame[frame["status"] == "done"] if "status" in frame else frame
    circuit_col = "circuit.name" if "circuit.name" in done else "circuit"
    for t in done.to_dict("records"):
        spec = parse_backend(t["backend"])
        seeds, shots, obs = np.asarray(t["seeds"]), np.asarray(t["shots"]), list(t["observables"])
        n_seed, n_shot, n_obs = len(seeds), len(shots), len(obs)
        size = n_seed * n_shot * n_obs

        def per_shot(name):  # (seeds, shots) -> one value per row
            return np.repeat(np.asarray(t[name], dtype=float).reshape(n_seed, n_shot), n_obs, axis=1).ravel()

        columns = {
            "circuit": [t[circuit_col]] * size, "backend": [spec.name] * size,
            "profile": [spec.profile_name] * size, "method": [t["method"]] * size,
            "shots": np.tile(np.repeat(shots, n_obs), n_seed), "seed": np.repeat(seeds, n_shot * n_obs),
            "observable": obs * (n_seed * n_shot),
            "estimate": np.asarray(t["estimate"], dtype=float).reshape(-1),
            "exact": np.tile(np.asarray(t["exact"], dtype=float), n_seed * n_shot),
            "ideal": np.tile(np.asarray(t["ideal"], dtype=float), n_seed * n_shot),
        }
        columns.update({name: per_shot(name) for name in _STATS})
        parts.append(pd.DataFrame(columns, columns=COLUMNS))
    out = (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS))
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
                               root=root, seeds=seeds)
    result = run_sweep(shot_task, configs, 1, root=root, name="shots",
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
    out.attrs.update({"store": str(result.store_path), "root": root.root, "root_path": list(root.path),
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
        for seed, per_seed in zip(t["seeds"], t["counts"]):
            for n, (outcomes, counts) in zip(t["shots"], per_seed):
                for o, c in zip(outcomes, counts):
                    rows.append((t[circuit_col], t["backend"], n, seed, format(o, f"0{n_bits}b"), c))
    out = pd.DataFrame(rows, columns=["circuit", "backend", "shots", "seed", "outcome", "count"])
    return out.sort_values(["circuit", "backend", "shots", "seed", "outcome"]).reset_index(drop=True)
