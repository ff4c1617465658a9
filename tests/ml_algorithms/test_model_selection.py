"""Tests of KFold, StratifiedKFold and cross_val_score: identical folds and scores to scikit-learn."""

import warnings

import numpy as np
import pytest
import sklearn.model_selection as skms
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.base import BaseEstimator
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlweekly.ml_algorithms import (
    KFold,
    LinearRegression,
    LogisticRegression,
    StratifiedKFold,
    cross_val_score,
)


def _splits(splitter, X, y=None):
    """The folds, or the type of the error the splitter raised; and the warnings' categories."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            folds = [(train.tolist(), test.tolist()) for train, test in splitter.split(X, y)]
        except ValueError:
            folds = ValueError
    return folds, {w.category for w in caught}


_random_state = st.one_of(st.none(), st.integers(0, 2**32 - 1))


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(1, 60), n_splits=st.integers(2, 8), shuffle=st.booleans(), seed=st.integers(0, 2**32 - 1)
)
def test_kfold_matches_sklearn(n, n_splits, shuffle, seed):
    rs = seed if shuffle else None
    X = np.zeros((n, 2))
    assert _splits(KFold(n_splits, shuffle=shuffle, random_state=rs), X) == _splits(
        skms.KFold(n_splits, shuffle=shuffle, random_state=rs), X
    )


@settings(max_examples=150, deadline=None)
@given(
    y=arrays(np.int64, st.integers(1, 60), elements=st.integers(0, 4)),
    n_splits=st.integers(2, 6),
    shuffle=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
    as_strings=st.booleans(),
)
def test_stratified_kfold_matches_sklearn(y, n_splits, shuffle, seed, as_strings):
    # covers rare classes (sklearn's warning), too few samples (its error), label order of appearance
    y = np.array(["cat", "dog", "eel", "ant", "bee"])[y] if as_strings else y
    rs = seed if shuffle else None
    X = np.zeros((y.size, 1))
    assert _splits(StratifiedKFold(n_splits, shuffle=shuffle, random_state=rs), X, y) == _splits(
        skms.StratifiedKFold(n_splits, shuffle=shuffle, random_state=rs), X, y
    )


def test_random_state_instance_advances_like_sklearn():
    # a RandomState object is shared across split() calls: the second split differs, for both
    ours, ref = (
        KFold(3, shuffle=True, random_state=np.random.RandomState(7)),
        skms.KFold(3, shuffle=True, random_state=np.random.RandomState(7)),
    )
    X = np.zeros(20)
    first, second = _splits(ours, X), _splits(ours, X)
    assert first != second
    assert [first, second] == [_splits(ref, X), _splits(ref, X)]


def test_stratification_keeps_class_shares():
    y = np.array([0] * 90 + [1] * 10)
    for _, test in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(100), y):
        assert np.bincount(y[test]).tolist() == [18, 2]


def test_folds_partition_the_samples():
    y = np.random.default_rng(0).integers(0, 3, 37)
    for splitter in (
        KFold(4, shuffle=True, random_state=1),
        StratifiedKFold(4, shuffle=True, random_state=1),
    ):
        tests = [test for _, test in splitter.split(np.zeros(37), y)]
        np.testing.assert_array_equal(np.sort(np.concatenate(tests)), np.arange(37))
        for train, test in splitter.split(np.zeros(37), y):
            assert np.intersect1d(train, test).size == 0 and train.size + test.size == 37


def _classification(seed=0, n=120, d=4, k=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X @ rng.normal(size=(d, k)) + rng.gumbel(size=(n, k))).argmax(axis=1)
    return X, y


@pytest.mark.parametrize(
    "scoring", [None, "accuracy", "roc_auc", "neg_log_loss", "f1", "average_precision", "neg_brier_score"]
)
def test_cross_val_score_equals_sklearn_binary(scoring):
    X, y = _classification(1)
    est = LogisticRegression(C=0.5)
    ours = cross_val_score(est, X, y, cv=5, scoring=scoring)
    ref = skms.cross_val_score(est, X, y, cv=5, scoring=scoring)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "scoring",
    [
        "accuracy",
        "roc_auc_ovr",
        "roc_auc_ovr_weighted",
        "roc_auc_ovo",
        "neg_log_loss",
        "f1_macro",
        "f1_weighted",
    ],
)
def test_cross_val_score_equals_sklearn_multiclass(scoring):
    X, y = _classification(2, k=3)
    est = make_pipeline(StandardScaler(), LogisticRegression())
    ours = cross_val_score(est, X, y, cv=4, scoring=scoring)
    ref = skms.cross_val_score(est, X, y, cv=4, scoring=scoring)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-12)


def test_cross_val_score_regression_uses_kfold_and_r2():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 3))
    y = X @ [1.0, -2.0, 0.5] + rng.normal(size=50)
    for cv in (5, KFold(5, shuffle=True, random_state=0)):
        sk_cv = cv if isinstance(cv, int) else skms.KFold(5, shuffle=True, random_state=0)
        ours = cross_val_score(LinearRegression(), X, y, cv=cv, scoring="r2")
        ref = skms.cross_val_score(SkLinearRegression(), X, y, cv=sk_cv, scoring="r2")
        np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-12)


def test_cross_val_score_other_cv_forms_and_sample_weight():
    X, y = _classification(4)
    est = LogisticRegression()
    folds = list(skms.StratifiedKFold(3, shuffle=True, random_state=5).split(X, y))
    np.testing.assert_allclose(
        cross_val_score(est, X, y, cv=folds), skms.cross_val_score(est, X, y, cv=folds), rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        cross_val_score(est, X, y, cv=StratifiedKFold(3, shuffle=True, random_state=5)),
        skms.cross_val_score(est, X, y, cv=folds),
        rtol=0,
        atol=1e-12,
    )
    sw = np.random.default_rng(0).uniform(0.5, 2, y.size)
    np.testing.assert_allclose(
        cross_val_score(est, X, y, params={"sample_weight": sw}),
        skms.cross_val_score(est, X, y, params={"sample_weight": sw}),
        rtol=0,
        atol=1e-12,
    )
    callable_scores = cross_val_score(est, X, y, scoring=lambda m, Xt, yt: float(m.score(Xt, yt)))
    np.testing.assert_array_equal(callable_scores, cross_val_score(est, X, y))
    # any other scoring name goes through scikit-learn's get_scorer
    np.testing.assert_allclose(
        cross_val_score(est, X, y, scoring="balanced_accuracy"),
        skms.cross_val_score(est, X, y, scoring="balanced_accuracy"),
        rtol=0,
        atol=1e-12,
    )


def test_our_splitters_work_inside_sklearn_tools():
    X, y = _classification(5)
    ours_cv, ref_cv = (
        StratifiedKFold(4, shuffle=True, random_state=2),
        skms.StratifiedKFold(4, shuffle=True, random_state=2),
    )
    est = SkLogisticRegression()
    np.testing.assert_array_equal(
        skms.cross_val_score(est, X, y, cv=ours_cv), skms.cross_val_score(est, X, y, cv=ref_cv)
    )
    grid = skms.GridSearchCV(est, {"C": [0.01, 1.0]}, cv=ours_cv).fit(X, y)
    ref_grid = skms.GridSearchCV(est, {"C": [0.01, 1.0]}, cv=ref_cv).fit(X, y)
    np.testing.assert_array_equal(
        grid.cv_results_["mean_test_score"], ref_grid.cv_results_["mean_test_score"]
    )
    assert repr(KFold(3)) == "KFold(n_splits=3, random_state=None, shuffle=False)"


def test_estimator_is_cloned_not_fitted():
    X, y = _classification(6)
    est = LogisticRegression()
    cross_val_score(est, X, y, cv=3)
    assert not hasattr(est, "coef_")


class _FailsOnFold(BaseEstimator):
    """Fails to fit when the training set has fewer than `min_rows` rows."""

    def __init__(self, min_rows=0):
        self.min_rows = min_rows

    def fit(self, X, y):
        if len(X) < self.min_rows:
            raise RuntimeError("too few rows")
        return self

    def score(self, X, y):
        return 1.0


def test_failed_fits_score_nan_with_warning_or_raise():
    X = np.zeros((10, 1))
    folds = [(np.arange(2, 10), np.arange(2)), (np.arange(3), np.arange(3, 10))]
    with pytest.warns(FitFailedWarning, match=r"(?s)1 of 2 fits failed.*fold 1: RuntimeError: too few rows"):
        scores = cross_val_score(_FailsOnFold(5), X, np.zeros(10), cv=folds)
    np.testing.assert_array_equal(scores, [1.0, np.nan])
    with pytest.raises(RuntimeError, match="too few rows"):
        cross_val_score(_FailsOnFold(5), X, np.zeros(10), cv=folds, error_score="raise")
    with pytest.raises(ValueError, match="All the 2 fits failed"):
        cross_val_score(_FailsOnFold(100), X, np.zeros(10), cv=folds)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: KFold(1), ValueError, "n_splits >= 2"),
        (lambda: KFold(2.5), ValueError, "n_splits must be an integer"),
        (lambda: KFold(3, shuffle="yes"), TypeError, "shuffle must be True or False"),
        (lambda: KFold(3, random_state=0), ValueError, "no effect since shuffle is False"),
        (
            lambda: list(KFold(5).split(np.zeros(3))),
            ValueError,
            "n_splits=5 greater than the number of samples: n_samples=3",
        ),
        (lambda: list(StratifiedKFold(2).split(np.zeros(4))), ValueError, "needs y"),
        (lambda: list(StratifiedKFold(2).split(np.zeros(4), [0, 1, 0])), ValueError, "X has 4 and y has 3"),
        (lambda: list(StratifiedKFold(2).split(np.zeros(3), [0.5, 1.5, 2.5])), ValueError, "continuous"),
        (
            lambda: list(StratifiedKFold(3).split(np.zeros(4), [0, 0, 1, 1])),
            ValueError,
            "n_splits=3 cannot be greater",
        ),
        (
            lambda: cross_val_score(LogisticRegression(), np.zeros((4, 1)), [0, 1, 0, 1], cv="five"),
            ValueError,
            "cv must be",
        ),
        (
            lambda: cross_val_score(LogisticRegression(), np.zeros((4, 1)), [0, 1, 0, 1], error_score="x"),
            ValueError,
            "error_score",
        ),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_rare_class_warning():
    with pytest.warns(UserWarning, match="least populated class in y has only 1 members"):
        list(StratifiedKFold(2).split(np.zeros(5), [0, 0, 0, 0, 1]))
