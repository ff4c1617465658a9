r"""Symmetric eigenvalues by Householder tridiagonalisation + implicit QR with Wilkinson shifts; the SVD.

:func:`eigh` follows Golub & Van Loan (*Matrix Computations*, 4th ed., §8.3):

1. :func:`tridiagonalize` — :math:`A = QTQ^\top` with :math:`T` tridiagonal, by :math:`n-2`
   Householder reflections applied from both sides (:math:`\tfrac43 n^3` flops, once);
2. implicit symmetric QR steps on :math:`T` — each is one sweep of Givens rotations that chases a
   bulge down the band (:math:`O(n)` per sweep, plus :math:`O(n^2)` to accumulate the vectors),
   shifted by the eigenvalue of the trailing 2×2 block nearer to its last entry (Wilkinson's shift:
   cubic convergence in practice, and convergence guaranteed); an off-diagonal entry below
   :math:`\varepsilon(|t_{ii}| + |t_{i+1,i+1}|)` is set to zero and the problem splits (deflation).

:func:`svd` gets the singular values two ways: from :math:`A^\top A` (which squares the condition
number) or from the symmetric *augmented* matrix of :math:`R` (:math:`A = QR`), whose eigenvalues are
:math:`\pm\sigma_i` — the accurate route.
"""

from __future__ import annotations

import numpy as np
from numpy.linalg import LinAlgError

from mlweekly.mathematical_foundations.linear_algebra import (
    check_matrix,
    check_symmetric,
    householder_vector,
    qr,
)

__all__ = ["tridiagonalize", "eigh", "svd"]

_EPS = np.finfo(np.float64).eps


def _check_symmetric(A) -> np.ndarray:
    A = check_symmetric(A)
    return (A + A.T) / 2.0  # exactly symmetric from here on


def tridiagonalize(A) -> tuple[np.ndarray, np.ndarray]:
    r"""Householder tridiagonalisation :math:`A = QTQ^\top` of a symmetric matrix.

    Parameters
    ----------
    A : array-like of shape (n, n)
        Symmetric matrix.

    Returns
    -------
    T : ndarray of shape (n, n)
        Symmetric tridiagonal, same eigenvalues as ``A``.
    Q : ndarray of shape (n, n)
        Orthogonal.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.mathematical_foundations.symmetric_eigen import tridiagonalize
    >>> A = np.array([[4.0, 1, 2], [1, 3, 0], [2, 0, 1]])
    >>> T, Q = tridiagonalize(A)
    >>> bool(T[2, 0] == 0 and np.allclose(Q @ T @ Q.T, A))
    True
    """
    T = _check_symmetric(A)
    n = T.shape[0]
    Q = np.eye(n)
    for k in range(n - 2):
        v, _ = householder_vector(T[k + 1:, k])
        # similarity H T H with H = I - 2vv' acting on rows/columns k+1..n-1
        T[k + 1:, :] -= 2.0 * np.outer(v, v @ T[k + 1:, :])
        T[:, k + 1:] -= 2.0 * np.outer(T[:, k + 1:] @ v, v)
        Q[:, k + 1:] -= 2.0 * np.outer(Q[:, k + 1:] @ v, v)
    T = np.triu(np.tril(T, 1), -1)  # drop the rounding-level entries outside the band
    return (T + T.T) / 2.0, Q


def _wilkinson_shift(a: float, b: float, c: float) -> float:
    """Eigenvalue of [[a, b], [b, c]] nearer to c (Golub & Van Loan's formula, no cancellation)."""
    d = (a - c) / 2.0
    if b == 0.0:
        return c
    sign = 1.0 if d >= 0 else -1.0
    return c - b * b / (d + sign * np.hypot(d, b))


def _qr_sweep(T: np.ndarray, Q: np.ndarray, p: int, q: int) -> None:
    """One implicit shifted QR step on the unreduced block T[p:q+1, p:q+1] (in place)."""
    mu = _wilkinson_shift(T[q - 1, q - 1], T[q, q - 1], T[q, q])
    x, z = T[p, p] - mu, T[p + 1, p]
    for k in range(p, q):
        r = np.hypot(x, z)
        c, s = (1.0, 0.0) if r == 0.0 else (x / r, z / r)
        # G acts on rows/columns k, k+1; only the band window [k-1, k+3) is non-zero there
        lo, hi = max(k - 1, p), min(k + 3, q + 1)
        rk, rk1 = T[k, lo:hi].copy(), T[k + 1, lo:hi].copy()
        T[k, lo:hi], T[k + 1, lo:hi] = c * rk + s * rk1, -s * rk + c * rk1
        ck, ck1 = T[lo:hi, k].copy(), T[lo:hi, k + 1].copy()
        T[lo:hi, k], T[lo:hi, k + 1] = c * ck + s * ck1, -s * ck + c * ck1
        qk, qk1 = Q[:, k].copy(), Q[:, k + 1].copy()
        Q[:, k], Q[:, k + 1] = c * qk + s * qk1, -s * qk + c * qk1
        if k > p:  # this rotation annihilated the previous bulge at (k+1, k-1): make it exact
            T[k + 1, k - 1] = T[k - 1, k + 1] = 0.0
        if k < q - 1:  # it created a new bulge at (k+2, k): the next rotation chases it down
            x, z = T[k + 1, k], T[k + 2, k]


def eigh(A, *, max_sweeps: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Eigenvalues (ascending) and orthonormal eigenvectors of a real symmetric matrix.

    Parameters
    ----------
    A : array-like of shape (n, n)
        Symmetric matrix.
    max_sweeps : int, optional
        Cap on QR sweeps (default ``30 n``; Wilkinson's shift needs about two per eigenvalue).

    Returns
    -------
    w : ndarray of shape (n,)
        Eigenvalues in ascending order (as ``numpy.linalg.eigh``).
    V : ndarray of shape (n, n)
        Column ``V[:, i]`` is the unit eigenvector of ``w[i]``; ``A V = V diag(w)``.

    Raises
    ------
    LinAlgError
        If the iteration has not converged after ``max_sweeps`` sweeps.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.symmetric_eigen import eigh
    >>> w, V = eigh([[2.0, 1.0], [1.0, 2.0]])
    >>> w.round(12).tolist()
    [1.0, 3.0]
    """
    T, Q = tridiagonalize(A)
    n = T.shape[0]
    max_sweeps = 30 * n if max_sweeps is None else int(max_sweeps)
    q = n - 1
    sweeps = 0
    while q > 0:
        # deflate: negligible off-diagonals become exact zeros
        off = np.abs(np.diag(T, -1))
        small = off <= _EPS * (np.abs(np.diag(T)[:-1]) + np.abs(np.diag(T)[1:]))
        idx = np.flatnonzero(small)
        T[idx + 1, idx] = T[idx, idx + 1] = 0.0
        while q > 0 and T[q, q - 1] == 0.0:  # the trailing entry has converged
            q -= 1
        if q == 0:
            break
        p = q - 1
        while p > 0 and T[p, p - 1] != 0.0:  # start of the unreduced block ending at q
            p -= 1
        if sweeps >= max_sweeps:
            raise LinAlgError(f"eigh did not converge in {max_sweeps} QR sweeps")
        _qr_sweep(T, Q, p, q)
        sweeps += 1
    w = np.diag(T).copy()
    order = np.argsort(w, kind="stable")
    return w[order], Q[:, order]


def svd(A, *, method: str = "augmented") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Thin SVD :math:`A = U\,\mathrm{diag}(s)\,V^\top` from a symmetric eigenproblem.

    ``method="gram"``: eigen-decompose :math:`A^\top A = V\,\mathrm{diag}(s^2)\,V^\top`, then
    :math:`U = AV/s`. Cheap, but :math:`\kappa(A^\top A) = \kappa(A)^2`: singular values below
    :math:`\sqrt{\varepsilon}\,\sigma_1` are lost (their squares drown in the rounding of the big ones).

    ``method="augmented"`` (default): :math:`A = QR`, then the eigenvalues of the symmetric
    :math:`2n \times 2n` matrix :math:`\begin{pmatrix}0 & R\\ R^\top & 0\end{pmatrix}` are
    :math:`\pm\sigma_i` with eigenvectors :math:`(u_i, \pm v_i)/\sqrt2`: no squaring, absolute
    error :math:`\sim \varepsilon\sigma_1` on every :math:`\sigma_i`, as LAPACK's SVD.

    Parameters
    ----------
    A : array-like of shape (m, n)
        The matrix.
    method : {"augmented", "gram"}, default="augmented"
        See above.

    Returns
    -------
    U : ndarray of shape (m, k)
    s : ndarray of shape (k,)
        Singular values, descending (k = min(m, n)).
    Vt : ndarray of shape (k, n)

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.symmetric_eigen import svd
    >>> U, s, Vt = svd([[3.0, 0.0], [0.0, -2.0], [0.0, 0.0]])
    >>> s.round(12).tolist()
    [3.0, 2.0]
    """
    if method not in ("augmented", "gram"):
        raise ValueError(f"method must be 'augmented' or 'gram'; got {method!r}")
    A = check_matrix(A)
    m, n = A.shape
    if m < n:  # work with the tall transpose: A' = V S U'
        V, s, Ut = svd(A.T, method=method)
        return Ut.T, s, V.T
    if method == "gram":
        w, V = eigh(A.T @ A)
        w, V = w[::-1], V[:, ::-1]
        s = np.sqrt(np.maximum(w, 0.0))  # rounding can make tiny eigenvalues negative
        with np.errstate(divide="ignore", invalid="ignore"):
            U = np.where(s > 0, (A @ V) / s, 0.0)
        return U, s, V.T
    Q, R = qr(A)
    B = np.block([[np.zeros((n, n)), R], [R.T, np.zeros((n, n))]])
    w, X = eigh(B)
    top = X[:, ::-1][:, :n]  # the n largest eigenvalues are +sigma (>= 0), descending
    s = np.maximum(w[::-1][:n], 0.0)
    Ub, V = top[:n] * np.sqrt(2.0), top[n:] * np.sqrt(2.0)
    # renormalise: for sigma ~ 0 the +-sigma eigenvectors mix and u, v need not have norm 1/sqrt2
    Ub /= np.where(np.linalg.norm(Ub, axis=0) > 0, np.linalg.norm(Ub, axis=0), 1.0)
    V /= np.where(np.linalg.norm(V, axis=0) > 0, np.linalg.norm(V, axis=0), 1.0)
    return Q @ Ub, s, V.T
