"""Sizes of the study: full (measured 27 s on 2 cores) and ``--quick`` (21 s); limits 10 and 2 min."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class StudyConfig:
    """Every size the study uses; ``StudyConfig.quick()`` and ``.full()`` are the presets."""

    quick: bool
    shot_circuits: tuple[str, ...]
    shot_backends: tuple[str, ...]
    shots: tuple[int, ...]
    shot_seeds: int
    train_models: tuple[str, ...]
    train_dataset: str
    train_seeds: int
    train_epochs: int
    vqc_shots: int
    trap_seeds: int
    nist_bits: int
    nist_sources: tuple[str, ...]

    @classmethod
    def full(cls) -> StudyConfig:
        return cls(quick=False,
                   shot_circuits=("ghz:4", "random_layered:4:3"),
                   shot_backends=("default.qubit", "aer:fake_manila", "default.mixed:fake_manila",
                                  "aer:uniform(p1q=1e-3,p2q=1e-2,readout=2e-2)"),
                   shots=(10, 100, 1000, 10000), shot_seeds=200,
                   train_models=("vqc", "logreg", "mlp", "jax-mlp"), train_dataset="moons",
                   train_seeds=24, train_epochs=8, vqc_shots=100, trap_seeds=12,
                   nist_bits=1_000_000,
                   nist_sources=("pcg64", "quantum:default.qubit", "quantum:aer:manila"))

    @classmethod
    def quick_preset(cls) -> StudyConfig:
        return cls(quick=True,
                   shot_circuits=("ghz:4", "random_layered:4:3"),
                   shot_backends=("default.qubit", "aer:fake_manila",
                                  "aer:uniform(p1q=1e-3,p2q=1e-2,readout=2e-2)"),
                   shots=(10, 100, 1000, 10000), shot_seeds=50,
                   train_models=("vqc", "logreg", "jax-mlp"), train_dataset="moons",
                   train_seeds=8, train_epochs=4, vqc_shots=100, trap_seeds=6,
                   nist_bits=200_000,
                   nist_sources=("pcg64", "quantum:default.qubit", "quantum:aer:manila"))

    @classmethod
    def preset(cls, quick: bool) -> StudyConfig:
        """The ``--quick`` or the full preset."""
        return cls.quick_preset() if quick else cls.full()

    def to_dict(self) -> dict:
        return asdict(self)
