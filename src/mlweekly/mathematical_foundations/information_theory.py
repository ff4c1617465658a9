r"""Information theory from scratch: entropy, cross-entropy, KL and Jensen–Shannon, mutual information.

For discrete distributions :math:`p, q` on the same support (logarithm to base :math:`b`),

.. math::

    H(p) = -\sum_i p_i \log p_i, \qquad
    H(p, q) = -\sum_i p_i \log q_i = H(p) + D_{KL}(p \,\|\, q), \qquad
    D_{KL}(p \,\|\, q) = \sum_i p_i \log \frac{p_i}{q_i},

with :math:`0 \log 0 = 0` and :math:`D_{KL} = \infty` as soon as some :math:`q_i = 0 < p_i`.
Names and conventions follow ``scipy.stats.entropy`` (inputs are normalised along ``axis``),
``scipy.spatial.distance.jensenshannon`` (a *distance*: the square root of the divergence) and
``sklearn.metrics.mutual_info_score`` (natural logarithm, from two label vectors or a contingency table).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "entropy",
    "binary_entropy",
    "cross_entropy",
    "kl_divergence",
    "js_divergence",
    "jensenshannon",
    "perplexity",
    "contingency_matrix",
    "mutual_info_score",
    "mutual_info_binned",
    "information_gain",
]

_NAN_POLICIES = ("propagate", "raise", "omit")


# ----------------------------------------------------------------------------- validation
def _check_base(base) -> float:
    """ln(base), the divisor that turns nats into units of ``base`` (1.0 for nats)."""
    if base is None:
        return 1.0
    if isinstance(base, (bool, np.bool_)) or not isinstance(base, (int, float, np.integer, np.floating)):
        raise TypeError(f"base must be a number > 0 and != 1 (or None for nats); got {base!r}")
    if not (math.isfinite(base) and base > 0 and base != 1):
        raise ValueError(f"base must be a finite number > 0 and != 1 (or None for nats); got {base!r}")
    return math.log(base)


def _check_distribution(value, name: str) -> np.ndarray:
    """Numeric, non-empty, finite or NaN, non-negative weights as float64."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of non-negative numbers; got {value!r}") from exc
    if arr.ndim == 0 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty array of probabilities or counts; "
                         f"got shape {arr.shape}")
    if np.isinf(arr).any():
        raise ValueError(f"{name} must be finite; got inf")
    if (arr < 0).any():
        raise ValueError(f"{name} must be >= 0 (probabilities or counts); got {arr[arr < 0].ravel()[0]:g}")
    return arr


def _check_axis(axis, ndim: int) -> int:
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an integer; got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for arrays of dimension {ndim}")
    return int(axis) % ndim


def _prepare(pk, qk, axis, nan_policy, names=("pk", "qk")):
    """Validate, broadcast, apply ``nan_policy`` and normalise ``pk`` (and ``qk``) along ``axis``."""
    if nan_policy not in _NAN_POLICIES:
        raise ValueError(f"nan_policy must be one of {_NAN_POLICIES}; got {nan_policy!r}")
    p = _check_distribution(pk, names[0])
    q = None if qk is None else _check_distribution(qk, names[1])
    if q is not None:
        try:
            p, q = np.broadcast_arrays(p, q)
        except ValueError as exc:
            raise ValueError(f"{names[0]} of shape {p.shape} and {names[1]} of shape {q.shape} "
                             "do not broadcast") from exc
        p, q = p.copy(), q.copy()
    axis = _check_axis(axis, p.ndim)
    nan = np.isnan(p) if q is None else np.isnan(p) | np.isnan(q)
    if nan.any():
        if nan_policy == "raise":
            raise ValueError(f"{names[0] if q is None else ' or '.join(names)} contains NaN "
                             "(nan_policy='raise')")
        if nan_policy == "omit":
            # an entry of weight 0 contributes 0 to every sum below: the same as dropping it
            # (from both pk and qk, as scipy does); a slice with nothing left stays NaN
            all_nan = nan.all(axis=axis, keepdims=True)
            p[nan] = 0.0
            if q is not None:
                q[nan] = 0.0
            p = np.where(all_nan, np.nan, p)
    p_sum = p.sum(axis=axis, keepdims=True)
    if (p_sum == 0).any():
        raise ValueError(f"{names[0]} must have a positive sum along axis {axis} "
                         "(all zeros cannot be normalised)")
    p = p / p_sum
    if q is not None:
        q_sum = q.sum(axis=axis, keepdims=True)
        if (q_sum == 0).any():
            raise ValueError(f"{names[1]} must have a positive sum along axis {axis} "
                             "(all zeros cannot be normalised)")
        q = q / q_sum
    return p, q, axis


# ----------------------------------------------------------------------------- elementwise terms
def _entr(p: np.ndarray) -> np.ndarray:
    """-p log p with 0 log 0 = 0 (the limit: p log p -> 0 as p -> 0)."""
    out = np.zeros_like(p)
    pos = p > 0
    out[pos] = -p[pos] * np.log(p[pos])
    out[np.isnan(p)] = np.nan
    return out


def _rel_entr(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """p log(p/q): 0 where p = 0, +inf where q = 0 < p (the support of p escapes q's)."""
    out = np.zeros(np.broadcast_shapes(p.shape, q.shape))
    p, q = np.broadcast_arrays(p, q)
    both = (p > 0) & (q > 0)
    out[both] = p[both] * np.log(p[both] / q[both])
    out[(p > 0) & (q == 0)] = np.inf
    out[np.isnan(p) | np.isnan(q)] = np.nan
    return out


def _finish(terms: np.ndarray, axis: int, log_base: float, keepdims: bool):
    s = terms.sum(axis=axis, keepdims=keepdims) / log_base
    return s if np.ndim(s) else float(s)


# ----------------------------------------------------------------------------- entropies
def entropy(pk, qk=None, base=None, axis=0, *, nan_policy="propagate", keepdims=False):
    r"""Shannon entropy of ``pk``, or the relative entropy (KL divergence) of ``pk`` from ``qk``.

    ``H = -Σ p log p``; with ``qk``, ``D = Σ p log(p / q)``. Both inputs are normalised to sum to 1
    along ``axis`` first, so counts work as well as probabilities (``scipy.stats.entropy``'s API).

    Parameters
    ----------
    pk : array-like
        Probabilities or non-negative counts.
    qk : array-like, optional
        Second distribution, same (broadcastable) shape as ``pk``.
    base : float, optional
        Logarithm base: 2 gives bits, ``None`` (default) natural units (nats).
    axis : int, default=0
        Axis along which the distribution lies.
    nan_policy : {"propagate", "raise", "omit"}, default="propagate"
        NaN handling: a NaN result for that slice, an error, or the NaN entries dropped
        (from ``pk`` and ``qk`` alike).
    keepdims : bool, default=False
        Keep the reduced axis with length 1.

    Returns
    -------
    float or ndarray
        The entropy (``qk`` is None) or the KL divergence, in units of ``base``.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.information_theory import entropy
    >>> entropy([1, 1], base=2)          # a fair coin carries one bit
    1.0
    >>> round(entropy([0.5, 0.5], [0.9, 0.1]), 6)
    0.510826
    """
    log_base = _check_base(base)
    p, q, axis = _prepare(pk, qk, axis, nan_policy)
    terms = _entr(p) if q is None else _rel_entr(p, q)
    return _finish(terms, axis, log_base, keepdims)


def binary_entropy(p, base=2):
    r"""Entropy of a coin with heads probability ``p``: ``-p log p - (1-p) log(1-p)`` (bits by default).

    Parameters
    ----------
    p : float or array-like
        Probabilities in [0, 1].
    base : float, default=2
        Logarithm base.

    Returns
    -------
    float or ndarray
        ``H(p)``; 0 at ``p`` = 0 or 1, maximal (1 bit) at 1/2.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.information_theory import binary_entropy
    >>> binary_entropy([0.0, 0.5, 1.0]).tolist()
    [0.0, 1.0, 0.0]
    """
    from mlweekly.statistical_theory.bayes import check_probability

    log_base = _check_base(base)
    p = check_probability(p, "p")
    h = (_entr(p) + _entr(1.0 - p)) / log_base
    return h if h.ndim else float(h)


def kl_divergence(pk, qk, base=None, axis=0, *, nan_policy="propagate", keepdims=False):
    r"""Kullback–Leibler divergence :math:`D_{KL}(p \| q) = \sum p \log(p/q)` (``entropy(pk, qk)``).

    Not symmetric; ``inf`` when ``q`` is 0 where ``p`` is not. See :func:`entropy` for the parameters.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.information_theory import kl_divergence
    >>> kl_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    return entropy(pk, qk, base=base, axis=axis, nan_policy=nan_policy, keepdims=keepdims)


def cross_entropy(pk, qk, base=None, axis=0, *, nan_policy="propagate", keepdims=False):
    r"""Cross-entropy :math:`H(p, q) = -\sum p \log q = H(p) + D_{KL}(p \| q)`.

    The expected code length when events from ``p`` are coded for ``q``; with a one-hot ``p`` it is
    the log-loss of the prediction ``q``. Parameters as :func:`entropy` (``qk`` required).

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.information_theory import cross_entropy
    >>> round(cross_entropy([0, 1], [0.2, 0.8]), 6)  # -log 0.8: the log-loss of one prediction
    0.223144
    """
    log_base = _check_base(base)
    p, q, axis = _prepare(pk, qk, axis, nan_policy)
    terms = np.zeros(p.shape)
    pos = p > 0
    with np.errstate(divide="ignore"):
        terms[pos] = -p[pos] * np.log(q[pos])  # q = 0 < p gives +inf, as D_KL does
    terms[np.isnan(p) | np.isnan(q)] = np.nan
    return _finish(terms, axis, log_base, keepdims)


def js_divergence(p, q, base=None, *, axis=0, keepdims=False):
    r"""Jensen–Shannon divergence :math:`\tfrac12 D_{KL}(p\|m) + \tfrac12 D_{KL}(q\|m)`, :math:`m=(p+q)/2`.

    Symmetric, always finite (``m`` covers both supports) and at most :math:`\log 2` (1 bit).

    Parameters
    ----------
    p, q : array-like
        Probabilities or counts, normalised along ``axis``.
    base : float, optional
        Logarithm base (``None``: nats).
    axis : int, default=0
        Axis of the distributions.
    keepdims : bool, default=False
        Keep the reduced axis.

    Returns
    -------
    float or ndarray
        The divergence; :func:`jensenshannon` is its square root.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.information_theory import js_divergence
    >>> js_divergence([1, 0], [0, 1], base=2)
    1.0
    """
    log_base = _check_base(base)
    p, q, axis = _prepare(p, q, axis, "propagate", names=("p", "q"))
    m = (p + q) / 2.0
    # same order of operations as scipy: sum the two KL terms, then halve
    left = _rel_entr(p, m).sum(axis=axis, keepdims=keepdims)
    js = (left + _rel_entr(q, m).sum(axis=axis, keepdims=keepdims)) / log_base / 2.0
    return js if np.ndim(js) else float(js)


def jensenshannon(p, q, base=None, *, axis=0, keepdims=False):
    r"""Jensen–Shannon *distance*: the square root of :func:`js_divergence` (a metric).

    Matches ``scipy.spatial.distance.jensenshannon`` (same arguments), except that a divergence that
    rounds to a tiny negative number (``p ≈ q``) gives 0 here rather than NaN.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.information_theory import jensenshannon
    >>> round(jensenshannon([1.0, 0.0], [0.5, 0.5]), 10)
    0.464501404
    """
    js = js_divergence(p, q, base, axis=axis, keepdims=keepdims)
    d = np.sqrt(np.maximum(js, 0.0))
    return d if np.ndim(d) else float(d)


def perplexity(pk, qk=None, axis=0, *, nan_policy="propagate", keepdims=False):
    r"""Perplexity :math:`e^{H(p)}` (or :math:`e^{H(p, q)}` with ``qk``): the effective number of choices.

    It does not depend on the logarithm's base (:math:`2^{H_2} = e^{H_e}`). A uniform distribution on
    :math:`k` outcomes has perplexity :math:`k`; a language model's perplexity is ``exp`` of its mean
    per-token cross-entropy.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.information_theory import perplexity
    >>> round(perplexity([1, 1, 1, 1]), 12)
    4.0
    """
    h = (entropy(pk, axis=axis, nan_policy=nan_policy, keepdims=keepdims) if qk is None
         else cross_entropy(pk, qk, axis=axis, nan_policy=nan_policy, keepdims=keepdims))
    out = np.exp(h)
    return out if np.ndim(out) else float(out)


# ----------------------------------------------------------------------------- mutual information
def _check_labels(labels, name: str) -> np.ndarray:
    arr = np.asarray(labels)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-d; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must be non-empty")
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    return arr


def contingency_matrix(labels_true, labels_pred) -> np.ndarray:
    """Counts ``C[i, j]`` of samples with the i-th true and the j-th predicted label (sorted labels).

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.information_theory import contingency_matrix
    >>> contingency_matrix([0, 0, 1], ["a", "b", "b"]).tolist()
    [[1, 1], [0, 1]]
    """
    a = _check_labels(labels_true, "labels_true")
    b = _check_labels(labels_pred, "labels_pred")
    if a.size != b.size:
        raise ValueError(f"labels_true and labels_pred must have the same length; got {a.size} and {b.size}")
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    shape = (ia.max() + 1, ib.max() + 1)
    return np.bincount(ia * shape[1] + ib, minlength=shape[0] * shape[1]).reshape(shape)


def _mi_from_counts(C: np.ndarray, log_base: float) -> float:
    n = C.sum()
    if n == 0:
        raise ValueError("contingency must contain at least one positive count")
    pij = C / n
    pi, pj = pij.sum(axis=1), pij.sum(axis=0)
    nz = pij > 0
    # I = Σ p_ij log(p_ij / (p_i p_j)) = D_KL(joint || product of marginals) >= 0
    mi = np.sum(pij[nz] * np.log(pij[nz] / np.outer(pi, pj)[nz]))
    return float(max(mi, 0.0) / log_base)  # clip the -1e-17 of rounding for independent labels


def mutual_info_score(labels_true=None, labels_pred=None, *, contingency=None, base=None) -> float:
    r"""Mutual information :math:`I(X;Y) = \sum_{ij} p_{ij} \log \frac{p_{ij}}{p_i\, p_j}` of two labellings.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
        Two discrete labellings (any hashable, sortable labels). Ignored when ``contingency`` is given.
    contingency : array-like of shape (n_classes_true, n_classes_pred), optional
        Joint counts (or probabilities) instead of labels.
    base : float, optional
        Logarithm base; ``None`` gives nats (``sklearn.metrics.mutual_info_score``).

    Returns
    -------
    float
        :math:`I(X;Y) = H(X) + H(Y) - H(X,Y) \ge 0`; 0 iff the empirical joint factorises.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.information_theory import mutual_info_score
    >>> round(mutual_info_score([0, 0, 1, 1], [1, 1, 0, 0], base=2), 12)  # one labelling determines the other
    1.0
    """
    log_base = _check_base(base)
    if contingency is None:
        if labels_true is None or labels_pred is None:
            raise ValueError("pass labels_true and labels_pred, or contingency")
        C = contingency_matrix(labels_true, labels_pred).astype(np.float64)
    else:
        C = _check_distribution(contingency, "contingency")
        if C.ndim != 2:
            raise ValueError(f"contingency must be 2-d; got shape {C.shape}")
        if np.isnan(C).any():
            raise ValueError("contingency contains NaN")
    return _mi_from_counts(C, log_base)


def mutual_info_binned(x, y, bins=10, base=None) -> float:
    r"""Plug-in mutual information of two continuous variables after binning both into a 2-d histogram.

    Biased upwards: with :math:`B_x \times B_y` cells and :math:`n` samples, independent variables
    still show about :math:`(B_x-1)(B_y-1)/(2n)` nats (Miller–Madow); too few bins blur the
    dependence away. The lesson plots both effects.

    Parameters
    ----------
    x, y : array-like of shape (n_samples,)
        Finite samples of the two variables.
    bins : int, str or pair, default=10
        Anything ``numpy.histogram2d`` accepts for ``bins`` (an int for equal-width bins per axis,
        or ``"fd"``/``"sturges"``/... applied to each variable).
    base : float, optional
        Logarithm base (``None``: nats).

    Returns
    -------
    float
        The mutual information of the binned variables.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.mathematical_foundations.information_theory import mutual_info_binned
    >>> x = np.arange(100.0)
    >>> round(mutual_info_binned(x, x, bins=4, base=2), 12)  # equal-count bins: log2(4) bits
    2.0
    """
    log_base = _check_base(base)
    xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    for arr, name in ((xs, "x"), (ys, "y")):
        if arr.ndim != 1 or arr.size < 2:
            raise ValueError(f"{name} must be 1-d with at least 2 samples; got shape {arr.shape}")
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} must be finite; got NaN or inf")
    if xs.size != ys.size:
        raise ValueError(f"x and y must have the same length; got {xs.size} and {ys.size}")
    if isinstance(bins, str):
        bins = [np.histogram_bin_edges(xs, bins), np.histogram_bin_edges(ys, bins)]
    C, _, _ = np.histogram2d(xs, ys, bins=bins)
    return _mi_from_counts(C, log_base)


def information_gain(y, groups, base=2) -> float:
    r"""Information gain of splitting ``y`` into ``groups``: :math:`H(Y) - \sum_g \frac{n_g}{n} H(Y \mid g)`.

    It equals the mutual information between the label and the group (``mutual_info_score(y, groups)``),
    and is what a decision tree with ``criterion="entropy"`` maximises at each split (in bits).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.
    groups : array-like of shape (n_samples,)
        The child each sample goes to (e.g. the boolean ``X[:, j] <= t``).
    base : float, default=2
        Logarithm base (bits, as scikit-learn's trees).

    Returns
    -------
    float
        The entropy decrease, ``>= 0``.

    Examples
    --------
    >>> from mlweekly.mathematical_foundations.information_theory import information_gain
    >>> information_gain([0, 0, 1, 1], [True, True, False, False])   # a perfect split of a fair coin
    1.0
    """
    C = contingency_matrix(groups, y)  # rows: children, columns: classes
    n_g = C.sum(axis=1)
    parent = entropy(C.sum(axis=0), base=base)
    children = sum(n / C.sum() * entropy(row, base=base) for n, row in zip(n_g, C, strict=True))
    return float(parent - children)
