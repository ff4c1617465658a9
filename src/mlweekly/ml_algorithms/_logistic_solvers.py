"""Minimisers for a smooth convex loss with ``value``/``value_grad``/``hessian``/``gauge`` methods.

All three stop when ``max|∇f| <= tol`` and return the objective after every iteration
(``curve``), which the lesson plots.

* :func:`newton` — Newton/IRLS with a Cholesky solve and Armijo backtracking: quadratic convergence
  near the optimum, a handful of iterations on well-posed problems.
* :func:`gradient_descent` — batch gradient descent with a fixed learning rate.
* :func:`lbfgs` — SciPy's L-BFGS-B driven by our analytic loss and gradient (optimisation is not the
  subject of the logistic-regression lesson; it is the scalable choice for many classes/features).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.optimize

_EPS = np.finfo(np.float64).eps


@dataclass
class SolverResult:
    theta: np.ndarray
    n_iter: int
    curve: list[float]
    converged: bool


def _newton_step(H: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Solve ``H s = g``: Cholesky for the SPD Hessian, least squares if it is singular.

    ``H`` is singular only without a penalty (``C = inf``) and with collinear features; then the
    minimum-norm step is a fine descent direction.
    """
    try:
        return scipy.linalg.cho_solve(scipy.linalg.cho_factor(H, check_finite=False), g, check_finite=False)
    except np.linalg.LinAlgError:
        return scipy.linalg.lstsq(H, g, check_finite=False)[0]


def newton(loss, theta: np.ndarray, *, tol: float, max_iter: int) -> SolverResult:
    """Damped Newton: ``θ <- θ - t H⁻¹ ∇f`` with ``t`` halved until the Armijo condition holds."""
    f, g = loss.value_grad(theta)
    curve = [f]
    G = loss.gauge()
    for it in range(max_iter):
        if np.max(np.abs(g)) <= tol:
            return SolverResult(theta, it, curve, True)
        H = loss.hessian(theta)
        if G is not None:
            H += G
        step = _newton_step(H, g)
        slope = float(g @ step)  # > 0: the step is a descent direction
        t = 1.0
        while True:
            candidate = theta - t * step
            f_new, g_new = loss.value_grad(candidate)
            # Armijo; or, at the last digits of f, accept a step that shrinks the gradient.
            if f_new <= f - 1e-4 * t * slope or (
                f_new <= f + 8 * _EPS * abs(f) and np.max(np.abs(g_new)) < np.max(np.abs(g))
            ):
                break
            t *= 0.5
            if t < 1e-12:  # no progress is possible in float64
                return SolverResult(theta, it, curve, False)
        theta, f, g = candidate, f_new, g_new
        curve.append(f)
    return SolverResult(theta, max_iter, curve, bool(np.max(np.abs(g)) <= tol))


def gradient_descent(
    loss, theta: np.ndarray, *, learning_rate: float, tol: float, max_iter: int
) -> SolverResult:
    """Batch gradient descent ``θ <- θ - η ∇f(θ)`` with a fixed ``η``."""
    f, g = loss.value_grad(theta)
    curve = [f]
    for it in range(max_iter):
        if np.max(np.abs(g)) <= tol:
            return SolverResult(theta, it, curve, True)
        theta = theta - learning_rate * g
        f, g = loss.value_grad(theta)
        curve.append(f)
    return SolverResult(theta, max_iter, curve, bool(np.max(np.abs(g)) <= tol))


def lbfgs(loss, theta: np.ndarray, *, tol: float, max_iter: int) -> SolverResult:
    """SciPy's L-BFGS-B on our ``value_grad`` (same stopping options as scikit-learn's lbfgs)."""
    curve = [loss.value(theta)]

    def record(intermediate_result):
        curve.append(float(intermediate_result.fun))

    res = scipy.optimize.minimize(
        loss.value_grad,
        theta,
        jac=True,
        method="L-BFGS-B",
        callback=record,
        options={"maxiter": max_iter, "gtol": tol, "ftol": 64 * _EPS, "maxls": 50},
    )
    converged = bool(np.max(np.abs(res.jac)) <= tol) or res.success
    return SolverResult(res.x, int(res.nit), curve, converged)
