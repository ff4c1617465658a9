"""Maximum likelihood vs scipy.stats.fit and statsmodels GenericLikelihoodModel; errors."""

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs
from statsmodels.base.model import GenericLikelihoodModel

from mlweekly.statistical_theory.mle import (
    fit,
    fit_multivariate_normal,
    likelihood_ratio_test,
    loglik,
    observed_information,
    profile_interval,
    profile_loglik,
    score,
)

FEW = settings(max_examples=8, deadline=None)
seeds = hs.integers(0, 2**32 - 1)


# BFGS stops at max|grad(-l/n)| <= 1e-8 in log coordinates: the parameters are then within ~1e-8 / curvature
# of the optimum (rtol 1e-6 leaves room for curvatures down to 1e-2); the log-likelihood is quadratic there,
# so it agrees to ~1e-16 * n relative: rtol 1e-10.
@FEW
@given(hs.floats(0.3, 20), hs.floats(0.1, 10), hs.integers(50, 500), seeds)
def test_gamma_matches_scipy_fit(a, scale, n, seed):
    x = st.gamma(a, scale=scale).rvs(n, random_state=seed)
    res = fit("gamma", x)
    ref = st.gamma.fit(x, floc=0)
    np.testing.assert_allclose(res.params, [ref[0], ref[2]], rtol=1e-6)
    assert res.loglik == pytest.approx(st.gamma.logpdf(x, ref[0], 0, ref[2]).sum(), rel=1e-10)
    np.testing.assert_allclose(score("gamma", res.params, x) / n, 0, atol=1e-6)


@FEW
@given(hs.floats(0.3, 20), hs.floats(0.3, 20), hs.integers(50, 500), seeds)
def test_beta_matches_scipy_fit(a, b, n, seed):
    x = st.beta(a, b).rvs(n, random_state=seed)
    x = x[(x > 0) & (x < 1)]
    res = fit("beta", x)
    ref = st.beta.fit(x, floc=0, fscale=1)
    np.testing.assert_allclose(res.params, ref[:2], rtol=1e-6)
    assert res.loglik == pytest.approx(st.beta.logpdf(x, *ref).sum(), rel=1e-10)


@FEW
@given(hs.floats(-5, 5), hs.floats(0.1, 10), hs.integers(20, 300), seeds)
def test_closed_forms_match_scipy_fit(loc, scale, n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(loc, scale, n)
    np.testing.assert_allclose(fit("norm", x).params, st.norm.fit(x), rtol=1e-12)
    e = rng.exponential(scale, n)
    np.testing.assert_allclose(fit("expon", e).params, [st.expon.fit(e, floc=0)[1]], rtol=1e-12)
    c = rng.poisson(scale, n).astype(float)
    if c.any():
        res = fit("poisson", c)
        np.testing.assert_allclose(res.params, [c.mean()], rtol=1e-14)
        np.testing.assert_allclose(res.bse, [np.sqrt(c.mean() / n)], rtol=1e-12)


def test_t_matches_tightened_scipy_fit():
    from scipy import optimize

    x = st.t(4, 10, 3).rvs(800, random_state=2)

    def tight(func, x0, args=(), disp=0):
        return optimize.fmin(
            func, x0, args=args, xtol=1e-12, ftol=1e-14, maxiter=20_000, maxfun=40_000, disp=0
        )

    ref = st.t.fit(x, optimizer=tight)
    res = fit("t", x)
    np.testing.assert_allclose(res.params, ref, rtol=1e-6)
    assert res.loglik >= st.t.logpdf(x, *ref).sum() - 1e-9


class _Generic(GenericLikelihoodModel):
    def __init__(self, endog, logpdf, names):
        self._logpdf = logpdf
        super().__init__(endog, exog=np.ones((len(endog), 1)))
        self.exog_names[:] = names

    def loglikeobs(self, params):
        return self._logpdf(self.endog, params)


@pytest.mark.parametrize(
    "family, make, logpdf",
    [
        ("norm", lambda r: r.normal(3, 2, 400), lambda x, p: st.norm.logpdf(x, p[0], p[1])),
        ("gamma", lambda r: r.gamma(2.5, 1.5, 400), lambda x, p: st.gamma.logpdf(x, p[0], 0, p[1])),
        ("beta", lambda r: r.beta(2, 5, 400), lambda x, p: st.beta.logpdf(x, p[0], p[1])),
        ("t", lambda r: 1 + 2 * r.standard_t(5, 400), lambda x, p: st.t.logpdf(x, *p)),
    ],
)
def test_standard_errors_match_statsmodels(family, make, logpdf):
    x = make(np.random.default_rng(0))
    res = fit(family, x)
    model = _Generic(x, logpdf, list(res.names))
    sm = model.fit(start_params=res.params * 1.01, method="newton", maxiter=100, tol=1e-12, disp=0)
    np.testing.assert_allclose(res.params, sm.params, rtol=1e-6)
    # statsmodels differentiates the log-likelihood twice numerically (approx_hess3, steps ~1e-4|θ|):
    # its Hessian carries ~1e-6 relative truncation error; ours is analytic (t: difference of the score)
    np.testing.assert_allclose(res.bse, sm.bse, rtol=1e-5)


def test_observed_information_matches_numerical_hessian_of_loglik():
    x = np.random.default_rng(3).gamma(3.0, 2.0, 300)
    p = fit("gamma", x).params
    from statsmodels.tools.numdiff import approx_hess3

    H = approx_hess3(p, lambda q: loglik("gamma", q, x))
    np.testing.assert_allclose(observed_information("gamma", p, x), -H, rtol=1e-5)


def test_multivariate_normal_mle():
    X = np.random.default_rng(0).multivariate_normal([1, 2], [[2, 0.5], [0.5, 1]], 500)
    res = fit_multivariate_normal(X)
    np.testing.assert_allclose(res.mean, X.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(res.cov, np.cov(X.T, bias=True), rtol=1e-12)
    ref = st.multivariate_normal(res.mean, res.cov).logpdf(X).sum()
    assert res.loglik == pytest.approx(ref, rel=1e-12)
    with pytest.raises(ValueError, match="singular"):
        fit_multivariate_normal(np.c_[X[:, 0], 2 * X[:, 0]])


def test_likelihood_ratio_test_and_intervals():
    x = np.random.default_rng(1).gamma(1.0, 3.0, 400)
    full, restricted = fit("gamma", x), fit("expon", x)
    lrt = likelihood_ratio_test(full.loglik, restricted.loglik, 1)
    assert lrt.statistic == pytest.approx(2 * (full.loglik - restricted.loglik), rel=1e-14)
    assert lrt.pvalue == pytest.approx(st.chi2(1).sf(lrt.statistic), rel=1e-12)
    # the profile at the MLE is the maximum; the LR interval's ends sit at deviance = chi2_1(0.95)
    a = full.params[0]
    assert profile_loglik(full, x, "a", [a])[0] == pytest.approx(full.loglik, rel=1e-12)
    lo, hi = profile_interval(full, x, "a")
    dev = 2 * (full.loglik - profile_loglik(full, x, "a", [lo, hi]))
    np.testing.assert_allclose(dev, st.chi2(1).ppf(0.95), rtol=1e-7)
    assert lo < a < hi


@pytest.mark.parametrize(
    "family, data, kwargs, error, message",
    [
        ("norm", [], {}, ValueError, "data is empty"),
        ("norm", [1.0, np.nan, 2.0], {}, ValueError, "data contains 1 NaN; pass nan_policy='omit'"),
        ("gamma", [1.0, 0.0, 2.0], {}, ValueError, "every observation must be > 0 for this family; got 0"),
        ("expon", [1.0, -1.0], {}, ValueError, "every observation must be >= 0"),
        ("beta", [0.2, 1.0], {}, ValueError, r"open interval \(0, 1\)"),
        ("bernoulli", [0, 1, 2], {}, ValueError, "every observation must be 0 or 1"),
        ("poisson", [1, 2.5], {}, ValueError, "integer >= 0"),
        ("norm", [3.0, 3.0, 3.0], {}, ValueError, "zero variance"),
        ("gamma", [2.0, 2.0], {}, ValueError, "zero variance"),
        ("norm", [1.0, 2.0], {"nan_policy": "skip"}, ValueError, "nan_policy must be"),
        ("lognorm", [1.0, 2.0], {}, ValueError, "family must be one of"),
        ("norm", [1.0, np.inf], {}, ValueError, "data contains inf"),
        ("t", np.linspace(0, 1, 200), {}, ValueError, "fit 'norm' instead"),
    ],
)
def test_errors(family, data, kwargs, error, message):
    with pytest.raises(error, match=message):
        fit(family, data, **kwargs)


def test_nan_policy_omit_and_propagate():
    x = np.array([1.0, 2.0, np.nan, 4.0])
    np.testing.assert_allclose(fit("norm", x, nan_policy="omit").params, st.norm.fit(x[~np.isnan(x)]))
    res = fit("norm", x, nan_policy="propagate")
    assert np.isnan(res.params).all() and np.isnan(res.loglik)
    with pytest.raises(ValueError, match="data is empty"):
        fit("norm", [np.nan], nan_policy="omit")


def test_lrt_validation():
    with pytest.raises(ValueError, match="df must be an integer >= 1"):
        likelihood_ratio_test(-10.0, -12.0, 0)
    with pytest.raises(ValueError, match="loglik_full is smaller"):
        likelihood_ratio_test(-12.0, -10.0, 1)
