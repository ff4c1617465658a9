r"""Weight initialisation, with ``torch.nn.init``'s names, formulas and in-place semantics.

Every scheme picks a *scale* from the layer's fan-in/fan-out and draws from a fixed shape:

=================== ================================ ==========================================
function            distribution                     scale
=================== ================================ ==========================================
``xavier_uniform_`` :math:`U(-b, b)`                 :math:`b = g\sqrt{6/(n_{in}+n_{out})}`
``xavier_normal_``  :math:`N(0, s^2)`                :math:`s = g\sqrt{2/(n_{in}+n_{out})}`
``kaiming_uniform_`` :math:`U(-b, b)`                :math:`b = g\sqrt{3/n_{mode}}`
``kaiming_normal_`` :math:`N(0, s^2)`                :math:`s = g/\sqrt{n_{mode}}`
=================== ================================ ==========================================

with the gain :math:`g` of :func:`calculate_gain`. Draws come from a NumPy ``Generator`` (``rng``):
uniforms as ``a + (b - a) * rng.random(shape)`` and normals as ``mean + std *
rng.standard_normal(shape)``, the same arithmetic torch applies to its own draws, so the same
unit draws give the same weights.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "calculate_gain", "check_rng", "constant_", "fan_in_and_fan_out", "kaiming_normal_",
    "kaiming_uniform_", "normal_", "ones_", "uniform_", "xavier_normal_", "xavier_uniform_", "zeros_",
]  # fmt: skip

_LINEAR = ("linear", "identity", "conv1d", "conv2d", "conv3d", "sigmoid")


def check_rng(rng=None):
    """Turn ``None`` or an int seed into a ``numpy.random.Generator``; pass a Generator through.

    Any object with ``random(size)`` and ``standard_normal(size)`` methods is accepted as is (a
    Generator, a RandomState, or a test double that replays another library's draws).
    """
    if rng is None or isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    if not (hasattr(rng, "random") and hasattr(rng, "standard_normal")):
        raise TypeError(f"rng must be None, an int seed or a numpy Generator, got {type(rng).__name__}")
    return rng


def _array(tensor) -> np.ndarray:
    # Works on our Tensor (its .data, updated in place) and on a plain float ndarray.
    arr = tensor.data if hasattr(tensor, "requires_grad") else tensor
    if not isinstance(arr, np.ndarray) or arr.dtype.kind != "f":
        raise TypeError(f"init expects a Tensor or a float ndarray, got {type(tensor).__name__}")
    return arr


def fan_in_and_fan_out(tensor) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of shape ``(out, in, *kernel)``, as torch computes them."""
    shape = _array(tensor).shape
    if len(shape) < 2:
        raise ValueError(f"fan in and fan out need a weight with at least 2 dimensions, got shape {shape}")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain that keeps activation variance constant through ``nonlinearity`` (torch's table).

    Examples
    --------
    >>> calculate_gain("relu") == 2 ** 0.5
    True
    """
    if nonlinearity in _LINEAR:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"unsupported nonlinearity {nonlinearity!r}")


def uniform_(tensor, a: float = 0.0, b: float = 1.0, rng=None):
    """Fill ``tensor`` in place with draws from :math:`U(a, b)`; return it."""
    arr = _array(tensor)
    arr[...] = a + (b - a) * check_rng(rng).random(arr.shape)
    return tensor


def normal_(tensor, mean: float = 0.0, std: float = 1.0, rng=None):
    r"""Fill ``tensor`` in place with draws from :math:`N(\mathrm{mean}, \mathrm{std}^2)`; return it."""
    arr = _array(tensor)
    arr[...] = mean + std * check_rng(rng).standard_normal(arr.shape)
    return tensor


def constant_(tensor, value: float):
    """Fill ``tensor`` in place with ``value``; return it."""
    _array(tensor)[...] = value
    return tensor


def zeros_(tensor):
    """Fill ``tensor`` in place with zeros; return it."""
    return constant_(tensor, 0.0)


def ones_(tensor):
    """Fill ``tensor`` in place with ones; return it."""
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor, gain: float = 1.0, rng=None):
    r"""Glorot & Bengio (2010): :math:`U(-b, b)`, :math:`b = g\sqrt{6/(n_{in} + n_{out})}`."""
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, rng)


def xavier_normal_(tensor, gain: float = 1.0, rng=None):
    r"""Glorot & Bengio (2010): :math:`N(0, s^2)`, :math:`s = g\sqrt{2/(n_{in} + n_{out})}`."""
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng)


def _fan(tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def kaiming_uniform_(
    tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", rng=None
):
    r"""He et al. (2015): :math:`U(-b, b)`, :math:`b = g\sqrt{3/n_{mode}}`.

    ``a`` is the negative slope of the leaky ReLU that follows (``a=0``: ReLU, gain
    :math:`\sqrt2`). torch's ``Linear`` uses ``a=sqrt(5)``: gain :math:`\sqrt{1/3}`, hence
    :math:`b = 1/\sqrt{n_{in}}`.
    """
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, rng)


def kaiming_normal_(tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", rng=None):
    r"""He et al. (2015): :math:`N(0, s^2)`, :math:`s = g/\sqrt{n_{mode}}` (``a=0``: :math:`\sqrt{2/n}`)."""
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, rng)
