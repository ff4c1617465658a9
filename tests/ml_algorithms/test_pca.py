"""Tests of the from-scratch PCA: sklearn contract, parity (all solvers), the maths, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.decomposition import PCA as SkPCA
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.extmath import randomized_svd as sk_randomized_svd

from mlweekly.ml_algorithms import PCA
from mlweekly.ml_algorithms.pca import randomized_svd, svd_flip

ATTRS = ("components_", "explained_variance_", "explained_variance_ratio_", "singular_values_", "mean_")


# No expected failures: every check passes.
@parametrize_with_checks(
    [PCA(), PCA(n_components=2, whiten=True), PCA(n_components=2, svd_solver="randomized", random_state=0)]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def _data(seed, n, d, decay=0.7):
    """Correlated Gaussian data with a geometric spectrum (distinct eigenvalues) and a non-zero mean."""
    rng = np.random.default_rng(seed)
    Q = np.linalg.qr(rng.normal(size=(d, d)))[0]
    return (rng.normal(size=(n, d)) * decay ** np.arange(d)) @ Q.T + rng.normal(size=d)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(3, 40),
    d=st.integers(1, 12),
    solver=st.sampled_from(["full", "covariance_eigh", "randomized"]),
    whiten=st.booleans(),
    data=st.data(),
)
def test_parity_with_sklearn(seed, n, d, solver, whiten, data):
    X = _data(seed, n, d)
    # Centred data has rank <= n - 1: a component beyond it has variance ~1e-32, and whitening
    # divides rounding noise by eps there (both libraries return noise), so keep k <= n - 1.
    k = data.draw(st.integers(1, min(n - 1, d)))
    kw = dict(n_components=k, svd_solver=solver, whiten=whiten, random_state=seed % 1000)
    ours, ref = PCA(**kw).fit(X), SkPCA(**kw).fit(X)
    # Same LAPACK calls, same random draws, same sign rule: equal up to the rounding of centring
    # (we form X - mean; sklearn X·Wᵀ - mean·Wᵀ), so 1e-12 on data of unit scale.
    for name in ATTRS:
        np.testing.assert_allclose(getattr(ours, name), getattr(ref, name), rtol=0, atol=1e-12, err_msg=name)
    assert ours.noise_variance_ == pytest.approx(ref.noise_variance_, abs=1e-12)
    Z = ours.transform(X)
    np.testing.assert_allclose(Z, ref.transform(X), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ours.fit_transform(X), ref.fit_transform(X), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Z), rtol=0, atol=1e-11)


def test_randomized_svd_is_sklearns_algorithm_draw_for_draw():
    X = _data(1, 300, 40, decay=0.9)
    for kw in [dict(), dict(n_iter=1), dict(n_iter=3, normalizer="QR"), dict(n_oversamples=3)]:
        ours = randomized_svd(X, 6, random_state=3, **kw)
        kw_sk = {("power_iteration_normalizer" if key == "normalizer" else key): v for key, v in kw.items()}
        ref = sk_randomized_svd(X, 6, random_state=3, flip_sign=False, **kw_sk)
        for a, b in zip(ours, ref, strict=True):
            np.testing.assert_array_equal(a, b)
    # the wide case is handled through the transpose
    ref = sk_randomized_svd(X.T, 5, random_state=0, flip_sign=False)
    for a, b in zip(randomized_svd(X.T, 5, random_state=0), ref, strict=True):
        np.testing.assert_array_equal(a, b)


def test_randomized_solver_finds_the_top_subspace():
    # With a spectral gap the randomized subspace equals the exact one: compare projectors (sign-free).
    X = _data(2, 500, 60, decay=0.8)
    exact = PCA(8, svd_solver="full").fit(X)
    rand = PCA(8, svd_solver="randomized", random_state=0).fit(X)
    P_exact = exact.components_.T @ exact.components_
    P_rand = rand.components_.T @ rand.components_
    np.testing.assert_allclose(P_rand, P_exact, atol=1e-10)
    np.testing.assert_allclose(rand.explained_variance_, exact.explained_variance_, rtol=1e-12)
    assert rand.noise_variance_ == pytest.approx(exact.noise_variance_, rel=1e-10)


def test_components_are_the_covariance_eigenvectors():
    X = _data(3, 200, 7)
    pca = PCA().fit(X)
    C = np.cov(X, rowvar=False)
    np.testing.assert_allclose(C @ pca.components_.T, pca.components_.T * pca.explained_variance_, atol=1e-12)
    np.testing.assert_allclose(pca.components_ @ pca.components_.T, np.eye(7), atol=1e-12)
    assert np.all(np.diff(pca.explained_variance_) <= 0)
    assert pca.explained_variance_ratio_.sum() == pytest.approx(1.0, rel=1e-14)
    # scores are uncorrelated with variances λ_j
    cov_scores = np.cov(pca.transform(X), rowvar=False)
    np.testing.assert_allclose(cov_scores, np.diag(pca.explained_variance_), atol=1e-12)


@pytest.mark.parametrize("k", [1, 3, 6])
def test_reconstruction_error_is_the_sum_of_discarded_eigenvalues(k):
    X = _data(4, 150, 9)
    full = PCA().fit(X)
    pca = PCA(k).fit(X)
    err = np.sum((X - pca.inverse_transform(pca.transform(X))) ** 2) / (len(X) - 1)
    assert err == pytest.approx(full.explained_variance_[k:].sum(), rel=1e-10)
    assert pca.noise_variance_ == pytest.approx(full.explained_variance_[k:].mean(), rel=1e-12)


def test_whitening_gives_unit_variance_and_round_trips():
    X = _data(5, 120, 5)
    pca = PCA(whiten=True).fit(X)
    Z = pca.transform(X)
    np.testing.assert_allclose(np.cov(Z, rowvar=False), np.eye(5), atol=1e-12)
    np.testing.assert_allclose(pca.inverse_transform(Z), X, atol=1e-12)


def test_variance_fraction_picks_the_fewest_components():
    X = _data(6, 100, 10)
    ratios = PCA().fit(X).explained_variance_ratio_
    pca = PCA(0.9).fit(X)
    k = pca.n_components_
    assert ratios[: k - 1].sum() <= 0.9 < ratios[:k].sum()
    assert k == SkPCA(0.9).fit(X).n_components_


def test_svd_flip_makes_the_largest_loading_positive():
    Vt = np.array([[0.1, -0.9, 0.3], [-0.5, 0.2, 0.4]])
    U = np.ones((4, 2))
    U2, V2 = svd_flip(U, Vt)
    np.testing.assert_array_equal(V2, [[-0.1, 0.9, -0.3], [0.5, -0.2, -0.4]])
    np.testing.assert_array_equal(U2, [[-1.0, -1.0]] * 4)


def test_score_matches_sklearn_probabilistic_pca():
    X = _data(7, 200, 8)
    ours, ref = PCA(3).fit(X), SkPCA(3).fit(X)
    np.testing.assert_allclose(ours.get_covariance(), ref.get_covariance(), atol=1e-12)
    np.testing.assert_allclose(ours.score_samples(X), ref.score_samples(X), rtol=1e-11)
    assert ours.score(X) == pytest.approx(ref.score(X), rel=1e-12)


def test_works_in_pipeline_cross_val_and_grid_search():
    rng = np.random.default_rng(8)
    X = _data(8, 150, 6)
    y = (X[:, 0] + 0.5 * rng.normal(size=150) > X[:, 0].mean()).astype(int)
    clf = SkLogisticRegression(tol=1e-10)
    scores = cross_val_score(make_pipeline(PCA(3), clf), X, y, cv=3)
    np.testing.assert_allclose(scores, cross_val_score(make_pipeline(SkPCA(3), clf), X, y, cv=3), atol=1e-12)
    grid = GridSearchCV(make_pipeline(PCA(), clf), {"pca__n_components": [1, 4]}, cv=3).fit(X, y)
    assert grid.best_params_["pca__n_components"] in (1, 4)
    assert list(PCA(2).fit(X).get_feature_names_out()) == ["pca0", "pca1"]


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_rejects_nan_and_inf(bad):
    X = _data(9, 20, 3)
    X[2, 1] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        PCA().fit(X)


def test_wrong_shapes_and_too_many_components():
    X = _data(10, 20, 3)
    with pytest.raises(ValueError, match="Expected 2D array"):
        PCA().fit(X[:, 0])
    with pytest.raises(ValueError, match="1 sample"):
        PCA().fit(X[:1])
    with pytest.raises(ValueError, match=r"n_components=4 must be <= min\(n_samples, n_features\)=3"):
        PCA(4).fit(X)
    pca = PCA(2).fit(X)
    with pytest.raises(ValueError, match="X has 2 features, but PCA is expecting 3"):
        pca.transform(X[:, :2])
    with pytest.raises(ValueError, match="X has 3 columns, but inverse_transform expects 2"):
        pca.inverse_transform(X)


def test_not_fitted():
    for method in ("transform", "inverse_transform", "score_samples"):
        with pytest.raises(NotFittedError):
            getattr(PCA(), method)(np.zeros((2, 2)))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n_components": 0}, "n_components must be None, an integer >= 1 or a float in"),
        ({"n_components": 1.5}, "n_components must be None"),
        ({"n_components": True}, "n_components must be None"),
        ({"n_components": "mle"}, "'mle' .* is not implemented"),
        ({"svd_solver": "arpack"}, "svd_solver must be one of"),
        ({"iterated_power": -1}, "iterated_power must be 'auto' or an integer"),
        ({"n_oversamples": 0}, "n_oversamples must be an integer >= 1"),
        ({"power_iteration_normalizer": "qr"}, "power_iteration_normalizer must be one of"),
        ({"n_components": 0.5, "svd_solver": "randomized"}, "needs an exact solver"),
    ],
)
def test_invalid_hyper_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        PCA(**params).fit(_data(11, 20, 3))


def test_singular_model_covariance_has_a_clear_error():
    X = np.column_stack([_data(12, 30, 2), np.zeros(30)])  # a constant feature: zero variance
    with pytest.raises(ValueError, match="model covariance is singular"):
        PCA().fit(X).score(X)
