"""z, t, proportion and chi² tests against scipy.stats and statsmodels."""

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import assume, given, settings
from hypothesis import strategies as hs
from statsmodels.stats import proportion as smp
from statsmodels.stats import weightstats as smw

from mlweekly.statistical_theory.hypothesis_tests import (
    chi2_contingency,
    proportions_ztest,
    ttest_1samp,
    ttest_ind,
    ttest_rel,
    ztest,
)

FAST = settings(max_examples=60, deadline=None)
SCIPY_ALTS = ["two-sided", "less", "greater"]
SM_NAME = {"two-sided": "two-sided", "less": "smaller", "greater": "larger"}


def samples(min_size=2, max_size=40):
    values = hs.floats(-1e3, 1e3, allow_nan=False)
    return hs.lists(values, min_size=min_size, max_size=max_size).map(np.array)


def spread(x):
    """Enough spread that the statistic is well conditioned (no near-constant samples)."""
    return np.ptp(x) > 1e-6 * (1 + np.abs(x).max())


def close(ours, ref, rtol=1e-10, atol=1e-300):
    np.testing.assert_allclose([ours.statistic, ours.pvalue], [ref[0], ref[1]], rtol=rtol, atol=atol)


# ---------------------------------------------------------------- t-tests vs scipy
@FAST
@given(samples(), hs.floats(-1e3, 1e3), hs.sampled_from(SCIPY_ALTS))
def test_ttest_1samp_matches_scipy(x, mu, alt):
    assume(spread(x))
    ours, ref = ttest_1samp(x, mu, alternative=alt), st.ttest_1samp(x, mu, alternative=alt)
    close(ours, ref)
    assert ours.df == ref.df


@FAST
@given(samples(), samples(), hs.booleans(), hs.sampled_from(SCIPY_ALTS))
def test_ttest_ind_matches_scipy(a, b, equal_var, alt):
    assume(spread(a) and spread(b))
    ours = ttest_ind(a, b, equal_var=equal_var, alternative=alt)
    ref = st.ttest_ind(a, b, equal_var=equal_var, alternative=alt)
    close(ours, ref)
    np.testing.assert_allclose(ours.df, ref.df, rtol=1e-12)


@FAST
@given(hs.integers(2, 40), hs.data(), hs.sampled_from(SCIPY_ALTS))
def test_ttest_rel_matches_scipy(n, data, alt):
    a = np.array(data.draw(hs.lists(hs.floats(-1e3, 1e3), min_size=n, max_size=n)))
    b = np.array(data.draw(hs.lists(hs.floats(-1e3, 1e3), min_size=n, max_size=n)))
    assume(spread(a - b))
    close(ttest_rel(a, b, alternative=alt), st.ttest_rel(a, b, alternative=alt))


def test_ttests_on_breast_cancer_features():
    from mlweekly import datasets

    X, y = datasets.load_xy("breast_cancer")
    for j in range(X.shape[1]):
        a, b = X[y == 0, j], X[y == 1, j]
        for equal_var in (True, False):
            close(ttest_ind(a, b, equal_var=equal_var), st.ttest_ind(a, b, equal_var=equal_var))


def test_nan_policy():
    a = np.array([1.0, 2.0, np.nan, 4.0, 3.5])
    b = np.array([2.0, 2.5, 3.0, 5.5, np.nan])
    with pytest.raises(ValueError, match="a contains NaN"):
        ttest_1samp(a, 0)
    res = ttest_1samp(a, 0, nan_policy="propagate")
    assert np.isnan(res.statistic) and np.isnan(res.pvalue)
    close(ttest_1samp(a, 1, nan_policy="omit"), st.ttest_1samp(a, 1, nan_policy="omit"))
    close(ttest_ind(a, b, nan_policy="omit"), st.ttest_ind(a, b, nan_policy="omit"))
    close(ttest_rel(a, b, nan_policy="omit"), st.ttest_rel(a, b, nan_policy="omit"))  # drops 2 pairs
    with pytest.raises(ValueError, match="a or b contains NaN"):
        ttest_rel(a, b)
    assert np.isnan(ttest_rel(a, b, nan_policy="propagate").pvalue)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ttest_1samp([1.0], 0), "at least 2 observations, got 1"),
        (lambda: ttest_1samp([np.nan, 1.0], 0, nan_policy="omit"), "a is too small"),
        (lambda: ttest_1samp([3.0, 3.0, 3.0], 0), "zero variance"),
        (lambda: ttest_ind([1.0, 1.0], [2.0, 2.0]), "zero variance"),
        (lambda: ttest_rel([1.0, 2.0, 3.0], [0.0, 1.0, 2.0]), "zero variance"),
        (lambda: ttest_rel([1.0, 2.0, 3.0], [0.0, 1.0]), "same length"),
        (lambda: ttest_1samp(np.ones((2, 2)), 0), "1-d sample"),
        (lambda: ttest_1samp([1.0, np.inf], 0), "contains inf"),
        (lambda: ttest_1samp([1.0, 2.0], 0, alternative="bigger"), "alternative must be one of"),
        (lambda: ttest_1samp([1.0, 2.0], 0, nan_policy="ignore"), "nan_policy must be one of"),
        (lambda: ztest([1.0, 2.0], usevar="equal"), "usevar must be"),
    ],
)
def test_validation(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_non_numeric_input():
    with pytest.raises(TypeError, match="a must be numeric"):
        ttest_1samp(["x", "y"], 0)


# ---------------------------------------------------------------- z-tests vs statsmodels
@FAST
@given(samples(), hs.one_of(hs.none(), samples()), hs.floats(-10, 10), hs.sampled_from(SCIPY_ALTS),
       hs.sampled_from(["pooled", "unequal"]))
def test_ztest_matches_statsmodels(a, b, value, alt, usevar):
    assume(spread(a) and (b is None or spread(b)))
    ours = ztest(a, b, value=value, alternative=alt, usevar=usevar)
    close(ours, smw.ztest(a, b, value=value, alternative=SM_NAME[alt], usevar=usevar))
    # statsmodels' own names are accepted too
    assert ztest(a, b, value=value, alternative=SM_NAME[alt], usevar=usevar) == ours


def test_ztest_equals_ttest_statistic_and_tends_to_it():
    rng = np.random.default_rng(0)
    x = rng.normal(0.1, 1, 5000)
    z, t = ztest(x), ttest_1samp(x, 0)
    assert z.statistic == pytest.approx(t.statistic, rel=1e-13)  # same s / sqrt(n)
    assert abs(z.pvalue - t.pvalue) < 1e-4  # t_{4999} is almost normal


@FAST
@given(hs.integers(1, 500), hs.data(), hs.sampled_from(SCIPY_ALTS), hs.booleans())
def test_proportions_ztest_matches_statsmodels(n1, data, alt, two):
    k1 = data.draw(hs.integers(0, n1))
    if two:
        n2 = data.draw(hs.integers(1, 500))
        k2 = data.draw(hs.integers(0, n2))
        count, nobs, value = [k1, k2], [n1, n2], data.draw(hs.floats(-0.5, 0.5))
        assume(0 < k1 + k2 < n1 + n2)
    else:
        count, nobs, value = k1, n1, data.draw(hs.floats(0.01, 0.99))
        assume(0 < k1 < n1)
    ours = proportions_ztest(count, nobs, value=value, alternative=alt)
    close(ours, smp.proportions_ztest(count, nobs, value=value, alternative=SM_NAME[alt]))
    ours = proportions_ztest(count, nobs, value=value, alternative=alt, prop_var=0.3)
    close(ours, smp.proportions_ztest(count, nobs, value=value, alternative=SM_NAME[alt], prop_var=0.3))


def test_proportions_ztest_validation():
    with pytest.raises(ValueError, match="value must be provided"):
        proportions_ztest(3, 10)
    with pytest.raises(ValueError, match="0 <= count <= nobs"):
        proportions_ztest(12, 10, value=0.5)
    with pytest.raises(ValueError, match="zero variance"):
        proportions_ztest([0, 0], [10, 20])


# ---------------------------------------------------------------- chi² independence vs scipy
@FAST
@given(hs.integers(1, 5), hs.integers(1, 5), hs.data(), hs.booleans())
def test_chi2_contingency_matches_scipy(r, c, data, correction):
    table = np.array(data.draw(hs.lists(hs.integers(1, 300), min_size=r * c, max_size=r * c))).reshape(r, c)
    ours = chi2_contingency(table, correction=correction)
    ref = st.chi2_contingency(table, correction=correction)
    close(ours, (ref.statistic, ref.pvalue))
    assert ours.dof == ref.dof
    np.testing.assert_allclose(ours.expected_freq, ref.expected_freq, rtol=1e-13)


def test_yates_correction_changes_2x2_only():
    t22 = [[12, 5], [3, 10]]
    assert chi2_contingency(t22).statistic < chi2_contingency(t22, correction=False).statistic
    t23 = [[12, 5, 7], [3, 10, 8]]
    assert chi2_contingency(t23).statistic == chi2_contingency(t23, correction=False).statistic


def test_chi2_contingency_validation():
    with pytest.raises(ValueError, match="non-negative counts"):
        chi2_contingency([[1, -2], [3, 4]])
    with pytest.raises(ValueError, match="row or column of zeros"):
        chi2_contingency([[0, 0], [3, 4]])
    with pytest.raises(ValueError, match="2-d table"):
        chi2_contingency([1, 2, 3])


# ---------------------------------------------------------------- calibration: the type I error rate is alpha
def test_type_one_error_rate_is_alpha():
    # 4000 t-tests on N(0, 1) samples of size 8 (H0 true): the rejection rate at alpha = 0.05 has
    # binomial standard error sqrt(0.05 * 0.95 / 4000) = 0.0034, so +-0.014 is ~4 sigma.
    rng = np.random.default_rng(1)
    p = np.array([ttest_1samp(x, 0.0).pvalue for x in rng.normal(size=(4000, 8))])
    assert abs(np.mean(p < 0.05) - 0.05) < 0.014
    # and the p-values are uniform under H0
    assert st.kstest(p, "uniform").pvalue > 0.001
