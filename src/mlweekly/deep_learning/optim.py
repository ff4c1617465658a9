"""Optimisers for neural networks, with ``torch.optim``'s names, defaults and update rules.

A parameter is any object with ``.data`` (a floating-point ndarray, updated **in place**) and
``.grad`` (an ndarray of the same shape, or None: the parameter is skipped) — our ``Tensor``, or
anything shaped like it. ``params`` is an iterable of parameters or, as in torch, of dicts
``{"params": [...], "lr": ...}`` (parameter groups with their own hyper-parameters).

The update rules follow ``torch/optim/{sgd,rmsprop,adam}.py`` (single-tensor code path) line by
line, so that in float64 our iterates match torch's to rounding error. ``g`` is the gradient, ``θ``
the parameter, ``t`` the step count, ``λ`` the weight decay:

* SGD:      ``g += λθ``; ``b = g`` (first step) else ``b = μ b + (1 - τ) g``; ``g = g + μ b`` (Nesterov)
  or ``g = b``; ``θ -= η g``.
* RMSprop:  ``g += λθ``; ``v = α v + (1 - α) g²``; centred: ``ḡ = α ḡ + (1-α) g``, ``v̄ = v - ḡ²``;
  ``d = √v̄ + ε``; ``b = μ b + g / d``, ``θ -= η b`` (momentum) or ``θ -= η g / d``.
* Adam:     ``g += λθ`` (L2, coupled); ``m = β₁ m + (1-β₁) g``; ``v = β₂ v + (1-β₂) g²``;
  (AMSGrad: ``v_max = max(v_max, v)`` used for ``v``); ``θ -= η/(1-β₁ᵗ) · m / (√v / √(1-β₂ᵗ) + ε)``.
* AdamW:    as Adam but the decay is *decoupled* (Loshchilov & Hutter 2019): ``θ *= 1 - ηλ`` first,
  and the gradient is left alone.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW"]


def _check_number(name, value, low=0.0, high=None):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)
    if not ok or value < low or (high is not None and value >= high):
        interval = f"[{low:g}, {high:g})" if high is not None else f">= {low:g}"
        raise ValueError(f"Invalid {name} value: {value!r} (must be a finite number {interval})")


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``zero_grad`` and the ``lr`` shortcut.

    Subclasses set ``defaults`` in ``__init__`` and implement ``_update(p, grad, state, group)``.
    """

    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state = {}  # id(param) -> dict of buffers (params are not hashable in general)
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        n_dicts = sum(isinstance(g, dict) for g in groups)
        if 0 < n_dicts < len(groups):
            raise TypeError("params must be all parameters or all parameter-group dicts, not a mix")
        if n_dicts == 0:
            groups = [{"params": groups}]
        self.param_groups = []
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group):
        """Add a dict ``{"params": [...], **hyper-parameters}``; missing ones take the defaults."""
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError("a parameter group must be a dict with a 'params' entry")
        params = list(group["params"])
        for i, p in enumerate(params):
            data = getattr(p, "data", None)
            if not isinstance(data, np.ndarray) or data.dtype.kind != "f":
                dtype = f" of dtype {data.dtype}" if isinstance(data, np.ndarray) else ""
                raise TypeError(f"parameter {i} must have a floating-point ndarray .data, "
                                f"got {type(data).__name__}{dtype}")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        full = {**self.defaults, **group, "params": params}
        self._validate(full)
        self.param_groups.append(full)

    def _validate(self, group):
        _check_number("learning rate", group["lr"])

    @property
    def lr(self):
        """Learning rate of the first parameter group (what the schedulers change)."""
        return self.param_groups[0]["lr"]

    @lr.setter
    def lr(self, value):
        _check_number("learning rate", value)
        for group in self.param_groups:
            group["lr"] = value

    def zero_grad(self):
        """Set every parameter's ``.grad`` to None (torch's default ``set_to_none=True``)."""
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None

    def step(self):
        """Update every parameter that has a gradient, in place."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = np.asarray(p.grad)
                if grad.shape != p.data.shape:
                    raise ValueError(f"{type(self).__name__}.step: grad of shape {grad.shape} "
                                     f"does not match parameter of shape {p.data.shape}")
                grad = grad.astype(p.data.dtype, copy=False)
                self._update(p.data, grad, self.state.setdefault(id(p), {}), group)

    def _update(self, theta, grad, state, group):
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay.

    Parameters
    ----------
    params : iterable
        Parameters (objects with ``.data``/``.grad`` ndarrays) or parameter-group dicts.
    lr : float, default=1e-3
        Learning rate ``η``.
    momentum : float, default=0
        Momentum factor ``μ``.
    dampening : float, default=0
        Dampening ``τ`` of the momentum buffer's gradient term.
    weight_decay : float, default=0
        L2 penalty ``λ`` added to the gradient as ``λθ``.
    nesterov : bool, default=False
        Nesterov momentum (needs ``momentum > 0`` and ``dampening = 0``).

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> w = SimpleNamespace(data=np.array([1.0, 2.0]), grad=np.array([0.5, -0.5]))
    >>> SGD([w], lr=0.1).step()
    >>> w.data
    array([0.95, 2.05])
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov)
        super().__init__(params, defaults)

    def _validate(self, group):
        super()._validate(group)
        _check_number("momentum", group["momentum"])
        _check_number("dampening", group["dampening"], low=-np.inf)
        _check_number("weight_decay", group["weight_decay"])
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")

    def _update(self, theta, grad, state, group):
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * theta
        mu = group["momentum"]
        if mu != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = grad.copy()
            else:
                buf *= mu
                buf += (1 - group["dampening"]) * grad
            grad = grad + mu * buf if group["nesterov"] else buf
        theta -= group["lr"] * grad


class RMSprop(Optimizer):
    """RMSprop (Hinton, 2012): divide the gradient by a running RMS of its recent magnitudes.

    Parameters
    ----------
    params : iterable
        Parameters or parameter-group dicts.
    lr : float, default=0.01
        Learning rate ``η``.
    alpha : float, default=0.99
        Smoothing constant of the squared-gradient average.
    eps : float, default=1e-8
        Added to the RMS (after the square root) for stability.
    weight_decay : float, default=0
        L2 penalty ``λ`` added to the gradient.
    momentum : float, default=0
        Momentum factor applied to the normalised step.
    centered : bool, default=False
        Normalise by an estimate of the gradient's *variance* (``E[g²] - E[g]²``) instead of ``E[g²]``.

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> w = SimpleNamespace(data=np.array([1.0]), grad=np.array([3.0]))
    >>> RMSprop([w], lr=0.01).step()   # first step moves by lr / sqrt(1 - alpha) = 0.1
    >>> w.data.round(6)
    array([0.9])
    """

    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False):
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                        centered=centered)
        super().__init__(params, defaults)

    def _validate(self, group):
        super()._validate(group)
        for name in ("alpha", "eps", "weight_decay", "momentum"):
            _check_number(name, group[name])

    def _update(self, theta, grad, state, group):
        alpha, mu = group["alpha"], group["momentum"]
        if not state:
            state["square_avg"] = np.zeros_like(theta)
            if mu > 0:
                state["momentum_buffer"] = np.zeros_like(theta)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(theta)
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * theta
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg += (1 - alpha) * (grad - grad_avg)  # torch's lerp
            avg = np.sqrt(square_avg - grad_avg * grad_avg)
        else:
            avg = np.sqrt(square_avg)
        avg += group["eps"]
        if mu > 0:
            buf = state["momentum_buffer"]
            buf *= mu
            buf += grad / avg
            theta -= group["lr"] * buf
        else:
            theta -= group["lr"] * (grad / avg)


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias correction, optional AMSGrad and coupled L2 weight decay.

    Parameters
    ----------
    params : iterable
        Parameters or parameter-group dicts.
    lr : float, default=1e-3
        Learning rate ``η``.
    betas : tuple of float, default=(0.9, 0.999)
        Decay rates ``(β₁, β₂)`` of the first and second moment estimates, each in ``[0, 1)``.
    eps : float, default=1e-8
        Added to ``√v̂`` for stability.
    weight_decay : float, default=0
        L2 penalty ``λ`` added to the gradient (so it is rescaled by ``1/√v̂`` like the loss
        gradient — what AdamW fixes).
    amsgrad : bool, default=False
        Normalise by the running maximum of ``v`` (Reddi et al., 2018).

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> w = SimpleNamespace(data=np.array([1.0, 1.0]), grad=np.array([1e-3, 1e3]))
    >>> Adam([w], lr=0.1).step()   # the first step moves every coordinate by about lr
    >>> w.data.round(4)
    array([0.9, 0.9])
    """

    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False):
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
        super().__init__(params, defaults)

    def _validate(self, group):
        super()._validate(group)
        _check_number("epsilon", group["eps"])
        _check_number("weight_decay", group["weight_decay"])
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        _check_number("beta1", betas[0], high=1.0)
        _check_number("beta2", betas[1], high=1.0)

    def _update(self, theta, grad, state, group):
        beta1, beta2 = group["betas"]
        lr, wd = group["lr"], group["weight_decay"]
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(theta), exp_avg_sq=np.zeros_like(theta))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(theta)
        state["step"] += 1
        t = state["step"]
        if wd != 0:
            if self._decoupled:
                theta *= 1 - lr * wd
            else:
                grad = grad + wd * theta
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m += (1 - beta1) * (grad - m)  # torch's lerp, = β₁ m + (1-β₁) g
        v *= beta2
        v += (1 - beta2) * grad * grad
        if group["amsgrad"]:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        step_size = lr / (1 - beta1**t)
        denom = np.sqrt(v) / (1 - beta2**t) ** 0.5 + group["eps"]
        theta -= step_size * (m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019): ``θ ← (1 - ηλ) θ`` before the Adam step.

    Parameters
    ----------
    params : iterable
        Parameters or parameter-group dicts.
    lr : float, default=1e-3
        Learning rate ``η``.
    betas : tuple of float, default=(0.9, 0.999)
        Decay rates of the moment estimates.
    eps : float, default=1e-8
        Added to ``√v̂`` for stability.
    weight_decay : float, default=1e-2
        Decoupled decay ``λ``: every step shrinks ``θ`` by the factor ``1 - ηλ``, whatever the
        gradient's scale.
    amsgrad : bool, default=False
        Normalise by the running maximum of ``v``.

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> w = SimpleNamespace(data=np.array([2.0]), grad=np.array([0.0]))
    >>> AdamW([w], lr=0.1, weight_decay=0.5).step()   # zero gradient: only the decay acts
    >>> w.data
    array([1.9])
    """

    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
