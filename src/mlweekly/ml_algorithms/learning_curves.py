"""Learning and validation curves: train and cross-validated scores against data size or complexity.

A *learning curve* refits a model on growing prefixes of each training fold; a *validation curve*
refits it for each value of one hyper-parameter. The gap between the training and test scores
is the variance a model shows, the level both plateau at its bias. The loops (clone, fit, score)
are ours; the splitting (``check_cv``) and scoring (``check_scoring``) are scikit-learn's, so with
the same ``cv`` the arrays equal ``sklearn.model_selection.learning_curve``/``validation_curve``'s.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.exceptions import FitFailedWarning
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv
from sklearn.utils import _safe_indexing, check_random_state, indexable

__all__ = ["learning_curve", "validation_curve"]


def _fit_and_score(estimator, X, y, train, test, scorer, error_score, params=None):
    """Fit a clone on ``train`` (with ``params`` set) and return its (train score, test score)."""
    model = clone(estimator)
    if params:
        model.set_params(**params)
    X_tr, y_tr = _safe_indexing(X, train), _safe_indexing(y, train)
    try:
        model.fit(X_tr, y_tr)
    except Exception as exc:
        if isinstance(error_score, str) and error_score == "raise":
            raise
        warnings.warn(f"fit failed, score set to {error_score}: {exc!r}", FitFailedWarning, stacklevel=3)
        return error_score, error_score, True
    return scorer(model, X_tr, y_tr), scorer(model, _safe_indexing(X, test), _safe_indexing(y, test)), False


def _check_error_score(error_score) -> None:
    is_raise = isinstance(error_score, str) and error_score == "raise"
    if not (is_raise or isinstance(error_score, numbers.Real)):
        raise ValueError(f"error_score must be 'raise' or a number, got {error_score!r}")


def _score_grid(estimator, X, y, splits, scorer, error_score, n_rows, job):
    """Scores of shape (n_rows, n_splits); ``job(i, train, test)`` gives row i's (train, test, params)."""
    train_scores = np.empty((n_rows, len(splits)))
    test_scores = np.empty((n_rows, len(splits)))
    failed = 0
    for j, (train, test) in enumerate(splits):
        for i in range(n_rows):
            tr, te, params = job(i, train, test)
            train_scores[i, j], test_scores[i, j], fail = _fit_and_score(
                estimator, X, y, tr, te, scorer, error_score, params
            )
            failed += fail
    if failed == train_scores.size:
        raise ValueError(f"all {failed} fits failed; pass error_score='raise' to see the first error")
    return train_scores, test_scores


def _absolute_sizes(train_sizes, n_max: int) -> np.ndarray:
    """Fractions of ``n_max`` (floats in (0, 1]) or counts (ints in [1, n_max]) -> unique counts."""
    sizes = np.asarray(train_sizes)
    if sizes.ndim != 1 or sizes.size == 0 or sizes.dtype.kind not in "iuf":
        raise ValueError(f"train_sizes must be a non-empty 1-D array of numbers, got {train_sizes!r}")
    if sizes.dtype.kind == "f":
        if sizes.min() <= 0.0 or sizes.max() > 1.0:
            raise ValueError(
                f"train_sizes are read as fractions of the largest training fold ({n_max} samples) and "
                f"must be in (0, 1], got [{sizes.min()}, {sizes.max()}]"
            )
        sizes = np.clip((sizes * n_max).astype(int), 1, n_max)
    elif sizes.min() <= 0 or sizes.max() > n_max:
        raise ValueError(
            f"train_sizes are read as numbers of samples and must be in [1, {n_max}] (the size of "
            f"the first training fold), got [{sizes.min()}, {sizes.max()}]"
        )
    unique = np.unique(sizes)
    if unique.size < sizes.size:
        warnings.warn(
            f"Removed duplicate entries from 'train_sizes': {unique.size} ticks instead of {sizes.size}.",
            RuntimeWarning,
            stacklevel=3,
        )
    return unique


def learning_curve(
    estimator,
    X,
    y,
    *,
    groups=None,
    train_sizes=np.linspace(0.1, 1.0, 5),  # noqa: B008 (an immutable default in effect; sklearn's)
    cv=None,
    scoring=None,
    shuffle=False,
    random_state=None,
    error_score=np.nan,
):
    """Training and test scores of an estimator fitted on growing subsets of each training fold.

    For every split of ``cv`` and every size ``m``, a clone is fitted on the first ``m`` training
    indices of that split (shuffled once per split when ``shuffle=True``) and scored on those
    ``m`` samples and on the split's test set.

    Parameters
    ----------
    estimator : estimator
        Unfitted estimator with ``fit`` (and ``score`` when ``scoring=None``).
    X : array-like of shape (n_samples, n_features)
        Features.
    y : array-like of shape (n_samples,)
        Targets.
    groups : array-like of shape (n_samples,), optional
        Group labels for group-aware splitters.
    train_sizes : array-like, default=np.linspace(0.1, 1.0, 5)
        Floats: fractions of the first training fold's size; ints: numbers of samples.
    cv : int, cross-validation generator or iterable, optional
        As in scikit-learn: ``None`` is 5 folds, an int ``k`` is ``StratifiedKFold(k)`` for
        classifiers with binary/multiclass ``y`` and ``KFold(k)`` otherwise (``check_cv``).
    scoring : str or callable, optional
        Scorer (``None``: the estimator's ``score``).
    shuffle : bool, default=False
        Permute each training fold before taking prefixes (ordered data would otherwise give
        prefixes without some classes).
    random_state : int, RandomState or None, default=None
        Seed of the permutations when ``shuffle=True``.
    error_score : "raise" or float, default=np.nan
        Score recorded when a fit fails (with a :class:`~sklearn.exceptions.FitFailedWarning`).

    Returns
    -------
    train_sizes_abs : ndarray of shape (n_ticks,)
        Numbers of training samples (duplicates removed).
    train_scores : ndarray of shape (n_ticks, n_splits)
        Scores on the training subsets.
    test_scores : ndarray of shape (n_ticks, n_splits)
        Scores on the test folds.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from mlweekly.ml_algorithms import learning_curve
    >>> X, y = load_iris(return_X_y=True)
    >>> sizes, train, test = learning_curve(DecisionTreeClassifier(random_state=0), X, y,
    ...                                     train_sizes=[0.3, 1.0], cv=3, shuffle=True, random_state=0)
    >>> sizes, train.shape
    (array([ 30, 100]), (2, 3))
    """
    _check_error_score(error_score)
    X, y, groups = indexable(X, y, groups)
    cv = check_cv(cv, y, classifier=is_classifier(estimator))
    scorer = check_scoring(estimator, scoring=scoring)
    splits = list(cv.split(X, y, groups))
    sizes = _absolute_sizes(train_sizes, len(splits[0][0]))
    if shuffle:
        rng = check_random_state(random_state)
        splits = [(rng.permutation(train), test) for train, test in splits]

    def job(i, train, test):
        return train[: sizes[i]], test, None

    train_scores, test_scores = _score_grid(estimator, X, y, splits, scorer, error_score, sizes.size, job)
    return sizes, train_scores, test_scores


def validation_curve(
    estimator,
    X,
    y,
    *,
    param_name,
    param_range,
    groups=None,
    cv=None,
    scoring=None,
    error_score=np.nan,
):
    """Training and test scores of an estimator for each value of one hyper-parameter.

    For every split of ``cv`` and every value ``v`` in ``param_range``, a clone with
    ``param_name=v`` is fitted on the training fold and scored on it and on the test fold.

    Parameters
    ----------
    estimator : estimator
        Unfitted estimator; ``param_name`` must be settable with ``set_params``
        (``"step__param"`` inside a pipeline).
    X : array-like of shape (n_samples, n_features)
        Features.
    y : array-like of shape (n_samples,)
        Targets.
    param_name : str
        The hyper-parameter to vary.
    param_range : array-like of shape (n_values,)
        Its values.
    groups : array-like of shape (n_samples,), optional
        Group labels for group-aware splitters.
    cv : int, cross-validation generator or iterable, optional
        As in :func:`learning_curve`.
    scoring : str or callable, optional
        Scorer (``None``: the estimator's ``score``).
    error_score : "raise" or float, default=np.nan
        Score recorded when a fit fails.

    Returns
    -------
    train_scores : ndarray of shape (n_values, n_splits)
        Scores on the training folds.
    test_scores : ndarray of shape (n_values, n_splits)
        Scores on the test folds.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from mlweekly.ml_algorithms import validation_curve
    >>> X, y = load_iris(return_X_y=True)
    >>> train, test = validation_curve(DecisionTreeClassifier(random_state=0), X, y,
    ...                                param_name="max_depth", param_range=[1, 3], cv=3)
    >>> train.shape
    (2, 3)
    """
    _check_error_score(error_score)
    if len(param_range) == 0:
        raise ValueError(f"param_range of {param_name!r} is empty: give at least one value")
    if param_name not in estimator.get_params(deep=True):
        raise ValueError(f"{type(estimator).__name__} has no parameter {param_name!r}")
    X, y, groups = indexable(X, y, groups)
    cv = check_cv(cv, y, classifier=is_classifier(estimator))
    scorer = check_scoring(estimator, scoring=scoring)
    splits = list(cv.split(X, y, groups))
    values = list(param_range)

    def job(i, train, test):
        return train, test, {param_name: values[i]}

    return _score_grid(estimator, X, y, splits, scorer, error_score, len(values), job)
