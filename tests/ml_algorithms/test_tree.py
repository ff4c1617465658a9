"""Tests of the from-scratch decision trees: sklearn contract, node-for-node parity, pruning, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import tree as sk_tree
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._sorting import _py_simultaneous_sort
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlweekly.ml_algorithms import DecisionTreeClassifier, DecisionTreeRegressor, export_text
from mlweekly.ml_algorithms._criteria import entropy, gini, squared_error
from mlweekly.ml_algorithms._tree_builder import _heapsort, _rand_int, _sort

TREE_ARRAYS = (
    "children_left", "children_right", "feature", "threshold", "value", "impurity",
    "n_node_samples", "weighted_n_node_samples",
)  # fmt: skip


# No expected failures: every check passes (check_array_api_input skips itself without SCIPY_ARRAY_API).
@parametrize_with_checks([DecisionTreeClassifier(random_state=0), DecisionTreeRegressor(random_state=0)])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def assert_same_tree(ours, ref):
    """Node-for-node equality, bit for bit: the algorithms do the same float operations in the same order."""
    assert ours.tree_.node_count == ref.tree_.node_count
    assert ours.tree_.max_depth == ref.tree_.max_depth
    for name in TREE_ARRAYS:
        np.testing.assert_array_equal(getattr(ours.tree_, name), getattr(ref.tree_, name), err_msg=name)


def _pair(kind, **params):
    if kind == "clf":
        return DecisionTreeClassifier(**params), sk_tree.DecisionTreeClassifier(**params)
    return DecisionTreeRegressor(**params), sk_tree.DecisionTreeRegressor(**params)


@pytest.mark.parametrize(
    ("loader", "kind", "criterion"),
    [
        (load_iris, "clf", "gini"),
        (load_iris, "clf", "entropy"),
        (load_breast_cancer, "clf", "gini"),
        (load_breast_cancer, "clf", "log_loss"),
        (load_diabetes, "reg", "squared_error"),
    ],
)
def test_full_tree_is_sklearns_tree(loader, kind, criterion):
    X, y = loader(return_X_y=True)
    ours, ref = _pair(kind, criterion=criterion, random_state=0)
    assert_same_tree(ours.fit(X, y), ref.fit(X, y))
    np.testing.assert_array_equal(ours.feature_importances_, ref.feature_importances_)
    np.testing.assert_array_equal(ours.apply(X), ref.apply(X))
    assert (ours.decision_path(X) != ref.decision_path(X)).nnz == 0
    assert export_text(ours) == sk_tree.export_text(ref)


@pytest.mark.parametrize("kind", ["clf", "reg"])
@pytest.mark.parametrize("max_features", ["sqrt", "log2", 0.5, 3])
def test_random_feature_draws_and_bootstrap_counts_match_sklearn(kind, max_features):
    # What a random forest does: a bootstrap given as integer weights, max_features per node.
    X, y = (load_breast_cancer if kind == "clf" else load_diabetes)(return_X_y=True)
    rng = np.random.default_rng(0)
    for seed in range(3):
        counts = rng.multinomial(len(y), np.full(len(y), 1 / len(y))).astype(float)
        ours, ref = _pair(kind, max_features=max_features, random_state=seed, min_samples_leaf=2)
        assert_same_tree(ours.fit(X, y, counts), ref.fit(X, y, sample_weight=counts))
        # zero-count samples are left out of the tree, as in sklearn
        assert ours.tree_.n_node_samples[0] == np.count_nonzero(counts)


def _tied_data(seed, n, d, kind):
    """Few distinct values per feature, so many thresholds and splits tie exactly."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 4, size=(n, d)).astype(float) / 2
    if kind == "clf":
        return X, rng.integers(0, 3, size=n)
    return X, np.round(X[:, 0] - X[:, -1] + rng.normal(size=n), 1)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(5, 80),
    d=st.integers(1, 6),
    kind=st.sampled_from(["clf", "reg"]),
    max_depth=st.sampled_from([None, 1, 3]),
    min_samples_leaf=st.integers(1, 4),
    max_features=st.sampled_from([None, "sqrt", 0.5]),
    weighted=st.booleans(),
)
def test_parity_with_sklearn_on_tied_data(
    seed, n, d, kind, max_depth, min_samples_leaf, max_features, weighted
):
    X, y = _tied_data(seed, n, d, kind)
    sw = np.random.default_rng(seed + 1).uniform(0.0, 2.0, n) if weighted else None
    criterion = "entropy" if kind == "clf" and seed % 2 else ("gini" if kind == "clf" else "squared_error")
    params = dict(
        criterion=criterion, max_depth=max_depth, min_samples_leaf=min_samples_leaf,
        max_features=max_features, random_state=seed,
    )  # fmt: skip
    ours, ref = _pair(kind, **params)
    assert_same_tree(ours.fit(X, y, sw), ref.fit(X, y, sample_weight=sw))
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_ties_are_broken_by_random_state():
    # Two copies of the same feature: both give the best split; the seed decides which is used.
    X, y = load_iris(return_X_y=True)
    X2 = np.column_stack([X[:, 2], X[:, 2]])
    roots = {int(DecisionTreeClassifier(random_state=s).fit(X2, y).tree_.feature[0]) for s in range(10)}
    assert roots == {0, 1}
    for s in range(10):
        ref = sk_tree.DecisionTreeClassifier(random_state=s).fit(X2, y)
        assert DecisionTreeClassifier(random_state=s).fit(X2, y).tree_.feature[0] == ref.tree_.feature[0]


def test_thresholds_are_midpoints_of_float32_values():
    X = np.array([[0.1], [0.3]])
    clf = DecisionTreeClassifier().fit(X, [0, 1])
    expected = np.float64(np.float32(0.1)) / 2 + np.float64(np.float32(0.3)) / 2
    assert clf.tree_.threshold[0] == expected
    assert clf.tree_.threshold[0] != 0.2  # the float64 midpoint is not what is stored
    # a test sample is compared in float32 too: 0.2 lies left of the stored threshold
    assert clf.predict([[0.2]])[0] == (0 if np.float32(0.2) <= expected else 1)


def test_values_within_float32_feature_threshold_count_as_one_value():
    # 1 and the next float32 differ by 1.19e-7: within sklearn's FEATURE_THRESHOLD (1e-7 in float32
    # arithmetic), so the feature is constant and the root cannot be split.
    X = np.array([[1.0], [1.0], [np.nextafter(np.float32(1), np.float32(2))]] * 2, dtype=np.float64)
    y = [0, 0, 1] * 2
    ours = DecisionTreeClassifier().fit(X, y)
    assert ours.tree_.node_count == sk_tree.DecisionTreeClassifier().fit(X, y).tree_.node_count == 1
    # At 2 the float32 sum 2 + 1e-7 rounds back to 2 (spacing 2.4e-7), so the next float32 counts as
    # a distinct value: the rule is float32 arithmetic, not a float64 distance of 1e-7.
    X2 = np.array([[2.0], [2.0], [np.nextafter(np.float32(2), np.float32(3))]] * 2, dtype=np.float64)
    assert DecisionTreeClassifier().fit(X2, y).tree_.node_count == 3
    assert sk_tree.DecisionTreeClassifier().fit(X2, y).tree_.node_count == 3


def test_full_tree_fits_training_data_and_probabilities_are_leaf_fractions():
    X, y = load_iris(return_X_y=True)
    clf = DecisionTreeClassifier(random_state=0).fit(X, y)
    leaf = clf.apply(X)
    assert np.all(clf.tree_.children_left[leaf] == -1)
    sw = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    shallow = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y, sw)
    proba, leaves = shallow.predict_proba(X), shallow.apply(X)
    for node in np.unique(leaves):
        in_leaf = leaves == node
        counts = np.bincount(y[in_leaf], weights=sw[in_leaf], minlength=3)
        expected = np.tile(counts / counts.sum(), (in_leaf.sum(), 1))
        np.testing.assert_allclose(proba[in_leaf], expected, rtol=1e-14)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-14)


@pytest.mark.parametrize(("loader", "kind"), [(load_breast_cancer, "clf"), (load_diabetes, "reg")])
def test_cost_complexity_pruning_matches_sklearn(loader, kind):
    X, y = loader(return_X_y=True)
    ours, ref = _pair(kind, random_state=0)
    path, ref_path = ours.cost_complexity_pruning_path(X, y), ref.cost_complexity_pruning_path(X, y)
    np.testing.assert_array_equal(path.ccp_alphas, ref_path.ccp_alphas)
    np.testing.assert_array_equal(path.impurities, ref_path.impurities)
    assert np.all(np.diff(path.ccp_alphas) >= 0) and np.all(np.diff(path.impurities) >= 0)
    for alpha in ref_path.ccp_alphas[:: max(1, len(ref_path.ccp_alphas) // 6)]:
        ours, ref = _pair(kind, random_state=0, ccp_alpha=alpha)
        assert_same_tree(ours.fit(X, y), ref.fit(X, y))
    ours, _ = _pair(kind, random_state=0, ccp_alpha=ref_path.ccp_alphas[-1])
    assert ours.fit(X, y).tree_.node_count == 1  # the largest alpha leaves only the root


def test_export_text_options_match_sklearn():
    X, y = load_iris(return_X_y=True)
    names = ["sepal length", "sepal width", "petal length", "petal width"]
    ours = DecisionTreeClassifier(random_state=0).fit(X, y)
    ref = sk_tree.DecisionTreeClassifier(random_state=0).fit(X, y)
    for kw in [
        dict(feature_names=names),
        dict(class_names=["setosa", "versicolor", "virginica"], show_weights=True, decimals=3),
        dict(max_depth=2, spacing=2),
    ]:
        assert export_text(ours, **kw) == sk_tree.export_text(ref, **kw)
    Xd, yd = load_diabetes(return_X_y=True)
    reg, ref_reg = _pair("reg", max_depth=3, random_state=0)
    assert export_text(reg.fit(Xd, yd), max_depth=1) == sk_tree.export_text(ref_reg.fit(Xd, yd), max_depth=1)


def test_impurity_helpers_on_a_worked_example():
    assert gini([5, 5]) == 0.5
    assert gini([10, 0]) == 0.0
    assert entropy([5, 5]) == 1.0
    assert entropy([2, 2, 4]) == pytest.approx(1.5, rel=1e-15)
    assert squared_error([1.0, 3.0]) == 1.0
    assert squared_error([1.0, 3.0], sample_weight=[3.0, 1.0]) == pytest.approx(0.75, rel=1e-15)
    # the root impurity of a fitted tree is the helper applied to the class counts
    X, y = load_iris(return_X_y=True)
    clf = DecisionTreeClassifier(criterion="entropy").fit(X, y)
    assert clf.tree_.impurity[0] == pytest.approx(entropy(np.bincount(y)), rel=1e-15)


def test_importances_are_the_normalised_impurity_decreases():
    X, y = load_breast_cancer(return_X_y=True)
    t = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y).tree_
    imp = np.zeros(X.shape[1])
    for node in np.flatnonzero(t.children_left != -1):
        left, right = t.children_left[node], t.children_right[node]
        w, i = t.weighted_n_node_samples, t.impurity
        imp[t.feature[node]] += w[node] * i[node] - w[left] * i[left] - w[right] * i[right]
    np.testing.assert_allclose(t.compute_feature_importances(), imp / imp.sum(), rtol=1e-14)


def test_sort_is_sklearns_introsort():
    rng = np.random.default_rng(0)
    stack = np.empty((128, 3), np.int64)
    cases = [
        rng.normal(size=2000), rng.integers(0, 5, 3000), np.arange(1000), np.arange(1000)[::-1],
        np.r_[np.arange(500), np.arange(500)[::-1]], np.zeros(40), rng.normal(size=7),
    ]  # fmt: skip
    for values in cases:
        v = np.asarray(values, dtype=np.float32)
        ours_v, ours_i = v.copy(), np.arange(v.size)
        ref_v, ref_i = v.copy(), np.arange(v.size)
        _sort(ours_v, ours_i, 0, v.size, stack)
        _py_simultaneous_sort(ref_v, ref_i, v.size, use_three_way_partition=True)
        np.testing.assert_array_equal(ours_v, ref_v)
        np.testing.assert_array_equal(ours_i, ref_i)  # same permutation, ties included
    v = rng.normal(size=300).astype(np.float32)
    idx = np.arange(300)
    _heapsort(v, idx)  # the fallback when quicksort goes too deep
    assert np.all(np.diff(v) >= 0)


def test_xorshift_generator():
    def reference(seed, count):  # sklearn's our_rand_r in Python
        out = []
        for _ in range(count):
            seed = seed or 1
            seed ^= (seed << 13) & 0xFFFFFFFF
            seed ^= seed >> 17
            seed ^= (seed << 5) & 0xFFFFFFFF
            out.append(seed % 2**31)
        return out

    state = np.array([123456789], dtype=np.int64)
    draws = [_rand_int(0, 2**31, state) for _ in range(50)]
    assert draws == reference(123456789, 50)


def test_works_in_pipeline_cross_val_and_grid_search():
    X, y = load_breast_cancer(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), DecisionTreeClassifier(random_state=0))
    ref = make_pipeline(StandardScaler(), sk_tree.DecisionTreeClassifier(random_state=0))
    np.testing.assert_array_equal(cross_val_score(pipe, X, y, cv=3), cross_val_score(ref, X, y, cv=3))
    grid = GridSearchCV(pipe, {"decisiontreeclassifier__max_depth": [1, 3]}, cv=3).fit(X, y)
    ref_grid = GridSearchCV(ref, {"decisiontreeclassifier__max_depth": [1, 3]}, cv=3).fit(X, y)
    assert grid.best_params_ == ref_grid.best_params_
    scores, ref_scores = grid.cv_results_["mean_test_score"], ref_grid.cv_results_["mean_test_score"]
    np.testing.assert_array_equal(scores, ref_scores)


# ------------------------------------------------------------------ errors


@pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")
@pytest.mark.parametrize("bad", [np.nan, np.inf, 1e300])
def test_rejects_nan_inf_and_values_beyond_float32(bad):
    X, y = _tied_data(0, 20, 2, "clf")
    X[3, 1] = bad
    with pytest.raises(ValueError, match="NaN|infinity|too large"):
        DecisionTreeClassifier().fit(X, y)


def test_regression_target_must_be_finite():
    X, y = _tied_data(1, 20, 2, "reg")
    y[0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        DecisionTreeRegressor().fit(X, y)


def test_wrong_shapes():
    X, y = _tied_data(2, 20, 2, "clf")
    with pytest.raises(ValueError, match="Expected 2D array"):
        DecisionTreeClassifier().fit(X[:, 0], y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        DecisionTreeClassifier().fit(X, y[:-1])
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(20,\)"):
        DecisionTreeClassifier().fit(X, y, sample_weight=np.ones(19))
    clf = DecisionTreeClassifier().fit(X, y)
    with pytest.raises(ValueError, match="X has 1 features, but DecisionTreeClassifier is expecting 2"):
        clf.predict(X[:, :1])


@pytest.mark.parametrize("method", ["predict", "predict_proba", "apply", "decision_path"])
def test_predict_before_fit(method):
    with pytest.raises(NotFittedError):
        getattr(DecisionTreeClassifier(), method)(np.zeros((2, 2)))
    with pytest.raises(NotFittedError):
        _ = DecisionTreeRegressor().feature_importances_


def test_continuous_target_for_classifier():
    X, y = _tied_data(3, 20, 2, "reg")
    with pytest.raises(ValueError, match="Unknown label type"):
        DecisionTreeClassifier().fit(X, y)


@pytest.mark.parametrize(
    ("est", "params", "message"),
    [
        (DecisionTreeClassifier, {"criterion": "squared_error"}, "criterion must be one of"),
        (DecisionTreeRegressor, {"criterion": "gini"}, "criterion must be one of"),
        (DecisionTreeClassifier, {"splitter": "random"}, "splitter must be 'best'"),
        (DecisionTreeClassifier, {"max_depth": 0}, "max_depth must be None or an integer >= 1"),
        (DecisionTreeClassifier, {"min_samples_split": 1}, "min_samples_split must be"),
        (DecisionTreeClassifier, {"min_samples_leaf": 0}, "min_samples_leaf must be"),
        (DecisionTreeClassifier, {"max_features": 0}, "max_features must be"),
        (DecisionTreeClassifier, {"max_features": 7}, r"max_features must be .* n_features=2"),
        (DecisionTreeClassifier, {"max_features": "auto"}, "max_features must be"),
        (DecisionTreeClassifier, {"ccp_alpha": -1.0}, "ccp_alpha must be a finite number >= 0"),
    ],
)
def test_invalid_hyper_parameters(est, params, message):
    X, y = _tied_data(4, 20, 2, "clf")
    with pytest.raises(ValueError, match=message):
        est(**params).fit(X, y)


def test_negative_sample_weight():
    X, y = _tied_data(5, 20, 2, "clf")
    with pytest.raises(ValueError, match="finite and non-negative"):
        DecisionTreeClassifier().fit(X, y, sample_weight=-np.ones(20))


def test_export_text_errors():
    X, y = _tied_data(6, 20, 2, "clf")
    clf = DecisionTreeClassifier().fit(X, y)
    with pytest.raises(ValueError, match="feature_names must contain 2 elements, got 1"):
        export_text(clf, feature_names=["a"])
    with pytest.raises(ValueError, match="class_names must contain 3 names"):
        export_text(clf, class_names=["a"])
    with pytest.raises(NotFittedError):
        export_text(DecisionTreeClassifier())
