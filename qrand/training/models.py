"""Model registry: the CLI's ``--model`` names and the trainer each one builds."""

from __future__ import annotations

from typing import Any

from ..errors import QrandError

#: model name -> (module, class, fixed constructor arguments)
MODELS = {
    "vqc": ("vqc", "VQC", {}),
    "jax-mlp": ("jax_mlp", "JaxMLP", {}),
    "logreg": ("classical", "SklearnTrainer", {"kind": "logreg"}),
    "mlp": ("classical", "SklearnTrainer", {"kind": "mlp"}),
    "torch-mlp": ("torch_mlp", "TorchMLP", {}),
}


def make_trainer(model: str, **options: Any):
    """Build the trainer for ``model`` with :class:`TrainConfig` fields / model options."""
    import importlib

    if model not in MODELS:
        raise QrandError(f"unknown model {model!r}: choose from {', '.join(MODELS)}")
    module, cls, fixed = MODELS[model]
    trainer_cls = getattr(importlib.import_module(f"{__package__}.{module}"), cls)
    return trainer_cls(**fixed, **options)


def trainer_from_spec(spec: dict[str, Any]):
    """Rebuild a trainer from :meth:`Trainer.spec <qrand.training.engine.Trainer.spec>`."""
    if not isinstance(spec, dict) or not isinstance(spec.get("options"), dict):
        raise QrandError(f"a trainer spec is {{'model': NAME, 'options': {{...}}}}, got {spec!r}")
    return make_trainer(spec.get("model"), **spec["options"])
