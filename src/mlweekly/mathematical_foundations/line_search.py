"""A line search for the strong Wolfe conditions (Nocedal & Wright, *Numerical Optimization*, Alg. 3.5/3.6).

Along a descent direction ``p`` from ``x`` we look at ``φ(α) = f(x + α p)`` and want a step ``α`` with

* sufficient decrease (Armijo):  ``φ(α) ≤ φ(0) + c1 α φ'(0)``;
* curvature (strong form):        ``|φ'(α)| ≤ c2 |φ'(0)|``,

``0 < c1 < c2 < 1``. The first keeps steps from being too long, the second from being too short, and
together they guarantee ``yᵀs > 0`` for ``s = α p``, ``y = ∇f(x + s) - ∇f(x)`` — exactly what BFGS
needs to keep its inverse-Hessian approximation positive definite.

Algorithm 3.5 grows ``α`` until an interval is known to contain acceptable steps (the bracketing
phase); Algorithm 3.6 (``zoom``) shrinks that interval with safeguarded cubic interpolation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LineSearchResult", "wolfe_line_search"]


@dataclass
class LineSearchResult:
    """Outcome of :func:`wolfe_line_search`.

    Attributes
    ----------
    alpha : float
        The step length (the last one tried when ``success`` is False).
    fun : float
        ``f(x + alpha p)``.
    jac : ndarray
        ``∇f(x + alpha p)``.
    nfev, njev : int
        Evaluations of ``fun`` and ``jac`` made by the search.
    success : bool
        Whether ``alpha`` satisfies both strong Wolfe conditions.
    message : str
        What happened.
    """

    alpha: float
    fun: float
    jac: np.ndarray
    nfev: int
    njev: int
    success: bool
    message: str


def _cubic_min(a, fa, da, b, fb, db):
    """Minimiser of the cubic matching ``φ``, ``φ'`` at ``a`` and ``b`` (N&W eq. 3.59); None if undefined."""
    if a == b:
        return None
    with np.errstate(all="ignore"):
        d1 = da + db - 3.0 * (fa - fb) / (a - b)
        disc = d1 * d1 - da * db
        if not np.isfinite(disc) or disc < 0:
            return None
        d2 = np.sign(b - a) * np.sqrt(disc)
        denom = db - da + 2.0 * d2
        if denom == 0:
            return None
        t = b - (b - a) * (db + d2 - d1) / denom
    return float(t) if np.isfinite(t) else None


def wolfe_line_search(
    fun,
    jac,
    x,
    p,
    *,
    f0=None,
    g0=None,
    c1=1e-4,
    c2=0.9,
    alpha_init=1.0,
    alpha_max=1e10,
    max_iter=50,
):
    """Find a step length satisfying the strong Wolfe conditions.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``.
    jac : callable
        ``jac(x) -> ndarray`` of ``x``'s shape.
    x : ndarray of shape (n,)
        Start point.
    p : ndarray of shape (n,)
        Search direction; must be a descent direction (``∇f(x)ᵀp < 0``).
    f0 : float, optional
        ``fun(x)`` if already known (saves an evaluation).
    g0 : ndarray, optional
        ``jac(x)`` if already known.
    c1, c2 : float, default=1e-4, 0.9
        Sufficient-decrease and curvature constants, ``0 < c1 < c2 < 1`` (0.9 for quasi-Newton,
        0.1 is usual for nonlinear conjugate gradients).
    alpha_init : float, default=1.0
        First trial step (1 is the natural step of Newton and quasi-Newton methods).
    alpha_max : float, default=1e10
        Largest step allowed.
    max_iter : int, default=50
        Budget of trial steps for bracketing and for zooming (each).

    Returns
    -------
    LineSearchResult

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda x: float(x @ x)
    >>> g = lambda x: 2 * x
    >>> res = wolfe_line_search(f, g, np.array([1.0, 1.0]), np.array([-1.0, -1.0]))
    >>> res.success, res.alpha
    (True, 1.0)
    """
    if not 0 < c1 < c2 < 1:
        raise ValueError(f"need 0 < c1 < c2 < 1, got c1={c1}, c2={c2}")
    if not (np.isfinite(alpha_init) and 0 < alpha_init <= alpha_max):
        raise ValueError(f"need 0 < alpha_init <= alpha_max, got {alpha_init} and {alpha_max}")
    x = np.asarray(x, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    if x.shape != p.shape:
        raise ValueError(f"x and p must have the same shape, got {x.shape} and {p.shape}")
    counts = {"f": 0, "g": 0}

    def phi(alpha):
        counts["f"] += 1
        counts["g"] += 1
        xa = x + alpha * p
        g = np.asarray(jac(xa), dtype=np.float64)
        return float(fun(xa)), g, float(g @ p)

    if f0 is None:
        counts["f"] += 1
        f0 = float(fun(x))
    if g0 is None:
        counts["g"] += 1
        g0 = np.asarray(jac(x), dtype=np.float64)
    d0 = float(g0 @ p)
    if not d0 < 0:
        raise ValueError(f"p is not a descent direction: ∇f(x)ᵀp = {d0:g} must be < 0")

    def armijo_fails(alpha, fa):
        return not np.isfinite(fa) or fa > f0 + c1 * alpha * d0

    def curvature_holds(da):
        return abs(da) <= -c2 * d0

    def done(alpha, fa, ga, ok, msg):
        return LineSearchResult(alpha, fa, ga, counts["f"], counts["g"], ok, msg)

    def zoom(lo, hi):
        # invariant: lo = (α, φ, ∇f, φ') satisfies Armijo and has the lowest φ seen; hi brackets with it.
        for _ in range(max_iter):
            a_lo, f_lo, _, d_lo = lo
            a_hi, f_hi, _, d_hi = hi
            width = a_hi - a_lo
            if abs(width) <= 1e-14 * max(1.0, abs(a_lo)):
                break  # the bracket has collapsed to rounding level
            a = _cubic_min(a_lo, f_lo, d_lo, a_hi, f_hi, d_hi) if np.isfinite(f_hi) else None
            # safeguard: stay clear of both ends, else bisect
            margin = 0.1 * abs(width)
            if a is None or not (min(a_lo, a_hi) + margin <= a <= max(a_lo, a_hi) - margin):
                a = a_lo + 0.5 * width
            fa, ga, da = phi(a)
            if armijo_fails(a, fa) or fa >= f_lo:
                hi = (a, fa, ga, da)
                continue
            if curvature_holds(da):
                return done(a, fa, ga, True, "strong Wolfe conditions satisfied")
            if da * width >= 0:
                hi = lo
            lo = (a, fa, ga, da)
        a, fa, ga, _ = lo
        return done(a, fa, ga, False, "zoom found no strong Wolfe step (rounding errors near the optimum?)")

    prev = (0.0, f0, g0, d0)
    alpha = float(alpha_init)
    for i in range(max_iter):
        fa, ga, da = phi(alpha)
        if armijo_fails(alpha, fa) or (i > 0 and fa >= prev[1]):
            return zoom(prev, (alpha, fa, ga, da))
        if curvature_holds(da):
            return done(alpha, fa, ga, True, "strong Wolfe conditions satisfied")
        if da >= 0:
            return zoom((alpha, fa, ga, da), prev)
        if alpha >= alpha_max:
            break
        prev = (alpha, fa, ga, da)
        alpha = min(2.0 * alpha, alpha_max)
    return done(alpha, fa, ga, False, "bracketing phase did not find a step (f unbounded below along p?)")
