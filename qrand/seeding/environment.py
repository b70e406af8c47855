"""Facts about the running environment that decide whether a run replays.

Library versions, hash randomisation, threads, CPU/GPU, and the environment a
child process needs to inherit the run's seeds. Nothing here imports a
framework; GPU facts come from ``nvidia-smi`` or an already-imported torch.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import shutil
import subprocess
import sys

from . import determinism, registry
from .sources import pythonhashseed
from .tree import SeedTree

#: distributions whose versions change random streams or numerics
RNG_LIBRARIES = [
    "qrand", "numpy", "scipy", "pandas", "scikit-learn", "jax", "jaxlib", "optax",
    "pennylane", "pennylane-lightning", "qiskit", "qiskit-aer", "qiskit-ibm-runtime",
    "qiskit-algorithms", "torch", "tensorflow", "tensorflow-cpu", "keras", "dask",
    "distributed",
]

#: environment variables that change randomness, determinism or numerics
RELEVANT_ENV_VARS = [
    "PYTHONHASHSEED", "QISKIT_TRANSPILER_SEED", "CUBLAS_WORKSPACE_CONFIG",
    "TF_DETERMINISTIC_OPS", "TF_CUDNN_DETERMINISTIC", "XLA_FLAGS", "JAX_ENABLE_X64",
    "JAX_DEFAULT_PRNG_IMPL", "JAX_PLATFORMS", "CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS",
    "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS",
    "OPENBLAS_CORETYPE", "KERAS_BACKEND", "QRAND_SEED", "QRAND_DETERMINISTIC",
]

THREAD_VARS = ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
               "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"]


def hashseed_for(tree: SeedTree) -> int:
    """The ``PYTHONHASHSEED`` child processes of this run get."""
    return registry.derive(tree, "pythonhashseed")


def child_env(tree: SeedTree, deterministic: bool = False) -> dict[str, str]:
    """Variables a child process needs to inherit this run's seeding."""
    env = {
        "QRAND_SEED": str(tree.root),
        "PYTHONHASHSEED": str(hashseed_for(tree)),
        "QISKIT_TRANSPILER_SEED": str(registry.derive(tree, "qiskit")),
    }
    if deterministic:
        env["QRAND_DETERMINISTIC"] = "1"
        env.update(determinism.determinism_env(True))
    return env


def library_versions(names=None) -> dict[str, str]:
    """Installed versions (``importlib.metadata``) of RNG-relevant distributions."""
    versions = {}
    for name in names or RNG_LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


def env_vars() -> dict[str, str]:
    """The relevant environment variables that are set."""
    return {name: os.environ[name] for name in RELEVANT_ENV_VARS if name in os.environ}


def thread_settings() -> dict:
    """Thread-count variables, CPU count and (when NumPy is loaded) BLAS pools."""
    info: dict = {"cpu_count": os.cpu_count(),
                  "env": {name: os.environ.get(name) for name in THREAD_VARS}}
    if "numpy" in sys.modules:
        try:
            from threadpoolctl import threadpool_info

            info["threadpools"] = [{k: pool.get(k) for k in ("user_api", "internal_api", "num_threads", "version")}
                                   for pool in threadpool_info()]
        except ImportError:
            pass
    return info


def _nvidia_smi() -> list[dict]:
    if shutil.which("nvidia-smi") is None:
        return []
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    gpus = []
    for line in out.strip().splitlines():
        name, driver, memory = (part.strip() for part in line.split(","))
        gpus.append({"name": name, "driver": driver, "memory": memory})
    return gpus


def hardware() -> dict:
    """Python, OS, CPU and GPU/driver/CUDA/cuDNN (when present)."""
    info = {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "os": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or _cpu_model(),
        "cpu_count": os.cpu_count(),
        "byteorder": sys.byteorder,
        "gpus": _nvidia_smi(),
    }
    torch = sys.modules.get("torch")
    if torch is not None:
        info["torch_cuda"] = torch.version.cuda
        info["cudnn"] = torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None
    return info


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def hash_randomization() -> dict:
    """How this interpreter salts str hashes."""
    return pythonhashseed.describe()
