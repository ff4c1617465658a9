"""Decision boundaries of a fitted two-feature model: the response on a grid, and its picture.

A classifier splits the plane of its two features into regions, one per predicted class; the
decision boundary is where the regions meet. We cannot solve for it for an arbitrary model, so we
do what :class:`sklearn.inspection.DecisionBoundaryDisplay` does: evaluate the model on a regular
grid that covers the data and let a contour plot trace the level set. :func:`decision_boundary_grid`
builds exactly scikit-learn's grid and response (bit for bit), :func:`plot_decision_boundary`
draws it together with the data.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import is_regressor
from sklearn.utils.validation import check_array, check_is_fitted

__all__ = ["decision_boundary_grid", "plot_decision_boundary"]

RESPONSE_METHODS = ("auto", "decision_function", "predict_proba", "predict")
PLOT_METHODS = ("contourf", "contour", "pcolormesh")
_AUTO_ORDER = ("decision_function", "predict_proba", "predict")


def _check_inputs(estimator, X, grid_resolution, eps, response_method):
    """Validate at the edge; return X as an array (dtype kept, as scikit-learn's grid keeps it)."""
    if response_method not in RESPONSE_METHODS:
        raise ValueError(f"response_method must be one of {RESPONSE_METHODS}; got {response_method!r}")
    if isinstance(grid_resolution, bool) or not isinstance(grid_resolution, (int, np.integer)):
        raise TypeError(f"grid_resolution must be an integer; got {grid_resolution!r}")
    if grid_resolution < 2:
        raise ValueError(f"grid_resolution must be at least 2; got {grid_resolution}")
    if not (np.isfinite(eps) and eps >= 0):
        raise ValueError(f"eps must be finite and >= 0; got {eps!r}")
    check_is_fitted(estimator)
    X = check_array(X, dtype="numeric", ensure_all_finite=True, input_name="X")
    if X.shape[1] != 2:
        raise ValueError(
            f"A decision boundary is drawn in the plane of two features: X must have exactly 2 "
            f"columns, got X of shape {X.shape}."
        )
    n_in = getattr(estimator, "n_features_in_", 2)
    if n_in != 2:
        raise ValueError(
            f"{type(estimator).__name__} was fitted on {n_in} features; fit it on the same 2 "
            f"features as X (shape {X.shape}) to draw its decision boundary."
        )
    classes = getattr(estimator, "classes_", None)
    if classes is not None and np.ndim(classes) != 1:
        raise ValueError("Multi-label and multi-output classifiers have no single decision boundary.")
    return X


def _response_method(estimator, response_method):
    """The method to call: scikit-learn's 'auto' order, or the one asked for if the model has it."""
    if response_method != "auto":
        names = (response_method,)
    else:
        names = ("predict",) if is_regressor(estimator) else _AUTO_ORDER
    for name in names:
        # getattr, not hasattr-then-call: `available_if` hides e.g. SVC.predict_proba when
        # probability=False by raising AttributeError, which getattr's default absorbs.
        method = getattr(estimator, name, None)
        if method is not None:
            return name, method
    raise AttributeError(f"{type(estimator).__name__} has none of the response methods {', '.join(names)}.")


def _grid(estimator, X, *, grid_resolution=100, eps=1.0, response_method="auto"):
    """:func:`decision_boundary_grid` plus the name of the response method used."""
    X_in = X
    X = _check_inputs(estimator, X, grid_resolution, eps, response_method)
    x0, x1 = X[:, 0], X[:, 1]
    xx0, xx1 = np.meshgrid(
        np.linspace(x0.min() - eps, x0.max() + eps, grid_resolution),
        np.linspace(x1.min() - eps, x1.max() + eps, grid_resolution),
    )
    X_grid = np.c_[xx0.ravel(), xx1.ravel()]
    if hasattr(X_in, "columns"):  # a model fitted on a DataFrame expects its feature names back
        import pandas as pd

        X_grid = pd.DataFrame(X_grid, columns=X_in.columns)

    name, method = _response_method(estimator, response_method)
    response = np.asarray(method(X_grid))
    classes = getattr(estimator, "classes_", None)
    binary = classes is not None and len(classes) == 2
    if name == "predict_proba" and binary:
        response = response[:, 1]  # P(classes_[1] | x): the positive class, as in scikit-learn
    elif name == "predict" and classes is not None:
        # labels -> their index in classes_ (LabelEncoder's encoding), so that any labels contour
        unknown = ~np.isin(response, classes)
        if unknown.any():
            raise ValueError(f"predict returned labels not in classes_: {np.unique(response[unknown])}")
        response = np.searchsorted(classes, response)
    shape = xx0.shape if response.ndim == 1 else (*xx0.shape, response.shape[-1])
    return xx0, xx1, response.reshape(shape), name


def decision_boundary_grid(estimator, X, *, grid_resolution=100, eps=1.0, response_method="auto"):
    """Evaluate a fitted two-feature model on the grid scikit-learn's boundary display uses.

    The grid spans ``[min(x_j) - eps, max(x_j) + eps]`` in each feature with ``grid_resolution``
    evenly spaced points (``np.meshgrid`` of two ``np.linspace``); the model's response is computed
    at every node. The result equals ``DecisionBoundaryDisplay.from_estimator(estimator, X, ...)``'s
    ``xx0``, ``xx1`` and ``response`` exactly.

    Parameters
    ----------
    estimator : fitted estimator
        Any fitted classifier (or regressor) of two features: ours or scikit-learn's.
    X : array-like of shape (n_samples, 2)
        The data whose range the grid covers (finite values).
    grid_resolution : int, default=100
        Number of grid points along each axis (at least 2).
    eps : float, default=1.0
        Margin added on both sides of the data range, in feature units.
    response_method : {'auto', 'decision_function', 'predict_proba', 'predict'}, default='auto'
        What to evaluate. ``'auto'`` takes the first of ``decision_function``, ``predict_proba``,
        ``predict`` the model has (``predict`` for a regressor).

    Returns
    -------
    xx0, xx1 : ndarray of shape (grid_resolution, grid_resolution)
        The grid's coordinates (``xx0`` varies along columns, ``xx1`` along rows).
    response : ndarray of shape (grid_resolution, grid_resolution) or \
(grid_resolution, grid_resolution, n_classes)
        Binary classifiers: the score of ``classes_[1]`` (its probability, or the decision
        function). Multiclass ``predict_proba``/``decision_function``: one slice per class.
        ``predict``: the index of the predicted class in ``classes_``.

    Raises
    ------
    ValueError
        If X does not have exactly 2 columns, holds NaN or inf, or the estimator was fitted on
        another number of features; if ``response_method`` or ``grid_resolution`` is invalid.
    sklearn.exceptions.NotFittedError
        If the estimator is not fitted.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0], [3.0, 1.0]])
    >>> clf = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> xx0, xx1, z = decision_boundary_grid(clf, X, grid_resolution=5, response_method="predict")
    >>> xx0.shape, z.shape
    ((5, 5), (5, 5))
    >>> z[0].tolist()  # bottom row: left of the boundary is class 0, right of it class 1
    [0, 0, 1, 1, 1]
    """
    xx0, xx1, response, _ = _grid(
        estimator, X, grid_resolution=grid_resolution, eps=eps, response_method=response_method
    )
    return xx0, xx1, response


def _class_codes(estimator, y):
    """Index of each label of ``y`` in the model's ``classes_`` (else in ``np.unique(y)``)."""
    y = np.asarray(y)
    classes = getattr(estimator, "classes_", None)
    if classes is not None and np.isin(y, classes).all():
        return np.searchsorted(classes, y), list(classes)
    uniques, codes = np.unique(y, return_inverse=True)
    return codes, list(uniques)


def plot_decision_boundary(
    estimator,
    X,
    y=None,
    ax=None,
    plot_method="contourf",
    *,
    response_method="auto",
    grid_resolution=100,
    eps=1.0,
    alpha=0.45,
    feature_names=None,
    class_names=None,
):
    """Draw a fitted two-feature model's decision regions and boundary, with the data on top.

    Binary models show their score as a diverging colour map with the boundary as a black line
    (probability 0.5 or decision function 0) and, for probabilities, thin contours at
    0.1, 0.25, 0.75 and 0.9. Multiclass models show the predicted class's region in its colour
    (the arg-max of the response). Points are coloured by their true class when ``y`` is given.

    Parameters
    ----------
    estimator : fitted estimator
        Any fitted classifier of two features.
    X : array-like of shape (n_samples, 2)
        Data to scatter; the grid covers its range plus ``eps``.
    y : array-like of shape (n_samples,), default=None
        True labels, to colour the points.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None.
    plot_method : {'contourf', 'contour', 'pcolormesh'}, default='contourf'
        How to draw the response.
    response_method : {'auto', 'decision_function', 'predict_proba', 'predict'}, default='auto'
        See :func:`decision_boundary_grid`.
    grid_resolution : int, default=100
        Grid points per axis.
    eps : float, default=1.0
        Margin around the data, in feature units.
    alpha : float, default=0.45
        Opacity of the filled regions.
    feature_names : sequence of 2 str, default=None
        Axis labels; taken from ``X.columns`` when X is a DataFrame.
    class_names : sequence of str, default=None
        Legend labels, in the order of ``estimator.classes_``.

    Returns
    -------
    ax : matplotlib Axes
        The Axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> X = X[:, 2:]  # petal length and width
    >>> ax = plot_decision_boundary(KNeighborsClassifier().fit(X, y), X, y)
    >>> type(ax).__name__
    'Axes'
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    if plot_method not in PLOT_METHODS:
        raise ValueError(f"plot_method must be one of {PLOT_METHODS}; got {plot_method!r}")
    check_is_fitted(estimator)
    classes = getattr(estimator, "classes_", None)
    if classes is None:
        raise ValueError(
            f"plot_decision_boundary draws classifiers; {type(estimator).__name__} has no classes_."
        )
    xx0, xx1, response, name = _grid(
        estimator, X, grid_resolution=grid_resolution, eps=eps, response_method=response_method
    )
    if ax is None:
        _, ax = plt.subplots()
    draw = getattr(ax, plot_method)
    extra = {"shading": "auto"} if plot_method == "pcolormesh" else {}
    fill = {"alpha": alpha} if plot_method != "contour" else {}

    n_classes = len(classes)
    if n_classes == 2:  # the ends of the diverging map the binary scores are drawn with
        colours = plt.get_cmap("RdBu_r")([0.1, 0.9])
    elif n_classes <= 10:
        colours = np.array(plt.get_cmap("tab10").colors)
    else:
        colours = plt.get_cmap("gist_rainbow")(np.linspace(0, 1, n_classes))
    if n_classes == 2 and name != "predict":
        # a continuous score: diverging map centred on the decision level
        level = 0.5 if name == "predict_proba" else 0.0
        span = np.abs(response - level).max() or 1.0
        levels = np.linspace(0, 1, 11) if name == "predict_proba" else np.linspace(-span, span, 21)
        if plot_method == "pcolormesh":
            draw(xx0, xx1, response, cmap="RdBu_r", vmin=levels[0], vmax=levels[-1], **fill, **extra)
        else:
            draw(xx0, xx1, response, levels=levels, cmap="RdBu_r", **fill)
        if name == "predict_proba":
            lines = ax.contour(
                xx0,
                xx1,
                response,
                levels=[0.1, 0.25, 0.75, 0.9],
                colors="k",
                linewidths=0.6,
                linestyles="dotted",
            )
            ax.clabel(lines, fontsize=7)
        ax.contour(xx0, xx1, response, levels=[level], colors="k", linewidths=1.8)
    else:
        # class labels (or, for multiclass scores, the arg-max class): one colour per region
        labels = response.argmax(axis=2) if response.ndim == 3 else response
        cmap = ListedColormap(colours[:n_classes])
        if plot_method == "pcolormesh":
            draw(xx0, xx1, labels, cmap=cmap, vmin=-0.5, vmax=n_classes - 0.5, **fill, **extra)
        else:
            draw(xx0, xx1, labels, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, **fill)
        if plot_method != "contour":
            ax.contour(xx0, xx1, labels, levels=np.arange(n_classes - 1) + 0.5, colors="k", linewidths=0.8)

    Xa = np.asarray(X)
    if y is None:
        ax.scatter(Xa[:, 0], Xa[:, 1], s=14, c="k")
    else:
        codes, names = _class_codes(estimator, y)
        names = list(class_names) if class_names is not None else [str(c) for c in names]
        for k, label in enumerate(names):
            mask = codes == k
            if mask.any():
                ax.scatter(
                    Xa[mask, 0],
                    Xa[mask, 1],
                    s=18,
                    color=colours[k],
                    edgecolor="k",
                    linewidth=0.5,
                    label=label,
                )
        ax.legend(loc="best", fontsize=8, framealpha=0.8)
    if feature_names is None and hasattr(X, "columns"):
        feature_names = list(X.columns)
    if feature_names is not None:
        ax.set_xlabel(feature_names[0])
        ax.set_ylabel(feature_names[1])
    ax.set_xlim(xx0.min(), xx0.max())
    ax.set_ylim(xx1.min(), xx1.max())
    return ax
