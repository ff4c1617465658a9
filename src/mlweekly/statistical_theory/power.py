r"""Power and sample size of z- and t-tests.

The power of a level-:math:`\alpha` test is :math:`1 - \beta = P_{H_1}(\text{reject } H_0)`. For a
standardised effect :math:`d = (\mu_1 - \mu_0)/\sigma` and :math:`n` observations the z statistic is
:math:`N(d\sqrt n, 1)` under :math:`H_1`, so (two-sided, critical value :math:`z_{1-\alpha/2}`)

.. math::  1 - \beta = \Phi(d\sqrt n - z_{1-\alpha/2}) + \Phi(-d\sqrt n - z_{1-\alpha/2}).

For the t-test the statistic follows the **noncentral** t with :math:`\nu` df and noncentrality
:math:`\delta = d\sqrt n` (``scipy.special.nctdtr``). Two independent samples use the effective size
:math:`n = (1/n_1 + 1/n_2)^{-1}` and :math:`\nu = n_1 + n_2 - 2`. Sample size and minimum detectable
effect are found by a root finder (``scipy.optimize.brentq``) on the monotone power curve. The
API mirrors ``statsmodels.stats.power`` (``NormalIndPower``, ``TTestIndPower``, ``TTestPower``).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.special import nctdtr, ndtr, ndtri, stdtrit

from mlweekly.statistical_theory.hypothesis_tests import check_alternative

__all__ = ["normal_power", "ttest_power", "NormalIndPower", "TTestIndPower", "TTestPower"]


def _check_alpha(alpha) -> float:
    if not (isinstance(alpha, (int, float, np.floating)) and 0 < alpha < 1):
        raise ValueError(f"alpha must be a significance level in (0, 1); got {alpha!r}")
    return float(alpha)


def _check_nobs(nobs, name: str, minimum: float) -> float:
    if not (isinstance(nobs, (int, float, np.integer, np.floating)) and np.isfinite(nobs) and nobs > minimum):
        raise ValueError(f"{name} must be a number > {minimum:g}; got {nobs!r}")
    return float(nobs)


def _check_effect(effect_size) -> float:
    if not (isinstance(effect_size, (int, float, np.integer, np.floating)) and np.isfinite(effect_size)):
        raise ValueError(f"effect_size must be a finite number; got {effect_size!r}")
    return float(effect_size)


def _nct_cdf(df: float, nc: float, x: float) -> float:
    """Noncentral t cdf; falls back on the reflection P(T_nc <= x) = 1 - P(T_-nc <= -x) where SciPy gives NaN.

    ``nctdtr`` returns NaN far in the lower tail (e.g. df=98, nc=10, x=-1.98, where the cdf is ~1e-31):
    the reflected form is 1 - (1 - tiny) = 0 to double precision, an absolute error < 1e-16.
    """
    value = nctdtr(df, nc, x)
    return float(value) if np.isfinite(value) else float(1.0 - nctdtr(df, -nc, -x))


def normal_power(effect_size, nobs, alpha, alternative="two-sided") -> float:
    r"""Power of a z-test with standardised effect ``effect_size`` and (effective) size ``nobs``.

    Parameters
    ----------
    effect_size : float
        :math:`d`, the shift of the mean in units of the standard deviation.
    nobs : float
        Number of observations (> 0).
    alpha : float
        Significance level in (0, 1).
    alternative : {"two-sided", "larger", "smaller", "greater", "less"}, default="two-sided"

    Returns
    -------
    float
        :math:`1 - \beta`.

    Examples
    --------
    >>> round(normal_power(0.5, 32, 0.05), 6)
    0.80743
    """
    alt = check_alternative(alternative)
    d, n, a = _check_effect(effect_size), _check_nobs(nobs, "nobs", 0), _check_alpha(alpha)
    shift = d * np.sqrt(n)
    tail = a / 2 if alt == "two-sided" else a
    crit = -ndtri(tail)  # z_{1 - tail}
    power = 0.0
    if alt in ("two-sided", "greater"):
        power += ndtr(shift - crit)
    if alt in ("two-sided", "less"):
        power += ndtr(-crit - shift)
    return float(power)


def ttest_power(effect_size, nobs, alpha, df=None, alternative="two-sided") -> float:
    r"""Power of a t-test: tail probabilities of the noncentral t with :math:`\delta = d\sqrt{n}`.

    Parameters
    ----------
    effect_size : float
        Cohen's :math:`d`.
    nobs : float
        (Effective) number of observations.
    alpha : float
        Significance level in (0, 1).
    df : float, optional
        Degrees of freedom; default ``nobs - 1`` (the one-sample / paired test).
    alternative : {"two-sided", "larger", "smaller", "greater", "less"}, default="two-sided"

    Returns
    -------
    float

    Examples
    --------
    >>> round(ttest_power(0.5, 34, 0.05), 6)
    0.807778
    """
    alt = check_alternative(alternative)
    d, n, a = _check_effect(effect_size), _check_nobs(nobs, "nobs", 0), _check_alpha(alpha)
    df = n - 1 if df is None else df
    _check_nobs(df, "df", 0)
    nc = d * np.sqrt(n)
    tail = a / 2 if alt == "two-sided" else a
    crit = stdtrit(df, 1 - tail)  # t_{1 - tail, df}; the t is symmetric, so -crit is the lower one
    power = 0.0
    if alt in ("two-sided", "greater"):
        power += 1 - _nct_cdf(df, nc, crit)
    if alt in ("two-sided", "less"):
        power += _nct_cdf(df, nc, -crit)
    return float(power)


class _Power:
    """Shared solver: one of effect_size, nobs, power is unknown; power is monotone in both others."""

    _nobs_floor = 1e-8  # the solver searches nobs1 >= this (power -> alpha as nobs -> 0 for the z-test)

    def power(self, effect_size, nobs1, alpha, **kw):  # pragma: no cover - overridden
        raise NotImplementedError

    def solve_power(self, effect_size=None, nobs1=None, alpha=0.05, power=None, **kw):
        """Solve for whichever of ``effect_size``, ``nobs1``, ``power`` is ``None``.

        Parameters
        ----------
        effect_size : float, optional
            Standardised effect (positive for "two-sided"/"larger", negative for "smaller").
        nobs1 : float, optional
            Size of (the first) sample.
        alpha : float, default=0.05
        power : float, optional
            Target power, in (alpha, 1).
        **kw
            ``ratio`` / ``alternative`` as in :meth:`power`.

        Returns
        -------
        float
            The missing quantity (``nobs1`` is fractional: round it up in practice).
        """
        given = {"effect_size": effect_size, "nobs1": nobs1, "power": power}
        missing = [name for name, v in given.items() if v is None]
        if len(missing) != 1:
            raise ValueError(f"exactly one of effect_size, nobs1, power must be None; got {missing}")
        if missing == ["power"]:
            return self.power(effect_size, nobs1, alpha, **kw)
        a = _check_alpha(alpha)
        if not (isinstance(power, (int, float, np.floating)) and a < power < 1):
            raise ValueError(f"power must be in (alpha, 1) = ({a:g}, 1); got {power!r}")
        if missing == ["nobs1"]:
            _check_effect(effect_size)
            if effect_size == 0:
                raise ValueError("effect_size = 0: no sample size reaches a power above alpha")

            def gap(n):
                return self.power(effect_size, n, a, **kw) - power

            lo = self._nobs_floor
        else:
            _check_nobs(nobs1, "nobs1", 0)
            sign = -1.0 if check_alternative(kw.get("alternative", "two-sided")) == "less" else 1.0

            def gap(d):
                return self.power(sign * d, nobs1, a, **kw) - power

            lo = 0.0
        if gap(lo) > 0:
            raise ValueError(f"the power already exceeds {power} at the smallest admissible {missing[0]}")
        hi = 2.0 * max(lo, 1.0)
        while gap(hi) < 0:  # the power rises to 1: double until the root is bracketed
            hi *= 2.0
            if hi > 1e12:
                raise ValueError(f"no {missing[0]} reaches power {power} (alternative on the wrong side?)")
        root = brentq(gap, lo, hi, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=500)
        return float(root if missing == ["nobs1"] else sign * root)


class NormalIndPower(_Power):
    """Power of the two-sample z-test (``ratio=0``: one-sample), like statsmodels' ``NormalIndPower``.

    Examples
    --------
    >>> round(NormalIndPower().solve_power(effect_size=0.5, power=0.8, alpha=0.05), 4)
    62.7909
    """

    def power(self, effect_size, nobs1, alpha, ratio=1.0, alternative="two-sided") -> float:
        """Power with ``nobs1`` and ``nobs2 = ratio * nobs1`` observations."""
        n1 = _check_nobs(nobs1, "nobs1", 0)
        if ratio < 0:
            raise ValueError(f"ratio must be >= 0; got {ratio}")
        n = n1 if ratio == 0 else 1.0 / (1.0 / n1 + 1.0 / (n1 * ratio))
        return normal_power(effect_size, n, alpha, alternative)


class TTestIndPower(_Power):
    """Power of the pooled two-sample t-test, like statsmodels' ``TTestIndPower``.

    Examples
    --------
    >>> round(TTestIndPower().solve_power(effect_size=0.5, power=0.8, alpha=0.05), 4)
    63.7656
    """

    _nobs_floor = 2.0  # a t-test needs a variance estimate: df >= 1 at ratio >= 1/2

    def power(self, effect_size, nobs1, alpha, ratio=1.0, alternative="two-sided") -> float:
        """Power with ``nobs1`` and ``nobs2 = ratio * nobs1`` observations, ``df = nobs1 + nobs2 - 2``."""
        n1 = _check_nobs(nobs1, "nobs1", 0)
        if not ratio > 0:
            raise ValueError(f"ratio must be > 0; got {ratio}")
        n2 = n1 * ratio
        n = 1.0 / (1.0 / n1 + 1.0 / n2)  # the effective size: SE of the difference is sigma / sqrt(n)
        return ttest_power(effect_size, n, alpha, df=n1 + n2 - 2, alternative=alternative)


class TTestPower(_Power):
    """Power of the one-sample (or paired) t-test, like statsmodels' ``TTestPower``.

    Examples
    --------
    >>> round(TTestPower().solve_power(effect_size=0.5, power=0.8, alpha=0.05), 4)
    33.3671
    """

    _nobs_floor = 2.0  # df = nobs - 1 >= 1

    def power(self, effect_size, nobs, alpha, alternative="two-sided") -> float:
        """Power with ``nobs`` observations and ``nobs - 1`` df."""
        return ttest_power(effect_size, nobs, alpha, alternative=alternative)

    def solve_power(self, effect_size=None, nobs=None, alpha=0.05, power=None, alternative="two-sided"):
        """Solve for whichever of ``effect_size``, ``nobs``, ``power`` is ``None`` (as the base class)."""
        return super().solve_power(effect_size, nobs, alpha, power, alternative=alternative)
