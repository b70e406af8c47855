"""A seeded Qiskit Aer simulator that follows qrand's one execution-seed rule.

Aer takes one ``seed_simulator`` per ``run`` and shifts it internally
(``seed + 2113*i`` for the i-th circuit of a batch, ``seed + shot_index`` for
parallel shots), so two runs seeded ``n`` and ``n + 1`` share random numbers.
:class:`SeededAer` gives run ``k`` the derived seed
``tree.child("device", NAME, "exec", k).seed(64) >> 1`` (hashed, below
``2**63``): the shifted ranges of two executions do not meet in practice.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from .._optional import require
from ..errors import QrandError
from ..seeding import record as _record
from ._stream import ExecutionStream, note_profile

METHODS = ("automatic", "statevector", "density_matrix", "stabilizer", "matrix_product_state",
           "extended_stabilizer", "unitary", "superop", "tensor_network")
BIT_ORDERS = ("qiskit", "wire0-first")


def aer_seed(node) -> int:
    """Aer's ``seed_simulator`` for a seed-tree node: 64 bits shifted below ``2**63``."""
    return node.seed(64) >> 1


class SeededAer:
    """An ``AerSimulator`` whose ``k``-th run is seeded from the seed tree.

    Build it with :func:`aer_simulator`. ``.backend`` is the ``AerSimulator``
    (for ``transpile``); ``.run`` returns counts; ``.result`` the Qiskit result.
    """

    def __init__(self, stream: ExecutionStream, backend: Any, profile=None):
        self._stream, self.backend, self.profile = stream, backend, profile

    # -- execution-seed rule -----------------------------------------------------
    @property
    def name(self) -> str:
        """NAME in the seed path and the run record."""
        return self._stream.name

    @property
    def mode(self) -> str:
        """``"stream"`` or ``"common"``."""
        return self._stream.mode

    @property
    def executions(self) -> int:
        """How many runs have started (index of the next one)."""
        return self._stream.next_exec

    def execution_seed(self, k: int) -> int:
        """The ``seed_simulator`` execution ``k`` uses."""
        return aer_seed(self._stream.node(k))

    def seek(self, k: int) -> None:
        """Make execution ``k`` the next one."""
        self._stream.seek(k)

    @contextmanager
    def replay_execution(self, k: int) -> Iterator[None]:
        """Run the block as execution ``k`` alone, then restore the counter."""
        with self._stream.replay(k):
            yield

    # -- running -------------------------------------------------------------
    def result(self, circuits, shots: int = 1024, *, parameter_binds=None, **run_options):
        """Run ``circuits`` (one execution) and return Aer's ``Result``.

        ``seed_simulator`` is set by qrand; passing it raises ``QrandError``.
        """
        if "seed_simulator" in run_options:
            raise QrandError("seed_simulator is derived by qrand; pass seed= to aer_simulator instead")
        if isinstance(shots, bool) or not isinstance(shots, int) or shots < 1:
            raise QrandError(f"shots must be a positive int, got {shots!r}")
        from .bridge import to_qiskit

        batch = [to_qiskit(c) for c in (circuits if isinstance(circuits, (list, tuple)) else [circuits])]
        if self.profile is not None:
            for circuit in batch:
                self.profile.check_qubits(range(circuit.num_qubits), what=f"circuit {circuit.name!r}")
        k, node = self._stream.take()
        seed = aer_seed(node)
        _record.current().note_device(self.name, last_seed_simulator=seed)
        job = self.backend.run(list(batch), shots=shots, parameter_binds=parameter_binds,
                               seed_simulator=seed, **run_options)
        return job.result()

    def run(self, circuits, shots: int = 1024, *, parameter_binds=None, bit_order: str = "qiskit",
            **run_options):
        """Run ``circuits`` (one execution) and return counts.

        Parameters
        ----------
        circuits : QuantumCircuit, PennyLane tape/quantum function, or a list
            Circuits with measurements (PennyLane input goes through ``to_qiskit``).
        shots : int
            Shots per circuit (per parameter bind).
        parameter_binds : list of dict, optional
            Aer's parameter binds; all binds are one execution.
        bit_order : {"qiskit", "wire0-first"}
            ``"qiskit"``: Qiskit's keys (clbit 0 rightmost); ``"wire0-first"``:
            reversed, as PennyLane prints bitstrings.

        Returns
        -------
        dict or list of dict
            Counts for one circuit, or a list (one per circuit and bind).
        """
        if bit_order not in BIT_ORDERS:
            raise QrandError(f"bit_order must be one of {', '.join(BIT_ORDERS)}, got {bit_order!r}")
        result = self.result(circuits, shots, parameter_binds=parameter_binds, **run_options)
        counts = result.get_counts()
        many = isinstance(counts, list)
        counts = counts if many else [counts]
        if bit_order == "wire0-first":
            counts = [{key.replace(" ", "")[::-1]: n for key, n in c.items()} for c in counts]
        else:
            counts = [dict(c) for c in counts]
        return counts if many else counts[0]

    def __repr__(self) -> str:
        return (f"SeededAer(name={self.name!r}, mode={self.mode!r}, "
                f"method={self.backend.options.method!r}, executions={self.executions})")


def aer_simulator(*, seed=None, method: str = "automatic", profile=None, mode: str = "stream",
                  name: str = "aer", start_exec: int = 0, **options: Any) -> SeededAer:
    """A seeded Aer simulator following qrand's execution-seed rule.

    Parameters
    ----------
    seed : int, SeedTree or None
        Root of the seed tree (``None``: the run's tree or OS entropy).
    method : str
        Aer simulation method (``"automatic"``, ``"statevector"``, ``"density_matrix"``, ...).
    profile : HardwareProfile, optional
        Noise: ``profile.to_aer()`` becomes the simulator's noise model.
    mode : {"stream", "common"}
        Fresh derived seed per run, or execution 0's seed for every run.
    name : str
        NAME in ``tree.child("device", NAME, "exec", k)`` and the run record.
    start_exec : int
        Index of the first execution (replay run ``k`` in a new process).
    **options
        Other ``AerSimulator`` options (``seed_simulator`` is not allowed).
    """
    if method not in METHODS:
        raise QrandError(f"unknown Aer method {method!r}; valid methods: {', '.join(METHODS)}")
    if "seed_simulator" in options:
        raise QrandError("seed_simulator is derived by qrand; pass seed= instead")
    aer = require("qiskit_aer")
    if profile is not None:
        options["noise_model"] = profile.to_aer()
    stream = ExecutionStream(seed, name, f"aer.{method}", mode=mode, start_exec=start_exec)
    if profile is not None:
        note_profile(name, profile)
    return SeededAer(stream, aer.AerSimulator(method=method, **options), profile)
