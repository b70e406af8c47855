"""Shared machinery of the training models: config, results, minibatches, JAX runs.

A JAX model splits a run in three: ``prepare(seed)`` draws everything random
on the host from the named streams (split, initial parameters, minibatch
indices, shot/dropout keys) into plain arrays; ``core(inputs)`` is a pure JAX
function of those arrays (one ``lax.scan`` over the steps); ``finish`` turns
the outputs into a :class:`TrainResult`. One seed runs ``jit(core)``; many
seeds run ``jit(vmap(core))`` on the stacked inputs, so each seed's numbers
are those of its single run. Everything runs under ``jax.enable_x64(True)``
(a context, never a global flip).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .._optional import require
from ..errors import QrandError
from ..seeding import record
from ..seeding.tree import SeedTree
from .data import DATASETS, Dataset, Split, fingerprint_arrays, load_dataset, split_dataset
from .streams import DEFAULT_BASE, as_tree, factor_trees, parse_vary


@dataclass(frozen=True)
class TrainConfig:
    """What to train on and how (every model reads the fields it needs).

    Parameters
    ----------
    dataset : str
        One of :data:`qrand.training.data.DATASETS`.
    epochs, batch_size, lr : int, int, float
        Optimisation schedule (Adam for JAX/torch models).
    vary : str or tuple of str
        Factors taken from each run's seed (``"all"`` or names from
        :data:`qrand.training.streams.FACTORS`); the rest come from ``base``.
    base : int
        Root of the fixed base tree.
    order : {"shuffled", "sorted"}
        ``"sorted"``: training rows sorted by label and never shuffled (trap).
    shots : int
        0 = analytic; otherwise shots per circuit execution (VQC only).
    """

    dataset: str = "moons"
    epochs: int = 10
    batch_size: int = 16
    lr: float = 0.05
    vary: tuple[str, ...] | str = "all"
    base: int = DEFAULT_BASE
    order: str = "shuffled"
    shots: int = 0
    test_size: float = 0.3
    max_samples: int = 120

    def __post_init__(self):
        object.__setattr__(self, "vary", parse_vary(self.vary))
        if self.dataset not in DATASETS:
            raise QrandError(f"unknown dataset {self.dataset!r}: choose from {', '.join(DATASETS)}")
        for name in ("epochs", "batch_size", "max_samples"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise QrandError(f"{name} must be a positive int, got {value!r}")
        if isinstance(self.shots, bool) or not isinstance(self.shots, int) or self.shots < 0:
            raise QrandError(f"shots must be a non-negative int (0 = analytic), got {self.shots!r}")
        if not self.lr > 0:
            raise QrandError(f"lr must be positive, got {self.lr!r}")
        if self.order not in ("shuffled", "sorted"):
            raise QrandError(f"order must be 'shuffled' or 'sorted', got {self.order!r}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy."""
        out = asdict(self)
        out["vary"] = list(self.vary)
        return out


@dataclass
class TrainResult:
    """One seed's training run: its curve, accuracies and final parameters."""

    model: str
    seed: Any
    config: TrainConfig
    losses: np.ndarray
    train_acc: float
    test_acc: float
    params: np.ndarray
    fingerprints: dict[str, str] = field(default_factory=dict)
    samples: np.ndarray | None = None
    seconds: float = 0.0

    @property
    def final_loss(self) -> float:
        """Training loss after the last step."""
        return float(self.losses[-1])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy of the numbers (floats round-trip exactly through JSON)."""
        samples = None if self.samples is None else np.asarray(self.samples).tolist()
        return {"model": self.model, "losses": np.asarray(self.losses, np.float64).tolist(),
                "train_acc": self.train_acc, "test_acc": self.test_acc,
                "params": np.asarray(self.params, np.float64).tolist(),
                "fingerprints": dict(self.fingerprints), "samples": samples, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, seed: Any, config: TrainConfig) -> TrainResult:
        """Inverse of :meth:`to_dict` (the seed and config are not stored there)."""
        samples = None if data["samples"] is None else np.asarray(data["samples"], np.int32)
        return cls(data["model"], seed, config, np.asarray(data["losses"], np.float64),
                   float(data["train_acc"]), float(data["test_acc"]),
                   np.asarray(data["params"], np.float64), dict(data["fingerprints"]), samples,
                   float(data["seconds"]))

    def summary(self) -> dict[str, Any]:
        """One tidy row: model, seed, shots, factors varied, accuracies, final loss."""
        return {"model": self.model, "dataset": self.config.dataset, "seed": seed_label(self.seed),
                "shots": self.config.shots, "vary": "+".join(self.config.vary),
                "order": self.config.order, "train_acc": self.train_acc, "test_acc": self.test_acc,
                "final_loss": self.final_loss, "seconds": self.seconds}


def seed_label(seed: Any) -> Any:
    """A printable seed: ints stay ints, trees become ``root/path``."""
    if isinstance(seed, SeedTree):
        return "/".join([str(seed.root)] + [str(k) for k in seed.path])
    return seed


def minibatch_indices(n_rows: int, batch_size: int, epochs: int, shuffle_tree: SeedTree | None) -> np.ndarray:
    """Row indices of every minibatch, shape ``(epochs * (n_rows // batch_size), batch_size)``.

    Epoch ``e`` uses the permutation of ``shuffle_tree.child(e)``; ``None``
    keeps the rows in their given order every epoch (no shuffling).
    """
    if batch_size > n_rows:
        raise QrandError(f"batch_size {batch_size} exceeds the {n_rows} training rows")
    per_epoch = n_rows // batch_size
    rows = []
    for epoch in range(epochs):
        order = (np.arange(n_rows) if shuffle_tree is None
                 else shuffle_tree.child(epoch).numpy().permutation(n_rows))
        rows.append(order[: per_epoch * batch_size].reshape(per_epoch, batch_size))
    return np.concatenate(rows).astype(np.int32)


_KEY_SHAPES: dict[str, tuple[int, ...]] = {}


def key_data(tree: SeedTree) -> np.ndarray:
    """Raw data of ``tree.jax_key()`` as a numpy uint32 array (stackable across seeds).

    Equal to ``jax.random.key_data(tree.jax_key())``, without building a key
    per call (the shape of the default PRNG's key data is looked up once).
    """
    jax = require("jax")
    impl = str(jax.config.jax_default_prng_impl)
    if impl not in _KEY_SHAPES:
        _KEY_SHAPES[impl] = tuple(np.asarray(jax.random.key_data(tree.jax_key())).shape)
    shape = _KEY_SHAPES[impl]
    return tree.generate_state(int(np.prod(shape)), np.uint32).reshape(shape)


class Trainer:
    """Base of every model: config, dataset, the run's stream trees, split, minibatches.

    A trainer is called with a seed (int or :class:`SeedTree`) and returns a
    :class:`TrainResult`. ``factors`` names the streams the model uses.
    """

    name = "model"
    vmappable = False
    factors: tuple[str, ...] = ("split", "shuffle")
    #: constructor keywords beyond the config (read back from attributes of the same name by :meth:`spec`)
    options: tuple[str, ...] = ()

    def __init__(self, config: TrainConfig | None = None, **overrides: Any):
        config = config or TrainConfig()
        if overrides:
            config = TrainConfig(**{**config.to_dict(), **overrides})
        self.config = config
        self._dataset: Dataset | None = None

    # -- host side ------------------------------------------------------------
    @property
    def dataset(self) -> Dataset:
        """The dataset (loaded once, from the base tree's data stream unless ``data`` varies)."""
        if self._dataset is None:
            trees = factor_trees(self.config.base, self.config.vary, self.config.base)
            self._dataset = load_dataset(self.config.dataset, tree=trees["data"],
                                         max_samples=self.config.max_samples)
        return self._dataset

    def trees(self, seed: int | SeedTree) -> dict[str, SeedTree]:
        """The stream trees of one run."""
        return factor_trees(seed, self.config.vary, self.config.base)

    def split(self, trees: dict[str, SeedTree]) -> Split:
        """The seeded train/test split of one run."""
        dataset = self.dataset
        if "data" in self.config.vary:
            dataset = load_dataset(self.config.dataset, tree=trees["data"], max_samples=self.config.max_samples)
        return split_dataset(dataset, trees["split"], test_size=self.config.test_size, order=self.config.order)

    def batches(self, split: Split, trees: dict[str, SeedTree]) -> np.ndarray:
        """Minibatch indices from the shuffle stream (in order when ``order == "sorted"``)."""
        shuffle = None if self.config.order == "sorted" else trees["shuffle"]
        return minibatch_indices(len(split.y_train), self.config.batch_size, self.config.epochs, shuffle)

    def spec(self) -> dict[str, Any]:
        """JSON-ready recipe that rebuilds this trainer (:func:`qrand.training.models.trainer_from_spec`)."""
        return {"model": self.name, "options": {**self.config.to_dict(),
                                                **{name: getattr(self, name) for name in self.options}}}

    def n_classes(self) -> int:
        """Number of classes of the dataset."""
        return self.dataset.n_classes

    def note(self, n_runs: int = 1) -> None:
        """Write what this trainer used into the run record."""
        rec = record.current()
        rec.extra.setdefault("training", []).append({"model": self.name, "runs": n_runs,
                                                    **self.config.to_dict()})

    def __call__(self, seed: int | SeedTree) -> TrainResult:  # pragma: no cover - abstract
        raise NotImplementedError


class JaxTrainer(Trainer):
    """Base of the models whose whole run is one pure JAX function.

    Subclasses implement ``_inputs(split, trees)`` (host arrays) and
    ``core(inputs)`` (pure JAX); calling the trainer with a seed runs that
    seed alone, :func:`qrand.training.multi_seed` runs many at once.
    """

    vmappable = True
    factors = ("init", "split", "shuffle")

    def __init__(self, config: TrainConfig | None = None, **overrides: Any):
        super().__init__(config, **overrides)
        self._jitted: dict[str, Any] = {}

    def prepare(self, seed: int | SeedTree) -> dict[str, np.ndarray]:
        """Every per-seed input of ``core`` as host arrays."""
        trees = self.trees(seed)
        split = self.split(trees)
        inputs = {"X_train": split.X_train, "y_train": split.y_train,
                  "X_test": split.X_test, "y_test": split.y_test,
                  "batches": self.batches(split, trees)}
        inputs.update(self._inputs(split, trees))
        return inputs

    def _inputs(self, split: Split, trees: dict[str, SeedTree]) -> dict[str, np.ndarray]:
        raise NotImplementedError

    # -- device side ----------------------------------------------------------
    def core(self, inputs: dict[str, Any]) -> dict[str, Any]:
        """Pure JAX run of one seed (override)."""
        raise NotImplementedError

    def compiled(self, batched: bool):
        """``jit(core)`` or ``jit(vmap(core))`` (built once per trainer)."""
        jax = require("jax")
        key = "batched" if batched else "single"
        if key not in self._jitted:
            self._jitted[key] = jax.jit(jax.vmap(self.core) if batched else self.core)
        return self._jitted[key]

    def execute(self, inputs: dict[str, np.ndarray], batched: bool = False) -> dict[str, np.ndarray]:
        """Run ``core`` (batched: over the leading axis) in float64 and return numpy outputs."""
        jax = require("jax")
        with jax.enable_x64(True):
            device_inputs = {k: jax.numpy.asarray(v) for k, v in inputs.items()}
            outputs = self.compiled(batched)(device_inputs)
            return {k: np.asarray(v) for k, v in jax.device_get(outputs).items()}

    def finish(self, seed: Any, inputs: dict[str, np.ndarray], outputs: dict[str, np.ndarray],
               seconds: float = 0.0) -> TrainResult:
        """Wrap one seed's outputs as a :class:`TrainResult`."""
        prints = {"init": fingerprint_arrays(inputs["init"]),
                  "split": fingerprint_arrays(inputs["X_train"], inputs["y_train"])}
        return TrainResult(self.name, seed, self.config, outputs["losses"], float(outputs["train_acc"]),
                           float(outputs["test_acc"]), outputs["params"].reshape(-1), prints,
                           outputs.get("samples"), seconds)

    def __call__(self, seed: int | SeedTree) -> TrainResult:
        """Train one seed alone."""
        start = time.perf_counter()
        inputs = self.prepare(as_tree(seed))
        outputs = self.execute(inputs)
        self.note()
        return self.finish(seed, inputs, outputs, time.perf_counter() - start)


def accuracy_and_loss(jnp, logits, labels):
    """Mean accuracy and softmax cross-entropy of ``logits`` against integer ``labels``."""
    logp = logits - jnp.max(logits, axis=-1, keepdims=True)
    logp = logp - jnp.log(jnp.sum(jnp.exp(logp), axis=-1, keepdims=True))
    loss = -jnp.mean(jnp.take_along_axis(logp, labels[:, None], axis=-1))
    acc = jnp.mean((jnp.argmax(logits, axis=-1) == labels).astype(logits.dtype))
    return acc, loss


#: config fields that change only host-side draws (compiled code can be reused)
HOST_ONLY = frozenset({"vary", "base", "order"})


def with_options(trainer: Trainer, **overrides: Any) -> Trainer:
    """A copy of ``trainer`` with some :class:`TrainConfig` fields replaced.

    Compiled JAX functions are shared when only host-side fields change
    (``vary``, ``base``, ``order``), so a factor sweep compiles once.
    """
    import copy

    clone = copy.copy(trainer)
    clone.config = TrainConfig(**{**trainer.config.to_dict(), **overrides})
    if hasattr(trainer, "_jitted"):
        clone._jitted = trainer._jitted if set(overrides) <= HOST_ONLY else {}
    if "dataset" in overrides or "max_samples" in overrides:
        clone._dataset = None
    return clone
