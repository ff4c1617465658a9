"""Unconstrained minimisation of ``f: Rⁿ -> R`` from scratch: first-order and (quasi-)Newton methods.

Every function takes ``fun`` (value), ``x0`` and ``jac`` (gradient) — ``hess`` for Newton — like
``scipy.optimize.minimize``, stops when ``max|∇f(x)| ≤ tol`` (SciPy's ``gtol`` in the ∞-norm) and
returns an :class:`OptimizeResult` that also keeps the iterates, for figures.

* :func:`gradient_descent` — ``x ← x - η ∇f(x)``.
* :func:`momentum` — heavy ball (Polyak) or Nesterov's look-ahead gradient.
* :func:`adam` — Kingma & Ba's bias-corrected moment estimates.
* :func:`newton` — ``H p = -∇f`` with a Cholesky factorisation (a multiple of the identity added when
  ``H`` is not positive definite) and a backtracking (Armijo) line search.
* :func:`bfgs`, :func:`lbfgs` — quasi-Newton methods with a strong-Wolfe line search.
"""

from __future__ import annotations

import numbers
from collections import deque
from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import LinAlgError, cho_factor, cho_solve

from mlweekly.mathematical_foundations.line_search import wolfe_line_search

__all__ = ["OptimizeResult", "gradient_descent", "momentum", "adam", "newton", "bfgs", "lbfgs"]


@dataclass
class OptimizeResult:
    """What a minimiser found (field names as ``scipy.optimize.OptimizeResult``).

    Attributes
    ----------
    x : ndarray of shape (n,)
        The last iterate.
    fun : float
        ``f(x)``.
    jac : ndarray of shape (n,)
        ``∇f(x)``.
    nit : int
        Iterations (steps taken).
    nfev, njev, nhev : int
        Evaluations of ``fun``, ``jac`` and ``hess``.
    success : bool
        Whether ``max|∇f(x)| ≤ tol`` was reached.
    message : str
        Why it stopped.
    path : ndarray of shape (nit + 1, n)
        Every iterate, ``x0`` first.
    fun_path : ndarray of shape (nit + 1,)
        ``f`` at every iterate.
    """

    x: np.ndarray
    fun: float
    jac: np.ndarray
    nit: int
    nfev: int
    njev: int
    nhev: int
    success: bool
    message: str
    path: np.ndarray = field(repr=False)
    fun_path: np.ndarray = field(repr=False)


class _Problem:
    """``fun``/``jac``/``hess`` with evaluation counters, shape checks and the iterate history."""

    def __init__(self, fun, x0, jac, hess=None):
        for name, f in (("fun", fun), ("jac", jac)) + ((("hess", hess),) if hess is not None else ()):
            if not callable(f):
                raise TypeError(f"{name} must be callable, got {type(f).__name__}")
        x0 = np.asarray(x0)
        if x0.dtype.kind not in "biuf":
            raise TypeError(f"x0 must be a real numeric array, got dtype {x0.dtype}")
        if x0.ndim != 1 or x0.size == 0:
            raise ValueError(f"x0 must be a non-empty 1-D array, got shape {x0.shape}")
        self.x0 = x0.astype(np.float64)
        if not np.all(np.isfinite(self.x0)):
            raise ValueError("x0 contains NaN or inf")
        self.fun, self.jac, self.hess = fun, jac, hess
        self.nfev = self.njev = self.nhev = 0
        self.path, self.fun_path = [], []
        self.f0, self.g0 = self.f(self.x0), self.g(self.x0)
        if not np.isfinite(self.f0):
            raise ValueError(f"fun(x0) is not finite ({self.f0})")
        if not np.all(np.isfinite(self.g0)):
            raise ValueError("jac(x0) contains NaN or inf")

    def f(self, x):
        self.nfev += 1
        value = np.asarray(self.fun(x), dtype=np.float64)
        if value.size != 1:
            raise ValueError(f"fun must return a scalar, got an array of shape {value.shape}")
        return float(value.reshape(()))

    def g(self, x):
        self.njev += 1
        grad = np.asarray(self.jac(x), dtype=np.float64)
        if grad.shape != x.shape:
            raise ValueError(f"jac must return an array of shape {x.shape}, got {grad.shape}")
        return grad

    def h(self, x):
        self.nhev += 1
        H = np.asarray(self.hess(x), dtype=np.float64)
        if H.shape != (x.size, x.size):
            raise ValueError(f"hess must return an array of shape {(x.size, x.size)}, got {H.shape}")
        return H

    def record(self, x, fx):
        self.path.append(np.array(x, copy=True))
        self.fun_path.append(fx)

    def result(self, x, fx, gx, success, message):
        return OptimizeResult(
            x=x, fun=fx, jac=gx, nit=len(self.path) - 1, nfev=self.nfev, njev=self.njev,
            nhev=self.nhev, success=success, message=message,
            path=np.array(self.path), fun_path=np.array(self.fun_path),
        )


def _check_range(name, value, low, high=np.inf, *, low_open=True):
    """Raise unless ``value`` is a real number in ``(low, high)`` (``[low, high)`` if not ``low_open``)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)
    if not (ok and (value > low if low_open else value >= low) and value < high):
        interval = f"{'(' if low_open else '['}{low:g}, {high:g})"
        raise ValueError(f"{name} must be a finite number in {interval}, got {value!r}")


def _check_common(max_iter, tol):
    if isinstance(max_iter, bool) or not isinstance(max_iter, numbers.Integral) or max_iter < 0:
        raise ValueError(f"max_iter must be a non-negative integer, got {max_iter!r}")
    _check_range("tol", tol, 0.0, low_open=False)


def _converged(g, tol):
    return float(np.max(np.abs(g))) <= tol


_GTOL = "max|∇f| ≤ tol"


def _run_first_order(problem, step, max_iter, tol):
    """The loop shared by GD, momentum and Adam: ``x ← step(x, ∇f(x), k)`` until converged or diverged."""
    x, fx, gx = problem.x0, problem.f0, problem.g0
    problem.record(x, fx)
    for k in range(max_iter):
        if _converged(gx, tol):
            return problem.result(x, fx, gx, True, _GTOL)
        x = step(x, gx, k)
        fx, gx = problem.f(x), problem.g(x)
        problem.record(x, fx)
        if not (np.isfinite(fx) and np.all(np.isfinite(gx))):
            return problem.result(x, fx, gx, False, f"diverged at iteration {k + 1}: f or ∇f is not finite "
                                  "(learning rate too large?)")
    ok = _converged(gx, tol)
    return problem.result(x, fx, gx, ok, _GTOL if ok else "maximum number of iterations reached")


def gradient_descent(fun, x0, jac, lr=1e-3, max_iter=1000, tol=1e-6):
    """Minimise ``fun`` by gradient descent with a constant step, ``x ← x - lr ∇f(x)``.

    On an ``L``-smooth function (``∇f`` is ``L``-Lipschitz) any ``lr < 2/L`` decreases ``f``;
    ``lr = 1/L`` is the safe textbook choice.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``.
    x0 : array-like of shape (n,)
        Starting point.
    jac : callable
        ``jac(x) -> ndarray of shape (n,)``, the gradient.
    lr : float, default=1e-3
        Step size (learning rate) ``η > 0``.
    max_iter : int, default=1000
        Maximum number of steps.
    tol : float, default=1e-6
        Stop when ``max|∇f(x)| ≤ tol``.

    Returns
    -------
    OptimizeResult

    Examples
    --------
    >>> import numpy as np
    >>> res = gradient_descent(lambda x: float(x @ x), np.array([3.0, -4.0]), lambda x: 2 * x, lr=0.5)
    >>> res.success, res.nit, res.x
    (True, 1, array([0., 0.]))
    """
    _check_range("lr", lr, 0.0)
    _check_common(max_iter, tol)
    problem = _Problem(fun, x0, jac)
    return _run_first_order(problem, lambda x, g, k: x - lr * g, max_iter, tol)


def momentum(fun, x0, jac, lr=1e-3, beta=0.9, nesterov=False, max_iter=1000, tol=1e-6):
    """Minimise ``fun`` by gradient descent with momentum (heavy ball or Nesterov).

    Heavy ball (Polyak 1964): ``v ← β v - η ∇f(x)``, ``x ← x + v``.
    Nesterov (1983, in the form of Sutskever et al. 2013): the gradient is taken at the look-ahead
    point, ``v ← β v - η ∇f(x + β v)``, ``x ← x + v``.

    Parameters
    ----------
    fun, x0, jac
        As in :func:`gradient_descent`.
    lr : float, default=1e-3
        Step size ``η > 0``.
    beta : float, default=0.9
        Momentum coefficient, ``0 ≤ β < 1`` (``β = 0`` is plain gradient descent).
    nesterov : bool, default=False
        Use Nesterov's look-ahead gradient (one extra gradient evaluation per step).
    max_iter, tol
        As in :func:`gradient_descent`.

    Returns
    -------
    OptimizeResult

    Examples
    --------
    >>> import numpy as np
    >>> f, g = lambda x: float(x @ x), lambda x: 2 * x
    >>> res = momentum(f, np.array([3.0, -4.0]), g, lr=0.1, beta=0.5, tol=1e-10)
    >>> res.success, np.allclose(res.x, 0.0, atol=1e-10)
    (True, True)
    """
    _check_range("lr", lr, 0.0)
    _check_range("beta", beta, 0.0, 1.0, low_open=False)
    _check_common(max_iter, tol)
    problem = _Problem(fun, x0, jac)
    v = np.zeros_like(problem.x0)

    def step(x, g, k):
        nonlocal v
        if nesterov:
            g = problem.g(x + beta * v)
        v = beta * v - lr * g
        return x + v

    return _run_first_order(problem, step, max_iter, tol)


def adam(fun, x0, jac, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, max_iter=1000, tol=1e-6):
    """Minimise ``fun`` with Adam (Kingma & Ba, 2015).

    ``m ← β₁ m + (1-β₁) g``, ``v ← β₂ v + (1-β₂) g²``, ``m̂ = m/(1-β₁ᵗ)``, ``v̂ = v/(1-β₂ᵗ)``,
    ``x ← x - η m̂ / (√v̂ + ε)``: every coordinate moves by about ``η`` per step, whatever the scale of
    its gradient.

    Parameters
    ----------
    fun, x0, jac
        As in :func:`gradient_descent`.
    lr : float, default=1e-3
        Step size ``η > 0``.
    beta1, beta2 : float, default=0.9, 0.999
        Decay rates of the first and second moment estimates, in ``[0, 1)``.
    eps : float, default=1e-8
        Added to ``√v̂`` to avoid dividing by zero.
    max_iter, tol
        As in :func:`gradient_descent`.

    Returns
    -------
    OptimizeResult

    Examples
    --------
    >>> import numpy as np
    >>> res = adam(lambda x: float(x @ x), np.array([3.0, -4.0]), lambda x: 2 * x, lr=0.1, max_iter=3000)
    >>> bool(np.abs(res.x).max() < 1e-3)
    True
    """
    _check_range("lr", lr, 0.0)
    _check_range("beta1", beta1, 0.0, 1.0, low_open=False)
    _check_range("beta2", beta2, 0.0, 1.0, low_open=False)
    _check_range("eps", eps, 0.0, low_open=False)
    _check_common(max_iter, tol)
    problem = _Problem(fun, x0, jac)
    m = np.zeros_like(problem.x0)
    v = np.zeros_like(problem.x0)

    def step(x, g, k):
        nonlocal m, v
        t = k + 1
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        return x - lr * m_hat / (np.sqrt(v_hat) + eps)

    return _run_first_order(problem, step, max_iter, tol)


def _newton_direction(H, g):
    """Solve ``(H + τI) p = -g`` with the smallest ``τ ∈ {0, β, 2β, 4β, …}`` making it positive definite.

    Nocedal & Wright Alg. 3.3 ("Cholesky with added multiple of the identity"): far from a minimum
    the Hessian may be indefinite, and then the pure Newton step need not point downhill.
    """
    beta = 1e-3 * max(1.0, float(np.max(np.abs(np.diag(H)))))
    tau = 0.0 if np.min(np.diag(H)) > 0 else beta
    I = np.eye(H.shape[0])  # noqa: E741
    for _ in range(100):
        try:
            return -cho_solve(cho_factor(H + tau * I), g), tau
        except LinAlgError:
            tau = max(2.0 * tau, beta)
    raise np.linalg.LinAlgError("could not make the Hessian positive definite (is it finite?)")


def newton(fun, x0, jac, hess, max_iter=100, tol=1e-8, c1=1e-4):
    """Minimise ``fun`` by Newton's method with Hessian modification and a backtracking line search.

    Each step solves ``(∇²f(x) + τI) p = -∇f(x)`` (``τ = 0`` when the Hessian is positive definite),
    then halves ``α`` from 1 until ``f(x + αp) ≤ f(x) + c1 α ∇f(x)ᵀp`` (Armijo). Near a minimum with
    a positive definite Hessian the full step is accepted and convergence is quadratic.

    Parameters
    ----------
    fun, x0, jac
        As in :func:`gradient_descent`.
    hess : callable
        ``hess(x) -> ndarray of shape (n, n)``, the Hessian.
    max_iter : int, default=100
        Maximum number of Newton steps.
    tol : float, default=1e-8
        Stop when ``max|∇f(x)| ≤ tol``.
    c1 : float, default=1e-4
        Sufficient-decrease constant of the backtracking line search, in ``(0, 1)``.

    Returns
    -------
    OptimizeResult

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3.0, 1.0], [1.0, 2.0]])
    >>> res = newton(lambda x: 0.5 * x @ A @ x, np.array([1.0, 1.0]), lambda x: A @ x, lambda x: A)
    >>> res.nit, np.allclose(res.x, 0.0)
    (1, True)
    """
    _check_common(max_iter, tol)
    _check_range("c1", c1, 0.0, 1.0)
    problem = _Problem(fun, x0, jac, hess)
    x, fx, gx = problem.x0, problem.f0, problem.g0
    problem.record(x, fx)
    for _ in range(max_iter):
        if _converged(gx, tol):
            return problem.result(x, fx, gx, True, _GTOL)
        p, _ = _newton_direction(problem.h(x), gx)
        slope = float(gx @ p)
        alpha = 1.0
        for _ in range(60):
            f_new = problem.f(x + alpha * p)
            if np.isfinite(f_new) and f_new <= fx + c1 * alpha * slope:
                break
            alpha *= 0.5
        else:
            msg = "backtracking found no decrease (rounding errors near the optimum?)"
            return problem.result(x, fx, gx, False, msg)
        x = x + alpha * p
        fx, gx = f_new, problem.g(x)
        problem.record(x, fx)
    ok = _converged(gx, tol)
    return problem.result(x, fx, gx, ok, _GTOL if ok else "maximum number of iterations reached")


def _quasi_newton(problem, direction, update, max_iter, tol, c1, c2):
    """The loop shared by BFGS and L-BFGS: direction, strong-Wolfe step, curvature-pair update."""
    x, fx, gx = problem.x0, problem.f0, problem.g0
    problem.record(x, fx)
    for k in range(max_iter):
        if _converged(gx, tol):
            return problem.result(x, fx, gx, True, _GTOL)
        p = direction(gx, k)
        # first step: no curvature information yet, so try a step of unit length instead of α = 1
        alpha0 = min(1.0, 1.0 / float(np.linalg.norm(gx))) if k == 0 else 1.0
        ls = wolfe_line_search(problem.fun, problem.jac, x, p, f0=fx, g0=gx, c1=c1, c2=c2, alpha_init=alpha0)
        problem.nfev += ls.nfev
        problem.njev += ls.njev
        if not ls.success:
            return problem.result(x, fx, gx, False, f"line search failed: {ls.message}")
        s = ls.alpha * p
        y = ls.jac - gx
        x, fx, gx = x + s, ls.fun, ls.jac
        problem.record(x, fx)
        if not np.all(np.isfinite(gx)):
            return problem.result(x, fx, gx, False, "∇f is not finite")
        update(s, y, k)
    ok = _converged(gx, tol)
    return problem.result(x, fx, gx, ok, _GTOL if ok else "maximum number of iterations reached")


def bfgs(fun, x0, jac, max_iter=1000, tol=1e-6, c1=1e-4, c2=0.9):
    """Minimise ``fun`` with BFGS: a rank-two update of an inverse-Hessian approximation ``H``.

    With ``s = x_{k+1} - x_k``, ``y = ∇f_{k+1} - ∇f_k`` and ``ρ = 1/(yᵀs)``, the update
    ``H ← (I - ρ s yᵀ) H (I - ρ y sᵀ) + ρ s sᵀ`` is the matrix closest to ``H`` that satisfies the
    secant condition ``H y = s`` (Nocedal & Wright §6.1). The strong Wolfe line search guarantees
    ``yᵀs > 0``, which keeps ``H`` positive definite. ``H₀ = I`` as in SciPy: the popular rescaling
    ``H₀ = (yᵀs / yᵀy) I`` after the first step (N&W eq. 6.20) starts ``H`` too *small* along
    low-curvature directions, the error BFGS is slowest to correct (5× more iterations on the
    lesson's ill-conditioned quadratic).

    Parameters
    ----------
    fun, x0, jac
        As in :func:`gradient_descent`.
    max_iter : int, default=1000
        Maximum number of iterations.
    tol : float, default=1e-6
        Stop when ``max|∇f(x)| ≤ tol`` (SciPy's ``gtol``).
    c1, c2 : float, default=1e-4, 0.9
        Strong Wolfe constants, see :func:`~mlweekly.mathematical_foundations.line_search.wolfe_line_search`.

    Returns
    -------
    OptimizeResult

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3.0, 1.0], [1.0, 2.0]])
    >>> res = bfgs(lambda x: 0.5 * x @ A @ x, np.array([1.0, 1.0]), lambda x: A @ x, tol=1e-12)
    >>> res.success, np.allclose(res.x, 0.0, atol=1e-12)
    (True, True)
    """
    _check_common(max_iter, tol)
    problem = _Problem(fun, x0, jac)
    H = np.eye(problem.x0.size)

    def update(s, y, k):
        nonlocal H
        sy = float(s @ y)
        if not sy > 0:  # cannot happen after a strong Wolfe step in exact arithmetic; skip, don't break H
            return
        Hy = H @ y
        H = H + ((sy + float(y @ Hy)) / sy**2) * np.outer(s, s) - (np.outer(Hy, s) + np.outer(s, Hy)) / sy

    return _quasi_newton(problem, lambda g, k: -H @ g, update, max_iter, tol, c1, c2)


def lbfgs(fun, x0, jac, m=10, max_iter=1000, tol=1e-6, c1=1e-4, c2=0.9):
    """Minimise ``fun`` with limited-memory BFGS (Nocedal 1980; Liu & Nocedal 1989).

    Instead of the ``n × n`` matrix ``H`` it keeps the last ``m`` pairs ``(s, y)`` and applies the BFGS
    inverse Hessian to the gradient with the *two-loop recursion* (N&W Alg. 7.4), starting from
    ``H₀ = γ I``, ``γ = sᵀy / yᵀy`` of the newest pair: ``O(m n)`` memory and time per step.

    Parameters
    ----------
    fun, x0, jac
        As in :func:`gradient_descent`.
    m : int, default=10
        Number of curvature pairs kept.
    max_iter, tol, c1, c2
        As in :func:`bfgs`.

    Returns
    -------
    OptimizeResult

    Examples
    --------
    >>> import numpy as np
    >>> A = np.diag([1.0, 10.0, 100.0])
    >>> res = lbfgs(lambda x: 0.5 * x @ A @ x, np.ones(3), lambda x: A @ x, m=5, tol=1e-10)
    >>> res.success
    True
    """
    if isinstance(m, bool) or not isinstance(m, numbers.Integral) or m < 1:
        raise ValueError(f"m must be a positive integer, got {m!r}")
    _check_common(max_iter, tol)
    problem = _Problem(fun, x0, jac)
    pairs = deque(maxlen=m)  # (s, y, ρ), oldest first

    def direction(g, k):
        q = g.copy()
        alphas = []
        for s, y, rho in reversed(pairs):  # newest to oldest
            a = rho * float(s @ q)
            q -= a * y
            alphas.append(a)
        if pairs:
            s, y, _ = pairs[-1]
            q *= float(s @ y) / float(y @ y)
        for (s, y, rho), a in zip(pairs, reversed(alphas), strict=True):  # oldest to newest
            b = rho * float(y @ q)
            q += (a - b) * s
        return -q

    def update(s, y, k):
        sy = float(s @ y)
        if sy > 0:
            pairs.append((s, y, 1.0 / sy))

    return _quasi_newton(problem, direction, update, max_iter, tol, c1, c2)
