r"""Conjugate updates: a prior whose posterior stays in the same family, so updating is arithmetic.

* Beta–Binomial: :math:`p \sim \mathrm{Beta}(\alpha, \beta)`, :math:`k \mid p \sim \mathrm{Bin}(n, p)`
  gives :math:`p \mid k \sim \mathrm{Beta}(\alpha + k, \beta + n - k)`.
* Normal–Normal (known :math:`\sigma`): :math:`\theta \sim N(\mu_0, \tau_0^2)`,
  :math:`x_i \mid \theta \sim N(\theta, \sigma^2)` gives :math:`\theta \mid x \sim N(\mu_n, \tau_n^2)`
  with precisions adding, :math:`\tau_n^{-2} = \tau_0^{-2} + n\sigma^{-2}`.

Each object is the current belief (the prior, or a posterior after ``update``) with scipy.stats-like
``logpdf/pdf/cdf/ppf/mean/var/std/interval`` and the posterior predictive of new data.
Only special functions (log-beta, the regularised incomplete beta and its inverse, the normal
integral) come from :mod:`scipy.special`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betainc, betaincinv, betaln, gammaln, ndtr, ndtri, xlog1py, xlogy
from sklearn.utils import check_array

from .bayes import check_probability

__all__ = ["BetaBinomial", "NormalNormal"]

_LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)


def _positive(value, name: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a single number > 0; got {value!r}") from exc
    if not (np.isfinite(v) and v > 0):
        raise ValueError(f"{name} must be a finite number > 0; got {v:g}")
    return v


def _count(value, name: str) -> int:
    v = np.asarray(value, dtype=np.float64)
    if v.ndim != 0 or not np.isfinite(v) or v < 0 or v != np.floor(v):
        raise ValueError(f"{name} must be a non-negative integer; got {value!r}")
    return int(v)


def _norm_logpdf(x, loc: float, scale: float) -> np.ndarray:
    z = (np.asarray(x, dtype=np.float64) - loc) / scale
    return -0.5 * z**2 - np.log(scale) - _LOG_SQRT_2PI


class _Belief:
    """What every one-parameter belief derives from its logpdf, var and ppf."""

    def pdf(self, x):
        """Density of the belief at ``x``."""
        return np.exp(self.logpdf(x))

    def std(self) -> float:
        """Standard deviation."""
        return float(np.sqrt(self.var()))

    def interval(self, confidence: float = 0.95) -> tuple[float, float]:
        """Equal-tailed credible interval: ``(ppf((1-c)/2), ppf((1+c)/2))``, as scipy.stats."""
        c = float(check_probability(confidence, "confidence"))
        return float(self.ppf((1 - c) / 2)), float(self.ppf((1 + c) / 2))


@dataclass(frozen=True)
class BetaBinomial(_Belief):
    """Beta belief about a success probability, updated by binomial counts.

    Parameters
    ----------
    alpha, beta : float, default=1.0
        Shape parameters, > 0; read them as ``alpha - 1`` prior successes and ``beta - 1`` prior
        failures. ``Beta(1, 1)`` is uniform.

    Examples
    --------
    >>> post = BetaBinomial(1, 1).update(successes=7, trials=10)
    >>> post
    BetaBinomial(alpha=8.0, beta=4.0)
    >>> round(post.mean(), 4)
    0.6667
    """

    alpha: float = 1.0
    beta: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "alpha", _positive(self.alpha, "alpha"))
        object.__setattr__(self, "beta", _positive(self.beta, "beta"))

    def update(self, successes: int, trials: int) -> BetaBinomial:
        """Posterior after ``successes`` out of ``trials``: ``Beta(alpha + k, beta + n - k)``."""
        k, n = _count(successes, "successes"), _count(trials, "trials")
        if k > n:
            raise ValueError(f"successes ({k}) cannot exceed trials ({n})")
        return BetaBinomial(self.alpha + k, self.beta + (n - k))  # integer n - k first: exact

    def mean(self) -> float:
        r"""Posterior (or prior) mean :math:`\alpha/(\alpha+\beta)`."""
        return self.alpha / (self.alpha + self.beta)

    def var(self) -> float:
        r"""Variance :math:`\alpha\beta/((\alpha+\beta)^2(\alpha+\beta+1))`."""
        s = self.alpha + self.beta
        return self.alpha * self.beta / (s**2 * (s + 1))

    def mode(self) -> float:
        """Most probable value; 0 or 1 when the density peaks at an edge, ``nan`` when not unique."""
        a, b = self.alpha, self.beta
        if a > 1 and b > 1:
            return (a - 1) / (a + b - 2)
        if a <= 1 < b:
            return 0.0
        if b <= 1 < a:
            return 1.0
        return np.nan  # a, b <= 1: flat (1, 1) or U-shaped, two modes

    def logpdf(self, x):
        r""":math:`(\alpha-1)\log x + (\beta-1)\log(1-x) - \log B(\alpha, \beta)`, ``-inf`` off [0, 1]."""
        x = np.asarray(x, dtype=np.float64)
        inside = (x >= 0) & (x <= 1)
        xc = np.where(inside, x, 0.5)
        # xlogy gives 0 * log 0 = 0, so Beta(1, b) has a finite density at x = 0
        out = xlogy(self.alpha - 1, xc) + xlog1py(self.beta - 1, -xc) - betaln(self.alpha, self.beta)
        return np.where(inside, out, -np.inf)

    def cdf(self, x):
        r"""Regularised incomplete beta :math:`I_x(\alpha, \beta)`."""
        return betainc(self.alpha, self.beta, np.clip(np.asarray(x, dtype=np.float64), 0, 1))

    def ppf(self, q):
        """Quantile: the inverse of :meth:`cdf`."""
        return betaincinv(self.alpha, self.beta, check_probability(q, "q"))

    def predictive_logpmf(self, k, n: int):
        r"""Log beta-binomial pmf of ``k`` successes in ``n`` new trials.

        :math:`\log\binom{n}{k} + \log B(k+\alpha, n-k+\beta) - \log B(\alpha, \beta)`:
        the binomial likelihood averaged over the current belief.
        """
        n = _count(n, "n")
        k = np.asarray(k, dtype=np.float64)
        if not np.isfinite(k).all() or (k != np.floor(k)).any():
            raise ValueError("k must hold integers")
        inside = (k >= 0) & (k <= n)
        kc = np.where(inside, k, 0)
        log_choose = gammaln(n + 1) - gammaln(kc + 1) - gammaln(n - kc + 1)
        out = log_choose + betaln(kc + self.alpha, n - kc + self.beta) - betaln(self.alpha, self.beta)
        return np.where(inside, out, -np.inf)

    def predictive_pmf(self, k, n: int):
        """Beta-binomial pmf: probability of ``k`` successes in ``n`` new trials."""
        return np.exp(self.predictive_logpmf(k, n))

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Draws of the success probability (``rng.beta``)."""
        return rng.beta(self.alpha, self.beta, size=size)


@dataclass(frozen=True)
class NormalNormal(_Belief):
    r"""Normal belief about a mean :math:`\theta`, updated by normal data of known deviation.

    Parameters
    ----------
    mu0 : float
        Mean of the belief about :math:`\theta`.
    tau0 : float
        Standard deviation of the belief about :math:`\theta`, > 0.
    sigma : float
        Known standard deviation of one observation around :math:`\theta`, > 0.

    Examples
    --------
    >>> post = NormalNormal(mu0=0.0, tau0=1.0, sigma=1.0).update([2.0])
    >>> post.mean(), round(post.std(), 4)  # equal precisions: halfway, sd / sqrt(2)
    (1.0, 0.7071)
    """

    mu0: float
    tau0: float
    sigma: float

    def __post_init__(self):
        mu0 = float(self.mu0)
        if not np.isfinite(mu0):
            raise ValueError(f"mu0 must be finite; got {mu0:g}")
        object.__setattr__(self, "mu0", mu0)
        object.__setattr__(self, "tau0", _positive(self.tau0, "tau0"))
        object.__setattr__(self, "sigma", _positive(self.sigma, "sigma"))

    def update(self, x) -> NormalNormal:
        r"""Posterior after observations ``x``: precision-weighted average of prior mean and data.

        :math:`\tau_n^{-2} = \tau_0^{-2} + n/\sigma^2`,
        :math:`\mu_n = \tau_n^2(\mu_0/\tau_0^2 + \sum_i x_i/\sigma^2)`.
        """
        x = check_array(np.atleast_1d(x), ensure_2d=False, dtype=np.float64, input_name="x")
        if x.ndim != 1:
            raise ValueError(f"x must be 1-d observations; got shape {x.shape}")
        prior_prec, data_prec = self.tau0**-2, x.size / self.sigma**2
        prec = prior_prec + data_prec
        mu = (prior_prec * self.mu0 + data_prec * x.mean()) / prec
        return NormalNormal(mu, prec**-0.5, self.sigma)

    def mean(self) -> float:
        r"""Mean of the belief about :math:`\theta`."""
        return self.mu0

    def var(self) -> float:
        r"""Variance of the belief about :math:`\theta`."""
        return self.tau0**2

    def mode(self) -> float:
        r"""Mode (= mean for a normal)."""
        return self.mu0

    def logpdf(self, x):
        r"""Log density of the belief about :math:`\theta`."""
        return _norm_logpdf(x, self.mu0, self.tau0)

    def cdf(self, x):
        """Cumulative distribution, through the normal integral ``ndtr``."""
        return ndtr((np.asarray(x, dtype=np.float64) - self.mu0) / self.tau0)

    def ppf(self, q):
        """Quantile, through the inverse normal integral ``ndtri``."""
        return self.mu0 + self.tau0 * ndtri(check_probability(q, "q"))

    def predictive_std(self) -> float:
        r"""Sd of one new observation: belief and noise variances add, :math:`\sqrt{\tau^2 + \sigma^2}`."""
        return float(np.hypot(self.tau0, self.sigma))

    def predictive_logpdf(self, x):
        r"""Log density of one new observation, :math:`N(\mu, \tau^2 + \sigma^2)`."""
        return _norm_logpdf(x, self.mu0, self.predictive_std())

    def predictive_pdf(self, x):
        """Density of one new observation."""
        return np.exp(self.predictive_logpdf(x))

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        r"""Draws of :math:`\theta` (``rng.normal``)."""
        return rng.normal(self.mu0, self.tau0, size=size)
