"""decision_boundary_grid matches scikit-learn's DecisionBoundaryDisplay exactly; plot draws contours."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from sklearn.exceptions import NotFittedError
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from mlweekly import datasets
from mlweekly.ml_algorithms import decision_boundary_grid, plot_decision_boundary


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _iris():
    X, y = datasets.load_xy("iris")
    return X[:, 2:], y  # petal length and width: three classes


def _breast_cancer():
    X, y = datasets.load_xy("breast_cancer")
    return StandardScaler().fit_transform(X[:, :2]), y  # mean radius and texture: two classes


ESTIMATORS = {
    "logistic": lambda: LogisticRegression(tol=1e-10, max_iter=1000),
    "knn": lambda: KNeighborsClassifier(n_neighbors=7),
    "tree": lambda: DecisionTreeClassifier(max_depth=3, random_state=0),
    "svc": lambda: SVC(gamma=1.0),
}
METHODS = ("auto", "predict", "predict_proba", "decision_function")


def _has(estimator, method):
    return method == "auto" or getattr(estimator, method, None) is not None


def _sklearn(estimator, X, **kw):
    disp = DecisionBoundaryDisplay.from_estimator(estimator, X, ax=Figure().subplots(), **kw)
    return disp.xx0, disp.xx1, disp.response


@pytest.mark.parametrize("data", [_iris, _breast_cancer], ids=["multiclass", "binary"])
@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("method", METHODS)
def test_grid_and_response_equal_sklearn_bitwise(data, name, method):
    X, y = data()
    est = ESTIMATORS[name]().fit(X, y)
    if not _has(est, method):
        with pytest.raises(AttributeError, match=method):
            decision_boundary_grid(est, X, response_method=method)
        return
    ours = decision_boundary_grid(est, X, response_method=method)
    ref = _sklearn(est, X, response_method=method)
    for a, b in zip(ours, ref, strict=True):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


def test_grid_spans_data_plus_eps_with_requested_resolution():
    X, y = _iris()
    est = KNeighborsClassifier().fit(X, y)
    xx0, xx1, z = decision_boundary_grid(est, X, grid_resolution=13, eps=0.25, response_method="predict")
    assert xx0.shape == xx1.shape == z.shape == (13, 13)
    assert xx0[0, 0] == X[:, 0].min() - 0.25 and xx0[0, -1] == X[:, 0].max() + 0.25
    assert xx1[0, 0] == X[:, 1].min() - 0.25 and xx1[-1, 0] == X[:, 1].max() + 0.25
    np.testing.assert_array_equal(z.ravel(), est.predict(np.c_[xx0.ravel(), xx1.ravel()]))


@pytest.mark.parametrize("kw", [{"grid_resolution": 17, "eps": 0.0}, {"grid_resolution": 2, "eps": 3.5}])
def test_non_default_grid_parameters_match_sklearn(kw):
    X, y = _breast_cancer()
    est = SVC(gamma=1.0).fit(X, y)
    for a, b in zip(decision_boundary_grid(est, X, **kw), _sklearn(est, X, **kw), strict=True):
        np.testing.assert_array_equal(a, b)


def test_string_labels_dataframe_and_float32_match_sklearn():
    bunch = datasets.load("iris")
    X = bunch.data[["petal length (cm)", "petal width (cm)"]]
    y = np.asarray(bunch.target_names)[bunch.target]
    for X_ in (X, X.to_numpy(dtype=np.float32)):
        est = LogisticRegression(max_iter=1000).fit(X_, y)
        for method in ("predict", "predict_proba"):
            ours = decision_boundary_grid(est, X_, response_method=method)
            ref = _sklearn(est, X_, response_method=method)
            for a, b in zip(ours, ref, strict=True):
                assert a.dtype == b.dtype
                np.testing.assert_array_equal(a, b)


def test_regressor_uses_predict():
    X, y = _breast_cancer()
    reg = LinearRegression().fit(X, y.astype(float))
    xx0, xx1, z = decision_boundary_grid(reg, X, grid_resolution=5)
    np.testing.assert_array_equal(z, _sklearn(reg, X, grid_resolution=5)[2])


def test_three_features_rejected_with_shape():
    X, y = datasets.load_xy("iris")
    est = LogisticRegression(max_iter=1000).fit(X[:, :3], y)
    with pytest.raises(ValueError, match=r"exactly 2 columns.*\(150, 3\)"):
        decision_boundary_grid(est, X[:, :3])


def test_model_fitted_on_other_features_rejected():
    X, y = datasets.load_xy("iris")
    est = LogisticRegression(max_iter=1000).fit(X, y)
    with pytest.raises(ValueError, match="fitted on 4 features"):
        decision_boundary_grid(est, X[:, :2])


def test_unfitted_estimator_rejected():
    X, _ = _iris()
    with pytest.raises(NotFittedError):
        decision_boundary_grid(LogisticRegression(), X)
    with pytest.raises(NotFittedError):
        plot_decision_boundary(KNeighborsClassifier(), X)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_values_rejected(bad):
    X, y = _iris()
    # trees accept NaN themselves, so the error must come from our validation of X
    est = DecisionTreeClassifier(random_state=0).fit(X, y)
    X = X.copy()
    X[3, 1] = bad
    with pytest.raises(ValueError, match="Input X contains (NaN|infinity)"):
        decision_boundary_grid(est, X)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"response_method": "predict_log_proba"}, "response_method must be one of"),
        ({"grid_resolution": 1}, "grid_resolution must be at least 2"),
        ({"eps": -1.0}, "eps must be finite and >= 0"),
    ],
)
def test_bad_parameters_rejected(kw, match):
    X, y = _iris()
    est = KNeighborsClassifier().fit(X, y)
    with pytest.raises(ValueError, match=match):
        decision_boundary_grid(est, X, **kw)


def _contour_sets(ax):
    return [c for c in ax.collections if isinstance(c, ContourSet)]


@pytest.mark.parametrize("data", [_iris, _breast_cancer], ids=["multiclass", "binary"])
@pytest.mark.parametrize("plot_method", ["contourf", "contour"])
def test_plot_returns_axes_with_contour_set_and_points(data, plot_method):
    X, y = data()
    est = LogisticRegression(max_iter=1000).fit(X, y)
    ax = plot_decision_boundary(est, X, y, plot_method=plot_method, grid_resolution=40)
    assert isinstance(ax, plt.Axes)
    sets = _contour_sets(ax)
    assert sets and sets[0].filled == (plot_method == "contourf")
    scattered = sum(len(c.get_offsets()) for c in ax.collections if not isinstance(c, ContourSet))
    assert scattered == len(X)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [str(c) for c in est.classes_]


def test_binary_probability_plot_draws_half_contour_on_the_given_axes():
    X, y = _breast_cancer()
    est = LogisticRegression(max_iter=1000).fit(X, y)
    _, ax = plt.subplots()
    out = plot_decision_boundary(est, X, y, ax=ax, response_method="predict_proba", grid_resolution=40)
    assert out is ax
    levels = [list(c.levels) for c in _contour_sets(ax) if not c.filled]
    assert [0.5] in levels


def test_pcolormesh_draws_a_mesh():
    X, y = _iris()
    ax = plot_decision_boundary(SVC().fit(X, y), X, plot_method="pcolormesh", grid_resolution=30)
    assert any(isinstance(c, QuadMesh) for c in ax.collections)


def test_plot_rejects_unknown_plot_method():
    X, y = _iris()
    with pytest.raises(ValueError, match="plot_method must be one of"):
        plot_decision_boundary(SVC().fit(X, y), X, plot_method="imshow")
