"""Power and sample size of z- and t-tests against statsmodels.stats.power and simulation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from statsmodels.stats import power as smpower

from mlweekly.statistical_theory.hypothesis_tests import ttest_ind
from mlweekly.statistical_theory.power import NormalIndPower, TTestIndPower, TTestPower, ttest_power

FAST = settings(max_examples=60, deadline=None)
ALTS = ["two-sided", "larger", "smaller"]
effect = hs.floats(-1.5, 1.5)
nobs = hs.floats(3, 500)
alpha = hs.floats(0.001, 0.2)


def finite_reference(value):
    # statsmodels returns NaN where scipy's nctdtr fails far in the tail (power.py: _nct_cdf)
    return np.isfinite(value)


@FAST
@given(effect, nobs, alpha, hs.sampled_from(ALTS), hs.sampled_from([0.0, 0.5, 1.0, 3.0]))
def test_normal_ind_power_matches_statsmodels(d, n, a, alt, ratio):
    ours = NormalIndPower().power(d, n, a, ratio=ratio, alternative=alt)
    ref = smpower.NormalIndPower().power(d, n, a, ratio=ratio, alternative=alt)
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-15)


@FAST
@given(effect, nobs, alpha, hs.sampled_from(ALTS), hs.sampled_from([0.5, 1.0, 3.0]))
def test_ttest_ind_power_matches_statsmodels(d, n, a, alt, ratio):
    ref = smpower.TTestIndPower().power(d, n, a, ratio=ratio, alternative=alt)
    ours = TTestIndPower().power(d, n, a, ratio=ratio, alternative=alt)
    if finite_reference(ref):
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-15)
    assert 0 <= ours <= 1


@FAST
@given(effect, nobs, alpha, hs.sampled_from(ALTS))
def test_ttest_power_matches_statsmodels(d, n, a, alt):
    ref = smpower.TTestPower().power(d, n, a, alternative=alt)
    ours = TTestPower().power(d, n, a, alternative=alt)
    if finite_reference(ref):
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-15)
    assert 0 <= ours <= 1


def test_nan_tail_of_nctdtr_is_handled():
    # scipy's nctdtr(98, 10, -1.98) is NaN; the true lower tail is ~1e-31 and the power finite
    assert np.isnan(smpower.TTestIndPower().power(2.0, 50, 0.05))
    assert TTestIndPower().power(2.0, 50, 0.05) == pytest.approx(1.0, abs=1e-14)


@pytest.mark.parametrize("cls, sm_cls, nkw", [(NormalIndPower, smpower.NormalIndPower, "nobs1"),
                                              (TTestIndPower, smpower.TTestIndPower, "nobs1"),
                                              (TTestPower, smpower.TTestPower, "nobs")])
@pytest.mark.parametrize("d, a, target, alt", [(0.5, 0.05, 0.8, "two-sided"), (0.2, 0.01, 0.9, "larger"),
                                               (-0.35, 0.05, 0.8, "smaller")])
def test_solve_for_nobs_hits_the_target_power(cls, sm_cls, nkw, d, a, target, alt):
    n = cls().solve_power(effect_size=d, alpha=a, power=target, alternative=alt)
    # the reference's own power function at our n gives the target to rounding
    assert sm_cls().power(d, n, a, alternative=alt) == pytest.approx(target, abs=1e-12)
    # statsmodels' solve_power stops early (its power residual reaches ~3e-8): agree to 1e-6 relative
    ref = sm_cls().solve_power(effect_size=d, alpha=a, power=target, alternative=alt, **{nkw: None})
    np.testing.assert_allclose(n, ref, rtol=1e-6)


@pytest.mark.parametrize("alt", ["two-sided", "larger", "smaller"])
def test_solve_for_effect_size(alt):
    d = TTestIndPower().solve_power(nobs1=50, alpha=0.05, power=0.8, alternative=alt)
    assert (d < 0) == (alt == "smaller")
    assert smpower.TTestIndPower().power(d, 50, 0.05, alternative=alt) == pytest.approx(0.8, abs=1e-12)


def test_textbook_sample_size():
    # two-sided z, d = 0.5, 80% power: n = 2 (z_.975 + z_.8)^2 / d^2 = 62.79 per group
    from scipy.stats import norm

    closed = 2 * (norm.ppf(0.975) + norm.ppf(0.8)) ** 2 / 0.25
    n = NormalIndPower().solve_power(effect_size=0.5, power=0.8)
    assert n == pytest.approx(closed, rel=1e-4)  # the closed form drops the far tail Phi(-z - d sqrt(n/2))


def test_power_matches_simulation():
    # 3000 simulated pooled t-tests with n = 20 per group and d = 0.8: rejection rate vs power;
    # binomial SE ~ sqrt(0.7 * 0.3 / 3000) = 0.0084, so 0.035 is ~4 sigma
    rng = np.random.default_rng(7)
    rejects = [ttest_ind(rng.normal(0.8, 1, 20), rng.normal(0, 1, 20)).pvalue < 0.05 for _ in range(3000)]
    assert abs(np.mean(rejects) - TTestIndPower().power(0.8, 20, 0.05)) < 0.035


def test_power_validation():
    with pytest.raises(ValueError, match="alpha must be a significance level"):
        ttest_power(0.5, 20, 1.5)
    with pytest.raises(ValueError, match="nobs must be a number > 0"):
        ttest_power(0.5, -3, 0.05)
    with pytest.raises(ValueError, match="exactly one of"):
        TTestIndPower().solve_power(effect_size=0.5, nobs1=10, power=0.8)
    with pytest.raises(ValueError, match=r"power must be in \(alpha, 1\)"):
        TTestIndPower().solve_power(effect_size=0.5, power=1.2)
    with pytest.raises(ValueError, match="effect_size = 0"):
        TTestIndPower().solve_power(effect_size=0.0, power=0.8)
    with pytest.raises(ValueError, match="alternative on the wrong side"):
        TTestIndPower().solve_power(effect_size=-0.5, power=0.8, alternative="larger")
