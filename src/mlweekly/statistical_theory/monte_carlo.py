r"""Posterior expectations by Monte Carlo: plain, importance and rejection sampling.

Every estimate carries its standard error, which shrinks like :math:`1/\sqrt{n}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .bayes import _check_vector

__all__ = [
    "MonteCarloEstimate",
    "monte_carlo",
    "running_monte_carlo",
    "importance_sampling",
    "rejection_sample",
]


@dataclass(frozen=True)
class MonteCarloEstimate:
    r"""An expectation estimated from samples, with its standard error.

    Attributes
    ----------
    estimate : float
    std_error : float
        Estimated standard deviation of ``estimate`` over repetitions, :math:`\hat\sigma/\sqrt{n_{eff}}`.
    n : int
        Number of draws.
    ess : float
        Effective sample size (``n`` for independent equally weighted draws).
    """

    estimate: float
    std_error: float
    n: int
    ess: float

    def interval(self, k: float = 2.0) -> tuple[float, float]:
        """``estimate ± k * std_error`` (k=2 is a ~95% interval by the central limit theorem)."""
        return self.estimate - k * self.std_error, self.estimate + k * self.std_error


def _check_draws(values, name: str = "values") -> np.ndarray:
    v = _check_vector(values, name)
    if v.size < 2:
        raise ValueError(f"{name} needs at least 2 draws to estimate a standard error; got {v.size}")
    return v


def monte_carlo(values) -> MonteCarloEstimate:
    r"""Plain Monte Carlo: the sample mean of ``f(theta_i)`` with ``theta_i`` drawn from the target.

    Parameters
    ----------
    values : array-like of shape (n,)
        ``f`` evaluated at independent draws.

    Returns
    -------
    MonteCarloEstimate
        Mean, and standard error :math:`s/\sqrt{n}` with the ``ddof=1`` sample deviation.

    Examples
    --------
    >>> est = monte_carlo(np.random.default_rng(0).uniform(size=10_000))
    >>> abs(est.estimate - 0.5) < 4 * est.std_error
    True
    """
    v = _check_draws(values)
    n = v.size
    return MonteCarloEstimate(float(v.mean()), float(v.std(ddof=1) / np.sqrt(n)), n, float(n))


def running_monte_carlo(values) -> tuple[np.ndarray, np.ndarray]:
    """Estimate and standard error after each of the first ``n = 1, 2, ...`` draws.

    Returns
    -------
    estimates, std_errors : ndarray of shape (n,)
        ``std_errors[0]`` is ``nan`` (one draw says nothing about the spread).
    """
    v = _check_vector(values, "values")
    n = np.arange(1, v.size + 1)
    mean = np.cumsum(v) / n
    # running variance from cumulative sums of draws shifted by the first one (avoids cancellation)
    sq = np.cumsum((v - v[0]) ** 2) / n - (mean - v[0]) ** 2
    var = np.full(v.size, np.nan)
    var[1:] = np.maximum(sq[1:], 0) * n[1:] / (n[1:] - 1)
    return mean, np.sqrt(var / n)


def importance_sampling(values, log_weights) -> MonteCarloEstimate:
    r"""Self-normalised importance sampling of :math:`E_p[f]` from draws of a proposal ``q``.

    Parameters
    ----------
    values : array-like of shape (n,)
        ``f(theta_i)`` at draws ``theta_i ~ q``.
    log_weights : array-like of shape (n,)
        :math:`\log \tilde p(\theta_i) - \log q(\theta_i)`; the target may be unnormalised
        (e.g. prior times likelihood), the constant cancels.

    Returns
    -------
    MonteCarloEstimate
        :math:`\hat\mu = \sum_i \bar w_i f_i` with :math:`\bar w_i = w_i/\sum_j w_j`, its
        delta-method standard error :math:`\sqrt{\sum_i \bar w_i^2 (f_i - \hat\mu)^2}`, and the
        effective sample size :math:`1/\sum_i \bar w_i^2`.
    """
    f = _check_draws(values)
    logw = _check_vector(log_weights, "log_weights")
    if logw.shape != f.shape:
        raise ValueError(f"log_weights has shape {logw.shape} but values has shape {f.shape}")
    w = np.exp(logw - logw.max())  # shift before exp: the weights of a sharp posterior underflow
    w /= w.sum()
    mu = float(w @ f)
    return MonteCarloEstimate(mu, float(np.sqrt(w**2 @ (f - mu) ** 2)), f.size, float(1 / (w @ w)))


def rejection_sample(
    log_target: Callable[[np.ndarray], np.ndarray],
    sample_proposal: Callable[[np.random.Generator, int], np.ndarray],
    log_proposal: Callable[[np.ndarray], np.ndarray],
    log_m: float,
    size: int,
    rng: np.random.Generator,
    max_draws: int = 10_000_000,
) -> tuple[np.ndarray, float]:
    r"""Exact draws from an unnormalised density by rejection.

    Draw :math:`\theta \sim q` and keep it with probability :math:`\tilde p(\theta)/(M q(\theta))`;
    the kept draws follow :math:`p` exactly provided :math:`\tilde p \le M q` everywhere.

    Parameters
    ----------
    log_target : callable
        :math:`\log \tilde p`, vectorised.
    sample_proposal : callable
        ``sample_proposal(rng, n)`` returns ``n`` draws of ``q``.
    log_proposal : callable
        :math:`\log q`, vectorised.
    log_m : float
        :math:`\log M`, an upper bound of :math:`\log \tilde p - \log q`.
    size : int
        Number of accepted draws wanted.
    rng : numpy.random.Generator
    max_draws : int, default=10_000_000
        Give up (``RuntimeError``) after this many proposals.

    Returns
    -------
    samples : ndarray of shape (size,)
    acceptance_rate : float
        Accepted / proposed; for a normalised ``q`` it estimates :math:`Z/M` with
        :math:`Z = \int \tilde p`.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
    if not np.isfinite(log_m):
        raise ValueError(f"log_m must be finite; got {log_m}")
    if int(size) != size or size < 1:
        raise ValueError(f"size must be a positive integer; got {size}")
    kept, drawn, n_kept, batch = [], 0, 0, int(size)
    while n_kept < size:
        if drawn >= max_draws:
            raise RuntimeError(f"rejection_sample accepted {n_kept} of {drawn} proposals; raise max_draws")
        theta = np.asarray(sample_proposal(rng, batch), dtype=np.float64)
        log_ratio = log_target(theta) - log_proposal(theta) - log_m
        if (log_ratio > 1e-12).any():
            i = int(np.argmax(log_ratio))
            raise ValueError(
                f"log_m is not an upper bound: log p~ - log q - log_m = {log_ratio[i]:.3g} at {theta[i]:.6g}"
            )
        accept = np.log(rng.uniform(size=batch)) < log_ratio
        kept.append(theta[accept])
        n_kept += int(accept.sum())
        drawn += batch
        rate = max(n_kept, 1) / drawn
        batch = min(int(1.2 * (size - n_kept) / rate) + 100, max_draws)  # aim to finish in one more batch
    return np.concatenate(kept)[:size], n_kept / drawn
