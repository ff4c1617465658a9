"""Tests of the from-scratch metrics: parity with sklearn.metrics to 1e-12, edge cases, errors."""

import warnings

import numpy as np
import pytest
import scipy.stats
import sklearn.metrics as skm
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.exceptions import UndefinedMetricWarning

from mlweekly.ml_algorithms import metrics as ours

TOL = dict(rtol=0, atol=1e-12)


def _both(name, *args, **kwargs):
    """Run ours and scikit-learn's ``name`` on the same input; both must warn alike."""
    results, categories = [], []
    for module in (ours, skm):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            results.append(getattr(module, name)(*args, **kwargs))
        categories.append({w.category for w in caught})
    assert categories[0] == categories[1], f"{name}: ours warned {categories[0]}, sklearn {categories[1]}"
    return results


def _assert_same(a, b):
    """Same structure (tuple/array/float) and values within 1e-12, NaN where sklearn has NaN."""
    if isinstance(b, tuple):
        assert isinstance(a, tuple) and len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _assert_same(x, y)
        return
    if b is None:
        assert a is None
        return
    assert np.shape(a) == np.shape(b)
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), **TOL)


# ------------------------------------------------------------------ strategies


@st.composite
def labelled(draw, n_classes=(1, 5), max_n=40):
    """y_true, y_pred with few classes (ties of labels everywhere) and optional weights with zeros."""
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(*n_classes))
    y_true = draw(arrays(np.int64, n, elements=st.integers(0, k - 1)))
    y_pred = draw(arrays(np.int64, n, elements=st.integers(0, k - 1)))
    sw = draw(
        st.one_of(st.none(), arrays(np.float64, n, elements=st.sampled_from([0.0, 0.5, 1.0, 2.5, 3.0])))
    )
    assume(sw is None or sw.any())
    return y_true, y_pred, sw


@st.composite
def scored(draw, max_n=50):
    """Binary labels with integer-valued scores (many ties) or free floats, optional weights."""
    n = draw(st.integers(1, max_n))
    y = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    if draw(st.booleans()):
        s = draw(arrays(np.int64, n, elements=st.integers(-3, 3))).astype(np.float64)
    else:
        s = draw(arrays(np.float64, n, elements=st.floats(-1e3, 1e3, allow_nan=False)))
    sw = draw(st.one_of(st.none(), arrays(np.float64, n, elements=st.sampled_from([0.0, 0.25, 1.0, 3.0]))))
    if sw is not None:
        assume(sw.sum() > 0)
    return y, s, sw


def _proba_rows(seed, n, k, pool):
    """n probability rows drawn from a pool of `pool` vectors: many tied scores per column."""
    rng = np.random.default_rng(seed)
    vectors = rng.dirichlet(np.ones(k), size=pool)
    y = rng.integers(0, k, n)
    y[:k] = np.arange(k)  # every class present
    return y, vectors[rng.integers(0, pool, n)], rng


# ------------------------------------------------------------------ counting metrics


@settings(max_examples=80, deadline=None)
@given(data=labelled(), normalize=st.sampled_from([None, "true", "pred", "all"]))
def test_confusion_matrix_parity(data, normalize):
    y_true, y_pred, sw = data
    _assert_same(*_both("confusion_matrix", y_true, y_pred, sample_weight=sw, normalize=normalize))


@settings(max_examples=40, deadline=None)
@given(
    data=labelled(n_classes=(2, 5)), labels=st.lists(st.integers(0, 6), min_size=1, max_size=5, unique=True)
)
def test_confusion_matrix_with_labels_parity(data, labels):
    y_true, y_pred, _ = data
    assume(np.isin(y_true, labels).any())
    _assert_same(*_both("confusion_matrix", y_true, y_pred, labels=labels))


@settings(max_examples=60, deadline=None)
@given(data=labelled(), normalize=st.booleans())
def test_accuracy_parity(data, normalize):
    y_true, y_pred, sw = data
    assume(sw is None or sw.sum() > 0)
    _assert_same(*_both("accuracy_score", y_true, y_pred, normalize=normalize, sample_weight=sw))


@settings(max_examples=150, deadline=None)
@given(
    data=labelled(),
    average=st.sampled_from([None, "micro", "macro", "weighted"]),
    zero_division=st.sampled_from(["warn", 0, 1, 0.0, 1.0, np.nan]),
    name=st.sampled_from(["precision_score", "recall_score", "f1_score"]),
)
def test_precision_recall_f1_parity(data, average, zero_division, name):
    y_true, y_pred, sw = data
    _assert_same(*_both(name, y_true, y_pred, average=average, sample_weight=sw, zero_division=zero_division))


@settings(max_examples=60, deadline=None)
@given(
    data=labelled(n_classes=(2, 5)),
    labels=st.lists(st.integers(0, 6), min_size=1, max_size=6, unique=True),
    average=st.sampled_from([None, "micro", "macro", "weighted"]),
)
def test_prf_with_labels_subset_and_absent_labels(data, labels, average):
    y_true, y_pred, sw = data
    _assert_same(
        *_both(
            "precision_recall_fscore_support",
            y_true,
            y_pred,
            labels=labels,
            average=average,
            sample_weight=sw,
        )
    )


@settings(max_examples=60, deadline=None)
@given(data=labelled(n_classes=(1, 2)), zero_division=st.sampled_from(["warn", 0, 1, np.nan]))
def test_binary_average_parity(data, zero_division):
    y_true, y_pred, sw = data
    for name in ("precision_score", "recall_score", "f1_score"):
        _assert_same(*_both(name, y_true, y_pred, sample_weight=sw, zero_division=zero_division))


@pytest.mark.parametrize("zero_division", ["warn", 0, 1, np.nan])
def test_all_one_class_zero_division(zero_division):
    # nothing predicted positive: precision 0/0; nothing truly positive: recall 0/0.
    for y_true, y_pred in [([1, 1, 1], [0, 0, 0]), ([0, 0, 0], [0, 0, 0]), ([0, 0, 0], [1, 1, 1])]:
        for name in ("precision_score", "recall_score", "f1_score"):
            _assert_same(*_both(name, y_true, y_pred, zero_division=zero_division))


def test_undefined_precision_warns_and_is_zero():
    with pytest.warns(UndefinedMetricWarning, match="Precision is ill-defined"):
        assert ours.precision_score([1, 1, 0], [0, 0, 0]) == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an explicit zero_division is silent
        assert ours.precision_score([1, 1, 0], [0, 0, 0], zero_division=1) == 1.0


def test_micro_average_equals_accuracy_for_single_label_multiclass():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    acc = ours.accuracy_score(y_true, y_pred)
    for name in ("precision_score", "recall_score", "f1_score"):
        assert getattr(ours, name)(y_true, y_pred, average="micro") == pytest.approx(acc, abs=1e-15)


def test_string_labels_and_pos_label():
    y_true = np.array(["spam", "ham", "spam", "spam", "ham"])
    y_pred = np.array(["spam", "spam", "ham", "spam", "ham"])
    for name in ("precision_score", "recall_score", "f1_score"):
        _assert_same(*_both(name, y_true, y_pred, pos_label="spam"))
        _assert_same(*_both(name, y_true, y_pred, average="macro"))
    _assert_same(*_both("confusion_matrix", y_true, y_pred, labels=["spam", "ham"]))


def test_pos_label_ignored_warning_when_averaging():
    _both("f1_score", [0, 1, 2, 2], [0, 2, 2, 1], average="macro", pos_label=2)  # both warn alike


# ------------------------------------------------------------------ curves and areas


@settings(max_examples=150, deadline=None)
@given(data=scored(), drop=st.booleans())
def test_roc_curve_parity(data, drop):
    y, s, sw = data
    _assert_same(*_both("roc_curve", y, s, sample_weight=sw, drop_intermediate=drop))


@settings(max_examples=150, deadline=None)
@given(data=scored(), drop=st.booleans())
def test_precision_recall_curve_parity(data, drop):
    y, s, sw = data
    _assert_same(*_both("precision_recall_curve", y, s, sample_weight=sw, drop_intermediate=drop))


@settings(max_examples=150, deadline=None)
@given(data=scored())
def test_roc_auc_and_average_precision_parity(data):
    y, s, sw = data
    pos_w = y.sum() if sw is None else sw[y == 1].sum()
    neg_w = (1 - y).sum() if sw is None else sw[y == 0].sum()
    assume(pos_w > 0 and neg_w > 0)
    _assert_same(*_both("roc_auc_score", y, s, sample_weight=sw))
    _assert_same(*_both("average_precision_score", y, s, sample_weight=sw))


@settings(max_examples=40, deadline=None)
@given(data=scored(), max_fpr=st.sampled_from([0.05, 0.3, 0.5, 0.99]))
def test_partial_auc_parity(data, max_fpr):
    y, s, sw = data
    assume(0 < y.sum() < y.size)
    _assert_same(*_both("roc_auc_score", y, s, max_fpr=max_fpr))


@settings(max_examples=40, deadline=None)
@given(data=scored())
def test_average_precision_single_class_parity(data):
    y, s, sw = data
    for const in (0, 1):  # no positives (recall set to 1, AP = 0) and no negatives
        _assert_same(*_both("average_precision_score", np.full(y.size, const), s, sample_weight=sw))


def test_curves_with_other_label_sets():
    rng = np.random.default_rng(1)
    s = rng.integers(0, 4, 30).astype(float)
    y01 = rng.integers(0, 2, 30)
    y_pm = 2 * y01 - 1
    y_str = np.where(y01 == 1, "pos", "neg")
    for name in ("roc_curve", "precision_recall_curve"):
        _assert_same(*_both(name, y_pm, s))
        _assert_same(*_both(name, y_str, s, pos_label="pos"))
        _assert_same(*_both(name, y01 + 3, s, pos_label=3))
    _assert_same(*_both("roc_auc_score", y_str, s))  # the greater label ("pos") is positive
    _assert_same(*_both("average_precision_score", y_pm, s))
    _assert_same(*_both("average_precision_score", y_str, s, pos_label="neg"))


@pytest.mark.parametrize("sign", [1, -1], ids=["perfect", "inverted"])
def test_perfect_and_inverted_classifiers(sign):
    y = np.array([0, 0, 0, 1, 1])
    s = sign * np.array([0.1, 0.2, 0.3, 0.8, 0.9])
    assert ours.roc_auc_score(y, s) == (1.0 if sign == 1 else 0.0)
    _assert_same(*_both("roc_curve", y, s))
    _assert_same(*_both("precision_recall_curve", y, s))
    _assert_same(*_both("average_precision_score", y, s))


def test_constant_scores_give_half_auc_and_one_threshold():
    y = np.array([0, 1, 0, 1, 1])
    assert ours.roc_auc_score(y, np.zeros(5)) == 0.5
    fpr, tpr, thr = ours.roc_curve(y, np.zeros(5))
    np.testing.assert_array_equal(thr, [np.inf, 0.0])
    np.testing.assert_array_equal(fpr, [0, 1])
    np.testing.assert_array_equal(tpr, [0, 1])


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(6, 60),
    k=st.integers(3, 5),
    pool=st.integers(2, 8),
    weighted=st.booleans(),
)
def test_multiclass_auc_and_ap_parity(seed, n, k, pool, weighted):
    y, P, rng = _proba_rows(seed, n, k, pool)
    sw = rng.integers(1, 4, n).astype(float) if weighted else None
    for average in ("macro", "weighted", "micro", None):
        _assert_same(*_both("roc_auc_score", y, P, multi_class="ovr", average=average, sample_weight=sw))
        _assert_same(*_both("average_precision_score", y, P, average=average, sample_weight=sw))
    for average in ("macro", "weighted"):
        _assert_same(*_both("roc_auc_score", y, P, multi_class="ovo", average=average))
    labels = np.arange(k)
    _assert_same(*_both("roc_auc_score", y, P, multi_class="ovr", labels=labels))


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(5, 50),
    k=st.integers(2, 5),
    pool=st.integers(1, 6),
    weighted=st.booleans(),
)
def test_log_loss_and_brier_parity(seed, n, k, pool, weighted):
    y, P, rng = _proba_rows(seed, n, k, pool)
    P[: n // 4] = np.eye(k)[rng.integers(0, k, n // 4)]  # hard 0/1 predictions: clipping at eps
    sw = rng.uniform(0.0, 2.0, n) if weighted else None
    _assert_same(*_both("log_loss", y, P, sample_weight=sw))
    _assert_same(*_both("log_loss", y, P, sample_weight=sw, normalize=False))
    _assert_same(*_both("brier_score_loss", y, P, sample_weight=sw))
    _assert_same(*_both("brier_score_loss", y, P, sample_weight=sw, scale_by_half=False))
    yb, p = (y == 0).astype(int), P[:, 0]
    _assert_same(*_both("brier_score_loss", yb, p, sample_weight=sw))
    if 0 < yb.sum() < n:
        _assert_same(*_both("log_loss", yb, p, sample_weight=sw))


def test_log_loss_labels_and_brier_pos_label():
    y = np.array(["b", "c", "b", "b"])
    P = np.array([[0.2, 0.7, 0.1], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0.0, 1.0, 0.0]])
    _assert_same(*_both("log_loss", y, P, labels=["a", "b", "c"]))
    _assert_same(*_both("brier_score_loss", y, P, labels=["a", "b", "c"]))
    p = np.array([0.9, 0.2, 0.6, 0.7])
    _assert_same(*_both("brier_score_loss", np.array(["x", "y", "x", "x"]), p, pos_label="x"))
    _assert_same(*_both("brier_score_loss", np.array([3, 7, 3, 7]), p))  # greater label is positive
    _assert_same(*_both("log_loss", [0, 1, 1, 0], [0.1, 0.8, 1.2 - 0.4, 0.5]))


def test_log_loss_clips_at_machine_epsilon():
    # A certain and wrong prediction costs -log(eps), not infinity.
    assert ours.log_loss([0, 1], [1.0, 1.0]) == pytest.approx(-np.log(np.finfo(float).eps) / 2, rel=1e-15)
    assert ours.log_loss([0, 1], np.array([1.0, 1.0], dtype=np.float32)) == pytest.approx(
        -np.log(np.finfo(np.float32).eps) / 2, rel=1e-6
    )


def test_rows_not_summing_to_one_warn_in_log_loss():
    with pytest.warns(UserWarning, match="do not sum to one"):
        ours.log_loss([0, 1, 2], [[0.5, 0.5, 0.5], [0.2, 0.6, 0.2], [0.1, 0.1, 0.8]])


# ------------------------------------------------------------------ AUC as a probability


@settings(max_examples=60, deadline=None)
@given(data=scored())
def test_auc_is_mann_whitney_u_over_n1_n0(data):
    y, s, _ = data
    assume(0 < y.sum() < y.size)
    u = scipy.stats.mannwhitneyu(s[y == 1], s[y == 0], alternative="two-sided").statistic
    n1, n0 = y.sum(), y.size - y.sum()
    expected = u / (n1 * n0)
    assert ours.roc_auc_score(y, s) == pytest.approx(expected, abs=1e-12)
    assert ours.auc_by_ranks(y, s) == pytest.approx(expected, abs=1e-12)
    # and by brute force over all pairs, ties counting one half
    diff = s[y == 1][:, None] - s[y == 0][None, :]
    assert ours.roc_auc_score(y, s) == pytest.approx(np.mean((diff > 0) + 0.5 * (diff == 0)), abs=1e-12)


def test_unweighted_auc_ignores_order_within_ties():
    # the fast (unstable) sort must give exactly sklearn's curve whatever the order in a tie
    rng = np.random.default_rng(3)
    y, s = rng.integers(0, 2, 2000), rng.integers(0, 5, 2000).astype(float)
    perm = rng.permutation(2000)
    _assert_same(ours.roc_curve(y[perm], s[perm]), skm.roc_curve(y, s))


# ------------------------------------------------------------------ errors


def test_length_mismatch_names_both_lengths():
    with pytest.raises(ValueError, match="y_true has 3 and y_pred has 2"):
        ours.f1_score([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="y_true has 3 and y_score has 4"):
        ours.roc_curve([0, 1, 1], [0.1, 0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(3,\)"):
        ours.accuracy_score([0, 1, 1], [0, 1, 1], sample_weight=[1, 1])
    with pytest.raises(ValueError, match="sample_weight is zero everywhere"):
        ours.accuracy_score([0, 1, 1], [0, 1, 1], sample_weight=[0, 0, 0])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize(
    "name", ["roc_curve", "roc_auc_score", "precision_recall_curve", "average_precision_score"]
)
def test_nan_and_inf_scores(bad, name):
    with pytest.raises(ValueError, match="y_score contains (NaN|infinity)"):
        getattr(ours, name)([0, 1, 1], [0.1, bad, 0.3])


def test_nan_probabilities():
    with pytest.raises(ValueError, match="y_proba contains NaN"):
        ours.log_loss([0, 1, 1], [0.1, np.nan, 0.3])


def test_single_class_auc():
    with pytest.raises(ValueError, match="ROC AUC is undefined with only one class in y_true"):
        ours.roc_auc_score([1, 1, 1], [0.2, 0.5, 0.9])
    with pytest.raises(ValueError, match="only one class"):  # one class keeps positive weight
        ours.roc_auc_score([0, 1, 1], [0.2, 0.5, 0.9], sample_weight=[0, 1, 1])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ours.f1_score([0, 1], [0, 1], average="samples"), "average must be one of"),
        (lambda: ours.precision_score([0, 1], [0, 1], average="mean"), "average must be one of"),
        (lambda: ours.roc_auc_score([0, 1], [0.1, 0.9], average="bogus"), "average must be one of"),
        (lambda: ours.f1_score([0, 1, 2], [0, 1, 2]), "multiclass .* but average='binary'"),
        (lambda: ours.f1_score([0, 1], [0, 1], pos_label=2), "pos_label=2 is not a valid label"),
        (lambda: ours.f1_score([0, 1], [0, 1], zero_division=0.5), "zero_division must be"),
        (lambda: ours.confusion_matrix([0, 1], [0, 1], normalize="rows"), "normalize must be"),
        (lambda: ours.confusion_matrix([0, 1], [0, 1], labels=[5, 6]), "none of labels"),
        (lambda: ours.accuracy_score([0.5, 1.0], [0, 1]), "continuous"),
        (lambda: ours.accuracy_score(np.array(["a", "b"]), np.array([0, 1])), "mix label types"),
        (lambda: ours.roc_curve([0, 1, 2], [0.1, 0.5, 0.9]), "binary but y_true has 3 classes"),
        (lambda: ours.roc_curve(["a", "b"], [0.1, 0.9]), "pos_label is not specified"),
        (lambda: ours.roc_auc_score([0, 1], [[0.1, 0.9], [0.8, 0.2]]), "needs 1-D y_score"),
        (lambda: ours.average_precision_score([0, 2], [0.1, 0.9]), "pos_label=1 is not a valid label"),
        (lambda: ours.log_loss([1, 1], [0.3, 0.9]), "only one label"),
        (lambda: ours.log_loss([0, 1], [0.3, 1.2]), "greater than 1"),
        (lambda: ours.log_loss([0, 1, 2], [[0.2, 0.8], [0.5, 0.5], [0.1, 0.9]]), "3 classes .* 2 columns"),
        (
            lambda: ours.log_loss([0, 1, 5], np.full((3, 3), 1 / 3), labels=[0, 1, 2]),
            r"values \[5\] not belonging",
        ),
        (lambda: ours.brier_score_loss([0, 1], [0.3, 0.4], scale_by_half="yes"), "scale_by_half"),
    ],
)
def test_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_multiclass_auc_errors():
    y = np.array([0, 1, 2, 1])
    P = np.array([[0.2, 0.5, 0.3], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.3, 0.4, 0.3]])
    with pytest.raises(ValueError, match="multi_class='ovr' or 'ovo'"):
        ours.roc_auc_score(y, P)
    with pytest.raises(ValueError, match="should sum up to 1.0 over classes"):
        ours.roc_auc_score(y, P * 1.1, multi_class="ovr")
    with pytest.raises(ValueError, match=r"labels \[3\] are not present in y_true"):
        ours.roc_auc_score(
            y, np.column_stack([P[:, :2], P[:, 2] / 2, P[:, 2] / 2]), multi_class="ovr", labels=[0, 1, 2, 3]
        )
    with pytest.raises(ValueError, match="labels must be sorted"):
        ours.roc_auc_score(y, P, multi_class="ovr", labels=[2, 1, 0])
    with pytest.raises(ValueError, match="3 classes but y_score has 4 columns"):
        ours.roc_auc_score(y, np.full((4, 4), 0.25), multi_class="ovr")
    with pytest.raises(ValueError, match="sample_weight is not supported with multi_class='ovo'"):
        ours.roc_auc_score(y, P, multi_class="ovo", sample_weight=np.ones(4))
    with pytest.raises(ValueError, match="partial AUC"):
        ours.roc_auc_score(y, P, multi_class="ovr", max_fpr=0.5)
