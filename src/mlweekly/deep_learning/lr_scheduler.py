"""Learning-rate schedules with ``torch.optim.lr_scheduler``'s names and exact arithmetic.

Call ``scheduler.step()`` once per epoch, *after* ``optimizer.step()``. Each schedule updates the
learning rate of every parameter group *recursively* from its current value, as torch does, so the
floating-point sequence is the same as torch's (the closed forms are given in the docstrings).
"""

from __future__ import annotations

import math
import numbers

from mlweekly.deep_learning.optim import Optimizer

__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR"]


def _check(name, value, *, integer=False, low=0.0, low_open=True):
    kind = numbers.Integral if integer else numbers.Real
    ok = isinstance(value, kind) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or (value <= low if low_open else value < low):
        what = "integer" if integer else "number"
        raise ValueError(f"{name} must be a {what} {'>' if low_open else '>='} {low:g}, got {value!r}")


class LRScheduler:
    """Base class: remembers the initial learning rates and applies ``_next_lrs`` on each ``step()``."""

    def __init__(self, optimizer):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def get_last_lr(self):
        """The learning rate of each parameter group, as set by the last ``step()``."""
        return list(self._last_lr)

    def step(self):
        """Advance one epoch and set the new learning rates."""
        self.last_epoch += 1
        groups = self.optimizer.param_groups
        for group, lr in zip(groups, self._next_lrs(), strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in groups]

    def _next_lrs(self):
        raise NotImplementedError


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs: ``η_t = η₀ γ^⌊t / step_size⌋``.

    Parameters
    ----------
    optimizer : Optimizer
        The optimiser whose learning rate is scheduled.
    step_size : int
        Period of the decay, in epochs.
    gamma : float, default=0.1
        Multiplicative factor.

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> from mlweekly.deep_learning.optim import SGD
    >>> opt = SGD([SimpleNamespace(data=np.zeros(1), grad=None)], lr=1.0)
    >>> sched = StepLR(opt, step_size=2, gamma=0.5)
    >>> lrs = []
    >>> for _ in range(5):
    ...     sched.step()
    ...     lrs.append(sched.get_last_lr()[0])
    >>> lrs
    [1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        _check("step_size", step_size, integer=True)
        _check("gamma", gamma, low_open=False)
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer)

    def _next_lrs(self):
        groups = self.optimizer.param_groups
        if self.last_epoch % self.step_size != 0:
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch: ``η_t = η₀ γ^t``.

    Parameters
    ----------
    optimizer : Optimizer
        The optimiser whose learning rate is scheduled.
    gamma : float
        Multiplicative factor per epoch.

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> from mlweekly.deep_learning.optim import Adam
    >>> opt = Adam([SimpleNamespace(data=np.zeros(1), grad=None)], lr=0.1)
    >>> sched = ExponentialLR(opt, gamma=0.5)
    >>> sched.step(); sched.step()
    >>> opt.lr
    0.025
    """

    def __init__(self, optimizer, gamma):
        _check("gamma", gamma, low_open=False)
        self.gamma = gamma
        super().__init__(optimizer)

    def _next_lrs(self):
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing (Loshchilov & Hutter, 2017, without restarts).

    ``η_t = η_min + (η₀ - η_min)(1 + cos(π t / T_max)) / 2``: from ``η₀`` down to ``η_min`` in
    ``T_max`` epochs, then back up (a cosine of period ``2 T_max``) if stepped further. Computed
    recursively from the current rate, like torch, so the numbers agree with torch's to the last bit.

    Parameters
    ----------
    optimizer : Optimizer
        The optimiser whose learning rate is scheduled.
    T_max : int
        Half-period, in epochs.
    eta_min : float, default=0
        Smallest learning rate.

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> from mlweekly.deep_learning.optim import SGD
    >>> opt = SGD([SimpleNamespace(data=np.zeros(1), grad=None)], lr=1.0)
    >>> sched = CosineAnnealingLR(opt, T_max=2)
    >>> sched.step(); round(opt.lr, 12)
    0.5
    >>> sched.step(); opt.lr
    0.0
    """

    def __init__(self, optimizer, T_max, eta_min=0.0):  # noqa: N803 (torch's name)
        _check("T_max", T_max, integer=True)
        _check("eta_min", eta_min, low_open=False)
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer)

    def _next_lrs(self):
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        groups = self.optimizer.param_groups
        if (t - 1 - T) % (2 * T) == 0:  # leaving the minimum: the ratio below would be 0/0
            return [
                group["lr"] + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2
                for base, group in zip(self.base_lrs, groups, strict=True)
            ]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [ratio * (group["lr"] - eta_min) + eta_min for group in groups]
