r"""Classical hypothesis tests: z, t (one-sample, Welch/pooled, paired), proportions and chi² independence.

Every test reduces the data to a statistic :math:`T` whose distribution under :math:`H_0` is known
(standard normal, Student :math:`t_\nu`, :math:`\chi^2_\nu`) and reports the p-value
:math:`P_{H_0}(T \text{ at least as extreme as observed})`:

* ``"two-sided"``: :math:`2\,P(T \ge |t|)`; ``"greater"`` (statsmodels: ``"larger"``):
  :math:`P(T \ge t)`; ``"less"`` (statsmodels: ``"smaller"``): :math:`P(T \le t)`.

The cdfs are SciPy special functions: ``ndtr`` (normal), ``stdtr`` (Student t), ``chdtrc``
(upper tail of :math:`\chi^2`). Names and defaults follow ``scipy.stats`` (``ttest_*``,
``chi2_contingency``) and ``statsmodels.stats`` (``ztest``, ``proportions_ztest``), except that NaN
in the data is an error by default (``nan_policy="raise"``; SciPy's default is ``"propagate"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import chdtrc, ndtr, stdtr

__all__ = [
    "TestResult",
    "Chi2ContingencyResult",
    "ztest",
    "proportions_ztest",
    "ttest_1samp",
    "ttest_ind",
    "ttest_rel",
    "chi2_contingency",
    "check_alternative",
]

# scipy's names and statsmodels' names for the same one-sided alternatives
_ALTERNATIVES = {
    "two-sided": "two-sided",
    "less": "less",
    "smaller": "less",
    "greater": "greater",
    "larger": "greater",
}
_NAN_POLICIES = ("propagate", "raise", "omit")


@dataclass(frozen=True)
class TestResult:
    """A test's statistic and p-value; unpacks as ``statistic, pvalue`` (like statsmodels' tuples).

    Attributes
    ----------
    statistic : float
        The test statistic (z or t).
    pvalue : float
        The p-value for the chosen alternative.
    df : float or None
        Degrees of freedom of the reference t distribution (``None`` for z-tests).
    """

    __test__ = False  # not a pytest test class despite the name

    statistic: float
    pvalue: float
    df: float | None = None

    def __iter__(self):
        return iter((self.statistic, self.pvalue))


@dataclass(frozen=True)
class Chi2ContingencyResult:
    """Result of :func:`chi2_contingency`; unpacks as ``statistic, pvalue, dof, expected_freq`` like SciPy."""

    statistic: float
    pvalue: float
    dof: int
    expected_freq: np.ndarray

    def __iter__(self):
        return iter((self.statistic, self.pvalue, self.dof, self.expected_freq))


def check_alternative(alternative) -> str:
    """Map ``alternative`` to ``"two-sided"``, ``"less"`` or ``"greater"`` (accepts statsmodels' names)."""
    if alternative not in _ALTERNATIVES:
        raise ValueError(
            "alternative must be one of 'two-sided', 'less' ('smaller'), 'greater' ('larger'); "
            f"got {alternative!r}"
        )
    return _ALTERNATIVES[alternative]


def _pvalue(stat: float, cdf, alternative: str) -> float:
    """Tail probability of ``stat`` under a symmetric null with cdf ``cdf``."""
    if alternative == "less":
        return float(cdf(stat))
    if alternative == "greater":
        return float(cdf(-stat))  # symmetry: P(T >= t) = P(T <= -t), no 1 - cdf cancellation
    return float(2.0 * cdf(-abs(stat)))


def _sample(x, name: str, nan_policy: str, *, min_size: int = 2) -> np.ndarray | None:
    """A 1-d float64 sample; ``None`` means "propagate NaN" (the caller returns a NaN result)."""
    if nan_policy not in _NAN_POLICIES:
        raise ValueError(f"nan_policy must be one of {_NAN_POLICIES}; got {nan_policy!r}")
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric; got {type(x).__name__}") from exc
    if a.ndim != 1:
        raise ValueError(f"{name} must be a 1-d sample; got shape {a.shape}")
    if np.isinf(a).any():
        raise ValueError(f"{name} contains inf")
    nan = np.isnan(a)
    if nan.any():
        if nan_policy == "raise":
            raise ValueError(f"{name} contains NaN (use nan_policy='omit' to drop them)")
        if nan_policy == "propagate":
            return None
        a = a[~nan]
    if a.size < min_size:
        raise ValueError(f"{name} is too small: needs at least {min_size} observations, got {a.size}")
    return a


def _nonzero(se: float, what: str) -> None:
    if not se > 0:
        raise ValueError(f"zero variance: {what} is constant, so the standard error is 0")


def _nan(df=None) -> TestResult:
    return TestResult(np.nan, np.nan, df)


# ---------------------------------------------------------------- z-tests
def ztest(x1, x2=None, value=0.0, alternative="two-sided", usevar="pooled", ddof=1.0, nan_policy="raise"):
    r"""z-test for a mean (one sample) or a difference of means (two independent samples).

    One sample: :math:`z = (\bar x_1 - \text{value}) / \sqrt{\hat\sigma^2_1 / (n_1 - \text{ddof})}`
    with :math:`\hat\sigma^2` the biased (``ddof=0``) variance, i.e. the usual :math:`s/\sqrt n` at
    ``ddof=1``. Two samples: :math:`z = (\bar x_1 - \bar x_2 - \text{value}) / \mathrm{SE}`, with the
    pooled or the unequal-variance standard error. The variance is *estimated*, so this is the
    large-sample approximation of the t-test (statsmodels' ``ztest``).

    Parameters
    ----------
    x1 : array-like of shape (n1,)
        First sample.
    x2 : array-like of shape (n2,), optional
        Second, independent sample; ``None`` for the one-sample test.
    value : float, default=0.0
        Mean (one sample) or difference of means ``mean(x1) - mean(x2)`` under :math:`H_0`.
    alternative : {"two-sided", "larger", "smaller", "greater", "less"}, default="two-sided"
        :math:`H_1`; statsmodels' and SciPy's names are both accepted.
    usevar : {"pooled", "unequal"}, default="pooled"
        Two samples: pool the variances or not.
    ddof : float, default=1.0
        Degrees-of-freedom correction of the variance of the mean.
    nan_policy : {"raise", "omit", "propagate"}, default="raise"
        What NaN in the data does.

    Returns
    -------
    TestResult
        ``statistic`` (z) and ``pvalue``; unpacks as a pair.

    Examples
    --------
    >>> z, p = ztest([2.1, 1.9, 2.4, 2.2, 1.8], value=2.0)
    >>> round(z, 4), round(p, 4)
    (0.7493, 0.4537)
    """
    alt = check_alternative(alternative)
    if usevar not in ("pooled", "unequal"):
        raise ValueError(f"usevar must be 'pooled' or 'unequal'; got {usevar!r}")
    a = _sample(x1, "x1", nan_policy)
    b = None if x2 is None else _sample(x2, "x2", nan_policy)
    if a is None or (x2 is not None and b is None):
        return _nan()
    n1, var1 = a.size, a.var()
    if b is None:
        var, mean2 = var1 / (n1 - ddof), 0.0
    else:
        n2, var2 = b.size, b.var()
        mean2 = b.mean()
        if usevar == "pooled":
            var = (n1 * var1 + n2 * var2) / (n1 + n2 - 2 * ddof) * (1.0 / n1 + 1.0 / n2)
        else:
            var = var1 / (n1 - ddof) + var2 / (n2 - ddof)
    se = np.sqrt(var)
    _nonzero(se, "the data" if b is None else "each sample")
    z = (a.mean() - mean2 - value) / se
    return TestResult(float(z), _pvalue(z, ndtr, alt))


def proportions_ztest(count, nobs, value=None, alternative="two-sided", prop_var=False):
    r"""z-test for one proportion or the difference of two (statsmodels' ``proportions_ztest``).

    :math:`z = (\hat p - p_0) / \sqrt{\bar p (1 - \bar p) \sum_j 1/n_j}`, where
    :math:`\bar p` is the pooled proportion :math:`\sum_j k_j / \sum_j n_j` (for one sample: the
    sample proportion itself, as in statsmodels), or ``prop_var`` when given.

    Parameters
    ----------
    count : int or array-like of 1 or 2 ints
        Successes in each sample.
    nobs : int or array-like like ``count``
        Trials in each sample.
    value : float, optional
        :math:`p_0` (one sample, required) or the difference :math:`p_1 - p_2` under :math:`H_0`
        (two samples, default 0).
    alternative : {"two-sided", "larger", "smaller", "greater", "less"}, default="two-sided"
    prop_var : float or False, default=False
        Proportion used in the variance instead of the (pooled) sample proportion, e.g. :math:`p_0`
        for the score test.

    Returns
    -------
    TestResult

    Examples
    --------
    >>> z, p = proportions_ztest(15, 20, value=0.5)
    >>> round(z, 4), round(p, 4)
    (2.582, 0.0098)
    """
    alt = check_alternative(alternative)
    count = np.atleast_1d(np.asarray(count, dtype=np.float64))
    nobs = np.atleast_1d(np.asarray(nobs, dtype=np.float64))
    if nobs.size == 1:
        nobs = np.broadcast_to(nobs, count.shape)
    if count.ndim != 1 or count.size not in (1, 2) or nobs.shape != count.shape:
        raise ValueError(
            f"count and nobs must hold 1 or 2 samples of equal length; got {count.shape}, {nobs.shape}"
        )
    if not (np.isfinite(count).all() and np.isfinite(nobs).all()):
        raise ValueError("count and nobs must be finite")
    if (nobs <= 0).any() or (count < 0).any() or (count > nobs).any():
        raise ValueError("need 0 <= count <= nobs and nobs > 0 in every sample")
    prop = count / nobs
    if count.size == 1:
        if value is None:
            raise ValueError("value must be provided for a 1-sample test")
        diff = prop[0] - value
    else:
        diff = prop[0] - prop[1] - (0.0 if value is None else value)
    p_pooled = count.sum() / nobs.sum()
    if prop_var is not False:
        if not 0 < prop_var < 1:
            raise ValueError(f"prop_var must be a probability in (0, 1); got {prop_var}")
        p_pooled = prop_var
    se = np.sqrt(p_pooled * (1 - p_pooled) * np.sum(1.0 / nobs))
    _nonzero(se, "the outcome (all successes or all failures)")
    z = diff / se
    return TestResult(float(z), _pvalue(z, ndtr, alt))


# ---------------------------------------------------------------- t-tests
def _t_result(t: float, df: float, alt: str) -> TestResult:
    return TestResult(float(t), _pvalue(t, lambda s: stdtr(df, s), alt), float(df))


def ttest_1samp(a, popmean, alternative="two-sided", nan_policy="raise"):
    r"""One-sample t-test: :math:`t = (\bar x - \mu_0) / (s / \sqrt n)` on :math:`n - 1` df.

    Parameters
    ----------
    a : array-like of shape (n,)
        The sample, :math:`n \ge 2`.
    popmean : float
        :math:`\mu_0`, the mean under :math:`H_0`.
    alternative : {"two-sided", "less", "greater"}, default="two-sided"
    nan_policy : {"raise", "omit", "propagate"}, default="raise"

    Returns
    -------
    TestResult
        ``statistic``, ``pvalue`` and ``df``.

    Examples
    --------
    >>> res = ttest_1samp([5.1, 4.9, 5.6, 5.8, 6.0], 5.0)
    >>> round(res.statistic, 4), round(res.pvalue, 4), res.df
    (2.3041, 0.0826, 4.0)
    """
    alt = check_alternative(alternative)
    x = _sample(a, "a", nan_policy)
    if x is None:
        return _nan()
    n = x.size
    se = np.sqrt(x.var(ddof=1) / n)
    _nonzero(se, "the sample")
    return _t_result((x.mean() - popmean) / se, n - 1, alt)


def ttest_ind(a, b, equal_var=True, alternative="two-sided", nan_policy="raise"):
    r"""Two independent samples: Student's pooled t-test or Welch's unequal-variance test.

    Pooled (``equal_var=True``): :math:`s_p^2 = \frac{(n_1-1)s_1^2 + (n_2-1)s_2^2}{n_1+n_2-2}`,
    :math:`t = (\bar a - \bar b)/\sqrt{s_p^2(1/n_1 + 1/n_2)}` on :math:`n_1 + n_2 - 2` df.
    Welch: :math:`t = (\bar a - \bar b)/\sqrt{s_1^2/n_1 + s_2^2/n_2}` on the Welch–Satterthwaite df
    :math:`\nu = (v_1 + v_2)^2 / (v_1^2/(n_1-1) + v_2^2/(n_2-1))`, :math:`v_j = s_j^2/n_j`.

    Parameters
    ----------
    a, b : array-like of shapes (n1,), (n2,)
        The samples, each with at least 2 observations.
    equal_var : bool, default=True
        Pool the variances (Student) or not (Welch).
    alternative : {"two-sided", "less", "greater"}, default="two-sided"
        :math:`H_1` about :math:`\mu_a - \mu_b`.
    nan_policy : {"raise", "omit", "propagate"}, default="raise"

    Returns
    -------
    TestResult

    Examples
    --------
    >>> res = ttest_ind([1.0, 2.0, 3.0, 4.0], [3.0, 4.5, 5.0, 6.5], equal_var=False)
    >>> round(res.statistic, 4), round(res.df, 4)
    (-2.3238, 5.9268)
    """
    alt = check_alternative(alternative)
    x, y = _sample(a, "a", nan_policy), _sample(b, "b", nan_policy)
    if x is None or y is None:
        return _nan()
    n1, n2 = x.size, y.size
    v1, v2 = x.var(ddof=1), y.var(ddof=1)
    if equal_var:
        df = n1 + n2 - 2.0
        se = np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / df * (1.0 / n1 + 1.0 / n2))
        _nonzero(se, "each sample")
    else:
        vn1, vn2 = v1 / n1, v2 / n2
        se = np.sqrt(vn1 + vn2)
        _nonzero(se, "each sample")
        df = (vn1 + vn2) ** 2 / (vn1**2 / (n1 - 1) + vn2**2 / (n2 - 1))
    return _t_result((x.mean() - y.mean()) / se, df, alt)


def ttest_rel(a, b, alternative="two-sided", nan_policy="raise"):
    r"""Paired t-test: the one-sample t-test of the differences :math:`d_i = a_i - b_i` against 0.

    Parameters
    ----------
    a, b : array-like of shape (n,)
        Paired observations (same units, same order).
    alternative : {"two-sided", "less", "greater"}, default="two-sided"
    nan_policy : {"raise", "omit", "propagate"}, default="raise"
        ``"omit"`` drops every pair with a NaN on either side.

    Returns
    -------
    TestResult

    Examples
    --------
    >>> res = ttest_rel([5.0, 6.1, 7.2, 6.8], [4.6, 5.9, 6.1, 6.0])
    >>> round(res.statistic, 4), res.df
    (3.1009, 3.0)
    """
    alt = check_alternative(alternative)
    if nan_policy not in _NAN_POLICIES:
        raise ValueError(f"nan_policy must be one of {_NAN_POLICIES}; got {nan_policy!r}")
    # NaNs are kept here so that the pairs stay aligned; d = a - b is NaN where either side is
    _sample(a, "a", "propagate", min_size=0)  # type, shape and inf checks only
    _sample(b, "b", "propagate", min_size=0)
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"a and b must be paired samples of the same length; got {x.shape} and {y.shape}")
    d = x - y
    if nan_policy == "omit":
        d = d[~np.isnan(d)]
    elif np.isnan(d).any() and nan_policy == "raise":
        raise ValueError("a or b contains NaN (use nan_policy='omit' to drop those pairs)")
    return ttest_1samp(d, 0.0, alternative=alt, nan_policy="propagate")


# ---------------------------------------------------------------- chi² test of independence
def chi2_contingency(observed, correction=True):
    r"""Pearson's :math:`\chi^2` test of independence of the rows and columns of a contingency table.

    Under independence the expected count is :math:`E_{ij} = r_i c_j / N` (row total × column total
    / grand total), and :math:`X^2 = \sum_{ij} (O_{ij} - E_{ij})^2 / E_{ij}` is approximately
    :math:`\chi^2` on :math:`(R-1)(C-1)` df. With one degree of freedom (a 2×2 table) and
    ``correction=True``, Yates' continuity correction first moves each :math:`O_{ij}` by
    :math:`\min(0.5, |O_{ij} - E_{ij}|)` towards :math:`E_{ij}` (SciPy's default).

    Parameters
    ----------
    observed : array-like of shape (R, C)
        Non-negative counts; no row or column may be all zero.
    correction : bool, default=True
        Apply Yates' correction when dof == 1.

    Returns
    -------
    Chi2ContingencyResult
        ``statistic``, ``pvalue``, ``dof``, ``expected_freq``.

    Examples
    --------
    >>> res = chi2_contingency([[10, 20], [30, 25]])
    >>> round(res.statistic, 4), res.dof
    (2.7062, 1)
    """
    try:
        obs = np.asarray(observed, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError("observed must be a numeric table of counts") from exc
    if obs.ndim != 2 or min(obs.shape) < 1:
        raise ValueError(f"observed must be a 2-d table; got shape {obs.shape}")
    if not np.isfinite(obs).all():
        raise ValueError("observed contains NaN or inf")
    if (obs < 0).any():
        raise ValueError("observed must hold non-negative counts")
    rows, cols = obs.sum(axis=1), obs.sum(axis=0)
    if (rows == 0).any() or (cols == 0).any():
        raise ValueError("observed has a row or column of zeros: its expected frequencies would be 0")
    expected = np.outer(rows, cols) / obs.sum()
    dof = (obs.shape[0] - 1) * (obs.shape[1] - 1)
    if dof == 0:  # a single row or column: observed == expected
        return Chi2ContingencyResult(0.0, 1.0, 0, expected)
    if dof == 1 and correction:
        diff = expected - obs
        obs = obs + np.sign(diff) * np.minimum(0.5, np.abs(diff))
    stat = float(np.sum((obs - expected) ** 2 / expected))
    return Chi2ContingencyResult(stat, float(chdtrc(dof, stat)), dof, expected)
