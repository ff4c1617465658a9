r"""Confidence intervals for a mean (z, t) and a proportion (Wald, Wilson, Clopper–Pearson, Agresti–Coull).

A :math:`1-\alpha` confidence interval is a random interval that covers the fixed parameter with
probability :math:`1-\alpha` over repeated samples. Mean: :math:`\bar x \pm q\, s/\sqrt n` with
:math:`q = z_{1-\alpha/2}` (σ known or large n) or :math:`t_{1-\alpha/2, n-1}`. Proportions follow
``statsmodels.stats.proportion.proportion_confint`` (methods ``"normal"``, ``"wilson"``, ``"beta"``,
``"agresti_coull"``); quantiles come from ``scipy.special`` (``ndtri``, ``stdtrit``, ``betaincinv``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.special import betainccinv, betaincinv, ndtri, stdtrit

from mlweekly.statistical_theory.hypothesis_tests import _sample

__all__ = ["ConfidenceInterval", "z_interval", "t_interval", "proportion_confint"]

_METHODS = ("normal", "wilson", "beta", "agresti_coull")


class ConfidenceInterval(NamedTuple):
    """Lower and upper end of an interval (unpacks as ``low, high``)."""

    low: float
    high: float


def _check_level(confidence_level) -> float:
    if not (isinstance(confidence_level, (int, float, np.floating)) and 0 < confidence_level < 1):
        raise ValueError(f"confidence_level must be in (0, 1); got {confidence_level!r}")
    return float(confidence_level)


def z_interval(x, sigma=None, confidence_level=0.95, nan_policy="raise") -> ConfidenceInterval:
    r"""Normal interval for a mean: :math:`\bar x \pm z_{1-\alpha/2}\,\sigma/\sqrt n`.

    Parameters
    ----------
    x : array-like of shape (n,)
        The sample.
    sigma : float, optional
        Known population standard deviation; default the sample's :math:`s` (large-sample interval,
        statsmodels' ``zconfint``).
    confidence_level : float, default=0.95
    nan_policy : {"raise", "omit", "propagate"}, default="raise"

    Returns
    -------
    ConfidenceInterval

    Examples
    --------
    >>> lo, hi = z_interval([9.8, 10.4, 10.1, 9.7, 10.0], sigma=0.3)
    >>> round(lo, 4), round(hi, 4)
    (9.737, 10.263)
    """
    level = _check_level(confidence_level)
    a = _sample(x, "x", nan_policy, min_size=1 if sigma is not None else 2)
    if a is None:
        return ConfidenceInterval(np.nan, np.nan)
    if sigma is None:
        sigma = a.std(ddof=1)
    elif not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma must be a finite number > 0; got {sigma!r}")
    half = -ndtri((1 - level) / 2) * sigma / np.sqrt(a.size)
    m = a.mean()
    return ConfidenceInterval(float(m - half), float(m + half))


def t_interval(x, confidence_level=0.95, nan_policy="raise") -> ConfidenceInterval:
    r"""Student-t interval for a mean: :math:`\bar x \pm t_{1-\alpha/2,\,n-1}\, s/\sqrt n`.

    Exact for normal data; by the CLT approximately right for others as n grows.

    Parameters
    ----------
    x : array-like of shape (n,)
        The sample, :math:`n \ge 2`.
    confidence_level : float, default=0.95
    nan_policy : {"raise", "omit", "propagate"}, default="raise"

    Returns
    -------
    ConfidenceInterval

    Examples
    --------
    >>> lo, hi = t_interval([9.8, 10.4, 10.1, 9.7, 10.0])
    >>> round(lo, 4), round(hi, 4)
    (9.66, 10.34)
    """
    level = _check_level(confidence_level)
    a = _sample(x, "x", nan_policy)
    if a is None:
        return ConfidenceInterval(np.nan, np.nan)
    half = stdtrit(a.size - 1, 1 - (1 - level) / 2) * a.std(ddof=1) / np.sqrt(a.size)
    m = a.mean()
    return ConfidenceInterval(float(m - half), float(m + half))


def proportion_confint(count, nobs, alpha=0.05, method="normal"):
    r"""Two-sided :math:`1-\alpha` interval for a binomial proportion, like statsmodels.

    With :math:`\hat p = k/n` and :math:`z = z_{1-\alpha/2}`:

    * ``"normal"`` (Wald): :math:`\hat p \pm z\sqrt{\hat p(1-\hat p)/n}`, clipped to [0, 1].
    * ``"wilson"`` (score): the :math:`p` with :math:`|\hat p - p| \le z\sqrt{p(1-p)/n}`, i.e.
      :math:`\frac{\hat p + z^2/2n}{1 + z^2/n} \pm
      \frac{z}{1 + z^2/n}\sqrt{\frac{\hat p(1-\hat p)}{n} + \frac{z^2}{4n^2}}`.
    * ``"agresti_coull"``: Wald on :math:`\tilde p = (k + z^2/2)/(n + z^2)` with :math:`\tilde n = n + z^2`.
    * ``"beta"`` (Clopper–Pearson, exact): :math:`[B_{\alpha/2}(k, n-k+1),\ B_{1-\alpha/2}(k+1, n-k)]`
      with beta quantiles; 0 and 1 at :math:`k = 0` and :math:`k = n`.

    Parameters
    ----------
    count : int or array-like of int
        Successes :math:`k`.
    nobs : int or array-like of int
        Trials :math:`n` (broadcast against ``count``).
    alpha : float, default=0.05
        One minus the confidence level.
    method : {"normal", "wilson", "beta", "agresti_coull"}, default="normal"

    Returns
    -------
    (low, high) : floats, or arrays of the broadcast shape

    Examples
    --------
    >>> [round(v, 4) for v in proportion_confint(3, 20, method="wilson")]
    [0.0524, 0.3604]
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}; got {method!r}")
    if not (isinstance(alpha, (int, float, np.floating)) and 0 < alpha < 1):
        raise ValueError(f"alpha must be in (0, 1); got {alpha!r}")
    k, n = np.broadcast_arrays(np.asarray(count, dtype=np.float64), np.asarray(nobs, dtype=np.float64))
    if not (np.isfinite(k).all() and np.isfinite(n).all()):
        raise ValueError("count and nobs must be finite")
    if (n <= 0).any() or (k < 0).any() or (k > n).any():
        raise ValueError("need 0 <= count <= nobs and nobs > 0")
    p = k / n
    z = -ndtri(alpha / 2)
    if method == "normal":
        half = z * np.sqrt(p * (1 - p) / n)
        low, high = p - half, p + half
    elif method == "wilson":
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        low, high = centre - half, centre + half
    elif method == "agresti_coull":
        n_c = n + z**2
        p_c = (k + z**2 / 2) / n_c
        half = z * np.sqrt(p_c * (1 - p_c) / n_c)
        low, high = p_c - half, p_c + half
    else:  # Clopper-Pearson: invert the two one-sided binomial tests via beta quantiles
        with np.errstate(invalid="ignore"):  # k = 0 or k = n: a beta shape of 0, set by hand below
            low = np.where(k == 0, 0.0, betaincinv(k, n - k + 1, alpha / 2))
            high = np.where(k == n, 1.0, betainccinv(k + 1, n - k, alpha / 2))  # upper tail, no 1 - q
    if method != "beta":
        low, high = np.clip(low, 0, 1), np.clip(high, 0, 1)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high
