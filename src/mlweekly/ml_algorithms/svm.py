"""Support vector machines from scratch: the kernel SVC (SMO, libsvm's algorithm) and LinearSVC.

:class:`SVC` solves the soft-margin dual with sequential minimal optimisation and libsvm's WSS3
working-set selection (``_smo``); several classes are handled one-vs-one, as libsvm does.
:class:`LinearSVC` solves the linear SVM by dual coordinate descent (``_dual_cd``), as liblinear
does, with the intercept appended as a (penalised) constant feature.
"""

from __future__ import annotations

import numbers
import warnings
from itertools import combinations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlweekly.ml_algorithms._dual_cd import dual_cd
from mlweekly.ml_algorithms._kernels import KERNELS, kernel_matrix, resolve_gamma
from mlweekly.ml_algorithms._smo import smo

__all__ = ["SVC", "LinearSVC", "ovr_decision_function"]


def _positive(value, name, *, integer=False, allow_zero=False):
    kind = numbers.Integral if integer else numbers.Real
    ok = isinstance(value, kind) and not isinstance(value, bool) and (value >= 0 if allow_zero else value > 0)
    if not ok:
        what = "an integer" if integer else "a number"
        raise ValueError(f"{name} must be {what} {'>= 0' if allow_zero else '> 0'}, got {value!r}")


def _classes(estimator, X, y):
    """Validate ``X, y``; return ``(X, y as class indices, class weights)`` and set ``classes_``."""
    X, y = validate_data(estimator, X, y, dtype=np.float64, order="C", ensure_min_samples=2)
    check_classification_targets(y)
    estimator.classes_, y_idx = np.unique(y, return_inverse=True)
    if estimator.classes_.size < 2:
        only = estimator.classes_[0]
        only = only.item() if isinstance(only, np.generic) else only
        raise ValueError(
            f"{type(estimator).__name__} needs samples of at least 2 classes; got only class {only!r}"
        )
    cw = estimator.class_weight
    weights = (
        np.ones(estimator.classes_.size)
        if cw is None
        else compute_class_weight(cw, classes=estimator.classes_, y=y)
    )
    return X, y_idx, weights


def ovr_decision_function(dec, n_classes):
    """One-vs-rest scores from one-vs-one decision values (scikit-learn's transform).

    Class ``k`` gets its number of pairwise wins plus the sum of its pairwise confidences squashed
    into ``(-⅓, ⅓)``, so the confidences only break ties between equal vote counts.

    Parameters
    ----------
    dec : ndarray of shape (n_samples, n_classes * (n_classes - 1) / 2)
        Pairwise decision values, pair ``(a, b)`` in lexicographic order, positive for ``a``.
    n_classes : int
        Number of classes.

    Returns
    -------
    scores : ndarray of shape (n_samples, n_classes)
    """
    votes = np.zeros((dec.shape[0], n_classes))
    confidence = np.zeros_like(votes)
    for p, (a, b) in enumerate(combinations(range(n_classes), 2)):
        confidence[:, a] += dec[:, p]
        confidence[:, b] -= dec[:, p]
        votes[:, a] += dec[:, p] > 0
        votes[:, b] += dec[:, p] <= 0
    return votes + confidence / (3 * (np.abs(confidence) + 1))


class SVC(ClassifierMixin, BaseEstimator):
    """Kernel support vector classifier (C-SVC) solved by SMO, from scratch.

    Solves ``min ½‖w‖² + Σ C_i ξ_i`` s.t. ``y_i (wᵀφ(x_i) + b) ≥ 1 - ξ_i, ξ_i ≥ 0`` through its dual
    with libsvm's SMO (WSS3 second-order working-set selection, analytic two-variable steps, kernel
    rows on demand in an LRU cache). More than two classes: one-vs-one, one SVM per pair of classes,
    prediction by majority vote — libsvm's scheme, so the attributes match scikit-learn's ``SVC``.

    Parameters
    ----------
    C : float, default=1.0
        Cost of margin violations, ``> 0`` (class ``k`` uses ``C · class_weight_[k]``).
    kernel : {"rbf", "linear", "poly"}, default="rbf"
        ``exp(-γ‖x-z‖²)``, ``x·z`` or ``(γ x·z + coef0)^degree``.
    degree : int, default=3
        Degree of the polynomial kernel.
    gamma : {"scale", "auto"} or float, default="scale"
        ``"scale"``: ``1 / (n_features · X.var())``; ``"auto"``: ``1 / n_features``.
    coef0 : float, default=0.0
        Constant of the polynomial kernel.
    tol : float, default=1e-3
        Stop when the maximal KKT violation ``max_{I_up} -y G - min_{I_low} -y G`` is below ``tol``.
    max_iter : int, default=-1
        Maximum SMO iterations per pair of classes; ``-1`` for no limit.
    cache_size : float, default=200
        Megabytes of kernel rows kept per binary problem; when all rows fit, each is computed once.
    class_weight : dict, "balanced" or None, default=None
        Multiplies ``C`` per class (``"balanced"``: ``n / (n_classes · count)``).
    decision_function_shape : {"ovr", "ovo"}, default="ovr"
        Shape of :meth:`decision_function` with more than two classes.
    cache_dtype : {"float64", "float32"}, default="float64"
        Precision of the cached kernel rows. ``"float32"`` is libsvm's choice (twice the rows per
        megabyte, kernel values rounded to ~6e-8 relative), with which the SMO path and solution
        reproduce scikit-learn's ``SVC`` to rounding; ``"float64"`` solves the exact problem.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    support_ : ndarray of shape (n_SV,)
        Indices of the support vectors, grouped by class, increasing within a class.
    support_vectors_ : ndarray of shape (n_SV, n_features)
    n_support_ : ndarray of shape (n_classes,)
        Support vectors per class.
    dual_coef_ : ndarray of shape (n_classes - 1, n_SV)
        ``α_i y_i`` in libsvm's one-vs-one layout (binary: ``y = +1`` for ``classes_[1]``).
    intercept_ : ndarray of shape (n_classes * (n_classes - 1) / 2,)
        ``b`` per pair (``-ρ`` of libsvm).
    fit_status_ : int
        0 if every problem converged, 1 if ``max_iter`` stopped one.
    n_iter_ : ndarray of shape (n_classes * (n_classes - 1) / 2,)
        SMO iterations per pair.
    class_weight_ : ndarray of shape (n_classes,)
    dual_objective_curves_, kkt_violation_curves_ : list of ndarray
        Per pair, the dual objective ``½αᵀQα - Σα`` and the maximal KKT violation before every
        iteration (the last entry is at the solution).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import SVC
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [2.0, 0.0], [2.0, 1.0]])
    >>> clf = SVC(kernel="linear", C=10.0).fit(X, [0, 0, 1, 1])
    >>> clf.predict([[0.3, 0.5], [1.8, 0.5]])
    array([0, 1])
    >>> clf.decision_function([[1.0, 0.5]]).round(6)
    array([0.])
    """

    def __init__(
        self,
        C=1.0,
        kernel="rbf",
        degree=3,
        gamma="scale",
        coef0=0.0,
        tol=1e-3,
        max_iter=-1,
        cache_size=200,
        class_weight=None,
        decision_function_shape="ovr",
        cache_dtype="float64",
    ):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.max_iter = max_iter
        self.cache_size = cache_size
        self.class_weight = class_weight
        self.decision_function_shape = decision_function_shape
        self.cache_dtype = cache_dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags

    def _check_params(self):
        _positive(self.C, "C")
        if self.kernel not in KERNELS:
            raise ValueError(f"kernel must be one of {tuple(KERNELS)}, got {self.kernel!r}")
        _positive(self.degree, "degree", integer=True, allow_zero=True)
        if not isinstance(self.coef0, numbers.Real):
            raise ValueError(f"coef0 must be a number, got {self.coef0!r}")
        _positive(self.tol, "tol")
        _positive(self.cache_size, "cache_size")
        if not isinstance(self.max_iter, numbers.Integral) or self.max_iter < -1 or self.max_iter == 0:
            raise ValueError(f"max_iter must be -1 (no limit) or an integer > 0, got {self.max_iter!r}")
        if self.decision_function_shape not in ("ovr", "ovo"):
            raise ValueError(
                f"decision_function_shape must be 'ovr' or 'ovo', got {self.decision_function_shape!r}"
            )
        if self.cache_dtype not in ("float64", "float32"):
            raise ValueError(f"cache_dtype must be 'float64' or 'float32', got {self.cache_dtype!r}")

    def fit(self, X, y):
        """Fit one SVM per pair of classes by SMO.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (cast to float64; no NaN or inf).
        y : array-like of shape (n_samples,)
            Class labels; at least two distinct classes.

        Returns
        -------
        self : SVC
            The fitted estimator.
        """
        self._check_params()
        X, y_idx, self.class_weight_ = _classes(self, X, y)
        self._gamma = resolve_gamma(self.gamma, X)
        K = self.classes_.size
        members = [np.flatnonzero(y_idx == k) for k in range(K)]  # libsvm groups samples by class
        is_sv = np.zeros(X.shape[0], dtype=bool)
        pairs = []
        self.n_iter_ = np.zeros(K * (K - 1) // 2, dtype=np.int64)
        self.dual_objective_curves_, self.kkt_violation_curves_ = [], []
        self.fit_status_ = 0
        for p, (a, b) in enumerate(combinations(range(K), 2)):
            idx = np.concatenate([members[a], members[b]])
            na = members[a].size
            ys = np.where(np.arange(idx.size) < na, 1.0, -1.0)  # libsvm: the first class is +1
            Cs = np.where(ys > 0, self.C * self.class_weight_[a], self.C * self.class_weight_[b])
            dtype = np.dtype(self.cache_dtype)
            # two rows must fit (i's row is in use while j's is fetched); all n: each computed once
            rows = int(min(idx.size, max(2, self.cache_size * 2**20 // (dtype.itemsize * idx.size))))
            cache = np.empty((rows, idx.size), dtype)
            alpha, rho, n_iter, status, obj, viol = smo(
                np.ascontiguousarray(X[idx]), ys, Cs, KERNELS[self.kernel], self._gamma,
                float(self.coef0), int(self.degree), float(self.tol), int(self.max_iter), cache,
            )  # fmt: skip
            is_sv[idx[alpha > 0]] = True
            pairs.append((a, b, idx[alpha > 0], (alpha * ys)[alpha > 0], rho))
            self.n_iter_[p] = n_iter
            self.fit_status_ = max(self.fit_status_, status)
            self.dual_objective_curves_.append(obj)
            self.kkt_violation_curves_.append(viol)
        if self.fit_status_:
            warnings.warn(
                f"SMO stopped at max_iter={self.max_iter} before the KKT violation fell below "
                f"tol={self.tol:g}; scale the features (StandardScaler) or raise max_iter.",
                ConvergenceWarning,
                stacklevel=2,
            )
        order = np.concatenate(members)
        self.support_ = order[is_sv[order]]
        self.support_vectors_ = X[self.support_]
        self.n_support_ = np.array([np.count_nonzero(is_sv[m]) for m in members], dtype=np.int32)
        pos = np.full(X.shape[0], -1)
        pos[self.support_] = np.arange(self.support_.size)
        # libsvm's layout: pair (a, b) keeps the coefficients of class a's SVs in row b-1 and of
        # class b's SVs in row a, so each SV's K-1 pairwise coefficients share its column.
        self.dual_coef_ = np.zeros((K - 1, self.support_.size))
        self.intercept_ = np.zeros(len(pairs))
        for p, (a, b, sv, coef, rho) in enumerate(pairs):
            in_a = y_idx[sv] == a
            self.dual_coef_[b - 1, pos[sv[in_a]]] = coef[in_a]
            self.dual_coef_[a, pos[sv[~in_a]]] = coef[~in_a]
            self.intercept_[p] = -rho
        if K == 2:  # scikit-learn's sign: positive scores mean classes_[1]
            self.dual_coef_ = -self.dual_coef_
            self.intercept_ = -self.intercept_
        return self

    def _ovo(self, X):
        """Pairwise decision values, positive for the first class of each pair (libsvm's sign)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        Kx = kernel_matrix(
            X, self.support_vectors_, self.kernel, self._gamma, float(self.coef0), int(self.degree)
        )
        if self.classes_.size == 2:
            return -(Kx @ self.dual_coef_[0] + self.intercept_[0])[:, None]
        start = np.concatenate([[0], np.cumsum(self.n_support_)])
        dec = np.empty((X.shape[0], self.intercept_.size))
        for p, (a, b) in enumerate(combinations(range(self.classes_.size), 2)):
            sa, sb = slice(start[a], start[a + 1]), slice(start[b], start[b + 1])
            dec[:, p] = Kx[:, sa] @ self.dual_coef_[b - 1, sa] + Kx[:, sb] @ self.dual_coef_[a, sb]
        return dec + self.intercept_

    def decision_function(self, X):
        """Signed distance-like scores ``Σ_i α_i y_i k(x_i, x) + b``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray
            Two classes: shape (n_samples,), positive for ``classes_[1]``. More: (n_samples,
            n_classes) one-vs-rest scores (``"ovr"``) or (n_samples, n_pairs) pairwise ones (``"ovo"``).
        """
        dec = self._ovo(X)
        if self.classes_.size == 2:
            return -dec[:, 0]
        return (
            ovr_decision_function(dec, self.classes_.size) if self.decision_function_shape == "ovr" else dec
        )

    def predict(self, X):
        """Majority vote of the pairwise SVMs (ties: the lower class index), as libsvm.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        dec = self._ovo(X)
        votes = np.zeros((dec.shape[0], self.classes_.size), dtype=np.int64)
        for p, (a, b) in enumerate(combinations(range(self.classes_.size), 2)):
            votes[:, a] += dec[:, p] > 0
            votes[:, b] += dec[:, p] <= 0
        return self.classes_[votes.argmax(axis=1)]


class LinearSVC(ClassifierMixin, BaseEstimator):
    """Linear support vector classifier by dual coordinate descent (liblinear's algorithm), from scratch.

    Minimises ``½‖w̃‖² + Σ C_i ξ(y_i w̃ᵀx̃_i)`` with ``x̃ = [x, intercept_scaling]`` — the intercept is a
    weight on a constant feature, so it *is* penalised, as in liblinear — and ``ξ`` the hinge or the
    squared hinge. More than two classes: one-vs-rest.

    Parameters
    ----------
    C : float, default=1.0
        Cost of margin violations, ``> 0``.
    loss : {"squared_hinge", "hinge"}, default="squared_hinge"
    tol : float, default=1e-4
        Stop when the spread of the projected dual gradient over a sweep is ``≤ tol``.
    max_iter : int, default=1000
        Maximum sweeps over the data per binary problem.
    fit_intercept : bool, default=True
    intercept_scaling : float, default=1.0
        Value of the constant feature; a larger one weakens the penalty on the intercept.
    class_weight : dict, "balanced" or None, default=None
        Multiplies ``C`` for the samples of a class (one-vs-rest: the positive class only, as liblinear).
    random_state : int, RandomState or None, default=None
        Seeds the order of the coordinates (the optimum does not depend on it).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int
        Largest number of sweeps over the binary problems.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import LinearSVC
    >>> X = np.array([[0.0], [1.0], [3.0], [4.0]])
    >>> LinearSVC(random_state=0).fit(X, [0, 0, 1, 1]).predict([[0.5], [3.5]])
    array([0, 1])
    """

    def __init__(
        self,
        C=1.0,
        loss="squared_hinge",
        tol=1e-4,
        max_iter=1000,
        fit_intercept=True,
        intercept_scaling=1.0,
        class_weight=None,
        random_state=None,
    ):
        self.C = C
        self.loss = loss
        self.tol = tol
        self.max_iter = max_iter
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags

    def fit(self, X, y):
        """Fit one linear SVM (two classes) or one per class against the rest.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (cast to float64; no NaN or inf).
        y : array-like of shape (n_samples,)
            Class labels; at least two distinct classes.

        Returns
        -------
        self : LinearSVC
            The fitted estimator.
        """
        _positive(self.C, "C")
        _positive(self.tol, "tol")
        _positive(self.max_iter, "max_iter", integer=True)
        _positive(self.intercept_scaling, "intercept_scaling")
        if self.loss not in ("squared_hinge", "hinge"):
            raise ValueError(f"loss must be 'squared_hinge' or 'hinge', got {self.loss!r}")
        X, y_idx, weights = _classes(self, X, y)
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        Xt = (
            np.hstack([X, np.full((X.shape[0], 1), float(self.intercept_scaling))])
            if self.fit_intercept
            else X
        )
        K = self.classes_.size
        positives = [1] if K == 2 else range(K)
        W, iters = [], []
        for k in positives:
            ys = np.where(y_idx == k, 1.0, -1.0)
            Cs = self.C * (weights[y_idx] if K == 2 else np.where(y_idx == k, weights[k], 1.0))
            w, n_iter = dual_cd(
                Xt, ys, Cs, self.loss == "squared_hinge", float(self.tol), int(self.max_iter), seed
            )
            W.append(w)
            iters.append(n_iter)
        W = np.array(W)
        self.n_iter_ = int(max(iters))
        if self.n_iter_ >= self.max_iter:
            warnings.warn(
                f"LinearSVC did not converge in max_iter={self.max_iter} sweeps; raise max_iter or scale X.",
                ConvergenceWarning,
                stacklevel=2,
            )
        d = X.shape[1]
        self.coef_ = W[:, :d].copy()
        self.intercept_ = self.intercept_scaling * W[:, d] if self.fit_intercept else np.zeros(W.shape[0])
        return self

    def decision_function(self, X):
        """Scores ``Xwᵀ + b``: shape (n_samples,) for two classes, (n_samples, n_classes) otherwise.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        scores = X @ self.coef_.T + self.intercept_
        return scores.ravel() if self.classes_.size == 2 else scores

    def predict(self, X):
        """The class with the largest score (two classes: ``classes_[1]`` where the score is > 0).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        scores = self.decision_function(X)
        idx = (scores > 0).astype(int) if self.classes_.size == 2 else scores.argmax(axis=1)
        return self.classes_[idx]
