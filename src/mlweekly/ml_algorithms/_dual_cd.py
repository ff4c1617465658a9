"""Dual coordinate descent for the linear SVM (Hsieh, Chang, Lin, Keerthi & Sundararajan 2008).

Primal ``min_w ½‖w‖² + Σ C_i ξ(y_i wᵀx_i)`` with the hinge ``ξ(m) = max(0, 1 - m)`` or its square.
Dual ``min_α ½ αᵀQ̄α - Σα, 0 ≤ α_i ≤ U_i`` with ``Q̄ = Q + D``: hinge ``U_i = C_i, D = 0``; squared
hinge ``U_i = ∞, D_ii = 1/(2C_i)``. Keeping ``w = Σ α_i y_i x_i`` makes one coordinate's gradient
``G_i = y_i wᵀx_i - 1 + D_ii α_i`` an O(d) dot product, and its exact minimisation a clipped Newton
step ``α_i ← clip(α_i - G_i / Q̄_ii, 0, U_i)``. Coordinates go in a random order each sweep; those
stuck at a bound are shrunk away and the sweep stops when the projected gradient's spread is
``≤ tol`` (liblinear's ``solve_l2r_l1l2_svc``). A serial loop of O(d) steps: compiled with numba.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def dual_cd(X, y, C, squared, tol, max_iter, seed):
    """Return ``(w, n_iter)``; ``X`` (n, d) float64, ``y`` of ±1.0, ``C`` (n,) per-sample costs."""
    np.random.seed(seed)  # noqa: NPY002 (numba compiles only the legacy global-state API)
    n, d = X.shape
    diag = np.zeros(n)
    upper = C.copy()
    if squared:
        for i in range(n):
            diag[i] = 0.5 / C[i]
            upper[i] = np.inf
    QD = np.empty(n)
    for i in range(n):
        QD[i] = diag[i] + np.dot(X[i], X[i])
    w = np.zeros(d)
    alpha = np.zeros(n)
    index = np.arange(n)
    active = n
    PGmax_old, PGmin_old = np.inf, -np.inf
    it = 0
    while it < max_iter:
        PGmax, PGmin = -np.inf, np.inf
        for s in range(active - 1, 0, -1):  # Fisher–Yates shuffle of the active coordinates
            r = np.random.randint(0, s + 1)  # noqa: NPY002
            index[s], index[r] = index[r], index[s]
        s = 0
        while s < active:
            i = index[s]
            G = y[i] * np.dot(w, X[i]) - 1.0 + diag[i] * alpha[i]
            PG = 0.0
            if alpha[i] == 0.0:
                if G > PGmax_old:  # at the lower bound and pushing further: shrink
                    active -= 1
                    index[s], index[active] = index[active], index[s]
                    continue
                if G < 0:
                    PG = G
            elif alpha[i] == upper[i]:
                if G < PGmin_old:
                    active -= 1
                    index[s], index[active] = index[active], index[s]
                    continue
                if G > 0:
                    PG = G
            else:
                PG = G
            PGmax = max(PGmax, PG)
            PGmin = min(PGmin, PG)
            if abs(PG) > 1e-12:
                old = alpha[i]
                alpha[i] = min(max(old - G / QD[i], 0.0), upper[i])
                step = (alpha[i] - old) * y[i]
                for k in range(d):
                    w[k] += step * X[i, k]
            s += 1
        it += 1
        if PGmax - PGmin <= tol:
            if active == n:
                break
            active = n  # converged on the shrunk set: re-check every coordinate
            PGmax_old, PGmin_old = np.inf, -np.inf
            continue
        PGmax_old = PGmax if PGmax > 0 else np.inf
        PGmin_old = PGmin if PGmin < 0 else -np.inf
    return w, it
