"""Tests of the hand-derived NumPy MLP: gradients, parity with torch, the sklearn contract, errors."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlweekly import datasets
from mlweekly.deep_learning.mlp import (
    MLPClassifier,
    backward,
    cross_entropy,
    forward,
    gradient_check,
    init_params,
)

torch = pytest.importorskip("torch")

FAST = dict(max_iter=30, learning_rate_init=0.01, random_state=0)


# No expected failures and no skips of our own: every check passes (sklearn skips
# check_array_api_input itself unless SCIPY_ARRAY_API is set; we are NumPy-only). max_iter is kept
# small so the checks stay fast; the ConvergenceWarnings that follows are expected.
@parametrize_with_checks(
    [
        MLPClassifier((10,), **FAST),
        MLPClassifier((8, 6), activation="tanh", solver="sgd", **FAST),
        MLPClassifier((10,), activation="logistic", early_stopping=True, **FAST),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


@pytest.fixture(scope="module")
def digits():
    X, y = datasets.load_xy("digits")
    return X / 16.0, y


# ------------------------------------------------------------------------------------ gradients
@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic"])
@pytest.mark.parametrize("hidden", [(7,), (6, 5)])
def test_gradient_check(activation, hidden):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(12, 4)), rng.integers(0, 3, 12)
    params = init_params((4, *hidden, 3), activation, random_state=2)
    errors = gradient_check(params, X, y, activation, alpha=0.3)
    assert set(errors) == set(params)
    # Central differences with eps=1e-6 in float64: truncation ~eps² and rounding ~u·L/eps ≈ 1e-10
    # (absolute) give relative errors of 1e-9 on O(1) gradients and up to ~1e-7 on the tiny bias
    # gradients of a two-layer logistic net; any wrong transpose, factor or sign gives > 1e-2.
    assert max(errors.values()) < 1e-6, errors


def _torch_grads(params, X, y, activation, alpha):
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    f = {"relu": torch.relu, "tanh": torch.tanh, "logistic": torch.sigmoid}[activation]
    L = len(params) // 2
    A = torch.tensor(X)
    for l in range(1, L):
        A = f(A @ t[f"W{l}"] + t[f"b{l}"])
    Z = A @ t[f"W{L}"] + t[f"b{L}"]
    yt = torch.tensor(y, dtype=torch.long)
    penalty = sum((t[f"W{l}"] ** 2).sum() for l in range(1, L + 1))
    loss = torch.nn.functional.cross_entropy(Z, yt) + 0.5 * alpha * penalty / len(y)
    loss.backward()
    return loss.item(), {k: v.grad.numpy() for k, v in t.items()}


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(1, 30),
    d=st.integers(1, 6),
    hidden=st.lists(st.integers(1, 8), min_size=1, max_size=3),
    K=st.integers(2, 5),
    activation=st.sampled_from(["relu", "tanh", "logistic"]),
    alpha=st.sampled_from([0.0, 0.5]),
)
def test_backward_matches_torch_autograd(seed, n, d, hidden, K, activation, alpha):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(n, d)) * 3, rng.integers(0, K, n)
    params = init_params((d, *hidden, K), activation, random_state=rng)
    caches = forward(params, X, activation)
    ref_loss, ref = _torch_grads(params, X, y, activation, alpha)
    # Same float64 formulas in a different order: agreement to a few ulps of O(1) numbers.
    assert cross_entropy(params, caches, y, alpha) == pytest.approx(ref_loss, rel=0, abs=1e-12)
    ours = backward(params, caches, y, activation, alpha)
    assert list(ours) == list(params)
    for k in params:
        assert ours[k].shape == params[k].shape
        np.testing.assert_allclose(ours[k], ref[k], rtol=0, atol=1e-12, err_msg=k)


def test_softmax_is_stable_for_huge_logits():
    params = {"W1": np.eye(2) * 1e4, "b1": np.zeros(2), "W2": np.array([[1.0, -1.0], [0.0, 0.0]]),
              "b2": np.zeros(2)}  # fmt: skip
    caches = forward(params, np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert np.all(np.isfinite(caches["logP"])) and np.all(np.isfinite(caches["P"]))
    np.testing.assert_allclose(caches["P"].sum(axis=1), 1.0, rtol=0, atol=1e-15)
    # row 1: logits (1e4, -1e4), label 1 -> loss 2e4; row 2: logits (0, 0) -> log 2
    assert cross_entropy(params, caches, np.array([1, 0])) == pytest.approx((2e4 + np.log(2)) / 2, rel=1e-15)


# ------------------------------------------------------------------------- training parity with torch
def _torch_training(X, y, *, seed, hidden, activation, solver, lr, epochs, batch, alpha, **kw):
    """The same model in torch: our init (same Generator), our permutations, torch's optimiser."""
    rng = np.random.default_rng(seed)
    p = init_params((X.shape[1], *hidden, int(y.max()) + 1), activation, rng)
    t = [torch.tensor(v, requires_grad=True) for v in p.values()]
    if solver == "sgd":
        opt = torch.optim.SGD(t, lr=lr, momentum=kw["momentum"], nesterov=kw["nesterovs_momentum"])
    else:
        opt = torch.optim.Adam(t, lr=lr)
    f = {"relu": torch.relu, "tanh": torch.tanh, "logistic": torch.sigmoid}[activation]
    Xt, yt = torch.tensor(X), torch.tensor(y, dtype=torch.long)
    losses = []
    for _ in range(epochs):
        order = torch.tensor(rng.permutation(len(y)))
        Xe, ye = Xt[order], yt[order]
        for s in range(0, len(y), batch):
            A, yb = Xe[s : s + batch], ye[s : s + batch]
            for W, b in zip(t[:-2:2], t[1:-2:2], strict=True):
                A = f(A @ W + b)
            Z = A @ t[-2] + t[-1]
            penalty = sum((W**2).sum() for W in t[::2])
            loss = torch.nn.functional.cross_entropy(Z, yb) + 0.5 * alpha * penalty / len(yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    return np.array(losses), [W.detach().numpy() for W in t[::2]]


@pytest.mark.parametrize(
    "solver, extra",
    [
        ("sgd", dict(momentum=0.9, nesterovs_momentum=False)),
        ("sgd", dict(momentum=0.9, nesterovs_momentum=True)),
        ("sgd", dict(momentum=0.0, nesterovs_momentum=False)),
        ("adam", {}),
    ],
)
def test_training_matches_torch(digits, solver, extra):
    X, y = digits[0][:600], digits[1][:600]
    lr = 0.05 if solver == "sgd" else 3e-3
    cfg = dict(hidden=(16, 8), activation="tanh", epochs=8, batch=64, alpha=1e-2, lr=lr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPClassifier(
            cfg["hidden"], cfg["activation"], solver=solver, alpha=cfg["alpha"], batch_size=cfg["batch"],
            learning_rate_init=lr, max_iter=cfg["epochs"], random_state=3, tol=0.0, n_iter_no_change=99,
            **extra,
        ).fit(X, y)  # fmt: skip
    ref_losses, ref_W = _torch_training(X, y, seed=3, solver=solver, **cfg, **extra)
    assert ours.t_ == len(ref_losses) == 8 * 10
    # Same init, batches and update rules in float64: the curves agree to rounding (the issue asks
    # for 1e-6; 1e-10 leaves room only for float64 summation order over 80 steps).
    np.testing.assert_allclose(ours.batch_loss_curve_, ref_losses, rtol=0, atol=1e-10)
    for W, R in zip(ours.coefs_, ref_W, strict=True):
        np.testing.assert_allclose(W, R, rtol=0, atol=1e-10)


# ----------------------------------------------------------------------------------- behaviour
def test_digits_accuracy(digits):
    Xtr, Xte, ytr, yte = train_test_split(*digits, test_size=0.25, stratify=digits[1], random_state=0)
    clf = MLPClassifier((100,), learning_rate_init=3e-3, max_iter=200, random_state=0).fit(Xtr, ytr)
    assert clf.score(Xte, yte) >= 0.96  # seeds 0-2 reach 97.3-98.0 % (lesson P1.16)
    assert clf.loss_curve_[-1] < 0.05 * clf.loss_curve_[0]
    assert np.mean(clf.batch_loss_curve_[:7]) > np.mean(clf.batch_loss_curve_[-7:])


def test_partial_fit_epochs_equal_fit(digits):
    X, y = digits[0][:300], digits[1][:300]
    kw = dict(hidden_layer_sizes=(12,), batch_size=50, random_state=5, tol=0.0, n_iter_no_change=99)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        full = MLPClassifier(max_iter=4, **kw).fit(X, y)
    step = MLPClassifier(max_iter=1, **kw)
    for _ in range(4):
        step.partial_fit(X, y, classes=np.arange(10))
    assert step.t_ == full.t_ == 24
    for a, b in zip(step.coefs_ + step.intercepts_, full.coefs_ + full.intercepts_, strict=True):
        np.testing.assert_array_equal(a, b)


def test_shapes_and_attributes(digits):
    X, y = digits[0][:200], digits[1][:200]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier((20, 15), max_iter=3, batch_size=64, random_state=0).fit(X, y)
    assert [W.shape for W in clf.coefs_] == [(64, 20), (20, 15), (15, 10)]
    assert [b.shape for b in clf.intercepts_] == [(20,), (15,), (10,)]
    assert clf.n_layers_ == 4 and clf.n_iter_ == 3 and clf.t_ == 3 * 4
    assert len(clf.loss_curve_) == 3 and len(clf.batch_loss_curve_) == 12
    P = clf.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), P, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[P.argmax(axis=1)])


def test_tol_stops_and_early_stopping_keeps_best(digits):
    X, y = digits
    clf = MLPClassifier((30,), learning_rate_init=0.01, max_iter=500, random_state=0, tol=1e-2).fit(X, y)
    assert clf.n_iter_ < 500
    es = MLPClassifier((30,), learning_rate_init=0.01, max_iter=500, random_state=0, early_stopping=True,
                       n_iter_no_change=3).fit(X, y)  # fmt: skip
    assert es.n_iter_ < 500 and es.best_loss_ is None
    assert es.best_validation_score_ == max(es.validation_scores_)


def test_string_labels_and_pipeline(digits):
    X, y = digits[0][:300], digits[1][:300]
    labels = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])[y]
    pipe = make_pipeline(StandardScaler(), MLPClassifier((16,), learning_rate_init=0.01, max_iter=60,
                                                         random_state=0))  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_val_score(pipe, X, labels, cv=3)
        pipe.fit(X, labels)
    assert scores.min() > 0.8
    assert set(pipe.predict(X)) <= set(labels)


# --------------------------------------------------------------------------------------- errors
def test_nan_loss_names_the_step():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(100, 5)) * 1e3, rng.integers(0, 3, 100)
    clf = MLPClassifier((50,), solver="sgd", learning_rate_init=1e6, batch_size=10, random_state=0)
    with pytest.raises(FloatingPointError, match=r"loss became (nan|inf) at step \d+ \(epoch \d+"):
        clf.fit(X, y)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(hidden_layer_sizes=()), "hidden_layer_sizes"),
        (dict(hidden_layer_sizes=(10, 0)), "hidden_layer_sizes"),
        (dict(activation="softplus"), "activation"),
        (dict(solver="lbfgs"), "solver"),
        (dict(alpha=-1.0), "alpha"),
        (dict(learning_rate_init=0.0), "learning_rate_init"),
        (dict(momentum=1.0), "momentum"),
        (dict(batch_size=0), "batch_size"),
        (dict(max_iter=0), "max_iter"),
        (dict(validation_fraction=1.0), "validation_fraction"),
        (dict(beta_2=1.0), "beta_2"),
        (dict(n_iter_no_change=1.5), "n_iter_no_change"),
    ],
)
def test_bad_hyper_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        MLPClassifier(**params).fit([[0.0], [1.0]], [0, 1])


def test_bad_inputs():
    X, y = np.random.default_rng(0).normal(size=(20, 3)), np.repeat([0, 1], 10)
    with pytest.raises(NotFittedError):
        MLPClassifier().predict(X)
    with pytest.raises(ValueError, match="NaN"):
        MLPClassifier().fit(np.where(X > 1, np.nan, X), y)
    with pytest.raises(ValueError, match="1 class"):
        MLPClassifier().fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPClassifier().fit(X, np.linspace(0, 1, 20))
    clf = MLPClassifier((4,), max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    with pytest.raises(ValueError, match="3 features"):
        clf.predict(X[:, :2])
    with pytest.raises(ValueError, match=re.escape("not in classes_ [0, 1]: [7]")):
        clf.partial_fit(X, np.where(np.arange(20) == 0, 7, y))


def test_functional_api_errors():
    params = init_params((3, 4, 2), random_state=0)
    X = np.zeros((5, 3))
    caches = forward(params, X)
    with pytest.raises(ValueError, match=r"y must have shape \(5,\)"):
        backward(params, caches, np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match=r"integer class codes in \[0, 2\)"):
        backward(params, caches, np.array([0, 1, 2, 0, 1]))
    with pytest.raises(ValueError, match="layer 1: input has 2 columns"):
        forward(params, np.zeros((5, 2)))
    with pytest.raises(ValueError, match="activation"):
        forward(params, X, activation="gelu")
    with pytest.raises(ValueError, match="at least two positive widths"):
        init_params((3,))
