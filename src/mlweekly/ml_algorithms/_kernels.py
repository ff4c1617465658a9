"""Kernels ``k(x, z) = φ(x)·φ(z)`` of the SVM lesson, as whole matrices (NumPy, for prediction).

The SMO solver computes the same kernels one training row at a time (``_smo.kernel_row``), with the
same formulas, so that training and prediction agree to rounding.
"""

from __future__ import annotations

import numbers

import numpy as np

KERNELS = {"linear": 0, "poly": 1, "rbf": 2}


def resolve_gamma(gamma, X: np.ndarray) -> float:
    """The numeric ``gamma``: ``"scale"`` is ``1 / (d · Var[X])``, ``"auto"`` is ``1 / d`` (sklearn's)."""
    if isinstance(gamma, str):
        if gamma == "scale":
            var = X.var()
            return 1.0 / (X.shape[1] * var) if var != 0 else 1.0
        if gamma == "auto":
            return 1.0 / X.shape[1]
    elif isinstance(gamma, numbers.Real) and not isinstance(gamma, bool) and gamma >= 0:
        return float(gamma)
    raise ValueError(f"gamma must be 'scale', 'auto' or a number >= 0, got {gamma!r}")


def kernel_matrix(X: np.ndarray, Z: np.ndarray, kernel: str, gamma: float, coef0: float, degree: int):
    """``K[a, b] = k(X[a], Z[b])`` for ``kernel`` in ``{"linear", "poly", "rbf"}``.

    linear: ``x·z``; poly: ``(γ x·z + r)^degree``; rbf: ``exp(-γ ‖x - z‖²)`` with
    ``‖x - z‖² = ‖x‖² + ‖z‖² - 2 x·z`` (one matrix product, the expansion libsvm's solver uses too).
    """
    dot = X @ Z.T
    if kernel == "linear":
        return dot
    if kernel == "poly":
        return (gamma * dot + coef0) ** degree
    sq = (X * X).sum(axis=1)[:, None] + (Z * Z).sum(axis=1)[None, :] - 2.0 * dot
    return np.exp(-gamma * np.maximum(sq, 0.0))
