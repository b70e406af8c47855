"""Seeded training: a VQC next to classical baselines, multi-seed runs, traps, lucky runs.

Every random choice of a run comes from its own named stream of the seed
tree (see :mod:`qrand.training.streams`). Names below load on first use;
no framework is imported by ``import qrand.training``.
"""

from __future__ import annotations

from .._lazy import lazy_exports


_EXPORTS = {
    "TrainConfig": "engine", "TrainResult": "engine", "with_options": "engine",
    "FACTORS": "streams", "factor_trees": "streams",
    "DATASETS": "data", "load_dataset": "data", "split_dataset": "data",
    "VQC": "vqc", "JaxMLP": "jax_mlp", "SklearnTrainer": "classical", "TorchMLP": "torch_mlp",
    "multi_seed": "runs", "results_frame": "runs", "curves_frame": "runs",
    "decompose": "factors", "Decomposition": "factors",
    "summarize": "lucky", "expected_best_of_k": "lucky", "percentile_of": "lucky",
    "best_of_k_curve": "lucky",
    "sorted_without_shuffle": "traps", "fixed_init_spread": "traps", "unseeded_split": "traps",
    "make_trainer": "models", "MODELS": "models",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, {k: f"{__name__}.{v}" for k, v in _EXPORTS.items()})
