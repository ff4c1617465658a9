"""Logistic regression from scratch: sigmoid/softmax link, penalised log-loss, Newton/IRLS.

Binary (two classes): ``P(y = 1 | x) = σ(xᵀw + b)``. Multiclass: the multinomial model
``P(y = k | x) = softmax(W x + b)_k``. Both minimise scikit-learn's objective
``½‖W‖² + C Σ_i s_i loss_i`` (intercepts not penalised), so with the same ``C`` the optimum is the
same as ``sklearn.linear_model.LogisticRegression`` with its default L2 penalty.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlweekly.ml_algorithms import _logistic_solvers as solvers
from mlweekly.ml_algorithms._logistic_loss import BinaryLogLoss, MultinomialLogLoss
from mlweekly.ml_algorithms._softmax import log_softmax
from mlweekly.ml_algorithms._validation import _check_sample_weight

__all__ = ["LogisticRegression"]

_SOLVERS = ("newton", "gd", "lbfgs")


class LogisticRegression(ClassifierMixin, BaseEstimator):
    """L2-penalised logistic regression (binary sigmoid or multinomial softmax), from scratch.

    Minimises ``½‖W‖² + C Σ_i s_i loss_i`` where ``loss_i`` is the negative log-likelihood of
    sample ``i`` (Bernoulli with a sigmoid for two classes, categorical with a softmax for more) and
    the intercepts are not penalised — scikit-learn's objective and meaning of ``C``.

    Parameters
    ----------
    penalty : {"l2", None}, default="l2"
        ``None`` fits the unpenalised maximum-likelihood model (same as ``C=np.inf``); it has no
        finite optimum when the classes are linearly separable.
    C : float, default=1.0
        Inverse penalty strength, ``> 0``; ``np.inf`` means no penalty.
    fit_intercept : bool, default=True
        Fit an (unpenalised) intercept per class.
    solver : {"newton", "gd", "lbfgs"}, default="newton"
        ``"newton"``: Newton/IRLS, Hessian ``Xᵀ W X + I/C`` (scaled), Cholesky solve, Armijo
        backtracking. ``"gd"``: batch gradient descent with ``learning_rate``. ``"lbfgs"``:
        SciPy's L-BFGS-B on our analytic loss and gradient (for many classes × features).
    tol : float, default=1e-8
        Stop when the largest absolute entry of the gradient of the objective divided by
        ``C Σ_i s_i`` (a mean, as in scikit-learn's solvers) is ``<= tol``.
    max_iter : int, default=100
        Maximum number of iterations; a :class:`~sklearn.exceptions.ConvergenceWarning` is raised
        when it is reached before ``tol``.
    learning_rate : float or "auto", default="auto"
        Step of ``solver="gd"``. ``"auto"`` is ``1/L`` with ``L = c‖X̃‖₂²/n + 1/(C n)`` an upper bound
        on the Hessian's largest eigenvalue (``c = ¼`` binary, ``½`` multinomial), the largest
        step with guaranteed descent.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Weights; one row for two classes (of ``classes_[1]``), one per class otherwise.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts (zeros when ``fit_intercept=False``). Multinomial intercepts sum to zero.
    n_iter_ : int
        Iterations the solver ran.
    loss_curve_ : list of float
        Objective (divided by ``C Σ s_i``) at the start and after every iteration.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import LogisticRegression
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> y = np.array([0, 0, 1, 1])
    >>> clf = LogisticRegression(C=10.0).fit(X, y)
    >>> clf.predict([[0.2], [2.8]])
    array([0, 1])
    >>> clf.predict_proba([[1.5]]).round(3)
    array([[0.5, 0.5]])
    """

    def __init__(
        self,
        penalty="l2",
        C=1.0,
        fit_intercept=True,
        solver="newton",
        tol=1e-8,
        max_iter=100,
        learning_rate="auto",
    ):
        self.penalty = penalty
        self.C = C
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.learning_rate = learning_rate

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags

    def _check_params(self) -> None:
        if self.penalty not in ("l2", None):
            raise ValueError(f"penalty must be 'l2' or None, got {self.penalty!r}")
        if not isinstance(self.C, numbers.Real) or not self.C > 0:
            raise ValueError(f"C must be a positive number (np.inf for no penalty), got {self.C!r}")
        if self.solver not in _SOLVERS:
            raise ValueError(f"solver must be one of {_SOLVERS}, got {self.solver!r}")
        if not isinstance(self.tol, numbers.Real) or not self.tol >= 0:
            raise ValueError(f"tol must be a number >= 0, got {self.tol!r}")
        if not isinstance(self.max_iter, numbers.Integral) or self.max_iter < 0:
            raise ValueError(f"max_iter must be an integer >= 0, got {self.max_iter!r}")
        lr = self.learning_rate
        if not (lr == "auto" if isinstance(lr, str) else isinstance(lr, numbers.Real) and lr > 0):
            raise ValueError(f"learning_rate must be 'auto' or a positive number, got {lr!r}")

    def fit(self, X, y, sample_weight=None):
        """Fit the model to training data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (cast to float64; no NaN or inf).
        y : array-like of shape (n_samples,)
            Class labels; at least two distinct classes.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weight of each sample (default: all ones).

        Returns
        -------
        self : LogisticRegression
            The fitted estimator.
        """
        self._check_params()
        X, y = validate_data(self, X, y, dtype=np.float64, ensure_min_samples=2)
        check_classification_targets(y)
        sw = _check_sample_weight(sample_weight, X.shape[0])
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        present = np.unique(y_idx[sw > 0])
        if present.size < 2:
            only = self.classes_[present[0]]
            only = only.item() if isinstance(only, np.generic) else only
            weighted = "" if sample_weight is None else " with positive sample_weight"
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes{weighted}; "
                f"got only class {only!r}"
            )

        n, d = X.shape
        K = self.classes_.size
        Xt = np.hstack([X, np.ones((n, 1))]) if self.fit_intercept else X
        strength = 0.0 if self.penalty is None else 1.0 / self.C  # 1/inf == 0: no penalty
        if K == 2:
            loss = BinaryLogLoss(Xt, y_idx, sw, strength, self.fit_intercept)
        else:
            loss = MultinomialLogLoss(Xt, y_idx, K, sw, strength, self.fit_intercept)
        theta0 = np.zeros(loss.lam.size)

        if self.solver == "newton":
            res = solvers.newton(loss, theta0, tol=self.tol, max_iter=self.max_iter)
        elif self.solver == "lbfgs":
            res = solvers.lbfgs(loss, theta0, tol=self.tol, max_iter=self.max_iter)
        else:
            lr = 1.0 / loss.lipschitz() if self.learning_rate == "auto" else float(self.learning_rate)
            res = solvers.gradient_descent(
                loss, theta0, learning_rate=lr, tol=self.tol, max_iter=self.max_iter
            )
        if not res.converged:
            warnings.warn(
                f"{type(self).__name__} (solver={self.solver!r}) did not reach tol={self.tol:g} in "
                f"{res.n_iter} iterations; increase max_iter, scale the features, or check whether "
                "the classes are separable with a weak penalty (then the optimum is at infinity).",
                ConvergenceWarning,
                stacklevel=2,
            )

        Theta = res.theta.reshape(1 if K == 2 else K, -1)
        self.coef_ = Theta[:, :d].copy()
        self.intercept_ = Theta[:, d].copy() if self.fit_intercept else np.zeros(Theta.shape[0])
        self.n_iter_ = res.n_iter
        self.loss_curve_ = res.curve
        return self

    def decision_function(self, X):
        """Scores ``Xwᵀ + b``: shape (n_samples,) for two classes (log-odds of ``classes_[1]``),
        (n_samples, n_classes) otherwise.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray
            The linear scores.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        scores = X @ self.coef_.T + self.intercept_
        return scores.ravel() if self.classes_.size == 2 else scores

    def predict_log_proba(self, X):
        """Log of the class probabilities, columns ordered as ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log σ(∓z)`` (binary) or ``log softmax(Z)``, both computed without overflow.
        """
        scores = self.decision_function(X)
        if self.classes_.size == 2:
            return np.column_stack([log_expit(-scores), log_expit(scores)])
        return log_softmax(scores)

    def predict_proba(self, X):
        """Class probabilities, columns ordered as ``classes_``; rows sum to one.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            ``[σ(-z), σ(z)]`` (binary) or ``softmax(Z)``.
        """
        scores = self.decision_function(X)
        if self.classes_.size == 2:
            return np.column_stack([expit(-scores), expit(scores)])
        return np.exp(log_softmax(scores))

    def predict(self, X):
        """The most probable class of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Entries of ``classes_``.
        """
        scores = self.decision_function(X)
        idx = (scores > 0).astype(int) if self.classes_.size == 2 else scores.argmax(axis=1)
        return self.classes_[idx]
