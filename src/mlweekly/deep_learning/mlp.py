"""A multi-layer perceptron classifier from scratch: explicit forward and backward passes in NumPy.

No autograd. :func:`forward` keeps every intermediate matrix (the *caches*) and :func:`backward`
applies the chain rule layer by layer — the derivation of lesson P1.14 written in code. For one
hidden layer (rows are samples, ``Y`` the one-hot labels, ``f`` the activation)::

    Z1 = X W1 + b1      A1 = f(Z1)      Z2 = A1 W2 + b2      P = softmax(Z2)
    L  = -(1/n) Σ_i log P[i, y_i]  +  (α / 2n) Σ_l ‖W_l‖²

    dZ2 = P - Y                   (the softmax cross-entropy gradient, times n)
    dW2 = (A1ᵀ dZ2 + α W2) / n    db2 = Σ_i dZ2[i] / n     (a bias gradient is a column sum)
    dA1 = dZ2 W2ᵀ                 dZ1 = dA1 ⊙ f'(Z1)
    dW1 = (Xᵀ dZ1 + α W1) / n     db1 = Σ_i dZ1[i] / n

Weights are stored like scikit-learn's ``MLPClassifier``: ``coefs_[l]`` of shape (fan_in, fan_out)
and ``intercepts_[l]`` of shape (fan_out,); the functional API names them ``W1, b1, W2, b2, ...``.
The penalty ``α/(2n) Σ‖W‖²`` over the batch size ``n`` is scikit-learn's too. The optimisers
follow ``torch.optim.SGD`` and ``torch.optim.Adam`` update rules exactly, so the same initial
weights and the same batches give the same loss curve as a PyTorch model (lesson P1.16).
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = [
    "MLPClassifier", "backward", "cross_entropy", "forward", "gradient_check", "init_params",
    "numerical_gradient",
]  # fmt: skip

ACTIVATIONS = ("relu", "tanh", "logistic")
SOLVERS = ("sgd", "adam")


# ------------------------------------------------------------------------------ the maths, as functions
def _activate(name: str, Z: np.ndarray) -> np.ndarray:
    if name == "relu":
        return np.maximum(Z, 0.0)
    if name == "tanh":
        return np.tanh(Z)
    return expit(Z)  # logistic, overflow-free


def _activation_grad(name: str, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """f'(Z), from the cached output A where that is cheaper: tanh' = 1 - A², σ' = A(1 - A)."""
    if name == "relu":
        return (Z > 0).astype(Z.dtype)  # the kink at 0 gets derivative 0, as in PyTorch
    if name == "tanh":
        return 1.0 - A * A
    return A * (1.0 - A)


def _n_layers(params: Mapping[str, np.ndarray]) -> int:
    return len(params) // 2


def _check_activation(activation: str) -> None:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")


def _rng(random_state) -> np.random.Generator:
    """A NumPy Generator from None, an int, a Generator or a legacy RandomState."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    return np.random.default_rng(random_state)


def init_params(layer_sizes: Sequence[int], activation: str = "relu", random_state=None) -> dict:
    """Glorot-uniform weights and biases, scikit-learn's ``MLPClassifier`` initialisation.

    ``W_l, b_l ~ U(-r, r)`` with ``r = sqrt(6 / (fan_in + fan_out))`` (``sqrt(2 / ...)`` for the
    logistic activation), drawn in the order W1, b1, W2, b2, ...

    Parameters
    ----------
    layer_sizes : sequence of int
        Widths from the input to the output layer, e.g. ``(64, 100, 10)``.
    activation : {"relu", "tanh", "logistic"}, default="relu"
        Hidden activation (only changes the bound for "logistic").
    random_state : None, int or numpy.random.Generator
        Seed or generator; a Generator is advanced (the estimator relies on it).

    Returns
    -------
    params : dict
        ``{"W1": (d, h1), "b1": (h1,), ..., "WL": (h_{L-1}, K), "bL": (K,)}``, float64.

    Examples
    --------
    >>> p = init_params((4, 3, 2), random_state=0)
    >>> [p[k].shape for k in ("W1", "b1", "W2", "b2")]
    [(4, 3), (3,), (3, 2), (2,)]
    """
    _check_activation(activation)
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes needs at least two positive widths, got {tuple(layer_sizes)}")
    rng = _rng(random_state)
    factor = 2.0 if activation == "logistic" else 6.0
    params = {}
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        bound = np.sqrt(factor / (fan_in + fan_out))
        params[f"W{l}"] = rng.uniform(-bound, bound, (fan_in, fan_out))
        params[f"b{l}"] = rng.uniform(-bound, bound, fan_out)
    return params


def forward(params: Mapping[str, np.ndarray], X: np.ndarray, activation: str = "relu") -> dict:
    """The forward pass, keeping what the backward pass needs.

    Parameters
    ----------
    params : dict
        ``W1, b1, ..., WL, bL`` as returned by :func:`init_params`.
    X : ndarray of shape (n, d)
        A batch of inputs.
    activation : {"relu", "tanh", "logistic"}, default="relu"
        Activation of every hidden layer; the output layer is a softmax.

    Returns
    -------
    caches : dict
        ``A0 = X``, ``Z_l`` (pre-activations) and ``A_l`` (activations) of every layer, the output
        probabilities ``P = softmax(Z_L)`` and their logarithm ``logP`` (computed as
        ``Z - logsumexp(Z)``, finite even where ``P`` underflows to 0).

    Examples
    --------
    >>> p = init_params((4, 3, 2), random_state=0)
    >>> caches = forward(p, np.ones((5, 4)))
    >>> caches["P"].shape, bool(np.allclose(caches["P"].sum(axis=1), 1))
    ((5, 2), True)
    """
    _check_activation(activation)
    L = _n_layers(params)
    A = X
    caches = {"A0": X}
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        if A.shape[1] != W.shape[0]:
            raise ValueError(f"layer {l}: input has {A.shape[1]} columns but W{l} has shape {W.shape}")
        Z = A @ W + b
        caches[f"Z{l}"] = Z
        if l < L:
            A = _activate(activation, Z)
            caches[f"A{l}"] = A
    Z = Z - Z.max(axis=1, keepdims=True)  # log-sum-exp shift: only numbers <= 0 are exponentiated
    E = np.exp(Z)
    S = E.sum(axis=1, keepdims=True)
    caches["logP"] = Z - np.log(S)
    caches["P"] = E / S
    return caches


def _check_codes(y, n: int, K: int) -> np.ndarray:
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},) to match the batch, got {y.shape}")
    if y.dtype.kind not in "iu" or (n and (y.min() < 0 or y.max() >= K)):
        raise ValueError(f"y must hold integer class codes in [0, {K}), got {y.dtype} values")
    return y


def cross_entropy(params: Mapping[str, np.ndarray], caches: Mapping[str, np.ndarray], y, alpha=0.0) -> float:
    """Mean softmax cross-entropy of the batch plus scikit-learn's penalty ``α/(2n) Σ‖W_l‖²``.

    Parameters
    ----------
    params : dict
        The weights (for the penalty).
    caches : dict
        Output of :func:`forward` on the batch.
    y : ndarray of shape (n,)
        Integer class codes ``0..K-1``.
    alpha : float, default=0.0
        L2 strength.

    Returns
    -------
    float
        The loss ``-(1/n) Σ_i log P[i, y_i] + α/(2n) Σ_l ‖W_l‖²``.
    """
    logP = caches["logP"]
    n = logP.shape[0]
    y = _check_codes(y, n, logP.shape[1])
    data = -logP[np.arange(n), y].mean()
    if not alpha:
        return float(data)
    penalty = sum(np.vdot(params[f"W{l}"], params[f"W{l}"]) for l in range(1, _n_layers(params) + 1))
    return float(data + 0.5 * alpha * penalty / n)


def backward(
    params: Mapping[str, np.ndarray], caches: Mapping[str, np.ndarray], y, activation: str = "relu", alpha=0.0
) -> dict:
    """The backward pass: gradients of :func:`cross_entropy` with respect to every parameter.

    Parameters
    ----------
    params : dict
        The weights used by the forward pass.
    caches : dict
        Output of :func:`forward` on the batch.
    y : ndarray of shape (n,)
        Integer class codes ``0..K-1``.
    activation : {"relu", "tanh", "logistic"}, default="relu"
        The hidden activation the forward pass used.
    alpha : float, default=0.0
        L2 strength (adds ``α W_l / n`` to each weight gradient, nothing to the biases).

    Returns
    -------
    grads : dict
        ``W1, b1, ..., WL, bL`` — each of its parameter's shape.

    Examples
    --------
    >>> p = init_params((4, 3, 2), random_state=0)
    >>> X, y = np.ones((5, 4)), np.array([0, 1, 1, 0, 1])
    >>> g = backward(p, forward(p, X), y)
    >>> g["W1"].shape, g["b2"].shape
    ((4, 3), (2,))
    """
    _check_activation(activation)
    P = caches["P"]
    n, K = P.shape
    y = _check_codes(y, n, K)
    L = _n_layers(params)
    dZ = P.copy()
    dZ[np.arange(n), y] -= 1.0  # dZ_L = P - Y  (Y one-hot): ∂(n·L)/∂Z_L
    grads = {}
    for l in range(L, 0, -1):
        W, A_prev = params[f"W{l}"], caches[f"A{l - 1}"]
        grads[f"W{l}"] = (A_prev.T @ dZ + alpha * W) / n  # dW_l = A_{l-1}ᵀ dZ_l / n
        grads[f"b{l}"] = dZ.sum(axis=0) / n  # b_l is broadcast over rows: its gradient sums them
        if l > 1:  # dZ_{l-1} = (dZ_l W_lᵀ) ⊙ f'(Z_{l-1}); no dX for the input layer
            dZ = (dZ @ W.T) * _activation_grad(activation, caches[f"Z{l - 1}"], caches[f"A{l - 1}"])
    return {k: grads[k] for k in params}  # W1, b1, W2, ... order


def numerical_gradient(params, X, y, activation: str = "relu", alpha=0.0, eps: float = 1e-6) -> dict:
    """Central differences ``(L(θ + ε e_j) - L(θ - ε e_j)) / 2ε`` for every parameter entry.

    Two forward passes per entry: an O(#params) cost that is why nobody trains this way, but an
    independent check of :func:`backward` (truncation error O(ε²), rounding error O(u/ε)).

    Parameters
    ----------
    params : dict
        The weights (perturbed in place entry by entry, then restored exactly).
    X : ndarray of shape (n, d)
        The batch.
    y : ndarray of shape (n,)
        Integer class codes.
    activation : {"relu", "tanh", "logistic"}, default="relu"
        Hidden activation.
    alpha : float, default=0.0
        L2 strength.
    eps : float, default=1e-6
        Step of the central difference.

    Returns
    -------
    dict
        Same keys and shapes as :func:`backward`.
    """

    def loss() -> float:
        return cross_entropy(params, forward(params, X, activation), y, alpha)

    grads = {}
    for name, theta in params.items():
        g = np.empty_like(theta)
        flat, gflat = theta.reshape(-1), g.reshape(-1)  # views: writing flat[j] perturbs theta
        for j in range(flat.size):
            old = flat[j]
            flat[j] = old + eps
            up = loss()
            flat[j] = old - eps
            down = loss()
            flat[j] = old
            gflat[j] = (up - down) / (2.0 * eps)
        grads[name] = g
    return grads


def gradient_check(params, X, y, activation: str = "relu", alpha=0.0, eps: float = 1e-6) -> dict:
    """Relative error ``‖g - ĝ‖ / (‖g‖ + ‖ĝ‖)`` of :func:`backward` against central differences.

    Around 1e-8 or below means the analytic gradient is right (float64, ``eps=1e-6``); a wrong
    transpose or a missing factor gives errors of order 1e-1 to 1.

    Parameters
    ----------
    params, X, y, activation, alpha, eps
        As in :func:`numerical_gradient`.

    Returns
    -------
    dict
        ``{parameter name: relative error}``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p = init_params((5, 4, 3), activation="tanh", random_state=0)
    >>> X, y = rng.normal(size=(8, 5)), rng.integers(0, 3, 8)
    >>> all(err < 1e-7 for err in gradient_check(p, X, y, activation="tanh").values())
    True
    """
    analytic = backward(params, forward(params, X, activation), y, activation, alpha)
    numeric = numerical_gradient(params, X, y, activation, alpha, eps)
    out = {}
    for name in params:
        g, h = analytic[name], numeric[name]
        denom = np.linalg.norm(g) + np.linalg.norm(h)
        out[name] = float(np.linalg.norm(g - h) / denom) if denom > 0 else 0.0
    return out


# ----------------------------------------------------------------------- optimisers (torch.optim rules)
class _SGD:
    """torch.optim.SGD with dampening=0: ``buf = μ buf + g``; step ``g + μ buf`` (Nesterov) or ``buf``."""

    def __init__(self, lr: float, momentum: float, nesterov: bool):
        self.lr, self.momentum, self.nesterov = lr, momentum, nesterov
        self.buf: dict[str, np.ndarray] = {}

    def step(self, params: dict, grads: dict) -> None:
        for k, g in grads.items():
            if self.momentum:
                buf = self.buf.get(k)
                if buf is None:  # torch starts the buffer at the first gradient itself
                    buf = self.buf[k] = g.copy()
                else:
                    buf *= self.momentum
                    buf += g
                g = g + self.momentum * buf if self.nesterov else buf
            params[k] -= self.lr * g  # in place: coefs_ share these arrays


class _Adam:
    """torch.optim.Adam: bias-corrected moments, ``θ -= lr · m̂ / (sqrt(v̂) + ε)``."""

    def __init__(self, lr: float, beta_1: float, beta_2: float, epsilon: float):
        self.lr, self.b1, self.b2, self.eps = lr, beta_1, beta_2, epsilon
        self.t = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}

    def step(self, params: dict, grads: dict) -> None:
        self.t += 1
        c1, c2 = 1.0 - self.b1**self.t, 1.0 - self.b2**self.t
        for k, g in grads.items():
            m = self.m.setdefault(k, np.zeros_like(g))
            v = self.v.setdefault(k, np.zeros_like(g))
            m *= self.b1
            m += (1.0 - self.b1) * g
            v *= self.b2
            v += (1.0 - self.b2) * g * g
            params[k] -= (self.lr / c1) * m / (np.sqrt(v / c2) + self.eps)


# ---------------------------------------------------------------------------------------- estimator
class MLPClassifier(ClassifierMixin, BaseEstimator):
    """Multi-layer perceptron with a softmax cross-entropy output, trained by mini-batch SGD or Adam.

    The forward and backward passes are :func:`forward` and :func:`backward` (hand-derived, no
    autograd). Minimises the mean cross-entropy of each mini-batch plus ``α/(2n) Σ‖W_l‖²``, as
    scikit-learn's ``MLPClassifier``; the updates are PyTorch's (``torch.optim.SGD`` / ``Adam``).
    Randomness: one ``numpy.random.default_rng(random_state)`` draws the initial weights
    (:func:`init_params`), then the early-stopping split if any, then one permutation of the rows
    per epoch when ``shuffle=True``.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Width of each hidden layer; at least one.
    activation : {"relu", "tanh", "logistic"}, default="relu"
        Hidden activation.
    solver : {"adam", "sgd"}, default="adam"
        Optimiser.
    alpha : float, default=1e-4
        L2 strength (``>= 0``).
    batch_size : int or "auto", default="auto"
        Mini-batch size; "auto" is ``min(200, n_samples)``; larger values are clipped to ``n_samples``.
    learning_rate_init : float, default=1e-3
        Constant learning rate (``> 0``).
    max_iter : int, default=200
        Maximum number of epochs (passes over the training data).
    shuffle : bool, default=True
        Shuffle the rows every epoch.
    random_state : None, int or Generator, default=None
        Seed of the initialisation, split and shuffles.
    tol : float, default=1e-4
        Stop when the epoch loss (or, with early stopping, the validation accuracy) has not improved
        by ``tol`` for ``n_iter_no_change`` consecutive epochs.
    momentum : float, default=0.9
        Momentum of SGD, in ``[0, 1)``.
    nesterovs_momentum : bool, default=True
        Nesterov momentum for SGD (PyTorch's formulation).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified), stop on its accuracy and
        keep the best weights.
    validation_fraction : float, default=0.1
        Held-out share for early stopping, in ``(0, 1)``.
    beta_1, beta_2 : float, default=0.9, 0.999
        Adam's moment decay rates, in ``[0, 1)``.
    epsilon : float, default=1e-8
        Adam's denominator guard.
    n_iter_no_change : int, default=10
        Patience in epochs.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coefs_ : list of ndarray
        ``coefs_[l]`` of shape (fan_in, fan_out).
    intercepts_ : list of ndarray
        ``intercepts_[l]`` of shape (fan_out,).
    loss_curve_ : list of float
        Mean training loss of each epoch (the batch losses weighted by batch size).
    batch_loss_curve_ : list of float
        Loss of every mini-batch, before its update (what a PyTorch loop prints).
    validation_scores_ : list of float or None
        Validation accuracy per epoch with early stopping.
    best_loss_ : float or None
        Smallest epoch loss (None with early stopping).
    n_iter_ : int
        Epochs run.
    t_ : int
        Optimiser steps taken.
    n_layers_ : int
        Number of layers including input and output.
    n_features_in_ : int
        Number of input features.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier((16,), learning_rate_init=0.01, max_iter=300, random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.95
    True
    """

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=1e-4,
        batch_size="auto",
        learning_rate_init=1e-3,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags

    # -------------------------------------------------------------------------------- validation
    def _hidden(self) -> tuple[int, ...]:
        h = self.hidden_layer_sizes
        h = (h,) if isinstance(h, numbers.Integral) else tuple(h) if isinstance(h, Sequence) else None
        if not h or not all(isinstance(s, numbers.Integral) and s >= 1 for s in h):
            raise ValueError(
                f"hidden_layer_sizes must be a positive int or a non-empty sequence of positive ints, "
                f"got {self.hidden_layer_sizes!r}"
            )
        return tuple(int(s) for s in h)

    def _check_params(self) -> None:
        def real(name, ok, rule):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not ok(v):
                raise ValueError(f"{name} must be {rule}, got {v!r}")

        def integer(name):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {v!r}")

        self._hidden()
        _check_activation(self.activation)
        if self.solver not in SOLVERS:
            raise ValueError(f"solver must be one of {SOLVERS}, got {self.solver!r}")
        real("alpha", lambda v: v >= 0 and np.isfinite(v), "a finite number >= 0")
        real("learning_rate_init", lambda v: v > 0 and np.isfinite(v), "a finite number > 0")
        real("tol", np.isfinite, "a finite number")
        real("momentum", lambda v: 0 <= v < 1, "in [0, 1)")
        real("validation_fraction", lambda v: 0 < v < 1, "in (0, 1)")
        real("beta_1", lambda v: 0 <= v < 1, "in [0, 1)")
        real("beta_2", lambda v: 0 <= v < 1, "in [0, 1)")
        real("epsilon", lambda v: v > 0, "> 0")
        integer("max_iter")
        integer("n_iter_no_change")
        if self.batch_size != "auto":
            integer("batch_size")

    # ---------------------------------------------------------------------------------- training
    @property
    def _params(self) -> dict:
        """The weights as the functional API names them (views of coefs_ / intercepts_)."""
        out = {}
        for l, (W, b) in enumerate(zip(self.coefs_, self.intercepts_, strict=True), start=1):
            out[f"W{l}"], out[f"b{l}"] = W, b
        return out

    def _start(self, n_features: int) -> None:
        self._rng = _rng(self.random_state)
        sizes = (n_features, *self._hidden(), self.classes_.size)
        p = init_params(sizes, self.activation, self._rng)
        self.coefs_ = [p[f"W{l}"] for l in range(1, len(sizes))]
        self.intercepts_ = [p[f"b{l}"] for l in range(1, len(sizes))]
        self.n_layers_ = len(sizes)
        self.n_outputs_ = self.classes_.size
        self.out_activation_ = "softmax"
        if self.solver == "sgd":
            self._optimiser = _SGD(self.learning_rate_init, self.momentum, self.nesterovs_momentum)
        else:
            self._optimiser = _Adam(self.learning_rate_init, self.beta_1, self.beta_2, self.epsilon)
        self.loss_curve_, self.batch_loss_curve_ = [], []
        self.validation_scores_ = [] if self.early_stopping else None
        self.best_loss_ = None if self.early_stopping else np.inf
        self.best_validation_score_ = -np.inf if self.early_stopping else None
        self.n_iter_, self.t_, self._no_improvement_count = 0, 0, 0

    def _epoch(self, X: np.ndarray, codes: np.ndarray) -> float:
        """One pass over the data in mini-batches; returns the mean batch loss."""
        n = X.shape[0]
        bs = min(200, n) if self.batch_size == "auto" else min(int(self.batch_size), n)
        if self.shuffle:
            order = self._rng.permutation(n)
            X, codes = X[order], codes[order]  # one copy per epoch; the batches are then views
        params, total = self._params, 0.0
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # we check the loss instead
            for start in range(0, n, bs):
                Xb, yb = X[start : start + bs], codes[start : start + bs]
                caches = forward(params, Xb, self.activation)
                loss = cross_entropy(params, caches, yb, self.alpha)
                self.t_ += 1
                if not np.isfinite(loss):
                    raise FloatingPointError(
                        f"the training loss became {loss} at step {self.t_} (epoch {self.n_iter_ + 1}, "
                        f"rows {start}..{start + len(yb) - 1}): the weights diverged; lower "
                        f"learning_rate_init (now {self.learning_rate_init:g}) or scale the features"
                    )
                self._optimiser.step(params, backward(params, caches, yb, self.activation, self.alpha))
                self.batch_loss_curve_.append(loss)
                total += loss * len(yb)
        self.n_iter_ += 1
        self.loss_curve_.append(total / n)
        return total / n

    def _validate_train(self, X, y, reset: bool):
        X, y = validate_data(self, X, y, dtype=np.float64, reset=reset)
        check_classification_targets(y)
        return X, y

    def _set_classes(self, labels) -> None:
        self.classes_ = np.unique(labels)
        if self.classes_.size < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes; got 1 class "
                f"({self.classes_.tolist()})"
            )

    def _encode(self, y) -> np.ndarray:
        codes = np.searchsorted(self.classes_, y)
        codes = np.minimum(codes, self.classes_.size - 1)
        unseen = self.classes_[codes] != y
        if np.any(unseen):
            new = np.unique(y[unseen]).tolist()
            raise ValueError(f"y holds labels not in classes_ {self.classes_.tolist()}: {new}")
        return codes

    def fit(self, X, y):
        """Train from a fresh initialisation for up to ``max_iter`` epochs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (cast to float64; no NaN or inf).
        y : array-like of shape (n_samples,)
            Class labels; at least two distinct classes.

        Returns
        -------
        self : MLPClassifier
            The fitted estimator.

        Raises
        ------
        FloatingPointError
            If the training loss becomes NaN or infinite; the message names the step.
        """
        self._check_params()
        X, y = self._validate_train(X, y, reset=True)
        self._set_classes(y)
        codes = self._encode(y)
        self._start(X.shape[1])
        X_val = y_val = None
        if self.early_stopping:
            seed = int(self._rng.integers(np.iinfo(np.int32).max))
            n_val, K = int(np.ceil(self.validation_fraction * len(codes))), self.classes_.size
            # Stratify (as scikit-learn does) when both parts can hold every class.
            can = min(n_val, len(codes) - n_val) >= K and np.bincount(codes).min() >= 2
            X, X_val, codes, y_val = train_test_split(
                X, codes, test_size=n_val, stratify=codes if can else None, random_state=seed
            )
            best = [a.copy() for a in self.coefs_], [a.copy() for a in self.intercepts_]
        for _ in range(self.max_iter):
            loss = self._epoch(X, codes)
            if self.early_stopping:
                score = float(np.mean(self._forward(X_val).argmax(axis=1) == y_val))
                self.validation_scores_.append(score)
                stalled = score < self.best_validation_score_ + self.tol
                if score > self.best_validation_score_:
                    self.best_validation_score_ = score
                    best = [a.copy() for a in self.coefs_], [a.copy() for a in self.intercepts_]
            else:
                stalled = loss > self.best_loss_ - self.tol
                self.best_loss_ = min(self.best_loss_, loss)
            self._no_improvement_count = self._no_improvement_count + 1 if stalled else 0
            if self._no_improvement_count >= self.n_iter_no_change:
                break
        else:
            warnings.warn(
                f"{type(self).__name__}: {self.max_iter} epochs (max_iter) reached and the optimisation "
                "has not converged yet; increase max_iter or learning_rate_init.",
                ConvergenceWarning,
                stacklevel=2,
            )
        if self.early_stopping:
            self.coefs_, self.intercepts_ = best
        return self

    def partial_fit(self, X, y, classes=None):
        """One more epoch over ``(X, y)``, keeping the optimiser's state (momentum, Adam moments).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features.
        y : array-like of shape (n_samples,)
            Class labels, all in ``classes``.
        classes : array-like, optional
            Every class label; needed on the first call only (default: the labels of ``y``).

        Returns
        -------
        self : MLPClassifier
            The estimator, trained one epoch further.
        """
        first = not hasattr(self, "coefs_")
        if first:
            self._check_params()
        X, y = self._validate_train(X, y, reset=first)
        if first:
            self._set_classes(y if classes is None else np.asarray(classes))
            codes = self._encode(y)
            self._start(X.shape[1])
        else:
            codes = self._encode(y)
        self._epoch(X, codes)
        return self

    # -------------------------------------------------------------------------------- prediction
    def _forward(self, X: np.ndarray, out: str = "P") -> np.ndarray:
        return forward(self._params, X, self.activation)[out]

    def _predict_checked(self, X, out: str) -> np.ndarray:
        check_is_fitted(self)
        return self._forward(validate_data(self, X, reset=False, dtype=np.float64), out)

    def predict_proba(self, X):
        """Class probabilities (the softmax output).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Rows sum to 1; columns follow ``classes_``.
        """
        return self._predict_checked(X, "P")

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed stably (no ``log 0``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Log-probabilities.
        """
        return self._predict_checked(X, "logP")

    def predict(self, X):
        """Most probable class of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        P = self.predict_proba(X)
        return self.classes_[np.argmax(P, axis=1)]
