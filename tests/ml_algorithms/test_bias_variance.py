"""Tests of bias_variance_decomp: exact parity with mlxtend, the algebra of the terms, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mlxtend.evaluate import bias_variance_decomp as mlxtend_decomp
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from mlweekly.ml_algorithms import bias_variance_decomp
from mlweekly.ml_algorithms.bias_variance import bootstrap_predictions, decompose


def _regression(seed, n=80, d=2):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(n, d))
    y = np.sin(X[:, 0]) + 0.3 * X[:, -1] ** 2 + rng.normal(0, 0.3, n)
    return X[: n // 2], y[: n // 2], X[n // 2 :], y[n // 2 :]


def _classification(seed, n=90, K=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = np.argmax(X @ rng.normal(size=(2, K)) + rng.gumbel(size=(n, K)), axis=1)
    return X[: n // 2], y[: n // 2], X[n // 2 :], y[n // 2 :]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), depth=st.integers(1, 6), rounds=st.integers(1, 25))
def test_mse_parity_with_mlxtend(seed, depth, rounds):
    data = _regression(seed)
    est = DecisionTreeRegressor(max_depth=depth, random_state=0)
    ours = bias_variance_decomp(est, *data, loss="mse", num_rounds=rounds, random_seed=seed % 997)
    ref = mlxtend_decomp(est, *data, loss="mse", num_rounds=rounds, random_seed=seed % 997)
    # Same bootstrap draws, same fits: only the order of the final sums differs (rounding).
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=0)


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1), depth=st.integers(1, 6), rounds=st.integers(1, 25), K=st.integers(2, 4)
)
def test_01_parity_with_mlxtend(seed, depth, rounds, K):
    data = _classification(seed, K=K)
    est = DecisionTreeClassifier(max_depth=depth, random_state=0)
    ours = bias_variance_decomp(est, *data, loss="0-1_loss", num_rounds=rounds, random_seed=seed % 997)
    ref = mlxtend_decomp(est, *data, loss="0-1_loss", num_rounds=rounds, random_seed=seed % 997)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=0)


def test_default_loss_is_01_like_mlxtend():
    data = _classification(1)
    est = LogisticRegression()
    assert bias_variance_decomp(est, *data, num_rounds=5, random_seed=0) == pytest.approx(
        mlxtend_decomp(est, *data, num_rounds=5, random_seed=0), rel=1e-12
    )


def test_bootstrap_draws_are_mlxtends():
    X = np.arange(30.0).reshape(-1, 1)
    rng = np.random.RandomState(4)
    expected = [rng.choice(np.arange(30), size=30, replace=True) for _ in range(3)]

    class Recorder(LinearRegression):
        def predict(self, X):
            return np.full(len(X), self.seen_ @ np.arange(1, self.seen_.size + 1))  # order-sensitive

        def fit(self, X, y):
            self.seen_ = X[:, 0].astype(int)
            return self

    P = bootstrap_predictions(Recorder(), X, X[:, 0], X[:2], num_rounds=3, random_seed=4)
    np.testing.assert_array_equal(P[:, 0], [e @ np.arange(1, 31) for e in expected])


def test_mse_terms_add_up_per_point_and_labels_need_not_be_integers():
    P = np.array([[1.0, 2.0], [3.0, 2.0], [2.0, 5.0]])
    terms = decompose(P, np.array([2.5, 1.0]), "mse")
    np.testing.assert_allclose(terms.expected_loss, terms.bias + terms.variance, rtol=1e-15)
    np.testing.assert_allclose(terms.main_prediction, [2.0, 3.0])
    np.testing.assert_allclose(terms.variance, [2 / 3, 2.0])
    # 0-1: mode with ties to the smallest label, any label type
    labels = np.array([["b", "a"], ["a", "c"], ["b", "c"], ["a", "a"]])
    t01 = decompose(labels, np.array(["b", "c"]), "0-1_loss")
    np.testing.assert_array_equal(t01.main_prediction, ["a", "a"])  # 2-2 tie -> "a"; a:2 c:2 -> "a"
    np.testing.assert_allclose(t01.bias, [1.0, 1.0])
    np.testing.assert_allclose(t01.variance, [0.5, 0.5])
    np.testing.assert_allclose(t01.expected_loss, [0.5, 0.5])


def test_two_class_01_loss_is_bias_plus_net_variance():
    # Domingos (2000), two classes, noise-free targets: L = B + (1 - 2B) V per point.
    data = _classification(5, K=2)
    P = bootstrap_predictions(
        DecisionTreeClassifier(max_depth=3, random_state=0), *data[:3], num_rounds=30, random_seed=0
    )
    t = decompose(P, data[3], "0-1_loss")
    np.testing.assert_allclose(t.expected_loss, t.bias + (1 - 2 * t.bias) * t.variance, rtol=1e-15)


def test_constant_model_has_zero_variance():
    from sklearn.dummy import DummyRegressor

    loss, bias, var = bias_variance_decomp(
        DummyRegressor(strategy="constant", constant=1.5), *_regression(6), loss="mse", num_rounds=10
    )
    assert var == 0.0
    assert loss == bias


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"loss": "hinge"}, r"loss must be one of \('0-1_loss', 'mse'\)"),
        ({"num_rounds": 0}, "num_rounds must be an integer >= 1"),
        ({"num_rounds": 2.5}, "num_rounds must be an integer >= 1"),
    ],
)
def test_invalid_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bias_variance_decomp(LinearRegression(), *_regression(7), **kwargs)


def test_bad_shapes_and_values():
    X_tr, y_tr, X_te, y_te = _regression(8)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        bias_variance_decomp(LinearRegression(), X_tr, y_tr[:-1], X_te, y_te, loss="mse")
    with pytest.raises(ValueError, match="X_train has 2 features but X_test has 1"):
        bias_variance_decomp(LinearRegression(), X_tr, y_tr, X_te[:, :1], y_te, loss="mse")
    with pytest.raises(ValueError, match="y_test must be 1-D"):
        bias_variance_decomp(LinearRegression(), X_tr, y_tr, X_te, y_te[:, None], loss="mse")
    X_nan = X_tr.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="X_train contains NaN"):
        bias_variance_decomp(LinearRegression(), X_nan, y_tr, X_te, y_te, loss="mse")
