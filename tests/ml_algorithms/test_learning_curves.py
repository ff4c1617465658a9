"""Tests of learning_curve / validation_curve: parity with scikit-learn's on the same splits, errors."""

import numpy as np
import pytest
from sklearn import model_selection as skms
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold, KFold, ShuffleSplit, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from mlweekly.ml_algorithms import learning_curve, validation_curve


def _regression(seed=0, n=90):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(n, 2))
    return X, np.sin(2 * X[:, 0]) + X[:, 1] + rng.normal(0, 0.3, n)


def _classification(seed=0, n=90):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + rng.normal(0, 0.7, n) > 0).astype(int)
    return X, np.sort(y)  # sorted labels: unshuffled prefixes would hold one class only


def _assert_same(ours, ref):
    assert len(ours) == len(ref)
    for a, b in zip(ours, ref, strict=True):
        # same splits, same clones, same scorer: identical numbers (1e-12 for safety)
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(cv=5),
        dict(
            cv=KFold(4, shuffle=True, random_state=0),
            train_sizes=[5, 20, 40, 67],
            scoring="neg_mean_squared_error",
        ),
        dict(cv=ShuffleSplit(3, test_size=0.3, random_state=1), shuffle=True, random_state=2),
        dict(cv=3, train_sizes=np.linspace(0.2, 1.0, 4), scoring="r2", shuffle=True, random_state=0),
    ],
)
def test_learning_curve_matches_sklearn_regression(kwargs):
    X, y = _regression()
    est = DecisionTreeRegressor(max_depth=4, random_state=0)
    _assert_same(learning_curve(est, X, y, **kwargs), skms.learning_curve(est, X, y, **kwargs))


def test_learning_curve_int_cv_is_stratified_for_classifiers():
    X, y = _classification()
    est = LogisticRegression(tol=1e-10)
    kw = dict(cv=3, train_sizes=[0.3, 0.6, 1.0], shuffle=True, random_state=0, scoring="accuracy")
    ours = learning_curve(est, X, y, **kw)
    _assert_same(ours, skms.learning_curve(est, X, y, **kw))
    explicit = learning_curve(est, X, y, **{**kw, "cv": StratifiedKFold(3)})
    _assert_same(ours, explicit)


def test_learning_curve_groups_reach_the_splitter():
    X, y = _regression()
    groups = np.repeat(np.arange(9), 10)
    est = Ridge(alpha=1.0)
    kw = dict(groups=groups, cv=GroupKFold(3), train_sizes=[10, 30, 60])
    _assert_same(learning_curve(est, X, y, **kw), skms.learning_curve(est, X, y, **kw))


def test_learning_curve_train_scores_fall_and_test_scores_rise_for_a_stable_model():
    X, y = _regression(1, 300)
    sizes, train, test = learning_curve(Ridge(1e-6), X, y, cv=5, train_sizes=[10, 60, 240])
    np.testing.assert_array_equal(sizes, [10, 60, 240])
    assert train.shape == test.shape == (3, 5)
    assert train.mean(axis=1)[0] > train.mean(axis=1)[-1]
    assert test.mean(axis=1)[0] < test.mean(axis=1)[-1]


@pytest.mark.parametrize("scoring", [None, "neg_mean_absolute_error"])
def test_validation_curve_matches_sklearn(scoring):
    X, y = _regression()
    est = DecisionTreeRegressor(random_state=0)
    kw = dict(param_name="max_depth", param_range=[1, 2, 4, 8, None], cv=4, scoring=scoring)
    _assert_same(validation_curve(est, X, y, **kw), skms.validation_curve(est, X, y, **kw))


def test_validation_curve_on_a_pipeline_parameter():
    X, y = _regression()
    pipe = make_pipeline(PolynomialFeatures(), Ridge(alpha=1e-3))
    kw = dict(
        param_name="polynomialfeatures__degree",
        param_range=[1, 3, 5],
        cv=KFold(3, shuffle=True, random_state=0),
    )
    ours = validation_curve(pipe, X, y, **kw)
    _assert_same(ours, skms.validation_curve(pipe, X, y, **kw))
    assert ours[0].shape == (3, 3)
    assert np.all(np.diff(ours[0].mean(axis=1)) > 0)  # more capacity, better training fit


def test_failed_fits_get_error_score_with_a_warning():
    X, y = _classification()
    est = DecisionTreeClassifier()
    with pytest.warns(FitFailedWarning, match="fit failed"):
        train, test = validation_curve(est, X, y, param_name="max_depth", param_range=[2, -1], cv=3)
    assert np.all(np.isnan(train[1])) and np.all(np.isfinite(train[0]))
    with pytest.raises(ValueError, match="max_depth"):
        validation_curve(est, X, y, param_name="max_depth", param_range=[-1], cv=3, error_score="raise")
    with pytest.raises(ValueError, match="all 3 fits failed"), pytest.warns(FitFailedWarning):
        validation_curve(est, X, y, param_name="max_depth", param_range=[-1], cv=3)


# ------------------------------------------------------------------ errors


def test_train_sizes_errors_and_duplicates():
    X, y = _regression()
    est = Ridge()
    with pytest.raises(ValueError, match=r"fractions .* must be in \(0, 1\], got \[0.0, 0.5\]"):
        learning_curve(est, X, y, cv=3, train_sizes=[0.0, 0.5])
    with pytest.raises(ValueError, match=r"must be in \[1, 60\]"):
        learning_curve(est, X, y, cv=3, train_sizes=[10, 61])
    with pytest.raises(ValueError, match="non-empty 1-D array of numbers"):
        learning_curve(est, X, y, cv=3, train_sizes=[])
    with pytest.warns(RuntimeWarning, match="Removed duplicate entries"):
        sizes, _, _ = learning_curve(est, X, y, cv=3, train_sizes=[0.5, 0.5, 1.0])
    np.testing.assert_array_equal(sizes, [30, 60])


def test_other_errors():
    X, y = _regression()
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        learning_curve(Ridge(), X, y[:-1], cv=3)
    with pytest.raises(ValueError, match="Ridge has no parameter 'depth'"):
        validation_curve(Ridge(), X, y, param_name="depth", param_range=[1], cv=3)
    with pytest.raises(ValueError, match="param_range of 'alpha' is empty"):
        validation_curve(Ridge(), X, y, param_name="alpha", param_range=[], cv=3)
    with pytest.raises(ValueError, match="error_score must be 'raise' or a number"):
        learning_curve(Ridge(), X, y, cv=3, error_score="ignore")
