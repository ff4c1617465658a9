"""The k best so far: a bounded max-heap of (reduced distance, index) pairs, one per query.

Keys are compared lexicographically — the smaller distance wins, and between equal distances the
smaller training index — so "the k nearest" is always well defined: it is what a *stable* sort of
all distances would put first, however the candidates are visited (brute force, KD-tree).

Pushing costs one comparison with the root when the candidate is rejected (the common case) and
``O(log k)`` when it enters. The loop is sequential per query, which NumPy cannot express; these
kernels are compiled with numba (see the benchmark in ``benchmarks/bench_neighbors.py``: NumPy's
``argpartition`` over the full distance matrix alone took longer than scikit-learn's whole query).
"""

from __future__ import annotations

from numba import njit

# numba's on-disk cache (cache=True) keys a kernel on its own file only: after editing a function here
# that kernels in other modules inline, delete __pycache__/*.nbi and *.nbc, or they keep the old code.

__all__ = ["push", "sort"]


@njit(cache=True, nogil=True, inline="always")
def _greater(d1, i1, d2, i2):
    return d1 > d2 or (d1 == d2 and i1 > i2)


# Heaps are rows ``r`` of 2-D arrays, indexed in place: slicing a row in a hot loop would create an
# array view (with reference counting) per call, which cost ten times the comparison itself.


@njit(cache=True, nogil=True)
def _sift_down(dist, ind, r, root, size):
    while True:
        child = 2 * root + 1
        if child >= size:
            return
        right = child + 1
        if right < size and _greater(dist[r, right], ind[r, right], dist[r, child], ind[r, child]):
            child = right
        if not _greater(dist[r, child], ind[r, child], dist[r, root], ind[r, root]):
            return
        dist[r, root], dist[r, child] = dist[r, child], dist[r, root]
        ind[r, root], ind[r, child] = ind[r, child], ind[r, root]
        root = child


@njit(cache=True, nogil=True, inline="always")
def push(dist, ind, r, d, i):
    """Offer ``(d, i)`` to heap ``r`` (row ``r`` of ``dist, ind``; its root, column 0, is the worst
    kept); keep it if it beats the root."""
    if _greater(dist[r, 0], ind[r, 0], d, i):
        dist[r, 0] = d
        ind[r, 0] = i
        _sift_down(dist, ind, r, 0, dist.shape[1])


@njit(cache=True, nogil=True)
def sort(dist, ind):
    """Heap-sort every row of ``(dist, ind)`` in place into ascending (distance, index) order."""
    for r in range(dist.shape[0]):
        for end in range(dist.shape[1] - 1, 0, -1):
            dist[r, 0], dist[r, end] = dist[r, end], dist[r, 0]
            ind[r, 0], ind[r, end] = ind[r, end], ind[r, 0]
            _sift_down(dist, ind, r, 0, end)
