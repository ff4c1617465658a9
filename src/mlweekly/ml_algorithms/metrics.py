"""Classification metrics from scratch, with scikit-learn's names and semantics.

Counting metrics (confusion matrix, accuracy, precision, recall, F1) are built from three
per-class counts; probabilistic losses (log-loss, Brier) score predicted probabilities; the
ranking metrics (ROC, precision-recall, their areas) live in :mod:`._ranking` and are re-exported
here. Inputs are checked at the edge (:mod:`._metric_inputs`): lengths, label types, NaN/inf.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning

from mlweekly.ml_algorithms import _metric_inputs as inp
from mlweekly.ml_algorithms._ranking import (
    auc_by_ranks,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

__all__ = [
    "accuracy_score",
    "auc_by_ranks",
    "average_precision_score",
    "brier_score_loss",
    "confusion_matrix",
    "f1_score",
    "log_loss",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
]

_SET_AVERAGES = ("binary", "micro", "macro", "weighted", None)


def _label_pair(y_true, y_pred, sample_weight):
    """Validated 1-D label arrays, weights and the sorted labels present in either."""
    y_true = inp.column(y_true, "y_true")
    y_pred = inp.column(y_pred, "y_pred")
    inp.check_lengths(y_true=y_true, y_pred=y_pred)
    sw = inp.check_sample_weight(sample_weight, y_true.size)
    inp.check_labels(y_true, "y_true")
    inp.check_labels(y_pred, "y_pred")
    return y_true, y_pred, sw, inp.union_classes(y_true, y_pred)


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """Counts ``C[i, j]`` of samples of true class ``i`` predicted as class ``j``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like of shape (n_classes,), default=None
        Labels indexing the matrix, in this order; samples whose true or predicted label is not
        listed are ignored. Default: every label present in either array, sorted.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights (the matrix is float unless they are integers).
    normalize : {"true", "pred", "all"}, default=None
        Divide by the row sums (rates per true class), column sums, or the total.

    Returns
    -------
    C : ndarray of shape (n_classes, n_classes)
        Rows are true classes, columns predicted ones; binary: ``[[tn, fp], [fn, tp]]``.

    Examples
    --------
    >>> from mlweekly.ml_algorithms import confusion_matrix
    >>> confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])
    array([[2, 0, 0],
           [0, 0, 1],
           [1, 0, 2]])
    """
    if normalize not in ("true", "pred", "all", None):
        raise ValueError(f"normalize must be 'true', 'pred', 'all' or None, got {normalize!r}")
    y_true, y_pred, sw, present = _label_pair(y_true, y_pred, sample_weight)
    if labels is None:
        labels = present
    else:
        labels = inp.column(labels, "labels")
        if labels.size == 0:
            raise ValueError("labels must contain at least one label")
        if np.unique(labels).size != labels.size:
            raise ValueError(f"labels contains duplicates: {labels.tolist()}")
        if not np.isin(y_true, labels).any():
            raise ValueError(f"none of labels {labels.tolist()} is in y_true")
    L = labels.size
    t, p = inp.encode(y_true, labels), inp.encode(y_pred, labels)
    keep = (t < L) & (p < L)  # a sample counts only if both its labels are listed
    weights = None if sw is None else sw[keep]
    cm = np.bincount(t[keep] * L + p[keep], weights=weights, minlength=L * L).reshape(L, L)
    cm = cm.astype(np.int64 if sw is None or sw.dtype.kind in "biu" else np.float64)
    if normalize is not None:
        with np.errstate(all="ignore"):
            total = {"true": cm.sum(axis=1, keepdims=True), "pred": cm.sum(axis=0, keepdims=True)}
            cm = np.nan_to_num(cm / total.get(normalize, cm.sum()))
    if cm.shape == (1, 1):
        warnings.warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to have "
            "the correct shape, use the 'labels' parameter to pass all known labels.",
            UserWarning,
            stacklevel=2,
        )
    return cm


def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or, with ``normalize=False``, weighted number) of correct predictions.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    normalize : bool, default=True
        Return the fraction; otherwise the (weighted) count.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    score : float
        Accuracy.

    Examples
    --------
    >>> from mlweekly.ml_algorithms import accuracy_score
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3])
    0.5
    """
    y_true, y_pred, sw, _ = _label_pair(y_true, y_pred, sample_weight)
    correct = y_true == y_pred
    if normalize:
        return float(np.average(correct, weights=sw))
    return float(correct.sum() if sw is None else correct @ sw)


def _per_class_counts(y_true, y_pred, sw, labels):
    """tp, predicted and true totals for each label (others pooled into a dropped extra bin)."""
    L = labels.size
    t, p = inp.encode(y_true, labels), inp.encode(y_pred, labels)
    hit = t == p
    tp = np.bincount(t[hit], weights=None if sw is None else sw[hit], minlength=L + 1)[:L]
    pred = np.bincount(p, weights=sw, minlength=L + 1)[:L]
    true = np.bincount(t, weights=sw, minlength=L + 1)[:L]
    return tp, pred, true


def _check_zero_division(zero_division):
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return 0.0
    elif isinstance(zero_division, (int, float)) and (zero_division in (0, 1) or np.isnan(zero_division)):
        return float(zero_division)
    raise ValueError(f'zero_division must be "warn", 0, 1 or np.nan, got {zero_division!r}')


def _divide(num, den, metric, modifier, warn, zero_division):
    """``num / den`` with ``zero_division`` where ``den == 0`` (and a warning if asked)."""
    den0 = den == 0
    out = np.asarray(num, dtype=np.float64) / np.where(den0, 1.0, den)
    if den0.any():
        out[den0] = _check_zero_division(zero_division)
        if zero_division == "warn" and warn:
            where = "due to" if out.size == 1 else "in labels with"
            warnings.warn(
                f"{metric} is ill-defined and being set to 0.0 {where} no {modifier} samples. "
                "Use `zero_division` parameter to control this behavior.",
                UndefinedMetricWarning,
                stacklevel=4,
            )
    return out


def _nan_average(values, weights=None):
    """Mean ignoring NaN entries (``zero_division=np.nan``); plain mean if all weights are 0."""
    ok = ~np.isnan(values)
    if values.size == 0 or not ok.any():
        return np.nan
    if weights is None:
        return float(np.mean(values[ok]))
    w = weights[ok]
    return float(np.average(values[ok], weights=w if w.sum() != 0 else None))


def _set_labels(present, average, labels, pos_label):
    if average not in _SET_AVERAGES:
        raise ValueError(f"average must be one of {_SET_AVERAGES}, got {average!r}")
    if average == "binary":
        if present.size > 2:
            raise ValueError(
                f"Target is multiclass ({present.size} labels) but average='binary'. Please choose "
                "another average setting, one of [None, 'micro', 'macro', 'weighted']."
            )
        if pos_label not in present.tolist() and present.size >= 2:
            raise ValueError(
                f"pos_label={pos_label!r} is not a valid label. It should be one of {present.tolist()}"
            )
        return np.asarray([pos_label])
    if pos_label not in (None, 1):
        warnings.warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' (got "
            f"{average!r}). You may use labels=[pos_label] to specify a single positive class.",
            UserWarning,
            stacklevel=4,
        )
    if labels is None:
        return present
    labels = inp.column(labels, "labels")
    if labels.size == 0:
        raise ValueError("labels must contain at least one label")
    return labels


def precision_recall_fscore_support(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average=None,
    warn_for=("precision", "recall", "f-score"),
    sample_weight=None,
    zero_division="warn",
):
    """Precision ``tp/(tp+fp)``, recall ``tp/(tp+fn)``, F1 ``2tp/(2tp+fp+fn)`` and support per class.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Labels to report (and average over), in this order; absent ones count zero samples.
        Ignored with ``average="binary"``. Default: all labels present, sorted.
    pos_label : int, float, bool or str, default=1
        The class reported with ``average="binary"``.
    average : {"binary", "micro", "macro", "weighted"} or None, default=None
        ``None``: one value per label. ``"binary"``: ``pos_label`` only. ``"micro"``: from the
        summed counts (for single-label data micro-precision = micro-recall = accuracy).
        ``"macro"``: unweighted mean over labels. ``"weighted"``: mean weighted by support.
    warn_for : tuple of str
        Which of "precision", "recall", "f-score" warn when ill-defined.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    zero_division : {"warn", 0, 1, np.nan}, default="warn"
        Value where a denominator is 0 ("warn" = 0 with a warning); NaN values are left out of
        averages.

    Returns
    -------
    precision, recall, fscore : float or ndarray
        Averaged value, or one per label with ``average=None``.
    support : ndarray or None
        (Weighted) number of true samples per label; ``None`` when averaged.

    Examples
    --------
    >>> from mlweekly.ml_algorithms.metrics import precision_recall_fscore_support
    >>> p, r, f, s = precision_recall_fscore_support([0, 1, 1, 2], [0, 1, 2, 2])
    >>> p.tolist(), r.tolist(), s.tolist()
    ([1.0, 1.0, 0.5], [1.0, 0.5, 1.0], [1, 2, 1])
    """
    _check_zero_division(zero_division)
    y_true, y_pred, sw, present = _label_pair(y_true, y_pred, sample_weight)
    labels = _set_labels(present, average, labels, pos_label)
    tp, pred, true = _per_class_counts(y_true, y_pred, sw, labels)
    if average == "micro":
        tp, pred, true = np.array([tp.sum()]), np.array([pred.sum()]), np.array([true.sum()])
    precision = _divide(tp, pred, "Precision", "predicted", "precision" in warn_for, zero_division)
    recall = _divide(tp, true, "Recall", "true", "recall" in warn_for, zero_division)
    fscore = _divide(
        2.0 * tp, true + pred, "F-score", "true nor predicted", "f-score" in warn_for, zero_division
    )
    if average is None:
        return precision, recall, fscore, true
    weights = true if average == "weighted" else None
    return (
        _nan_average(precision, weights),
        _nan_average(recall, weights),
        _nan_average(fscore, weights),
        None,
    )


def _single(which, warn_for, y_true, y_pred, labels, pos_label, average, sample_weight, zero_division):
    out = precision_recall_fscore_support(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=warn_for,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )
    return out[which]


def precision_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """Precision ``tp / (tp + fp)``: of the samples predicted positive, the fraction that are.

    Parameters and averaging as :func:`precision_recall_fscore_support` (default
    ``average="binary"``).

    Returns
    -------
    precision : float or ndarray
        Averaged precision, or one per label with ``average=None``.

    Examples
    --------
    >>> from mlweekly.ml_algorithms import precision_score
    >>> precision_score([0, 1, 1, 0], [1, 1, 1, 0])
    0.6666666666666666
    """
    return _single(
        0, ("precision",), y_true, y_pred, labels, pos_label, average, sample_weight, zero_division
    )


def recall_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """Recall ``tp / (tp + fn)``: of the positive samples, the fraction predicted positive.

    Parameters and averaging as :func:`precision_recall_fscore_support` (default
    ``average="binary"``).

    Returns
    -------
    recall : float or ndarray
        Averaged recall, or one per label with ``average=None``.

    Examples
    --------
    >>> from mlweekly.ml_algorithms import recall_score
    >>> recall_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    return _single(1, ("recall",), y_true, y_pred, labels, pos_label, average, sample_weight, zero_division)


def f1_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """F1, the harmonic mean of precision and recall: ``2tp / (2tp + fp + fn)``.

    Parameters and averaging as :func:`precision_recall_fscore_support` (default
    ``average="binary"``). Macro-F1 averages per-class F1 values; it is not the F1 of the
    macro precision and macro recall.

    Returns
    -------
    f1 : float or ndarray
        Averaged F1, or one per label with ``average=None``.

    Examples
    --------
    >>> from mlweekly.ml_algorithms import f1_score
    >>> f1_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    return _single(2, ("f-score",), y_true, y_pred, labels, pos_label, average, sample_weight, zero_division)


def _one_hot(y_true, labels):
    """Indicator matrix of ``y_true`` over the sorted classes (scikit-learn's LabelBinarizer)."""
    if labels is None:
        classes = inp.classes(y_true, "y_true")
    else:
        given = inp.column(labels, "labels")
        classes = np.unique(given)
        if not np.array_equal(classes, given):
            warnings.warn(
                f"Labels passed were {given.tolist()}. But this function assumes labels are ordered "
                f"lexicographically. Pass the ordered labels={classes.tolist()} and ensure that the "
                "columns of y_prob correspond to this ordering.",
                UserWarning,
                stacklevel=3,
            )
        unknown = np.setdiff1d(inp.classes(y_true, "y_true"), classes)
        if unknown.size:
            raise ValueError(
                f"y_true contains values {unknown.tolist()} not belonging to the passed labels "
                f"{classes.tolist()}."
            )
    if classes.size < 2:
        raise ValueError(
            f"y_true contains only one label ({classes[0]!r}): pass all expected class labels through "
            "labels (at least two are needed)"
        )
    return y_true[:, None] == classes[None, :], classes


def _probabilities(y_true, y_proba, sample_weight, labels):
    """One-hot truth and an (n, k) probability matrix, checked (range, shape, row sums)."""
    y_true = inp.column(y_true, "y_true")
    P = inp.check_scores(y_proba, "y_proba", ndim=(1, 2))
    if P.dtype not in (np.float32, np.float16):
        P = P.astype(np.float64)
    inp.check_lengths(y_true=y_true, y_proba=P)
    sw = inp.check_sample_weight(sample_weight, y_true.size)
    inp.check_labels(y_true, "y_true")
    if P.max() > 1:
        raise ValueError(f"y_proba contains values greater than 1: {P.max()}")
    if P.min() < 0:
        raise ValueError(f"y_proba contains values lower than 0: {P.min()}")
    Y, classes = _one_hot(y_true, labels)
    if P.ndim == 1:
        P = np.column_stack([1 - P, P])
    if not np.isclose(P.sum(axis=1), 1, rtol=np.sqrt(np.finfo(P.dtype).eps)).all():
        warnings.warn(
            "The y_prob values do not sum to one. Make sure to pass probabilities.", UserWarning, stacklevel=3
        )
    if classes.size != P.shape[1]:
        raise ValueError(
            f"y_true has {classes.size} classes {classes.tolist()} but y_proba has {P.shape[1]} columns; "
            "pass labels to name the class of each column"
        )
    return Y, P, sw


def log_loss(y_true, y_proba, *, normalize=True, sample_weight=None, labels=None):
    """Cross-entropy ``-(1/n) Σ_i log p_{i, y_i}`` of predicted probabilities.

    Probabilities are clipped to ``[eps, 1 - eps]`` with ``eps`` the machine epsilon of their
    dtype (scikit-learn ≥ 1.5; its ``eps`` argument is gone), so a confident mistake costs at
    most ``-log(eps) ≈ 36``. Rows are not renormalised; a warning says when they do not sum to 1.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Probabilities, one column per class in sorted label order; 1-D means the probability of
        the greater of two classes.
    normalize : bool, default=True
        Return the mean loss; otherwise the (weighted) sum.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    labels : array-like, default=None
        The classes (when ``y_true`` does not contain them all).

    Returns
    -------
    loss : float
        The log-loss (natural logarithm).

    Examples
    --------
    >>> from mlweekly.ml_algorithms import log_loss
    >>> round(log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]), 6)
    0.216162
    """
    Y, P, sw = _probabilities(y_true, y_proba, sample_weight, labels)
    eps = np.finfo(P.dtype).eps
    # Only the true class's column contributes (one-hot truth): -log p_{i, y_i}.
    loss = -np.log(np.clip(P, eps, 1 - eps)[Y])
    if normalize:
        return float(np.average(loss, weights=sw))
    return float(loss.sum() if sw is None else loss @ sw)


def brier_score_loss(
    y_true, y_proba, *, sample_weight=None, pos_label=None, labels=None, scale_by_half="auto"
):
    """Brier score: mean squared distance between the one-hot truth and the probabilities.

    ``(1/n) Σ_i Σ_k (y_ik - p_ik)²``, halved by default for two classes so that it equals
    ``(1/n) Σ_i (y_i - p_i)²`` and lies in [0, 1] (scikit-learn ≥ 1.7's ``scale_by_half="auto"``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        1-D: probability of ``pos_label``. 2-D: one column per class in sorted label order.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    pos_label : int, float, bool or str, default=None
        Positive class of 1-D ``y_proba``; default 1 for {0, 1} or {-1, 1} labels, else the greater
        label (strings need it explicitly).
    labels : array-like, default=None
        The classes of 2-D ``y_proba``.
    scale_by_half : bool or "auto", default="auto"
        Halve the score; "auto" halves it for two classes only.

    Returns
    -------
    score : float
        The Brier score (lower is better).

    Examples
    --------
    >>> from mlweekly.ml_algorithms import brier_score_loss
    >>> round(brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]), 6)
    0.0375
    """
    if not (scale_by_half == "auto" or isinstance(scale_by_half, (bool, np.bool_))):
        raise ValueError(f'scale_by_half must be True, False or "auto", got {scale_by_half!r}')
    P = inp.check_scores(y_proba, "y_proba", ndim=(1, 2))
    if P.ndim == 2:
        Y, P, sw = _probabilities(y_true, P, sample_weight, labels)
    else:
        y_true = inp.column(y_true, "y_true")
        P = P if P.dtype in (np.float32, np.float16) else P.astype(np.float64)
        inp.check_lengths(y_true=y_true, y_proba=P)
        sw = inp.check_sample_weight(sample_weight, y_true.size)
        inp.check_labels(y_true, "y_true")
        present = inp.classes(y_true, "y_true")
        if present.size > 2:
            raise ValueError(
                f"y_true has {present.size} classes but y_proba is 1-D: pass one column per class"
            )
        if P.max() > 1:
            raise ValueError(f"y_proba contains values greater than 1: {P.max()}")
        if P.min() < 0:
            raise ValueError(f"y_proba contains values less than 0: {P.min()}")
        if pos_label is None and present.dtype.kind not in "OUS":
            try:
                pos_label = inp.resolve_pos_label(None, present)
            except ValueError:  # numeric labels other than {0, 1}, {-1, 1}: the greater one
                pos_label = present[-1]
        pos_label = inp.resolve_pos_label(pos_label, present)
        t = (y_true == pos_label).astype(np.int64)
        Y, P = np.column_stack([1 - t, t]), np.column_stack([1 - P, P])
    score = np.average(np.sum((Y.astype(P.dtype) - P) ** 2, axis=1), weights=sw)
    if scale_by_half == "auto":
        scale_by_half = P.shape[1] < 3
    return float(score * 0.5 if scale_by_half else score)
