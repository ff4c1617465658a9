"""Naive Bayes from scratch: Gaussian, multinomial and Bernoulli event models, all in log space.

Bayes' rule with the *naive* assumption that the features are independent given the class::

    log P(y=k | x) = log P(y=k) + Σ_j log P(x_j | y=k) − log Σ_c exp(log P(y=c) + Σ_j log P(x_j | y=c))

The three classifiers differ only in ``P(x_j | y=k)`` (Gaussian density, multinomial word
probability, Bernoulli presence/absence) and in the counts they keep to estimate it. Products of
thousands of probabilities underflow to 0, so every quantity is a log and the normaliser is a
log-sum-exp. Names, parameters, fitted attributes and numbers follow ``sklearn.naive_bayes``.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlweekly.ml_algorithms._softmax import log_softmax
from mlweekly.ml_algorithms._validation import _check_sample_weight

__all__ = ["GaussianNB", "MultinomialNB", "BernoulliNB"]


def _one_hot(y_idx: np.ndarray, n_classes: int, sample_weight: np.ndarray | None) -> np.ndarray:
    """``Y[i, k] = s_i [y_i = k]``: the (weighted) class indicator matrix, shape (n, K)."""
    Y = np.zeros((y_idx.size, n_classes))
    Y[np.arange(y_idx.size), y_idx] = 1.0 if sample_weight is None else sample_weight
    return Y


def _mean_rows(X: np.ndarray, weights: np.ndarray | None, total: float) -> np.ndarray:
    """Column means of X, weighted by ``weights`` (summing to ``total``) when given."""
    return X.mean(axis=0) if weights is None else weights @ X / total


def _class_sums(Y: np.ndarray, X) -> np.ndarray:
    """``Σ_i Y[i, k] X[i, j]`` for every class and feature, shape (K, d); X dense or sparse."""
    return np.asarray((X.T @ Y).T)


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_))


class _BaseNB(ClassifierMixin, BaseEstimator):
    """Shared machinery: validation, class bookkeeping for fit/partial_fit, log-space prediction.

    Subclasses define ``_check_params``, ``_init_counters(n_features)``,
    ``_update(X, y_idx, sample_weight)`` (add a batch to the counts) and
    ``_joint_log_likelihood(X)`` (``log P(y=k) + log P(x | y=k)``, shape (n, K)).
    """

    _accept_sparse: bool | str = False

    def _check_X(self, X, reset: bool):
        return validate_data(self, X, reset=reset, dtype=np.float64, accept_sparse=self._accept_sparse)

    def _check_X_y(self, X, y, reset: bool):
        X, y = validate_data(self, X, y, reset=reset, dtype=np.float64, accept_sparse=self._accept_sparse)
        check_classification_targets(y)
        return X, y

    def fit(self, X, y, sample_weight=None):
        """Fit the model: estimate the class priors and the per-class feature distributions.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (float64; no NaN or inf). ``MultinomialNB`` and ``BernoulliNB`` also take
            a scipy.sparse matrix (converted to CSR).
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weight of each sample (default: all ones); a weight of 2 counts a sample twice.

        Returns
        -------
        self
            The fitted estimator.
        """
        self._check_params()
        X, y = self._check_X_y(X, y, reset=True)
        sw = None if sample_weight is None else _check_sample_weight(sample_weight, X.shape[0])
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        self._init_counters(X.shape[1])
        self._update(X, y_idx.ravel(), sw)
        return self

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Add one batch of samples to the fitted counts (out-of-core / online learning).

        Fitting the batches of a data set one after another gives the same model as one
        :meth:`fit` on all of it (the sufficient statistics simply add up).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            A batch of training features.
        y : array-like of shape (n_samples,)
            Their labels; every label must be one of ``classes``.
        classes : array-like of shape (n_classes,), optional
            Every label ``y`` can ever take. Required on the first call (a batch need not contain
            every class); if given later it must be the same set.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weight of each sample.

        Returns
        -------
        self
            The updated estimator.
        """
        name = type(self).__name__
        first = not hasattr(self, "classes_")
        if first and classes is None:
            raise ValueError(
                f"{name}.partial_fit: pass classes= (every label y can take) on the first call; "
                "later batches may lack some classes, so they cannot be learnt from the first batch."
            )
        self._check_params()
        X, y = self._check_X_y(X, y, reset=first)
        sw = None if sample_weight is None else _check_sample_weight(sample_weight, X.shape[0])
        if classes is not None:
            classes = np.unique(classes)
            if not first and not np.array_equal(classes, self.classes_):
                raise ValueError(
                    f"{name}.partial_fit: classes={classes.tolist()} differs from the classes of the "
                    f"first call {self.classes_.tolist()}"
                )
        if first:
            self.classes_ = classes
            self._init_counters(X.shape[1])
        y = np.asarray(y).ravel()
        y_idx = np.searchsorted(self.classes_, y).clip(max=self.classes_.size - 1)
        unseen = self.classes_[y_idx] != y
        if np.any(unseen):
            raise ValueError(
                f"{name}.partial_fit: y has label(s) {np.unique(y[unseen]).tolist()} that are not in "
                f"classes_ {self.classes_.tolist()}; pass every possible label in classes= on the first call"
            )
        self._update(X, y_idx, sw)
        return self

    def predict_joint_log_proba(self, X):
        """Joint log-probabilities ``log P(y=k) + log P(x | y=k)``, columns ordered as ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        jll : ndarray of shape (n_samples, n_classes)
            Unnormalised log-posteriors (they differ from :meth:`predict_log_proba` by ``log P(x)``).
        """
        check_is_fitted(self)
        return self._joint_log_likelihood(self._check_X(X, reset=False))

    def predict_log_proba(self, X):
        """Log-posteriors ``log P(y=k | x)``: the joint log-probabilities minus their log-sum-exp.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``; ``logsumexp`` of every row is 0.
        """
        return log_softmax(self.predict_joint_log_proba(X))

    def predict_proba(self, X):
        """Posterior class probabilities ``P(y=k | x)``; rows sum to one.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``.
        """
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """The maximum a-posteriori class of each sample (``log P(x)`` is not needed for the argmax).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Entries of ``classes_``.
        """
        jll = self.predict_joint_log_proba(X)  # first: it checks that the model is fitted
        return self.classes_[jll.argmax(axis=1)]


# ------------------------------------------------------------------------------------------ Gaussian
class GaussianNB(_BaseNB):
    """Gaussian naive Bayes: each feature is normal within each class, ``x_j | y=k ~ N(θ_kj, σ²_kj)``.

    The maximum-likelihood estimates are the per-class means and (biased, ``1/n_k``) variances; to
    every variance ``epsilon_ = var_smoothing · max_j Var(x_j)`` is added so that a feature that is
    constant within a class does not give a zero variance (an infinitely narrow density).

    Parameters
    ----------
    priors : array-like of shape (n_classes,), optional
        Class prior probabilities (non-negative, summing to 1). Default: the class frequencies.
    var_smoothing : float, default=1e-9
        Fraction of the largest feature variance added to every variance.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    class_count_ : ndarray of shape (n_classes,)
        (Weighted) number of training samples per class.
    class_prior_ : ndarray of shape (n_classes,)
        ``P(y=k)``.
    theta_ : ndarray of shape (n_classes, n_features)
        Per-class feature means.
    var_ : ndarray of shape (n_classes, n_features)
        Per-class feature variances plus ``epsilon_``.
    epsilon_ : float
        The variance added, ``var_smoothing`` times the largest feature variance of the last batch
        seen (of all of ``X`` after :meth:`fit`), as in scikit-learn.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import GaussianNB
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> y = np.array([0, 0, 1, 1])
    >>> clf = GaussianNB().fit(X, y)
    >>> clf.theta_.ravel(), clf.predict([[-1.2], [0.8]])
    (array([-1.5,  1.5]), array([0, 1]))
    """

    def __init__(self, priors=None, var_smoothing=1e-9):
        self.priors = priors
        self.var_smoothing = var_smoothing

    def _check_params(self) -> None:
        vs = self.var_smoothing
        if _is_bool(vs) or not isinstance(vs, numbers.Real) or not vs >= 0 or not np.isfinite(vs):
            raise ValueError(f"var_smoothing must be a finite number >= 0, got {vs!r}")

    def _init_counters(self, n_features: int) -> None:
        K = self.classes_.size
        self.class_count_ = np.zeros(K)
        self.theta_ = np.zeros((K, n_features))
        self.var_ = np.zeros((K, n_features))
        self.epsilon_ = 0.0
        if self.priors is not None:
            priors = np.asarray(self.priors, dtype=np.float64)
            if priors.shape != (K,):
                raise ValueError(f"priors has shape {priors.shape}; it needs one probability per class ({K})")
            if np.any(priors < 0) or not np.isclose(priors.sum(), 1.0):
                raise ValueError(f"priors must be non-negative and sum to 1, got {priors.tolist()}")
            self.class_prior_ = priors

    def _update(self, X: np.ndarray, y_idx: np.ndarray, sw: np.ndarray | None) -> None:
        K, d = self.classes_.size, X.shape[1]
        n_new = np.bincount(y_idx, weights=sw, minlength=K)
        new = n_new > 0
        # Two-pass batch statistics per class (weighted mean, then mean squared deviation from it),
        # in place on the class's copy of its rows: no n × d temporaries beyond that copy.
        mu_b, var_b = np.zeros((K, d)), np.zeros((K, d))
        for k in np.flatnonzero(new):
            rows = y_idx == k
            Xk, wk = X[rows], None if sw is None else sw[rows]
            mu_b[k] = _mean_rows(Xk, wk, n_new[k])
            Xk -= mu_b[k]
            np.square(Xk, out=Xk)
            var_b[k] = _mean_rows(Xk, wk, n_new[k])

        # Chan, Golub & LeVeque (1979): merge (n_a, μ_a, M2_a) with (n_b, μ_b, M2_b), M2 = n·var:
        #   μ = μ_a + δ n_b/n,  M2 = M2_a + M2_b + δ² n_a n_b / n,  δ = μ_b − μ_a,  n = n_a + n_b.
        self.var_ -= self.epsilon_  # the stored variances carry the previous batch's epsilon_
        n_a, n_b = self.class_count_[new, None], n_new[new, None]
        n = n_a + n_b
        delta = mu_b[new] - self.theta_[new]
        m2 = n_a * self.var_[new] + n_b * var_b[new] + delta**2 * (n_a * n_b / n)
        self.theta_[new] += delta * (n_b / n)
        self.var_[new] = m2 / n
        self.class_count_ += n_new
        # epsilon_ from this batch, added to every variance (scikit-learn's convention).
        self.epsilon_ = self.var_smoothing * float(X.var(axis=0).max())
        self.var_ += self.epsilon_
        if self.priors is None:
            self.class_prior_ = self.class_count_ / self.class_count_.sum()

    def _joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        if np.any(self.var_ <= 0):
            k, j = np.argwhere(self.var_ <= 0)[0]
            raise ValueError(
                f"GaussianNB: var_ is 0 for class {self.classes_[k : k + 1].tolist()[0]!r}, feature {j} "
                f"(constant in the training data and epsilon_ = {self.epsilon_:g}); the density is "
                "infinitely narrow. "
                "Use var_smoothing > 0 and more than one distinct value per feature."
            )
        with np.errstate(divide="ignore"):  # a prior of 0 is a log-prior of -inf, by design
            log_prior = np.log(self.class_prior_)
        # log N(x; θ, σ²) summed over features = −½ Σ_j log(2π σ²_j) − ½ Σ_j (x_j − θ_j)² / σ²_j
        log_norm = -0.5 * np.log(2.0 * np.pi * self.var_).sum(axis=1)
        jll = np.empty((X.shape[0], self.classes_.size))
        D = np.empty_like(X)
        for k in range(self.classes_.size):  # K passes over X; (n, K, d) at once would not fit memory
            np.subtract(X, self.theta_[k], out=D)
            np.square(D, out=D)
            jll[:, k] = D @ (-0.5 / self.var_[k])
        return jll + (log_prior + log_norm)


# ------------------------------------------------------------------------------------------ discrete
class _BaseDiscreteNB(_BaseNB):
    """Count-based naive Bayes: ``class_count_`` and ``feature_count_`` are the sufficient statistics."""

    _accept_sparse = "csr"

    def _check_params(self) -> None:
        alpha = self.alpha
        if isinstance(alpha, numbers.Real) and not _is_bool(alpha):
            ok = alpha >= 0 and np.isfinite(alpha)
        else:
            arr = np.asarray(alpha, dtype=object)
            ok = arr.ndim == 1 and all(isinstance(a, numbers.Real) and a >= 0 and np.isfinite(a) for a in arr)
        if not ok:
            raise ValueError(f"alpha must be a finite number >= 0 or a 1-d array of them, got {alpha!r}")
        for param in ("fit_prior", "force_alpha"):
            if not _is_bool(getattr(self, param)):
                raise ValueError(f"{param} must be True or False, got {getattr(self, param)!r}")

    def _alpha(self) -> float | np.ndarray:
        """The smoothing actually used; below 1e-10 it is raised to 1e-10 unless ``force_alpha``."""
        alpha = self.alpha if isinstance(self.alpha, numbers.Real) else np.asarray(self.alpha, dtype=float)
        if np.ndim(alpha) and alpha.shape != (self.n_features_in_,):
            raise ValueError(
                f"alpha has {alpha.shape[0]} entries; it needs one per feature ({self.n_features_in_})"
            )
        if not self.force_alpha and np.min(alpha) < 1e-10:
            warnings.warn(
                f"{type(self).__name__}: alpha={np.min(alpha):g} < 1e-10 is raised to 1e-10 so that an "
                "unseen feature does not give log 0 = -inf; pass force_alpha=True to keep alpha unchanged",
                UserWarning,
                stacklevel=4,
            )
            alpha = np.maximum(alpha, 1e-10)
        return alpha

    def _init_counters(self, n_features: int) -> None:
        K = self.classes_.size
        self.class_count_ = np.zeros(K)
        self.feature_count_ = np.zeros((K, n_features))
        if self.class_prior is not None:
            prior = np.asarray(self.class_prior, dtype=np.float64)
            if prior.shape != (K,) or np.any(prior < 0):
                raise ValueError(
                    f"class_prior must hold one non-negative probability per class ({K}), "
                    f"got {prior.tolist()}"
                )

    def _update(self, X, y_idx: np.ndarray, sw: np.ndarray | None) -> None:
        alpha = self._alpha()  # checked before the counts change
        Y = _one_hot(y_idx, self.classes_.size, sw)
        self.feature_count_ += _class_sums(Y, X)
        self.class_count_ += Y.sum(axis=0)
        self._smooth(alpha)
        with np.errstate(divide="ignore"):  # a class not seen yet has count 0 and log-prior -inf
            if self.class_prior is not None:
                self.class_log_prior_ = np.log(np.asarray(self.class_prior, dtype=np.float64))
            elif self.fit_prior:
                self.class_log_prior_ = np.log(self.class_count_) - np.log(self.class_count_.sum())
            else:
                self.class_log_prior_ = np.full(self.classes_.size, -np.log(self.classes_.size))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.poor_score = True  # sklearn's estimator checks use Gaussian blobs
        return tags


class MultinomialNB(_BaseDiscreteNB):
    """Multinomial naive Bayes: a document is a bag of tokens drawn from a per-class word distribution.

    With ``N_kj`` the total count of feature ``j`` in class ``k`` and ``N_k = Σ_j N_kj``, the
    Lidstone-smoothed estimate (Laplace for ``α = 1``) is

    ``P(j | y=k) = (N_kj + α) / (N_k + α n_features)``,  ``log P(x | y=k) = Σ_j x_j log P(j | y=k)``

    (dropping the multinomial coefficient, which is the same for every class).

    Parameters
    ----------
    alpha : float or array-like of shape (n_features,), default=1.0
        Additive smoothing (pseudo-count per feature); 0 means none.
    fit_prior : bool, default=True
        Learn the class priors from the class counts; if False use a uniform prior.
    class_prior : array-like of shape (n_classes,), optional
        Fixed class priors (override ``fit_prior``).
    force_alpha : bool, default=True
        If False, an ``alpha`` below 1e-10 is raised to 1e-10 (so that ``log 0`` cannot happen).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    class_count_ : ndarray of shape (n_classes,)
        (Weighted) number of samples per class.
    class_log_prior_ : ndarray of shape (n_classes,)
        ``log P(y=k)``.
    feature_count_ : ndarray of shape (n_classes, n_features)
        ``N_kj``, the (weighted) sum of feature ``j`` over the samples of class ``k``.
    feature_log_prob_ : ndarray of shape (n_classes, n_features)
        ``log P(j | y=k)``; each row is a log-distribution (its exponentials sum to 1).
    n_features_in_ : int
        Number of features seen in :meth:`fit`.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import MultinomialNB
    >>> X = np.array([[3, 0, 1], [2, 0, 0], [0, 4, 1], [0, 2, 2]])
    >>> y = np.array(["ham", "ham", "spam", "spam"])
    >>> clf = MultinomialNB().fit(X, y)
    >>> np.exp(clf.feature_log_prob_[0]).round(3)
    array([0.667, 0.111, 0.222])
    >>> clf.predict([[1, 0, 0], [0, 1, 0]])
    array(['ham', 'spam'], dtype='<U4')
    """

    def __init__(self, alpha=1.0, fit_prior=True, class_prior=None, force_alpha=True):
        self.alpha = alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior
        self.force_alpha = force_alpha

    def _check_X_y(self, X, y, reset: bool):
        X, y = super()._check_X_y(X, y, reset)
        values = X.data if sp.issparse(X) else X
        negative = values < 0
        if np.any(negative):
            first = int(np.argmax(negative.ravel()))
            if sp.issparse(X):  # the k-th stored value of a CSR matrix sits in row searchsorted(indptr, k)
                row, col = int(np.searchsorted(X.indptr, first, side="right")) - 1, int(X.indices[first])
            else:
                row, col = np.unravel_index(first, X.shape)
            raise ValueError(
                f"MultinomialNB needs non-negative counts; X has negative values at {int(negative.sum())} "
                f"entries (first: row {row}, column {col}, value {values.ravel()[first]:g}). Negative values "
                "in data cannot be counts: use GaussianNB for real-valued features, or BernoulliNB."
            )
        return X, y

    def _smooth(self, alpha) -> None:
        smoothed = self.feature_count_ + alpha  # N_kj + α
        with np.errstate(divide="ignore"):  # α = 0 and a zero count: log 0 = -inf, as asked for
            self.feature_log_prob_ = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))

    def _joint_log_likelihood(self, X) -> np.ndarray:
        return np.asarray(X @ self.feature_log_prob_.T) + self.class_log_prior_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags


class BernoulliNB(_BaseDiscreteNB):
    """Bernoulli naive Bayes: each feature is present or absent, ``x_j | y=k ~ Bernoulli(p_kj)``.

    With ``N_kj`` the number of class-``k`` samples where feature ``j`` is present and ``N_k`` the
    class count, ``p_kj = (N_kj + α) / (N_k + 2α)`` and, unlike the multinomial model, *absent*
    features count too::

        log P(x | y=k) = Σ_j [x_j log p_kj + (1 − x_j) log(1 − p_kj)].

    Parameters
    ----------
    alpha : float or array-like of shape (n_features,), default=1.0
        Additive smoothing: ``α`` pseudo-samples with the feature and ``α`` without it.
    binarize : float or None, default=0.0
        Threshold: ``x_j > binarize`` counts as present. ``None`` takes X as already binary.
    fit_prior : bool, default=True
        Learn the class priors from the class counts; if False use a uniform prior.
    class_prior : array-like of shape (n_classes,), optional
        Fixed class priors (override ``fit_prior``).
    force_alpha : bool, default=True
        If False, an ``alpha`` below 1e-10 is raised to 1e-10 (scikit-learn's parameter).

    Attributes
    ----------
    classes_, class_count_, class_log_prior_, n_features_in_
        As in :class:`MultinomialNB`.
    feature_count_ : ndarray of shape (n_classes, n_features)
        ``N_kj``, the (weighted) number of class-``k`` samples in which feature ``j`` is present.
    feature_log_prob_ : ndarray of shape (n_classes, n_features)
        ``log p_kj``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import BernoulliNB
    >>> X = np.array([[1, 0, 1], [1, 0, 0], [0, 1, 1], [0, 1, 0]])
    >>> clf = BernoulliNB().fit(X, [0, 0, 1, 1])
    >>> np.exp(clf.feature_log_prob_).round(2)
    array([[0.75, 0.25, 0.5 ],
           [0.25, 0.75, 0.5 ]])
    >>> clf.predict([[1, 0, 0]])
    array([0])
    """

    def __init__(self, alpha=1.0, binarize=0.0, fit_prior=True, class_prior=None, force_alpha=True):
        self.alpha = alpha
        self.binarize = binarize
        self.fit_prior = fit_prior
        self.class_prior = class_prior
        self.force_alpha = force_alpha

    def _check_params(self) -> None:
        super()._check_params()
        t = self.binarize
        if t is not None and (_is_bool(t) or not isinstance(t, numbers.Real) or np.isnan(t)):
            raise ValueError(f"binarize must be a number or None, got {t!r}")

    def _binarize(self, X):
        if self.binarize is None:
            return X
        if not sp.issparse(X):
            return (X > self.binarize).astype(np.float64)
        if self.binarize < 0:
            raise ValueError(
                f"BernoulliNB: binarize={self.binarize} < 0 would turn every implicit zero of the sparse X "
                "into a 1 (a dense matrix); use a threshold >= 0 or pass a dense X"
            )
        X = X.copy()
        X.data = (X.data > self.binarize).astype(np.float64)
        X.eliminate_zeros()
        return X

    def _check_X(self, X, reset: bool):
        return self._binarize(super()._check_X(X, reset))

    def _check_X_y(self, X, y, reset: bool):
        X, y = super()._check_X_y(X, y, reset)
        if self.binarize is None:
            values = X.data if sp.issparse(X) else X
            if not np.all((values == 0) | (values == 1)):
                raise ValueError(
                    "BernoulliNB(binarize=None) takes X as binary (0/1) but X has other values; set "
                    "binarize to a threshold (x > binarize counts as present) or binarise X yourself"
                )
        return self._binarize(X), y

    def _smooth(self, alpha) -> None:
        # log p and log(1 − p) straight from the counts: (N_k − N_kj + α)/(N_k + 2α) is exact, where
        # log(1 − exp(log p)) loses digits when p is close to 1.
        with np.errstate(divide="ignore"):
            log_total = np.log(self.class_count_[:, None] + 2 * alpha)  # (K, 1) or (K, d) for per-feature α
            self.feature_log_prob_ = np.log(self.feature_count_ + alpha) - log_total
            self._log_absent = np.log(self.class_count_[:, None] - self.feature_count_ + alpha) - log_total

    def _joint_log_likelihood(self, X) -> np.ndarray:
        # Σ_j x_j log p + (1 − x_j) log(1 − p) = x · (log p − log(1 − p)) + Σ_j log(1 − p): sparse-friendly.
        weights = self.feature_log_prob_ - self._log_absent
        return np.asarray(X @ weights.T) + (self.class_log_prior_ + self._log_absent.sum(axis=1))
