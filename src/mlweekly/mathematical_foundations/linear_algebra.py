r"""Dense matrix factorisations from scratch: Householder QR, Cholesky, LU with partial pivoting.

Each factorisation turns a hard problem into triangular ones, solved by substitution:

* :func:`qr` — :math:`A = QR` with :math:`Q` orthogonal (a product of Householder reflections)
  and :math:`R` upper triangular; backward stable for any :math:`A`.
* :func:`cholesky` — :math:`A = LL^\top` for symmetric positive definite :math:`A`, half the work of LU.
* :func:`lu` — :math:`A = PLU` (SciPy's convention) with row pivoting for stability.

Eigenvalues and the SVD live in :mod:`.symmetric_eigen`, least squares and condition numbers in
:mod:`.least_squares`. Errors are ``numpy.linalg.LinAlgError`` (a ``ValueError``) naming the problem.
"""

from __future__ import annotations

import numpy as np
from numpy.linalg import LinAlgError

__all__ = [
    "LinAlgError",
    "check_matrix",
    "check_rhs",
    "check_symmetric",
    "householder_vector",
    "qr",
    "cholesky",
    "lu",
    "lu_solve",
    "solve",
    "inv",
    "solve_triangular",
]


def check_matrix(A, name: str = "A", *, square: bool = False) -> np.ndarray:
    """Validate a 2-d, finite, real matrix and return it as a float64 copy.

    Raises ``ValueError`` naming ``name`` when ``A`` is not 2-d, empty, not square (``square=True``),
    complex or contains NaN/inf; ``TypeError`` when it is not numeric.
    """
    try:
        arr = np.asarray(A)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a 2-d numeric array: {exc}") from exc
    if arr.dtype.kind == "c":
        raise ValueError(f"{name} must be real; got complex dtype {arr.dtype}")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric; got dtype {arr.dtype}")
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-d array; got shape {arr.shape}")
    if square and arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} must be square; got shape {arr.shape}")
    arr = np.array(arr, dtype=np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; got NaN or inf")
    return arr


def check_symmetric(A, name: str = "A") -> np.ndarray:
    """:func:`check_matrix` for a square matrix that must be symmetric (to 1e-10 relative)."""
    A = check_matrix(A, name, square=True)
    if np.abs(A - A.T).max() > 1e-10 * np.abs(A).max():
        raise ValueError(f"{name} must be symmetric (|{name} - {name}.T| exceeds 1e-10 * max|{name}|)")
    return A


def check_rhs(b, n: int) -> np.ndarray:
    """Validate a right-hand side of shape (n,) or (n, k): numeric and finite, as float64."""
    arr = np.asarray(b, dtype=np.float64) if np.asarray(b).dtype.kind in "biuf" else None
    if arr is None:
        raise TypeError(f"b must be numeric; got dtype {np.asarray(b).dtype}")
    if arr.ndim not in (1, 2) or arr.shape[0] != n:
        raise ValueError(f"b must have shape ({n},) or ({n}, k) to match A; got {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("b must be finite; got NaN or inf")
    return arr


def householder_vector(x: np.ndarray) -> tuple[np.ndarray, float]:
    r"""Unit :math:`v` and :math:`\beta` with :math:`(I - 2vv^\top)x = \beta e_1`, :math:`|\beta| = \|x\|`.

    :math:`v \propto x + \operatorname{sign}(x_1)\|x\| e_1`: adding (not subtracting) avoids the
    cancellation that would make :math:`v` inaccurate when :math:`x \approx \|x\| e_1`; it gives
    :math:`\beta = -\operatorname{sign}(x_1)\|x\|`, LAPACK's sign. ``v`` is zero when ``x`` is.
    """
    norm = np.linalg.norm(x)
    v = x.astype(np.float64, copy=True)
    if norm == 0.0:
        return v, 0.0
    sign = 1.0 if x[0] >= 0 else -1.0
    v[0] += sign * norm
    return v / np.linalg.norm(v), -sign * norm


def qr(A, mode: str = "reduced") -> tuple[np.ndarray, np.ndarray]:
    r"""Householder QR: :math:`A = QR`, :math:`Q^\top Q = I`, :math:`R` upper triangular.

    Column :math:`k` below the diagonal is zeroed by the reflection :math:`H_k = I - 2v_kv_k^\top`;
    :math:`R = H_p \cdots H_1 A` and :math:`Q = H_1 \cdots H_p`. Signs follow LAPACK (and so
    ``numpy.linalg.qr``): :math:`R_{kk} = -\operatorname{sign}(\cdot)\|\cdot\|`.

    Parameters
    ----------
    A : array-like of shape (m, n)
        The matrix.
    mode : {"reduced", "complete"}, default="reduced"
        ``"reduced"`` (economic): Q is (m, k), R is (k, n) with k = min(m, n);
        ``"complete"``: Q is (m, m), R is (m, n). (``numpy.linalg.qr``'s names.)

    Returns
    -------
    Q, R : ndarray
        The factors.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.mathematical_foundations.linear_algebra import qr
    >>> Q, R = qr([[3.0, 1.0], [4.0, 2.0]])
    >>> np.round(R, 12).tolist(), bool(np.allclose(Q @ R, [[3, 1], [4, 2]]))
    ([[-5.0, -2.2], [0.0, 0.4]], True)
    """
    if mode not in ("reduced", "complete"):
        raise ValueError(f"mode must be 'reduced' or 'complete'; got {mode!r}")
    R = check_matrix(A)
    m, n = R.shape
    k = min(m, n)
    reflectors = []
    for j in range(min(m - 1, n)):
        v, beta = householder_vector(R[j:, j])
        # apply H = I - 2vv' to the trailing block: a rank-1 update, O(mn) per column
        R[j:, j:] -= 2.0 * np.outer(v, v @ R[j:, j:])
        R[j + 1:, j] = 0.0  # exactly zero (it is, up to rounding)
        if beta != 0.0:
            R[j, j] = beta
        reflectors.append(v)
    # Q = H_1 ... H_p E, applied right to left to the first columns E of the identity: the reduced
    # Q of a 20,000 x 9 matrix never forms the 20,000 x 20,000 one
    Q = np.eye(m, k if mode == "reduced" else m)
    for j in range(len(reflectors) - 1, -1, -1):
        v = reflectors[j]
        Q[j:] -= 2.0 * np.outer(v, v @ Q[j:])
    if mode == "reduced":
        return Q, np.triu(R[:k])
    return Q, np.triu(R)


def solve_triangular(T, b, *, lower: bool = False, unit_diagonal: bool = False) -> np.ndarray:
    r"""Solve :math:`Tx = b` for triangular :math:`T` by forward (``lower``) or back substitution.

    Parameters
    ----------
    T : array-like of shape (n, n)
        Triangular matrix; only the relevant triangle is read.
    b : array-like of shape (n,) or (n, k)
        Right-hand side(s).
    lower : bool, default=False
        Use the lower triangle (forward substitution).
    unit_diagonal : bool, default=False
        Assume ones on the diagonal (as in the L of LU).

    Returns
    -------
    ndarray
        ``x``, the shape of ``b``.

    Raises
    ------
    LinAlgError
        If a diagonal entry is exactly zero (``T`` is singular); the message names it.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.linear_algebra import solve_triangular
    >>> solve_triangular([[2.0, 1.0], [0.0, 4.0]], [4.0, 8.0]).tolist()
    [1.0, 2.0]
    """
    T = check_matrix(T, "T", square=True)
    n = T.shape[0]
    x = check_rhs(b, n).copy()
    diag = np.ones(n) if unit_diagonal else np.diag(T)
    zero = np.flatnonzero(diag == 0)
    if zero.size:
        raise LinAlgError(f"triangular matrix is singular: diagonal entry {zero[0]} is zero")
    rows = range(n) if lower else range(n - 1, -1, -1)
    for i in rows:
        done = slice(0, i) if lower else slice(i + 1, n)
        x[i] = (x[i] - T[i, done] @ x[done]) / diag[i]
    return x


def cholesky(A, *, upper: bool = False) -> np.ndarray:
    r"""Cholesky factor of a symmetric positive definite matrix: :math:`A = LL^\top`.

    Column by column, :math:`L_{jj} = \sqrt{A_{jj} - \sum_{k<j} L_{jk}^2}` and
    :math:`L_{ij} = (A_{ij} - \sum_{k<j} L_{ik}L_{jk}) / L_{jj}` for :math:`i > j`. The square
    root's argument (the *pivot*) is positive for every :math:`j` exactly when :math:`A` is positive
    definite, so the factorisation is also the cheapest test of definiteness.

    Parameters
    ----------
    A : array-like of shape (n, n)
        Symmetric positive definite matrix (symmetry is checked to 1e-10 relative).
    upper : bool, default=False
        Return :math:`U = L^\top` (:math:`A = U^\top U`) instead, as ``numpy.linalg.cholesky(upper=True)``.

    Returns
    -------
    ndarray of shape (n, n)
        ``L`` (lower triangular, positive diagonal) or ``U``.

    Raises
    ------
    LinAlgError
        If ``A`` is not positive definite; the message names the first non-positive pivot.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.linear_algebra import cholesky
    >>> cholesky([[4.0, 2.0], [2.0, 5.0]]).tolist()
    [[2.0, 0.0], [1.0, 2.0]]
    """
    A = check_symmetric(A)
    n = A.shape[0]
    L = np.zeros_like(A)
    for j in range(n):
        pivot = A[j, j] - L[j, :j] @ L[j, :j]
        if not pivot > 0:
            raise LinAlgError(
                f"A is not positive definite: pivot {j} is {pivot:.3g} <= 0 "
                f"(the leading {j + 1}x{j + 1} minor is not positive definite)"
            )
        L[j, j] = np.sqrt(pivot)
        L[j + 1:, j] = (A[j + 1:, j] - L[j + 1:, :j] @ L[j, :j]) / L[j, j]
    return L.T if upper else L


def lu(A) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""LU factorisation with partial pivoting, :math:`A = PLU` (``scipy.linalg.lu``'s convention).

    At step :math:`k` the row with the largest :math:`|a_{ik}|`, :math:`i \ge k`, is swapped up, so
    every multiplier :math:`|L_{ik}| \le 1` and the growth of entries stays modest in practice.

    Parameters
    ----------
    A : array-like of shape (m, n)
        The matrix (rectangular allowed).

    Returns
    -------
    P : ndarray of shape (m, m)
        Permutation matrix.
    L : ndarray of shape (m, k)
        Unit lower triangular (k = min(m, n)).
    U : ndarray of shape (k, n)
        Upper triangular.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.linear_algebra import lu
    >>> P, L, U = lu([[1.0, 2.0], [3.0, 4.0]])
    >>> P.tolist(), L.round(12).tolist(), U.round(12).tolist()
    ([[0.0, 1.0], [1.0, 0.0]], [[1.0, 0.0], [0.333333333333, 1.0]], [[3.0, 4.0], [0.0, 0.666666666667]])
    """
    U = check_matrix(A)
    m, n = U.shape
    k = min(m, n)
    perm = np.arange(m)
    L = np.zeros((m, k))
    for j in range(k):
        p = j + int(np.argmax(np.abs(U[j:, j])))  # first maximum, as LAPACK's idamax
        if p != j:
            U[[j, p], j:] = U[[p, j], j:]
            L[[j, p], :j] = L[[p, j], :j]
            perm[[j, p]] = perm[[p, j]]
        if U[j, j] != 0.0:  # a zero column below the diagonal needs no elimination
            L[j + 1:, j] = U[j + 1:, j] / U[j, j]
            U[j + 1:, j:] -= np.outer(L[j + 1:, j], U[j, j:])
        U[j + 1:, j] = 0.0
    L[np.arange(k), np.arange(k)] = 1.0
    P = np.eye(m)[:, perm]  # row i of LU is row perm[i] of A, so P[perm[i], i] = 1
    return P, L, np.triu(U[:k])


def lu_solve(lu_factors, b) -> np.ndarray:
    r"""Solve :math:`Ax = b` given ``lu(A)``: :math:`Ly = P^\top b`, then :math:`Ux = y`.

    Raises
    ------
    LinAlgError
        If ``U`` has a zero pivot (``A`` is singular).
    """
    P, L, U = lu_factors
    if U.shape[0] != U.shape[1] or L.shape[0] != U.shape[0]:
        raise ValueError(f"A must be square to solve; its factors have shapes L {L.shape}, U {U.shape}")
    zero = np.flatnonzero(np.diag(U) == 0)
    if zero.size:
        raise LinAlgError(f"A is singular: pivot {zero[0]} of U is exactly zero after partial pivoting")
    b = check_rhs(b, U.shape[0])
    y = solve_triangular(L, P.T @ b, lower=True, unit_diagonal=True)
    return solve_triangular(U, y)


def solve(A, b) -> np.ndarray:
    """Solve the square system ``A x = b`` by LU with partial pivoting (``numpy.linalg.solve``).

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.linear_algebra import solve
    >>> solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]).round(12).tolist()
    [0.8, 1.4]
    """
    A = check_matrix(A, square=True)
    return lu_solve(lu(A), b)


def inv(A) -> np.ndarray:
    """Inverse of a square matrix by LU (solve against the identity); prefer :func:`solve`.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.linear_algebra import inv
    >>> inv([[2.0, 0.0], [0.0, 4.0]]).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    A = check_matrix(A, square=True)
    return lu_solve(lu(A), np.eye(A.shape[0]))
