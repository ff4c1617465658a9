"""QR, Cholesky, LU, symmetric eigen, SVD and least squares against numpy.linalg / scipy.linalg.

Tolerances scale with the condition number: a backward-stable factorisation of A reproduces the
reference's factors to about κ(A)·ε (times a modest constant that grows with n), so every check
below is ``C · n · κ · ε`` with C = 10, not a fixed number.
"""

import numpy as np
import pytest
import scipy.linalg as sl
from hypothesis import given, settings
from hypothesis import strategies as hs

from mlweekly.mathematical_foundations.least_squares import cond, lstsq, norm1, pinv
from mlweekly.mathematical_foundations.linear_algebra import (
    LinAlgError,
    cholesky,
    inv,
    lu,
    lu_solve,
    qr,
    solve,
    solve_triangular,
)
from mlweekly.mathematical_foundations.symmetric_eigen import eigh, svd, tridiagonalize

EPS = np.finfo(np.float64).eps
FAST = settings(max_examples=40, deadline=None)


def fix_signs(V: np.ndarray) -> np.ndarray:
    """Make the largest-|.| entry of every column positive (eigen/singular vectors are unique up to sign)."""
    idx = np.argmax(np.abs(V), axis=0)
    return V * np.sign(V[idx, np.arange(V.shape[1])])


def tol(A, power=1):
    """10 · n · κ(A)^power · ε: the accuracy a backward-stable algorithm guarantees (to a constant)."""
    return 10 * max(A.shape) * np.linalg.cond(A) ** power * EPS


@hs.composite
def matrices(draw, square=False, max_n=8, max_log_kappa=6):
    """Random matrices U diag(s) V' with geometrically spaced singular values: κ = 10**k exactly."""
    n = draw(hs.integers(1, max_n))
    m = n if square else draw(hs.integers(n, n + 6))
    k = draw(hs.floats(0, max_log_kappa))
    seed = draw(hs.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.normal(size=(m, n)))
    V, _ = np.linalg.qr(rng.normal(size=(n, n)))
    s = np.logspace(0, -k, n) * draw(hs.sampled_from([1e-3, 1.0, 1e3]))
    return (U * s) @ V.T


def hilbert_like(m, n):
    return 1.0 / (np.arange(m)[:, None] + np.arange(n)[None, :] + 1.0)


# ----------------------------------------------------------------------------- QR
@FAST
@given(matrices(), hs.sampled_from(["reduced", "complete"]))
def test_qr_matches_numpy_up_to_signs(A, mode):
    Q, R = qr(A, mode=mode)
    Qr, Rr = np.linalg.qr(A, mode=mode)
    assert Q.shape == Qr.shape and R.shape == Rr.shape
    np.testing.assert_allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=10 * A.shape[0] * EPS)
    np.testing.assert_allclose(Q @ R, A, atol=10 * max(A.shape) * EPS * np.abs(A).max())
    assert np.allclose(np.tril(R, -1), 0.0, atol=0)
    # unique once diag(R) > 0 (A has full column rank): flip rows of R and columns of Q
    k = min(A.shape)
    d, dr = np.sign(np.diag(R)), np.sign(np.diag(Rr))
    scale = np.abs(A).max()
    np.testing.assert_allclose(d[:, None] * R[:k], dr[:, None] * Rr[:k], atol=tol(A) * scale)
    np.testing.assert_allclose(Q[:, :k] * d, Qr[:, :k] * dr, atol=tol(A))


def test_qr_complete_of_wide_and_rank_deficient_matrices():
    A = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]])  # rank 1, wide
    for mode in ("reduced", "complete"):
        Q, R = qr(A, mode=mode)
        np.testing.assert_allclose(Q @ R, A, atol=1e-14)
        np.testing.assert_allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=1e-15)
        assert R.shape == np.linalg.qr(A, mode=mode)[1].shape


# ----------------------------------------------------------------------------- Cholesky
@FAST
@given(matrices(square=True, max_log_kappa=5))
def test_cholesky_matches_numpy(B):
    A = B.T @ B + np.eye(B.shape[0]) * 1e-12 * np.abs(B).max() ** 2  # SPD, kappa(A) = kappa(B)^2
    L = cholesky(A)
    np.testing.assert_allclose(L, np.linalg.cholesky(A), atol=tol(A) * np.sqrt(np.abs(A).max()))
    np.testing.assert_allclose(cholesky(A, upper=True), L.T, rtol=0, atol=0)
    assert (np.diag(L) > 0).all()


def test_cholesky_names_the_failing_pivot():
    A = np.array([[4.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]])  # leading 2x2 minor singular
    with pytest.raises(LinAlgError, match=r"not positive definite: pivot 1 is 0 <= 0 \(the leading 2x2"):
        cholesky(A)
    with pytest.raises(LinAlgError, match="pivot 0 is -1"):
        cholesky(-np.eye(2))
    with pytest.raises(ValueError, match="A must be symmetric"):
        cholesky([[1.0, 2.0], [0.0, 1.0]])


# ----------------------------------------------------------------------------- LU
@FAST
@given(matrices(square=True))
def test_lu_matches_scipy(A):
    P, L, U = lu(A)
    Pr, Lr, Ur = sl.lu(A)
    np.testing.assert_allclose(P @ L @ U, A, atol=10 * A.shape[0] * EPS * np.abs(A).max())
    assert np.abs(L).max() <= 1.0 and np.allclose(np.diag(L), 1.0, atol=0)
    # the pivots are the same unless two candidates tie to within rounding; then compare products only
    if np.array_equal(P, Pr):
        np.testing.assert_allclose(L, Lr, atol=tol(A))
        np.testing.assert_allclose(U, Ur, atol=tol(A) * np.abs(A).max())


@pytest.mark.parametrize("shape", [(5, 3), (3, 5)])
def test_lu_rectangular_matches_scipy(shape):
    A = np.random.default_rng(1).normal(size=shape)
    for ours, ref in zip(lu(A), sl.lu(A), strict=True):
        np.testing.assert_allclose(ours, ref, atol=1e-14)


@FAST
@given(matrices(square=True), hs.integers(1, 3))
def test_solve_and_inv_match_numpy(A, k):
    b = np.random.default_rng(0).normal(size=(A.shape[0], k))
    x = solve(A, b)
    ref = np.linalg.solve(A, b)
    np.testing.assert_allclose(x, ref, atol=tol(A) * np.abs(ref).max())
    np.testing.assert_allclose(inv(A), np.linalg.inv(A), atol=tol(A) * np.abs(np.linalg.inv(A)).max())
    np.testing.assert_allclose(solve(A, b[:, 0]), ref[:, 0], atol=tol(A) * np.abs(ref).max())


def test_singular_system_is_reported():
    A = np.array([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(LinAlgError, match="A is singular: pivot 1 of U is exactly zero"):
        solve(A, [1.0, 2.0])
    with pytest.raises(LinAlgError, match="diagonal entry 0 is zero"):
        solve_triangular([[0.0, 1.0], [0.0, 1.0]], [1.0, 1.0])
    with pytest.raises(ValueError, match="A must be square to solve"):
        lu_solve(lu(np.ones((3, 2))), [1.0, 2.0, 3.0])
    assert cond(A, p=1) == np.inf


def test_triangular_solves_match_scipy():
    rng = np.random.default_rng(3)
    T = np.triu(rng.normal(size=(6, 6))) + 3 * np.eye(6)
    b = rng.normal(size=6)
    np.testing.assert_allclose(solve_triangular(T, b), sl.solve_triangular(T, b), rtol=1e-12)
    np.testing.assert_allclose(solve_triangular(T.T, b, lower=True), sl.solve_triangular(T.T, b, lower=True),
                               rtol=1e-12)
    np.testing.assert_allclose(solve_triangular(T.T, b, lower=True, unit_diagonal=True),
                               sl.solve_triangular(T.T, b, lower=True, unit_diagonal=True), rtol=1e-12)


# ----------------------------------------------------------------------------- symmetric eigen and SVD
@FAST
@given(hs.integers(1, 12), hs.integers(0, 2**32 - 1))
def test_eigh_matches_numpy(n, seed):
    rng = np.random.default_rng(seed)
    B = rng.normal(size=(n, n))
    A = B + B.T
    w, V = eigh(A)
    wr, Vr = np.linalg.eigh(A)
    norm = np.abs(wr).max()
    # symmetric eigenvalues are perfectly conditioned (Weyl): absolute error ~ n ε ||A||
    np.testing.assert_allclose(w, wr, atol=10 * n * EPS * norm)
    np.testing.assert_allclose(V.T @ V, np.eye(n), atol=10 * n * EPS)
    np.testing.assert_allclose(A @ V, V * w, atol=10 * n * EPS * norm)
    # eigenvectors: error ~ ε ||A|| / gap, so compare them where the spectrum is separated
    gap = np.min(np.diff(wr)) if n > 1 else norm
    if gap > 1e-3 * norm:
        np.testing.assert_allclose(fix_signs(V), fix_signs(Vr), atol=10 * n * EPS * norm / gap)


def test_eigh_repeated_eigenvalues_and_diagonal_input():
    Qr, _ = np.linalg.qr(np.random.default_rng(2).normal(size=(6, 6)))
    A = Qr @ np.diag([1.0, 1.0, 1.0, 2.0, 2.0, -3.0]) @ Qr.T
    w, V = eigh(A)
    np.testing.assert_allclose(w, [-3, 1, 1, 1, 2, 2], atol=1e-14)
    np.testing.assert_allclose(A @ V, V * w, atol=1e-14)
    np.testing.assert_allclose(eigh(np.diag([3.0, -1.0, 2.0]))[0], [-1.0, 2.0, 3.0], rtol=0)


def test_tridiagonalize_preserves_spectrum():
    rng = np.random.default_rng(4)
    B = rng.normal(size=(7, 7))
    A = B + B.T
    T, Q = tridiagonalize(A)
    assert np.all(np.triu(T, 2) == 0) and np.all(np.tril(T, -2) == 0)
    np.testing.assert_allclose(Q @ T @ Q.T, A, atol=1e-13)
    np.testing.assert_allclose(np.linalg.eigvalsh(T), np.linalg.eigvalsh(A), atol=1e-13)


@FAST
@given(matrices(max_log_kappa=7), hs.booleans())
def test_svd_augmented_matches_numpy(A, wide):
    A = A.T if wide else A
    U, s, Vt = svd(A)
    Ur, sr, Vtr = np.linalg.svd(A, full_matrices=False)
    # absolute error ~ ε σ₁ on every singular value: relative κ ε on the smallest
    np.testing.assert_allclose(s, sr, atol=10 * max(A.shape) * EPS * sr[0])
    np.testing.assert_allclose((U * s) @ Vt, A, atol=10 * max(A.shape) * EPS * sr[0])
    gaps = np.abs(np.diff(sr)) / sr[0]
    if sr.size == 1 or gaps.min() > 1e-3:
        gap = 1.0 if sr.size == 1 else gaps.min()
        np.testing.assert_allclose(fix_signs(Vt.T), fix_signs(Vtr.T), atol=10 * max(A.shape) * EPS / gap * 2)


def test_svd_via_gram_loses_small_singular_values():
    A = hilbert_like(16, 8)  # kappa ~ 6.5e8, so kappa^2 ~ 4e17 > 1/eps
    sr = np.linalg.svd(A, compute_uv=False)
    rel_gram = abs(svd(A, method="gram")[1][-1] - sr[-1]) / sr[-1]
    rel_aug = abs(svd(A)[1][-1] - sr[-1]) / sr[-1]
    assert rel_aug < 10 * 16 * np.linalg.cond(A) * EPS  # ~κε: 1e-9 here
    assert rel_gram > 1e-2  # σ_min² ~ 4e-18 σ₁² is below the rounding of AᵀA: no correct digit


# ----------------------------------------------------------------------------- least squares and cond
@FAST
@given(matrices(max_log_kappa=5), hs.integers(0, 2**32 - 1))
def test_lstsq_methods_match_numpy(A, seed):
    rng = np.random.default_rng(seed)
    x_true = rng.normal(size=A.shape[1])
    b = A @ x_true + (rng.normal(size=A.shape[0]) * 1e-3 * np.abs(A).max() if A.shape[0] > A.shape[1] else 0)
    ref = np.linalg.lstsq(A, b, rcond=None)[0]
    scale = np.abs(ref).max()
    # forward error bound for least squares: κ ε + κ² ε ||r|| / (||A|| ||x||); we use the κ² part
    # only for the normal equations (which always pay κ²) and a residual-aware bound for QR/SVD
    r = np.linalg.norm(A @ ref - b) / (np.linalg.norm(A, 2) * np.linalg.norm(ref))
    kappa = np.linalg.cond(A)
    for method in ("qr", "svd"):
        bound = 10 * max(A.shape) * EPS * (kappa + kappa**2 * r) * scale
        np.testing.assert_allclose(lstsq(A, b, method=method), ref, atol=bound)
    if kappa < 1e6:
        np.testing.assert_allclose(lstsq(A, b, method="normal"), ref, atol=tol(A, power=2) * scale)


def test_lstsq_svd_gives_minimum_norm_solution_when_rank_deficient():
    A = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 2.0]])
    b = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(lstsq(A, b, method="svd"), np.linalg.lstsq(A, b, rcond=None)[0], atol=1e-14)
    np.testing.assert_allclose(pinv(A), np.linalg.pinv(A), atol=1e-14)
    with pytest.raises(LinAlgError, match="not positive definite"):
        lstsq(A, b, method="normal")


@FAST
@given(matrices(square=True, max_log_kappa=8))
def test_cond_matches_numpy(A):
    k2 = np.linalg.cond(A)
    np.testing.assert_allclose(cond(A), k2, rtol=10 * A.shape[0] * k2 * EPS)
    k1 = np.linalg.cond(A, 1)
    np.testing.assert_allclose(cond(A, p=1), k1, rtol=10 * A.shape[0] * k1 * EPS)
    assert norm1(A) == pytest.approx(np.linalg.norm(A, 1), rel=1e-15)


# ----------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: cholesky(np.ones((2, 3))), ValueError, r"A must be square; got shape \(2, 3\)"),
        (lambda: solve(np.ones((3, 2)), np.ones(3)), ValueError, "A must be square"),
        (lambda: eigh(np.ones((2, 3))), ValueError, "A must be square"),
        (lambda: cond(np.ones((2, 3)), p=1), ValueError, "A must be square"),
        (lambda: qr([[1.0, np.nan]]), ValueError, "A must be finite; got NaN or inf"),
        (lambda: lu([[1.0, np.inf], [0.0, 1.0]]), ValueError, "A must be finite"),
        (lambda: solve(np.eye(2), [1.0, np.nan]), ValueError, "b must be finite"),
        (lambda: solve(np.eye(2), [1.0, 2.0, 3.0]), ValueError, r"b must have shape \(2,\) or \(2, k\)"),
        (lambda: qr(np.ones(3)), ValueError, "A must be a non-empty 2-d array"),
        (lambda: qr([["a"]]), TypeError, "A must be numeric"),
        (lambda: qr(np.eye(2) * 1j), ValueError, "A must be real"),
        (lambda: qr(np.eye(2), mode="economic"), ValueError, "mode must be 'reduced' or 'complete'"),
        (lambda: lstsq(np.ones((2, 3)), np.ones(2)), ValueError, "needs at least as many rows as columns"),
        (lambda: lstsq(np.eye(2), np.ones(2), method="lu"), ValueError, "method must be one of"),
        (lambda: svd(np.eye(2), method="jacobi"), ValueError, "method must be 'augmented' or 'gram'"),
        (lambda: cond(np.eye(2), p=3), ValueError, "p must be None, 2 or 1"),
        (lambda: eigh([[1.0, 2.0], [0.0, 1.0]]), ValueError, "A must be symmetric"),
    ],
)
def test_validation(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_lstsq_qr_reports_rank_deficiency():
    with pytest.raises(LinAlgError, match="rank deficient"):
        lstsq(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]]), np.ones(3), method="qr")
