"""Numerically stable log-sum-exp, log-softmax and softmax over the rows of a score matrix.

``exp(1000)`` overflows, but ``log Σ_k exp(z_k) = m + log Σ_k exp(z_k - m)`` with ``m = max_k z_k``
only ever exponentiates numbers ``<= 0``, so it is exact to rounding for any finite scores.
"""

from __future__ import annotations

import numpy as np


def logsumexp(Z: np.ndarray) -> np.ndarray:
    """``log Σ_k exp(Z[i, k])`` for every row ``i``, shape ``(n,)``."""
    m = Z.max(axis=1)
    return m + np.log(np.exp(Z - m[:, None]).sum(axis=1))


def log_softmax(Z: np.ndarray) -> np.ndarray:
    """``log softmax(Z) = Z - logsumexp(Z)`` row-wise, shape of ``Z``.

    Subtracting the row maximum first keeps the result accurate when the scores are large and
    close (``Z - logsumexp(Z)`` directly would cancel ``-800 - (-798.6)`` to 13 digits only).
    """
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax ``exp(z_k) / Σ_j exp(z_j)``; each row sums to one."""
    return np.exp(log_softmax(Z))
