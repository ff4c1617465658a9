"""Greedy depth-first growth of a CART tree (numba): the best-split search and the node loop.

At every node, for each candidate feature: sort the node's samples by that feature, sweep the
sorted values once while moving samples from the right child to the left one (running class counts
or target sums), and score every threshold between two distinct values with the criterion's proxy.
The best (feature, threshold) over all candidates splits the node; recurse on both children.
Python loops over samples and thresholds are the heart of the algorithm and cannot be vectorised
across nodes, hence numba.

For parity this follows scikit-learn's ``BestSplitter`` + ``DepthFirstTreeBuilder`` step by step:
the same xorshift generator drawing the features in the same Fisher-Yates order (so ties between
equally good splits go to the same feature), the same introsort (so samples, and float sums over
them, come in the same order), the same float32 tie rule (``x[p] <= x[p-1] + 1e-7`` in float32),
thresholds ``x[p-1]/2 + x[p]/2`` in float64 and the same stopping rules. With the same
``random_state`` the trees are node-for-node identical to scikit-learn's.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from mlweekly.ml_algorithms._criteria import (
    SQUARED_ERROR,
    impurity_from_sums,
    impurity_improvement,
    proxy_improvement,
)

__all__ = ["grow_tree", "TREE_LEAF", "TREE_UNDEFINED", "RAND_R_MAX"]

TREE_LEAF = -1
TREE_UNDEFINED = -2
RAND_R_MAX = 2147483647  # seeds are drawn in [0, RAND_R_MAX) as sklearn does
_EPSILON = np.finfo(np.float64).eps
_FEATURE_THRESHOLD = np.float32(1e-7)
_MASK32 = 0xFFFFFFFF


# ----------------------------------------------------------------------------- random numbers


@njit(cache=True, nogil=True)
def _rand_int(low, high, state):
    """Integer in [low, high) from a 32-bit xorshift (sklearn's ``our_rand_r``); ``state`` is int64[1]."""
    s = state[0]
    if s == 0:
        s = 1
    s ^= (s << 13) & _MASK32
    s ^= s >> 17
    s ^= (s << 5) & _MASK32
    state[0] = s
    return low + (s % (RAND_R_MAX + 1)) % (high - low)


# ----------------------------------------------------------------------------- introsort


@njit(cache=True, nogil=True, inline="always")
def _swap(v, idx, i, j):
    t = v[i]
    v[i] = v[j]
    v[j] = t
    k = idx[i]
    idx[i] = idx[j]
    idx[j] = k


@njit(cache=True, nogil=True)
def _median3(v):
    a, b, c = v[0], v[v.shape[0] // 2], v[v.shape[0] - 1]
    if a < b:
        if b < c:
            return b
        return c if a < c else a
    if b < c:
        return a if a < c else c
    return b


@njit(cache=True, nogil=True)
def _partition3(v, idx, pivot):
    """Three-way partition: v[:left] < pivot, v[left:right] == pivot, v[right:] > pivot."""
    i = left = 0
    right = v.shape[0]
    while i < right:
        x = v[i]
        if x < pivot:
            _swap(v, idx, i, left)
            i += 1
            left += 1
        elif x > pivot:
            right -= 1
            _swap(v, idx, i, right)
        else:
            i += 1
    return left, right


@njit(cache=True, nogil=True)
def _heapsort(v, idx):
    n = v.shape[0]
    start = (n - 2) // 2
    while True:
        _sift_down(v, idx, start, n)
        if start == 0:
            break
        start -= 1
    end = n - 1
    while end > 0:
        _swap(v, idx, 0, end)
        _sift_down(v, idx, 0, end)
        end -= 1


@njit(cache=True, nogil=True)
def _sift_down(v, idx, start, end):
    root = start
    while True:
        child = root * 2 + 1
        top = root
        if child < end and v[top] < v[child]:
            top = child
        if child + 1 < end and v[top] < v[child + 1]:
            top = child + 1
        if top == root:
            return
        _swap(v, idx, root, top)
        root = top


@njit(cache=True, nogil=True)
def _insertion_sort(v, idx):
    for i in range(1, v.shape[0]):
        tv, ti = v[i], idx[i]
        j = i
        while j > 0 and v[j - 1] > tv:
            v[j] = v[j - 1]
            idx[j] = idx[j - 1]
            j -= 1
        v[j] = tv
        idx[j] = ti


@njit(cache=True, nogil=True)
def _sort(v, idx, lo, n, stack):
    """Sort ``v[lo:lo+n]`` carrying ``idx`` along: sklearn's introsort with 3-way partitioning.

    sklearn recurses on the left part and loops on the right; the parts are disjoint, so keeping
    the pending parts on an explicit ``stack`` (rows: lo, n, depth budget) gives the same result.
    """
    if n == 0:
        return
    top = 0
    stack[0, 0], stack[0, 1], stack[0, 2] = lo, n, 2 * int(np.log2(n))
    while top >= 0:
        lo, n, maxd = stack[top, 0], stack[top, 1], stack[top, 2]
        top -= 1
        while n > 15:
            if maxd <= 0:  # quicksort gone quadratic: heapsort the rest
                _heapsort(v[lo : lo + n], idx[lo : lo + n])
                n = 0
                break
            maxd -= 1
            left, right = _partition3(v[lo : lo + n], idx[lo : lo + n], _median3(v[lo : lo + n]))
            top += 1  # [lo, lo+left) < pivot: later; continue with [lo+right, lo+n) > pivot
            stack[top, 0], stack[top, 1], stack[top, 2] = lo, left, maxd
            lo += right
            n -= right
        _insertion_sort(v[lo : lo + n], idx[lo : lo + n])


# ----------------------------------------------------------------------------- criterion state


@njit(cache=True, nogil=True)
def _node_sums(samples, start, end, y_class, y_value, w, s_total):
    """Fill ``s_total`` (class weights or ``Σ w y``) over ``samples[start:end]``; return (Σw, Σ w y²)."""
    s_total[:] = 0.0
    w_node = 0.0
    sq = 0.0
    regression = y_class.shape[0] == 0
    for p in range(start, end):
        i = samples[p]
        if regression:
            wy = w[i] * y_value[i]
            s_total[0] += wy
            sq += wy * y_value[i]
        else:
            s_total[y_class[i]] += w[i]
        w_node += w[i]
    return w_node, sq


@njit(cache=True, nogil=True)
def _move_left(samples, end, pos, new_pos, y_class, y_value, w, s_total, s_left, sum_left, w_node, w_left):
    """Move ``samples[pos:new_pos]`` into the left child; return the left ``(Σ w y, Σ w)``.

    Classification updates the class weights ``s_left`` in place; regression uses the scalar
    ``sum_left``. Like sklearn, walk from whichever end is nearer: forward from ``pos``, or back
    from ``end`` after resetting the left child to the whole node. The threshold sweep in
    ``_best_split`` repeats these lines inline (see there why).
    """
    regression = y_class.shape[0] == 0
    if new_pos - pos <= end - new_pos:
        for q in range(pos, new_pos):
            i = samples[q]
            if regression:
                sum_left += w[i] * y_value[i]
            else:
                s_left[y_class[i]] += w[i]
            w_left += w[i]
        return sum_left, w_left
    sum_left = s_total[0]
    for k in range(s_left.shape[0]):
        s_left[k] = s_total[k]
    w_left = w_node
    for q in range(end - 1, new_pos - 1, -1):
        i = samples[q]
        if regression:
            sum_left -= w[i] * y_value[i]
        else:
            s_left[y_class[i]] -= w[i]
        w_left -= w[i]
    return sum_left, w_left


@njit(cache=True, nogil=True)
def _children_impurity(
    criterion, samples, start, pos, y_value, w, s_left, s_right, w_left, w_right, sq_total
):
    sq_left = 0.0
    if criterion == SQUARED_ERROR:
        for p in range(start, pos):
            i = samples[p]
            sq_left += w[i] * y_value[i] * y_value[i]
    return (
        impurity_from_sums(criterion, s_left, w_left, sq_left),
        impurity_from_sums(criterion, s_right, w_right, sq_total - sq_left),
    )


# ----------------------------------------------------------------------------- best split


@njit(cache=True, nogil=True)
def _best_split(
    X, y_class, y_value, w, criterion, samples, start, end, fv, features, constant_features,
    n_known_constants, rng, max_features, min_samples_leaf, min_weight_leaf, s_total, s_left,
    s_right, w_node, sq_total, i_parent, w_total, sort_stack,
):
    """Best (feature, threshold) for ``samples[start:end]``; sklearn's ``node_split_best``.

    Returns (pos, feature, threshold, impurity_left, impurity_right, improvement,
    n_constant_features); ``pos == end`` means no valid split. On a split, ``samples[start:end]``
    is partitioned into left ``[start, pos)`` and right ``[pos, end)``.
    """
    n_features = X.shape[1]
    regression = criterion == SQUARED_ERROR
    best_pos, best_feature, best_threshold = end, 0, 0.0
    best_proxy = -np.inf
    f_i = n_features
    n_visited = n_found = n_drawn = 0
    n_total_constants = n_known_constants
    # Fisher-Yates draw of up to max_features features, skipping those known to be constant
    while f_i > n_total_constants and (
        n_visited < max_features or n_visited <= n_found + n_drawn
    ):
        n_visited += 1
        f_j = _rand_int(n_drawn, f_i - n_found, rng)
        if f_j < n_known_constants:
            features[n_drawn], features[f_j] = features[f_j], features[n_drawn]
            n_drawn += 1
            continue
        f_j += n_found
        f = features[f_j]
        column = X[:, f]
        for p in range(start, end):
            fv[p] = column[samples[p]]
        _sort(fv, samples, start, end - start, sort_stack)
        if fv[end - 1] <= fv[start] + _FEATURE_THRESHOLD:  # constant in this node (float32 sum)
            features[f_j], features[n_total_constants] = features[n_total_constants], features[f_j]
            n_found += 1
            n_total_constants += 1
            continue
        f_i -= 1
        features[f_i], features[f_j] = features[f_j], features[f_i]

        # sweep the thresholds
        s_left[:] = 0.0
        sum_left = 0.0
        w_left = 0.0
        pos = start
        p = start
        while p < end:
            p += 1  # next position whose value differs from the previous one
            while p < end and fv[p] <= fv[p - 1] + _FEATURE_THRESHOLD:
                p += 1
            if p == end:
                continue
            if p - start < min_samples_leaf or end - p < min_samples_leaf:
                continue
            # _move_left written out: a call with array arguments here, even inlined, makes numba
            # reference-count the arrays at every threshold and doubles the fit time
            if p - pos <= end - p:
                for q in range(pos, p):
                    i = samples[q]
                    if regression:
                        sum_left += w[i] * y_value[i]
                    else:
                        s_left[y_class[i]] += w[i]
                    w_left += w[i]
            else:
                sum_left, w_left = s_total[0], w_node
                for k in range(s_left.shape[0]):
                    s_left[k] = s_total[k]
                for q in range(end - 1, p - 1, -1):
                    i = samples[q]
                    if regression:
                        sum_left -= w[i] * y_value[i]
                    else:
                        s_left[y_class[i]] -= w[i]
                    w_left -= w[i]
            pos = p
            w_right = w_node - w_left
            if w_left < min_weight_leaf or w_right < min_weight_leaf:
                continue
            if regression:
                sum_right = s_total[0] - sum_left
                proxy = sum_left * sum_left / w_left + sum_right * sum_right / w_right
            else:
                for k in range(s_left.shape[0]):
                    s_right[k] = s_total[k] - s_left[k]
                proxy = proxy_improvement(criterion, s_left, s_right, w_left, w_right)
            if proxy > best_proxy:
                best_proxy = proxy
                best_pos, best_feature = p, f
                best_threshold = fv[p - 1] / 2.0 + fv[p] / 2.0  # float64 of float32 halves

    i_left = i_right = np.inf
    improvement = -np.inf
    if best_pos < end:
        # partition samples[start:end] in place (sklearn's swap loop, same resulting order)
        lo, hi = start, end
        while lo < hi:
            if X[samples[lo], best_feature] <= best_threshold:
                lo += 1
            else:
                hi -= 1
                samples[lo], samples[hi] = samples[hi], samples[lo]
        s_left[:] = 0.0
        sum_left, w_left = _move_left(
            samples, end, start, best_pos, y_class, y_value, w, s_total, s_left, 0.0, w_node, 0.0
        )
        if regression:
            s_left[0] = sum_left
        w_right = w_node - w_left
        for k in range(s_left.shape[0]):
            s_right[k] = s_total[k] - s_left[k]
        i_left, i_right = _children_impurity(
            criterion, samples, start, best_pos, y_value, w, s_left, s_right, w_left, w_right, sq_total
        )
        improvement = impurity_improvement(w_total, w_node, w_left, w_right, i_parent, i_left, i_right)

    # known constants keep their order for the children; append the newly found ones
    features[:n_known_constants] = constant_features[:n_known_constants]
    constant_features[n_known_constants:n_total_constants] = features[n_known_constants:n_total_constants]
    return best_pos, best_feature, best_threshold, i_left, i_right, improvement, n_total_constants


# ----------------------------------------------------------------------------- depth-first growth


@njit(cache=True, nogil=True)
def _grow_storage(ints, floats, value):
    cap = ints.shape[0] * 2
    new_ints = np.empty((cap, ints.shape[1]), np.int64)
    new_floats = np.empty((cap, floats.shape[1]), np.float64)
    new_value = np.empty((cap, value.shape[1]), np.float64)
    new_ints[: ints.shape[0]] = ints
    new_floats[: floats.shape[0]] = floats
    new_value[: value.shape[0]] = value
    return new_ints, new_floats, new_value


@njit(cache=True, nogil=True)
def grow_tree(
    X, y_class, y_value, w, n_outputs_width, criterion, max_features, min_samples_leaf,
    min_samples_split, max_depth, min_weight_leaf, min_impurity_decrease, seed,
):
    """Grow a tree depth-first (nodes numbered in pre-order, left child first).

    Parameters
    ----------
    X : float32 array (n_samples, n_features), Fortran order
    y_class : int64 array (n_samples,) of class indices, or empty for regression
    y_value : float64 array (n_samples,) of targets, or empty for classification
    w : float64 array (n_samples,) of sample weights (zero-weight samples are left out)
    n_outputs_width : number of classes (classification) or 1 (regression)
    seed : int in [0, RAND_R_MAX), the state of the feature-drawing generator

    Returns
    -------
    ints : (node_count, 4) int64 — children_left, children_right, feature, n_node_samples
    floats : (node_count, 3) float64 — threshold, impurity, weighted_n_node_samples
    value : (node_count, width) float64 — class fractions or the mean target
    max_depth_seen : int
    """
    n_all, n_features = X.shape
    samples = np.empty(n_all, np.int64)
    n = 0
    w_total = 0.0
    for i in range(n_all):
        if w[i] != 0.0:
            samples[n] = i
            n += 1
        w_total += w[i]
    features = np.arange(n_features)
    constant_features = np.empty(n_features, np.int64)
    fv = np.empty(n_all, np.float32)
    rng = np.array([seed], np.int64)
    sort_stack = np.empty((64 + 2 * int(np.log2(n_all + 1)), 3), np.int64)
    K = n_outputs_width
    s_total, s_left, s_right = np.zeros(K), np.zeros(K), np.zeros(K)

    cap = 2047 if max_depth > 10 else 2 ** (max_depth + 1) - 1
    ints = np.empty((cap, 4), np.int64)
    floats = np.empty((cap, 3), np.float64)
    value = np.empty((cap, K), np.float64)

    # stack rows: start, end, depth, parent, is_left, n_constant_features ; impurity beside it
    st_i = np.empty((n + 2, 6), np.int64)
    st_f = np.empty(n + 2, np.float64)
    top = 0
    st_i[0, 0], st_i[0, 1], st_i[0, 2], st_i[0, 3], st_i[0, 4], st_i[0, 5] = 0, n, 0, TREE_UNDEFINED, 0, 0
    st_f[0] = np.inf
    node_count = 0
    max_depth_seen = -1
    first = True
    while top >= 0:
        start, end, depth = st_i[top, 0], st_i[top, 1], st_i[top, 2]
        parent, is_left, n_const = st_i[top, 3], st_i[top, 4], st_i[top, 5]
        impurity = st_f[top]
        top -= 1
        n_node = end - start
        w_node, sq_total = _node_sums(samples, start, end, y_class, y_value, w, s_total)
        is_leaf = (
            depth >= max_depth
            or n_node < min_samples_split
            or n_node < 2 * min_samples_leaf
            or w_node < 2 * min_weight_leaf
        )
        if first:
            impurity = impurity_from_sums(criterion, s_total, w_node, sq_total)
            first = False
        is_leaf = is_leaf or impurity <= _EPSILON
        pos, feat, thr, i_left, i_right = end, 0, 0.0, 0.0, 0.0
        if not is_leaf:
            pos, feat, thr, i_left, i_right, improvement, n_const = _best_split(
                X, y_class, y_value, w, criterion, samples, start, end, fv, features,
                constant_features, n_const, rng, max_features, min_samples_leaf, min_weight_leaf,
                s_total, s_left, s_right, w_node, sq_total, impurity, w_total, sort_stack,
            )
            is_leaf = pos >= end or improvement + _EPSILON < min_impurity_decrease

        if node_count == ints.shape[0]:
            ints, floats, value = _grow_storage(ints, floats, value)
        node = node_count
        node_count += 1
        if parent != TREE_UNDEFINED:
            ints[parent, 0 if is_left else 1] = node
        ints[node, 3] = n_node
        floats[node, 1], floats[node, 2] = impurity, w_node
        for k in range(K):
            value[node, k] = s_total[k] / w_node
        if is_leaf:
            ints[node, 0], ints[node, 1], ints[node, 2] = TREE_LEAF, TREE_LEAF, TREE_UNDEFINED
            floats[node, 0] = TREE_UNDEFINED
        else:
            ints[node, 2], floats[node, 0] = feat, thr
            # push right then left: the left child is built first
            top += 1
            st_i[top, 0], st_i[top, 1], st_i[top, 2] = pos, end, depth + 1
            st_i[top, 3], st_i[top, 4], st_i[top, 5] = node, 0, n_const
            st_f[top] = i_right
            top += 1
            st_i[top, 0], st_i[top, 1], st_i[top, 2] = start, pos, depth + 1
            st_i[top, 3], st_i[top, 4], st_i[top, 5] = node, 1, n_const
            st_f[top] = i_left
        max_depth_seen = max(max_depth_seen, depth)
    return ints[:node_count].copy(), floats[:node_count].copy(), value[:node_count].copy(), max_depth_seen


@njit(cache=True, nogil=True)
def apply_tree(X, children_left, children_right, feature, threshold):
    """Leaf index of every row of float32 ``X``: go left while ``x[feature] <= threshold``."""
    out = np.empty(X.shape[0], np.int64)
    for i in range(X.shape[0]):
        node = 0
        while children_left[node] != TREE_LEAF:
            if X[i, feature[node]] <= threshold[node]:
                node = children_left[node]
            else:
                node = children_right[node]
        out[i] = node
    return out
