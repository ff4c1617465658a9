"""Bias–variance decomposition by bootstrap: refit on resampled training sets, split the test loss.

Each of ``num_rounds`` bootstrap samples of the training set gives a model and its predictions on
the test set, an empirical stand-in for the distribution of ``f̂(x)`` over training sets. Per test
point, the *main prediction* is their mean (squared loss) or mode (0–1 loss); bias measures the
main prediction's loss, variance the predictions' spread around it (Domingos, 2000). Semantics,
defaults and bootstrap draws are those of ``mlxtend.evaluate.bias_variance_decomp``.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_array, check_consistent_length

__all__ = ["BiasVariance", "bias_variance_decomp", "bootstrap_predictions", "decompose"]

_LOSSES = ("0-1_loss", "mse")


class BiasVariance(NamedTuple):
    """Per-test-point terms of the decomposition (arrays of shape (n_test,))."""

    expected_loss: np.ndarray
    """Mean loss of the bootstrap models' predictions against ``y_test``."""
    bias: np.ndarray
    """Loss of the main prediction: ``(ȳ̂ - y)²`` (mse) or ``[mode ≠ y]`` (0–1)."""
    variance: np.ndarray
    """Mean loss of the predictions against the main prediction."""
    main_prediction: np.ndarray
    """Mean (mse) or most frequent, smallest label on ties (0–1), prediction."""


def bootstrap_predictions(
    estimator, X_train, y_train, X_test, *, num_rounds=200, random_seed=None, **fit_params
):
    """Predictions on ``X_test`` of ``num_rounds`` clones fitted on bootstrap samples of the training set.

    The bootstrap indices are ``RandomState(random_seed).randint(0, n, n)`` per round, the same
    stream ``mlxtend``'s ``rng.choice(np.arange(n), n, replace=True)`` draws.

    Parameters
    ----------
    estimator : estimator
        Unfitted or fitted estimator with ``fit``/``predict``; each round fits a fresh ``clone``.
    X_train, y_train : array-like
        Training set to resample.
    X_test : array-like
        Points to predict.
    num_rounds : int, default=200
        Number of bootstrap rounds.
    random_seed : int or None, default=None
        Seed of the bootstrap draws.
    **fit_params : dict
        Passed to every ``fit``.

    Returns
    -------
    predictions : ndarray of shape (num_rounds, n_test)
        Row ``b``: predictions of the model fitted on bootstrap sample ``b``.
    """
    rng = np.random.RandomState(random_seed)
    n = X_train.shape[0]
    rows = []
    for _ in range(num_rounds):
        idx = rng.randint(0, n, size=n)  # n draws with replacement
        rows.append(clone(estimator).fit(X_train[idx], y_train[idx], **fit_params).predict(X_test))
    return np.asarray(rows)


def decompose(predictions, y_test, loss="0-1_loss"):
    """Split the loss of a set of predictions into bias and variance per test point.

    Parameters
    ----------
    predictions : array-like of shape (n_rounds, n_test)
        Predictions of models fitted on different training sets.
    y_test : array-like of shape (n_test,)
        Targets.
    loss : {"0-1_loss", "mse"}, default="0-1_loss"
        ``"mse"``: main prediction = mean, ``loss = bias² + variance`` exactly per point.
        ``"0-1_loss"``: main prediction = mode; the terms do *not* add up (see the lesson).

    Returns
    -------
    BiasVariance
        Per-point ``expected_loss``, ``bias``, ``variance``, ``main_prediction``.
    """
    P, y = np.asarray(predictions), np.asarray(y_test)
    if loss == "mse":
        P, y = P.astype(np.float64), y.astype(np.float64)
        main = P.mean(axis=0)
        loss_pts, var_pts = ((P - y) ** 2).mean(axis=0), ((P - main) ** 2).mean(axis=0)
        return BiasVariance(loss_pts, (main - y) ** 2, var_pts, main)
    labels, codes = np.unique(np.concatenate([y, P.ravel()]), return_inverse=True)
    y_code, P_code = codes[: y.size], codes[y.size :].reshape(P.shape)
    counts = np.zeros((P.shape[1], labels.size), dtype=np.int64)  # votes per (test point, label)
    np.add.at(counts, (np.broadcast_to(np.arange(P.shape[1]), P.shape), P_code), 1)
    main = counts.argmax(axis=1)  # the first maximum: the smallest label wins a tie, as bincount's
    return BiasVariance(
        (P_code != y_code).mean(axis=0),
        (main != y_code).astype(np.float64),
        (P_code != main).mean(axis=0),
        labels[main],
    )


def bias_variance_decomp(
    estimator,
    X_train,
    y_train,
    X_test,
    y_test,
    loss="0-1_loss",
    num_rounds=200,
    random_seed=None,
    **fit_params,
):
    """Average expected loss, bias and variance of an estimator over a test set, by bootstrap.

    Same semantics and return values as ``mlxtend.evaluate.bias_variance_decomp``; with the same
    ``random_seed`` the same bootstrap samples are drawn, so the numbers agree exactly.

    Parameters
    ----------
    estimator : estimator
        Anything with scikit-learn's ``fit``/``predict``; each round fits a fresh ``clone``.
    X_train : array-like of shape (n_train, n_features)
        Training set the bootstrap samples are drawn from.
    y_train : array-like of shape (n_train,)
        Training targets.
    X_test : array-like of shape (n_test, n_features)
        Test points the terms are averaged over.
    y_test : array-like of shape (n_test,)
        Test targets.
    loss : {"0-1_loss", "mse"}, default="0-1_loss"
        Classification (0–1) or squared loss.
    num_rounds : int, default=200
        Number of bootstrap rounds.
    random_seed : int or None, default=None
        Seed of the bootstrap draws (a ``numpy.random.RandomState``).
    **fit_params : dict
        Passed to every ``fit``.

    Returns
    -------
    avg_expected_loss : float
        Mean over test points and rounds of the loss against ``y_test``.
    avg_bias : float
        Mean over test points of the main prediction's loss: the *squared* bias for ``"mse"``
        (which includes the noise in ``y_test``), the error rate of the majority vote for 0–1.
    avg_var : float
        Mean over test points and rounds of the loss of each prediction against the main one.
        For ``"mse"``, ``avg_expected_loss = avg_bias + avg_var`` exactly.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from mlweekly.ml_algorithms import bias_variance_decomp
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, size=(60, 1)); y = 2 * X[:, 0] + rng.normal(0, 0.1, 60)
    >>> loss, bias, var = bias_variance_decomp(LinearRegression(), X[:40], y[:40], X[40:], y[40:],
    ...                                        loss="mse", num_rounds=50, random_seed=1)
    >>> bool(np.isclose(loss, bias + var))
    True
    """
    if loss not in _LOSSES:
        raise ValueError(f"loss must be one of {_LOSSES}, got {loss!r}")
    if not isinstance(num_rounds, numbers.Integral) or isinstance(num_rounds, bool) or num_rounds < 1:
        raise ValueError(f"num_rounds must be an integer >= 1, got {num_rounds!r}")
    X_train = check_array(X_train, dtype=None, input_name="X_train")
    X_test = check_array(X_test, dtype=None, input_name="X_test")
    y_train = check_array(y_train, dtype=None, ensure_2d=False, input_name="y_train")
    y_test = check_array(y_test, dtype=None, ensure_2d=False, input_name="y_test")
    for name, target in (("y_train", y_train), ("y_test", y_test)):
        if target.ndim != 1:
            raise ValueError(f"{name} must be 1-D (one target per row), got shape {target.shape}")
    check_consistent_length(X_train, y_train)
    check_consistent_length(X_test, y_test)
    if X_train.shape[1] != X_test.shape[1]:
        raise ValueError(f"X_train has {X_train.shape[1]} features but X_test has {X_test.shape[1]}")
    P = bootstrap_predictions(
        estimator, X_train, y_train, X_test, num_rounds=num_rounds, random_seed=random_seed, **fit_params
    )
    terms = decompose(P, y_test, loss)
    return float(terms.expected_loss.mean()), float(terms.bias.mean()), float(terms.variance.mean())
