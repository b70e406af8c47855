"""Lazy exports: every name resolves, and no submodule shadows an exported function."""

import importlib
import pkgutil

import pytest

PACKAGES = ["qrand", "qrand.manifest", "qrand.quantum", "qrand.training", "qrand.study", "qrand.shots",
            "qrand.sweep"]


@pytest.mark.parametrize("name", PACKAGES)
def test_no_submodule_shares_a_function_name(name):
    package = importlib.import_module(name)
    exports = getattr(package, "_EXPORTS", {})
    submodules = {m.name for m in pkgutil.iter_modules(package.__path__)}
    for export, module in exports.items():
        full = module if module.startswith("qrand") else f"{name}.{module}"
        if not full.endswith("." + export):  # exporting the module itself is fine
            assert export not in submodules, f"{name}.{export} would be shadowed by its submodule"


def test_names_resolve_after_their_submodules_are_imported():
    importlib.import_module("qrand.training.runs")
    from qrand.training import multi_seed

    assert callable(multi_seed) and not isinstance(multi_seed, type(importlib))
    import qrand

    assert callable(qrand.seed_everything) and callable(qrand.fingerprint)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        qrand.nope
