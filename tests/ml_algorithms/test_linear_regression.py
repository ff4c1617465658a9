"""LinearRegression: scikit-learn's contract, parity with sklearn and statsmodels, GD/SGD, errors."""

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlweekly.ml_algorithms import LinearRegression

CLOSED_FORM = ["qr", "normal", "lstsq"]


def make_data(n=80, p=4, seed=0, noise=0.5, offset=3.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 2.0, p) + rng.uniform(-2, 2, p)
    y = X @ rng.standard_normal(p) + offset + noise * rng.standard_normal(n)
    return X, y


@parametrize_with_checks(
    [
        LinearRegression(),
        LinearRegression(solver="normal"),
        LinearRegression(solver="lstsq", fit_intercept=False),
        LinearRegression(solver="gd"),
        LinearRegression(solver="sgd", max_iter=200, random_state=0),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        # SGD with a constant step stops on max_iter on the checks' tiny data sets.
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


@settings(max_examples=40, deadline=None)
@given(
    n_extra=st.integers(2, 60),
    p=st.integers(1, 8),
    seed=st.integers(0, 2**32 - 1),
    fit_intercept=st.booleans(),
    solver=st.sampled_from(CLOSED_FORM),
)
def test_coefficients_match_sklearn(n_extra, p, seed, fit_intercept, solver):
    X, y = make_data(n=p + n_extra, p=p, seed=seed)
    ours = LinearRegression(solver=solver, fit_intercept=fit_intercept).fit(X, y)
    ref = SkLinearRegression(fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=0, atol=1e-8)
    assert ours.rank_ == ref.rank_ == p
    np.testing.assert_allclose(ours.singular_, ref.singular_, rtol=1e-8)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("solver", CLOSED_FORM)
def test_inference_matches_statsmodels(solver, fit_intercept):
    X, y = make_data(n=60, p=5, seed=3)
    ours = LinearRegression(solver=solver, fit_intercept=fit_intercept).fit(X, y)
    design = sm.add_constant(X) if fit_intercept else X
    ref = sm.OLS(y, design).fit()
    params = np.r_[ours.intercept_, ours.coef_] if fit_intercept else ours.coef_
    np.testing.assert_allclose(params, ref.params, rtol=1e-8)
    np.testing.assert_allclose(ours.std_errors_, ref.bse, rtol=1e-8)
    np.testing.assert_allclose(ours.t_values_, ref.tvalues, rtol=1e-8)
    np.testing.assert_allclose(ours.p_values_, ref.pvalues, rtol=1e-8)
    np.testing.assert_allclose(ours.r2_, ref.rsquared, rtol=1e-10)
    np.testing.assert_allclose(ours.adjusted_r2_, ref.rsquared_adj, rtol=1e-10)
    np.testing.assert_allclose(ours.residual_std_error_, np.sqrt(ref.scale), rtol=1e-10)
    assert ours.df_resid_ == ref.df_resid


def test_summary_table_lines_up_with_attributes():
    X, y = make_data(n=50, p=3, seed=1)
    frame = pd.DataFrame(X, columns=["age", "bmi", "bp"])
    reg = LinearRegression().fit(frame, y)
    table = reg.summary()
    assert list(table.index) == ["intercept", "age", "bmi", "bp"]
    np.testing.assert_array_equal(table["coef"], np.r_[reg.intercept_, reg.coef_])
    np.testing.assert_array_equal(table["std_err"], reg.std_errors_)
    np.testing.assert_array_equal(table["p_value"], reg.p_values_)
    assert table.attrs["r2"] == reg.r2_
    np.testing.assert_array_equal(reg.feature_names_in_, ["age", "bmi", "bp"])


def test_gradient_descent_reaches_closed_form_within_gradient_bound():
    X, y = make_data(n=200, p=5, seed=7)
    tol = 1e-9
    gd = LinearRegression(solver="gd", tol=tol, max_iter=100_000).fit(X, y)
    exact = LinearRegression().fit(X, y)
    Xc = X - X.mean(axis=0)
    lam_min = np.linalg.eigvalsh(2.0 / len(y) * Xc.T @ Xc)[0]
    # ∇MSE = H(β - β̂), so stopping at ‖∇‖ <= tol leaves ‖β - β̂‖ <= tol / λ_min(H).
    assert np.linalg.norm(gd.coef_ - exact.coef_) <= tol / lam_min
    assert gd.n_iter_ == len(gd.loss_curve_) >= 1
    # The auto step 1/λ_max(H) makes every iteration a descent step (up to the loss's own rounding,
    # n ε relative, once the loss has stopped moving).
    curve = np.asarray(gd.loss_curve_)
    assert np.all(np.diff(curve) <= len(y) * np.finfo(float).eps * curve[1:])
    np.testing.assert_allclose(gd.loss_curve_[-1], np.mean((y - exact.predict(X)) ** 2), rtol=1e-12)


def test_averaged_sgd_approaches_closed_form_and_beats_last_iterate():
    X, y = make_data(n=500, p=4, seed=11)
    exact_mse = np.mean((y - LinearRegression().fit(X, y).predict(X)) ** 2)
    excess = {}
    for average in (True, False):
        reg = LinearRegression(solver="sgd", batch_size=16, max_iter=100, average=average, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            reg.fit(X, y)
        assert reg.n_iter_ == len(reg.loss_curve_) == 100
        excess[average] = reg.loss_curve_[-1] / exact_mse - 1
    assert 0 <= excess[True] < 1e-3
    assert excess[True] < excess[False]


def test_sgd_is_reproducible_with_random_state():
    X, y = make_data(n=100, p=3, seed=2)
    reg = LinearRegression(solver="sgd", max_iter=5, random_state=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fits = [reg.fit(X, y).coef_.copy() for _ in range(2)]
    np.testing.assert_array_equal(*fits)


def test_gd_warns_when_not_converged():
    X, y = make_data(n=100, p=3, seed=2)
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        LinearRegression(solver="gd", max_iter=3).fit(X, y)


def test_too_large_learning_rate_raises_clear_error():
    X, y = make_data(n=100, p=3, seed=2)
    with pytest.raises(FloatingPointError, match="diverged.*learning_rate"):
        LinearRegression(solver="gd", learning_rate=10.0).fit(X, y)


@pytest.mark.parametrize("solver", ["qr", "normal", "lstsq"])
def test_rank_deficient_design_gives_min_norm_solution_and_nan_inference(solver):
    X, y = make_data(n=40, p=3, seed=5)
    X = np.c_[X, 2.0 * X[:, 0]]  # a collinear column
    with pytest.warns(UserWarning, match="rank-deficient"):
        ours = LinearRegression(solver=solver).fit(X, y)
    ref = SkLinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-8)
    assert ours.rank_ == 3
    assert np.isnan(ours.std_errors_).all() and np.isnan(ours.p_values_).all()
    np.testing.assert_allclose(ours.r2_, ref.score(X, y), rtol=1e-12)


@pytest.mark.parametrize("solver", CLOSED_FORM)
def test_exact_fit_is_full_rank_and_does_not_warn(solver):
    # y in the column span makes [X̃ | ỹ] singular; only X̃ must be factored as full rank.
    X, _ = make_data(n=30, p=3, seed=6)
    y = X @ np.array([1.0, -2.0, 0.5]) + 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        reg = LinearRegression(solver=solver).fit(X, y)
    np.testing.assert_allclose(reg.coef_, [1.0, -2.0, 0.5], rtol=0, atol=1e-10)
    assert reg.rank_ == 3
    assert reg.residual_std_error_ < 1e-12


def test_no_residual_degrees_of_freedom_warns():
    X, y = make_data(n=4, p=3, seed=5)
    with pytest.warns(UserWarning, match="no residual degrees of freedom"):
        reg = LinearRegression().fit(X, y)
    assert np.isnan(reg.std_errors_).all()


def test_no_intercept():
    X, y = make_data(n=30, p=2, seed=8)
    reg = LinearRegression(fit_intercept=False).fit(X, y)
    assert reg.intercept_ == 0.0
    assert reg.std_errors_.shape == (2,)


def test_pipeline_cross_val_and_grid_search_match_sklearn():
    X, y = make_data(n=120, p=4, seed=9)
    cv = KFold(5, shuffle=True, random_state=0)
    ours = cross_val_score(make_pipeline(StandardScaler(), LinearRegression()), X, y, cv=cv)
    ref = cross_val_score(make_pipeline(StandardScaler(), SkLinearRegression()), X, y, cv=cv)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-12)
    grid = GridSearchCV(LinearRegression(), {"fit_intercept": [False, True], "solver": CLOSED_FORM}, cv=cv)
    grid.fit(X, y)
    assert grid.best_params_["fit_intercept"] is True  # the data have an offset of 3
    np.testing.assert_allclose(grid.best_estimator_.coef_, SkLinearRegression().fit(X, y).coef_, atol=1e-10)


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (np.array([[1.0, np.nan], [2.0, 3.0], [3.0, 1.0]]), np.ones(3), "NaN"),
        (np.array([[1.0, np.inf], [2.0, 3.0], [3.0, 1.0]]), np.ones(3), "infinity"),
        (np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 1.0]]), np.array([1.0, np.nan, 2.0]), "NaN"),
        (np.array([1.0, 2.0, 3.0]), np.ones(3), "2D array"),
        (np.ones((3, 2)), np.ones(4), "inconsistent numbers of samples"),
        (np.array([["a", "b"], ["c", "d"]]), np.ones(2), "could not convert|dtype"),
    ],
)
def test_bad_input_raises_clear_error(X, y, message):
    with pytest.raises(ValueError, match=message):
        LinearRegression().fit(X, y)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"solver": "cholesky"}, "solver must be one of"),
        ({"learning_rate": -1.0}, "learning_rate must be"),
        ({"max_iter": 0}, "max_iter must be a positive integer"),
        ({"batch_size": 2.5}, "batch_size must be a positive integer"),
        ({"tol": -1}, "tol must be"),
    ],
)
def test_bad_parameters_raise(params, message):
    X, y = make_data(n=20, p=2)
    with pytest.raises(ValueError, match=message):
        LinearRegression(**params).fit(X, y)


def test_predict_before_fit_and_wrong_feature_count():
    X, y = make_data(n=20, p=3)
    with pytest.raises(NotFittedError):
        LinearRegression().predict(X)
    with pytest.raises(NotFittedError):
        LinearRegression().summary()
    reg = LinearRegression().fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but LinearRegression is expecting 3"):
        reg.predict(X[:, :2])
