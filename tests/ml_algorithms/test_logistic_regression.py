"""Tests of the from-scratch LogisticRegression: sklearn contract, parity, calculus, errors."""

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlweekly.ml_algorithms import LogisticRegression
from mlweekly.ml_algorithms._logistic_loss import BinaryLogLoss, MultinomialLogLoss
from mlweekly.ml_algorithms._softmax import log_softmax, logsumexp, softmax


# No expected failures: every check passes. sklearn itself skips check_array_api_input unless
# SCIPY_ARRAY_API is set (we are NumPy-only, so there is nothing to check there).
@parametrize_with_checks([LogisticRegression(), LogisticRegression(solver="lbfgs")])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def _data(seed, n, d, K, scale=1.0):
    """Overlapping classes from a random linear softmax model; every class appears at least twice."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * scale
    W = rng.normal(size=(K, d))
    logits = X @ W.T + rng.gumbel(size=(n, K))
    y = logits.argmax(axis=1)
    y[: 2 * K] = np.repeat(np.arange(K), 2)
    return X, y


def _sklearn_exact(C, **kw):
    # newton-cholesky at tol=1e-10 converges quadratically to the optimum (lbfgs stops earlier, on
    # its ftol=64·eps test, about 1e-6 away: see lesson P1.02).
    return SkLogisticRegression(C=C, solver="newton-cholesky", tol=1e-10, max_iter=1000, **kw)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(20, 60),
    d=st.integers(1, 5),
    K=st.integers(2, 4),
    C=st.floats(0.05, 20.0),
    fit_intercept=st.booleans(),
)
def test_parity_with_sklearn(seed, n, d, K, C, fit_intercept):
    X, y = _data(seed, n, d, K)
    ours = LogisticRegression(C=C, tol=1e-12, fit_intercept=fit_intercept).fit(X, y)
    ref = _sklearn_exact(C, fit_intercept=fit_intercept).fit(X, y)
    # Both solve the same strictly convex problem to a gradient <= 1e-10; with standard-normal
    # features and C <= 20 the Hessian's smallest eigenvalue keeps the optima within ~1e-9.
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=0, atol=1e-9)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)


@pytest.mark.parametrize("K", [2, 3])
def test_unpenalised_matches_sklearn(K):
    X, y = _data(1, 300, 3, K)
    ours = LogisticRegression(penalty=None, tol=1e-12).fit(X, y)
    ours_inf = LogisticRegression(C=np.inf, tol=1e-12).fit(X, y)
    ref = _sklearn_exact(np.inf).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-8)
    np.testing.assert_array_equal(ours.coef_, ours_inf.coef_)


@pytest.mark.parametrize("solver", ["gd", "lbfgs"])
@pytest.mark.parametrize("K", [2, 3])
def test_solvers_reach_the_newton_optimum(solver, K):
    X, y = _data(2, 80, 3, K)
    newton = LogisticRegression(tol=1e-12).fit(X, y)
    other = LogisticRegression(solver=solver, tol=1e-9, max_iter=20_000).fit(X, y)
    np.testing.assert_allclose(other.coef_, newton.coef_, rtol=0, atol=1e-6)
    np.testing.assert_allclose(other.intercept_, newton.intercept_, rtol=0, atol=1e-6)


def test_newton_converges_in_few_iterations_and_gd_descends():
    X, y = _data(3, 200, 4, 2)
    newton = LogisticRegression(tol=1e-10).fit(X, y)
    assert newton.n_iter_ <= 10
    with pytest.warns(ConvergenceWarning, match="did not reach tol=1e-08 in 10 iterations"):
        gd = LogisticRegression(solver="gd", max_iter=10).fit(X, y)
    # step 1/L guarantees monotone descent
    assert np.all(np.diff(gd.loss_curve_) < 0)
    assert gd.loss_curve_[-1] > newton.loss_curve_[-1]
    assert len(gd.loss_curve_) == gd.n_iter_ + 1 == 11


def test_multinomial_intercepts_sum_to_zero():
    X, y = _data(4, 100, 3, 4)
    clf = LogisticRegression().fit(X, y)
    assert abs(clf.intercept_.sum()) < 1e-12


def _central_differences(f, theta, h=1e-6):
    """Row j: (f(θ + h e_j) - f(θ - h e_j)) / 2h, for scalar or vector-valued f."""
    return np.array([(f(theta + e) - f(theta - e)) / (2 * h) for e in np.eye(theta.size) * h])


def _losses(seed=5):
    X, y2 = _data(seed, 40, 3, 2)
    _, y3 = _data(seed, 40, 3, 3)
    Xt = np.hstack([X, np.ones((40, 1))])
    sw = np.random.default_rng(seed).uniform(0.5, 2.0, 40)
    return [
        BinaryLogLoss(Xt, y2, sw, 0.7, fit_intercept=True),
        MultinomialLogLoss(Xt, y3, 3, sw, 0.7, fit_intercept=True),
    ]


@pytest.mark.parametrize("loss", _losses(), ids=["binary", "multinomial"])
def test_gradient_and_hessian_match_finite_differences(loss):
    theta = np.random.default_rng(6).normal(size=loss.lam.size)
    f, g = loss.value_grad(theta)
    assert f == pytest.approx(loss.value(theta), rel=1e-15)
    np.testing.assert_allclose(g, _central_differences(loss.value, theta), rtol=1e-7, atol=1e-9)
    H_fd = _central_differences(lambda t: loss.value_grad(t)[1], theta)
    np.testing.assert_allclose(loss.hessian(theta), H_fd, rtol=1e-6, atol=1e-8)


def test_loss_is_the_sklearn_objective():
    # f(θ) · C · n must equal sklearn's ½‖w‖² + C Σ loss_i at any θ.
    X, y = _data(7, 30, 2, 2)
    C, theta = 0.3, np.array([0.4, -1.1, 0.25])
    loss = BinaryLogLoss(np.hstack([X, np.ones((30, 1))]), y, np.ones(30), 1 / C, fit_intercept=True)
    z = X @ theta[:2] + theta[2]
    p = scipy.special.expit(z)
    direct = 0.5 * theta[:2] @ theta[:2] + C * -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert loss.value(theta) * C * 30 == pytest.approx(direct, rel=1e-13)


def test_softmax_is_stable_and_matches_scipy():
    Z = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0], [-800.0, -800.0, -799.0]])
    np.testing.assert_allclose(softmax(Z), scipy.special.softmax(Z, axis=1), rtol=1e-15, atol=0)
    np.testing.assert_allclose(log_softmax(Z), scipy.special.log_softmax(Z, axis=1), rtol=1e-15, atol=0)
    np.testing.assert_allclose(logsumexp(Z), scipy.special.logsumexp(Z, axis=1), rtol=1e-15)


def test_probabilities_do_not_overflow_for_huge_scores():
    X, y = _data(8, 50, 2, 2)
    clf = LogisticRegression().fit(X, y)
    far = np.array([[1e6, 1e6], [-1e6, -1e6]])
    proba, log_proba = clf.predict_proba(far), clf.predict_log_proba(far)
    assert np.all(np.isfinite(log_proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(np.exp(log_proba), proba, rtol=1e-15, atol=0)


def test_works_in_pipeline_cross_val_and_grid_search():
    X, y = _data(9, 120, 4, 3)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    scores = cross_val_score(pipe, X, y, cv=3)
    ref_scores = cross_val_score(make_pipeline(StandardScaler(), _sklearn_exact(1.0)), X, y, cv=3)
    np.testing.assert_array_equal(scores, ref_scores)
    grid = GridSearchCV(pipe, {"logisticregression__C": [0.01, 1.0]}, cv=3).fit(X, y)
    assert grid.best_params_["logisticregression__C"] in (0.01, 1.0)
    assert grid.predict(X).shape == (120,)


def test_separable_data_without_penalty_has_no_finite_optimum():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0, 0, 1, 1])
    # The weight grows without bound: where it stops is decided by tol alone.
    loose = LogisticRegression(C=np.inf, tol=1e-4).fit(X, y).coef_[0, 0]
    tight = LogisticRegression(C=np.inf, tol=1e-12).fit(X, y).coef_[0, 0]
    assert 5 < loose < tight - 10
    with pytest.warns(ConvergenceWarning, match="separable"):
        LogisticRegression(C=np.inf, max_iter=5).fit(X, y)
    # a penalty makes the optimum finite and unique again
    np.testing.assert_allclose(
        LogisticRegression(C=1.0, tol=1e-12).fit(X, y).coef_, _sklearn_exact(1.0).fit(X, y).coef_, atol=1e-10
    )


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_rejects_nan_and_inf(bad):
    X, y = _data(10, 20, 2, 2)
    X[3, 1] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        LogisticRegression().fit(X, y)


def test_single_class_error_names_the_class():
    X = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match=r"needs samples of at least 2 classes; got only class 'cat'"):
        LogisticRegression().fit(X, np.array(["cat"] * 10))


def test_only_one_class_with_positive_weight_is_an_error():
    X, y = _data(11, 20, 2, 2)
    with pytest.raises(ValueError, match=r"with positive sample_weight; got only class 1"):
        LogisticRegression().fit(X, y, sample_weight=(y == 1).astype(float))


def test_wrong_shapes():
    X, y = _data(12, 20, 2, 2)
    with pytest.raises(ValueError, match="Expected 2D array"):
        LogisticRegression().fit(X[:, 0], y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        LogisticRegression().fit(X, y[:-1])
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(20,\)"):
        LogisticRegression().fit(X, y, sample_weight=np.ones(19))


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        LogisticRegression().predict(np.zeros((2, 2)))


def test_unseen_feature_count():
    X, y = _data(13, 20, 3, 2)
    clf = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but LogisticRegression is expecting 3"):
        clf.predict_proba(X[:, :2])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"C": 0.0}, "C must be a positive number"),
        ({"C": -1.0}, "C must be a positive number"),
        ({"penalty": "l1"}, "penalty must be 'l2' or None"),
        ({"solver": "sag"}, "solver must be one of"),
        ({"max_iter": -1}, "max_iter must be an integer"),
        ({"learning_rate": 0.0}, "learning_rate must be 'auto' or a positive number"),
    ],
)
def test_invalid_hyper_parameters(params, message):
    X, y = _data(14, 20, 2, 2)
    with pytest.raises(ValueError, match=message):
        LogisticRegression(**params).fit(X, y)


def test_negative_sample_weight():
    X, y = _data(15, 20, 2, 2)
    with pytest.raises(ValueError, match="finite and non-negative"):
        LogisticRegression().fit(X, y, sample_weight=-np.ones(20))
