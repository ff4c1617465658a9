"""The penalised log-loss of logistic regression: value, gradient and Hessian.

Both losses work on a flat parameter vector ``theta`` and a design matrix ``Xt`` whose last column is
all ones when an intercept is fitted (then ``theta``'s last entry per class is the intercept). The
objective is scikit-learn's ``½‖w‖² + C Σ_i s_i loss_i`` divided by ``C Σ_i s_i``::

    f(θ) = (1/S) Σ_i s_i loss_i(θ) + ½ Σ_j λ_j θ_j²,   S = Σ_i s_i,  λ_j = 1/(C S) (0 for intercepts)

Dividing by ``C S`` does not move the minimiser; it makes the gradient a mean, so one tolerance on
``max|∇f|`` means the same thing for 100 samples and for a million (as in scikit-learn's solvers).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, log_expit

from mlweekly.ml_algorithms._softmax import log_softmax, logsumexp


class _PenalisedLoss:
    """Shared set-up: design matrix, sample weights and the L2 penalty vector."""

    #: ``λ_max`` of the per-sample Hessian w.r.t. the scores: ``¼`` (sigmoid), ``½`` (softmax).
    curvature_bound = 0.25

    def __init__(self, Xt, sample_weight, penalty_strength, n_classes_params, fit_intercept):
        self.Xt = Xt
        self.sw = sample_weight
        self.S = float(sample_weight.sum())
        lam = np.full(Xt.shape[1], penalty_strength / self.S)
        if fit_intercept:
            lam[-1] = 0.0  # the intercept is not penalised
        self.lam_row = lam
        self.lam = np.tile(lam, n_classes_params)

    def _penalty(self, theta):
        return 0.5 * float(np.dot(self.lam * theta, theta))

    def lipschitz(self) -> float:
        """An upper bound ``L`` on the largest eigenvalue of the Hessian (GD is stable for ``η ≤ 1/L``)."""
        sigma = np.linalg.norm(np.sqrt(self.sw)[:, None] * self.Xt, 2)
        return self.curvature_bound * sigma**2 / self.S + float(self.lam.max(initial=0.0))


class BinaryLogLoss(_PenalisedLoss):
    """Bernoulli negative log-likelihood with a sigmoid link, labels ``y ∈ {0, 1}``.

    ``loss_i = -[y_i log σ(z_i) + (1 - y_i) log σ(-z_i)]`` with ``z = Xt θ``; ``log σ`` is computed by
    ``log_expit`` so that ``|z| = 800`` costs no overflow and no ``log(0)``.
    """

    def __init__(self, Xt, y, sample_weight, penalty_strength, fit_intercept):
        super().__init__(Xt, sample_weight, penalty_strength, 1, fit_intercept)
        self.y = y.astype(np.float64)

    def value(self, theta: np.ndarray) -> float:
        z = self.Xt @ theta
        nll = -(self.y * log_expit(z) + (1.0 - self.y) * log_expit(-z))
        return float(self.sw @ nll) / self.S + self._penalty(theta)

    def value_grad(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = self.Xt @ theta
        nll = -(self.y * log_expit(z) + (1.0 - self.y) * log_expit(-z))
        residual = self.sw * (expit(z) - self.y)  # dloss/dz = p - y
        grad = self.Xt.T @ residual / self.S + self.lam * theta
        return float(self.sw @ nll) / self.S + self._penalty(theta), grad

    def hessian(self, theta: np.ndarray) -> np.ndarray:
        """``Xtᵀ diag(s p (1-p)) Xt / S + diag(λ)``: one BLAS product of the weighted design."""
        z = self.Xt @ theta
        w = self.sw * expit(z) * expit(-z)  # p(1-p) without cancellation when p -> 1
        H = self.Xt.T @ (self.Xt * (w / self.S)[:, None])
        H[np.diag_indices_from(H)] += self.lam
        return H

    def gauge(self) -> None:
        """The binary loss has no invariant direction (the multinomial one does)."""
        return None


class MultinomialLogLoss(_PenalisedLoss):
    """Multinomial cross-entropy with a softmax link, labels ``y ∈ {0, …, K-1}``.

    ``theta`` flattens ``Θ`` of shape ``(K, p)`` row by row; scores ``Z = Xt Θᵀ``,
    ``loss_i = logsumexp(Z_i) - Z_{i, y_i}``.
    """

    curvature_bound = 0.5

    def __init__(self, Xt, y, n_classes, sample_weight, penalty_strength, fit_intercept):
        super().__init__(Xt, sample_weight, penalty_strength, n_classes, fit_intercept)
        self.K = n_classes
        self.y = y
        self.Y = np.eye(n_classes)[y]  # one-hot

    def _scores(self, theta):
        return self.Xt @ theta.reshape(self.K, -1).T

    def value(self, theta: np.ndarray) -> float:
        Z = self._scores(theta)
        nll = logsumexp(Z) - Z[np.arange(Z.shape[0]), self.y]
        return float(self.sw @ nll) / self.S + self._penalty(theta)

    def value_grad(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        Z = self._scores(theta)
        logP = log_softmax(Z)
        nll = -logP[np.arange(Z.shape[0]), self.y]
        residual = self.sw[:, None] * (np.exp(logP) - self.Y)  # dloss/dZ = P - Y
        grad = (residual.T @ self.Xt).ravel() / self.S + self.lam * theta
        return float(self.sw @ nll) / self.S + self._penalty(theta), grad

    def hessian(self, theta: np.ndarray) -> np.ndarray:
        """Blocks ``H_kl = Xtᵀ diag(s P_k (δ_kl - P_l)) Xt / S (+ diag(λ) on the diagonal)``.

        Written as ``blockdiag(Xtᵀ diag(s P_k) Xt) - Mᵀ M`` with ``M_i = √s_i · P_i ⊗ x_i``, so it is two
        BLAS products; memory ``n · K · p`` (fine for the small problems Newton is meant for).
        """
        n, p = self.Xt.shape
        P = np.exp(log_softmax(self._scores(theta)))
        M = ((np.sqrt(self.sw / self.S)[:, None] * P)[:, :, None] * self.Xt[:, None, :]).reshape(n, -1)
        H = -(M.T @ M)
        sP = self.sw[:, None] * P / self.S
        for k in range(self.K):
            H[k * p : (k + 1) * p, k * p : (k + 1) * p] += self.Xt.T @ (self.Xt * sP[:, k : k + 1])
        H[np.diag_indices_from(H)] += self.lam
        return H

    def gauge(self) -> np.ndarray | None:
        """Curvature to add along the directions the objective is flat in, or ``None``.

        Adding the same vector to every class's unpenalised parameters (the intercepts; all of them
        when ``C = inf``) leaves every softmax unchanged, so the Hessian is singular there. The
        gradient is orthogonal to those directions, so solving ``(H + G) s = g`` with
        ``G = Σ_a μ_a u_a u_aᵀ`` gives exactly the Newton step that keeps ``Σ_k θ_k`` fixed (at zero
        from the zero start), the solution gradient methods such as L-BFGS also find.
        """
        free = self.lam_row == 0.0
        if not free.any():
            return None
        mu = np.where(free, (self.sw @ self.Xt**2) / self.S, 0.0)
        return np.kron(np.ones((self.K, self.K)), np.diag(mu))
