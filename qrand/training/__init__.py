"""Seeded training: a VQC next to classical baselines, multi-seed runs, traps, lucky runs.

Every random choice of a run comes from its own named stream of the seed
tree (see :mod:`qrand.training.streams`). Names below load on first use;
no framework is imported by ``import qrand.training``.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "TrainConfig": "engine", "TrainResult": "engine", "with_options": "engine",
    "FACTORS": "streams", "factor_trees": "streams",
    "DATASETS": "data", "load_dataset": "data", "split_dataset": "data",
    "VQC": "vqc", "JaxMLP": "jax_mlp", "SklearnTrainer": "classical", "TorchMLP": "torch_mlp",
    "multi_seed": "multi_seed", "results_frame": "multi_seed", "curves_frame": "multi_seed",
    "decompose": "factors", "Decomposition": "factors",
    "summarize": "lucky", "expected_best_of_k": "lucky", "percentile_of": "lucky",
    "best_of_k_curve": "lucky",
    "sorted_without_shuffle": "traps", "fixed_init_spread": "traps", "unseeded_split": "traps",
    "make_trainer": "models", "MODELS": "models",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qrand.training' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
