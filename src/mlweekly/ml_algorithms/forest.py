"""Random forests from scratch: bagged decision trees that also draw features at random per split.

A random forest is bagging (:mod:`.bagging`) with one change that matters: every split of every tree
chooses among a fresh random subset of ``max_features`` features (the tree's own ``max_features``).
That decorrelates the trees, and the variance of an average of ``B`` trees with pairwise correlation
``ρ`` is ``ρσ² + (1 − ρ)σ²/B``: more trees shrink only the second term, decorrelation the first.
"""

from __future__ import annotations

import numbers

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils.validation import check_is_fitted, validate_data

from mlweekly.ml_algorithms.bagging import (
    PREFER,
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    bootstrap_counts,
    check_sample_weight,
    class_scores,
    encode_classes,
    member_seeds,
    n_bootstrap_draws,
    oob_average,
)

__all__ = ["RandomForestClassifier", "RandomForestRegressor"]


def _fit_tree(tree, X, y, seed, n_draws, sample_weight):
    """Fit one tree on the bootstrap sample of ``seed`` given as count weights (all rows, once each)."""
    if n_draws is None:  # no bootstrap: every row, the user's weights
        return tree.fit(X, y, sample_weight=sample_weight)
    counts = bootstrap_counts(seed, X.shape[0], n_draws, sample_weight)
    return tree.fit(X, y, sample_weight=counts.astype(np.float64))


class _Forest(BaseEstimator):
    """What both forests share: parameters, the bootstrap, parallel fit, OOB and importances."""

    _tree_class: type

    def __init__(
        self,
        n_estimators=100,
        criterion="gini",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features="sqrt",
        bootstrap=True,
        oob_score=False,
        n_jobs=None,
        random_state=None,
        max_samples=None,
    ):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.max_samples = max_samples

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags

    def _make_tree(self, seed):
        return self._tree_class(
            criterion=self.criterion,
            max_depth=self.max_depth,
            min_samples_split=self.min_samples_split,
            min_samples_leaf=self.min_samples_leaf,
            max_features=self.max_features,
            random_state=int(seed),
        )

    def _fit_forest(self, X, y, sample_weight):
        if not isinstance(self.n_estimators, numbers.Integral) or self.n_estimators < 1:
            raise ValueError(f"n_estimators must be an integer >= 1, got {self.n_estimators!r}")
        if not self.bootstrap and (self.oob_score or self.max_samples is not None):
            raise ValueError("oob_score and max_samples need bootstrap=True (without it no row is left out)")
        n = X.shape[0]
        sw = check_sample_weight(sample_weight, n)
        self._n_samples = n
        self._sample_weight = sw
        self._n_draws = n_bootstrap_draws(n, self.max_samples, sw) if self.bootstrap else None
        seeds = member_seeds(self.random_state, self.n_estimators)
        self.estimators_ = Parallel(n_jobs=self.n_jobs, prefer=PREFER)(
            delayed(_fit_tree)(self._make_tree(s), X, y, s, self._n_draws, sw) for s in seeds
        )
        if self.oob_score:
            masks = [self._counts(t) == 0 for t in self.estimators_]
            preds = [self._tree_predict(t, X[m]) for t, m in zip(self.estimators_, masks, strict=True)]
            oob = oob_average(preds, masks, n, preds[0].reshape(preds[0].shape[0], -1).shape[1])
            self._set_oob(oob, y)
        return self

    def _counts(self, tree):
        return bootstrap_counts(tree.random_state, self._n_samples, self._n_draws, self._sample_weight)

    @property
    def estimators_samples_(self):
        """The drawn row indices (with repeats) of each tree, regenerated from the trees' seeds."""
        check_is_fitted(self)
        if not self.bootstrap:
            return [np.arange(self._n_samples) for _ in self.estimators_]
        return [np.repeat(np.arange(self._n_samples), self._counts(t)) for t in self.estimators_]

    @property
    def feature_importances_(self):
        """Mean impurity-based importance of the trees (trees that never split are left out), sums to 1."""
        check_is_fitted(self)
        per_tree = np.array([t.feature_importances_ for t in self.estimators_])
        per_tree = per_tree[per_tree.sum(axis=1) > 0]  # a root-only tree has no importances
        if per_tree.size == 0:
            return np.zeros(self.n_features_in_)
        mean = per_tree.mean(axis=0)
        return mean / mean.sum()

    def _aggregate(self, X):
        """Mean of the trees' outputs (class probabilities or values), summed in tree order."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        outputs = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(self._tree_predict)(t, X) for t in self.estimators_
        )
        total = outputs[0].copy()
        for out in outputs[1:]:
            total += out
        return total / len(self.estimators_)


class RandomForestClassifier(ClassifierMixin, _Forest):
    """Random forest classifier: the mean class probability of bootstrap-trained randomised trees.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
        Split criterion of the trees.
    max_depth : int, default=None
        Maximum depth of each tree (``None``: grow until pure or ``min_samples_split``).
    min_samples_split : int or float, default=2
        Minimum rows in a node to split it.
    min_samples_leaf : int or float, default=1
        Minimum rows in each leaf.
    max_features : {"sqrt", "log2"}, int, float or None, default="sqrt"
        Features drawn at random at every split (``None``: all of them, i.e. bagged trees).
    bootstrap : bool, default=True
        Fit every tree on a bootstrap sample (given as count weights); ``False``: on all rows.
    oob_score : bool, default=False
        Compute ``oob_score_`` (accuracy) and ``oob_decision_function_`` from the out-of-bag rows.
    n_jobs : int, default=None
        Trees fitted in parallel by joblib (``None``: 1, ``-1``: all cores).
    random_state : int, RandomState or None, default=None
        Seeds the bootstrap samples and the trees' feature draws; the same value gives the same
        bootstrap samples as :class:`sklearn.ensemble.RandomForestClassifier`.
    max_samples : int or float, default=None
        Size of each bootstrap sample (``None``: ``n_samples``; float: that fraction of the rows).

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
        The fitted trees (they learn class codes ``0..K-1``).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    feature_importances_ : ndarray of shape (n_features,)
        Mean impurity decrease per feature over the trees, normalised to sum to one.
    oob_score_ : float
        Out-of-bag accuracy (with ``oob_score=True``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities of the training rows (with ``oob_score=True``).
    n_features_in_ : int
        Number of features seen in :meth:`fit`.

    Examples
    --------
    >>> from mlweekly import datasets
    >>> from mlweekly.ml_algorithms import RandomForestClassifier
    >>> X, y = datasets.load_xy("breast_cancer")
    >>> forest = RandomForestClassifier(n_estimators=30, oob_score=True, random_state=0).fit(X, y)
    >>> bool(forest.oob_score_ > 0.9)
    True
    """

    _tree_class = DecisionTreeClassifier

    def fit(self, X, y, sample_weight=None):
        """Grow ``n_estimators`` trees, each on its own bootstrap sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (no NaN or inf).
        y : array-like of shape (n_samples,)
            Class labels, at least two classes.
        sample_weight : array-like of shape (n_samples,), optional
            Bootstrap rows are drawn with probability proportional to the weights (frequency
            semantics); with ``bootstrap=False`` the trees get them directly.

        Returns
        -------
        self : RandomForestClassifier
            The fitted forest.
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        return self._fit_forest(X, encode_classes(self, y), sample_weight)

    def _tree_predict(self, tree, X):
        return class_scores(tree, X, self.classes_.size)

    def _set_oob(self, oob, codes):
        self.oob_decision_function_ = oob
        self.oob_score_ = accuracy_score(codes, oob.argmax(axis=1))

    def predict_proba(self, X):
        """Mean of the trees' class probabilities (leaf class fractions of the weighted sample).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``; rows sum to one.
        """
        return self._aggregate(X)

    def predict(self, X):
        """The class with the highest mean probability (soft voting).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Entries of ``classes_``.
        """
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]


class RandomForestRegressor(RegressorMixin, _Forest):
    """Random forest regressor: the mean prediction of bootstrap-trained randomised trees.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    criterion : {"squared_error"}, default="squared_error"
        Split criterion of the trees.
    max_depth, min_samples_split, min_samples_leaf
        As in :class:`RandomForestClassifier`.
    max_features : {"sqrt", "log2"}, int, float or None, default=1.0
        Features drawn at random at every split; the default ``1.0`` (all features) makes the
        regressor plain bagged trees, scikit-learn's default.
    bootstrap, oob_score, n_jobs, random_state, max_samples
        As in :class:`RandomForestClassifier`; ``oob_score_`` is the out-of-bag :math:`R^2`.

    Attributes
    ----------
    estimators_ : list of DecisionTreeRegressor
        The fitted trees.
    feature_importances_ : ndarray of shape (n_features,)
        Mean impurity (variance) decrease per feature, normalised to sum to one.
    oob_score_ : float
        Out-of-bag :math:`R^2` (with ``oob_score=True``).
    oob_prediction_ : ndarray of shape (n_samples,)
        Out-of-bag prediction of every training row (with ``oob_score=True``).
    n_features_in_ : int
        Number of features seen in :meth:`fit`.

    Examples
    --------
    >>> from mlweekly import datasets
    >>> from mlweekly.ml_algorithms import RandomForestRegressor
    >>> X, y = datasets.load_xy("diabetes")
    >>> forest = RandomForestRegressor(n_estimators=30, oob_score=True, random_state=0).fit(X, y)
    >>> bool(0.3 < forest.oob_score_ < 0.6)
    True
    """

    _tree_class = DecisionTreeRegressor

    def __init__(
        self,
        n_estimators=100,
        criterion="squared_error",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features=1.0,
        bootstrap=True,
        oob_score=False,
        n_jobs=None,
        random_state=None,
        max_samples=None,
    ):
        super().__init__(
            n_estimators=n_estimators,
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            max_features=max_features,
            bootstrap=bootstrap,
            oob_score=oob_score,
            n_jobs=n_jobs,
            random_state=random_state,
            max_samples=max_samples,
        )

    def fit(self, X, y, sample_weight=None):
        """Grow ``n_estimators`` regression trees, each on its own bootstrap sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (no NaN or inf).
        y : array-like of shape (n_samples,)
            Numeric targets.
        sample_weight : array-like of shape (n_samples,), optional
            As in :meth:`RandomForestClassifier.fit`.

        Returns
        -------
        self : RandomForestRegressor
            The fitted forest.
        """
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        return self._fit_forest(X, y, sample_weight)

    def _tree_predict(self, tree, X):
        return tree.predict(X)

    def _set_oob(self, oob, y):
        self.oob_prediction_ = oob[:, 0]
        self.oob_score_ = r2_score(y, self.oob_prediction_)

    def predict(self, X):
        """Mean of the trees' predictions.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The forest's predictions.
        """
        return self._aggregate(X)
