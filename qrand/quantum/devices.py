"""Seeded PennyLane devices that follow qrand's one execution-seed rule.

``device("default.qubit", 2, seed=7)`` is a real PennyLane device (a subclass
of the PennyLane class) whose ``execute`` reseeds itself before each call from
``tree.child("device", NAME, "exec", k)``. One call of ``execute`` (one QNode
evaluation, one batch of tapes, one shot vector, one gradient batch) is one
execution.

``rng="numpy"`` (default) gives the device a fresh ``numpy.random.Generator``
per execution; under ``jax.jit`` PennyLane runs such a device through a host
callback, so ``execute`` runs on every call and the seed advances.
``rng="jax"`` gives it a JAX PRNG key per execution instead, fetched through
``jax.experimental.io_callback``: sampling stays inside the compiled
function, and the key still changes on every call of a jitted function.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

from .._optional import require
from ..errors import QrandError
from ._stream import ExecutionStream, note_profile

#: short name -> (module, class) of the PennyLane device
DEVICES = {
    "default.qubit": ("pennylane.devices", "DefaultQubit"),
    "default.mixed": ("pennylane.devices", "DefaultMixed"),
    "lightning.qubit": ("pennylane_lightning.lightning_qubit", "LightningQubit"),
}
_JAX_OK = ("default.qubit", "default.mixed")
_CLASSES: dict[str, type] = {}


class _SeededDevice:
    """Mixin placed before the PennyLane device class; see :func:`device`."""

    _qrand_stream: ExecutionStream
    _qrand_rng: str
    _qrand_noise: Any = None

    # -- public helpers ------------------------------------------------------
    @property
    def execution_stream(self) -> ExecutionStream:
        """The :class:`~qrand.quantum._stream.ExecutionStream` behind this device."""
        return self._qrand_stream

    @property
    def executions(self) -> int:
        """How many executions this device has started (index of the next one)."""
        return self._qrand_stream.next_exec

    def execution_seed(self, k: int):
        """The seed-tree node execution ``k`` uses."""
        return self._qrand_stream.node(k)

    def seek(self, k: int) -> None:
        """Make execution ``k`` the next one (continue the stream from there)."""
        self._qrand_stream.seek(k)

    @contextmanager
    def replay_execution(self, k: int) -> Iterator[None]:
        """Run the block as execution ``k`` alone, then restore the counter."""
        with self._qrand_stream.replay(k):
            yield

    # -- seeding -------------------------------------------------------------
    def _qrand_numpy(self, node) -> None:
        self._rng = node.numpy()
        if getattr(self, "_statevector", None) is not None:  # lightning keeps a copy in its state
            self._statevector._rng = self._rng

    def _qrand_jax_key(self):
        """A key for this execution, read at run time (also inside ``jax.jit``)."""
        jax = require("jax")
        from jax.experimental import io_callback

        stream = self._qrand_stream
        shape = _raw_key_shape(jax)
        return io_callback(lambda: _raw_key(stream.take()[1], shape),
                           jax.ShapeDtypeStruct(shape, jax.numpy.uint32), ordered=True)

    def execute(self, circuits, execution_config=None):
        if self._qrand_rng == "numpy":
            self._qrand_numpy(self._qrand_stream.take()[1])
            return super().execute(circuits, execution_config)
        key = self._qrand_jax_key()
        if self.name == "default.qubit":  # splits the key once per circuit itself
            self._prng_seed = self._prng_key = key
            return super().execute(circuits, execution_config)
        jax = require("jax")
        results = []
        for i, circuit in enumerate(circuits):  # default.mixed reuses one key per batch
            self._prng_key = jax.random.fold_in(key, i)
            results.append(super().execute((circuit,), execution_config)[0])
        return tuple(results)


def _raw_key_shape(jax) -> tuple[int, ...]:
    """Shape of a raw (uint32) key of JAX's default PRNG implementation, e.g. (2,) for threefry."""
    return tuple(jax.random.key_data(jax.random.key(0)).shape)


def _raw_key(node, shape: tuple[int, ...]) -> np.ndarray:
    """A raw uint32 JAX key filled from a seed-tree node (as ``SeedTree.jax_key`` fills its data)."""
    return node.generate_state(int(np.prod(shape)), np.uint32).reshape(shape)


def _noisy_preprocess(self, execution_config=None):
    """``default.mixed``'s preprocessing, with the profile's noise (when there is one) in front."""
    program, config = super(_CLASSES["default.mixed"], self).preprocess(execution_config)
    if self._qrand_noise is not None:
        from .noise import apply_profile_noise

        # first, on the gates as written (transpiled to the profile's basis), before decomposition
        program.insert(0, apply_profile_noise(tables=self._qrand_noise))
    return program, config


def _device_class(short: str) -> type:
    if short not in _CLASSES:
        module, cls_name = DEVICES[short]
        base = getattr(require(module), cls_name)
        namespace: dict[str, Any] = {"__module__": __name__}
        if short == "default.mixed":
            namespace["preprocess"] = _noisy_preprocess
        _CLASSES[short] = type(f"Seeded{cls_name}", (_SeededDevice, base), namespace)
    return _CLASSES[short]


def device(
    short_name: str,
    wires: int | list | None,
    *,
    seed=None,
    mode: str = "stream",
    profile=None,
    shots=None,
    name: str | None = None,
    rng: str = "numpy",
    start_exec: int = 0,
    **kwargs: Any,
):
    """A seeded PennyLane device following qrand's execution-seed rule.

    Parameters
    ----------
    short_name : {"default.qubit", "default.mixed", "lightning.qubit"}
        The PennyLane device to build.
    wires : int or list
        Device wires. With a ``profile``, wire labels are the profile's qubit
        indices (``wires=3`` means qubits 0, 1, 2).
    seed : int, SeedTree or None
        Root of the device's seed tree; ``None`` uses the run's tree (after
        ``qrand.seed_everything``) or OS entropy (recorded in the run record).
    mode : {"stream", "common"}
        ``"stream"``: execution ``k`` uses ``tree.child("device", NAME, "exec", k)``;
        ``"common"``: every execution uses execution 0's seed.
    profile : HardwareProfile, optional
        Hardware-like noise (``default.mixed`` only): the profile's gate errors
        after each listed gate and its readout errors before measurement.
    shots : int or list, optional
        Passed to the device (PennyLane prefers ``qml.set_shots`` on the QNode).
    name : str, optional
        NAME in the seed path and the run record (default: ``short_name``); give
        two devices different names to keep their streams apart.
    rng : {"numpy", "jax"}
        Per-execution ``numpy.random.Generator`` or JAX PRNG key (end-to-end
        jittable sampling; ``default.qubit`` and ``default.mixed``).
    start_exec : int
        Index of the first execution, to replay execution ``k`` in a new process.
    **kwargs
        Other keyword arguments of the PennyLane device.

    Returns
    -------
    pennylane.devices.Device
        A subclass instance of the PennyLane device with ``seek``,
        ``replay_execution``, ``execution_seed`` and ``executions``.
    """
    if short_name not in DEVICES:
        raise QrandError(f"unknown device {short_name!r}; valid names: {', '.join(DEVICES)}")
    if rng not in ("numpy", "jax"):
        raise QrandError(f"rng must be 'numpy' or 'jax', got {rng!r}")
    if rng == "jax" and short_name not in _JAX_OK:
        raise QrandError(f"rng='jax' needs one of {', '.join(_JAX_OK)}, not {short_name!r}")
    wire_labels = _wire_labels(wires)
    noise = None
    if profile is not None:
        if short_name != "default.mixed":
            raise QrandError(f"a noise profile needs 'default.mixed', not {short_name!r}")
        profile.check_qubits(wire_labels, what="device wires")
        from .noise import pennylane_tables

        noise = pennylane_tables(profile)
    stream = ExecutionStream(seed, short_name if name is None else name, short_name, mode=mode,
                             start_exec=start_exec)
    init_seed: Any = 0
    if rng == "jax":
        jax = require("jax")
        init_seed = jax.numpy.asarray(_raw_key(stream.node(0), _raw_key_shape(jax)))
    if shots is not None:
        kwargs["shots"] = shots
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Setting shots on device is deprecated")
        dev = _device_class(short_name)(wires=wires, seed=init_seed, **kwargs)
    dev._qrand_stream, dev._qrand_rng, dev._qrand_noise = stream, rng, noise
    if profile is not None:
        note_profile(stream.name, profile)
    return dev


def _wire_labels(wires) -> list:
    if isinstance(wires, bool):
        raise QrandError(f"wires must be a positive int or a list of labels, got {wires!r}")
    if isinstance(wires, int):
        if wires < 1:
            raise QrandError(f"wires must be a positive int or a list of labels, got {wires!r}")
        return list(range(wires))
    if wires is None:
        return []
    try:
        labels = list(wires)
    except TypeError:
        raise QrandError(f"wires must be a positive int or a list of labels, got {wires!r}") from None
    if len(set(labels)) != len(labels):
        raise QrandError(f"wire labels must be unique, got {labels!r}")
    return labels
