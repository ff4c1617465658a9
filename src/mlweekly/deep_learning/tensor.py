"""A reverse-mode automatic differentiation engine over NumPy arrays.

Micrograd's idea — every operation records its inputs and a few lines saying how a gradient flows
back through it — over float64 ``np.ndarray`` values with NumPy broadcasting, so the same engine
trains real networks. The semantics follow ``torch.autograd``:

- ``backward`` walks the graph once in reverse **topological order** (an iterative depth-first
  sort, so graphs deeper than Python's recursion limit work), so a node used on several paths
  receives the **sum** of the gradients of every path before it passes its own gradient on;
- gradients land in ``.grad`` of the **leaves** that require grad (tensors created by the user, not
  by an operation) and **accumulate** across ``backward`` calls until ``zero_grad()``;
- an operand that was broadcast gets its gradient summed back to its own shape;
- ``max`` follows ``torch.amax``: on ties the gradient is split evenly between the maxima;
- inside ``with no_grad():`` operations build no graph.

Unlike torch the graph is kept after ``backward`` (as with ``retain_graph=True``), so calling
``backward`` twice on the same output accumulates twice.

Examples
--------
>>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad
array([2., 4., 6.])
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
from scipy import special

__all__ = ["Tensor", "no_grad", "is_grad_enabled", "concatenate", "stack"]

_GRAD_ENABLED = True


@contextlib.contextmanager
def no_grad() -> Iterator[None]:
    """Context manager (and decorator) inside which operations record no graph.

    Examples
    --------
    >>> w = Tensor([1.0], requires_grad=True)
    >>> with no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """
    global _GRAD_ENABLED
    previous, _GRAD_ENABLED = _GRAD_ENABLED, False
    try:
        yield
    finally:
        _GRAD_ENABLED = previous


def is_grad_enabled() -> bool:
    """Whether operations currently record a graph (False inside :func:`no_grad`)."""
    return _GRAD_ENABLED


def _as_float64(data: Any) -> np.ndarray:
    if isinstance(data, Tensor):
        return data.data
    arr = np.asarray(data)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"Tensor data must be real numbers (bool, int or float), got dtype {arr.dtype}")
    return arr if arr.dtype == np.float64 else arr.astype(np.float64)


def _lift(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _broadcast_shape(op: str, a: Tensor, b: Tensor) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"{op}: shapes {a.shape} and {b.shape} cannot be broadcast together") from None


def _unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a gradient of the broadcast shape back to an operand's ``shape``."""
    g = np.asarray(g, dtype=np.float64)
    if g.shape == shape:
        return g
    g = g.sum(axis=tuple(range(g.ndim - len(shape))))  # leading axes broadcasting added
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i] != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


def _normalize_axes(op: str, axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -max(ndim, 1) <= a < max(ndim, 1):  # a 0-d tensor accepts axis 0 or -1, like torch
            raise ValueError(f"{op}: axis {a} is out of range for a tensor with {ndim} dimensions")
        if ndim:
            out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(out)


class Tensor:
    """An n-dimensional float64 array that records the operations applied to it.

    Parameters
    ----------
    data : array-like or Tensor
        The values; bools and ints are cast to float64, a float64 ndarray is used without a copy.
        From a Tensor, its values are shared and the new tensor is a fresh leaf (no graph).
    requires_grad : bool, default=False
        Whether ``backward`` should compute the gradient with respect to this tensor.

    Attributes
    ----------
    data : np.ndarray
        The float64 values.
    grad : np.ndarray or None
        The accumulated gradient (a leaf requiring grad only), of ``data``'s shape.
    requires_grad : bool
        Whether gradients flow to (or through) this tensor.

    Examples
    --------
    >>> a = Tensor([[1.0, 2.0]], requires_grad=True)
    >>> b = Tensor([[3.0], [4.0]])
    >>> (a @ b).item()
    11.0
    """

    # NumPy defers to our reflected operators (ndarray + Tensor -> Tensor.__radd__).
    __array_ufunc__ = None

    def __init__(self, data: Any, requires_grad: bool = False):
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(f"requires_grad must be a bool, got {type(requires_grad).__name__}")
        self.data = _as_float64(data)
        self.requires_grad = bool(requires_grad)
        self.grad: np.ndarray | None = None
        self._parents: tuple[Tensor, ...] = ()
        self._backward: Callable[[np.ndarray], tuple[Any, ...]] | None = None
        self._op = ""
        self._retains_grad = False

    # ----------------------------------------------------------------- graph bookkeeping
    @staticmethod
    def _result(data: np.ndarray, parents: tuple[Tensor, ...], backward: Callable, op: str) -> Tensor:
        """The output of an operation; it joins the graph only if a parent needs a gradient."""
        out = Tensor(data)
        if _GRAD_ENABLED and any(p.requires_grad for p in parents):
            out.requires_grad = True
            out._parents, out._backward, out._op = parents, backward, op
        return out

    @property
    def is_leaf(self) -> bool:
        """True for tensors not produced by a recorded operation (their ``.grad`` is kept)."""
        return not self._parents

    def _topological_order(self) -> list[Tensor]:
        """Every node that needs a gradient, each after all of its parents (iterative DFS)."""
        order: list[Tensor] = []
        visited: set[int] = set()
        stack: list[tuple[Tensor, bool]] = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in visited:
                continue
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node._parents if p.requires_grad and id(p) not in visited)
        return order

    def backward(self, grad: Any = None) -> None:
        """Accumulate d(self)/d(leaf) into ``.grad`` of every leaf that requires grad.

        Parameters
        ----------
        grad : array-like, optional
            The gradient of some final scalar with respect to this tensor (same shape). May be
            omitted only when this tensor holds a single value (it is then 1).
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward: this tensor does not require grad and has no graph; create the inputs "
                "with requires_grad=True (and not inside no_grad())"
            )
        if grad is None:
            if self.size != 1:
                raise RuntimeError(
                    f"backward: grad can be implicitly created only for scalar outputs; this tensor "
                    f"has shape {self.shape}: pass grad= of that shape or reduce it first (e.g. .sum())"
                )
            g = np.ones(self.shape)
        else:
            g = _as_float64(grad)
            if g.shape != self.shape:
                raise ValueError(f"backward: grad has shape {g.shape} but the tensor has shape {self.shape}")
        grads: dict[int, np.ndarray] = {id(self): g}
        for node in reversed(self._topological_order()):
            g = grads.pop(id(node), None)
            if g is None:
                continue
            if node.is_leaf or node._retains_grad:
                if node.grad is None:
                    node.grad = np.array(g, dtype=np.float64)  # own copy: never alias another grad
                else:
                    node.grad += g
            if node.is_leaf:
                continue
            for parent, pg in zip(node._parents, node._backward(g), strict=True):
                if pg is None or not parent.requires_grad:
                    continue
                pg = _unbroadcast(pg, parent.shape)
                key = id(parent)
                grads[key] = pg if key not in grads else grads[key] + pg

    def retain_grad(self) -> None:
        """Keep ``.grad`` of this non-leaf tensor too (as torch's ``retain_grad``), e.g. to inspect it."""
        self._retains_grad = True

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``.grad = None``)."""
        self.grad = None

    # ----------------------------------------------------------------- array-like behaviour
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def T(self) -> Tensor:
        return self.transpose()

    def item(self) -> float:
        """The single value as a Python float."""
        if self.size != 1:
            raise ValueError(
                f"item: only a tensor with one element converts to a float, got shape {self.shape}"
            )
        return float(self.data.reshape(()))

    def numpy(self) -> np.ndarray:
        """The values (the same array, not a copy)."""
        return self.data

    def detach(self) -> Tensor:
        """A new leaf sharing the values, cut from the graph."""
        return Tensor(self.data)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.data if dtype is None else self.data.astype(dtype)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({np.array2string(self.data, precision=4, separator=', ')}{grad})"

    # ----------------------------------------------------------------- arithmetic
    def __add__(self, other: Any) -> Tensor:
        other = _lift(other)
        _broadcast_shape("add", self, other)
        return Tensor._result(self.data + other.data, (self, other), lambda g: (g, g), "add")

    def __sub__(self, other: Any) -> Tensor:
        other = _lift(other)
        _broadcast_shape("sub", self, other)
        return Tensor._result(self.data - other.data, (self, other), lambda g: (g, -g), "sub")

    def __mul__(self, other: Any) -> Tensor:
        other = _lift(other)
        _broadcast_shape("mul", self, other)
        a, b = self.data, other.data
        return Tensor._result(a * b, (self, other), lambda g: (g * b, g * a), "mul")

    def __truediv__(self, other: Any) -> Tensor:
        other = _lift(other)
        _broadcast_shape("div", self, other)
        a, b = self.data, other.data
        return Tensor._result(a / b, (self, other), lambda g: (g / b, -g * a / (b * b)), "div")

    def __pow__(self, other: Any) -> Tensor:
        other = _lift(other)
        _broadcast_shape("pow", self, other)
        a, b = self.data, other.data
        out = a**b

        def backward(g):
            # d(a^b)/da = b a^(b-1), 0 where b = 0; d(a^b)/db = a^b log a, 0 where a = 0 and b >= 0
            # (torch's conventions, which keep 0^0 from producing NaN gradients)
            with np.errstate(divide="ignore", invalid="ignore"):
                ga = g * np.where(b == 0, 0.0, b * a ** (b - 1)) if self.requires_grad else None
                gb = g * np.where((a == 0) & (b >= 0), 0.0, out * np.log(a)) if other.requires_grad else None
            return ga, gb

        return Tensor._result(out, (self, other), backward, "pow")

    def __matmul__(self, other: Any) -> Tensor:
        other = _lift(other)
        a, b = self.data, other.data
        if a.ndim == 0 or b.ndim == 0 or a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
            raise ValueError(f"matmul: shapes {a.shape} and {b.shape} are not aligned for a @ b")
        try:
            out = a @ b
        except ValueError:
            raise ValueError(f"matmul: batch shapes of {a.shape} and {b.shape} cannot be broadcast") from None

        def backward(g):
            # C = A B  =>  dA = G B^T, dB = A^T G; a 1-D operand is a row (A) or column (B) vector.
            a2 = a[None, :] if a.ndim == 1 else a
            b2 = b[:, None] if b.ndim == 1 else b
            g2 = g.reshape(np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]) + (a2.shape[-2], b2.shape[-1]))
            ga = _unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
            gb = _unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)
            return ga, gb

        return Tensor._result(out, (self, other), backward, "matmul")

    def __neg__(self) -> Tensor:
        return Tensor._result(-self.data, (self,), lambda g: (-g,), "neg")

    def __radd__(self, other: Any) -> Tensor:
        return _lift(other) + self

    def __rsub__(self, other: Any) -> Tensor:
        return _lift(other) - self

    def __rmul__(self, other: Any) -> Tensor:
        return _lift(other) * self

    def __rtruediv__(self, other: Any) -> Tensor:
        return _lift(other) / self

    def __rpow__(self, other: Any) -> Tensor:
        return _lift(other) ** self

    def __rmatmul__(self, other: Any) -> Tensor:
        return _lift(other) @ self

    # ----------------------------------------------------------------- elementwise functions
    def exp(self) -> Tensor:
        out = np.exp(self.data)
        return Tensor._result(out, (self,), lambda g: (g * out,), "exp")

    def log(self) -> Tensor:
        x = self.data
        return Tensor._result(np.log(x), (self,), lambda g: (g / x,), "log")

    def tanh(self) -> Tensor:
        t = np.tanh(self.data)
        return Tensor._result(t, (self,), lambda g: (g * (1 - t * t),), "tanh")

    def sigmoid(self) -> Tensor:
        s = special.expit(self.data)  # stable for large |x|: no overflow of exp(-x)
        return Tensor._result(s, (self,), lambda g: (g * s * (1 - s),), "sigmoid")

    def relu(self) -> Tensor:
        x = self.data
        return Tensor._result(np.maximum(x, 0.0), (self,), lambda g: (g * (x > 0),), "relu")

    def gelu(self, approximate: str = "none") -> Tensor:
        """GELU ``x Φ(x)``; ``approximate="tanh"`` uses torch's tanh formula."""
        x = self.data
        if approximate == "none":
            cdf = special.ndtr(x)  # Φ(x) = (1 + erf(x/√2)) / 2
            pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
            return Tensor._result(x * cdf, (self,), lambda g: (g * (cdf + x * pdf),), "gelu")
        if approximate == "tanh":
            k = math.sqrt(2 / math.pi)
            t = np.tanh(k * (x + 0.044715 * x**3))
            dt = (1 - t * t) * k * (1 + 3 * 0.044715 * x * x)
            return Tensor._result(
                0.5 * x * (1 + t), (self,), lambda g: (g * (0.5 * (1 + t) + 0.5 * x * dt),), "gelu"
            )
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")

    def softmax(self, axis: int = -1) -> Tensor:
        ax = _normalize_axes("softmax", axis, self.ndim)  # () for a 0-d tensor
        z = self.data - self.data.max(axis=ax, keepdims=True)  # shift by the max: exp never overflows
        e = np.exp(z)
        s = e / e.sum(axis=ax, keepdims=True)
        # Jacobian diag(s) - s s^T applied to g
        return Tensor._result(
            s, (self,), lambda g: (s * (g - (g * s).sum(axis=ax, keepdims=True)),), "softmax"
        )

    def log_softmax(self, axis: int = -1) -> Tensor:
        ax = _normalize_axes("log_softmax", axis, self.ndim)
        z = self.data - self.data.max(axis=ax, keepdims=True)
        out = z - np.log(np.exp(z).sum(axis=ax, keepdims=True))
        s = np.exp(out)
        return Tensor._result(out, (self,), lambda g: (g - s * g.sum(axis=ax, keepdims=True),), "log_softmax")

    # ----------------------------------------------------------------- reductions
    def _expand(self, g: np.ndarray, axes: tuple[int, ...], keepdims: bool) -> np.ndarray:
        """Broadcast a reduced gradient back over the reduced axes."""
        return np.broadcast_to(g if keepdims else np.expand_dims(g, axes), self.shape)

    def sum(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        axes = _normalize_axes("sum", axis, self.ndim)
        out = self.data.sum(axis=axes, keepdims=keepdims)
        return Tensor._result(out, (self,), lambda g: (self._expand(g, axes, keepdims),), "sum")

    def mean(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        axes = _normalize_axes("mean", axis, self.ndim)
        n = math.prod(self.shape[a] for a in axes)
        out = self.data.mean(axis=axes, keepdims=keepdims)
        return Tensor._result(out, (self,), lambda g: (self._expand(g, axes, keepdims) / n,), "mean")

    def max(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """Maximum over ``axis`` (torch.amax semantics: ties share the gradient equally)."""
        axes = _normalize_axes("max", axis, self.ndim)
        if self.size == 0:
            raise ValueError(f"max: cannot reduce an empty tensor of shape {self.shape}")
        m = self.data.max(axis=axes, keepdims=True)
        mask = self.data == m
        share = mask / mask.sum(axis=axes, keepdims=True)
        out = m if keepdims else m.squeeze(axis=axes)
        return Tensor._result(out, (self,), lambda g: (self._expand(g, axes, keepdims) * share,), "max")

    # ----------------------------------------------------------------- shape
    def reshape(self, *shape: Any) -> Tensor:
        shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        try:
            out = self.data.reshape(shape)
        except ValueError:
            raise ValueError(f"reshape: cannot reshape a tensor of shape {self.shape} into {shape}") from None
        old = self.shape
        return Tensor._result(out, (self,), lambda g: (g.reshape(old),), "reshape")

    def transpose(self, *axes: Any) -> Tensor:
        axes = tuple(axes[0]) if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        axes = axes or tuple(range(self.ndim))[::-1]
        if sorted(a % max(self.ndim, 1) for a in axes) != list(range(self.ndim)):
            raise ValueError(
                f"transpose: axes {axes} are not a permutation of a tensor of shape {self.shape}"
            )
        inverse = np.argsort([a % self.ndim for a in axes])
        return Tensor._result(
            self.data.transpose(axes), (self,), lambda g: (g.transpose(inverse),), "transpose"
        )

    def __getitem__(self, index: Any) -> Tensor:
        index = _plain_index(index)
        try:
            out = self.data[index]
        except IndexError as exc:
            raise IndexError(f"getitem: {exc} (tensor of shape {self.shape})") from None

        def backward(g):
            full = np.zeros(self.shape)
            np.add.at(full, index, g)  # repeated integer indices add up, as they should
            return (full,)

        return Tensor._result(np.array(out, dtype=np.float64), (self,), backward, "getitem")


def _plain_index(index: Any) -> Any:
    """Turn Tensors inside an index into integer (or bool) arrays."""
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, Tensor):
        data = index.data
        if not np.all(data == np.round(data)):
            raise IndexError("getitem: a Tensor used as an index must hold integers")
        return data.astype(np.intp)
    return index


def _join(
    op: str, join: Callable, tensors: Iterable[Any], axis: int
) -> tuple[tuple[Tensor, ...], np.ndarray, int]:
    """Apply ``np.concatenate``/``np.stack`` with an error naming every shape; return parts, values, axis."""
    parts = tuple(_lift(t) for t in tensors)
    if not parts:
        raise ValueError(f"{op}: need at least one tensor")
    try:
        out = join([p.data for p in parts], axis=axis)
    except (ValueError, np.exceptions.AxisError):
        shapes = ", ".join(str(p.shape) for p in parts)
        raise ValueError(f"{op}: shapes {shapes} cannot be joined along axis {axis}") from None
    return parts, out, axis % out.ndim


def concatenate(tensors: Iterable[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis; the gradient is split back into the pieces.

    Examples
    --------
    >>> concatenate([Tensor([1.0]), Tensor([2.0, 3.0])]).numpy()
    array([1., 2., 3.])
    """
    parts, out, ax = _join("concatenate", np.concatenate, tensors, axis)
    cuts = np.cumsum([p.shape[ax] for p in parts])[:-1]
    return Tensor._result(out, parts, lambda g: tuple(np.split(g, cuts, axis=ax)), "concatenate")


def stack(tensors: Iterable[Any], axis: int = 0) -> Tensor:
    """Join same-shaped tensors along a new axis; each gets its slice of the gradient back.

    Examples
    --------
    >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])]).shape
    (2, 2)
    """
    parts, out, ax = _join("stack", np.stack, tensors, axis)
    return Tensor._result(out, parts, lambda g: tuple(np.moveaxis(g, ax, 0)), "stack")
