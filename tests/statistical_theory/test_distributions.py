"""Frozen distributions vs scipy.stats on generated parameters; samplers by goodness of fit; errors."""

from fractions import Fraction
from math import comb

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from mlweekly.statistical_theory import distributions as D

FAST = settings(max_examples=40, deadline=None)
loc = hs.floats(-1e3, 1e3)
scale = hs.floats(1e-2, 1e3)
# shapes up to 1e3: beyond, the log-density is a difference of gammaln terms of size a*log(a), and
# float64 rounding alone moves the density by ~1e-11 relative, in scipy as in ours
shape = hs.floats(0.05, 1e3)
Q = np.r_[0.0, np.geomspace(1e-12, 0.5, 20), 1 - np.geomspace(1e-9, 0.5, 20)[::-1], 1.0]


def _grid(ref, n=60):
    lo, hi = ref.ppf([1e-9, 1 - 1e-9])
    span = hi - lo
    return np.r_[np.linspace(lo - 0.1 * span, hi + 0.1 * span, n), ref.ppf([0.0, 1.0]), ref.mean()]


def _assert_matches(ours, ref, moments=True):
    x = _grid(ref)
    x = x[np.isfinite(x)]
    r = ref.pdf(x)
    normal = r > 1e-290  # subnormal densities carry too few digits for a relative tolerance
    np.testing.assert_allclose(ours.pdf(x)[normal], r[normal], rtol=1e-10)
    np.testing.assert_allclose(ours.logpdf(x)[normal], ref.logpdf(x)[normal], rtol=1e-10, atol=1e-12)
    assert np.array_equal(ours.pdf(x) == 0, r == 0)
    np.testing.assert_allclose(ours.cdf(x), ref.cdf(x), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ours.sf(x), ref.sf(x), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ours.ppf(Q), ref.ppf(Q), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ours.isf(Q), ref.isf(Q), rtol=1e-12, atol=1e-300)
    if moments:
        np.testing.assert_allclose([ours.mean(), ours.var()], [ref.mean(), ref.var()], rtol=1e-12)


@FAST
@given(loc, scale)
def test_norm_and_expon_match_scipy(m, s):
    _assert_matches(D.norm(m, s), st.norm(m, s))
    _assert_matches(D.expon(m, s), st.expon(m, s))


@FAST
@given(shape, loc, scale)
def test_gamma_and_chi2_match_scipy(a, m, s):
    _assert_matches(D.gamma(a, m, s), st.gamma(a, m, s))
    _assert_matches(D.chi2(a, m, s), st.chi2(a, m, s))


@FAST
@given(shape, shape, loc, scale)
def test_beta_matches_scipy(a, b, m, s):
    _assert_matches(D.beta(a, b, m, s), st.beta(a, b, m, s))


@FAST
@given(hs.floats(0.1, 1e3), loc, scale)
def test_t_matches_scipy(df, m, s):
    ours = D.t(df, m, s)
    if df > 1:
        _assert_matches(ours, st.t(df, m, s))
    else:  # no mean: scipy reports inf, we report NaN (undefined, as for the variance)
        assert np.isnan(ours.mean()) and np.isnan(ours.var())
        _assert_matches(ours, st.t(df, m, s), moments=False)


def _assert_discrete_matches(ours, ref, kmax):
    k = np.arange(-2, kmax + 3, dtype=float)
    r = ref.pmf(k)
    normal = r > 1e-290
    np.testing.assert_allclose(ours.pmf(k)[normal], r[normal], rtol=1e-10)
    assert np.array_equal(ours.pmf(k) == 0, r == 0)
    # atol 1e-250: deep in the tails scipy's (Boost) binomial cdf loses relative accuracy — 2.5e-11 at
    # 2.7e-269, 100% at 7e-301 — while ours stays exact (test_binom_deep_tail_is_exact)
    np.testing.assert_allclose(ours.cdf(k + 0.5), ref.cdf(k + 0.5), rtol=1e-12, atol=1e-250)
    np.testing.assert_allclose(ours.sf(k), ref.sf(k), rtol=1e-12, atol=1e-250)
    assert ours.pmf(0.5) == 0.0
    # q away from the atoms F(k): exactly at an atom scipy's ppf may differ by one ulp of q (see lesson)
    q = np.r_[0.0, np.random.default_rng(0).random(200), 1.0]
    np.testing.assert_array_equal(ours.ppf(q), ref.ppf(q))
    np.testing.assert_allclose(ours.mean(), ref.mean(), rtol=1e-12)


@FAST
@given(hs.integers(0, 1000), hs.one_of(hs.just(0.0), hs.just(1.0), hs.floats(1e-6, 1 - 1e-6)))
def test_binom_and_bernoulli_match_scipy(n, p):
    _assert_discrete_matches(D.binom(n, p), st.binom(n, p), n)
    _assert_discrete_matches(D.bernoulli(p), st.bernoulli(p), 1)
    # variance against exact arithmetic: scipy's p - p² cancels for p near 1 (2e-11 off at p = 0.999999),
    # our p(1 - p) rounds once (1 - p is exact for p >= 0.5)
    exact = n * Fraction(p) * (1 - Fraction(p))
    assert D.binom(n, p).var() == pytest.approx(float(exact), rel=1e-14, abs=0)


def test_binom_deep_tail_is_exact():
    n, p = 268, Fraction(61, 64)  # a dyadic p: exact in float64 and in Fraction
    ours = D.binom(n, 61 / 64)
    for k in (20, 34, 100, 200):
        exact = sum(comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k + 1))
        assert ours.cdf(k) == pytest.approx(float(exact), rel=1e-13)
        pmf = comb(n, k) * p**k * (1 - p) ** (n - k)
        assert ours.pmf(k) == pytest.approx(float(pmf), rel=1e-12)


@FAST
@given(hs.one_of(hs.just(0.0), hs.floats(1e-3, 1e3)))
def test_poisson_matches_scipy(mu):
    assert D.poisson(mu).var() == mu
    _assert_discrete_matches(D.poisson(mu), st.poisson(mu), int(mu + 12 * np.sqrt(mu) + 20))


@FAST
@given(hs.integers(1, 5), hs.integers(0, 2**32 - 1))
def test_multivariate_normal_matches_scipy(d, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(d, d))
    cov = A @ A.T + 0.1 * np.eye(d)
    mean = rng.normal(size=d)
    x = rng.normal(size=(7, d)) * 2
    ours, ref = D.multivariate_normal(mean, cov), st.multivariate_normal(mean, cov)
    np.testing.assert_allclose(ours.logpdf(x), ref.logpdf(x), rtol=1e-10)
    np.testing.assert_allclose(ours.pdf(x[0]), ref.pdf(x[0]), rtol=1e-10)
    assert np.ndim(ours.logpdf(x[0])) == 0


# ---------------------------------------------------------------- samplers: goodness of fit to our own cdf
SAMPLED = [
    D.norm(2.0, 3.0),
    D.expon(1.0, 0.5),
    D.gamma(0.3, 0, 2.0),
    D.gamma(7.5),
    D.chi2(3.0),
    D.beta(0.5, 2.0),
    D.t(2.5, -1.0, 2.0),
]


@pytest.mark.parametrize("dist", SAMPLED, ids=repr)
def test_continuous_samplers_pass_ks(dist):
    # a correct sampler gives a uniform KS p-value; with fixed seeds the verdict is deterministic, and
    # p > 1e-3 on each of three seeds fails for a wrong sampler (n = 20000 detects a 2% shift)
    for seed in range(3):
        x = dist.rvs(20_000, random_state=seed)
        assert st.kstest(x, dist.cdf).pvalue > 1e-3


@pytest.mark.parametrize(
    "dist", [D.bernoulli(0.3), D.binom(30, 0.2), D.poisson(4.5), D.poisson(300.0)], ids=repr
)
def test_discrete_samplers_pass_chi2(dist):
    for seed in range(3):
        x = dist.rvs(20_000, random_state=seed)
        k = np.arange(x.min(), x.max() + 1)
        expected = dist.pmf(k) * x.size
        keep = expected >= 5
        observed = np.bincount(x - x.min())[keep]
        expected = expected[keep] * observed.sum() / expected[keep].sum()
        assert st.chisquare(observed, expected).pvalue > 1e-3


def test_multivariate_normal_samples_have_the_covariance():
    cov = np.array([[2.0, 0.8], [0.8, 1.0]])
    x = D.multivariate_normal([1.0, -1.0], cov).rvs(50_000, random_state=1)
    assert x.shape == (50_000, 2)
    # standard errors of the sample moments are ~0.01; 5 SE
    np.testing.assert_allclose(x.mean(axis=0), [1.0, -1.0], atol=0.05)
    np.testing.assert_allclose(np.cov(x.T), cov, atol=0.05)


def test_rvs_reproducible_and_shaped():
    a = D.gamma(2.0).rvs((3, 4), random_state=7)
    assert a.shape == (3, 4)
    np.testing.assert_array_equal(a, D.gamma(2.0).rvs((3, 4), random_state=7))
    assert np.ndim(D.norm().rvs(random_state=0)) == 0
    assert D.poisson(3.0).rvs(5, random_state=0).dtype == np.int64


# ---------------------------------------------------------------- edges and errors
def test_scalar_in_scalar_out_and_nan_propagates():
    assert np.ndim(D.norm().pdf(0.0)) == 0
    assert np.isnan(D.gamma(2.0).logpdf(np.nan))
    assert np.isnan(D.poisson(2.0).cdf(np.nan))
    assert np.isnan(D.t(3.0).ppf(np.nan))
    assert D.expon().logpdf(-1.0) == -np.inf
    assert D.beta(2, 2).cdf(1.5) == 1.0


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: D.norm(0, 0), "scale must be > 0; got 0"),
        (lambda: D.norm(0, -1), "scale must be > 0; got -1"),
        (lambda: D.norm(np.nan, 1), "loc must be finite"),
        (lambda: D.gamma(-2.0), "a must be > 0; got -2"),
        (lambda: D.beta(1.0, 0.0), "b must be > 0; got 0"),
        (lambda: D.t(0.0), "df must be > 0; got 0"),
        (lambda: D.chi2(-1), "df must be > 0; got -1"),
        (lambda: D.bernoulli(1.2), r"p must be a probability in \[0, 1\]; got 1.2"),
        (lambda: D.binom(2.5, 0.5), "n must be an integer >= 0; got 2.5"),
        (lambda: D.binom(-3, 0.5), "n must be an integer >= 0; got -3"),
        (lambda: D.poisson(-1.0), "mu must be >= 0; got -1"),
        (lambda: D.norm([0, 1], 1), "loc must be a single number"),
        (lambda: D.norm().ppf(1.5), r"q must be a probability in \[0, 1\]; got 1.5"),
        (lambda: D.poisson(1.0).ppf(-0.1), r"q must be a probability in \[0, 1\]; got -0.1"),
        (lambda: D.norm().rvs(-1), "size must be None, an int >= 0"),
        (
            lambda: D.multivariate_normal([0, 0], [[1, 2], [2, 1]]),
            "cov must be positive definite; its smallest eigenvalue is -1",
        ),
        (lambda: D.multivariate_normal([0, 0], [[1, 0.5], [0, 1]]), "cov must be symmetric"),
        (lambda: D.multivariate_normal([0, 0], np.eye(3)), r"cov must have shape \(2, 2\)"),
        (
            lambda: D.multivariate_normal([0, 0], np.eye(2)).logpdf(np.zeros(3)),
            "x must have last dimension 2",
        ),
    ],
)
def test_invalid_parameters_name_the_rule(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_type_errors():
    with pytest.raises(TypeError, match="scale must be a single real number"):
        D.norm(0, "1")
    with pytest.raises(TypeError, match="random_state must be None, an int or a numpy Generator"):
        D.norm().rvs(3, random_state="seed")
