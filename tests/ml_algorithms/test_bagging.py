"""Tests of the from-scratch BaggingClassifier: sklearn contract, bootstraps, feature subsets, OOB."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlweekly.ml_algorithms import BaggingClassifier, DecisionTreeClassifier, RandomForestClassifier
from mlweekly.ml_algorithms.bagging import member_seeds

_XFAIL = {
    "check_sample_weight_equivalence_on_dense_data": (
        "bootstrap resampling is random: sample_weight is not equivalent to repeating rows "
        "(scikit-learn marks the same check as an expected failure for its BaggingClassifier)"
    )
}


@parametrize_with_checks([BaggingClassifier(n_estimators=5)], expected_failed_checks=lambda est: _XFAIL)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def _data(seed, n, d, K):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    score = X @ rng.normal(size=d) + 0.5 * rng.normal(size=n)
    return X, np.searchsorted(np.quantile(score, np.linspace(0, 1, K + 1)[1:-1]), score)


def test_bagged_trees_are_a_forest_without_feature_sampling():
    X, y = _data(0, 150, 5, 3)
    bag = BaggingClassifier(n_estimators=12, oob_score=True, random_state=3).fit(X, y)
    forest = RandomForestClassifier(n_estimators=12, max_features=None, oob_score=True, random_state=3)
    forest.fit(X, y)
    np.testing.assert_array_equal(bag.predict_proba(X), forest.predict_proba(X))
    np.testing.assert_array_equal(bag.oob_decision_function_, forest.oob_decision_function_)
    assert bag.oob_score_ == forest.oob_score_
    for a, b in zip(bag.estimators_samples_, forest.estimators_samples_, strict=True):
        np.testing.assert_array_equal(np.sort(a), b)


def test_proba_is_the_mean_of_members_mapped_to_their_classes():
    # KNeighborsClassifier.fit takes no sample_weight, so members get the drawn rows themselves;
    # label -1 (code 0, the first column) has one row, so some members never see it and know only
    # codes [1, 2]: their probabilities must land in columns 1 and 2, not 0 and 1.
    X, y = _data(1, 60, 3, 2)
    y[0] = -1
    bag = BaggingClassifier(KNeighborsClassifier(3), n_estimators=15, random_state=0).fit(X, y)
    seen = [tuple(m.classes_) for m in bag.estimators_]
    assert (1, 2) in seen and (0, 1, 2) in seen
    by_hand = np.zeros((60, 3))
    for m, rows in zip(bag.estimators_, bag.estimators_samples_, strict=True):
        assert set(bag.classes_[m.classes_]) == set(y[rows])
        by_hand[:, m.classes_] += m.predict_proba(X)
    np.testing.assert_allclose(bag.predict_proba(X), by_hand / 15, rtol=0, atol=1e-15)


def test_members_without_predict_proba_vote():
    X, y = _data(2, 80, 3, 3)
    bag = BaggingClassifier(LinearSVC(), n_estimators=9, random_state=0).fit(X, y)
    votes = np.array([m.predict(X) for m in bag.estimators_])
    shares = np.stack([(votes == k).mean(axis=0) for k in range(3)], axis=1)
    np.testing.assert_allclose(bag.predict_proba(X), shares, rtol=0, atol=1e-15)


def test_random_feature_subsets_per_member():
    X, y = _data(3, 100, 8, 2)
    bag = BaggingClassifier(n_estimators=10, max_features=0.5, random_state=0).fit(X, y)
    for m, f in zip(bag.estimators_, bag.estimators_features_, strict=True):
        assert f.size == 4 and np.unique(f).size == 4 and m.n_features_in_ == 4
    assert len({tuple(f) for f in bag.estimators_features_}) > 1
    members = zip(bag.estimators_, bag.estimators_features_, strict=True)
    by_hand = np.mean([m.predict_proba(X[:, f]) for m, f in members], axis=0)
    np.testing.assert_allclose(bag.predict_proba(X), by_hand, rtol=0, atol=1e-15)
    with_repeats = BaggingClassifier(n_estimators=30, max_features=8, bootstrap_features=True, random_state=0)
    assert any(np.unique(f).size < 8 for f in with_repeats.fit(X, y).estimators_features_)


def test_pasting_draws_distinct_rows():
    X, y = _data(4, 100, 3, 2)
    bag = BaggingClassifier(n_estimators=5, max_samples=0.5, bootstrap=False, random_state=0).fit(X, y)
    for rows in bag.estimators_samples_:
        assert rows.size == 50 and np.unique(rows).size == 50


def test_oob_score_is_the_hand_computation():
    X, y = _data(5, 80, 3, 3)
    bag = BaggingClassifier(n_estimators=20, oob_score=True, random_state=1).fit(X, y)
    seeds = member_seeds(1, 20)
    counts = [np.bincount(np.random.RandomState(s).randint(0, 80, 80), minlength=80) for s in seeds]
    hits = []
    for i in range(80):
        oob_members = [m for m, c in zip(bag.estimators_, counts, strict=True) if c[i] == 0]
        out = np.mean([m.predict_proba(X[i : i + 1])[0] for m in oob_members], axis=0)
        np.testing.assert_allclose(bag.oob_decision_function_[i], out, rtol=0, atol=1e-15)
        hits.append(out.argmax() == y[i])
    assert bag.oob_score_ == np.mean(hits)


def test_default_member_is_our_tree_and_seeds_reach_members():
    X, y = _data(6, 40, 2, 2)
    bag = BaggingClassifier(n_estimators=3, random_state=0).fit(X, y)
    assert all(type(m) is DecisionTreeClassifier for m in bag.estimators_)
    np.testing.assert_array_equal([m.random_state for m in bag.estimators_], member_seeds(0, 3))


def test_pipeline_cross_val_and_grid_search():
    X, y = _data(7, 120, 4, 3)
    pipe = make_pipeline(StandardScaler(), BaggingClassifier(n_estimators=5, random_state=0))
    forest = make_pipeline(StandardScaler(), RandomForestClassifier(5, max_features=None, random_state=0))
    np.testing.assert_array_equal(cross_val_score(pipe, X, y, cv=3), cross_val_score(forest, X, y, cv=3))
    grid = GridSearchCV(pipe, {"baggingclassifier__max_features": [0.5, 1.0]}, cv=3).fit(X, y)
    assert grid.best_params_["baggingclassifier__max_features"] in (0.5, 1.0)


# ------------------------------------------------------------------ errors


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        BaggingClassifier().predict_proba(np.zeros((2, 2)))


def test_single_class_and_nan():
    X, y = _data(8, 20, 2, 2)
    with pytest.raises(ValueError, match="needs samples of at least 2 classes; got one class only: 0"):
        BaggingClassifier().fit(X, np.zeros(20, dtype=int))
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        BaggingClassifier().fit(X, y)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n_estimators": 0}, "n_estimators must be an integer >= 1"),
        ({"bootstrap": False, "oob_score": True}, "oob_score=True needs bootstrap=True"),
        ({"max_features": 0.0}, r"max_features must be an integer in \[1, 2\] or a float in \(0, 1\]"),
        ({"max_features": 3}, r"max_features must be an integer in \[1, 2\]"),
        ({"bootstrap": False, "max_samples": 21}, "max_samples=21 is more than the 20 rows"),
    ],
)
def test_invalid_hyper_parameters(params, message):
    X, y = _data(9, 20, 2, 2)
    with pytest.raises(ValueError, match=message):
        BaggingClassifier(**params).fit(X, y)


def test_weights_without_bootstrap_need_a_weighted_member():
    X, y = _data(10, 20, 2, 2)
    with pytest.raises(ValueError, match="KNeighborsClassifier.fit takes no sample_weight"):
        BaggingClassifier(KNeighborsClassifier(3), bootstrap=False).fit(X, y, sample_weight=np.ones(20))
