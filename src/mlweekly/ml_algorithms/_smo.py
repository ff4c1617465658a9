"""Sequential minimal optimisation (SMO) for the C-SVC dual, libsvm's algorithm, compiled with numba.

Solves ``min_α ½ αᵀQα - Σα  s.t.  yᵀα = 0, 0 ≤ α_i ≤ C_i`` with ``Q_ij = y_i y_j k(x_i, x_j)``,
``y ∈ {+1, -1}``. Each iteration picks two multipliers with libsvm's WSS3 (Fan, Chen & Lin 2005:
the maximal violator ``i``, then the ``j`` whose analytic step decreases the dual most, a
second-order choice), moves them along the constraint ``y_i α_i + y_j α_j = const`` to the clipped
optimum, and updates the gradient ``G = Qα - 1`` with two kernel rows. It stops when the maximal
KKT violation ``max_{I_up} -y_t G_t - min_{I_low} -y_t G_t`` is below ``tol``.

Why numba: every iteration depends on the previous one (a serial loop of ~n/2 iterations of O(n)
work each); in Python the interpreter overhead per iteration dominates (see the benchmark).
Kernel rows are computed on demand (one BLAS ``gemv``) and kept in a least-recently-used cache (the
rows of ``cache``); when every row fits, each is computed once.
"""

from __future__ import annotations

import numpy as np
from numba import njit

TAU = 1e-12  # libsvm's floor for a non-positive curvature k_ii + k_jj - 2 k_ij


@njit(cache=True)
def kernel_row(X, sq, i, kernel, gamma, coef0, degree, out):
    """``out[j] = k(x_i, x_j)`` for every ``j``; kernel 0 linear, 1 poly, 2 rbf."""
    np.dot(X, X[i], out)
    if kernel == 1:
        for j in range(out.shape[0]):
            out[j] = (gamma * out[j] + coef0) ** degree
    elif kernel == 2:
        for j in range(out.shape[0]):
            out[j] = np.exp(-gamma * (sq[i] + sq[j] - 2.0 * out[j]))


@njit(cache=True)
def _diagonal(X, sq, kernel, gamma, coef0, degree):
    n = X.shape[0]
    QD = np.empty(n)
    for i in range(n):
        if kernel == 0:
            QD[i] = sq[i]
        elif kernel == 1:
            QD[i] = (gamma * sq[i] + coef0) ** degree
        else:
            QD[i] = np.exp(-gamma * (sq[i] + sq[i] - 2.0 * sq[i]))
    return QD


@njit(cache=True)
def _fetch(i, X, sq, kernel, gamma, coef0, degree, cache, slot_of, row_in, stamp, clock, buf):
    """Slot of kernel row ``i`` in ``cache``, computing it into the least recently used slot on a miss."""
    s = slot_of[i]
    if s < 0:
        s = np.argmin(stamp)
        if row_in[s] >= 0:
            slot_of[row_in[s]] = -1
        row_in[s] = i
        slot_of[i] = s
        kernel_row(X, sq, i, kernel, gamma, coef0, degree, buf)
        cache[s, :] = buf  # rounds to float32 when the cache is single precision, as libsvm's
    stamp[s] = clock
    return s


@njit(cache=True)
def smo(X, y, C, kernel, gamma, coef0, degree, tol, max_iter, cache):
    """Solve the C-SVC dual. Returns ``(alpha, rho, n_iter, status, objective, violation)``.

    ``X`` (n, d) float64 C-contiguous, ``y`` (n,) of ±1.0, ``C`` (n,) per-sample upper bounds,
    ``cache`` an empty (rows, n) array, ``rows >= 2``, float64 (exact) or float32 (libsvm's ``Qfloat``:
    twice the rows in the same memory, kernel values rounded to ~6e-8 relative).
    ``status`` 0: converged, 1: ``max_iter`` reached (``max_iter < 0``: no limit). ``objective`` and
    ``violation`` hold the dual objective and the maximal KKT violation before every iteration.
    The decision function is ``Σ α_i y_i k(x_i, x) - rho``.
    """
    n = X.shape[0]
    sq = np.empty(n)
    for i in range(n):
        sq[i] = np.dot(X[i], X[i])
    QD = _diagonal(X, sq, kernel, gamma, coef0, degree)
    alpha = np.zeros(n)
    G = -np.ones(n)  # gradient Qα - 1 at α = 0

    rows = cache.shape[0]
    buf = np.empty(n)
    slot_of = -np.ones(n, dtype=np.int64)
    row_in = -np.ones(rows, dtype=np.int64)
    stamp = np.full(rows, -1, dtype=np.int64)

    objective = np.empty(1024)  # grown by doubling
    violation = np.empty(1024)
    obj = 0.0
    it = 0
    status = 0
    while True:
        # --- WSS3, first index: maximal violator  i = argmax_{t ∈ I_up} -y_t G_t
        Gmax = -np.inf
        i = -1
        for t in range(n):
            if y[t] > 0:
                if alpha[t] < C[t] and -G[t] >= Gmax:
                    Gmax = -G[t]
                    i = t
            elif alpha[t] > 0 and G[t] >= Gmax:
                Gmax = G[t]
                i = t
        # --- second index: among t ∈ I_low that violate with i, the largest decrease b²/a
        Gmax2 = -np.inf
        j = -1
        if i >= 0:
            Ki = cache[_fetch(i, X, sq, kernel, gamma, coef0, degree, cache, slot_of, row_in, stamp, it, buf)]
            obj_min = np.inf
            for t in range(n):
                if y[t] > 0:
                    if alpha[t] <= 0:
                        continue
                    b = Gmax + G[t]
                    if G[t] >= Gmax2:
                        Gmax2 = G[t]
                else:
                    if alpha[t] >= C[t]:
                        continue
                    b = Gmax - G[t]
                    if -G[t] >= Gmax2:
                        Gmax2 = -G[t]
                if b > 0:
                    a = QD[i] + QD[t] - 2.0 * Ki[t]
                    dec = -(b * b) / (a if a > 0 else TAU)
                    if dec <= obj_min:
                        j = t
                        obj_min = dec
        if it == objective.shape[0]:
            objective = np.concatenate((objective, np.empty(it)))
            violation = np.concatenate((violation, np.empty(it)))
        objective[it] = obj
        violation[it] = Gmax + Gmax2
        if Gmax + Gmax2 < tol or j < 0:
            break
        if max_iter >= 0 and it >= max_iter:
            status = 1
            break
        it += 1

        si = _fetch(i, X, sq, kernel, gamma, coef0, degree, cache, slot_of, row_in, stamp, it, buf)
        sj = _fetch(j, X, sq, kernel, gamma, coef0, degree, cache, slot_of, row_in, stamp, it, buf)
        Ki = cache[si]
        Kj = cache[sj]
        # --- analytic two-variable step along y_i α_i + y_j α_j = const, then clip to the box
        ai, aj = alpha[i], alpha[j]
        Ci, Cj = C[i], C[j]
        a = QD[i] + QD[j] - 2.0 * Ki[j]
        if a <= 0:
            a = TAU
        if y[i] != y[j]:
            delta = (-G[i] - G[j]) / a
            diff = ai - aj
            ai += delta
            aj += delta
            if diff > 0:
                if aj < 0:
                    aj = 0.0
                    ai = diff
            elif ai < 0:
                ai = 0.0
                aj = -diff
            if diff > Ci - Cj:
                if ai > Ci:
                    ai = Ci
                    aj = Ci - diff
            elif aj > Cj:
                aj = Cj
                ai = Cj + diff
        else:
            delta = (G[i] - G[j]) / a
            total = ai + aj
            ai -= delta
            aj += delta
            if total > Ci:
                if ai > Ci:
                    ai = Ci
                    aj = total - Ci
            elif aj < 0:
                aj = 0.0
                ai = total
            if total > Cj:
                if aj > Cj:
                    aj = Cj
                    ai = total - Cj
            elif ai < 0:
                ai = 0.0
                aj = total
        di = ai - alpha[i]
        dj = aj - alpha[j]
        alpha[i] = ai
        alpha[j] = aj
        # --- objective change (O(1)) and gradient update G += Q_i Δα_i + Q_j Δα_j
        Qij = y[i] * y[j] * Ki[j]
        obj += G[i] * di + G[j] * dj + 0.5 * (QD[i] * di * di + QD[j] * dj * dj) + Qij * di * dj
        yi_di = y[i] * di
        yj_dj = y[j] * dj
        for t in range(n):
            G[t] += y[t] * (Ki[t] * yi_di + Kj[t] * yj_dj)

    # --- bias: average of y_t G_t over free α (where KKT makes it exact), else the bounds' midpoint
    ub = np.inf
    lb = -np.inf
    n_free = 0
    total_free = 0.0
    for t in range(n):
        yG = y[t] * G[t]
        if alpha[t] >= C[t]:
            if y[t] < 0:
                ub = min(ub, yG)
            else:
                lb = max(lb, yG)
        elif alpha[t] <= 0:
            if y[t] > 0:
                ub = min(ub, yG)
            else:
                lb = max(lb, yG)
        else:
            n_free += 1
            total_free += yG
    rho = total_free / n_free if n_free > 0 else (ub + lb) / 2.0
    return alpha, rho, it, status, objective[: it + 1].copy(), violation[: it + 1].copy()
