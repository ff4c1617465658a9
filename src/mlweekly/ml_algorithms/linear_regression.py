"""Ordinary least squares from scratch: closed forms, gradient descent and classical inference.

With an intercept the data are centred first, ``X̃ = X - x̄``, ``ỹ = y - ȳ``: the intercept then
drops out (``b = ȳ - x̄ᵀβ̂``) and ``β̂`` minimises ``‖ỹ - X̃β‖²``. The closed-form solvers factor
the *augmented* matrix ``A = [X̃ | ỹ]`` into ``R_A = [[R, z], [0, ρ]]`` (``AᵀA = R_AᵀR_A``):

* ``"qr"`` — Householder QR of ``A`` (LAPACK ``geqrf``; ``Q`` is never formed, ``z = Qᵀỹ``);
* ``"normal"`` — the normal equations ``X̃ᵀX̃β = X̃ᵀỹ``: Cholesky ``X̃ᵀX̃ = RᵀR``, ``Rᵀz = X̃ᵀỹ``;

and both read off ``β̂ = R⁻¹z`` and the residual sum of squares ``RSS = ρ²``. ``R`` is also all the
inference needs: ``Cov(β̂) = σ̂² (X̃ᵀX̃)⁻¹ = σ̂² R⁻¹R⁻ᵀ``. ``"lstsq"`` (SVD, scikit-learn's choice) and
rank-deficient designs give the minimum-norm solution; ``"gd"``/``"sgd"`` minimise the MSE
iteratively (see :mod:`._least_squares_gd`).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd
import scipy.linalg
import scipy.stats
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ._least_squares_gd import auto_learning_rate, gradient_descent, sgd

__all__ = ["LinearRegression"]

_SOLVERS = ("qr", "normal", "lstsq", "gd", "sgd")
_EPS = np.finfo(np.float64).eps


def _augmented_r(Xc_y: np.ndarray, solver: str) -> np.ndarray | None:
    """``R_A`` with ``AᵀA = R_AᵀR_A`` for ``A = [X̃ | ỹ]``; ``None`` if Cholesky fails.

    QR overwrites ``A`` (F-ordered, so LAPACK works in place).
    """
    k = Xc_y.shape[1]
    if solver == "qr":
        (_, _), R = scipy.linalg.qr(Xc_y, mode="raw", overwrite_a=True, check_finite=False)
        return R[:k]
    # Cholesky of X̃ᵀX̃ only: AᵀA itself is singular whenever the fit is exact (ρ = 0).
    G = Xc_y.T @ Xc_y
    p = k - 1
    RA = np.zeros((k, k))
    try:
        RA[:p, :p] = scipy.linalg.cholesky(G[:p, :p], lower=False, check_finite=False)
    except np.linalg.LinAlgError:  # not positive definite: collinear columns
        return None
    z = scipy.linalg.solve_triangular(RA[:p, :p], G[:p, p], trans="T", check_finite=False)  # Rᵀz = X̃ᵀỹ
    RA[:p, p] = z
    # ρ² = ỹᵀỹ - zᵀz cancels catastrophically when the fit is good: take ρ from the residual.
    coef = scipy.linalg.solve_triangular(RA[:p, :p], z, check_finite=False)
    RA[p, p] = np.linalg.norm(Xc_y[:, p] - Xc_y[:, :p] @ coef)
    return RA


def _is_full_rank(R: np.ndarray, n_samples: int) -> bool:
    """``R`` is numerically non-singular (LAPACK's usual ``max(n, p) ε`` relative threshold)."""
    d = np.abs(np.diag(R))
    return d.size > 0 and d.min() > d.max() * max(n_samples, d.size) * _EPS


class LinearRegression(RegressorMixin, BaseEstimator):
    """Ordinary least squares linear regression, ``y ≈ Xβ + b``, from scratch.

    Minimises the residual sum of squares ``‖y - Xβ - b‖²``, by a closed form (``"qr"``,
    ``"normal"``, ``"lstsq"``) or by gradient descent on the mean squared error (``"gd"``,
    ``"sgd"``), and reports the classical OLS inference (R², standard errors, t-values, p-values).

    Parameters
    ----------
    fit_intercept : bool, default=True
        Fit the intercept ``b`` (by centring ``X`` and ``y``); if False the model is ``y ≈ Xβ``.
    solver : {"qr", "normal", "lstsq", "gd", "sgd"}, default="qr"
        ``"qr"``: Householder QR of the centred data, accurate to ``κ(X) ε``. ``"normal"``: Cholesky
        of ``XᵀX``, fastest but accurate only to ``κ(X)² ε``. ``"lstsq"``: SciPy's SVD solver (the
        minimum-norm solution, as scikit-learn). ``"gd"``: batch gradient descent. ``"sgd"``:
        mini-batch stochastic gradient descent. ``"qr"`` and ``"normal"`` switch to the
        minimum-norm SVD solution when the design is rank-deficient.
    learning_rate : "auto" or float, default="auto"
        Constant step size ``η`` of ``"gd"``/``"sgd"``. ``"auto"``: for ``"gd"`` ``1/λ_max(H)``
        with ``H = (2/n) X̃ᵀX̃`` the Hessian of the MSE, the largest step that guarantees descent;
        for ``"sgd"`` the mini-batch bound ``b / (2 (tr(X̃ᵀX̃) + (b - 1) λ_max(X̃ᵀX̃)) / n)``.
    max_iter : int, default=1000
        Iterations of ``"gd"``, epochs of ``"sgd"``.
    tol : float, default=1e-6
        ``"gd"``/``"sgd"`` stop when the full-data gradient has ``‖∇MSE‖₂ <= tol``, which
        guarantees ``‖β - β̂‖₂ <= tol / λ_min(H)``.
    batch_size : int, default=32
        Mini-batch size ``b`` of ``"sgd"`` (capped at ``n_samples``).
    average : bool, default=True
        ``"sgd"`` returns the running average of its iterates (Polyak–Ruppert), which converges to
        the least-squares solution with a constant step; if False, the last iterate.
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffling of ``"sgd"``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Estimated coefficients ``β̂``.
    intercept_ : float
        Estimated intercept ``b̂`` (0.0 when ``fit_intercept=False``).
    rank_ : int
        Numerical rank of the (centred) design; closed-form solvers only.
    singular_ : ndarray of shape (n_features,)
        Singular values of the (centred) design; closed-form solvers only.
    n_iter_ : int
        Iterations (``"gd"``) or epochs (``"sgd"``) run; 1 for the closed forms (one solve).
    loss_curve_ : list of float
        MSE after each iteration/epoch (``"gd"``/``"sgd"``).
    r2_ : float
        Coefficient of determination on the training data (uncentred when ``fit_intercept=False``,
        like statsmodels).
    adjusted_r2_ : float
        ``1 - (1 - R²)(n - k₀)/df_resid`` with ``k₀ = 1`` when fitting an intercept.
    df_resid_ : int
        Residual degrees of freedom ``n - rank - k₀``.
    residual_std_error_ : float
        ``σ̂ = sqrt(RSS / df_resid)``.
    std_errors_, t_values_, p_values_ : ndarray of shape (n_features + fit_intercept,)
        Standard errors ``sqrt(diag(σ̂²(XᵀX)⁻¹))``, t-values ``β̂/se`` and two-sided p-values
        ``2 P(T_df > |t|)`` in statsmodels' order: intercept first (when fitted), then ``coef_``.
        All NaN, with a warning, when the design is rank-deficient or ``df_resid <= 0``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    sklearn.linear_model.LinearRegression : the reference implementation.
    statsmodels.regression.linear_model.OLS : the reference for the inference.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import LinearRegression
    >>> X = np.array([[1.0, 1.0], [1.0, 2.0], [2.0, 2.0], [2.0, 3.0]])
    >>> y = X @ np.array([1.0, 2.0]) + 3.0
    >>> reg = LinearRegression().fit(X, y)
    >>> np.round(reg.coef_, 10), round(reg.intercept_, 10)
    (array([1., 2.]), 3.0)
    >>> reg.predict(np.array([[3.0, 5.0]]))
    array([16.])
    """

    def __init__(
        self,
        *,
        fit_intercept=True,
        solver="qr",
        learning_rate="auto",
        max_iter=1000,
        tol=1e-6,
        batch_size=32,
        average=True,
        random_state=None,
    ):
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.batch_size = batch_size
        self.average = average
        self.random_state = random_state

    def _check_params(self) -> None:
        if self.solver not in _SOLVERS:
            raise ValueError(f"solver must be one of {_SOLVERS}, got {self.solver!r}")
        lr = self.learning_rate
        if not (lr == "auto" or (isinstance(lr, numbers.Real) and np.isfinite(lr) and lr > 0)):
            raise ValueError(f"learning_rate must be 'auto' or a positive number, got {lr!r}")
        for name in ("max_iter", "batch_size"):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if not isinstance(self.average, (bool, np.bool_)):
            raise ValueError(f"average must be True or False, got {self.average!r}")
        if not (isinstance(self.tol, numbers.Real) and self.tol >= 0):
            raise ValueError(f"tol must be a non-negative number, got {self.tol!r}")

    def fit(self, X, y):
        """Fit the model by least squares.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data (finite numbers).
        y : array-like of shape (n_samples,)
            Target values (finite numbers).

        Returns
        -------
        self : LinearRegression
            The fitted estimator.
        """
        self._check_params()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        n, p = X.shape
        x_mean = X.mean(axis=0) if self.fit_intercept else np.zeros(p)
        y_mean = float(y.mean()) if self.fit_intercept else 0.0
        # One F-ordered copy [X̃ | ỹ]: LAPACK factors it in place, no further n×p copies.
        A = np.empty((n, p + 1), order="F")
        np.subtract(X, x_mean, out=A[:, :p])
        np.subtract(y, y_mean, out=A[:, p])
        tss = float(A[:, p] @ A[:, p]) if self.fit_intercept else float(y @ y)

        R = None  # upper-triangular factor of X̃ᵀX̃ = RᵀR when the design has full column rank
        if self.solver in ("gd", "sgd"):
            coef, rss, R, rank = self._fit_descent(A[:, :p], A[:, p])
        elif self.solver in ("qr", "normal") and n > p:
            RA = _augmented_r(A, self.solver)
            if RA is not None and _is_full_rank(RA[:p, :p], n):
                R, rank = RA[:p, :p], p
                coef = scipy.linalg.solve_triangular(R, RA[:p, p], check_finite=False)
                rss = float(RA[p, p] ** 2)
                self.singular_ = scipy.linalg.svdvals(R, check_finite=False)
        if R is None and self.solver not in ("gd", "sgd"):
            # "lstsq", or a rank-deficient design (A may hold a factorisation by now): SVD solution.
            Xc, yc = X - x_mean, y - y_mean
            coef, _, rank, self.singular_ = scipy.linalg.lstsq(Xc, yc, check_finite=False)
            rss = float(np.sum((yc - Xc @ coef) ** 2))
            if self.solver == "lstsq" and rank == p and n > p:
                R = scipy.linalg.qr(Xc, mode="raw", overwrite_a=True, check_finite=False)[1][:p]
        if self.solver not in ("gd", "sgd"):
            self.rank_ = int(rank)
            self.n_iter_ = 1  # one direct solve
        self.coef_ = coef
        self.intercept_ = y_mean - float(x_mean @ coef) if self.fit_intercept else 0.0
        self._set_inference(R, rank, rss, tss, n, x_mean)
        return self

    def _fit_descent(self, Xc: np.ndarray, yc: np.ndarray):
        """Run GD/SGD; return ``(coef, rss, R, rank)``, ``R`` the Cholesky factor of ``X̃ᵀX̃`` or None."""
        n, p = Xc.shape
        gram = Xc.T @ Xc
        batch = min(self.batch_size, n)
        lr = self.learning_rate
        if lr == "auto":
            lr = auto_learning_rate(gram, n, None if self.solver == "gd" else batch)
        if self.solver == "gd":
            res = gradient_descent(Xc, yc, learning_rate=lr, max_iter=self.max_iter, tol=self.tol)
        else:
            rng = check_random_state(self.random_state)
            res = sgd(
                Xc,
                yc,
                learning_rate=lr,
                max_iter=self.max_iter,
                tol=self.tol,
                batch_size=batch,
                rng=rng,
                average=self.average,
            )
        if not res.converged:
            warnings.warn(
                f"{self.solver} did not reach ‖∇MSE‖ <= tol={self.tol:g} in max_iter={self.max_iter} "
                f"{'iterations' if self.solver == 'gd' else 'epochs'}; increase max_iter or learning_rate, "
                "or use a closed-form solver",
                ConvergenceWarning,
                stacklevel=3,
            )
        self.n_iter_ = res.n_iter
        self.loss_curve_ = res.loss_curve
        rss = float(np.sum((yc - Xc @ res.coef) ** 2))
        try:
            R = scipy.linalg.cholesky(gram, lower=False, check_finite=False)
        except np.linalg.LinAlgError:  # collinear columns
            R = None
        if R is not None and not _is_full_rank(R, n):
            R = None
        rank = p if R is not None else int(np.linalg.matrix_rank(Xc))
        return res.coef, rss, R, rank

    def _set_inference(self, R, rank: int, rss: float, tss: float, n: int, x_mean: np.ndarray):
        """R², σ̂ and the coefficient table from ``R`` (``X̃ᵀX̃ = RᵀR``, None if singular) and the RSS."""
        p = x_mean.size
        k0 = int(self.fit_intercept)
        self.df_resid_ = int(n - rank - k0)
        self.r2_ = 1.0 - rss / tss if tss > 0 else np.nan
        size = p + k0
        nan = np.full(size, np.nan)
        if R is None or self.df_resid_ <= 0:
            why = (
                f"the design is numerically rank-deficient (rank {rank} of {p} features: collinear "
                "columns); drop or combine the collinear features"
                if R is None
                else f"there are no residual degrees of freedom (n={n} <= {p + k0} parameters); "
                "more samples or fewer features are needed"
            )
            warnings.warn(
                f"OLS standard errors, t-values and p-values are undefined and set to NaN because {why}.",
                UserWarning,
                stacklevel=3,
            )
            self.adjusted_r2_ = self.residual_std_error_ = np.nan
            self.std_errors_, self.t_values_, self.p_values_ = nan, nan.copy(), nan.copy()
            return
        self.adjusted_r2_ = 1.0 - (n - k0) / self.df_resid_ * (1.0 - self.r2_)
        sigma = np.sqrt(rss / self.df_resid_)
        self.residual_std_error_ = sigma
        # (X̃ᵀX̃)⁻¹ = R⁻¹R⁻ᵀ, so Var(β̂_j) = σ̂² ‖row j of R⁻¹‖²; Var(b̂) = σ̂² (1/n + ‖R⁻ᵀx̄‖²).
        R_inv, info = scipy.linalg.lapack.dtrtri(R, lower=0)  # triangular inverse, p³/3 flops
        if info != 0:
            raise np.linalg.LinAlgError(f"triangular factor is singular (dtrtri info={info})")
        se = sigma * np.sqrt(np.einsum("ij,ij->i", R_inv, R_inv))
        params = self.coef_
        if self.fit_intercept:
            w = scipy.linalg.solve_triangular(R, x_mean, trans="T", check_finite=False)
            se = np.concatenate([[sigma * np.sqrt(1.0 / n + w @ w)], se])
            params = np.concatenate([[self.intercept_], params])
        self.std_errors_ = se
        with np.errstate(divide="ignore", invalid="ignore"):
            self.t_values_ = params / se
        self.p_values_ = 2.0 * scipy.stats.t.sf(np.abs(self.t_values_), self.df_resid_)

    def predict(self, X):
        """Predict ``Xβ̂ + b̂``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted values.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_ + self.intercept_

    def summary(self) -> pd.DataFrame:
        """The OLS coefficient table: estimate, standard error, t-value and p-value per term.

        Returns
        -------
        table : pandas.DataFrame
            One row per term (``"intercept"`` first when fitted, then the features, named as in
            ``feature_names_in_`` or ``x0, x1, ...``); columns ``coef``, ``std_err``, ``t``,
            ``p_value``. ``table.attrs`` holds ``r2``, ``adjusted_r2``, ``residual_std_error`` and
            ``df_resid``.
        """
        check_is_fitted(self)
        names = list(getattr(self, "feature_names_in_", [f"x{j}" for j in range(self.n_features_in_)]))
        params = self.coef_
        if self.fit_intercept:
            names = ["intercept", *names]
            params = np.concatenate([[self.intercept_], params])
        table = pd.DataFrame(
            {"coef": params, "std_err": self.std_errors_, "t": self.t_values_, "p_value": self.p_values_},
            index=pd.Index(names, name="term"),
        )
        table.attrs = {
            "r2": self.r2_,
            "adjusted_r2": self.adjusted_r2_,
            "residual_std_error": self.residual_std_error_,
            "df_resid": self.df_resid_,
        }
        return table
