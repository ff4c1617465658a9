r"""Continuous distributions in standard form (``loc=0, scale=1``); names and parameters as scipy.stats.

Densities are written out; distribution functions and quantiles call the special function that *is*
the integral (:math:`\Phi` = ``ndtr``, the regularised incomplete gamma :math:`P(a, x)` =
``gammainc``, the regularised incomplete beta :math:`I_x(a, b)` = ``betainc``, Student's integral
``stdtr``) and its inverse. Sampling is ours: Box–Muller, inverse CDF, Marsaglia–Tsang.
"""

from __future__ import annotations

import numpy as np
from scipy.special import (
    betainc,
    betaincc,
    betainccinv,
    betaincinv,
    betaln,
    gammainc,
    gammaincc,
    gammainccinv,
    gammaincinv,
    gammaln,
    ndtr,
    ndtri,
    stdtr,
    stdtrit,
    xlog1py,
    xlogy,
)

from ._rv_base import ContinuousDistribution, check_positive, standard_gamma, standard_normal, uniform_open

__all__ = ["norm", "expon", "gamma", "beta", "t", "chi2"]

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


class norm(ContinuousDistribution):
    r"""Normal :math:`N(\mu, \sigma^2)` with ``loc`` :math:`=\mu`, ``scale`` :math:`=\sigma`.

    :math:`f(z) = e^{-z^2/2}/\sqrt{2\pi}`, :math:`F = \Phi`, quantile :math:`\Phi^{-1}` (``ndtri``);
    sampled by Box–Muller.

    Examples
    --------
    >>> from mlweekly.statistical_theory.distributions import norm
    >>> round(float(norm(1.0, 2.0).cdf(1.0)), 12), round(float(norm().ppf(0.975)), 6)
    (0.5, 1.959964)
    """

    def _logpdf(self, z):
        return -0.5 * z**2 - _LOG_SQRT_2PI

    def _cdf(self, z):
        return ndtr(z)

    def _sf(self, z):
        return ndtr(-z)

    def _ppf(self, q):
        return ndtri(q)

    def _isf(self, q):
        return -ndtri(q)

    def _rvs(self, shape, rng):
        return standard_normal(shape, rng)

    def _mean(self):
        return 0.0

    def _var(self):
        return 1.0


class expon(ContinuousDistribution):
    r"""Exponential with rate :math:`\lambda = 1/\text{scale}`: :math:`f(z) = e^{-z}`, :math:`z \ge 0`.

    Sampled by inverse CDF: :math:`-\log U`, :math:`U \sim U(0, 1)` (``1 - U`` is uniform too).
    """

    _support = (0.0, np.inf)

    def _logpdf(self, z):
        return -z

    def _cdf(self, z):
        return -np.expm1(-z)

    def _sf(self, z):
        return np.exp(-z)

    def _ppf(self, q):
        return -np.log1p(-q)

    def _isf(self, q):
        return -np.log(q)

    def _rvs(self, shape, rng):
        return -np.log(uniform_open(shape, rng))

    def _mean(self):
        return 1.0

    def _var(self):
        return 1.0


class gamma(ContinuousDistribution):
    r"""Gamma with shape ``a`` > 0: :math:`f(z) = z^{a-1}e^{-z}/\Gamma(a)`, :math:`F(z) = P(a, z)`.

    Mean and variance are both :math:`a` (times scale, scale²). Sampled by Marsaglia–Tsang.
    """

    _support = (0.0, np.inf)

    def __init__(self, a, loc=0.0, scale=1.0):
        self.a = check_positive(a, "a")
        super().__init__(loc, scale)

    def _shape_repr(self):
        return f"a={self.a:g}, "

    def _logpdf(self, z):
        return xlogy(self.a - 1.0, z) - z - gammaln(self.a)

    def _cdf(self, z):
        return gammainc(self.a, z)

    def _sf(self, z):
        return gammaincc(self.a, z)

    def _ppf(self, q):
        return gammaincinv(self.a, q)

    def _isf(self, q):
        return gammainccinv(self.a, q)

    def _rvs(self, shape, rng):
        return standard_gamma(self.a, shape, rng)

    def _mean(self):
        return self.a

    def _var(self):
        return self.a


class chi2(ContinuousDistribution):
    r"""Chi-square with ``df`` > 0: the Gamma(df/2, scale 2), the law of :math:`\sum_{i=1}^{df} Z_i^2`.

    :math:`f(z) = z^{k/2-1}e^{-z/2}/(2^{k/2}\Gamma(k/2))`, :math:`F(z) = P(k/2, z/2)`; mean :math:`k`,
    variance :math:`2k`.
    """

    _support = (0.0, np.inf)

    def __init__(self, df, loc=0.0, scale=1.0):
        self.df = check_positive(df, "df")
        super().__init__(loc, scale)

    def _shape_repr(self):
        return f"df={self.df:g}, "

    def _logpdf(self, z):
        h = 0.5 * self.df
        return xlogy(h - 1.0, z) - 0.5 * z - h * np.log(2.0) - gammaln(h)

    def _cdf(self, z):
        return gammainc(0.5 * self.df, 0.5 * z)

    def _sf(self, z):
        return gammaincc(0.5 * self.df, 0.5 * z)

    def _ppf(self, q):
        return 2.0 * gammaincinv(0.5 * self.df, q)

    def _isf(self, q):
        return 2.0 * gammainccinv(0.5 * self.df, q)

    def _rvs(self, shape, rng):
        return 2.0 * standard_gamma(0.5 * self.df, shape, rng)

    def _mean(self):
        return self.df

    def _var(self):
        return 2.0 * self.df


class beta(ContinuousDistribution):
    r"""Beta with ``a, b`` > 0 on [0, 1]: :math:`f(z) = z^{a-1}(1-z)^{b-1}/B(a, b)`, :math:`F = I_z(a, b)`.

    Sampled as :math:`X/(X+Y)` with :math:`X \sim \mathrm{Gamma}(a)`, :math:`Y \sim \mathrm{Gamma}(b)`.
    """

    _support = (0.0, 1.0)

    def __init__(self, a, b, loc=0.0, scale=1.0):
        self.a = check_positive(a, "a")
        self.b = check_positive(b, "b")
        super().__init__(loc, scale)

    def _shape_repr(self):
        return f"a={self.a:g}, b={self.b:g}, "

    def _logpdf(self, z):
        return xlogy(self.a - 1.0, z) + xlog1py(self.b - 1.0, -z) - betaln(self.a, self.b)

    def _cdf(self, z):
        return betainc(self.a, self.b, z)

    def _sf(self, z):
        return betaincc(self.a, self.b, z)

    def _ppf(self, q):
        return betaincinv(self.a, self.b, q)

    def _isf(self, q):
        return betainccinv(self.a, self.b, q)

    def _rvs(self, shape, rng):
        x = standard_gamma(self.a, shape, rng)
        y = standard_gamma(self.b, shape, rng)
        return x / (x + y)

    def _mean(self):
        return self.a / (self.a + self.b)

    def _var(self):
        s = self.a + self.b
        return self.a * self.b / (s * s * (s + 1.0))


class t(ContinuousDistribution):
    r"""Student's t with ``df`` :math:`=\nu` > 0.

    :math:`f(z) = \frac{\Gamma((\nu+1)/2)}{\sqrt{\nu\pi}\,\Gamma(\nu/2)}(1 + z^2/\nu)^{-(\nu+1)/2}`;
    sampled as :math:`Z/\sqrt{V/\nu}`, :math:`V \sim \chi^2_\nu`. Mean 0 for :math:`\nu > 1` (else
    NaN), variance :math:`\nu/(\nu-2)` for :math:`\nu > 2`, ``inf`` for :math:`1 < \nu \le 2`.
    """

    def __init__(self, df, loc=0.0, scale=1.0):
        self.df = check_positive(df, "df")
        super().__init__(loc, scale)

    def _shape_repr(self):
        return f"df={self.df:g}, "

    def _logpdf(self, z):
        nu = self.df
        const = gammaln(0.5 * (nu + 1.0)) - gammaln(0.5 * nu) - 0.5 * np.log(nu * np.pi)
        return const - 0.5 * (nu + 1.0) * np.log1p(z * z / nu)

    def _cdf(self, z):
        return stdtr(self.df, z)

    def _sf(self, z):
        return stdtr(self.df, -z)

    def _ppf(self, q):
        return stdtrit(self.df, q)

    def _isf(self, q):
        return -stdtrit(self.df, q)

    def _rvs(self, shape, rng):
        z = standard_normal(shape, rng)
        v = 2.0 * standard_gamma(0.5 * self.df, shape, rng)
        return z / np.sqrt(v / self.df)

    def _mean(self):
        return 0.0 if self.df > 1 else np.nan

    def _var(self):
        if self.df > 2:
            return self.df / (self.df - 2.0)
        return np.inf if self.df > 1 else np.nan
