"""Tests of the from-scratch k-nearest neighbours: sklearn contract, parity, tie rule, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import neighbors as skn
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlweekly.ml_algorithms import KNeighborsClassifier, KNeighborsRegressor, _brute, _heap
from mlweekly.ml_algorithms._distances import squared_euclidean

METRICS = [("euclidean", 2), ("manhattan", 1), ("minkowski", 3)]


# No expected failures: every check passes (check_array_api_input is skipped by sklearn itself
# unless SCIPY_ARRAY_API is set; we are NumPy-only).
@parametrize_with_checks(
    [
        KNeighborsClassifier(),
        KNeighborsClassifier(algorithm="kd_tree", weights="distance", metric="manhattan"),
        KNeighborsRegressor(),
        KNeighborsRegressor(algorithm="brute", weights="distance", p=3),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def _continuous(seed, n, d, n_queries=15):
    """Gaussian data: with probability one no two distances from a query are equal."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.normal(size=(n_queries, d)), rng


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(8, 80),
    d=st.integers(1, 6),
    k=st.integers(1, 7),
    metric=st.sampled_from(METRICS),
    algorithm=st.sampled_from(["brute", "kd_tree"]),
    weights=st.sampled_from(["uniform", "distance"]),
    leaf_size=st.integers(1, 10),
)
def test_parity_with_sklearn(seed, n, d, k, metric, algorithm, weights, leaf_size):
    X, Q, rng = _continuous(seed, n, d)
    y_class = rng.integers(0, 3, n)
    y_value = rng.normal(size=n)
    kw = dict(
        n_neighbors=k,
        algorithm=algorithm,
        weights=weights,
        metric=metric[0],
        p=metric[1],
        leaf_size=leaf_size,
    )
    ours_c, ref_c = KNeighborsClassifier(**kw).fit(X, y_class), skn.KNeighborsClassifier(**kw).fit(X, y_class)
    dist, ind = ours_c.kneighbors(Q)
    ref_dist, ref_ind = ref_c.kneighbors(Q)
    # tie-free data: the same neighbours in the same order; distances to rounding (the Euclidean
    # brute force of both goes through ‖q‖² − 2q·x + ‖x‖², whose error is ~ε(‖q‖² + ‖x‖²))
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours_c.predict_proba(Q), ref_c.predict_proba(Q), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ours_c.predict(Q), ref_c.predict(Q))
    ours_r, ref_r = KNeighborsRegressor(**kw).fit(X, y_value), skn.KNeighborsRegressor(**kw).fit(X, y_value)
    np.testing.assert_allclose(ours_r.predict(Q), ref_r.predict(Q), rtol=1e-10, atol=1e-12)
    # X=None: each training point's neighbours without itself
    if k < n:
        np.testing.assert_array_equal(
            ours_c.kneighbors(return_distance=False), ref_c.kneighbors(return_distance=False)
        )


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree"])
@pytest.mark.parametrize(("metric", "p"), METRICS)
def test_ties_are_ordered_by_index(algorithm, metric, p):
    # Small integers: many exactly equal distances, all computed exactly (also by the GEMM identity).
    rng = np.random.default_rng(0)
    X = rng.integers(0, 3, size=(60, 2)).astype(float)
    Q = rng.integers(0, 3, size=(20, 2)).astype(float)
    dist, ind = (
        KNeighborsRegressor(n_neighbors=9, algorithm=algorithm, metric=metric, p=p, leaf_size=2)
        .fit(X, np.zeros(60))
        .kneighbors(Q)
    )
    exact = (np.abs(Q[:, None, :] - X[None, :, :]) ** p).sum(axis=2) ** (1 / p)
    stable = np.argsort(exact, axis=1, kind="stable")[:, :9]
    np.testing.assert_array_equal(ind, stable)
    np.testing.assert_allclose(dist, np.take_along_axis(exact, stable, axis=1), rtol=1e-14)


def test_zero_distance_takes_all_the_weight():
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [3.0, 3.0]])
    y = np.array([1.0, 3.0, 10.0, 20.0, 50.0])
    Q = np.array([[0.0, 0.0], [0.5, 0.0]])
    for algorithm in ("brute", "kd_tree"):
        ours = KNeighborsRegressor(n_neighbors=4, weights="distance", algorithm=algorithm).fit(X, y)
        ref = skn.KNeighborsRegressor(n_neighbors=4, weights="distance", algorithm=algorithm).fit(X, y)
        np.testing.assert_allclose(ours.predict(Q), ref.predict(Q), rtol=1e-14)
        assert ours.predict(Q)[0] == 2.0  # mean of the two exact matches; the others get weight 0


def test_query_is_train_with_more_duplicates_than_neighbours():
    X = np.vstack([np.zeros((4, 2)), np.random.default_rng(1).normal(size=(6, 2)) + 5])
    ours = KNeighborsClassifier(n_neighbors=2, algorithm="brute").fit(X, np.arange(10) % 2)
    ref = skn.KNeighborsClassifier(n_neighbors=2, algorithm="brute").fit(X, np.arange(10) % 2)
    dist, ind = ours.kneighbors()
    assert not np.any(ind == np.arange(10)[:, None])  # never its own neighbour
    np.testing.assert_array_equal(dist[:4], 0.0)
    np.testing.assert_array_equal(ind[4:], ref.kneighbors()[1][4:])  # tie-free part: exactly sklearn
    # ties by index; point 3 is crowded out by 0, 1, 2, so its first neighbour (0) is dropped
    np.testing.assert_array_equal(ind[:4], [[1, 2], [0, 2], [0, 1], [1, 2]])


def test_blocks_and_threads_do_not_change_the_answer(monkeypatch):
    X, Q, _ = _continuous(3, 500, 4, n_queries=70)
    ref = skn.NearestNeighbors(n_neighbors=6, algorithm="brute").fit(X).kneighbors(Q)
    monkeypatch.setattr(_brute, "CHUNK", 16)
    monkeypatch.setattr(_brute, "BLOCK", 37)  # ragged last blocks on both axes
    for n_jobs in (1, 2):
        for algorithm in ("brute", "kd_tree"):
            model = KNeighborsRegressor(n_neighbors=6, algorithm=algorithm, n_jobs=n_jobs).fit(
                X, np.zeros(500)
            )
            dist, ind = model.kneighbors(Q)
            np.testing.assert_array_equal(ind, ref[1])
            np.testing.assert_allclose(dist, ref[0], rtol=1e-12)


def test_distance_identity_and_its_cancellation():
    rng = np.random.default_rng(4)
    A, B = rng.normal(size=(30, 5)), rng.normal(size=(20, 5))
    direct = ((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2)
    np.testing.assert_allclose(squared_euclidean(A, B), direct, rtol=1e-12)
    # Far from the origin the identity cancels catastrophically: 1e8² − 2·1e8² + 1e8² loses every digit
    # of a distance of 1e-3, and can go negative — which is why it is clipped at 0.
    far = np.array([[1e8, 0.0]])
    near = far + np.array([[1e-3, 0.0]])
    assert squared_euclidean(far, far)[0, 0] >= 0.0
    assert abs(squared_euclidean(far, near)[0, 0] - 1e-6) > 1e-7


def test_heap_keeps_the_lexicographically_smallest():
    rng = np.random.default_rng(5)
    d = rng.integers(0, 4, size=200).astype(float)  # many ties
    order = rng.permutation(200)  # pushed in random order, as a KD-tree visits points
    dist, ind = np.full((1, 7), np.inf), np.full((1, 7), -1, dtype=np.intp)
    push = _heap.push.py_func  # the plain-Python body of the compiled kernel
    for i in order:
        push(dist, ind, 0, d[i], i)
    _heap.sort(dist, ind)
    expected = np.lexsort((np.arange(200), d))[:7]
    np.testing.assert_array_equal(ind[0], expected)
    np.testing.assert_array_equal(dist[0], d[expected])


def test_callable_weights_and_auto_algorithm():
    X, Q, rng = _continuous(6, 100, 3)
    y = rng.normal(size=100)
    gauss = lambda dist: np.exp(-(dist**2))  # noqa: E731
    ours = KNeighborsRegressor(weights=gauss).fit(X, y)
    ref = skn.KNeighborsRegressor(weights=gauss).fit(X, y)
    np.testing.assert_allclose(ours.predict(Q), ref.predict(Q), rtol=1e-12)
    assert ours._fit_method == ref._fit_method == "kd_tree"
    assert KNeighborsRegressor().fit(np.c_[X, X, X, X, X, X], y)._fit_method == "brute"  # 18 features
    assert KNeighborsRegressor(n_neighbors=50).fit(X, y)._fit_method == "brute"  # k >= n // 2


def test_multi_output_regression():
    X, Q, rng = _continuous(7, 60, 2)
    Y = rng.normal(size=(60, 3))
    for weights in ("uniform", "distance"):
        ours = KNeighborsRegressor(weights=weights).fit(X, Y).predict(Q)
        ref = skn.KNeighborsRegressor(weights=weights).fit(X, Y).predict(Q)
        assert ours.shape == (15, 3)
        np.testing.assert_allclose(ours, ref, rtol=1e-12)


def test_works_in_pipeline_cross_val_and_grid_search():
    X, _, rng = _continuous(8, 150, 4)
    y = (X[:, 0] + 0.3 * rng.normal(size=150) > 0).astype(int)
    pipe = make_pipeline(StandardScaler(), KNeighborsClassifier())
    scores = cross_val_score(pipe, X, y, cv=3)
    ref = cross_val_score(make_pipeline(StandardScaler(), skn.KNeighborsClassifier()), X, y, cv=3)
    np.testing.assert_array_equal(scores, ref)
    grid = GridSearchCV(pipe, {"kneighborsclassifier__n_neighbors": [1, 5, 15]}, cv=3).fit(X, y)
    ref_grid = GridSearchCV(
        make_pipeline(StandardScaler(), skn.KNeighborsClassifier()),
        {"kneighborsclassifier__n_neighbors": [1, 5, 15]},
        cv=3,
    ).fit(X, y)
    assert grid.best_params_ == ref_grid.best_params_
    np.testing.assert_array_equal(
        grid.cv_results_["mean_test_score"], ref_grid.cv_results_["mean_test_score"]
    )


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_rejects_nan_and_inf(bad):
    X, Q, _ = _continuous(9, 20, 2)
    X[3, 1] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        KNeighborsClassifier().fit(X, np.arange(20) % 2)
    model = KNeighborsClassifier().fit(Q, np.arange(15) % 2)
    with pytest.raises(ValueError, match="NaN|infinity"):
        model.predict(X)


def test_wrong_shapes_and_feature_count():
    X, Q, _ = _continuous(10, 20, 3)
    with pytest.raises(ValueError, match="Expected 2D array"):
        KNeighborsRegressor().fit(X[:, 0], np.zeros(20))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        KNeighborsRegressor().fit(X, np.zeros(19))
    model = KNeighborsRegressor().fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="X has 2 features, but KNeighborsRegressor is expecting 3"):
        model.predict(Q[:, :2])


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        KNeighborsClassifier().predict(np.zeros((2, 2)))
    with pytest.raises(NotFittedError):
        KNeighborsRegressor().kneighbors(np.zeros((2, 2)))


def test_more_neighbours_than_samples():
    X, Q, _ = _continuous(11, 6, 2)
    model = KNeighborsRegressor(n_neighbors=7).fit(X, np.zeros(6))
    with pytest.raises(
        ValueError, match="Expected n_neighbors <= n_samples_fit, but n_neighbors = 7, n_samples_fit = 6"
    ):
        model.predict(Q)
    with pytest.raises(ValueError, match="Expected n_neighbors < n_samples_fit, but n_neighbors = 6"):
        model.kneighbors(n_neighbors=6)


def test_classification_targets_are_checked():
    X, _, rng = _continuous(12, 20, 2)
    with pytest.raises(ValueError, match="Unknown label type"):
        KNeighborsClassifier().fit(X, rng.normal(size=20))


def test_all_zero_weights_is_an_error():
    X, Q, _ = _continuous(13, 20, 2)
    model = KNeighborsRegressor(weights=lambda d: np.zeros_like(d)).fit(X, np.ones(20))
    with pytest.raises(ValueError, match="all neighbours of some query got weight 0"):
        model.predict(Q)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n_neighbors": 0}, "n_neighbors must be an integer >= 1"),
        ({"n_neighbors": 2.5}, "n_neighbors must be an integer >= 1"),
        ({"weights": "gaussian"}, "weights must be 'uniform', 'distance' or a callable"),
        ({"algorithm": "ball_tree"}, "algorithm must be one of"),
        ({"leaf_size": 0}, "leaf_size must be an integer >= 1"),
        ({"metric": "cosine"}, "metric must be one of"),
        ({"p": 0.5}, "p must be a number >= 1"),
        ({"n_jobs": 0}, "n_jobs must be None or a non-zero integer"),
    ],
)
def test_invalid_hyper_parameters(params, message):
    X, _, _ = _continuous(14, 20, 2)
    with pytest.raises(ValueError, match=message):
        KNeighborsClassifier(**params).fit(X, np.arange(20) % 2)
