"""The backend-spec and circuit-spec grammars of qrand.shots (no simulator needed)."""

from __future__ import annotations

import pytest

from qrand.errors import QrandError
from qrand.shots.backends import BackendSpec, parse_backend, parse_backends
from qrand.shots.circuits import circuit_config, circuit_label


@pytest.mark.parametrize("text, simulator, method, profile, name", [
    ("default.qubit", "default.qubit", None, "ideal", "default.qubit"),
    ("lightning.qubit", "lightning.qubit", None, "ideal", "lightning.qubit"),
    ("default.mixed", "default.mixed", None, "ideal", "default.mixed"),
    ("aer", "aer", None, "ideal", "aer"),
    ("aer:density_matrix", "aer", "density_matrix", "ideal", "aer:density_matrix"),
    ("aer:fake_manila", "aer", None, "fake_manila", "aer:fake_manila"),
    ("default.mixed:fake_manila", "default.mixed", None, "fake_manila", "default.mixed:fake_manila"),
    ("aer:uniform(p1q=1e-3, readout=0.02)", "aer", None, "uniform(p1q=0.001,readout=0.02)",
     "aer:uniform(p1q=0.001,readout=0.02)"),
    ("aer:uniform(readout=0.02,p1q=1e-3)", "aer", None, "uniform(p1q=0.001,readout=0.02)",
     "aer:uniform(p1q=0.001,readout=0.02)"),
    ("aer:density_matrix:uniform(t1=inf,t2=inf)", "aer", "density_matrix", "uniform(t1=inf,t2=inf)",
     "aer:density_matrix:uniform(t1=inf,t2=inf)"),
    ("default.mixed:ideal", "default.mixed", None, "ideal", "default.mixed"),
])
def test_grammar(text, simulator, method, profile, name):
    spec = parse_backend(text)
    assert (spec.simulator, spec.method, spec.profile_name, spec.name) == (simulator, method, profile, name)
    assert parse_backend(spec.name) == spec  # the canonical name parses back to the same spec
    assert spec.noisy == (profile != "ideal")


def test_list_keeps_commas_inside_uniform():
    specs = parse_backends("default.qubit, aer:uniform(p1q=1e-3,p2q=1e-2),aer:fake_manila")
    assert [s.name for s in specs] == ["default.qubit", "aer:uniform(p1q=0.001,p2q=0.01)",
                                       "aer:fake_manila"]
    assert parse_backends(["aer", BackendSpec("default.qubit")])[1].name == "default.qubit"


@pytest.mark.parametrize("text, message", [
    ("qiskit.basic", "unknown simulator"),
    ("default.qubit:fake_manila", "needs a mixed-state simulator"),
    ("lightning.qubit:uniform()", "needs a mixed-state simulator"),
    ("default.mixed:density_matrix", "for aer only"),
    ("aer:statevector:density_matrix", "two methods"),
    ("aer:fake_manila:fake_lima", "two noise profiles"),
    ("aer:uniform(p3q=1)", "bad uniform"),
    ("aer:uniform(p1q=-0.1)", "non-negative number"),
    ("aer:uniform(p1q=1,p1q=2)", "given twice"),
    ("aer:uniform(p1q=1", "unbalanced"),
    ("aer:noisy", "unknown backend option"),
    ("aer:", "empty item"),
    ("", "non-empty"),
])
def test_bad_specs_are_one_line_errors(text, message):
    with pytest.raises(QrandError, match=message) as info:
        parse_backend(text)
    assert "\n" not in str(info.value)


def test_duplicate_backends_refused():
    with pytest.raises(QrandError, match="listed twice"):
        parse_backends("aer,aer:ideal")


def test_circuit_specs():
    assert circuit_config(" ghz:4 ") == "ghz:4"
    assert circuit_label(circuit_config("random_layered:3:2:7")) == "random_layered:3:2:7"
    for bad, message in [("ghz", "takes 1..1"), ("ghz:x", "integers"), ("foo:3", "unknown circuit"),
                         ("bell:2", "takes 0..0")]:
        with pytest.raises(QrandError, match=message):
            circuit_config(bad)
    with pytest.raises(QrandError, match="spec like"):
        circuit_config(42)
