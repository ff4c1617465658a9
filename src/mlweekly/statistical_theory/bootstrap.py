r"""The nonparametric bootstrap: percentile, basic and BCa confidence intervals.

Resample the data with replacement :math:`B` times, recompute the statistic on each resample
(:math:`\hat\theta^*_1, \dots, \hat\theta^*_B`) and read the interval off their distribution:

* **percentile**: the :math:`\alpha/2` and :math:`1-\alpha/2` quantiles of :math:`\hat\theta^*`;
* **basic**: the percentile interval reflected about :math:`\hat\theta`,
  :math:`[2\hat\theta - q_{1-\alpha/2},\ 2\hat\theta - q_{\alpha/2}]`;
* **BCa** (Efron 1987): quantiles at adjusted levels
  :math:`\alpha_{1,2} = \Phi\big(\hat z_0 + \frac{\hat z_0 + z}{1 - \hat a(\hat z_0 + z)}\big)`,
  :math:`z = z_{\alpha/2}, z_{1-\alpha/2}`,
  with bias correction :math:`\hat z_0 = \Phi^{-1}(\#\{\hat\theta^* < \hat\theta\}/B)` (ties count
  half) and acceleration :math:`\hat a = \sum_i U_i^3 / (6(\sum_i U_i^2)^{3/2})` from the jackknife,
  :math:`U_i = \bar\theta_{(\cdot)} - \hat\theta_{(i)}`.

Resampling draws ``rng.integers(0, n, (n_resamples, n))`` per sample (per ``batch``), the same calls
in the same order as ``scipy.stats.bootstrap``, so the same seed gives the same resamples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from mlweekly.statistical_theory.hypothesis_tests import _sample
from mlweekly.statistical_theory.intervals import ConfidenceInterval

__all__ = ["BootstrapResult", "bootstrap", "jackknife_acceleration"]

_METHODS = ("percentile", "basic", "bca")


@dataclass(frozen=True)
class BootstrapResult:
    """Bootstrap interval, the bootstrap distribution and its standard deviation (the bootstrap SE)."""

    confidence_interval: ConfidenceInterval
    bootstrap_distribution: np.ndarray
    standard_error: float


def _jackknife(samples: list[np.ndarray], statistic, j: int, batch: int) -> np.ndarray:
    """Leave-one-out values of the statistic, dropping each observation of sample ``j`` in turn."""
    x = samples[j]
    n = x.size
    out = []
    for start in range(0, n, batch):
        rows = np.arange(start, min(start + batch, n))
        keep = np.arange(n)[None, :] != rows[:, None]  # row r omits observation rows[r]
        loo = np.broadcast_to(x, keep.shape)[keep].reshape(rows.size, n - 1)
        others = [s[None, :] for s in samples]
        others[j] = loo
        out.append(np.broadcast_to(statistic(*others, axis=-1), rows.shape))
    return np.concatenate(out)


def jackknife_acceleration(samples, statistic, batch: int = 256) -> float:
    r"""BCa acceleration :math:`\hat a` from the jackknife (summed over independent samples)."""
    num = den = 0.0
    for j in range(len(samples)):
        theta_i = _jackknife(samples, statistic, j, batch)
        n = theta_i.size
        u = (n - 1) * (theta_i.mean() - theta_i)
        num += np.sum(u**3) / n**3
        den += np.sum(u**2) / n**2
    with np.errstate(invalid="ignore", divide="ignore"):  # constant jackknife values: 0/0, reported by caller
        return float(num / (6.0 * den**1.5))


def bootstrap(data, statistic, *, n_resamples=9999, batch=None, confidence_level=0.95, method="bca",
              rng=None) -> BootstrapResult:
    """Two-sided bootstrap confidence interval of ``statistic`` (independent samples, like SciPy's).

    Parameters
    ----------
    data : sequence of array-like
        One or more 1-d samples, e.g. ``(x,)``; each is resampled independently.
    statistic : callable
        ``statistic(*samples, axis=-1)``, vectorised along ``axis`` (e.g. ``np.mean``).
    n_resamples : int, default=9999
        :math:`B`.
    batch : int, optional
        Resamples drawn per block (memory); the draws are SciPy's for the same ``batch``.
    confidence_level : float, default=0.95
    method : {"bca", "percentile", "basic"}, default="bca"
    rng : int or numpy.random.Generator, optional
        Seed or generator (``np.random.default_rng(rng)``).

    Returns
    -------
    BootstrapResult

    Examples
    --------
    >>> x = np.array([2.1, 3.4, 1.9, 5.6, 2.8, 3.3, 9.1, 2.2])
    >>> res = bootstrap((x,), np.mean, n_resamples=2000, method="percentile", rng=0)
    >>> bool(res.confidence_interval.low < x.mean() < res.confidence_interval.high)
    True
    """
    method = method.lower() if isinstance(method, str) else method
    if method not in _METHODS:
        raise ValueError(f"method must be one of 'bca', 'percentile', 'basic'; got {method!r}")
    if not (isinstance(confidence_level, (int, float, np.floating)) and 0 < confidence_level < 1):
        raise ValueError(f"confidence_level must be in (0, 1); got {confidence_level!r}")
    if not (isinstance(n_resamples, (int, np.integer)) and n_resamples >= 1):
        raise ValueError(f"n_resamples must be a positive integer; got {n_resamples!r}")
    if isinstance(data, np.ndarray) or not isinstance(data, (list, tuple)) or len(data) == 0:
        raise TypeError("data must be a non-empty tuple of samples, e.g. (x,)")
    samples = [_sample(s, f"data[{i}]", "raise") for i, s in enumerate(data)]
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    step = batch or n_resamples
    theta_b = []
    for start in range(0, n_resamples, step):
        size = min(step, n_resamples - start)
        resamples = [s[rng.integers(0, s.size, (size, s.size))] for s in samples]
        theta_b.append(statistic(*resamples, axis=-1))
    theta_b = np.concatenate(theta_b)
    alpha = (1 - confidence_level) / 2
    theta_hat = statistic(*samples, axis=-1)
    if method == "bca":
        z0 = ndtri((np.sum(theta_b < theta_hat) + np.sum(theta_b <= theta_hat)) / (2 * theta_b.size))
        a_hat = jackknife_acceleration(samples, statistic, batch or 256)
        z = ndtri(alpha)
        levels = [ndtr(z0 + (z0 + q) / (1 - a_hat * (z0 + q))) for q in (z, -z)]
    else:
        levels = [alpha, 1 - alpha]
    if not np.all(np.isfinite(levels)):
        raise ValueError("the BCa interval is undefined: the bootstrap distribution is degenerate")
    low, high = np.quantile(theta_b, levels)  # linear interpolation, as scipy.stats.quantile's default
    if method == "basic":
        low, high = 2 * theta_hat - high, 2 * theta_hat - low
    interval = ConfidenceInterval(float(low), float(high))
    return BootstrapResult(interval, theta_b, float(np.std(theta_b, ddof=1)))
