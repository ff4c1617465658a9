"""Minkowski distances for nearest-neighbour search: the metric names, the "reduced" distance, the
BLAS identity for squared Euclidean distances.

Every metric here is a Minkowski distance ``‖a − b‖_p = (Σ_j |a_j − b_j|^p)^{1/p}`` (``p = ∞``: the
largest coordinate difference). Searches compare the cheaper **reduced distance**
``r = Σ_j |a_j − b_j|^p`` (``max_j`` for ``p = ∞``), a monotone function of the distance, and take the
root only for the ``k`` winners — as scikit-learn's ``rdist``.
"""

from __future__ import annotations

import numbers

import numpy as np
from numba import njit

# numba's on-disk cache (cache=True) keys a kernel on its own file only: after editing a function here
# that kernels in other modules inline, delete __pycache__/*.nbi and *.nbc, or they keep the old code.

__all__ = ["effective_p", "rdist", "box_rdist", "rdist_to_dist", "squared_euclidean"]

METRICS = ("minkowski", "euclidean", "manhattan")


def effective_p(metric: str, p) -> float:
    """The Minkowski exponent a (metric, p) pair means: ``"euclidean"`` is 2, ``"manhattan"`` is 1,
    ``"minkowski"`` is ``p`` (``p`` is ignored for the named metrics, as in scikit-learn)."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    if metric == "euclidean":
        return 2.0
    if metric == "manhattan":
        return 1.0
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or np.isnan(p) or p < 1:
        raise ValueError(f"p must be a number >= 1 (np.inf allowed) for metric='minkowski', got {p!r}")
    return float(p)


def metric_name(p: float) -> str:
    """scikit-learn's ``effective_metric_`` for a Minkowski exponent."""
    return {1.0: "manhattan", 2.0: "euclidean", np.inf: "chebyshev"}.get(p, "minkowski")


# Rows are passed as (array, row index), not as slices: a slice in a hot compiled loop is an array view
# with reference counting, several times dearer than the arithmetic.


@njit(cache=True, nogil=True, inline="always")
def _integer_power(p):
    """``p`` as an int when it is a small integer (then ``t^p`` is a few products, ~10× cheaper than
    ``pow``), else 0."""
    return int(p) if p <= 8.0 and p == np.floor(p) else 0


@njit(cache=True, nogil=True, inline="always")
def _accumulate(s, t, p, ip):
    """Add one coordinate's share ``t = |a_f − b_f|`` to the reduced distance ``s``."""
    if p == 2.0:
        return s + t * t
    if p == 1.0:
        return s + t
    if p == np.inf:
        return max(s, t)
    if ip > 0:
        power = t
        for _ in range(ip - 1):
            power *= t
        return s + power
    return s + t**p


@njit(cache=True, nogil=True, inline="always")
def rdist(A, i, B, j, p):
    """Reduced distance between rows ``A[i]`` and ``B[j]``: ``Σ_f |A_if − B_jf|^p`` (max for p = ∞)."""
    ip = _integer_power(p)
    s = 0.0
    for f in range(A.shape[1]):
        s = _accumulate(s, abs(A[i, f] - B[j, f]), p, ip)
    return s


@njit(cache=True, nogil=True, inline="always")
def box_rdist(Q, i, bounds, node, p):
    """Reduced distance from ``Q[i]`` to the nearest point of the box
    ``[bounds[0, node], bounds[1, node]]``: a lower bound of ``rdist`` to every point in the box. Per
    coordinate the gap is ``lo − q`` or ``q − hi``, whichever is positive (else 0). The box edges are
    coordinates of data points and rounding is monotone, so the bound holds in floating point too."""
    ip = _integer_power(p)
    s = 0.0
    for f in range(Q.shape[1]):
        t = max(bounds[0, node, f] - Q[i, f], 0.0) + max(Q[i, f] - bounds[1, node, f], 0.0)
        s = _accumulate(s, t, p, ip)
    return s


def rdist_to_dist(r: np.ndarray, p: float) -> np.ndarray:
    """Distances from reduced distances: ``r^{1/p}`` (``√r`` for p = 2; ``r`` for p = 1 and ∞)."""
    if p == 2.0:
        return np.sqrt(r)
    if p in (1.0, np.inf):
        return r
    return r ** (1.0 / p)


def squared_euclidean(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """All squared Euclidean distances by the identity ``‖a − b‖² = ‖a‖² − 2 a·b + ‖b‖²``.

    One matrix product (BLAS) does the ``O(n m d)`` work. The sum is formed in scikit-learn's order,
    ``(‖a‖² + (−2 a·b)) + ‖b‖²``, and negatives left by cancellation are clipped to 0.

    Parameters
    ----------
    A : ndarray of shape (n, d)
    B : ndarray of shape (m, d)

    Returns
    -------
    ndarray of shape (n, m)
        ``‖A_i − B_j‖²``, each with an absolute error of order ``ε (‖A_i‖² + ‖B_j‖²)``.

    Examples
    --------
    >>> import numpy as np
    >>> squared_euclidean(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[3.0, 4.0]]))
    array([[25.],
           [13.]])
    """
    D = A @ B.T
    D *= -2.0
    D += np.einsum("ij,ij->i", A, A)[:, None]
    D += np.einsum("ij,ij->i", B, B)[None, :]
    return np.maximum(D, 0.0, out=D)
