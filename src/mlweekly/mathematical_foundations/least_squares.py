r"""Least squares three ways, the pseudo-inverse and condition numbers.

:math:`\min_x \|Ax - b\|_2` for tall :math:`A` (m ≥ n) of full column rank has the unique solution
of the normal equations :math:`A^\top A x = A^\top b`. How it is computed decides how accurate it is:

* ``"normal"`` — Cholesky of :math:`A^\top A`: fastest, but the error grows like
  :math:`\kappa(A)^2\varepsilon` (and Cholesky breaks down once :math:`\kappa(A)^2 \gtrsim 1/\varepsilon`);
* ``"qr"`` — :math:`A = QR`, :math:`Rx = Q^\top b`: error :math:`\sim\kappa(A)\varepsilon` for small
  residuals (backward stable);
* ``"svd"`` — :math:`x = V\,\Sigma^{+} U^\top b`: as accurate as QR, and it handles rank deficiency
  (singular values below ``rcond * σ₁`` are treated as zero: the minimum-norm solution).
"""

from __future__ import annotations

import numpy as np
from numpy.linalg import LinAlgError

from mlweekly.mathematical_foundations.linear_algebra import (
    check_matrix,
    check_rhs,
    cholesky,
    lu,
    lu_solve,
    qr,
    solve_triangular,
)
from mlweekly.mathematical_foundations.symmetric_eigen import svd

__all__ = ["lstsq", "pinv", "cond", "norm1"]

_METHODS = ("qr", "normal", "svd")


def _rcond(rcond, shape) -> float:
    return np.finfo(np.float64).eps * max(shape) if rcond is None else float(rcond)


def pinv(A, rcond=None) -> np.ndarray:
    r"""Moore–Penrose pseudo-inverse :math:`A^+ = V\,\Sigma^+ U^\top` from our SVD.

    Singular values :math:`\sigma_i \le` ``rcond`` :math:`\cdot\,\sigma_1` count as zero
    (default ``rcond = ε·max(m, n)``, ``numpy.linalg.lstsq``'s).

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.least_squares import pinv
    >>> pinv([[1.0, 0.0], [0.0, 0.0]]).round(12).tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    A = check_matrix(A)
    U, s, Vt = svd(A)
    keep = s > _rcond(rcond, A.shape) * s[0]
    return (Vt[keep].T / s[keep]) @ U[:, keep].T


def lstsq(A, b, *, method: str = "qr", rcond=None) -> np.ndarray:
    r"""Least-squares solution of :math:`Ax \approx b`.

    Parameters
    ----------
    A : array-like of shape (m, n)
        Design matrix; ``"qr"`` and ``"normal"`` need m ≥ n and full column rank.
    b : array-like of shape (m,) or (m, k)
        Right-hand side(s).
    method : {"qr", "normal", "svd"}, default="qr"
        Householder QR, the normal equations with our Cholesky, or the SVD pseudo-inverse.
    rcond : float, optional
        Relative cut-off for small singular values (``"svd"`` only); default ``ε·max(m, n)``.

    Returns
    -------
    x : ndarray of shape (n,) or (n, k)

    Raises
    ------
    LinAlgError
        ``"qr"``: a zero diagonal entry of R (rank deficient); ``"normal"``: ``AᵀA`` not numerically
        positive definite (κ(A)² beyond 1/ε). Use ``method="svd"`` in both cases.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.least_squares import lstsq
    >>> A, b = [[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], [1.0, 2.0, 2.0]
    >>> [lstsq(A, b, method=m).round(10).tolist() for m in ("qr", "normal", "svd")]
    [[1.1666666667, 0.5], [1.1666666667, 0.5], [1.1666666667, 0.5]]
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}; got {method!r}")
    A = check_matrix(A)
    b = check_rhs(b, A.shape[0])
    m, n = A.shape
    if method == "svd":
        return pinv(A, rcond) @ b
    if m < n:
        raise ValueError(f"method={method!r} needs at least as many rows as columns; got shape {A.shape} "
                         "(use method='svd' for the minimum-norm solution)")
    if method == "normal":
        L = cholesky(A.T @ A)
        return solve_triangular(L.T, solve_triangular(L, A.T @ b, lower=True))
    Q, R = qr(A)
    if np.any(np.diag(R) == 0):
        raise LinAlgError("A is rank deficient (R has a zero diagonal entry); use method='svd'")
    return solve_triangular(R, Q.T @ b)


def norm1(A) -> float:
    r"""Matrix 1-norm :math:`\|A\|_1 = \max_j \sum_i |a_{ij}|` (the largest column sum)."""
    return float(np.abs(check_matrix(A)).sum(axis=0).max())


def cond(A, p=None) -> float:
    r"""Condition number :math:`\kappa_p(A) = \|A\|_p \|A^{-1}\|_p`.

    Parameters
    ----------
    A : array-like of shape (m, n)
        The matrix (square for ``p=1``).
    p : {None, 2, 1}, default=None
        ``None``/2: :math:`\sigma_{\max}/\sigma_{\min}` from our SVD (any shape; ``inf`` if
        :math:`\sigma_{\min} = 0`). 1: :math:`\|A\|_1\|A^{-1}\|_1` with the inverse from our LU
        (``inf`` if ``A`` is singular), as ``numpy.linalg.cond(A, 1)``.

    Returns
    -------
    float

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.least_squares import cond
    >>> round(cond([[1.0, 0.0], [0.0, 1e-3]]), 9), round(cond([[1.0, 2.0], [3.0, 4.0]], p=1), 12)
    (1000.0, 21.0)
    """
    if p not in (None, 2, 1):
        raise ValueError(f"p must be None, 2 or 1; got {p!r}")
    A = check_matrix(A, square=p == 1)
    if p == 1:
        factors = lu(A)
        try:
            A_inv = lu_solve(factors, np.eye(A.shape[0]))
        except LinAlgError:
            return float("inf")
        return norm1(A) * norm1(A_inv)
    s = svd(A)[1]
    return float(s[0] / s[-1]) if s[-1] > 0 else float("inf")
