"""Confidence intervals against scipy.stats / statsmodels, and the bootstrap against scipy.stats.bootstrap."""

import warnings

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import assume, given, settings
from hypothesis import strategies as hs
from statsmodels.stats.proportion import proportion_confint as sm_confint
from statsmodels.stats.weightstats import zconfint

from mlweekly.statistical_theory.bootstrap import bootstrap
from mlweekly.statistical_theory.intervals import proportion_confint, t_interval, z_interval

FAST = settings(max_examples=60, deadline=None)
METHODS = ["normal", "wilson", "beta", "agresti_coull"]
sample = hs.lists(hs.floats(-1e3, 1e3), min_size=2, max_size=40).map(np.array)
level = hs.floats(0.5, 0.999)


@FAST
@given(sample, level)
def test_t_interval_matches_scipy(x, cl):
    assume(np.ptp(x) > 1e-6 * (1 + np.abs(x).max()))
    ref = st.t.interval(cl, x.size - 1, loc=x.mean(), scale=st.sem(x))
    np.testing.assert_allclose(t_interval(x, cl), ref, rtol=1e-10, atol=1e-10 * np.abs(x).max())


@FAST
@given(sample, level, hs.floats(0.01, 100))
def test_z_interval_matches_scipy_and_statsmodels(x, cl, sigma):
    ref = st.norm.interval(cl, loc=x.mean(), scale=sigma / np.sqrt(x.size))
    np.testing.assert_allclose(z_interval(x, sigma, cl), ref, rtol=1e-10, atol=1e-10 * np.abs(x).max())
    assume(np.ptp(x) > 1e-6 * (1 + np.abs(x).max()))
    np.testing.assert_allclose(z_interval(x, confidence_level=cl), zconfint(x, alpha=1 - cl),
                               rtol=1e-10, atol=1e-10 * np.abs(x).max())


@FAST
@given(hs.integers(1, 2000), hs.data(), hs.floats(0.001, 0.5), hs.sampled_from(METHODS))
def test_proportion_confint_matches_statsmodels(n, data, alpha, method):
    k = data.draw(hs.integers(0, n))
    np.testing.assert_allclose(proportion_confint(k, n, alpha, method), sm_confint(k, n, alpha, method),
                               rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("method", METHODS)
def test_proportion_confint_vectorised(method):
    k = np.arange(0, 31)
    ours = np.array(proportion_confint(k, 30, 0.1, method))
    np.testing.assert_allclose(ours, np.array(sm_confint(k, 30, 0.1, method)), rtol=1e-10, atol=1e-14)
    assert np.all((ours >= 0) & (ours <= 1))


def test_clopper_pearson_inverts_binomial_tests():
    # the exact interval's ends are where a one-sided binomial test has p = alpha / 2
    k, n, a = 7, 40, 0.05
    low, high = proportion_confint(k, n, a, "beta")
    np.testing.assert_allclose(st.binom.sf(k - 1, n, low), a / 2, rtol=1e-10)
    np.testing.assert_allclose(st.binom.cdf(k, n, high), a / 2, rtol=1e-10)


def test_t_interval_coverage():
    # 4000 normal samples of size 6: the 90% t interval covers the mean in 90% +- 4 SE (SE = 0.0047)
    rng = np.random.default_rng(2)
    cover = [lo <= 1.0 <= hi for lo, hi in (t_interval(x, 0.9) for x in rng.normal(1.0, 2.0, (4000, 6)))]
    assert abs(np.mean(cover) - 0.9) < 0.019


@pytest.mark.parametrize(
    "call, exc, message",
    [
        (lambda: t_interval([1.0]), ValueError, "at least 2 observations"),
        (lambda: t_interval([1.0, np.nan]), ValueError, "x contains NaN"),
        (lambda: t_interval([1.0, 2.0], 1.5), ValueError, r"confidence_level must be in \(0, 1\)"),
        (lambda: z_interval([1.0, 2.0], sigma=-1), ValueError, "sigma must be a finite number > 0"),
        (lambda: proportion_confint(5, 3), ValueError, "0 <= count <= nobs"),
        (lambda: proportion_confint(1, 3, method="exact"), ValueError, "method must be one of"),
        (lambda: proportion_confint(1, 3, alpha=0), ValueError, r"alpha must be in \(0, 1\)"),
        (lambda: bootstrap(np.ones(5), np.mean), TypeError, "tuple of samples"),
        (lambda: bootstrap(([1.0, 2.0],), np.mean, method="bc"), ValueError, "method must be one of"),
        (lambda: bootstrap(([1.0, 1.0, 1.0],), np.mean), ValueError, "degenerate"),
        (lambda: bootstrap(([1.0, np.nan, 2.0],), np.mean), ValueError, "contains NaN"),
    ],
)
def test_validation(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


# ---------------------------------------------------------------- bootstrap vs scipy.stats.bootstrap
@pytest.mark.parametrize("method", ["percentile", "basic", "BCa"])
@pytest.mark.parametrize("batch", [None, 333])
def test_bootstrap_reproduces_scipy_resamples(method, batch):
    x = np.random.default_rng(3).lognormal(size=60)
    ours = bootstrap((x,), np.mean, n_resamples=2000, batch=batch, method=method, rng=11)
    ref = st.bootstrap((x,), np.mean, n_resamples=2000, batch=batch, method=method, rng=11)
    np.testing.assert_array_equal(ours.bootstrap_distribution, ref.bootstrap_distribution)
    np.testing.assert_allclose(ours.confidence_interval, ref.confidence_interval, rtol=1e-12)
    np.testing.assert_allclose(ours.standard_error, ref.standard_error, rtol=1e-12)


@FAST
@given(hs.lists(hs.floats(-100, 100), min_size=3, max_size=30).map(np.array), hs.integers(0, 2**32 - 1),
       hs.sampled_from(["percentile", "BCa"]))
def test_bootstrap_median_matches_scipy(x, seed, method):
    assume(np.unique(x).size >= 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns and returns NaN when BCa is undefined
        ref = st.bootstrap((x,), np.median, n_resamples=500, method=method, rng=seed)
    if not np.all(np.isfinite(ref.confidence_interval)):
        # e.g. all leave-one-out medians equal: the acceleration is 0/0; ours says so
        with pytest.raises(ValueError, match="degenerate"):
            bootstrap((x,), np.median, n_resamples=500, method=method, rng=seed)
        return
    ours = bootstrap((x,), np.median, n_resamples=500, method=method, rng=seed)
    np.testing.assert_allclose(ours.confidence_interval, ref.confidence_interval, rtol=1e-10, atol=1e-10)


def test_bootstrap_two_samples_matches_scipy():
    rng = np.random.default_rng(5)
    x, y = rng.exponential(2.0, 40), rng.exponential(1.0, 55)

    def diff(a, b, axis=-1):
        return a.mean(axis) - b.mean(axis)

    ours = bootstrap((x, y), diff, n_resamples=1500, rng=1)
    ref = st.bootstrap((x, y), diff, n_resamples=1500, rng=1)
    np.testing.assert_allclose(ours.confidence_interval, ref.confidence_interval, rtol=1e-12)
