"""Entropy, divergences and mutual information against scipy.stats, scipy.spatial and sklearn.metrics."""

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs
from scipy.spatial.distance import jensenshannon as scipy_js
from scipy.special import rel_entr
from sklearn.metrics import mutual_info_score as sk_mutual_info

from mlweekly.mathematical_foundations.information_theory import (
    binary_entropy,
    contingency_matrix,
    cross_entropy,
    entropy,
    information_gain,
    jensenshannon,
    js_divergence,
    kl_divergence,
    mutual_info_binned,
    mutual_info_score,
    perplexity,
)

FAST = settings(max_examples=80, deadline=None)
# weights with exact zeros mixed in: 0 log 0 = 0 and q = 0 < p must be exercised
weight = hs.one_of(hs.just(0.0), hs.floats(1e-6, 1e3))
bases = hs.one_of(hs.none(), hs.sampled_from([2.0, 10.0, np.e, 0.5, 3.7]))


@hs.composite
def pair(draw, min_size=1, max_size=8):
    k = draw(hs.integers(min_size, max_size))
    vec = hs.lists(weight, min_size=k, max_size=k).filter(lambda w: sum(w) > 0)
    return np.array(draw(vec)), np.array(draw(vec))


@FAST
@given(pair(), bases)
def test_entropy_and_kl_match_scipy(pq, base):
    p, q = pq
    np.testing.assert_allclose(entropy(p, base=base), st.entropy(p, base=base), rtol=1e-12, atol=1e-12)
    ref = st.entropy(p, q, base=base)  # inf when some q = 0 < p
    ours = kl_divergence(p, q, base=base)
    assert np.isinf(ours) == np.isinf(ref)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12)


@FAST
@given(pair(), bases)
def test_cross_entropy_is_entropy_plus_kl(pq, base):
    p, q = pq
    ours = cross_entropy(p, q, base=base)
    ref = st.entropy(p, base=base) + st.entropy(p, q, base=base)
    assert np.isinf(ours) == np.isinf(ref)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12)


@FAST
@given(pair(), hs.one_of(hs.none(), hs.sampled_from([2.0, 10.0, np.e, 3.7])))
def test_jensenshannon_matches_scipy(pq, base):
    p, q = pq
    raw = (rel_entr(p / p.sum(), (p / p.sum() + q / q.sum()) / 2).sum()
           + rel_entr(q / q.sum(), (p / p.sum() + q / q.sum()) / 2).sum())
    ref = scipy_js(p, q, base=base)
    ours = jensenshannon(p, q, base=base)
    if np.isnan(ref):
        # scipy takes the sqrt of a divergence that rounded below zero (p ≈ q); we clip it to 0
        assert raw < 0 and abs(raw) < 1e-15 and ours == 0.0
    else:
        # compare the divergence (the sqrt of a 1e-17 rounding error would be 3e-9 at p ≈ q)
        np.testing.assert_allclose(js_divergence(p, q, base=base), ref**2, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-7)
    assert ours <= np.sqrt(np.log(2) / np.log(base or np.e)) + 1e-12  # JS divergence <= log 2


def test_jensenshannon_exact_values_and_symmetry():
    assert jensenshannon([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], 2.0) == pytest.approx(1.0, rel=1e-15)
    a = np.arange(1, 13).reshape(3, 4)
    b = np.arange(13, 25).reshape(3, 4)
    for axis in (0, 1):
        np.testing.assert_allclose(jensenshannon(a, b, axis=axis), scipy_js(a, b, axis=axis), rtol=1e-12)
        np.testing.assert_allclose(jensenshannon(a, b, axis=axis), jensenshannon(b, a, axis=axis), rtol=1e-14)
    np.testing.assert_allclose(jensenshannon(a, b, axis=1, keepdims=True),
                               scipy_js(a, b, axis=1, keepdims=True), rtol=1e-12)


@FAST
@given(hs.integers(1, 4), hs.integers(2, 5), hs.data())
def test_entropy_axis_and_keepdims_match_scipy(rows, cols, data):
    vals = data.draw(hs.lists(hs.floats(0.01, 10.0), min_size=rows * cols, max_size=rows * cols))
    p = np.array(vals).reshape(rows, cols)
    q = p[::-1, ::-1] + 0.5
    for axis in (0, 1, -1):
        np.testing.assert_allclose(entropy(p, axis=axis), st.entropy(p, axis=axis), rtol=1e-12)
        # a KL near 0 is a sum of +/- terms of size ~1e-2 that cancel: its rounding error is absolute
        # (~1e-16, numpy's log and scipy's C log differ in the last bit), hence the atol
        np.testing.assert_allclose(entropy(p, q, base=2, axis=axis, keepdims=True),
                                   st.entropy(p, q, base=2, axis=axis, keepdims=True), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("nan_policy", ["propagate", "omit"])
def test_nan_policy_matches_scipy(nan_policy):
    p = np.array([[0.2, 0.0, np.nan], [0.3, 0.5, 0.1], [0.5, 0.5, 0.9]])
    q = np.array([[0.1, 0.2, 0.3], [np.nan, 0.5, 0.1], [0.5, 0.3, 0.6]])
    for axis in (0, 1):
        np.testing.assert_allclose(entropy(p, q, axis=axis, nan_policy=nan_policy),
                                   st.entropy(p, q, axis=axis, nan_policy=nan_policy), rtol=1e-12)
        np.testing.assert_allclose(entropy(p, axis=axis, base=3, nan_policy=nan_policy),
                                   st.entropy(p, axis=axis, base=3, nan_policy=nan_policy), rtol=1e-12)


def test_nan_policy_raise():
    with pytest.raises(ValueError, match=r"pk contains NaN \(nan_policy='raise'\)"):
        entropy([0.5, np.nan], nan_policy="raise")


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: entropy([0.5, -0.1]), ValueError, r"pk must be >= 0 \(probabilities or counts\); got -0.1"),
        (lambda: entropy([0.5, np.inf]), ValueError, "pk must be finite"),
        (lambda: entropy([0, 0]), ValueError, "pk must have a positive sum along axis 0"),
        (lambda: entropy([0.5, 0.5], [0, 0]), ValueError, "qk must have a positive sum"),
        (lambda: entropy([]), ValueError, "pk must be a non-empty array"),
        (lambda: entropy(["a", "b"]), TypeError, "pk must be an array of non-negative numbers"),
        (lambda: entropy([0.5, 0.5], base=1), ValueError, "base must be a finite number > 0 and != 1"),
        (lambda: entropy([0.5, 0.5], base=-2), ValueError, "base must be a finite number > 0"),
        (lambda: entropy([0.5, 0.5], base="2"), TypeError, "base must be a number"),
        (lambda: entropy([0.5, 0.5], axis=1), ValueError, "axis 1 is out of bounds"),
        (lambda: entropy([0.5, 0.5], nan_policy="ignore"), ValueError, "nan_policy must be one of"),
        (lambda: entropy([0.5, 0.5], [0.2, 0.3, 0.5]), ValueError, "do not broadcast"),
        (lambda: jensenshannon([1, 0], [-1, 2]), ValueError, "q must be >= 0"),
        (lambda: binary_entropy(1.5), ValueError, r"p must be a probability in \[0, 1\]"),
    ],
)
def test_validation(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_zero_log_zero_and_infinite_kl():
    assert entropy([1.0, 0.0]) == 0.0
    assert kl_divergence([0.0, 1.0], [0.5, 0.5]) == pytest.approx(np.log(2), rel=1e-15)
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) != kl_divergence([1.0, 0.0], [0.5, 0.5])  # asymmetric


@FAST
@given(hs.floats(0.0, 1.0))
def test_binary_entropy_matches_scipy_bernoulli(p):
    ref = st.bernoulli(p).entropy() / np.log(2)
    np.testing.assert_allclose(binary_entropy(p), ref, rtol=1e-12, atol=1e-15)


@FAST
@given(pair(min_size=2))
def test_perplexity_is_exp_entropy_and_base_free(pq):
    p, q = pq
    np.testing.assert_allclose(perplexity(p), 2 ** st.entropy(p, base=2), rtol=1e-12)
    np.testing.assert_allclose(perplexity(p, q), np.exp(st.entropy(p) + st.entropy(p, q)), rtol=1e-12)
    assert 1.0 - 1e-12 <= perplexity(p) <= np.count_nonzero(p) + 1e-9  # between 1 and the support size


# ----------------------------------------------------------------- mutual information
labels = hs.lists(hs.integers(0, 4), min_size=1, max_size=60)


@FAST
@given(labels, hs.data())
def test_mutual_info_matches_sklearn(a, data):
    b = data.draw(hs.lists(hs.sampled_from(["x", "y", "z"]), min_size=len(a), max_size=len(a)))
    ref = sk_mutual_info(a, b)
    np.testing.assert_allclose(mutual_info_score(a, b), ref, rtol=1e-12, atol=1e-12)
    C = contingency_matrix(a, b)
    np.testing.assert_allclose(mutual_info_score(contingency=C), sk_mutual_info(None, None, contingency=C),
                               rtol=1e-12, atol=1e-12)
    # I(X;Y) = H(X) + H(Y) - H(X,Y)
    h = st.entropy(C.sum(1)) + st.entropy(C.sum(0)) - st.entropy(C.ravel())
    np.testing.assert_allclose(mutual_info_score(a, b), h, atol=1e-12)
    np.testing.assert_allclose(mutual_info_score(a, b, base=2), ref / np.log(2), rtol=1e-12, atol=1e-12)


def test_mutual_info_of_a_labelling_with_itself_is_its_entropy():
    y = np.repeat([0, 1, 2, 3], [5, 10, 20, 65])
    assert mutual_info_score(y, y) == pytest.approx(st.entropy([5, 10, 20, 65]), rel=1e-13)
    assert mutual_info_score(y, np.zeros_like(y)) == 0.0


def test_mutual_info_validation():
    with pytest.raises(ValueError, match="same length; got 3 and 2"):
        mutual_info_score([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="labels_true contains NaN"):
        mutual_info_score([0.0, np.nan], [0, 1])
    with pytest.raises(ValueError, match=r"contingency must be 2-d; got shape \(3,\)"):
        mutual_info_score(contingency=[1, 2, 3])
    with pytest.raises(ValueError, match="contingency must be >= 0"):
        mutual_info_score(contingency=[[1, -2], [3, 4]])
    with pytest.raises(ValueError, match="pass labels_true and labels_pred, or contingency"):
        mutual_info_score([0, 1])
    with pytest.raises(ValueError, match="x must be finite"):
        mutual_info_binned([0.0, np.nan, 1.0], [1.0, 2.0, 3.0])


def test_mutual_info_binned_equals_discrete_mi_of_the_bins():
    rng = np.random.default_rng(0)
    x = rng.normal(size=500)
    y = x + rng.normal(size=500)
    ex, ey = np.histogram_bin_edges(x, 8), np.histogram_bin_edges(y, 8)
    bx = np.clip(np.searchsorted(ex, x, side="right") - 1, 0, 7)
    by = np.clip(np.searchsorted(ey, y, side="right") - 1, 0, 7)
    np.testing.assert_allclose(mutual_info_binned(x, y, bins=8), sk_mutual_info(bx, by), rtol=1e-12)
    np.testing.assert_allclose(mutual_info_binned(x, y, bins="fd"),
                               mutual_info_binned(x, y, bins=[np.histogram_bin_edges(x, "fd"),
                                                              np.histogram_bin_edges(y, "fd")]), rtol=1e-15)


@FAST
@given(hs.lists(hs.tuples(hs.integers(0, 2), hs.booleans()), min_size=1, max_size=50))
def test_information_gain_is_mi_in_bits(rows):
    y, g = map(np.array, zip(*rows, strict=True))
    ref = st.entropy(np.bincount(y), base=2) - sum(
        np.mean(g == v) * st.entropy(np.bincount(y[g == v]), base=2) for v in np.unique(g))
    np.testing.assert_allclose(information_gain(y, g), ref, atol=1e-12)
    np.testing.assert_allclose(information_gain(y, g), sk_mutual_info(y, g) / np.log(2), atol=1e-12)
