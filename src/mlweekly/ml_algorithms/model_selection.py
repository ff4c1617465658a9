"""K-fold cross-validation from scratch: KFold, StratifiedKFold and cross_val_score.

Fold assignment reproduces ``sklearn.model_selection`` exactly, shuffling included: the same
``RandomState`` draws are made in the same order, so the same ``random_state`` gives the same
folds. The splitters work as ``cv=`` in scikit-learn's own tools (they have ``split`` and
``get_n_splits``).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.exceptions import FitFailedWarning
from sklearn.utils import _safe_indexing, check_random_state, indexable

from mlweekly.ml_algorithms import _metric_inputs as inp
from mlweekly.ml_algorithms import metrics

__all__ = ["KFold", "StratifiedKFold", "cross_val_score"]


def _n_samples(X) -> int:
    return X.shape[0] if hasattr(X, "shape") else len(X)


class _KFoldBase:
    """Shared parameters, checks and the test-mask -> (train, test) indices step."""

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        if not isinstance(n_splits, numbers.Integral) or isinstance(n_splits, bool):
            raise ValueError(
                f"n_splits must be an integer, got {n_splits!r} of type {type(n_splits).__name__}"
            )
        if n_splits < 2:
            raise ValueError(f"k-fold cross-validation needs n_splits >= 2, got n_splits={n_splits}")
        if not isinstance(shuffle, bool):
            raise TypeError(f"shuffle must be True or False, got {shuffle!r}")
        if not shuffle and random_state is not None:
            raise ValueError(
                "Setting a random_state has no effect since shuffle is False: leave random_state "
                "to None, or set shuffle=True."
            )
        self.n_splits = int(n_splits)
        self.shuffle = shuffle
        self.random_state = random_state

    def __repr__(self):
        return (
            f"{type(self).__name__}(n_splits={self.n_splits}, random_state={self.random_state!r}, "
            f"shuffle={self.shuffle})"
        )

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of folds.

        Returns
        -------
        n_splits : int
            The number of train/test splits.
        """
        return self.n_splits

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` index arrays, one pair per fold.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data (only its length is used).
        y : array-like of shape (n_samples,), default=None
            Labels (needed by :class:`StratifiedKFold`).
        groups : ignored
            Present for compatibility with scikit-learn's splitters.

        Yields
        ------
        train, test : ndarray of int
            Sorted indices of the training and test samples of a fold.
        """
        n = _n_samples(X)
        if self.n_splits > n:
            raise ValueError(
                f"Cannot have number of splits n_splits={self.n_splits} greater than the number of "
                f"samples: n_samples={n}."
            )
        folds = self._test_folds(n, y)
        indices = np.arange(n)
        for k in range(self.n_splits):
            test = folds == k
            yield indices[~test], indices[test]


class KFold(_KFoldBase):
    """K consecutive folds (after an optional shuffle); each is the test set once.

    The first ``n % n_splits`` folds have ``n // n_splits + 1`` samples, the others
    ``n // n_splits``.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    shuffle : bool, default=False
        Shuffle the sample order once before cutting it into folds.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle (only with ``shuffle=True``); same seed, same folds as scikit-learn.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import KFold
    >>> [test.tolist() for _, test in KFold(3).split(np.zeros(7))]
    [[0, 1, 2], [3, 4], [5, 6]]
    """

    def _test_folds(self, n, y):
        order = np.arange(n)
        if self.shuffle:
            check_random_state(self.random_state).shuffle(order)
        sizes = np.full(self.n_splits, n // self.n_splits)
        sizes[: n % self.n_splits] += 1
        folds = np.empty(n, dtype=np.intp)
        folds[order] = np.repeat(np.arange(self.n_splits), sizes)
        return folds


class StratifiedKFold(_KFoldBase):
    """K folds that preserve each class's share of samples.

    Classes are numbered by first appearance in ``y``. Sorting the samples by class and dealing
    them round-robin to the folds fixes how many of each class every fold gets; within a class,
    samples keep their order and fill the folds in blocks (fold 0 first), unless
    ``shuffle=True`` permutes each class's fold labels.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    shuffle : bool, default=False
        Shuffle each class's fold assignment.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle; same seed, same folds as scikit-learn.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import StratifiedKFold
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> [test.tolist() for _, test in StratifiedKFold(2).split(np.zeros(6), y)]
    [[0, 1, 4], [2, 3, 5]]
    """

    def split(self, X, y=None, groups=None):
        if groups is not None:
            warnings.warn(
                f"The groups parameter is ignored by {type(self).__name__}", UserWarning, stacklevel=2
            )
        return super().split(X, y, groups)

    def _test_folds(self, n, y):
        if y is None:
            raise ValueError("StratifiedKFold.split needs y: the folds are stratified by class")
        y = inp.column(y, "y")
        inp.check_lengths(X=np.empty(n), y=y)
        inp.check_labels(y, "y")
        rng = check_random_state(self.random_state)
        _, first, y_sorted_code = np.unique(y, return_index=True, return_inverse=True)
        # renumber classes by first appearance: 0 is the label of y[0], ...
        code = np.argsort(np.argsort(first))[y_sorted_code]
        n_classes = first.size
        counts = np.bincount(code, minlength=n_classes)
        if np.all(self.n_splits > counts):
            raise ValueError(
                f"n_splits={self.n_splits} cannot be greater than the number of members in each class."
            )
        if self.n_splits > counts.min():
            warnings.warn(
                f"The least populated class in y has only {counts.min()} members, which is less than "
                f"n_splits={self.n_splits}.",
                UserWarning,
                stacklevel=3,
            )
        # Deal the class-sorted samples round-robin: position j goes to fold j mod n_splits.
        dealt = np.sort(code)
        fold_of_position = np.arange(n) % self.n_splits
        allocation = np.bincount(fold_of_position * n_classes + dealt, minlength=self.n_splits * n_classes)
        allocation = allocation.reshape(self.n_splits, n_classes)
        folds = np.empty(n, dtype=np.intp)
        for k in range(n_classes):
            folds_for_class = np.repeat(np.arange(self.n_splits), allocation[:, k])
            if self.shuffle:
                rng.shuffle(folds_for_class)  # same draws, same order as scikit-learn
            folds[code == k] = folds_for_class
        return folds


def _check_cv(cv, y, classifier):
    """scikit-learn's rule: an int means StratifiedKFold for classifiers with class labels."""
    cv = 5 if cv is None else cv
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        if classifier and y is not None and _is_class_target(y):
            return StratifiedKFold(cv)
        return KFold(cv)
    if hasattr(cv, "split") and not isinstance(cv, str):
        return cv
    if isinstance(cv, str) or not hasattr(cv, "__iter__"):
        raise ValueError(
            f"cv must be an int, a splitter with a split method, or an iterable of (train, test); got {cv!r}"
        )
    splits = list(cv)
    return _Splits(splits)


class _Splits:
    def __init__(self, splits):
        self.splits = splits

    def split(self, X=None, y=None, groups=None):
        yield from self.splits

    def get_n_splits(self, X=None, y=None, groups=None):
        return len(self.splits)


def _is_class_target(y) -> bool:
    """Binary or multiclass labels (scikit-learn's type_of_target), not continuous or 2-D."""
    from sklearn.utils.multiclass import type_of_target

    return type_of_target(y, input_name="y") in ("binary", "multiclass")


def _positive_scores(estimator, X):
    """Scores for ranking metrics: decision_function, else predict_proba (column of classes_[1])."""
    if hasattr(estimator, "decision_function"):
        return estimator.decision_function(X)
    proba = estimator.predict_proba(X)
    return proba[:, 1] if proba.shape[1] == 2 else proba


def _proba(estimator, X):
    proba = estimator.predict_proba(X)
    return proba[:, 1] if proba.shape[1] == 2 else proba


def _r2(y, y_pred):
    """Coefficient of determination ``1 - SS_res / SS_tot`` (averaged over outputs), finite."""
    y, y_pred = np.asarray(y, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    y, y_pred = y.reshape(len(y), -1), y_pred.reshape(len(y_pred), -1)
    ss_res = ((y - y_pred) ** 2).sum(axis=0)
    ss_tot = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
    ok = ss_tot != 0
    r2 = np.where(ok, 1 - ss_res / np.where(ok, ss_tot, 1), np.where(ss_res == 0, 1.0, 0.0))
    return float(r2.mean())


# scoring name -> scorer(estimator, X, y), built on our metrics
_SCORERS = {
    "accuracy": lambda est, X, y: metrics.accuracy_score(y, est.predict(X)),
    "precision": lambda est, X, y: metrics.precision_score(y, est.predict(X)),
    "recall": lambda est, X, y: metrics.recall_score(y, est.predict(X)),
    "f1": lambda est, X, y: metrics.f1_score(y, est.predict(X)),
    "f1_micro": lambda est, X, y: metrics.f1_score(y, est.predict(X), average="micro"),
    "f1_macro": lambda est, X, y: metrics.f1_score(y, est.predict(X), average="macro"),
    "f1_weighted": lambda est, X, y: metrics.f1_score(y, est.predict(X), average="weighted"),
    "roc_auc": lambda est, X, y: metrics.roc_auc_score(y, _positive_scores(est, X)),
    "roc_auc_ovr": lambda est, X, y: metrics.roc_auc_score(y, _proba(est, X), multi_class="ovr"),
    "roc_auc_ovr_weighted": lambda est, X, y: metrics.roc_auc_score(
        y, _proba(est, X), multi_class="ovr", average="weighted"
    ),
    "roc_auc_ovo": lambda est, X, y: metrics.roc_auc_score(y, _proba(est, X), multi_class="ovo"),
    "average_precision": lambda est, X, y: metrics.average_precision_score(y, _positive_scores(est, X)),
    "neg_log_loss": lambda est, X, y: -metrics.log_loss(y, _proba(est, X)),
    "neg_brier_score": lambda est, X, y: -metrics.brier_score_loss(y, _proba(est, X)),
    "r2": lambda est, X, y: _r2(y, est.predict(X)),
}


def _scorer(estimator, scoring):
    if scoring is None:
        if not hasattr(estimator, "score"):
            raise TypeError(f"{estimator!r} has no score method: pass scoring")
        return lambda est, X, y: est.score(X, y)
    if callable(scoring):
        return scoring
    if isinstance(scoring, str):
        if scoring in _SCORERS:
            return _SCORERS[scoring]
        from sklearn.metrics import get_scorer  # any other name: scikit-learn's scorer

        return get_scorer(scoring)
    raise ValueError(f"scoring must be None, a string or a callable scorer(estimator, X, y), got {scoring!r}")


def cross_val_score(
    estimator, X, y=None, *, groups=None, scoring=None, cv=None, params=None, error_score=np.nan
):
    """Score a fresh clone of ``estimator`` on each cross-validation fold.

    For each ``(train, test)`` split: ``clone(estimator).fit(X[train], y[train])``, then score
    on ``X[test], y[test]``.

    Parameters
    ----------
    estimator : estimator
        Unfitted estimator (it is cloned, never fitted itself).
    X : array-like of shape (n_samples, n_features)
        Data.
    y : array-like of shape (n_samples,), default=None
        Targets.
    groups : array-like, default=None
        Passed to the splitter's ``split``.
    scoring : str, callable or None, default=None
        ``None``: ``estimator.score``. Strings "accuracy", "precision", "recall", "f1",
        "f1_micro", "f1_macro", "f1_weighted", "roc_auc", "roc_auc_ovr", "roc_auc_ovr_weighted",
        "roc_auc_ovo", "average_precision", "neg_log_loss", "neg_brier_score" and "r2" use this
        package's metrics; other names go to :func:`sklearn.metrics.get_scorer`. A callable is
        called as ``scoring(fitted_estimator, X_test, y_test)``.
    cv : int, splitter or iterable, default=None
        ``None`` means 5. An int ``k`` means :class:`StratifiedKFold` ``(k)`` for a classifier with
        binary or multiclass ``y``, else :class:`KFold` ``(k)``. A splitter has ``split``; an
        iterable yields ``(train, test)`` index pairs.
    params : dict, default=None
        Fit parameters; arrays of length ``n_samples`` (e.g. ``sample_weight``) are split with the
        data.
    error_score : "raise" or float, default=np.nan
        Score of a fold whose fit fails (with a :class:`~sklearn.exceptions.FitFailedWarning`);
        "raise" re-raises the error.

    Returns
    -------
    scores : ndarray of shape (n_splits,)
        One score per fold.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from mlweekly.ml_algorithms import LogisticRegression, cross_val_score
    >>> X, y = load_iris(return_X_y=True)
    >>> cross_val_score(LogisticRegression(), X, y, cv=3).round(2)
    array([0.98, 0.96, 0.98])
    """
    if not (error_score == "raise" or isinstance(error_score, numbers.Number)):
        raise ValueError(f"error_score must be 'raise' or a number, got {error_score!r}")
    X, y, groups = indexable(X, y, groups)
    n = _n_samples(X)
    splitter = _check_cv(cv, y, is_classifier(estimator))
    score = _scorer(estimator, scoring)
    params = params or {}
    scores, failures = [], []
    for k, (train, test) in enumerate(splitter.split(X, y, groups)):
        fold_params = {
            key: _safe_indexing(v, train) if hasattr(v, "__len__") and len(v) == n else v
            for key, v in params.items()
        }
        X_train, X_test = _safe_indexing(X, train), _safe_indexing(X, test)
        y_train = None if y is None else _safe_indexing(y, train)
        y_test = None if y is None else _safe_indexing(y, test)
        model = clone(estimator)
        try:
            model.fit(X_train, y_train, **fold_params)
        except Exception as exc:
            if error_score == "raise":
                raise
            failures.append(f"fold {k}: {type(exc).__name__}: {exc}")
            scores.append(float(error_score))
            continue
        scores.append(float(score(model, X_test, y_test)))
    if failures and len(failures) == len(scores):
        raise ValueError(f"All the {len(scores)} fits failed:\n" + "\n".join(failures))
    if failures:
        warnings.warn(
            f"{len(failures)} of {len(scores)} fits failed; their score is error_score={error_score!r}:\n"
            + "\n".join(failures),
            FitFailedWarning,
            stacklevel=2,
        )
    return np.asarray(scores)
