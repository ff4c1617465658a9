"""Ranking metrics: ROC and precision-recall curves, ROC AUC and average precision, from scratch.

Everything rests on one pass over the scores sorted in decreasing order: at each *distinct* score
``t`` (tied scores form one threshold — a classifier cannot separate them) count the true and
false positives among the samples with ``score >= t``. The curves are those counts normalised;
the areas are sums over them. Semantics (thresholds, ties, dropped points, warnings) follow
``sklearn.metrics`` 1.9.
"""

from __future__ import annotations

import warnings
from itertools import combinations

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning

from mlweekly.ml_algorithms import _metric_inputs as inp

__all__ = [
    "average_precision_score",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
]

_AVERAGES = ("micro", "macro", "weighted", None)


def _counts_at_thresholds(pos, score, sample_weight):
    """False and true positives (weighted) at each distinct score, scores decreasing.

    ``fps[i]``, ``tps[i]`` count the negatives and positives with ``score >= thresholds[i]``.
    Zero-weight samples are dropped first: they must not create thresholds.
    """
    if sample_weight is not None:
        keep = sample_weight != 0
        pos, score, sample_weight = pos[keep], score[keep], sample_weight[keep]
        # A stable descending sort (scikit-learn's order) makes the weighted cumulative sums, and
        # so the exact-zero tests of drop_intermediate, identical to scikit-learn's.
        n = score.size
        order = n - 1 - np.argsort(score[::-1], kind="stable")[::-1]
    else:
        # Without weights the counts are integers: any order within a tie gives the same sums,
        # so the faster unstable sort will do.
        order = np.argsort(score)[::-1]
    score = score[order]
    pos = pos[order]
    distinct = np.flatnonzero(score[1:] != score[:-1])
    idx = np.append(distinct, score.size - 1)
    if sample_weight is None:
        tps = np.cumsum(pos, dtype=np.float64)[idx]
        fps = 1.0 + idx - tps  # samples so far minus the positives among them
    else:
        w = sample_weight[order]
        y = pos.astype(np.float64)
        tps = np.cumsum(y * w)[idx]
        fps = np.cumsum((1.0 - y) * w)[idx]  # a cumsum keeps fps monotone despite rounding
    return fps, tps, score[idx]


def _binary_inputs(y_true, y_score, pos_label, sample_weight, caller):
    y_true = inp.column(y_true, "y_true")
    y_score = inp.check_scores(y_score, "y_score")
    inp.check_lengths(y_true=y_true, y_score=y_score)
    sw = inp.check_sample_weight(sample_weight, y_true.size)
    inp.check_labels(y_true, "y_true")
    present = inp.classes(y_true, "y_true")
    if present.size > 2 and pos_label is None:
        raise ValueError(
            f"{caller} is binary but y_true has {present.size} classes: pass pos_label to score "
            "one class against the rest"
        )
    pos_label = inp.resolve_pos_label(pos_label, present)
    return y_true == pos_label, y_score, sw


def _roc_points(pos, score, sw, drop_intermediate):
    fps, tps, thresholds = _counts_at_thresholds(pos, score, sw)
    if drop_intermediate and fps.size > 2:
        # Keep a point only where the curve bends (second difference of fps or tps non-zero):
        # collinear points change neither the curve's shape nor its area.
        bend = np.logical_or(np.diff(fps, 2), np.diff(tps, 2))
        keep = np.flatnonzero(np.concatenate([[True], bend, [True]]))
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    # A threshold of +inf predicts nothing positive: the curve starts at (0, 0).
    fps = np.concatenate([[0.0], fps])
    tps = np.concatenate([[0.0], tps])
    thresholds = np.concatenate([[np.inf], thresholds.astype(np.float64)])
    return fps, tps, thresholds


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """Receiver operating characteristic: true vs false positive rate at every threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels; without ``pos_label`` they must be in {0, 1} or {-1, 1}.
    y_score : array-like of shape (n_samples,)
        Scores (probabilities or decision values); larger means more likely positive.
    pos_label : int, float, bool or str, default=None
        The positive class (default 1).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights; zero-weight samples are ignored.
    drop_intermediate : bool, default=True
        Drop thresholds whose point is collinear with its neighbours (the area is unchanged).

    Returns
    -------
    fpr : ndarray
        Increasing false positive rates; ``fpr[i]`` is the rate with ``score >= thresholds[i]``.
    tpr : ndarray
        Increasing true positive rates.
    thresholds : ndarray
        Decreasing thresholds; ``thresholds[0] = inf`` (nothing predicted positive).

    Examples
    --------
    >>> from mlweekly.ml_algorithms import roc_curve
    >>> fpr, tpr, thr = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr.tolist(), tpr.tolist(), thr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0], [inf, 0.8, 0.4, 0.35, 0.1])
    """
    pos, score, sw = _binary_inputs(y_true, y_score, pos_label, sample_weight, "roc_curve")
    fps, tps, thresholds = _roc_points(pos, score, sw, drop_intermediate)
    if fps[-1] <= 0:
        warnings.warn(
            "No negative samples in y_true, false positive value should be meaningless",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        fpr = np.full(fps.shape, np.nan)
    else:
        fpr = fps / fps[-1]
    if tps[-1] <= 0:
        warnings.warn(
            "No positive samples in y_true, true positive value should be meaningless",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        tpr = np.full(tps.shape, np.nan)
    else:
        tpr = tps / tps[-1]
    return fpr, tpr, thresholds


def precision_recall_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=False):
    """Precision and recall at every threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels; without ``pos_label`` they must be in {0, 1} or {-1, 1}.
    y_score : array-like of shape (n_samples,)
        Scores; larger means more likely positive.
    pos_label : int, float, bool or str, default=None
        The positive class (default 1).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    drop_intermediate : bool, default=False
        Keep only the first and last threshold of each run with equal true positives (the
        vertical segments of the plotted curve).

    Returns
    -------
    precision : ndarray of shape (n_thresholds + 1,)
        ``precision[i]`` with ``score >= thresholds[i]``; the last element is 1.
    recall : ndarray of shape (n_thresholds + 1,)
        Decreasing recalls; the last element is 0.
    thresholds : ndarray of shape (n_thresholds,)
        Increasing distinct scores.

    Examples
    --------
    >>> from mlweekly.ml_algorithms import precision_recall_curve
    >>> p, r, t = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> p.round(3).tolist(), r.tolist(), t.tolist()
    ([0.5, 0.667, 0.5, 1.0, 1.0], [1.0, 1.0, 0.5, 0.5, 0.0], [0.1, 0.35, 0.4, 0.8])
    """
    pos, score, sw = _binary_inputs(y_true, y_score, pos_label, sample_weight, "precision_recall_curve")
    return _pr_curve(pos, score, sw, drop_intermediate)


def _pr_curve(pos, score, sw, drop_intermediate=False):
    fps, tps, thresholds = _counts_at_thresholds(pos, score, sw)
    if drop_intermediate and fps.size > 2:
        changes = np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:]))
        keep = np.flatnonzero(np.concatenate([[True], changes, [True]]))
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    ps = tps + fps
    precision = np.divide(tps, ps, out=np.zeros_like(tps), where=ps != 0)
    if tps[-1] == 0:
        warnings.warn(
            "No positive class found in y_true, recall is set to one for all thresholds.", stacklevel=3
        )
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    return (
        np.concatenate([precision[::-1], [1.0]]),
        np.concatenate([recall[::-1], [0.0]]),
        thresholds[::-1],
    )


def _average_precision(pos, score, sw):
    """Step-wise area under the PR curve: ``AP = Σ_n (R_n - R_{n-1}) P_n`` (no interpolation)."""
    precision, recall, _ = _pr_curve(pos, score, sw)
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


def _roc_auc(pos, score, sw, max_fpr=None):
    """Trapezoidal area under the ROC curve (standardised partial area with ``max_fpr``)."""
    fps, tps, _ = _roc_points(pos, score, sw, drop_intermediate=True)
    if fps[-1] <= 0 or tps[-1] <= 0:
        raise ValueError("ROC AUC is undefined with only one class in y_true")
    fpr, tpr = fps / fps[-1], tps / tps[-1]
    if max_fpr is None or max_fpr == 1:
        return float(np.trapezoid(tpr, fpr))
    if not 0 < max_fpr <= 1:
        raise ValueError(f"max_fpr must be in (0, 1], got {max_fpr!r}")
    stop = np.searchsorted(fpr, max_fpr, "right")
    tpr_cut = np.interp(max_fpr, fpr[stop - 1 : stop + 1], tpr[stop - 1 : stop + 1])
    partial = np.trapezoid(np.append(tpr[:stop], tpr_cut), np.append(fpr[:stop], max_fpr))
    # McClish correction: 0.5 for a non-discriminant classifier, 1 for a perfect one.
    lo, hi = 0.5 * max_fpr**2, max_fpr
    return float(0.5 * (1 + (partial - lo) / (hi - lo)))


def _check_average(average):
    if average not in _AVERAGES:
        raise ValueError(f"average must be one of {_AVERAGES}, got {average!r}")


def _average_over_classes(metric, Y, S, average, sw):
    """One-vs-rest: ``metric`` on each column of the indicator ``Y`` and scores ``S``, averaged."""
    if average == "micro":
        w = None if sw is None else np.repeat(sw, Y.shape[1])
        return metric(Y.ravel(), S.ravel(), w)
    scores = np.array([metric(Y[:, k], S[:, k], sw) for k in range(Y.shape[1])])
    if average is None:
        return scores
    if average == "macro":
        return float(np.mean(scores))
    support = Y.sum(axis=0) if sw is None else (Y * sw[:, None]).sum(axis=0)
    if np.isclose(support.sum(), 0):
        return 0.0
    return float(np.average(np.where(support == 0, 0.0, scores), weights=support))


def _multiclass_inputs(y_true, y_score, labels, caller):
    if y_score.ndim != 2:
        raise ValueError(
            f"y_score must have shape (n_samples, n_classes) since y_true contains multiple "
            f"classes, got shape {y_score.shape}"
        )
    if labels is None:
        classes = inp.classes(y_true, "y_true")
        if classes.size != y_score.shape[1]:
            raise ValueError(
                f"y_true has {classes.size} classes but y_score has {y_score.shape[1]} columns; "
                "pass labels to name the class of each column"
            )
        return classes
    classes = np.asarray(labels)
    if np.unique(classes).size != classes.size:
        raise ValueError(f"labels must be unique, got {classes.tolist()}")
    if not np.array_equal(np.sort(classes), classes):
        raise ValueError(f"labels must be sorted (the order of y_score's columns), got {classes.tolist()}")
    if classes.size != y_score.shape[1]:
        raise ValueError(f"{classes.size} labels given but y_score has {y_score.shape[1]} columns")
    present = inp.classes(y_true, "y_true")
    unknown = np.setdiff1d(present, classes)
    if unknown.size:
        raise ValueError(f"y_true contains labels not in labels: {unknown.tolist()}")
    absent = np.setdiff1d(classes, present)
    if absent.size:
        raise ValueError(
            f"labels {absent.tolist()} are not present in y_true: their one-vs-rest {caller} is undefined"
        )
    return classes


def roc_auc_score(
    y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None, multi_class="raise", labels=None
):
    """Area under the ROC curve: the probability that a random positive outscores a random negative.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels: two classes (the greater one is positive) or more (multiclass).
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary: scores of the greater class. Multiclass: probabilities, one column per class in
        sorted order (or the order of ``labels``); each row must sum to 1.
    average : {"macro", "weighted", "micro"} or None, default="macro"
        Multiclass averaging of the per-class (ovr) or per-pair (ovo) areas: plain mean,
        weighted by support (ovr) or prevalence (ovo), ``"micro"`` pools every (sample, class)
        pair (ovr only), ``None`` returns the per-class areas (ovr only). Ignored for binary.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights (not supported with ``multi_class="ovo"``).
    max_fpr : float in (0, 1], default=None
        Binary only: the McClish-standardised partial area over ``fpr <= max_fpr``.
    multi_class : {"raise", "ovr", "ovo"}, default="raise"
        Multiclass strategy: one-vs-rest or Hand & Till's one-vs-one; "raise" refuses multiclass.
    labels : array-like of shape (n_classes,), default=None
        Multiclass: sorted labels naming the columns of ``y_score``; all must occur in ``y_true``.

    Returns
    -------
    auc : float or ndarray
        The area (per class with ``average=None``).

    Examples
    --------
    >>> from mlweekly.ml_algorithms import roc_auc_score
    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    y_true = inp.column(y_true, "y_true")
    y_score = inp.check_scores(y_score, "y_score", ndim=(1, 2))
    inp.check_lengths(y_true=y_true, y_score=y_score)
    sw = inp.check_sample_weight(sample_weight, y_true.size)
    inp.check_labels(y_true, "y_true")
    _check_average(average)
    present = inp.classes(y_true, "y_true")
    if present.size > 2 or (y_score.ndim == 2 and y_score.shape[1] > 2):
        if max_fpr is not None and max_fpr != 1:
            raise ValueError(f"partial AUC (max_fpr={max_fpr!r}) is not available for multiclass y_true")
        if multi_class not in ("ovr", "ovo"):
            raise ValueError(f"multiclass y_true needs multi_class='ovr' or 'ovo', got {multi_class!r}")
        classes = _multiclass_inputs(y_true, y_score, labels, "ROC AUC")
        if not np.allclose(1, y_score.sum(axis=1)):
            raise ValueError(
                "Target scores need to be probabilities for multiclass roc_auc, i.e. they should sum "
                "up to 1.0 over classes"
            )
        if multi_class == "ovo":
            return _ovo_auc(inp.encode(y_true, classes), y_score, average, sw)
        Y = y_true[:, None] == classes[None, :]
        return _average_over_classes(_roc_auc, Y, y_score, average, sw)
    if y_score.ndim != 1:
        raise ValueError(
            f"binary y_true needs 1-D y_score (the scores of class {present[-1].item()!r}), got shape "
            f"{y_score.shape}; with predict_proba pass proba[:, 1]"
        )
    if present.size < 2:
        raise ValueError("ROC AUC is undefined with only one class in y_true")
    return _roc_auc(y_true == present[-1], y_score, sw, max_fpr)


def _ovo_auc(y_idx, y_score, average, sw):
    """Hand & Till (2001): mean over class pairs of the two one-vs-one areas."""
    if sw is not None:
        raise ValueError("sample_weight is not supported with multi_class='ovo'")
    if average not in ("macro", "weighted"):
        raise ValueError(f"multi_class='ovo' supports average 'macro' or 'weighted', got {average!r}")
    pairs = list(combinations(range(y_score.shape[1]), 2))
    scores, prevalence = np.empty(len(pairs)), np.empty(len(pairs))
    for i, (a, b) in enumerate(pairs):
        mask = (y_idx == a) | (y_idx == b)
        prevalence[i] = mask.mean()
        yt = y_idx[mask]
        scores[i] = (
            _roc_auc(yt == a, y_score[mask, a], None) + _roc_auc(yt == b, y_score[mask, b], None)
        ) / 2
    return float(np.average(scores, weights=prevalence if average == "weighted" else None))


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1, sample_weight=None):
    """Average precision: the step-wise area ``Σ_n (R_n - R_{n-1}) P_n`` under the PR curve.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, binary or multiclass (then scored one-vs-rest).
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Scores of the positive class, or one column per class (sorted order) for multiclass.
    average : {"macro", "weighted", "micro"} or None, default="macro"
        Multiclass averaging of the per-class values (ignored for binary).
    pos_label : int, float, bool or str, default=1
        The positive class of binary ``y_true``; must be 1 for multiclass.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    ap : float or ndarray
        Average precision (per class with ``average=None``).

    Examples
    --------
    >>> from mlweekly.ml_algorithms import average_precision_score
    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    y_true = inp.column(y_true, "y_true")
    y_score = inp.check_scores(y_score, "y_score", ndim=(1, 2))
    inp.check_lengths(y_true=y_true, y_score=y_score)
    sw = inp.check_sample_weight(sample_weight, y_true.size)
    inp.check_labels(y_true, "y_true")
    _check_average(average)
    present = inp.classes(y_true, "y_true")
    if present.size > 2:
        if pos_label != 1:
            raise ValueError("pos_label is fixed to 1 for multiclass y_true: do not set it")
        _multiclass_inputs(y_true, y_score, None, "average precision")
        Y = y_true[:, None] == present[None, :]
        return _average_over_classes(_average_precision, Y, y_score, average, sw)
    if present.size == 2 and pos_label not in present.tolist():
        raise ValueError(
            f"pos_label={pos_label!r} is not a valid label: it should be one of {present.tolist()}"
        )
    if y_score.ndim != 1:
        raise ValueError(f"binary y_true needs 1-D y_score, got shape {y_score.shape}")
    return _average_precision(y_true == pos_label, y_score, sw)


def auc_by_ranks(y_true, y_score):
    """ROC AUC as the Mann–Whitney statistic ``U / (n₊ n₋)``, ties counted ½ (no weights).

    ``U = Σ_{i positive} rank_i - n₊(n₊ + 1)/2`` with mid-ranks for ties; ``y_true`` is 0/1 or bool.
    A second, independent route to the area that :func:`roc_auc_score` computes by trapezoids.
    """
    pos = inp.column(y_true, "y_true").astype(bool)
    score = inp.check_scores(y_score, "y_score")
    s = np.sort(score)
    # mid-rank of a value v: (#below) + (#equal + 1)/2, 1-based
    below = np.searchsorted(s, score[pos], "left")
    equal = np.searchsorted(s, score[pos], "right") - below
    n_pos, n_neg = pos.sum(), (~pos).sum()
    if n_pos == 0 or n_neg == 0:
        raise ValueError("ROC AUC is undefined with only one class in y_true")
    u = np.sum(below + (equal + 1) / 2) - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))
