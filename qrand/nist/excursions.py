"""SP 800-22 random excursions (2.14, 8 states) and random excursions variant
(2.15, 18 states) on the ±1 random walk, with all cycles counted at once.

Both need J >= max(0.005 sqrt(n), 500) cycles (sts-2.1.2); below that they
report ``applicable: false`` for every state.
"""

from __future__ import annotations

import math

import numpy as np

from ._core import ALPHA, Bits, TestResult, erfc, igamc, not_applicable, result

EXCURSION_STATES = (-4, -3, -2, -1, 1, 2, 3, 4)
VARIANT_STATES = tuple(x for x in range(-9, 10) if x != 0)

#: |x| -> P(state x visited k times in a cycle), k = 0..4 and >= 5 (sts-2.1.2)
EXCURSION_PROBS = {
    1: (0.5000000000, 0.25000000000, 0.12500000000, 0.06250000000, 0.03125000000, 0.0312500000),
    2: (0.7500000000, 0.06250000000, 0.04687500000, 0.03515625000, 0.02636718750, 0.0791015625),
    3: (0.8333333333, 0.02777777778, 0.02314814815, 0.01929012346, 0.01607510288, 0.0803755143),
    4: (0.8750000000, 0.01562500000, 0.01367187500, 0.01196289063, 0.01046752930, 0.0732727051),
}


def state_label(x: int) -> str:
    """Variant label of a state: ``"-4"``, ``"+1"``."""
    return f"{x:+d}"


def cycle_count(b: Bits) -> int:
    """J: number of zero crossings of the walk, plus one if it does not end at 0."""
    walk = b.walk
    return int(np.count_nonzero(walk == 0)) + int(walk[-1] != 0)


def _min_cycles(n: int, strict: bool) -> float:
    return max(0.005 * math.sqrt(n), 500) if strict else 1


def _walk_and_cycles(name: str, bits, labels: list[str], strict: bool):
    """``(walk, J, None)``, or ``(None, J, not-applicable results)`` when there are too few cycles."""
    b = Bits.of(bits)
    j = cycle_count(b)
    need = _min_cycles(b.n, strict)
    if j < need:
        return None, j, not_applicable(name, labels, f"needs J >= {need:g} cycles, got J={j}")
    return b.walk, j, None


def random_excursions(bits, *, prob_decimals: int | None = None, alpha: float = ALPHA,
                      strict: bool = True) -> list[TestResult]:
    """Random excursions test; one result per state -4..-1, +1..+4.

    Parameters
    ----------
    prob_decimals : int, optional
        Round the class probabilities to this many decimals. The worked example
        of section 2.14.4 uses the 4-decimal table of section 3.14
        (``prob_decimals=4``); sts-2.1.2 and the default use the full values.
    """
    labels = [state_label(x) for x in EXCURSION_STATES]
    walk, j, skipped = _walk_and_cycles("random_excursions", bits, labels, strict)
    if skipped:
        return skipped
    cycle = np.cumsum(walk == 0) - (walk == 0)  # cycle index of each position (a zero closes its cycle)
    inside = (np.abs(walk) <= 4) & (walk != 0)
    state_index = np.where(walk > 0, walk + 3, walk + 4)[inside]  # -4..-1 -> 0..3, 1..4 -> 4..7
    visits = np.bincount(cycle[inside] * 8 + state_index, minlength=j * 8).reshape(j, 8)
    nu = np.stack([np.bincount(np.minimum(visits[:, s], 5), minlength=6) for s in range(8)])
    out = []
    for s, x in enumerate(EXCURSION_STATES):
        probs = np.asarray(EXCURSION_PROBS[abs(x)])
        expected = j * (probs if prob_decimals is None else np.round(probs, prob_decimals))
        chi2 = float(np.sum((nu[s] - expected) ** 2 / expected))
        out.append(result("random_excursions", labels[s], chi2, igamc(2.5, chi2 / 2.0), alpha=alpha,
                          cycles=j, counts=nu[s].tolist()))
    return out


def random_excursions_variant(bits, *, alpha: float = ALPHA, strict: bool = True) -> list[TestResult]:
    """Random excursions variant test; one result per state -9..-1, +1..+9."""
    labels = [state_label(x) for x in VARIANT_STATES]
    walk, j, skipped = _walk_and_cycles("random_excursions_variant", bits, labels, strict)
    if skipped:
        return skipped
    near = walk[np.abs(walk) <= 9] + 9
    totals = np.bincount(near, minlength=19)
    out = []
    for x, label in zip(VARIANT_STATES, labels):
        count = int(totals[x + 9])
        p = erfc(abs(count - j) / math.sqrt(2.0 * j * (4.0 * abs(x) - 2)))
        out.append(result("random_excursions_variant", label, float(count), p, alpha=alpha, cycles=j))
    return out
