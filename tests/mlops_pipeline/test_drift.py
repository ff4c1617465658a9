"""KS, chi-square and PSI drift statistics against scipy.stats and their defining formulas."""

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from mlweekly.mlops_pipeline.drift import (
    binned_proportions,
    chi2_homogeneity,
    ks_2samp,
    psi,
    psi_categorical,
)

FAST = settings(max_examples=60, deadline=None)


def samples(min_size=1, max_size=60):
    # values on a coarse grid so that ties (within and across samples) are common
    values = hs.integers(-20, 20).map(lambda v: v / 4)
    return hs.lists(values, min_size=min_size, max_size=max_size).map(np.array)


def labels(min_size=1, max_size=80):
    return hs.lists(hs.sampled_from(["a", "b", "c", "d"]), min_size=min_size, max_size=max_size).map(np.array)


# ---------------------------------------------------------------- KS vs scipy
@FAST
@given(samples(), samples())
def test_ks_matches_scipy_with_ties(a, b):
    ours, ref = ks_2samp(a, b), st.ks_2samp(a, b)
    # includes SciPy's fall-back to 'asymp' when the exact sum leaves [0, 1] (e.g. D = 1/n, n == m)
    np.testing.assert_allclose([ours.statistic, ours.pvalue], [ref.statistic, ref.pvalue], rtol=1e-10, atol=0)


@FAST
@given(hs.integers(1, 400), hs.integers(1, 400), hs.floats(0, 1), hs.integers(0, 2**32 - 1))
def test_ks_matches_scipy_continuous_sizes(m, n, shift, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=m), rng.normal(shift, 1, size=n)
    ours, ref = ks_2samp(a, b), st.ks_2samp(a, b)
    np.testing.assert_allclose([ours.statistic, ours.pvalue], [ref.statistic, ref.pvalue], rtol=1e-10, atol=0)


@pytest.mark.parametrize("method", ["exact", "asymp"])
def test_ks_methods_match_scipy(method):
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=700), rng.normal(0.1, 1, size=900)
    ours, ref = ks_2samp(a, b, method=method), st.ks_2samp(a, b, method=method)
    np.testing.assert_allclose([ours.statistic, ours.pvalue], [ref.statistic, ref.pvalue], rtol=1e-10, atol=0)
    assert ours.method == method


def test_ks_auto_switches_to_asymptotic_above_10000():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=10_001), rng.normal(0.03, 1, size=5_000)
    ours, ref = ks_2samp(a, b), st.ks_2samp(a, b)
    assert ours.method == "asymp"
    np.testing.assert_allclose([ours.statistic, ours.pvalue], [ref.statistic, ref.pvalue], rtol=1e-10, atol=0)


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [([], [1.0], "reference is empty"), ([1.0, np.nan], [1.0], "NaN"), ([[1.0]], [1.0], "1-d"),
     (["x"], [1.0], "numeric")],
)  # fmt: skip
def test_ks_rejects_bad_input(a, b, match):
    with pytest.raises((ValueError, TypeError), match=match):
        ks_2samp(a, b)


def test_ks_rejects_unknown_method():
    with pytest.raises(ValueError, match="method"):
        ks_2samp([1.0], [2.0], method="approx")


# ---------------------------------------------------------------- chi-square vs scipy
@FAST
@given(labels(), labels())
def test_chi2_matches_scipy_contingency(a, b):
    ours = chi2_homogeneity(a, b)
    cats = sorted(set(a) | set(b))
    table = np.array([[np.sum(a == c) for c in cats], [np.sum(b == c) for c in cats]])
    if len(cats) == 1:  # one category: nothing can differ
        assert (ours.statistic, ours.pvalue, ours.dof) == (0.0, 1.0, 0)
        return
    ref = st.chi2_contingency(table, correction=False)
    np.testing.assert_allclose([ours.statistic, ours.pvalue], [ref.statistic, ref.pvalue], rtol=1e-10,
                               atol=1e-300)
    assert ours.dof == ref.dof
    np.testing.assert_array_equal(ours.table, table)


def test_chi2_rejects_missing_labels():
    with pytest.raises(ValueError, match="missing"):
        chi2_homogeneity(["a", None], ["a"])


# ---------------------------------------------------------------- PSI
def direct_psi(ref, cur, bins, eps):
    """PSI written out bin by bin with explicit loops, as the definition reads."""
    qs = sorted(set(np.quantile(ref, [k / bins for k in range(1, bins)])))
    edges = [-np.inf, *qs, np.inf]
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        r = sum(lo <= v < hi for v in ref) / len(ref) or eps
        c = sum(lo <= v < hi for v in cur) / len(cur) or eps
        total += (c - r) * np.log(c / r)
    return total


@FAST
@given(samples(min_size=2), samples(), hs.integers(2, 12))
def test_psi_matches_direct_formula(a, b, bins):
    np.testing.assert_allclose(psi(a, b, bins=bins), direct_psi(a, b, bins, 1e-4), rtol=1e-12, atol=1e-15)


@FAST
@given(samples(min_size=2))
def test_psi_is_zero_for_identical_samples(a):
    assert psi(a, a) == 0.0


def test_psi_symmetric_form_equals_two_kl_divergences():
    rng = np.random.default_rng(3)
    _, r, c = binned_proportions(rng.normal(size=1000), rng.normal(0.3, 1.2, size=800))
    kl = st.entropy(c, r) + st.entropy(r, c)
    np.testing.assert_allclose(psi_from(r, c), kl, rtol=1e-12)


def psi_from(r, c):
    return float(np.sum((c - r) * np.log(c / r)))


def test_psi_grows_with_shift():
    rng = np.random.default_rng(4)
    ref, noise = rng.normal(size=5000), rng.normal(size=5000)
    values = [psi(ref, noise + s) for s in (0.0, 0.1, 0.25, 0.5, 1.0)]
    assert np.all(np.diff(values) > 0)
    assert values[0] < 0.1 < values[-1]


def test_psi_categorical_matches_definition_with_eps():
    got = psi_categorical(["a", "a", "b", "b"], ["a", "b", "b", "c"], eps=1e-4)
    r, c = np.array([0.5, 0.5, 1e-4]), np.array([0.25, 0.5, 0.25])
    assert got == pytest.approx(psi_from(r, c), rel=1e-12)


@pytest.mark.parametrize("kwargs", [{"bins": 1}, {"eps": 0.0}, {"eps": 1.5}])
def test_psi_rejects_bad_parameters(kwargs):
    with pytest.raises(ValueError, match="bins|eps"):
        psi([1.0, 2.0, 3.0], [1.0, 2.0], **kwargs)
