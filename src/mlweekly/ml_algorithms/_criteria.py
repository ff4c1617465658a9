"""Impurity criteria of a decision tree: Gini, entropy (log-loss) and squared error.

Two faces of the same formulas:

* NumPy functions of a node's class counts or targets (``gini``, ``entropy``, ``squared_error``)
  for the notes and tests;
* numba kernels the splitter calls at every candidate threshold, written operation for operation
  as scikit-learn's ``_criterion.pyx`` so that the float64 results are bit-identical (ties between
  splits are then broken the same way). They work on running sums: ``s`` holds the weighted class
  counts (classification) or ``Σ w y`` (regression, one entry), ``w`` the node's total weight.

Entropy is in bits, ``-Σ p log₂ p`` with ``log₂ x = ln x / ln 2`` (scikit-learn's ``log``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["GINI", "ENTROPY", "SQUARED_ERROR", "gini", "entropy", "squared_error"]

GINI, ENTROPY, SQUARED_ERROR = 0, 1, 2
_LN2 = math.log(2.0)


def gini(counts) -> float:
    """Gini impurity ``1 - Σ_k p_k²`` of a node with (weighted) class ``counts``."""
    p = np.asarray(counts, dtype=np.float64) / np.sum(counts)
    return float(1.0 - np.sum(p**2))


def entropy(counts) -> float:
    """Entropy ``-Σ_k p_k log₂ p_k`` in bits of a node with (weighted) class ``counts`` (0 log 0 = 0)."""
    p = np.asarray(counts, dtype=np.float64) / np.sum(counts)
    p = p[p > 0]
    return float(-np.sum(p * np.log2(p)))


def squared_error(y, sample_weight=None) -> float:
    """Weighted variance ``Σ w (y - ȳ)² / Σ w`` of a node's targets (the MSE of predicting the mean)."""
    y = np.asarray(y, dtype=np.float64)
    w = np.ones_like(y) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    mean = np.sum(w * y) / np.sum(w)
    return float(np.sum(w * (y - mean) ** 2) / np.sum(w))


# ----------------------------------------------------------------------------- numba kernels


@njit(cache=True, nogil=True, inline="always")
def impurity_from_sums(criterion, s, w, sq):
    """Impurity of a node from its running sums (``sq = Σ w y²``, used by squared error only)."""
    if criterion == SQUARED_ERROR:
        # sklearn's one-pass formula E[y²] - E[y]²; children impurities use the same
        return sq / w - (s[0] / w) ** 2.0
    out = 0.0
    if criterion == GINI:
        sq_count = 0.0
        for c in range(s.shape[0]):
            sq_count += s[c] * s[c]
        out = 1.0 - sq_count / (w * w)
    else:
        for c in range(s.shape[0]):
            if s[c] > 0.0:
                p = s[c] / w
                out -= p * (math.log(p) / _LN2)
    return out


@njit(cache=True, nogil=True, inline="always")
def proxy_improvement(criterion, s_left, s_right, w_left, w_right):
    """A quantity with the same argmax over splits as the impurity decrease (larger is better).

    Classification: ``-(w_R i_R + w_L i_L)``. Squared error: ``S_L²/w_L + S_R²/w_R`` (the
    children's ``Σ w y²`` does not depend on the split, so it drops out).
    """
    if criterion == SQUARED_ERROR:
        return s_left[0] * s_left[0] / w_left + s_right[0] * s_right[0] / w_right
    i_left = impurity_from_sums(criterion, s_left, w_left, 0.0)
    i_right = impurity_from_sums(criterion, s_right, w_right, 0.0)
    return -w_right * i_right - w_left * i_left


@njit(cache=True, nogil=True)
def impurity_improvement(w_total, w_node, w_left, w_right, i_parent, i_left, i_right):
    """Weighted impurity decrease ``N_t/N (i - N_R/N_t i_R - N_L/N_t i_L)`` of a split."""
    return (w_node / w_total) * (
        i_parent - (w_right / w_node * i_right) - (w_left / w_node * i_left)
    )
