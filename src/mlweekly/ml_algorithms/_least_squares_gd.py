"""Gradient descent on the mean squared error ``L(β) = ‖y - Xβ‖² / n``.

The gradient is ``∇L(β) = -(2/n) Xᵀ(y - Xβ)`` and the Hessian ``H = (2/n) XᵀX`` is constant, so
a step ``η ≤ 1/λ_max(H)`` makes every batch step a descent step. Both minimisers stop when the
full-data gradient is small, ``‖∇L(β)‖₂ <= tol``; since ``∇L(β) = H(β - β̂)``, that bounds the
distance to the least-squares solution: ``‖β - β̂‖₂ <= tol / λ_min(H)``.

* :func:`gradient_descent` — one step per pass over the data (deterministic, linear convergence
  with rate ``1 - λ_min/λ_max`` at ``η = 1/λ_max``).
* :func:`sgd` — mini-batch SGD: a step per batch of a shuffled epoch. With a constant step the
  iterates do not converge to ``β̂`` but hover in a ball whose size grows with ``η`` and shrinks
  with the batch size; their running (Polyak–Ruppert) average does converge. The gradient test
  runs at the end of each epoch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

# A loss this many times the starting loss means the step is too large for the curvature.
_DIVERGED = 1e6


@dataclass
class DescentResult:
    coef: np.ndarray
    n_iter: int
    loss_curve: list[float]
    converged: bool


def _check_diverged(loss: float, loss0: float, learning_rate: float) -> None:
    if not np.isfinite(loss) or loss > _DIVERGED * loss0:
        raise FloatingPointError(
            f"gradient descent diverged (loss {loss:.3g} from {loss0:.3g}): learning_rate="
            f"{learning_rate:.3g} is too large for this data; lower it, standardise the features, "
            "or use learning_rate='auto'"
        )


def _mse_grad(X: np.ndarray, y: np.ndarray, coef: np.ndarray) -> tuple[float, np.ndarray]:
    """The loss and its gradient on the whole data set."""
    r = y - X @ coef
    n = X.shape[0]
    return float(r @ r) / n, (-2.0 / n) * (X.T @ r)


def gradient_descent(
    X: np.ndarray, y: np.ndarray, *, learning_rate: float, max_iter: int, tol: float
) -> DescentResult:
    """Batch gradient descent from ``β = 0``: ``β ← β - η ∇L(β)``.

    ``loss_curve[k]`` is the loss after update ``k + 1``.
    """
    coef = np.zeros(X.shape[1])
    loss0, grad = _mse_grad(X, y, coef)
    curve: list[float] = []
    for it in range(max_iter):
        if np.linalg.norm(grad) <= tol:
            return DescentResult(coef, it, curve, True)
        coef -= learning_rate * grad
        loss, grad = _mse_grad(X, y, coef)
        _check_diverged(loss, loss0, learning_rate)
        curve.append(loss)
    return DescentResult(coef, max_iter, curve, bool(np.linalg.norm(grad) <= tol))


def auto_learning_rate(gram: np.ndarray, n_samples: int, batch_size: int | None = None) -> float:
    """The largest safe constant step on the MSE, from the Gram matrix ``XᵀX``.

    Full batch (``batch_size=None``): ``η = 1/λ_max(H)``, ``H = (2/n) XᵀX``. Mini-batches of ``b``
    (Jain et al., 2018): ``η = b / (2 (tr(XᵀX)/n + (b - 1) λ_max(XᵀX)/n))`` — for ``b = 1`` the
    classic ``1 / (2 E‖x‖²)``, growing towards the full-batch step as ``b`` grows.
    """
    p = gram.shape[0]
    lam_max = float(scipy.linalg.eigvalsh(gram, subset_by_index=[p - 1, p - 1])[0]) / n_samples
    if batch_size is None:
        denom = 2.0 * lam_max
        return 1.0 / denom if denom > 0 else 1.0
    denom = 2.0 * (float(np.trace(gram)) / n_samples + (batch_size - 1) * lam_max)
    return batch_size / denom if denom > 0 else 1.0


def sgd(
    X: np.ndarray,
    y: np.ndarray,
    *,
    learning_rate: float,
    max_iter: int,
    tol: float,
    batch_size: int,
    rng: np.random.RandomState,
    average: bool = True,
) -> DescentResult:
    """Mini-batch SGD from ``β = 0``: per batch ``B``, ``β ← β + η (2/|B|) X_Bᵀ(y_B - X_B β)``.

    With ``average`` the result is the Polyak–Ruppert average ``β̄_t = (1/t) Σ_{s<=t} β_s`` of all
    iterates: with a constant step the iterates hover around ``β̂`` and their average converges to it
    at rate ``O(1/t)`` for least squares (Bach & Moulines, 2013). ``max_iter`` counts epochs;
    ``loss_curve[k]`` is the full-data loss of the result after epoch ``k + 1``.
    """
    n, p = X.shape
    coef = np.zeros(p)
    mean_coef = np.zeros(p)
    t = 0
    loss0, grad = _mse_grad(X, y, coef)
    curve: list[float] = []
    for epoch in range(max_iter):
        if np.linalg.norm(grad) <= tol:
            return DescentResult(mean_coef if average else coef, epoch, curve, True)
        order = rng.permutation(n)
        Xs, ys = X[order], y[order]  # one shuffled copy per epoch, then contiguous batches
        for start in range(0, n, batch_size):
            Xb, yb = Xs[start : start + batch_size], ys[start : start + batch_size]
            coef += (2.0 * learning_rate / len(yb)) * (Xb.T @ (yb - Xb @ coef))
            t += 1
            mean_coef += (coef - mean_coef) / t
        result = mean_coef if average else coef
        loss, grad = _mse_grad(X, y, result)
        _check_diverged(loss if np.all(np.isfinite(coef)) else np.inf, loss0, learning_rate)
        curve.append(loss)
    result = mean_coef if average else coef
    return DescentResult(result, max_iter, curve, bool(np.linalg.norm(grad) <= tol))
