r"""Discrete distributions on the integers; names and parameters as scipy.stats.

Each gives its log-pmf (in logs: binomial coefficients and factorials overflow) and its cdf through
the special function that equals the finite sum:
:math:`P(\mathrm{Bin}(n,p) \le k) = I_{1-p}(n-k, k+1)` and :math:`P(\mathrm{Pois}(\mu) \le k) =
Q(k+1, \mu)`, the regularised upper incomplete gamma. Sampling is inverse-CDF (``ppf`` of uniforms).
"""

from __future__ import annotations

import numpy as np
from scipy.special import betainc, betaincc, betaln, gammainc, gammaincc, gammaln, xlog1py, xlogy

from ._rv_base import DiscreteDistribution, check_count, check_p, check_real

__all__ = ["bernoulli", "binom", "poisson"]


class binom(DiscreteDistribution):
    r"""Binomial: successes in ``n`` independent trials of probability ``p``.

    :math:`P(k) = \binom nk p^k (1-p)^{n-k}`, with :math:`\log\binom nk = -\log(n+1) - \log B(n-k+1, k+1)`
    (``betaln`` keeps it accurate for large :math:`n`). Mean :math:`np`, variance :math:`np(1-p)`.

    Examples
    --------
    >>> from mlweekly.statistical_theory.distributions import binom
    >>> round(float(binom(10, 0.5).pmf(5)), 10)
    0.24609375
    """

    def __init__(self, n, p):
        self.n = check_count(n, "n")
        self.p = check_p(p, "p")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n={self.n}, p={self.p:g})"

    @property
    def upper(self) -> float:
        return float(self.n)

    def _logpmf(self, k):
        n, p = self.n, self.p
        log_choose = -np.log(n + 1.0) - betaln(n - k + 1.0, k + 1.0)
        return log_choose + xlogy(k, p) + xlog1py(n - k, -p)

    def _cdf(self, k):  # k < n here: P(X <= k) = 1 - I_p(k+1, n-k)
        return betaincc(k + 1.0, self.n - k, self.p)

    def _sf(self, k):
        return betainc(k + 1.0, self.n - k, self.p)

    def mean(self) -> float:
        """:math:`np`."""
        return self.n * self.p

    def var(self) -> float:
        """:math:`np(1-p)`."""
        return self.n * self.p * (1.0 - self.p)


class bernoulli(binom):
    r"""Bernoulli: one trial, :math:`P(1) = p`, :math:`P(0) = 1 - p`; the Binomial with :math:`n = 1`.

    Its log-pmf :math:`k\log p + (1-k)\log(1-p)` is minus the log-loss of the prediction :math:`p`.
    """

    def __init__(self, p):
        super().__init__(1, p)

    def __repr__(self) -> str:
        return f"bernoulli(p={self.p:g})"


class poisson(DiscreteDistribution):
    r"""Poisson with rate ``mu`` >= 0: :math:`P(k) = \mu^k e^{-\mu}/k!`; mean = variance = :math:`\mu`."""

    def __init__(self, mu):
        self.mu = check_real(mu, "mu")
        if self.mu < 0:
            raise ValueError(f"mu must be >= 0; got {self.mu:g}")

    def __repr__(self) -> str:
        return f"poisson(mu={self.mu:g})"

    def _logpmf(self, k):
        return xlogy(k, self.mu) - self.mu - gammaln(k + 1.0)

    def _cdf(self, k):
        return gammaincc(k + 1.0, self.mu)

    def _sf(self, k):
        return gammainc(k + 1.0, self.mu)

    def mean(self) -> float:
        """:math:`\\mu`."""
        return self.mu

    def var(self) -> float:
        """:math:`\\mu`."""
        return self.mu
