"""F3 optimisers: convergence, rates, parity with scipy.optimize, the strong Wolfe line search, errors."""

import numpy as np
import pytest
import scipy.optimize as so
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import StandardScaler

from mlweekly import datasets
from mlweekly.mathematical_foundations import line_search, optimisers
from mlweekly.mathematical_foundations.optimisers import adam, bfgs, gradient_descent, lbfgs, momentum, newton

ROSEN = (so.rosen, np.array([-1.2, 1.0]), so.rosen_der)


def quadratic(eigs, seed=0):
    """``f(x) = ½ (x - x*)ᵀ A (x - x*)`` with the given spectrum: f* = 0 at a known x*."""
    rng = np.random.default_rng(seed)
    n = len(eigs)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = Q @ np.diag(eigs) @ Q.T
    xs = rng.standard_normal(n)
    return (lambda x: 0.5 * (x - xs) @ A @ (x - xs)), (lambda x: A @ (x - xs)), (lambda x: A), xs


@pytest.fixture(scope="module")
def logistic():
    X, y = datasets.load_xy("breast_cancer")
    X = np.hstack([StandardScaler().fit_transform(X), np.ones((len(y), 1))])
    lam = 1.0 / len(y)

    def f(t):
        z = X @ t
        return float(np.mean(np.logaddexp(0, z) - y * z) + 0.5 * lam * t[:-1] @ t[:-1])

    def g(t):
        p = 1 / (1 + np.exp(-(X @ t)))
        return X.T @ (p - y) / len(y) + lam * np.append(t[:-1], 0.0)

    def h(t):
        p = 1 / (1 + np.exp(-(X @ t)))
        H = X.T @ (X * (p * (1 - p))[:, None]) / len(y)
        return H + lam * np.diag(np.append(np.ones(X.shape[1] - 1), 0.0))

    return f, np.zeros(X.shape[1]), g, h


@pytest.mark.parametrize("method", [bfgs, lbfgs, "newton"])
def test_rosenbrock_minimum(method):
    f, x0, g = ROSEN
    res = newton(f, x0, g, so.rosen_hess, tol=1e-10) if method == "newton" else method(f, x0, g, tol=1e-10)
    assert res.success, res.message
    assert np.abs(res.jac).max() <= 1e-10
    # λ_min(∇²f(1, 1)) ≈ 0.4, so |x - x*| ≲ |∇f| / 0.4 ≈ 3e-10
    np.testing.assert_allclose(res.x, [1.0, 1.0], rtol=0, atol=1e-9)


@pytest.mark.parametrize(("ours", "method"), [(bfgs, "BFGS"), (lbfgs, "L-BFGS-B")])
def test_logistic_minimum_matches_scipy(logistic, ours, method):
    f, x0, g, h = logistic
    exact = newton(f, x0, g, h, tol=1e-12)
    assert exact.success and exact.nit < 15  # quadratic convergence: a handful of steps
    res = ours(f, x0, g, tol=1e-9, max_iter=2000)
    tight = dict(ftol=0.0) if method == "L-BFGS-B" else {}  # else L-BFGS-B stops on ftol=2.2e-9 first
    ref = so.minimize(f, x0, jac=g, method=method, options=dict(gtol=1e-9, maxiter=2000, **tight))
    assert res.success, res.message
    # μ = λ_min(H*) ≈ 1.7e-3, ‖∇f‖₂ ≤ √31·1e-9: both within ~3e-6 of the optimum
    mu = np.linalg.eigvalsh(h(exact.x))[0]
    bound = np.sqrt(31) * 1e-9 / mu
    assert np.abs(res.x - exact.x).max() <= bound
    assert np.abs(ref.x - exact.x).max() <= bound


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 12), cond=st.floats(1.0, 1e4))
def test_quasi_newton_and_newton_solve_random_quadratics(seed, n, cond):
    f, g, h, xs = quadratic(np.geomspace(1.0, cond, n), seed)
    x0 = np.zeros(n)
    for res in (bfgs(f, x0, g, tol=1e-10), lbfgs(f, x0, g, m=5, tol=1e-10), newton(f, x0, g, h, tol=1e-10)):
        assert res.success, res.message
        np.testing.assert_allclose(res.x, xs, rtol=0, atol=1e-10)  # |x - x*| ≤ |∇f| / μ, μ = 1


def test_newton_takes_one_step_on_a_quadratic():
    f, g, h, xs = quadratic([1.0, 10.0, 1000.0])
    res = newton(f, np.zeros(3), g, h, tol=1e-9)
    assert res.nit == 1 and res.nhev == 1
    np.testing.assert_allclose(res.x, xs, rtol=0, atol=1e-12)


def test_newton_handles_an_indefinite_hessian():
    # f = x⁴/4 - x²/2 + y²: the Hessian at the saddle-ish start (0.1, 1) is indefinite in x
    f = lambda v: v[0] ** 4 / 4 - v[0] ** 2 / 2 + v[1] ** 2  # noqa: E731
    g = lambda v: np.array([v[0] ** 3 - v[0], 2 * v[1]])  # noqa: E731
    h = lambda v: np.diag([3 * v[0] ** 2 - 1, 2.0])  # noqa: E731
    res = newton(f, np.array([0.1, 1.0]), g, h, tol=1e-12)
    assert res.success
    np.testing.assert_allclose(res.x, [1.0, 0.0], rtol=0, atol=1e-12)  # a minimum, not the saddle at 0
    assert np.all(np.diff(res.fun_path) < 0)


def test_gradient_descent_obeys_the_linear_rate():
    # strongly convex quadratic, η = 1/L: f(x_k) - f* ≤ (1 - μ/L)^(2k) (f(x_0) - f*)
    eigs = np.array([1.0, 3.0, 10.0])
    f, g, _, xs = quadratic(eigs)
    res = gradient_descent(f, np.zeros(3), g, lr=1 / eigs.max(), max_iter=200, tol=0.0)
    k = np.arange(res.nit + 1)
    assert np.all(res.fun_path <= (1 - eigs.min() / eigs.max()) ** (2 * k) * res.fun_path[0] * (1 + 1e-12))
    assert np.all(np.diff(res.fun_path) <= 0)


def test_gradient_descent_diverges_with_too_large_a_step():
    f, g, _, _ = quadratic([1.0, 10.0])
    with np.errstate(over="ignore", invalid="ignore"):
        res = gradient_descent(f, np.zeros(2), g, lr=0.25, max_iter=5000)  # 2/L = 0.2
    assert not res.success
    assert "diverged" in res.message
    assert res.nit < 5000


def test_momentum_beats_gradient_descent_on_an_ill_conditioned_quadratic():
    eigs = np.array([1.0, 100.0])
    f, g, _, xs = quadratic(eigs)
    x0 = np.zeros(2)
    gd = gradient_descent(f, x0, g, lr=1 / 100, max_iter=5000, tol=1e-8)
    # Polyak's optimal heavy-ball parameters for μ = 1, L = 100
    lr, beta = 4 / (10 + 1) ** 2, ((10 - 1) / (10 + 1)) ** 2
    hb = momentum(f, x0, g, lr=lr, beta=beta, max_iter=5000, tol=1e-8)
    nest = momentum(f, x0, g, lr=1 / 100, beta=(10 - 1) / (10 + 1), nesterov=True, max_iter=5000, tol=1e-8)
    assert gd.success and hb.success and nest.success
    assert hb.nit < gd.nit / 5 and nest.nit < gd.nit / 3
    np.testing.assert_allclose(hb.x, xs, rtol=0, atol=1e-8)
    assert nest.njev == 2 * nest.nit + 1  # one look-ahead gradient per step beside the stopping test


def test_adam_reaches_the_minimum():
    f, g, _, xs = quadratic([1.0, 1000.0])
    res = adam(f, np.zeros(2), g, lr=0.01, max_iter=20_000, tol=1e-6)
    assert res.success
    np.testing.assert_allclose(res.x, xs, rtol=0, atol=1e-5)


def test_result_fields_and_evaluation_counts():
    calls = {"f": 0, "g": 0}

    def f(x):
        calls["f"] += 1
        return so.rosen(x)

    def g(x):
        calls["g"] += 1
        return so.rosen_der(x)

    res = bfgs(f, np.array([-1.2, 1.0]), g, tol=1e-8)
    assert (res.nfev, res.njev) == (calls["f"], calls["g"])
    assert res.path.shape == (res.nit + 1, 2) and res.fun_path.shape == (res.nit + 1,)
    np.testing.assert_array_equal(res.path[0], [-1.2, 1.0])
    np.testing.assert_allclose(res.fun_path, [so.rosen(x) for x in res.path], rtol=1e-15, atol=0)
    assert res.fun == res.fun_path[-1] and np.array_equal(res.x, res.path[-1])


def test_max_iter_reached_is_reported():
    f, x0, g = ROSEN
    res = lbfgs(f, x0, g, max_iter=3)
    assert not res.success and res.nit == 3 and "maximum number of iterations" in res.message


# ---------------------------------------------------------------- line search


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), c2=st.sampled_from([0.1, 0.5, 0.9]), alpha_init=st.floats(1e-3, 1e3))
def test_wolfe_step_satisfies_the_strong_wolfe_conditions(seed, c2, alpha_init):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=2) * 2
    p = -so.rosen_der(x) + 0.1 * rng.normal(size=2)
    if so.rosen_der(x) @ p >= 0:
        p = -so.rosen_der(x)
    c1 = 1e-4
    res = line_search.wolfe_line_search(so.rosen, so.rosen_der, x, p, c1=c1, c2=c2, alpha_init=alpha_init)
    assert res.success, res.message
    f0, d0 = so.rosen(x), so.rosen_der(x) @ p
    assert res.fun <= f0 + c1 * res.alpha * d0
    assert abs(so.rosen_der(x + res.alpha * p) @ p) <= c2 * abs(d0)
    assert res.fun == so.rosen(x + res.alpha * p)


def test_wolfe_rejects_an_ascent_direction():
    with pytest.raises(ValueError, match="not a descent direction"):
        x = np.array([-1.2, 1.0])
        line_search.wolfe_line_search(so.rosen, so.rosen_der, x, so.rosen_der(x))
    with pytest.raises(ValueError, match="0 < c1 < c2 < 1"):
        line_search.wolfe_line_search(so.rosen, so.rosen_der, np.zeros(2), np.ones(2), c1=0.5, c2=0.1)


def test_wolfe_reports_unbounded_below():
    f, g = (lambda x: -float(x[0])), (lambda x: np.array([-1.0]))
    res = line_search.wolfe_line_search(f, g, np.zeros(1), np.ones(1))
    assert not res.success and "unbounded" in res.message


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: bfgs(so.rosen, np.zeros((2, 2)), so.rosen_der), ValueError, r"1-D array, got shape \(2, 2"),
        (lambda: bfgs(so.rosen, np.array([np.nan, 1.0]), so.rosen_der), ValueError, "NaN or inf"),
        (lambda: bfgs(so.rosen, np.array(["a", "b"]), so.rosen_der), TypeError, "real numeric"),
        (lambda: bfgs(lambda x: np.inf, np.zeros(2), so.rosen_der), ValueError, r"fun\(x0\) is not finite"),
        (lambda: bfgs(so.rosen, np.zeros(2), lambda x: np.full(2, np.nan)), ValueError, r"jac\(x0\)"),
        (lambda: bfgs(so.rosen, np.zeros(2), lambda x: np.zeros(3)), ValueError, r"\(2,\), got \(3,\)"),
        (lambda: bfgs(lambda x: x, np.zeros(2), so.rosen_der), ValueError, "fun must return a scalar"),
        (lambda: bfgs(so.rosen, np.zeros(2), "grad"), TypeError, "jac must be callable"),
        (lambda: newton(so.rosen, np.zeros(2), so.rosen_der, lambda x: np.eye(3)), ValueError, r"hess must"),
        (lambda: gradient_descent(so.rosen, np.zeros(2), so.rosen_der, lr=0.0), ValueError, "lr"),
        (lambda: gradient_descent(so.rosen, np.zeros(2), so.rosen_der, lr=np.inf), ValueError, "lr"),
        (lambda: momentum(so.rosen, np.zeros(2), so.rosen_der, beta=1.0), ValueError, "beta"),
        (lambda: adam(so.rosen, np.zeros(2), so.rosen_der, beta2=-0.1), ValueError, "beta2"),
        (lambda: adam(so.rosen, np.zeros(2), so.rosen_der, max_iter=-1), ValueError, "max_iter"),
        (lambda: bfgs(so.rosen, np.zeros(2), so.rosen_der, tol=-1.0), ValueError, "tol"),
        (lambda: lbfgs(so.rosen, np.zeros(2), so.rosen_der, m=0), ValueError, "m must be a positive integer"),
    ],
)
def test_bad_input_gives_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_public_names_are_exported():
    from mlweekly import mathematical_foundations as mf

    for name in ("gradient_descent", "momentum", "adam", "newton", "bfgs", "lbfgs", "OptimizeResult"):
        assert getattr(mf, name) is getattr(optimisers, name)
    assert mf.wolfe_line_search is line_search.wolfe_line_search
