"""Pauli (Z-type) estimators from counts, their shot-noise variance, and the 1/sqrt(N) law.

Outcome index convention: outcome ``i`` of ``n`` qubits is the bitstring of
``i`` with **wire 0 as the most significant bit** (PennyLane's convention;
``qrand.quantum.probabilities`` uses it too).

A diagonal Pauli string such as ``"ZZZ"`` or ``"ZIZ"`` has eigenvalue
``(-1)^(parity of the bits on its Z wires)``. Its estimator from ``N`` shots,
``mean of the eigenvalues``, is unbiased with variance
``(1 - <P>^2) / N``, so the standard error falls as ``N^(-1/2)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import QrandError
from ._common import as_array


def pauli_signs(pauli: str, n_qubits: int | None = None) -> np.ndarray:
    """Eigenvalues (+1/-1) of a Z-type Pauli string on every outcome, shape ``(2**n,)``."""
    if not isinstance(pauli, str) or not pauli or set(pauli.upper()) - {"I", "Z"}:
        bad = "" if not isinstance(pauli, str) else ", ".join(sorted(set(pauli.upper()) - {"I", "Z"}))
        raise QrandError(f"only Z-type Pauli strings (letters I, Z) can be estimated from "
                         f"computational-basis counts, got {pauli!r}" + (f" (has {bad})" if bad else ""))
    pauli = pauli.upper()
    if n_qubits is not None and len(pauli) != n_qubits:
        raise QrandError(f"Pauli string {pauli!r} has {len(pauli)} letters for {n_qubits} qubits")
    n = len(pauli)
    if n > 30:
        raise QrandError(f"Pauli string on {n} qubits is too large for dense outcome arrays")
    mask = sum(1 << (n - 1 - w) for w, letter in enumerate(pauli) if letter == "Z")
    index = np.arange(2**n, dtype=np.int64) & mask
    parity = np.zeros(2**n, dtype=np.int64)
    for bit in range(n):
        parity ^= (index >> bit) & 1
    return 1.0 - 2.0 * parity


def _n_qubits(size: int) -> int:
    n = int(size).bit_length() - 1
    if 2**n != size:
        raise QrandError(f"outcome axis of length {size} is not a power of two")
    return n


def pauli_expectation(dist: Any, pauli: str) -> float | np.ndarray:
    """``<P>`` from counts (the estimator) or probabilities (the exact value); last axis = outcomes."""
    arr = as_array(dist, "counts")
    signs = pauli_signs(pauli, _n_qubits(arr.shape[-1]))
    total = arr.sum(axis=-1)
    if np.any(total <= 0):
        raise QrandError("cannot estimate an expectation from zero counts")
    value = (arr @ signs) / total
    return float(value) if np.ndim(value) == 0 else value


def analytic_variance(exact: Any, shots: Any) -> Any:
    """Variance of the ``N``-shot Pauli estimator: ``(1 - <P>^2) / N``."""
    exact, shots = np.asarray(exact, dtype=float), np.asarray(shots, dtype=float)
    if np.any(np.abs(exact) > 1 + 1e-12) or np.any(shots <= 0):
        raise QrandError("need |<P>| <= 1 and shots > 0")
    value = (1.0 - np.clip(exact, -1, 1) ** 2) / shots
    return float(value) if np.ndim(value) == 0 else value


def estimator_spread(estimates: Any, shots: Any, exact: float, *, confidence: float = 0.95):
    """Per shot count: mean, bias, empirical std across seeds vs the analytic std.

    Parameters
    ----------
    estimates : array, shape ``(n_seeds, n_shots)`` (one column per shot count)
    shots : the shot counts, length ``n_shots``
    exact : the exact ``<P>``
    confidence : level of the chi-square interval on the empirical std

    Returns
    -------
    pandas.DataFrame
        Columns ``shots, n_seeds, mean, bias, std, analytic_std, std_ratio,
        std_low, std_high`` (the interval assumes near-normal estimates).
    """
    import pandas as pd
    from scipy.stats import chi2

    est = np.asarray(estimates, dtype=float)
    shots = np.asarray(shots, dtype=float).ravel()
    if est.ndim != 2 or est.shape[1] != len(shots) or est.shape[0] < 2:
        raise QrandError(f"estimates must have shape (n_seeds >= 2, {len(shots)}), got {est.shape}")
    n = est.shape[0]
    std = est.std(axis=0, ddof=1)
    analytic = np.sqrt(analytic_variance(np.full(len(shots), exact), shots))
    tail = (1 - confidence) / 2
    low = std * np.sqrt((n - 1) / chi2.ppf(1 - tail, n - 1))
    high = std * np.sqrt((n - 1) / chi2.ppf(tail, n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = std / analytic
    return pd.DataFrame({"shots": shots.astype(np.int64), "n_seeds": n, "mean": est.mean(axis=0),
                         "bias": est.mean(axis=0) - exact, "std": std, "analytic_std": analytic,
                         "std_ratio": ratio, "std_low": low, "std_high": high})


@dataclass(frozen=True)
class SlopeFit:
    """Least-squares fit ``log10(se) = intercept + slope * log10(shots)``."""

    slope: float
    intercept: float
    stderr: float
    r2: float

    def predict(self, shots: Any) -> np.ndarray:
        """Fitted standard error at ``shots``."""
        return 10 ** (self.intercept + self.slope * np.log10(np.asarray(shots, dtype=float)))


def fit_slope(shots: Any, se: Any) -> SlopeFit:
    """Fit the log-log slope of a standard error against the shot count (expect -1/2)."""
    from scipy.stats import linregress

    x = np.log10(as_array(np.ravel(shots), "shots"))
    y_raw = np.asarray(se, dtype=float).ravel()
    if len(x) != len(y_raw) or len(x) < 3 or np.any(y_raw <= 0):
        raise QrandError("fit_slope needs >= 3 shot counts with positive standard errors")
    fit = linregress(x, np.log10(y_raw))
    return SlopeFit(float(fit.slope), float(fit.intercept), float(fit.stderr), float(fit.rvalue**2))
