r"""Maximum likelihood from scratch: closed forms, BFGS on our log-likelihood, Fisher information, LR tests.

For i.i.d. data the log-likelihood is :math:`\ell(\theta) = \sum_i \log f(x_i; \theta)` and the MLE
:math:`\hat\theta = \arg\max \ell`. Where the score equation :math:`\nabla\ell = 0` solves by hand
(Normal, Bernoulli, Poisson, Exponential, multivariate Normal) :func:`fit` returns the formula;
otherwise (Gamma, Beta, Student t location-scale) it minimises :math:`-\ell/n` with our own
:func:`~mlweekly.mathematical_foundations.optimisers.bfgs`, in coordinates where positive
parameters are logs (so the search is unconstrained) and the analytic score gives the gradient.

Standard errors are the square roots of the diagonal of the inverse *observed* information
:math:`J(\hat\theta) = -\nabla^2\ell(\hat\theta)` — analytic for every family but Student t, whose
Hessian is the central difference of the analytic score.

Parameter names and order follow ``scipy.stats.<dist>.fit`` with ``loc`` fixed at 0 where scipy
needs ``floc=0`` (``expon``, ``gamma``, ``beta`` with ``fscale=1`` too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq
from scipy.special import digamma, polygamma

from mlweekly.mathematical_foundations.optimisers import OptimizeResult, bfgs

from . import distributions as D

__all__ = [
    "FAMILIES",
    "MLEResult",
    "MVNFit",
    "fit",
    "fit_multivariate_normal",
    "loglik",
    "score",
    "observed_information",
    "profile_loglik",
    "profile_interval",
    "LikelihoodRatioTest",
    "likelihood_ratio_test",
]


# ---------------------------------------------------------------- the families: log-density, score, forms
def _t_score(p, x):
    nu, mu, s = p
    z = (x - mu) / s
    r = nu + z * z
    d_nu = 0.5 * (digamma(0.5 * (nu + 1)) - digamma(0.5 * nu) - 1 / nu - np.log1p(z * z / nu)) + (
        (nu + 1) * z * z / (2 * nu * r)
    )
    return np.array([d_nu, (nu + 1) * z / (s * r), -1 / s + (nu + 1) * z * z / (s * r)])


def _gamma_info(p, x):
    a, s = p
    n = x.size
    return np.array([[n * polygamma(1, a), n / s], [n / s, 2 * x.sum() / s**3 - n * a / s**2]])


def _beta_info(p, x):
    a, b = p
    n, tab = x.size, polygamma(1, a + b)
    return n * np.array([[polygamma(1, a) - tab, -tab], [-tab, polygamma(1, b) - tab]])


def _robust_start(x):
    med = np.median(x)
    mad = 1.4826 * np.median(np.abs(x - med))
    return np.array([5.0, med, mad if mad > 0 else x.std()])


def _moment_start(x):
    m, v = x.mean(), x.var()
    return np.array([m * m / v, v / m])


def _beta_start(x):
    m, v = x.mean(), x.var()
    c = m * (1 - m) / v - 1  # method of moments: a + b = m(1-m)/v - 1
    return np.array([m * c, (1 - m) * c]) if c > 0 else np.array([1.0, 1.0])


@dataclass(frozen=True)
class _Family:
    names: tuple[str, ...]
    positive: tuple[bool, ...]  # optimised on the log scale
    dist: Callable  # params -> frozen distribution
    score_obs: Callable  # (params, x) -> array (k, n)
    support: str
    closed_form: Callable | None = None  # x -> params
    information: Callable | None = None  # (params, x) -> J, analytic
    start: Callable | None = None  # x -> params
    # optional (to_q, from_q, dp_dq): optimise over q instead, e.g. orthogonal parameters
    reparam: tuple[Callable, Callable, Callable] | None = None


FAMILIES: dict[str, _Family] = {
    "norm": _Family(
        ("loc", "scale"),
        (False, True),
        lambda p: D.norm(*p),
        lambda p, x: np.array([(x - p[0]) / p[1] ** 2, -1 / p[1] + (x - p[0]) ** 2 / p[1] ** 3]),
        "real",
        closed_form=lambda x: np.array([x.mean(), np.sqrt(np.mean((x - x.mean()) ** 2))]),
        information=lambda p, x: np.diag([x.size / p[1] ** 2, 2 * x.size / p[1] ** 2]),
    ),
    "bernoulli": _Family(
        ("p",),
        (False,),
        lambda p: D.bernoulli(*p),
        lambda p, x: np.array([x / p[0] - (1 - x) / (1 - p[0])]),
        "binary",
        closed_form=lambda x: np.array([x.mean()]),
        information=lambda p, x: np.array([[x.size / (p[0] * (1 - p[0]))]]),
    ),
    "poisson": _Family(
        ("mu",),
        (True,),
        lambda p: D.poisson(*p),
        lambda p, x: np.array([x / p[0] - 1]),
        "count",
        closed_form=lambda x: np.array([x.mean()]),
        information=lambda p, x: np.array([[x.sum() / p[0] ** 2]]),
    ),
    "expon": _Family(
        ("scale",),
        (True,),
        lambda p: D.expon(0.0, *p),
        lambda p, x: np.array([x / p[0] ** 2 - 1 / p[0]]),
        "non-negative",
        closed_form=lambda x: np.array([x.mean()]),
        information=lambda p, x: np.array([[2 * x.sum() / p[0] ** 3 - x.size / p[0] ** 2]]),
    ),
    "gamma": _Family(
        ("a", "scale"),
        (True, True),
        lambda p: D.gamma(p[0], 0.0, p[1]),
        lambda p, x: np.array([np.log(x) - digamma(p[0]) - np.log(p[1]), x / p[1] ** 2 - p[0] / p[1]]),
        "positive",
        information=_gamma_info,
        start=_moment_start,
        # (a, mean = a*scale) are orthogonal (Cox & Reid 1987): a diagonal information, no ridge for BFGS
        reparam=(
            lambda p: np.array([p[0], p[0] * p[1]]),
            lambda q: np.array([q[0], q[1] / q[0]]),
            lambda q: np.array([[1.0, 0.0], [-q[1] / q[0] ** 2, 1.0 / q[0]]]),
        ),
    ),
    "beta": _Family(
        ("a", "b"),
        (True, True),
        lambda p: D.beta(*p),
        lambda p, x: np.array(
            [
                np.log(x) - digamma(p[0]) + digamma(p[0] + p[1]),
                np.log1p(-x) - digamma(p[1]) + digamma(p[0] + p[1]),
            ]
        ),
        "unit interval",
        information=_beta_info,
        start=_beta_start,
    ),
    "t": _Family(
        ("df", "loc", "scale"),
        (True, False, True),
        lambda p: D.t(*p),
        _t_score,
        "real",
        start=_robust_start,
    ),
}


# ---------------------------------------------------------------- data checks
def _family(name: str) -> _Family:
    if name not in FAMILIES:
        raise ValueError(f"family must be one of {sorted(FAMILIES)}; got {name!r}")
    return FAMILIES[name]


def _check_nan_policy(nan_policy: str) -> None:
    if nan_policy not in ("propagate", "raise", "omit"):
        raise ValueError(f"nan_policy must be 'propagate', 'raise' or 'omit'; got {nan_policy!r}")


def _check_data(x, fam: _Family, nan_policy: str) -> tuple[np.ndarray, bool]:
    """Return the data as float64 1-d and whether it holds a NaN to propagate."""
    _check_nan_policy(nan_policy)
    try:
        x = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"data must be numeric; {exc}") from None
    if x.ndim != 1:
        raise ValueError(f"data must be 1-d; got shape {x.shape}")
    nan = np.isnan(x)
    if nan.any():
        if nan_policy == "raise":
            raise ValueError(f"data contains {int(nan.sum())} NaN; pass nan_policy='omit' to drop them")
        if nan_policy == "propagate":
            return x, True
        x = x[~nan]
    if x.size == 0:
        raise ValueError("data is empty: the likelihood needs at least one observation")
    if np.isinf(x).any():
        raise ValueError("data contains inf")
    rule = {
        "positive": (x > 0, "every observation must be > 0"),
        "non-negative": (x >= 0, "every observation must be >= 0"),
        "unit interval": ((x > 0) & (x < 1), "every observation must lie in the open interval (0, 1)"),
        "binary": ((x == 0) | (x == 1), "every observation must be 0 or 1"),
        "count": ((x >= 0) & (x == np.floor(x)), "every observation must be an integer >= 0"),
        "real": (np.ones(x.size, bool), ""),
    }[fam.support]
    if not rule[0].all():
        bad = x[~rule[0]][0]
        raise ValueError(f"{rule[1]} for this family; got {bad:g}")
    if fam.support in ("real", "positive", "unit interval") and np.ptp(x) == 0:
        raise ValueError("zero variance: all observations are equal, so the likelihood has no maximum")
    if fam.support == "non-negative" and not x.any():
        raise ValueError("zero variance: all observations are 0, so the MLE of scale is 0")
    return x, False


# ---------------------------------------------------------------- likelihood, score, information
def loglik(family: str, params, data) -> float:
    """Log-likelihood :math:`\\sum_i \\log f(x_i; \\theta)` with our distributions (scipy's order)."""
    fam = _family(family)
    x = np.asarray(data, dtype=np.float64)
    dist = fam.dist(np.asarray(params, dtype=np.float64))
    return float(np.sum(dist.logpmf(x) if hasattr(dist, "logpmf") else dist.logpdf(x)))


def score(family: str, params, data) -> np.ndarray:
    """The score :math:`\\nabla_\\theta \\ell` (analytic), in the natural parameters."""
    return (
        _family(family).score_obs(np.asarray(params, dtype=np.float64), np.asarray(data, float)).sum(axis=1)
    )


def observed_information(family: str, params, data) -> np.ndarray:
    r"""Observed Fisher information :math:`J(\theta) = -\nabla^2 \ell(\theta)`.

    Analytic where the family has it; otherwise central differences of the analytic score with steps
    :math:`h_j = 10^{-5}\max(|\theta_j|, 1)` (truncation :math:`O(h^2)` ~ 1e-10 relative), symmetrised.
    """
    fam = _family(family)
    p = np.asarray(params, dtype=np.float64)
    x = np.asarray(data, dtype=np.float64)
    if fam.information is not None:
        return np.asarray(fam.information(p, x), dtype=np.float64)
    k = p.size
    H = np.empty((k, k))
    for j in range(k):
        h = 1e-5 * max(abs(p[j]), 1.0)
        e = np.zeros(k)
        e[j] = h
        H[:, j] = (score(family, p + e, x) - score(family, p - e, x)) / (2 * h)
    return -0.5 * (H + H.T)


# ---------------------------------------------------------------- optimisation in unconstrained coordinates
def _maximise(fam: _Family, x, start, fixed: dict[int, float], tol: float, max_iter: int):
    """BFGS on -ℓ/n over the free parameters; θ_j = log(p_j/p0_j) or (p_j - p0_j)/unit."""
    start = np.asarray(start, dtype=np.float64)
    to_q, from_q, dp_dq = fam.reparam if fam.reparam and not fixed else (_same, _same, _eye)
    start = to_q(start)
    free = [j for j in range(start.size) if j not in fixed]
    pos = np.array(fam.positive)[free]
    unit = start[-1] if fam.positive[-1] else 1.0  # the scale sets the unit of a location
    base = start.copy()
    for j, v in fixed.items():
        base[j] = v

    def params(theta):
        p = base.copy()
        p[free] = np.where(pos, base[free] * np.exp(theta), base[free] + unit * theta)
        return p

    def nll(theta):
        return -loglik_fn(from_q(params(theta))) / x.size

    def grad(theta):
        q = params(theta)
        g = (dp_dq(q).T @ fam.score_obs(from_q(q), x).sum(axis=1))[free] / x.size
        return -g * np.where(pos, q[free], unit)  # chain rule: dq/dθ

    dist_cache = fam.dist

    def loglik_fn(p):
        try:
            d = dist_cache(p)
        except ValueError:
            return -np.inf
        return float(np.sum(d.logpmf(x) if hasattr(d, "logpmf") else d.logpdf(x)))

    res = bfgs(nll, np.zeros(len(free)), grad, max_iter=max_iter, tol=tol)
    return from_q(params(res.x)), res


def _newton_polish(family: str, p, x, tol: float, steps: int = 4):
    """Newton steps on the score, :math:`p \\leftarrow p + J^{-1} \\nabla\\ell`, from BFGS's last point.

    Near the optimum :math:`-\\ell/n` changes by less than its own rounding error, so a line search
    on it stalls (at :math:`|\\nabla| \\sim 10^{-8}`); the score has no such cancellation and Newton
    converges quadratically from there. Returns the point and whether the score met ``tol``.
    """
    fam = FAMILIES[family]
    pos = np.array(fam.positive)
    for _ in range(steps):
        step = np.linalg.solve(observed_information(family, p, x), score(family, p, x))
        if np.any(pos & (p + step <= 0)):
            break
        p = p + step
    g = score(family, p, x) / x.size * np.where(pos, p, 1.0)  # gradient in log coordinates
    return p, bool(np.max(np.abs(g)) <= tol)


def _same(p):
    return p


def _eye(q):
    return np.eye(q.size)


# ---------------------------------------------------------------- results
@dataclass
class MLEResult:
    """What :func:`fit` found.

    Attributes
    ----------
    family : str
    names : tuple of str
        Parameter names, in scipy's order.
    params : ndarray
        The MLE :math:`\\hat\\theta`.
    loglik : float
        :math:`\\ell(\\hat\\theta)`.
    nobs : int
    cov : ndarray
        :math:`J(\\hat\\theta)^{-1}`, the estimated covariance of :math:`\\hat\\theta`.
    method : str
        ``"closed form"`` or ``"bfgs"``.
    optimizer : OptimizeResult or None
        The BFGS run (iterates included) for numerical fits.
    """

    family: str
    names: tuple[str, ...]
    params: np.ndarray
    loglik: float
    nobs: int
    cov: np.ndarray
    method: str
    optimizer: OptimizeResult | None = field(default=None, repr=False)

    @property
    def bse(self) -> np.ndarray:
        """Standard errors :math:`\\sqrt{\\mathrm{diag}\\,J^{-1}}` (statsmodels' name)."""
        return np.sqrt(np.diag(self.cov))

    def dist(self):
        """The fitted frozen distribution."""
        return FAMILIES[self.family].dist(self.params)

    def wald_interval(self, confidence: float = 0.95) -> np.ndarray:
        """:math:`\\hat\\theta_j \\pm z_{1-\\alpha/2}\\,\\mathrm{SE}_j`, one row per parameter."""
        z = D.norm().isf((1 - confidence) / 2)
        return np.column_stack([self.params - z * self.bse, self.params + z * self.bse])


def fit(
    family: str, data, *, nan_policy: str = "raise", tol: float = 1e-8, max_iter: int = 1000
) -> MLEResult:
    """Maximum-likelihood fit of a family to 1-d data.

    Parameters
    ----------
    family : {"norm", "bernoulli", "poisson", "expon", "gamma", "beta", "t"}
        ``expon`` and ``gamma`` have ``loc`` fixed at 0, ``beta`` lives on (0, 1).
    data : array-like of shape (n,)
    nan_policy : {"raise", "omit", "propagate"}, default="raise"
        What a NaN in ``data`` does: an error, dropped, or a result full of NaN.
    tol : float, default=1e-8
        Gradient tolerance of BFGS on :math:`-\\ell/n` in the log/standardised coordinates. Much
        smaller is out of reach: near the optimum :math:`-\\ell/n` changes by :math:`\\sim g^2`, below
        its rounding error, and the line search can no longer see a decrease.
    max_iter : int, default=1000

    Returns
    -------
    MLEResult

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.statistical_theory.mle import fit
    >>> res = fit("norm", np.array([1.0, 2.0, 3.0, 6.0]))
    >>> res.params.round(6).tolist(), res.bse.round(6).tolist()
    ([3.0, 1.870829], [0.935414, 0.661438])
    """
    fam = _family(family)
    x, has_nan = _check_data(data, fam, nan_policy)
    k = len(fam.names)
    if has_nan:
        nan = np.full(k, np.nan)
        return MLEResult(family, fam.names, nan, np.nan, x.size, np.full((k, k), np.nan), "propagate")
    opt = None
    if fam.closed_form is not None:
        params, method = fam.closed_form(x), "closed form"
    else:
        params, opt = _maximise(fam, x, fam.start(x), {}, tol, max_iter)
        method = "bfgs"
        if not opt.success and "line search" in opt.message:
            params, polished = _newton_polish(family, params, x, tol)
            if polished:
                opt.success, method = True, "bfgs + newton"
        if not opt.success and family == "t" and params[0] > 100:
            raise ValueError(
                f"the t likelihood keeps rising as df -> inf (df = {params[0]:.3g} when BFGS stopped): "
                "the data are no heavier-tailed than a Normal, whose MLE is the limit; fit 'norm' instead"
            )
        if not opt.success:
            raise RuntimeError(f"BFGS did not converge for {family}: {opt.message}")
    J = observed_information(family, params, x)
    with np.errstate(divide="ignore"):
        cov = np.linalg.inv(J) if np.all(np.isfinite(J)) else np.full((k, k), np.nan)
    return MLEResult(family, fam.names, params, loglik(family, params, x), x.size, cov, method, opt)


@dataclass
class MVNFit:
    r"""MLE of :math:`N_d(\mu, \Sigma)`.

    :math:`\hat\mu = \bar x`, :math:`\hat\Sigma = \frac1n\sum_i(x_i-\bar x)(x_i-\bar x)^\top`.
    """

    mean: np.ndarray
    cov: np.ndarray
    loglik: float
    nobs: int

    @property
    def mean_bse(self) -> np.ndarray:
        """Standard errors of :math:`\\hat\\mu`: :math:`\\sqrt{\\hat\\Sigma_{jj}/n}`."""
        return np.sqrt(np.diag(self.cov) / self.nobs)


def fit_multivariate_normal(X, *, nan_policy: str = "raise") -> MVNFit:
    """Closed-form MLE of a multivariate normal from the rows of ``X`` (n, d); ``omit`` drops NaN rows."""
    _check_nan_policy(nan_policy)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-d (n, d); got shape {X.shape}")
    bad = np.isnan(X).any(axis=1)
    if bad.any():
        if nan_policy == "raise":
            raise ValueError(f"X has {int(bad.sum())} rows with NaN; pass nan_policy='omit' to drop them")
        if nan_policy == "propagate":
            d = X.shape[1]
            return MVNFit(np.full(d, np.nan), np.full((d, d), np.nan), np.nan, X.shape[0])
        X = X[~bad]
    if X.shape[0] == 0:
        raise ValueError("X is empty: the likelihood needs at least one observation")
    mean = X.mean(axis=0)
    C = X - mean
    cov = C.T @ C / X.shape[0]
    try:  # a singular sample covariance (n <= d, or collinear columns) has no finite likelihood
        dist = D.multivariate_normal(mean, cov)
    except ValueError as exc:
        raise ValueError(
            f"the MLE covariance is singular ({exc}); need n > d and no collinear columns"
        ) from None
    return MVNFit(mean, cov, float(dist.logpdf(X).sum()), X.shape[0])


# ---------------------------------------------------------------- profiles and the likelihood-ratio test
def profile_loglik(result: MLEResult, data, name: str, values, *, tol: float = 1e-8) -> np.ndarray:
    r"""Profile log-likelihood :math:`\ell_p(\psi) = \max_{\lambda} \ell(\psi, \lambda)` at ``values``.

    The other parameters are re-optimised by BFGS for each fixed value of ``name``, warm-started at
    the MLE.
    """
    fam = _family(result.family)
    if name not in fam.names:
        raise ValueError(f"name must be one of {fam.names}; got {name!r}")
    j = fam.names.index(name)
    x, _ = _check_data(data, fam, "omit")
    out = []
    for v in np.atleast_1d(np.asarray(values, dtype=np.float64)):
        if len(fam.names) == 1:
            out.append(loglik(result.family, [v], x))
            continue
        p, res = _maximise(fam, x, result.params, {j: v}, tol, 1000)
        out.append(loglik(result.family, p, x))
    return np.array(out)


def profile_interval(result: MLEResult, data, name: str, confidence: float = 0.95) -> tuple[float, float]:
    r"""Likelihood-ratio interval :math:`\{\psi : 2(\ell(\hat\theta) - \ell_p(\psi)) \le \chi^2_{1,c}\}`.

    Here :math:`c` is the ``confidence`` quantile of :math:`\chi^2_1`. Each end is a root (``brentq``)
    of the profile deviance minus :math:`c`, bracketed by stepping out from the MLE in Wald standard errors.
    """
    j = result.names.index(name)
    crit = D.chi2(1).ppf(confidence)
    est, se = result.params[j], result.bse[j]

    def gap(v):
        return 2 * (result.loglik - profile_loglik(result, data, name, [v])[0]) - crit

    ends = []
    for sign in (-1, 1):
        step, lo = se, est
        hi = est + sign * step
        while gap(hi) < 0:
            lo, step = hi, 2 * step
            hi = est + sign * step
            if FAMILIES[result.family].positive[j] and hi <= 0:
                hi = lo / 2 if lo > 0 else est / 2
                step = est - hi
        ends.append(brentq(gap, min(lo, hi), max(lo, hi), xtol=1e-12 * max(abs(est), 1), rtol=1e-12))
    return ends[0], ends[1]


@dataclass(frozen=True)
class LikelihoodRatioTest:
    """Result of :func:`likelihood_ratio_test`: Wilks' statistic, its degrees of freedom and p-value."""

    statistic: float
    df: int
    pvalue: float


def likelihood_ratio_test(loglik_full: float, loglik_restricted: float, df: int) -> LikelihoodRatioTest:
    r"""Wilks' test of a nested model: :math:`\Lambda = 2(\ell_{\text{full}} - \ell_{\text{restricted}})
    \sim \chi^2_{df}` under the restricted model (regular case: the null value inside the parameter space).
    """
    if isinstance(df, bool) or int(df) != df or df < 1:
        raise ValueError(f"df must be an integer >= 1 (the number of restrictions); got {df!r}")
    stat = 2.0 * (float(loglik_full) - float(loglik_restricted))
    if not np.isfinite(stat):
        raise ValueError("the log-likelihoods must be finite")
    if stat < -1e-8 * max(1.0, abs(loglik_full)):
        raise ValueError(
            "loglik_full is smaller than loglik_restricted: the full model must contain the restricted one "
            "and be maximised"
        )
    stat = max(stat, 0.0)
    return LikelihoodRatioTest(stat, int(df), float(D.chi2(df).sf(stat)))
