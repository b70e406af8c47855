"""qrand start-up hook for child processes of ``qrand run``/``replay``/``check``/``audit``.

Python imports ``sitecustomize`` at start-up, before the user's code. When the
parent set ``QRAND_SEED`` this seeds every library (now or when first
imported) with :func:`qrand.seed_everything`; when it set ``QRAND_AUDIT_OUT``
it starts :func:`qrand.audit` and writes the findings there at exit. The run
record is written at exit to ``QRAND_RECORD_OUT``. Both ``*_OUT`` variables are
removed from the environment so grandchildren do not overwrite the files.
Afterwards any other ``sitecustomize`` on ``sys.path`` runs as usual.
"""

import os
import sys


def _qrand_dump(path, payload):
    import json

    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, default=repr)
    os.replace(tmp, path)


def _qrand_boot():
    seed = os.environ.get("QRAND_SEED")
    record_out = os.environ.pop("QRAND_RECORD_OUT", None)
    audit_out = os.environ.pop("QRAND_AUDIT_OUT", None)
    if seed is None and record_out is None and audit_out is None:
        return
    import atexit

    try:
        import qrand
        from qrand.seeding import record
    except Exception as exc:  # another interpreter without qrand: env-only seeding
        sys.stderr.write(f"qrand: this interpreter cannot import qrand ({exc}); seeding is env-only\n")
        return
    if seed is not None:
        qrand.seed_everything(int(seed), deterministic=os.environ.get("QRAND_DETERMINISTIC") == "1")
    if audit_out is not None:
        from qrand.manifest.auditing import start_audit

        report = start_audit()
        atexit.register(lambda: _qrand_dump(audit_out, report.stop().to_dict()))
    if record_out is not None:
        def _write_record():
            from qrand.seeding import determinism, environment

            _qrand_dump(record_out, {
                "record": record.current().to_dict(),
                "facts": {"versions": environment.library_versions(),
                          "threads": environment.thread_settings(),
                          "determinism": determinism.state()},
                "python": sys.version.split()[0], "executable": sys.executable,
            })

        atexit.register(_write_record)


def _qrand_chain():
    """Run the next ``sitecustomize`` on ``sys.path`` (the one this file shadows)."""
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", sys.path)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        sys.modules["sitecustomize"] = module
        spec.loader.exec_module(module)


try:
    _qrand_boot()
except Exception as _exc:  # never stop the user's program from starting
    sys.stderr.write(f"qrand: start-up hook failed: {_exc}\n")
_qrand_chain()
