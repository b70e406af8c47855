"""PyTorch: ``torch.manual_seed`` seeds the CPU generator and every CUDA device."""

import sys

from ..._optional import available as _installed

NAME, MODULE, PATH, BITS = "torch", "torch", ("torch",), 64


def available() -> bool:
    return _installed("torch")


def seed(value: int) -> None:
    sys.modules["torch"].manual_seed(value)


def get_state():
    torch = sys.modules["torch"]
    cuda = torch.cuda.get_rng_state_all() if torch.cuda.is_initialized() else None
    return torch.get_rng_state(), cuda


def set_state(state) -> None:
    torch = sys.modules["torch"]
    cpu, cuda = state
    torch.set_rng_state(cpu)
    if cuda is not None:
        torch.cuda.set_rng_state_all(cuda)


def describe() -> dict:
    torch = sys.modules.get("torch")
    if torch is None:
        return {}
    return {"initial_seed": torch.initial_seed(),
            "cuda_initialized": bool(torch.cuda.is_initialized()),
            "deterministic_algorithms": torch.are_deterministic_algorithms_enabled(),
            "cudnn_deterministic": bool(torch.backends.cudnn.deterministic),
            "cudnn_benchmark": bool(torch.backends.cudnn.benchmark)}
