"""Bayes' theorem, conjugate updates and Monte Carlo helpers against scipy.stats and exact arithmetic."""

from fractions import Fraction

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs
from scipy import integrate

from mlweekly.statistical_theory.bayes import bayes_posterior, diagnostic_test
from mlweekly.statistical_theory.conjugate import BetaBinomial, NormalNormal
from mlweekly.statistical_theory.monte_carlo import (
    importance_sampling,
    monte_carlo,
    rejection_sample,
    running_monte_carlo,
)

FAST = settings(max_examples=60, deadline=None)
prob = hs.one_of(hs.just(0.0), hs.just(1.0), hs.floats(1e-6, 1.0))
shape = hs.floats(0.05, 1e3)  # beyond ~1e4 the log-density terms are so large that float64 rounding
# alone moves the density by ~1e-11 relative, in scipy as in ours
Q = np.linspace(0.0, 1.0, 41)
X01 = np.linspace(0.0, 1.0, 201)


# ---------------------------------------------------------------- discrete Bayes and the diagnostic test
def test_bayes_posterior_textbook_example():
    # two urns, equal prior, P(red | urn) = 0.9, 0.3 -> 0.75, 0.25
    np.testing.assert_allclose(bayes_posterior([0.5, 0.5], [0.9, 0.3]), [0.75, 0.25], rtol=1e-15)


@FAST
@given(hs.lists(hs.floats(1e-3, 1.0), min_size=2, max_size=6), hs.data())
def test_bayes_posterior_sequential_equals_joint(weights, data):
    k = len(weights)
    prior = np.asarray(weights) / np.sum(weights)
    lik1 = np.asarray(data.draw(hs.lists(hs.floats(1e-3, 10.0), min_size=k, max_size=k)))
    lik2 = np.asarray(data.draw(hs.lists(hs.floats(1e-3, 10.0), min_size=k, max_size=k)))
    once = bayes_posterior(prior, lik1 * lik2)  # conditionally independent data: likelihoods multiply
    twice = bayes_posterior(bayes_posterior(prior, lik1), lik2)  # yesterday's posterior is today's prior
    np.testing.assert_allclose(once, twice, rtol=1e-12)
    np.testing.assert_allclose(once.sum(), 1.0, rtol=1e-14)


@FAST
@given(prob, prob, prob)
def test_diagnostic_test_matches_exact_fractions(prev, sens, spec):
    t = diagnostic_test(prev, sens, spec)
    p, s, c = Fraction(prev), Fraction(sens), Fraction(spec)
    joint = [[p * s, p * (1 - s)], [(1 - p) * (1 - c), (1 - p) * c]]
    np.testing.assert_allclose(t.joint, np.array(joint, dtype=float), rtol=1e-14, atol=0)
    np.testing.assert_allclose(t.joint.sum(axis=1), [prev, 1 - prev], rtol=1e-14)
    tp, fp = joint[0][0], joint[1][0]
    if tp + fp == 0:
        assert np.isnan(t.ppv)
    else:
        np.testing.assert_allclose(t.ppv, float(tp / (tp + fp)), rtol=1e-14)
    fn, tn = joint[0][1], joint[1][1]
    if fn + tn == 0:
        assert np.isnan(t.npv)
    else:
        np.testing.assert_allclose(t.npv, float(tn / (fn + tn)), rtol=1e-14)


def test_base_rate_fallacy_worked_example():
    t = diagnostic_test(0.01, 0.99, 0.95)
    assert t.ppv == pytest.approx(1 / 6, rel=1e-14)  # 99 true vs 495 false positives per 10,000
    assert t.p_positive == pytest.approx(0.0594, rel=1e-14)


@pytest.mark.parametrize(
    "args, message",
    [
        ((np.nan, 0.9, 0.9), r"prevalence must be a probability in \[0, 1\]; got NaN"),
        ((0.1, 1.5, 0.9), r"sensitivity must be a probability in \[0, 1\]; got 1.5"),
        ((0.1, 0.9, -0.2), r"specificity must be a probability in \[0, 1\]; got -0.2"),
    ],
)
def test_diagnostic_test_validation(args, message):
    with pytest.raises(ValueError, match=message):
        diagnostic_test(*args)


def test_diagnostic_test_rejects_arrays_and_text():
    with pytest.raises(ValueError, match="prevalence must be a single probability"):
        diagnostic_test([0.1, 0.2], 0.9, 0.9)
    with pytest.raises(TypeError, match="sensitivity must be a number"):
        diagnostic_test(0.1, "high", 0.9)
    with pytest.raises(TypeError, match="alpha must be a single number > 0"):
        BetaBinomial([1, 2], 1)


@pytest.mark.parametrize(
    "prior, likelihood, message",
    [
        ([0.5, 0.4], [1, 1], "prior must sum to 1"),
        ([0.5, np.nan], [1, 1], "prior must be finite"),
        ([1.5, -0.5], [1, 1], r"prior must be a probability in \[0, 1\]"),
        ([0.5, 0.5], [1, 1, 1], "likelihood has shape"),
        ([0.5, 0.5], [1, -1], "likelihood must be >= 0"),
        ([1.0, 0.0], [0, 1], r"P\(D\) = 0"),
        ([[0.5, 0.5]], [1, 1], "prior must be a non-empty 1-d array"),
    ],
)
def test_bayes_posterior_validation(prior, likelihood, message):
    with pytest.raises(ValueError, match=message):
        bayes_posterior(prior, likelihood)


# ---------------------------------------------------------------- Beta-Binomial vs scipy.stats
@FAST
@given(shape, shape)
def test_beta_belief_matches_scipy(a, b):
    ours, ref = BetaBinomial(a, b), st.beta(a, b)
    r = ref.pdf(X01)
    normal = (r > 1e-290) & np.isfinite(r)  # subnormal densities carry too few digits for rtol
    np.testing.assert_allclose(ours.pdf(X01)[normal], r[normal], rtol=1e-10)
    np.testing.assert_allclose(ours.cdf(X01), ref.cdf(X01), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ours.ppf(Q), ref.ppf(Q), rtol=1e-12, atol=1e-300)
    moments = [ours.mean(), ours.var(), ours.std()]
    np.testing.assert_allclose(moments, [ref.mean(), ref.var(), ref.std()], rtol=1e-12)
    np.testing.assert_allclose(ours.interval(0.9), ref.interval(0.9), rtol=1e-12, atol=1e-300)


@FAST
@given(hs.floats(1.01, 1e3), hs.floats(1.01, 1e3))
def test_beta_mode_is_the_density_peak(a, b):
    ours = BetaBinomial(a, b)
    m = ours.mode()
    h = 1e-6 * min(m, 1 - m)
    assert ours.logpdf(m) >= max(ours.logpdf(m - h), ours.logpdf(m + h))


def test_beta_mode_edges():
    assert BetaBinomial(1, 3).mode() == 0.0
    assert BetaBinomial(3, 0.5).mode() == 1.0
    assert np.isnan(BetaBinomial(0.5, 0.5).mode())
    assert BetaBinomial(2, 3).logpdf(-0.1) == -np.inf


@FAST
@given(shape, shape, hs.integers(0, 300), hs.data())
def test_update_adds_counts(a, b, n, data):
    k = data.draw(hs.integers(0, n))
    post = BetaBinomial(a, b).update(k, n)
    assert (post.alpha, post.beta) == (a + k, b + (n - k))
    # sequential updating (one trial at a time) reaches the same posterior as the batch update
    seq = BetaBinomial(a, b)
    for y in [1] * k + [0] * (n - k):
        seq = seq.update(y, 1)
    np.testing.assert_allclose([seq.alpha, seq.beta], [post.alpha, post.beta], rtol=1e-13)


def test_beta_posterior_is_bayes_rule_by_quadrature():
    a0, b0, k, n = 2.0, 5.0, 37, 120
    post = BetaBinomial(a0, b0).update(k, n)

    def unnorm(t):  # prior x likelihood, with scipy.stats densities only
        return st.beta.pdf(t, a0, b0) * st.binom.pmf(k, n, t)

    kw = dict(points=[k / n], epsabs=0, epsrel=1e-13, limit=200)
    z = integrate.quad(unnorm, 0, 1, **kw)[0]
    mean = integrate.quad(lambda t: t * unnorm(t), 0, 1, **kw)[0] / z
    cdf = integrate.quad(unnorm, 0, 0.3, **kw)[0] / z
    np.testing.assert_allclose([post.mean(), post.cdf(0.3)], [mean, cdf], rtol=1e-10)


@FAST
@given(shape, shape, hs.integers(0, 200))
def test_predictive_matches_scipy_betabinom(a, b, n):
    k = np.arange(-1, n + 2)
    ours = BetaBinomial(a, b).predictive_pmf(k, n)
    ref = st.betabinom(n, a, b).pmf(k)
    normal = ref > 1e-280
    np.testing.assert_allclose(ours[normal], ref[normal], rtol=1e-10)
    assert np.all(ours[~normal] < 1e-270)
    assert ours[0] == 0 and ours[-1] == 0  # k = -1 and k = n + 1 lie off the support
    # same per-element accuracy as above: log B(a, b) ~ -300 loses ~1e-12 in the difference of two
    # betaln values (scipy's own pmf sums to 1 - 1.2e-12 at a=121, b=496.3, n=1)
    np.testing.assert_allclose(ours.sum(), 1.0, rtol=1e-10)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: BetaBinomial(0, 1), "alpha must be a finite number > 0; got 0"),
        (lambda: BetaBinomial(1, np.nan), "beta must be a finite number > 0; got nan"),
        (lambda: BetaBinomial().update(5, 3), r"successes \(5\) cannot exceed trials \(3\)"),
        (lambda: BetaBinomial().update(2.5, 3), "successes must be a non-negative integer"),
        (lambda: BetaBinomial().update(1, -3), "trials must be a non-negative integer"),
        (lambda: BetaBinomial().ppf(1.2), r"q must be a probability in \[0, 1\]"),
        (lambda: BetaBinomial().interval(np.nan), r"confidence must be a probability in \[0, 1\]; got NaN"),
        (lambda: BetaBinomial().predictive_pmf(0.5, 3), "k must hold integers"),
    ],
)
def test_beta_binomial_validation(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# ---------------------------------------------------------------- Normal-Normal vs scipy.stats
finite = hs.floats(-1e3, 1e3)
scale = hs.floats(1e-2, 1e2)


@FAST
@given(finite, scale, scale, hs.lists(finite, min_size=1, max_size=30))
def test_normal_normal_matches_scipy(mu0, tau0, sigma, x):
    post = NormalNormal(mu0, tau0, sigma).update(x)
    ref = st.norm(post.mean(), post.std())
    grid = post.mean() + post.std() * np.linspace(-8, 8, 33)
    np.testing.assert_allclose(post.pdf(grid), ref.pdf(grid), rtol=1e-12)
    np.testing.assert_allclose(post.cdf(grid), ref.cdf(grid), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(post.ppf(Q[1:-1]), ref.ppf(Q[1:-1]), rtol=1e-12, atol=1e-12 * post.std())
    np.testing.assert_allclose(post.interval(0.95), ref.interval(0.95), rtol=1e-12, atol=1e-12 * post.std())
    pred = st.norm(post.mean(), np.sqrt(post.var() + sigma**2))
    np.testing.assert_allclose(post.predictive_pdf(grid), pred.pdf(grid), rtol=1e-12)


@FAST
@given(finite, scale, scale, hs.lists(finite, min_size=1, max_size=30))
def test_normal_normal_sequential_equals_batch(mu0, tau0, sigma, x):
    batch = NormalNormal(mu0, tau0, sigma).update(x)
    seq = NormalNormal(mu0, tau0, sigma)
    for xi in x:
        seq = seq.update(xi)
    np.testing.assert_allclose([seq.mean(), seq.std()], [batch.mean(), batch.std()], rtol=1e-9, atol=1e-9)


def test_normal_posterior_is_bayes_rule_by_quadrature():
    x = np.random.default_rng(3).normal(2.0, 1.5, size=25)
    mu0, tau0, sigma = -1.0, 2.0, 1.5
    post = NormalNormal(mu0, tau0, sigma).update(x)

    def unnorm(t):
        return np.exp(st.norm.logpdf(t, mu0, tau0) + st.norm.logpdf(x, t, sigma).sum() + 40)

    lo, hi = post.mean() - 40 * post.std(), post.mean() + 40 * post.std()
    kw = dict(points=[post.mean()], epsabs=0, epsrel=1e-13, limit=200)
    z = integrate.quad(unnorm, lo, hi, **kw)[0]
    mean = integrate.quad(lambda t: t * unnorm(t), lo, hi, **kw)[0] / z
    var = integrate.quad(lambda t: (t - mean) ** 2 * unnorm(t), lo, hi, **kw)[0] / z
    np.testing.assert_allclose([post.mean(), post.var()], [mean, var], rtol=1e-10)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: NormalNormal(np.inf, 1, 1), "mu0 must be finite"),
        (lambda: NormalNormal(0, -1, 1), "tau0 must be a finite number > 0; got -1"),
        (lambda: NormalNormal(0, 1, 0), "sigma must be a finite number > 0; got 0"),
        (lambda: NormalNormal(0, 1, 1).update([1.0, np.nan]), "Input x contains NaN"),
        (lambda: NormalNormal(0, 1, 1).update(np.ones((2, 2))), "x must be 1-d observations"),
    ],
)
def test_normal_normal_validation(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# ---------------------------------------------------------------- Monte Carlo
def uniform(rng, n):
    return rng.uniform(size=n)


def test_monte_carlo_standard_error_is_calibrated_and_shrinks_like_root_n():
    # R = 1000 replications of the estimate of E[p] under Beta(3, 7) at n = 100 and n = 2500. Over R
    # replications an RMS has relative sampling noise ~1/sqrt(2R) = 2.2%, so rtol=0.1 is ~4.5 sigma
    # and a ratio off by 15% is ~4.7 sigma of its noise (sqrt(2) x 2.2%).
    rng = np.random.default_rng(0)
    truth = 0.3
    rms, se = [], []
    for n in (100, 2500):
        est = [monte_carlo(d) for d in rng.beta(3, 7, size=(1000, n))]
        rms.append(np.sqrt(np.mean([(e.estimate - truth) ** 2 for e in est])))
        se.append(np.mean([e.std_error for e in est]))
    # the reported SE matches the actual spread over replications
    np.testing.assert_allclose(se, rms, rtol=0.1)
    # 25x the draws -> 5x smaller error
    np.testing.assert_allclose(rms[0] / rms[1], 5.0, rtol=0.15)


def test_running_monte_carlo_matches_batch():
    v = np.random.default_rng(1).normal(5.0, 2.0, size=500)
    means, ses = running_monte_carlo(v)
    assert np.isnan(ses[0])
    for n in (2, 17, 500):
        e = monte_carlo(v[:n])
        np.testing.assert_allclose([means[n - 1], ses[n - 1]], [e.estimate, e.std_error], rtol=1e-12)


def test_importance_sampling_posterior_mean_from_prior_draws():
    prior, k, n = BetaBinomial(2, 2), 30, 100
    post = prior.update(k, n)
    theta = prior.sample(200_000, np.random.default_rng(2))
    log_lik = st.binom.logpmf(k, n, theta)  # target/proposal = likelihood, up to a constant
    est = importance_sampling(theta, log_lik)
    assert abs(est.estimate - post.mean()) < 4 * est.std_error
    assert 0 < est.ess < est.n
    # a proposal equal to the target gives equal weights: plain Monte Carlo, ESS = n
    flat = importance_sampling(theta, np.zeros_like(theta))
    np.testing.assert_allclose([flat.estimate, flat.ess], [theta.mean(), theta.size], rtol=1e-12)


def test_importance_sampling_standard_error_is_calibrated():
    # R = 1000 replications of 2,000 prior draws: the delta-method SE must match the spread of the
    # estimates; the spread's own noise is ~1/sqrt(2R) = 2.2%, so rtol=0.1 is ~4.5 sigma. A naive
    # s/sqrt(n) ignoring the uneven weights would be ~2x too small here (ESS/n ~ 0.2).
    prior, k, n = BetaBinomial(2, 2), 30, 100
    rng = np.random.default_rng(5)
    est = []
    for _ in range(1000):
        theta = prior.sample(2000, rng)
        est.append(importance_sampling(theta, st.binom.logpmf(k, n, theta)))
    spread = np.std([e.estimate for e in est], ddof=1)
    np.testing.assert_allclose(np.mean([e.std_error for e in est]), spread, rtol=0.1)
    # self-normalised IS is biased by O(1/n) only: the mean of the estimates sits on the posterior mean
    mean = np.mean([e.estimate for e in est])
    np.testing.assert_allclose(mean, prior.update(k, n).mean(), atol=4 * spread / np.sqrt(1000))


def test_rejection_sample_draws_from_the_target():
    target = st.beta(3, 5)
    log_m = target.logpdf(2 / 6)  # the mode: uniform proposal, density 1
    rng = np.random.default_rng(4)
    samples, rate = rejection_sample(target.logpdf, uniform, np.zeros_like, log_m, 5000, rng)
    assert samples.shape == (5000,)
    assert st.kstest(samples, target.cdf).pvalue > 0.01
    accept = np.exp(-log_m)  # Z / M with Z = 1
    assert abs(rate - accept) < 4 * np.sqrt(accept * (1 - accept) / (5000 / accept))


def test_monte_carlo_validation():
    with pytest.raises(ValueError, match="at least 2 draws"):
        monte_carlo([1.0])
    with pytest.raises(ValueError, match="values must be finite"):
        monte_carlo([1.0, np.nan])
    with pytest.raises(ValueError, match="log_weights has shape"):
        importance_sampling([1.0, 2.0], [0.0])
    with pytest.raises(ValueError, match="log_m is not an upper bound"):
        rejection_sample(st.beta(3, 5).logpdf, uniform, np.zeros_like, 0.0, 10, np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        rejection_sample(st.beta(3, 5).logpdf, uniform, np.zeros_like, 1.0, 10, 0)
