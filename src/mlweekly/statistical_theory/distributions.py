r"""Probability distributions from scratch, frozen like scipy.stats: ``norm(loc, scale).pdf(x)``.

Continuous (``loc``/``scale`` families): :class:`norm`, :class:`expon`, :class:`gamma`, :class:`beta`,
:class:`t`, :class:`chi2`. Discrete: :class:`bernoulli`, :class:`binom`, :class:`poisson`.
Multivariate: :class:`multivariate_normal` (log-density through a Cholesky factor).

Every object has ``pdf``/``logpdf`` (``pmf``/``logpmf``), ``cdf``, ``sf``, ``ppf``, ``rvs(size,
random_state)``, ``mean``, ``var``, ``std``, ``interval``. Parameters are single numbers, checked on
construction (``scale > 0``, ``p in [0, 1]``, ``df > 0``, ``n`` an integer >= 0). Special functions
(``gammaln``, ``betainc``, ``gammainc``, ``ndtr``/``ndtri``, ``stdtr``/``stdtrit`` and inverses) come
from :mod:`scipy.special`; densities, moments and samplers are written here.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import solve_triangular

from ._continuous import beta, chi2, expon, gamma, norm, t
from ._discrete import bernoulli, binom, poisson
from ._rv_base import _check_size, check_random_state, standard_normal

__all__ = [
    "norm",
    "expon",
    "gamma",
    "beta",
    "t",
    "chi2",
    "bernoulli",
    "binom",
    "poisson",
    "multivariate_normal",
]

_LOG_2PI = np.log(2.0 * np.pi)


class multivariate_normal:
    r"""Multivariate normal :math:`N_d(\mu, \Sigma)` with symmetric positive-definite ``cov``.

    With the Cholesky factor :math:`\Sigma = LL^\top` and :math:`y = L^{-1}(x - \mu)` (a triangular
    solve, no inverse),

    .. math:: \log f(x) = -\tfrac12\big(d\log 2\pi + 2\textstyle\sum_i \log L_{ii} + y^\top y\big),

    and draws are :math:`\mu + Lz`, :math:`z \sim N(0, I)` by Box–Muller.

    Parameters
    ----------
    mean : array-like of shape (d,)
    cov : array-like of shape (d, d)

    Examples
    --------
    >>> from mlweekly.statistical_theory.distributions import multivariate_normal
    >>> mvn = multivariate_normal([0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]])
    >>> round(float(mvn.pdf([0.0, 0.0])), 12)  # 1 / (2 pi)
    0.159154943092
    """

    def __init__(self, mean, cov):
        mean = np.asarray(mean, dtype=np.float64)
        if mean.ndim != 1 or mean.size == 0:
            raise ValueError(f"mean must be a non-empty 1-d array; got shape {mean.shape}")
        d = mean.size
        cov = np.asarray(cov, dtype=np.float64)
        if cov.shape != (d, d):
            raise ValueError(f"cov must have shape ({d}, {d}) to match mean; got {cov.shape}")
        if not (np.isfinite(mean).all() and np.isfinite(cov).all()):
            raise ValueError("mean and cov must be finite; got NaN or inf")
        if not np.allclose(cov, cov.T, rtol=1e-12, atol=0):
            raise ValueError("cov must be symmetric")
        # the Cholesky factor exists iff cov is positive definite; its failure is the test
        try:
            L = np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            smallest = np.linalg.eigvalsh(cov)[0]
            raise ValueError(
                f"cov must be positive definite; its smallest eigenvalue is {smallest:.3g}"
            ) from None
        self.mean, self.cov, self.dim, self.cholesky_ = mean, cov, d, L

    def __repr__(self) -> str:
        return f"multivariate_normal(dim={self.dim})"

    def logpdf(self, x):
        """Log-density at the rows of ``x`` (shape ``(..., d)``; one point gives a scalar)."""
        x = np.asarray(x, dtype=np.float64)
        if x.shape[-1:] != (self.dim,):
            if self.dim == 1 and (x.ndim == 0 or x.shape[-1] != 1):
                x = x[..., None]
            else:
                raise ValueError(f"x must have last dimension {self.dim}; got shape {x.shape}")
        diff = (x - self.mean).reshape(-1, self.dim)
        y = solve_triangular(self.cholesky_, diff.T, lower=True)
        half_logdet = np.log(np.diag(self.cholesky_)).sum()
        out = -0.5 * (self.dim * _LOG_2PI + (y * y).sum(axis=0)) - half_logdet
        out = out.reshape(x.shape[:-1])
        return out[()] if out.ndim == 0 else out

    def pdf(self, x):
        """Density at the rows of ``x``."""
        return np.exp(self.logpdf(x))

    def rvs(self, size=None, random_state=None):
        """Draws of shape ``(*size, d)`` (``(d,)`` when ``size`` is None)."""
        shape = _check_size(size)
        z = standard_normal((*shape, self.dim), check_random_state(random_state))
        return self.mean + z @ self.cholesky_.T

    def var(self) -> np.ndarray:
        """The diagonal of ``cov``."""
        return np.diag(self.cov).copy()
