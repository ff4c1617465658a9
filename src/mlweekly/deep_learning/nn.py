r"""Layers, activations and losses on the autograd :class:`~mlweekly.deep_learning.tensor.Tensor`.

The names and conventions are ``torch.nn``'s, so a model written here reads like a PyTorch model
and its weights copy across one for one:

* a :class:`Module` owns the :class:`Tensor` attributes and sub-modules assigned to it;
  :meth:`Module.parameters` walks them in assignment order (``Sequential`` names its layers
  ``"0"``, ``"1"``, ... like torch, so ``named_parameters`` gives ``"0.weight"``, ``"0.bias"``);
* :class:`Linear` computes :math:`y = x W^\top + b` with ``weight`` of shape ``(out, in)``;
* the losses take **logits** and use the stable forms

  .. math::

     \ell_{\mathrm{BCE}}(z, y) = \max(z, 0) - zy + \log(1 + e^{-|z|}), \qquad
     \ell_{\mathrm{CE}}(z, k) = \log\textstyle\sum_j e^{z_j} - z_k,

  both written with ``log_softmax`` (max-shifted log-sum-exp), which never exponentiates a positive
  number, so logits of :math:`\pm 1000` give finite losses and exact gradients
  (:math:`\sigma(z) - y` and :math:`\mathrm{softmax}(z) - e_k`).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from . import init as _init
from .tensor import Tensor, stack

__all__ = [
    "BCEWithLogitsLoss", "CrossEntropyLoss", "Dropout", "GELU", "Identity", "Linear", "LogSoftmax", "MSELoss",
    "Module", "ReLU", "Sequential", "Sigmoid", "Softmax", "Tanh", "binary_cross_entropy_with_logits",
    "cross_entropy", "mse_loss",
]  # fmt: skip


def _tensor(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


# ------------------------------------------------------------------------------------------ Module
class Module:
    """Base class: parameters are the :class:`Tensor` attributes, sub-modules the Module attributes.

    Subclasses assign their parameters and layers in ``__init__`` and define ``forward``; calling
    the module calls ``forward``. ``training`` (set by :meth:`train` / :meth:`eval` on the whole
    tree) switches layers such as :class:`Dropout`.

    Examples
    --------
    >>> class TwoLayer(Module):
    ...     def __init__(self):
    ...         self.hidden = Linear(4, 8, rng=0)
    ...         self.out = Linear(8, 3, rng=1)
    ...     def forward(self, x):
    ...         return self.out(self.hidden(x).relu())
    >>> [name for name, _ in TwoLayer().named_parameters()]
    ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
    """

    training = True  # class default, so subclasses need not call super().__init__()

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def children(self) -> Iterator[tuple[str, Module]]:
        """Direct sub-modules as ``(name, module)`` in assignment order."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        """Every parameter as ``(dotted name, Tensor)``, depth first in assignment order, no repeats."""
        seen: set[int] = set()
        for name, p in self._walk(prefix):
            if id(p) not in seen:
                seen.add(id(p))
                yield name, p

    def _walk(self, prefix: str) -> Iterator[tuple[str, Tensor]]:
        for name, value in vars(self).items():
            if isinstance(value, Tensor):
                yield prefix + name, value
            elif isinstance(value, Module):
                yield from value._walk(f"{prefix}{name}.")

    def parameters(self) -> list[Tensor]:
        """The parameters, in the order of :meth:`named_parameters` (what an optimiser takes)."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``grad = None``, as torch's default)."""
        for p in self.parameters():
            p.grad = None

    def train(self, mode: bool = True) -> Module:
        """Set training mode on this module and every sub-module; return self."""
        self.training = bool(mode)
        for _, child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode (``train(False)``): dropout becomes the identity. Returns self."""
        return self.train(False)

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        kids = [f"  ({name}): " + repr(child).replace("\n", "\n  ") for name, child in self.children()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        return head + ("\n" + "\n".join(kids) + "\n)" if kids else ")")


# ------------------------------------------------------------------------------------------ layers
_INITS = ("kaiming_uniform", "kaiming_normal", "xavier_uniform", "xavier_normal")


class Linear(Module):
    r"""Affine map :math:`y = x W^\top + b`, ``weight`` of shape ``(out_features, in_features)``.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of each input and output sample.
    bias : bool, default=True
        Whether to learn the additive ``bias`` of shape ``(out_features,)``.
    init : {"kaiming_uniform", "kaiming_normal", "xavier_uniform", "xavier_normal"}
        ``"kaiming_uniform"`` is torch's default: ``kaiming_uniform_(W, a=sqrt(5))``, i.e.
        :math:`W, b \sim U(-1/\sqrt{n_{in}}, 1/\sqrt{n_{in}})`. The others are the textbook schemes,
        with a zero bias: He-normal for ReLU networks (:math:`N(0, 2/n_{in})`) and Glorot's
        uniform/normal with gain 1 (variance :math:`2/(n_{in} + n_{out})`, for tanh/sigmoid).
    rng : None, int or numpy.random.Generator
        Source of the initial weights.

    Examples
    --------
    >>> layer = Linear(3, 2, rng=0)
    >>> layer(np.ones((5, 3))).shape
    (5, 2)
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, init: str = "kaiming_uniform", rng=None
    ):
        if int(in_features) < 1 or int(out_features) < 1:
            raise ValueError(f"Linear needs positive sizes, got ({in_features}, {out_features})")
        if init not in _INITS:
            raise ValueError(f"init must be one of {_INITS}, got {init!r}")
        self.in_features, self.out_features, self.init = int(in_features), int(out_features), init
        rng = _init.check_rng(rng)
        self.weight = Tensor(np.empty((self.out_features, self.in_features)), requires_grad=True)
        self.bias = Tensor(np.zeros(self.out_features), requires_grad=True) if bias else None
        if init == "kaiming_uniform":  # torch.nn.Linear.reset_parameters, draw for draw
            _init.kaiming_uniform_(self.weight, a=np.sqrt(5.0), rng=rng)
            if bias:
                bound = 1.0 / np.sqrt(self.in_features)
                _init.uniform_(self.bias, -bound, bound, rng=rng)
        elif init == "kaiming_normal":
            _init.kaiming_normal_(self.weight, nonlinearity="relu", rng=rng)
        else:
            getattr(_init, init + "_")(self.weight, rng=rng)

    def forward(self, x) -> Tensor:
        x = _tensor(x)
        if x.ndim < 1 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"Linear: expected input with {self.in_features} features in the last dimension, "
                f"got shape {x.shape}"
            )
        out = x @ self.weight.T
        return out + self.bias if self.bias is not None else out

    def extra_repr(self) -> str:
        bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={bias}"


class Sequential(Module):
    """Apply modules one after another; layers are named ``"0"``, ``"1"``, ... as in torch.

    Indexing, ``len`` and iteration give the layers (iterate to see every intermediate output).
    """

    def __init__(self, *modules: Module):
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential: argument {i} is a {type(m).__name__}, not a Module")
            setattr(self, str(i), m)

    def forward(self, x) -> Tensor:
        for layer in self:
            x = layer(x)
        return x

    def __iter__(self) -> Iterator[Module]:
        return (m for _, m in self.children())

    def __len__(self) -> int:
        return sum(1 for _ in self.children())

    def __getitem__(self, i: int) -> Module:
        return list(self)[i]


class Dropout(Module):
    r"""Inverted dropout: in training, zero each element with probability ``p`` and scale the rest
    by :math:`1/(1-p)` so the expected output equals the input; in eval, the identity.

    The keep-mask is ``rng.random(shape) >= p``, fresh at every call.
    """

    def __init__(self, p: float = 0.5, rng=None):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout probability must be in [0, 1], got {p}")
        self.p, self.rng = float(p), _init.check_rng(rng)

    def forward(self, x) -> Tensor:
        x = _tensor(x)
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return x * 0.0
        keep = self.rng.random(x.shape) >= self.p
        return x * (keep / (1.0 - self.p))

    def extra_repr(self) -> str:
        return f"p={self.p}"


# ------------------------------------------------------------------------------------- activations
class Identity(Module):
    """Return the input unchanged (a placeholder layer)."""

    def forward(self, x) -> Tensor:
        return _tensor(x)


class ReLU(Module):
    r""":math:`\max(x, 0)`; derivative :math:`[x > 0]` (0 at 0, as torch)."""

    def forward(self, x) -> Tensor:
        return _tensor(x).relu()


class Tanh(Module):
    r""":math:`\tanh x`; derivative :math:`1 - \tanh^2 x`."""

    def forward(self, x) -> Tensor:
        return _tensor(x).tanh()


class Sigmoid(Module):
    r""":math:`\sigma(x) = 1/(1 + e^{-x})`; derivative :math:`\sigma(x)(1 - \sigma(x))`."""

    def forward(self, x) -> Tensor:
        return _tensor(x).sigmoid()


class GELU(Module):
    r""":math:`x\,\Phi(x)` (``approximate="none"``) or its tanh approximation (``"tanh"``)."""

    def __init__(self, approximate: str = "none"):
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x) -> Tensor:
        return _tensor(x).gelu(approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softmax(Module):
    r""":math:`e^{x_k}/\sum_j e^{x_j}` along ``axis`` (max-shifted, so it never overflows)."""

    def __init__(self, axis: int = -1):
        self.axis = axis

    def forward(self, x) -> Tensor:
        return _tensor(x).softmax(axis=self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class LogSoftmax(Softmax):
    r""":math:`x_k - \log\sum_j e^{x_j}` along ``axis``."""

    def forward(self, x) -> Tensor:
        return _tensor(x).log_softmax(axis=self.axis)


# ------------------------------------------------------------------------------------------ losses
_REDUCTIONS = ("mean", "sum", "none")


def _reduce(loss: Tensor, reduction: str, name: str, inputs: Tensor) -> Tensor:
    out = loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss
    if np.isnan(out.data).any():
        hint = "the input holds NaN or inf" if not np.isfinite(inputs.data).all() else "a NaN arose"
        raise FloatingPointError(f"{name}: the loss is NaN ({hint}); training cannot continue from here")
    return out


def _check_reduction(reduction: str, name: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{name}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _same_shape(input: Tensor, target: Tensor, name: str) -> None:
    if input.shape != target.shape:
        raise ValueError(
            f"{name}: input and target must have the same shape, got input {input.shape} and target "
            f"{target.shape} (broadcasting them silently is a classic bug)"
        )


def mse_loss(input, target, reduction: str = "mean") -> Tensor:
    r"""Squared error :math:`(x - y)^2`, averaged (``"mean"``), summed or kept (``"none"``)."""
    _check_reduction(reduction, "mse_loss")
    input, target = _tensor(input), _tensor(target)
    _same_shape(input, target, "mse_loss")
    diff = input - target
    return _reduce(diff * diff, reduction, "mse_loss", input)


def binary_cross_entropy_with_logits(input, target, reduction: str = "mean") -> Tensor:
    r"""Binary cross-entropy of logits :math:`z` against targets :math:`y \in [0, 1]`.

    :math:`\ell = -y\log\sigma(z) - (1-y)\log(1-\sigma(z))`, computed as a two-class
    cross-entropy of the logits :math:`(0, z)`: :math:`\log\sigma(z)` and :math:`\log(1-\sigma(z))`
    are the two entries of ``log_softmax([0, z])``. Its value is
    :math:`\max(z, 0) - zy + \log(1 + e^{-|z|})` and its gradient :math:`\sigma(z) - y`, exact at
    every :math:`z` (including 0 and :math:`\pm 1000`).
    """
    name = "binary_cross_entropy_with_logits"
    _check_reduction(reduction, name)
    input, target = _tensor(input), _tensor(target)
    _same_shape(input, target, name)
    log_p = stack([Tensor(np.zeros(input.shape)), input], axis=0).log_softmax(axis=0)  # log(1-σ), log σ
    loss = -(target * log_p[1] + (1.0 - target) * log_p[0])
    return _reduce(loss, reduction, name, input)


def cross_entropy(input, target, reduction: str = "mean") -> Tensor:
    r"""Cross-entropy of logits ``input`` of shape ``(n, C)`` and class indices ``target`` in ``0..C-1``.

    :math:`\ell_i = -\log\mathrm{softmax}(z_i)_{y_i} = \log\sum_j e^{z_{ij}} - z_{i y_i}`, via
    ``log_softmax`` (stable); the gradient with respect to the logits is :math:`p_i - e_{y_i}`.
    """
    name = "cross_entropy"
    _check_reduction(reduction, name)
    input = _tensor(input)
    target = np.asarray(target.data if isinstance(target, Tensor) else target)
    if input.ndim != 2:
        raise ValueError(f"{name}: input must be logits of shape (n, n_classes), got shape {input.shape}")
    n, n_classes = input.shape
    if target.shape != (n,):
        raise ValueError(f"{name}: target must be class indices of shape ({n},), got shape {target.shape}")
    if target.dtype.kind not in "iub" and not (
        target.dtype.kind == "f" and np.isfinite(target).all() and (target == np.round(target)).all()
    ):
        raise ValueError(f"{name}: target must hold integer class indices, got dtype {target.dtype}")
    target = target.astype(np.int64)
    if n and (target.min() < 0 or target.max() >= n_classes):
        bad = target[(target < 0) | (target >= n_classes)][0]
        raise ValueError(f"{name}: target {bad} is out of range for {n_classes} classes 0..{n_classes - 1}")
    log_p = input.log_softmax(axis=1)
    return _reduce(-log_p[np.arange(n), target], reduction, name, input)


class _Loss(Module):
    _fn = None

    def __init__(self, reduction: str = "mean"):
        _check_reduction(reduction, type(self).__name__)
        self.reduction = reduction

    def forward(self, input, target) -> Tensor:
        return type(self)._fn(input, target, reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """Module form of :func:`mse_loss`."""

    _fn = staticmethod(mse_loss)


class BCEWithLogitsLoss(_Loss):
    """Module form of :func:`binary_cross_entropy_with_logits`."""

    _fn = staticmethod(binary_cross_entropy_with_logits)


class CrossEntropyLoss(_Loss):
    """Module form of :func:`cross_entropy` (logits and integer class targets)."""

    _fn = staticmethod(cross_entropy)
