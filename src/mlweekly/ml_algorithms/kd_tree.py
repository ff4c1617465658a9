"""KD-tree (Bentley 1975; Friedman, Bentley & Finkel 1977): axis-aligned boxes that let a
nearest-neighbour query skip most of the training set.

**Build** (vectorised, one tree level at a time): a node holds a contiguous run of ``idx_array``;
it is split on the coordinate of largest spread at the median, so the left child gets the
``⌊m/2⌋`` points with the smallest values and the tree is balanced. The shape is scikit-learn's:
``n_levels = 1 + ⌊log₂((n − 1)/leaf_size)⌋`` levels stored as a complete binary tree (children of
node ``i`` are ``2i+1`` and ``2i+2``), so leaves hold between ``leaf_size`` and ``2·leaf_size``
points (fewer only when ``n <= leaf_size``). Every node keeps the bounding box of its points.

**Query** (compiled, one query at a time): depth first, nearer child first, keeping the k best in a
heap. A node whose box is farther than the current k-th best distance cannot hold a better point
and is pruned — the whole speed-up. In low dimension a query touches ``O(log n)`` leaves; as the
dimension grows the boxes all come within the k-th distance and the search degrades to brute force
(the curse of dimensionality, lesson P1.05).
"""

from __future__ import annotations

import numbers

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from numba import njit
from sklearn.utils import gen_even_slices
from sklearn.utils.validation import check_array

from mlweekly.ml_algorithms import _heap
from mlweekly.ml_algorithms._distances import box_rdist, effective_p, rdist, rdist_to_dist

__all__ = ["KDTree"]


class KDTree:
    """KD-tree for fast k-nearest-neighbour queries in a Minkowski metric.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The points to index (cast to float64; no NaN or inf).
    leaf_size : int, default=40
        Points per leaf are between ``leaf_size`` and ``2 * leaf_size`` (scikit-learn's rule). Small
        leaves prune more but cost more node visits.
    metric : {"minkowski", "euclidean", "manhattan"}, default="minkowski"
        Distance; ``"minkowski"`` uses the exponent ``p``.
    p : float, default=2
        Minkowski exponent, ``>= 1`` (``np.inf``: largest coordinate difference). Only used with
        ``metric="minkowski"``.

    Attributes
    ----------
    data : ndarray of shape (n_samples, n_features)
        The indexed points, in their original order.
    idx_array : ndarray of shape (n_samples,)
        Point indices in tree order: node ``i`` holds ``idx_array[node_start[i]:node_end[i]]``.
    node_start, node_end : ndarray of shape (n_nodes,)
        Each node's run of ``idx_array``.
    node_bounds : ndarray of shape (2, n_nodes, n_features)
        Lower and upper corner of each node's bounding box (as ``sklearn``'s ``get_arrays()[3]``).
    split_dim : ndarray of shape (n_nodes,)
        Coordinate each internal node splits on (-1 for leaves).
    n_levels, n_nodes : int
        Depth of the complete binary tree and its number of nodes.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import KDTree
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [5.0, 5.0]])
    >>> dist, ind = KDTree(X, leaf_size=1).query([[0.9, 0.1]], k=2)
    >>> ind
    array([[1, 0]])
    >>> dist.round(4)
    array([[0.1414, 0.9055]])
    """

    def __init__(self, X, leaf_size=40, metric="minkowski", p=2):
        if isinstance(leaf_size, bool) or not isinstance(leaf_size, numbers.Integral) or leaf_size < 1:
            raise ValueError(f"leaf_size must be an integer >= 1, got {leaf_size!r}")
        self.p = effective_p(metric, p)
        self.metric = metric
        self.leaf_size = int(leaf_size)
        self.data = check_array(X, dtype=np.float64, order="C", input_name="X")
        self._build()

    def _build(self) -> None:
        X, n = self.data, self.data.shape[0]
        self.n_levels = int(np.log2(max(1.0, (n - 1) / self.leaf_size)) + 1)
        self.n_nodes = 2**self.n_levels - 1
        start = np.zeros(self.n_nodes, dtype=np.intp)
        end = np.zeros(self.n_nodes, dtype=np.intp)
        split_dim = np.full(self.n_nodes, -1, dtype=np.intp)
        end[0] = n
        idx = np.arange(n)
        for level in range(self.n_levels - 1):  # internal levels; the last one is the leaves
            nodes = np.arange(2**level - 1, 2 ** (level + 1) - 1)
            s, e = start[nodes], end[nodes]  # runs tile 0..n in order
            points = X[idx]
            spread = np.maximum.reduceat(points, s, axis=0) - np.minimum.reduceat(points, s, axis=0)
            split_dim[nodes] = np.argmax(spread, axis=1)  # first widest coordinate, as sklearn
            owner = np.repeat(np.arange(nodes.size), e - s)
            value = points[np.arange(n), split_dim[nodes][owner]]
            idx = idx[np.lexsort((value, owner))]  # sort each run by its split coordinate
            mid = s + (e - s) // 2
            start[2 * nodes + 1], end[2 * nodes + 1] = s, mid
            start[2 * nodes + 2], end[2 * nodes + 2] = mid, e
        points = X[idx]
        bounds = np.empty((2, self.n_nodes, X.shape[1]))
        for level in range(self.n_levels):
            nodes = np.arange(2**level - 1, 2 ** (level + 1) - 1)
            bounds[0, nodes] = np.minimum.reduceat(points, start[nodes], axis=0)
            bounds[1, nodes] = np.maximum.reduceat(points, start[nodes], axis=0)
        self.idx_array, self.node_start, self.node_end = idx, start, end
        self.node_bounds, self.split_dim = bounds, split_dim
        self._points = points  # the data in tree order: each leaf is a contiguous block of memory

    def query(self, X, k=1, return_distance=True, *, n_jobs=None, return_n_distances=False):
        """The ``k`` nearest indexed points of each row of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
            Query points.
        k : int, default=1
            Number of neighbours, ``1 <= k <= n_samples``.
        return_distance : bool, default=True
            Also return the distances.
        n_jobs : int, optional
            Threads, each taking an even slice of the queries (None is 1, -1 all cores).
        return_n_distances : bool, default=False
            Also return how many point distances each query computed (``n_samples`` would be brute
            force): the measure of how well the tree prunes.

        Returns
        -------
        dist : ndarray of shape (n_queries, k)
            Distances in ascending order (if ``return_distance``).
        ind : ndarray of shape (n_queries, k)
            Indices into ``data``; equal distances are ordered by index.
        n_distances : ndarray of shape (n_queries,)
            Only with ``return_n_distances``.
        """
        Q = check_array(X, dtype=np.float64, order="C", input_name="X")
        if Q.shape[1] != self.data.shape[1]:
            raise ValueError(
                f"X has {Q.shape[1]} features, but the tree indexes points with {self.data.shape[1]}"
            )
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= self.data.shape[0]:
            raise ValueError(f"k must be an integer between 1 and n_samples={self.data.shape[0]}, got {k!r}")
        dist = np.empty((Q.shape[0], k))
        ind = np.empty((Q.shape[0], k), dtype=np.intp)
        counts = np.zeros(Q.shape[0], dtype=np.intp)
        args = (self._points, self.idx_array, self.node_start, self.node_end, self.node_bounds, self.p)
        n_threads = min(effective_n_jobs(n_jobs), max(1, Q.shape[0]))
        if n_threads == 1:
            _query(Q, *args, dist, ind, counts)
        else:
            Parallel(n_jobs=n_threads, prefer="threads")(
                delayed(_query)(Q[s], *args, dist[s], ind[s], counts[s])
                for s in gen_even_slices(Q.shape[0], n_threads)
            )
        out = (rdist_to_dist(dist, self.p), ind) if return_distance else (ind,)
        out += (counts,) if return_n_distances else ()
        return out[0] if len(out) == 1 else out

    def get_arrays(self):
        """``(data, idx_array, (node_start, node_end), node_bounds)`` — scikit-learn's layout, minus
        its per-node radius and leaf flag (a node ``i`` is a leaf iff ``2i + 1 >= n_nodes``)."""
        return self.data, self.idx_array, (self.node_start, self.node_end), self.node_bounds

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["_points"]  # rebuilt from data and idx_array
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._points = self.data[self.idx_array]


@njit(cache=True, nogil=True)
def _query(Q, points, idx, start, end, bounds, p, dist, ind, counts):
    n_nodes = start.shape[0]
    first_leaf = (n_nodes - 1) // 2
    depth = int(np.log2(n_nodes + 1))
    stack = np.empty(2 * depth + 2, dtype=np.intp)  # nodes still to visit, nearest on top
    stack_lb = np.empty(2 * depth + 2)  # and their lower bounds
    dist[:] = np.inf
    ind[:] = -1
    for qi in range(Q.shape[0]):
        stack[0], stack_lb[0], top = 0, box_rdist(Q, qi, bounds, 0, p), 1
        n_dist = 0
        while top > 0:
            top -= 1
            node, lb = stack[top], stack_lb[top]
            if lb > dist[qi, 0]:  # prune: nothing in the box can beat the k-th best ('>': ties win on index)
                continue
            if node >= first_leaf:
                for pos in range(start[node], end[node]):
                    r = rdist(Q, qi, points, pos, p)
                    if r <= dist[qi, 0]:
                        _heap.push(dist, ind, qi, r, idx[pos])
                n_dist += end[node] - start[node]
            else:
                a, b = 2 * node + 1, 2 * node + 2
                lb_a, lb_b = box_rdist(Q, qi, bounds, a, p), box_rdist(Q, qi, bounds, b, p)
                if lb_a <= lb_b:  # push the farther child first so that the nearer is searched first
                    a, b, lb_a, lb_b = b, a, lb_b, lb_a
                stack[top], stack_lb[top] = a, lb_a
                stack[top + 1], stack_lb[top + 1] = b, lb_b
                top += 2
        counts[qi] = n_dist
    _heap.sort(dist, ind)
