r"""Drift statistics from scratch: two-sample Kolmogorov–Smirnov, chi-square homogeneity, PSI.

Each function compares a *reference* sample (the training data) with a *current* one (logged
requests) for one column:

* :func:`ks_2samp` — :math:`D = \sup_x |F_{ref}(x) - F_{cur}(x)|` with SciPy's p-value: exact
  lattice-path counting (Hodges 1958; Viehmann 2021) when both samples have at most 10 000 values,
  else the one-sample distribution of :math:`D_{\lfloor mn/(m+n) \rceil}` — the choice
  ``scipy.stats.ks_2samp(method="auto")`` makes.
* :func:`chi2_homogeneity` — Pearson's :math:`\chi^2` on the 2×K table of category counts (no Yates
  correction), the test of ``scipy.stats.chi2_contingency(table, correction=False)``.
* :func:`psi` / :func:`psi_categorical` — the population stability index
  :math:`\sum_k (c_k - r_k)\ln(c_k / r_k)` over reference-quantile bins or categories, with empty
  bins' proportions replaced by ``eps`` (1e-4, Evidently's convention) so the logarithm is finite.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> ref, cur = rng.normal(size=500), rng.normal(0.5, 1, size=400)
>>> res = ks_2samp(ref, cur)
>>> res.method, bool(res.pvalue < 1e-6)
('exact', True)
>>> round(psi(ref, ref), 12)
0.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from mlweekly.statistical_theory.hypothesis_tests import chi2_contingency

__all__ = [
    "KSResult", "Chi2Result", "ks_2samp", "chi2_homogeneity", "quantile_edges", "binned_proportions",
    "psi", "psi_categorical", "PSI_EPS",
]  # fmt: skip

MAX_EXACT_N = 10_000  # scipy's 'auto': exact p-value when both samples have at most this many values
PSI_EPS = 1e-4  # proportion given to an empty bin (Evidently's default), keeps ln(c/r) finite


@dataclass(frozen=True)
class KSResult:
    """Two-sample KS test: ``statistic`` D, two-sided ``pvalue``, ``method`` ('exact' or 'asymp')."""

    statistic: float
    pvalue: float
    method: str


@dataclass(frozen=True)
class Chi2Result:
    """Chi-square homogeneity test: ``statistic``, ``pvalue``, ``dof`` and the 2×K ``table``
    (row 0 reference, row 1 current) over ``categories``."""

    statistic: float
    pvalue: float
    dof: int
    categories: list
    table: np.ndarray


def _sample(x, name: str) -> np.ndarray:
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric; got values that are not numbers") from exc
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-d; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf; drop or impute missing values first")
    return arr


# ---------------------------------------------------------------- Kolmogorov–Smirnov
def _p_equal_sizes(n: int, h: int) -> float:
    """P(D_{n,n} >= h/n) = 2 Σ_k (-1)^(k+1) C(2n, n-kh)/C(2n, n), by a Horner scheme (no cancellation)."""
    p = 0.0
    for k in range(n // h, -1, -1):
        j = np.arange(h)
        p = np.prod((n - k * h - j) / (n + k * h + j + 1.0)) * (1.0 - p)
    return 2.0 * p


def _p_outside(m: int, n: int, g: int, h: int) -> float:
    """P(D_{m,n} >= h/lcm): the share of lattice paths (0,0)->(m,n) that leave |x/m - y/n| < h/lcm.

    Counts paths column by column inside the band, but carries 1 - (share inside) directly
    (Viehmann's recursion), so every number stays in [0, 1] and nothing overflows.
    """
    if m < n:
        m, n = n, m
    mg, ng = m // g, n // g
    lo, hi = 0, min(math.ceil(h / mg), n + 1)
    width = hi - lo
    a = np.ones(min(2 * hi + 2, n + 1))
    a[lo:hi] = 0.0
    for i in range(1, m + 1):
        last_lo, last_width = lo, width
        lo = min(max(math.floor((ng * i - h) / mg) + 1, 0), n)
        hi = min(math.ceil((ng * i + h) / mg), n + 1)
        if hi <= lo:
            return 1.0
        val = 0.0 if lo == 0 else 1.0
        for jj in range(hi - lo):  # a sequential recurrence in j: no vectorised form
            j = jj + lo
            val = (a[jj + lo - last_lo] * i + val * j) / (i + j)
            a[jj] = val
        width = hi - lo
        if last_width > width:
            a[width:last_width] = 1.0
    return float(a[hi - lo - 1])


def ks_2samp(reference, current, method: str = "auto") -> KSResult:
    r"""Two-sample Kolmogorov–Smirnov test (two-sided).

    :math:`D = \max_x |F_{ref}(x) - F_{cur}(x)|`, evaluated at every observed value (ties handled
    by right-continuous ECDFs). The exact null distribution counts the monotone lattice paths from
    :math:`(0,0)` to :math:`(m,n)` whose scaled distance from the diagonal reaches
    :math:`h = D\cdot\mathrm{lcm}(m,n)`; it is exact for continuous data and conservative with ties.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        Finite numbers, at least one each.
    method : {'auto', 'exact', 'asymp'}, default='auto'
        'auto' is exact when both sizes are at most 10 000, as in SciPy.

    Returns
    -------
    KSResult
        ``statistic`` (on the lcm grid when exact, as SciPy reports it), ``pvalue``, ``method``.

    Examples
    --------
    >>> ks_2samp([1, 2, 3], [4, 5, 6])
    KSResult(statistic=1.0, pvalue=0.1, method='exact')
    """
    if method not in ("auto", "exact", "asymp"):
        raise ValueError(f"method must be 'auto', 'exact' or 'asymp'; got {method!r}")
    a, b = np.sort(_sample(reference, "reference")), np.sort(_sample(current, "current"))
    m, n = a.size, b.size
    both = np.concatenate([a, b])
    diff = np.searchsorted(a, both, side="right") / m - np.searchsorted(b, both, side="right") / n
    d = float(max(diff.max(), np.clip(-diff.min(), 0, 1)))
    if method == "auto":
        method = "exact" if max(m, n) <= MAX_EXACT_N else "asymp"
    if method == "exact":
        g = math.gcd(m, n)
        lcm = (m // g) * n
        h = round(d * lcm)
        d = h / lcm
        if h == 0:
            return KSResult(d, 1.0, "exact")
        with np.errstate(over="ignore", invalid="ignore"):
            p = _p_equal_sizes(m, h) if m == n else _p_outside(m, n, g, h)
        if 0.0 <= p <= 1.0:
            return KSResult(d, float(p), "exact")
        method = "asymp"  # round-off pushed the count outside [0, 1]: fall back as SciPy does
    # Large samples: D_{m,n} behaves like the one-sample D_N with N = mn/(m+n) (Smirnov); its
    # finite-N survival function is used as a special function.
    en = round(m * n / (m + n))
    return KSResult(d, float(np.clip(stats.kstwo.sf(d, en), 0.0, 1.0)), "asymp")


# ---------------------------------------------------------------- chi-square homogeneity
def _labels(x, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype=object)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-d; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in arr):
        raise ValueError(f"{name} contains missing values; map them to their own category first")
    return arr


def _counts(reference, current) -> tuple[list, np.ndarray]:
    ref, cur = _labels(reference, "reference"), _labels(current, "current")
    cats = sorted(set(ref) | set(cur), key=str)
    index = {c: k for k, c in enumerate(cats)}
    table = np.zeros((2, len(cats)))
    np.add.at(table[0], [index[v] for v in ref], 1)
    np.add.at(table[1], [index[v] for v in cur], 1)
    return cats, table


def chi2_homogeneity(reference, current) -> Chi2Result:
    r"""Pearson's chi-square test that two samples of labels share one category distribution.

    The 2×K table holds each sample's count per category (categories seen in either sample);
    :math:`X^2 = \sum_{ij}(O_{ij} - E_{ij})^2/E_{ij}` with :math:`E_{ij} = r_i c_j / N`, on
    :math:`K - 1` degrees of freedom, without Yates' correction.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        Hashable labels (strings, integers, booleans); no missing values.

    Returns
    -------
    Chi2Result

    Examples
    --------
    >>> res = chi2_homogeneity(["a"] * 30 + ["b"] * 70, ["a"] * 50 + ["b"] * 50)
    >>> round(res.statistic, 4), res.dof
    (8.3333, 1)
    """
    cats, table = _counts(reference, current)
    res = chi2_contingency(table, correction=False)
    return Chi2Result(float(res.statistic), float(res.pvalue), int(res.dof), cats, table)


# ---------------------------------------------------------------- population stability index
def quantile_edges(reference, bins: int = 10) -> np.ndarray:
    """Interior bin edges at the reference's ``1/bins, ..., (bins-1)/bins`` quantiles, duplicates dropped."""
    if not isinstance(bins, (int, np.integer)) or bins < 2:
        raise ValueError(f"bins must be an integer >= 2; got {bins!r}")
    ref = _sample(reference, "reference")
    return np.unique(np.quantile(ref, np.arange(1, bins) / bins))


def _smoothed(counts: np.ndarray, eps: float) -> np.ndarray:
    p = counts / counts.sum()
    return np.where(p == 0, eps, p)


def binned_proportions(reference, current, bins: int = 10, eps: float = PSI_EPS):
    """Reference and current proportions in the reference-quantile bins.

    Bins are ``(-inf, e1), [e1, e2), ..., [e_k, inf)`` with ``e`` from :func:`quantile_edges`.
    Empty bins get proportion ``eps``. Returns ``(edges, ref_prop, cur_prop)``.
    """
    edges = quantile_edges(reference, bins)
    ref, cur = _sample(reference, "reference"), _sample(current, "current")
    k = edges.size + 1
    r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=k)
    c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=k)
    return edges, _smoothed(r, eps), _smoothed(c, eps)


def _psi(r: np.ndarray, c: np.ndarray) -> float:
    return float(np.sum((c - r) * np.log(c / r)))


def _check_eps(eps: float) -> None:
    if not (0 < eps < 1):
        raise ValueError(f"eps must lie in (0, 1); got {eps!r}")


def psi(reference, current, bins: int = 10, eps: float = PSI_EPS) -> float:
    r"""Population stability index of a numeric column.

    :math:`\mathrm{PSI} = \sum_k (c_k - r_k)\ln(c_k/r_k)`, the symmetrised Kullback–Leibler
    divergence :math:`\mathrm{KL}(c\|r) + \mathrm{KL}(r\|c)` of the binned distributions; bins are the
    reference's deciles (``bins`` quantiles), so each holds about ``1/bins`` of the reference.
    Rules of thumb: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 major shift.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        Finite numbers.
    bins : int, default=10
        Number of reference quantile bins (fewer when quantiles coincide, e.g. discrete data).
    eps : float, default=1e-4
        Proportion given to an empty bin.

    Returns
    -------
    float

    Examples
    --------
    >>> round(psi([1, 2, 3, 4], [3, 4, 5, 6], bins=2), 4)
    4.6043
    """
    _check_eps(eps)
    _, r, c = binned_proportions(reference, current, bins, eps)
    return _psi(r, c)


def psi_categorical(reference, current, eps: float = PSI_EPS) -> float:
    """Population stability index over the categories seen in either sample (empty ones get ``eps``).

    Examples
    --------
    >>> round(psi_categorical(["a", "a", "b", "b"], ["a", "b", "b", "b"]), 4)
    0.2747
    """
    _check_eps(eps)
    _, table = _counts(reference, current)
    return _psi(_smoothed(table[0], eps), _smoothed(table[1], eps))
