"""Find implicit randomness: ``with qrand.audit() as report:`` and ``qrand audit -- CMD``.

Inside the audit, the public random functions of the libraries that are
imported (and of those imported later, patched right after their import) are
wrapped; on exit everything is put back. Each finding names the line of *the
user's code* that led to it: the stack is walked outwards past the frames of
the standard library, installed packages and qrand itself.

What is reported:

``global-draw``
    a draw from global RNG state (``random.*``, ``numpy.random.*``,
    ``torch.rand*``/``torch.nn.init.*`` without ``generator=``,
    ``tf.random.*`` without ``seed=``) while that state was not seeded
    explicitly (``random.seed(x)``, ``np.random.seed(x)``,
    ``torch.manual_seed``, ``tf.random.set_seed``, or ``qrand.seed_everything``).
``unseeded-generator``
    ``numpy.random.default_rng()`` without a seed (OS entropy).
``sklearn-random-state``
    a scikit-learn call that resolved ``random_state=None`` (the global NumPy
    state) -- found where scikit-learn turns it into a generator
    (``check_random_state``), and named after the function the user called.
``pennylane-device-seed``
    ``qml.device(..., seed="global")`` (the default) or ``seed=None``.
``aer-seed-simulator``
    an Aer ``backend.run`` without ``seed_simulator`` (argument or option), or
    an Aer ``SamplerV2`` without ``seed``.
``transpile-seed``
    ``transpile``/``generate_preset_pass_manager`` without
    ``seed_transpiler`` (and no ``QISKIT_TRANSPILER_SEED``).

Findings covered by a seeded global state (e.g. ``random_state=None`` after
``np.random.seed(0)``) are kept with ``covered=True``: they replay, but only
as long as nothing else draws from that state first.

Names the user's own modules bound before the audit started (``from
numpy.random import rand`` at the top of a script) are rebound to the
wrappers too, and put back on exit. Limits: such names inside installed
packages, and methods on objects (``tensor.uniform_()``, Keras
initialisers), are not seen.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.util
import os
import site
import sys
import sysconfig
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, Callable

_QRAND_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_RANDOM_FUNCS = ["random", "uniform", "randint", "randrange", "choice", "choices", "shuffle", "sample",
                 "gauss", "normalvariate", "lognormvariate", "expovariate", "vonmisesvariate",
                 "gammavariate", "betavariate", "paretovariate", "weibullvariate", "triangular",
                 "getrandbits", "randbytes", "binomialvariate"]
_TORCH_FUNCS = ["rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like",
                "normal", "bernoulli", "multinomial", "poisson"]
_TORCH_INIT = ["uniform_", "normal_", "trunc_normal_", "xavier_uniform_", "xavier_normal_",
               "kaiming_uniform_", "kaiming_normal_", "orthogonal_", "sparse_"]
_TF_FUNCS = ["uniform", "normal", "truncated_normal", "shuffle", "categorical", "gamma", "poisson"]
_WRAPPER_NAMES = {"wrapper", "wrapped", "inner", "inner_f", "_wrapper", "decorated"}


@dataclass
class Finding:
    """One place in the user's code that uses implicit randomness."""

    kind: str
    library: str
    call: str
    file: str
    line: int
    message: str
    covered: bool = False
    count: int = 1

    @property
    def where(self) -> str:
        """``file:line``."""
        return f"{self.file}:{self.line}"

    def __str__(self) -> str:
        times = f" (x{self.count})" if self.count > 1 else ""
        note = " [covered by a seeded global state]" if self.covered else ""
        return f"{self.where}: {self.call}: {self.message}{times}{note}"


class AuditReport:
    """Findings of an audit (deduplicated by kind and location, in order of first sight)."""

    def __init__(self) -> None:
        self._findings: dict[tuple, Finding] = {}
        self._lock = threading.Lock()
        self._auditor: _Auditor | None = None

    @property
    def findings(self) -> list[Finding]:
        """All findings."""
        with self._lock:
            return list(self._findings.values())

    @property
    def uncovered(self) -> list[Finding]:
        """Findings not covered by any seed (these make a run irreproducible)."""
        return [f for f in self.findings if not f.covered]

    def add(self, finding: Finding) -> None:
        """Record a finding (or count one more occurrence of it)."""
        key = (finding.kind, finding.call, finding.file, finding.line)
        with self._lock:
            if key in self._findings:
                self._findings[key].count += 1
                self._findings[key].covered &= finding.covered
            else:
                self._findings[key] = finding

    def stop(self) -> AuditReport:
        """End the audit started by :func:`start_audit` (restores every patched function)."""
        if self._auditor is not None:
            self._auditor.uninstall()
            self._auditor = None
        return self

    def __iter__(self):
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self._findings)

    def to_dict(self) -> dict:
        """JSON-ready: ``{"findings": [...]}``."""
        return {"findings": [asdict(f) for f in self.findings]}

    @classmethod
    def from_dict(cls, data: dict) -> AuditReport:
        """Rebuild a report written by :meth:`to_dict` (e.g. by a child process)."""
        report = cls()
        fields = set(Finding.__dataclass_fields__)
        for item in data.get("findings", []) if isinstance(data, dict) else []:
            if isinstance(item, dict) and fields >= set(item) and {"kind", "file", "line"} <= set(item):
                report.add(Finding(**item))
        return report

    def to_frame(self):
        """Tidy DataFrame: one row per finding."""
        import pandas as pd

        return pd.DataFrame([asdict(f) for f in self.findings],
                            columns=list(Finding.__dataclass_fields__))

    def __str__(self) -> str:
        if not self._findings:
            return "no implicit randomness found"
        return "\n".join(str(f) for f in self.findings)


# -- locating the user's code -------------------------------------------------

def _library_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    roots = {paths.get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    try:
        roots.update(site.getsitepackages())
    except AttributeError:  # pragma: no cover - some embedded interpreters
        pass
    roots.add(_QRAND_DIR)
    return tuple(sorted(os.path.join(os.path.abspath(r), "") for r in roots if r))


_ROOTS = _library_roots()


@functools.lru_cache(maxsize=4096)
def _is_library(filename: str) -> bool:
    if filename.startswith("<frozen") or filename.startswith("<__array_function__"):
        return True
    if "site-packages" in filename or "dist-packages" in filename:
        return True
    return os.path.abspath(filename).startswith(_ROOTS)


def _locate(default_call: str) -> tuple[str, int, str] | None:
    """(file, line) of the innermost user frame and the library entry point it called.

    None when the draw happens while a library module is being imported (a
    library's own import-time set-up, not the user's randomness) or in a
    thread that runs only library code (e.g. a primitive's job thread; the
    primitive's ``run`` is audited where the user calls it).
    """
    frames = []
    frame = sys._getframe(2)
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    user = next((i for i, f in enumerate(frames) if not _is_library(f.f_code.co_filename)), None)
    if user is None:  # a library's own worker thread: the user's call was reported where it was made
        return None
    if any(f.f_code.co_filename.startswith("<frozen importlib") for f in frames[:user]):
        return None
    call = default_call
    for callee in reversed(frames[:user]):
        code = callee.f_code
        if code.co_filename.startswith(_QRAND_DIR) or code.co_name.startswith("_") \
                or code.co_name in _WRAPPER_NAMES or code.co_name.startswith("<"):
            continue
        owner = callee.f_locals.get("self")
        call = f"{type(owner).__name__}.{code.co_name}" if owner is not None else code.co_name
        break
    return frames[user].f_code.co_filename, frames[user].f_lineno, call


# -- the auditor ----------------------------------------------------------------

class _Finder(importlib.abc.MetaPathFinder):
    """Calls ``callback(name)`` after a watched module has been executed."""

    def __init__(self, watched: Callable[[str], bool], callback: Callable[[str], None]):
        self.watched, self.callback, self.searching = watched, callback, set()

    def find_spec(self, fullname, path=None, target=None):
        if not self.watched(fullname) or fullname in self.searching:
            return None
        self.searching.add(fullname)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self.searching.discard(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        real, callback = spec.loader, self.callback

        class _Loader(importlib.abc.Loader):
            def create_module(self, spec):
                return real.create_module(spec)

            def exec_module(self, module):
                real.exec_module(module)
                module.__loader__ = real
                if module.__spec__ is not None:
                    module.__spec__.loader = real
                callback(module.__name__)

            def __getattr__(self, name):
                return getattr(real, name)

        spec.loader = _Loader()
        return spec


_TRIGGERS = {"numpy", "numpy.random", "torch", "torch.nn.init", "tensorflow", "pennylane", "qiskit",
             "qiskit.compiler", "qiskit_aer", "qiskit_aer.backends.aerbackend", "qiskit_aer.primitives",
             "qiskit_aer.primitives.sampler_v2", "sklearn"}


class _Auditor:
    def __init__(self, report: AuditReport):
        self.report = report
        self.patches: list[tuple[Any, str, Any, Any]] = []  # (owner, name, original, wrapper)
        self.patched_ids: set[tuple[int, str]] = set()
        self.wrappers: dict[int, Any] = {}  # id(original) -> its wrapper
        self.seeded: set[str] = set()
        self.local = threading.local()
        self.finder = _Finder(lambda n: n in _TRIGGERS or n.startswith("sklearn."), self._on_import)
        self.lock = threading.RLock()

    # install / uninstall
    def install(self) -> None:
        sys.meta_path.insert(0, self.finder)
        self._patch_loaded()

    def uninstall(self) -> None:
        if self.finder in sys.meta_path:
            sys.meta_path.remove(self.finder)
        with self.lock:
            for owner, name, original, wrapper in reversed(self.patches):
                if getattr(owner, name, None) is wrapper:  # leave a name the user re-bound meanwhile
                    setattr(owner, name, original)
            self.patches.clear()
            self.patched_ids.clear()
            self.wrappers.clear()

    def _on_import(self, name: str) -> None:
        try:
            self._patch_loaded()
        except Exception as exc:  # never break the user's import
            sys.stderr.write(f"qrand audit: could not watch {name}: {exc}\n")

    def _set(self, owner: Any, name: str, make: Callable[[Any], Callable]) -> None:
        original = getattr(owner, name, None)
        if original is None or (id(owner), name) in self.patched_ids or getattr(original, "__qrand_audit__", False):
            return
        wrapper = make(original)
        wrapper.__qrand_audit__ = True
        self._bind(owner, name, original, wrapper)
        self.wrappers[id(original)] = wrapper

    def _bind(self, owner: Any, name: str, original: Any, wrapper: Any) -> None:
        setattr(owner, name, wrapper)
        self.patches.append((owner, name, original, wrapper))
        self.patched_ids.add((id(owner), name))

    def _rebind_user_names(self) -> None:
        """Point names the user's modules bound to a patched function at its wrapper."""
        originals = {id(original): original for _, _, original, _ in self.patches}
        for module in list(sys.modules.values()):
            file = getattr(module, "__file__", None)
            if not isinstance(file, str) or _is_library(file):
                continue
            for name, value in list(vars(module).items()):
                if id(value) in self.wrappers and originals.get(id(value)) is value \
                        and (id(module), name) not in self.patched_ids:
                    self._bind(module, name, value, self.wrappers[id(value)])

    def _patch_loaded(self) -> None:
        with self.lock:
            modules = sys.modules
            self._patch_random(modules["random"])
            if "numpy.random" in modules:
                self._patch_numpy(modules["numpy.random"])
            if "torch" in modules and hasattr(modules["torch"], "manual_seed"):
                self._patch_torch(modules["torch"])
            if "tensorflow" in modules and hasattr(modules["tensorflow"], "random"):
                self._patch_tf(modules["tensorflow"])
            if "pennylane" in modules and hasattr(modules["pennylane"], "device"):
                self._set(modules["pennylane"], "device", self._pl_device)
            if "qiskit" in modules:
                for name in ("qiskit", "qiskit.compiler", "qiskit.compiler.transpiler"):
                    if name in modules:
                        self._set(modules[name], "transpile", self._transpile)
                for name in ("qiskit", "qiskit.transpiler",
                             "qiskit.transpiler.preset_passmanagers",
                             "qiskit.transpiler.preset_passmanagers.generate_preset_pass_manager"):
                    if name in modules:
                        self._set(modules[name], "generate_preset_pass_manager", self._transpile)
            if "qiskit_aer.backends.aerbackend" in modules:
                self._set(modules["qiskit_aer.backends.aerbackend"].AerBackend, "run", self._aer_run)
            if "qiskit_aer.primitives.sampler_v2" in modules:
                self._set(modules["qiskit_aer.primitives.sampler_v2"].SamplerV2, "run", self._aer_sampler_run)
            if "sklearn.utils.validation" in modules and hasattr(modules["sklearn.utils.validation"],
                                                                 "check_random_state"):
                original = getattr(modules["sklearn.utils.validation"], "check_random_state", None)
                original = getattr(original, "__wrapped__", original)
                for name, module in list(modules.items()):
                    if name.startswith("sklearn") and getattr(module, "check_random_state", None) is original:
                        self._set(module, "check_random_state", self._sklearn_check)
            self._rebind_user_names()

    # reporting
    def _report(self, kind: str, library: str, call: str, message: str, covered: bool = False) -> None:
        where = _locate(call)
        if where is None:
            return
        file, line, entry = where
        self.report.add(Finding(kind, library, entry, file, line, message, covered))

    def _guarded(self, original: Callable, check: Callable) -> Callable:
        """Wrap ``original``; ``check(args, kwargs)`` reports, outside nested audited calls."""
        local = self.local

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            if getattr(local, "depth", 0) == 0:
                local.depth = 1
                try:
                    check(args, kwargs)
                except Exception as exc:  # pragma: no cover - a bug here must not break user code
                    sys.stderr.write(f"qrand audit: {exc}\n")
            else:
                local.depth += 1
            try:
                return original(*args, **kwargs)
            finally:
                local.depth -= 1

        return wrapper

    def _qrand_seeded(self, library: str) -> bool:
        from ..seeding.record import current

        return library in current().seeds

    def covered(self, library: str) -> bool:
        return library in self.seeded or self._qrand_seeded(library)

    def _seed_fn(self, library: str, explicit: Callable[[tuple, dict], bool]) -> Callable:
        def make(original):
            @functools.wraps(original)
            def seed(*args, **kwargs):
                if explicit(args, kwargs):
                    self.seeded.add(library)
                else:
                    self.seeded.discard(library)
                return original(*args, **kwargs)

            return seed

        return make

    def _draw(self, library: str, qualname: str, explicit: Callable[[tuple, dict], bool] | None = None):
        def check(args, kwargs):
            if (explicit is None or not explicit(args, kwargs)) and not self.covered(library):
                self._report("global-draw", library, qualname,
                             f"draws from {library}'s global RNG state, which was not seeded")

        return lambda original: self._guarded(original, check)

    # per library
    def _patch_random(self, module) -> None:
        self._set(module, "seed", self._seed_fn("python", lambda a, k: (a[0] if a else k.get("a")) is not None))
        for name in _RANDOM_FUNCS:
            if hasattr(module, name):
                self._set(module, name, self._draw("python", f"random.{name}"))

    def _patch_numpy(self, module) -> None:
        state = module.mtrand._rand
        self._set(module, "seed", self._seed_fn("numpy", lambda a, k: (a[0] if a else k.get("seed")) is not None))
        self._set(module, "set_state", self._seed_fn("numpy", lambda a, k: True))
        for name in dir(module):
            if name in ("seed", "get_state", "set_state"):
                continue
            if getattr(getattr(module, name), "__self__", None) is state:
                self._set(module, name, self._draw("numpy", f"numpy.random.{name}"))

        def rng_check(args, kwargs):
            if (args[0] if args else kwargs.get("seed")) is None:
                self._report("unseeded-generator", "numpy", "numpy.random.default_rng",
                             "default_rng() without a seed draws OS entropy; pass a seed or a SeedTree's numpy()")

        self._set(module, "default_rng", lambda original: self._guarded(original, rng_check))

    def _patch_torch(self, torch) -> None:
        self._set(torch, "manual_seed", self._seed_fn("torch", lambda a, k: True))
        self._set(torch, "seed", self._seed_fn("torch", lambda a, k: False))
        has_generator = lambda a, k: k.get("generator") is not None  # noqa: E731
        for name in _TORCH_FUNCS:
            self._set(torch, name, self._draw("torch", f"torch.{name}", has_generator))
        init = sys.modules.get("torch.nn.init")
        if init is not None:
            for name in _TORCH_INIT:
                self._set(init, name, self._draw("torch", f"torch.nn.init.{name}", has_generator))

    def _patch_tf(self, tf) -> None:
        random = tf.random
        self._set(random, "set_seed", self._seed_fn("tensorflow", lambda a, k: (a[0] if a else k.get("seed")) is not None))
        has_seed = lambda a, k: k.get("seed") is not None  # noqa: E731
        for name in _TF_FUNCS:
            self._set(random, name, self._draw("tensorflow", f"tf.random.{name}", has_seed))

    def _pl_device(self, original):
        def check(args, kwargs):
            seed = kwargs.get("seed", "global")
            if seed is None or (isinstance(seed, str) and seed == "global"):
                source = "OS entropy" if seed is None else "NumPy's global state"
                covered = seed == "global" and self.covered("numpy")
                self._report("pennylane-device-seed", "pennylane", "qml.device",
                             f"device {args[0] if args else kwargs.get('name')!r} built with seed={seed!r}: "
                             f"its sampling seed comes from {source}", covered)

        return self._guarded(original, check)

    def _transpile(self, original):
        name = original.__name__

        def check(args, kwargs):
            if kwargs.get("seed_transpiler") is None:
                covered = os.environ.get("QISKIT_TRANSPILER_SEED") is not None
                self._report("transpile-seed", "qiskit", name,
                             f"{name} without seed_transpiler: stochastic layout/routing passes "
                             "can give a different circuit each run", covered)

        return self._guarded(original, check)

    def _aer_run(self, original):
        def check(args, kwargs):
            backend = args[0] if args else None
            option = getattr(getattr(backend, "options", None), "seed_simulator", None)
            if kwargs.get("seed_simulator") is None and option is None:
                self._report("aer-seed-simulator", "qiskit_aer", f"{type(backend).__name__}.run",
                             "Aer run without seed_simulator: shot samples differ each run")

        return self._guarded(original, check)

    def _aer_sampler_run(self, original):
        def check(args, kwargs):
            sampler = args[0] if args else None
            options = getattr(getattr(sampler, "options", None), "run_options", None) or {}
            if getattr(sampler, "seed", None) is None and options.get("seed_simulator") is None:
                self._report("aer-seed-simulator", "qiskit_aer", "SamplerV2.run",
                             "Aer SamplerV2 without seed= (or run_options seed_simulator): "
                             "shot samples differ each run")

        return self._guarded(original, check)

    def _sklearn_check(self, original):
        def check(args, kwargs):
            seed = args[0] if args else kwargs.get("seed")
            numpy = sys.modules.get("numpy")
            if seed is None or (numpy is not None and seed is numpy.random.mtrand._rand):
                self._report("sklearn-random-state", "sklearn", "sklearn",
                             "random_state=None uses NumPy's global RandomState; pass random_state=<int>",
                             self.covered("numpy"))

        return self._guarded(original, check)


def start_audit() -> AuditReport:
    """Start an audit now; call ``report.stop()`` to end it (prefer :func:`audit`)."""
    report = AuditReport()
    report._auditor = _Auditor(report)
    report._auditor.install()
    return report


@contextmanager
def audit() -> Iterator[AuditReport]:
    """Find implicit randomness in the code run inside the ``with`` block.

    Yields the :class:`AuditReport`, filled while the block runs; every
    patched function is restored on exit, also on exceptions.

    Examples
    --------
    >>> import numpy as np
    >>> with audit() as report:
    ...     rng = np.random.default_rng()
    >>> [f.kind for f in report]
    ['unseeded-generator']
    """
    report = start_audit()
    try:
        yield report
    finally:
        report.stop()
