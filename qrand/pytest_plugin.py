"""pytest plugin: every test gets its own seed tree, and failures print the seed.

On when qrand is installed (entry point ``pytest11``), off with ``-p no:qrand``.

* ``--qrand-seed=N`` fixes the session's root; ``--qrand-seed=last`` reuses the
  previous session's; by default the root is OS entropy, shown in the header.
* Each test runs inside ``qrand.scoped(root.child("test", nodeid))``: global
  RNGs (random, NumPy, torch, TF, ...) are seeded per test and restored after.
* Fixtures: ``qrand_tree`` (the test's SeedTree), ``qrand_rng`` (a NumPy
  Generator from it), ``qrand_key`` (a JAX key from it).
"""

from __future__ import annotations

import pytest

_CACHE_KEY = "qrand/seed"


def pytest_addoption(parser):
    group = parser.getgroup("qrand")
    group.addoption("--qrand-seed", default=None, metavar="N|last",
                    help="root seed for per-test seed trees (default: OS entropy)")


def _session_tree(config):
    from .seeding.tree import SeedTree, parse_seed

    text = config.getoption("qrand_seed")
    if text == "last":
        cache = getattr(config, "cache", None)
        cached = cache.get(_CACHE_KEY, None) if cache else None
        if cached is None:
            raise pytest.UsageError("--qrand-seed=last: no previous qrand seed in the pytest cache")
        text = str(cached)
    try:
        tree = SeedTree(None if text is None else parse_seed(text))
    except ValueError as exc:
        raise pytest.UsageError(f"--qrand-seed: {exc}") from None
    if getattr(config, "cache", None) is not None:
        config.cache.set(_CACHE_KEY, tree.root)
    return tree


def pytest_configure(config):
    config._qrand_tree = _session_tree(config)


def pytest_report_header(config):
    return f"qrand seed: {config._qrand_tree.root} (re-run with --qrand-seed={config._qrand_tree.root})"


def _test_tree(item):
    return item.config._qrand_tree.child("test", item.nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    from .seeding.everything import scoped

    with scoped(_test_tree(item)):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        root = item.config._qrand_tree.root
        report.sections.append(("qrand", f"seed {root}: re-run with --qrand-seed={root}"))


@pytest.fixture
def qrand_tree(request):
    """This test's SeedTree: ``root.child("test", nodeid)``."""
    return _test_tree(request.node)


@pytest.fixture
def qrand_rng(qrand_tree):
    """A NumPy Generator on this test's tree."""
    return qrand_tree.child("rng").numpy()


@pytest.fixture
def qrand_key(qrand_tree):
    """A JAX key on this test's tree."""
    return qrand_tree.child("key").jax_key()
