"""Brute-force k-nearest-neighbour search: every query against every training point, in blocks.

Euclidean distances come from the identity ``‖q − x‖² = ‖q‖² − 2 q·x + ‖x‖²``: the ``−2 q·x`` part
of a block of queries × a block of training points is one matrix product (BLAS), and a compiled
loop adds the norms and offers each value to the query's heap of the k best. Blocks keep memory at
``chunk × block`` doubles and in cache, whatever the data size — the full ``n_q × n`` matrix is never
formed. Other Minkowski distances have no product form; the same loop computes them directly.
"""

from __future__ import annotations

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from numba import njit
from sklearn.utils import gen_even_slices
from threadpoolctl import threadpool_limits

from mlweekly.ml_algorithms import _heap
from mlweekly.ml_algorithms._distances import rdist, rdist_to_dist

__all__ = ["kneighbors"]

CHUNK = 256  # queries per block
BLOCK = 2048  # training points per block: a 256 × 2048 float64 block is 4 MiB


@njit(cache=True, nogil=True)
def _push_sqeuclidean(G, q_norms, x_norms, offset, dist, ind):
    """Offer ``‖q_i‖² − 2 G_ij + ‖x_j‖²`` (``G = Q Xᵀ`` of one block) to heap ``i``; columns are training
    indices ``offset + j``, visited in increasing order."""
    for i in range(G.shape[0]):
        for j in range(G.shape[1]):
            # scikit-learn's order (‖q‖² + (−2 q·x)) + ‖x‖²; cancellation can leave a tiny negative.
            d = max((q_norms[i] - 2.0 * G[i, j]) + x_norms[j], 0.0)
            if d < dist[i, 0]:  # increasing j: a tie with the root never wins, so '<' is the full test
                _heap.push(dist, ind, i, d, offset + j)


@njit(cache=True, nogil=True)
def _push_minkowski(Q, X, p, dist, ind):
    for i in range(Q.shape[0]):
        for j in range(X.shape[0]):
            d = rdist(Q, i, X, j, p)
            if d < dist[i, 0]:
                _heap.push(dist, ind, i, d, j)


def _search(Q, X, x_norms, p, dist, ind):
    """Fill the heaps ``dist, ind`` (rows of ``Q``) with reduced distances, then sort them."""
    if p == 2.0:
        q_norms = np.einsum("ij,ij->i", Q, Q)
        for q0 in range(0, Q.shape[0], CHUNK):
            rows = slice(q0, q0 + CHUNK)
            for x0 in range(0, X.shape[0], BLOCK):
                G = Q[rows] @ X[x0 : x0 + BLOCK].T
                _push_sqeuclidean(G, q_norms[rows], x_norms[x0 : x0 + BLOCK], x0, dist[rows], ind[rows])
    else:
        _push_minkowski(Q, X, p, dist, ind)
    _heap.sort(dist, ind)


def kneighbors(Q, X, k, p, *, x_norms=None, n_jobs=None):
    """The ``k`` nearest rows of ``X`` to each row of ``Q`` in the Minkowski ``p`` distance.

    Parameters
    ----------
    Q : ndarray of shape (n_queries, d), float64, C-contiguous
    X : ndarray of shape (n, d), float64, C-contiguous
    k : int
        ``1 <= k <= n``.
    p : float
        Minkowski exponent (``>= 1``, ``np.inf`` allowed).
    x_norms : ndarray of shape (n,), optional
        ``‖x_j‖²`` (Euclidean only), precomputed at fit time.
    n_jobs : int, optional
        Threads, each taking an even slice of the queries (joblib's meaning: None is 1, -1 all
        cores). BLAS is held to one thread meanwhile: the blocks are too small for threaded BLAS to
        pay (it made the search several times slower), and ``n_jobs`` alone sets the parallelism.

    Returns
    -------
    dist, ind : ndarray of shape (n_queries, k)
        Distances in ascending order and training indices; ties in distance are broken by the smaller
        index.
    """
    dist = np.full((Q.shape[0], k), np.inf)
    ind = np.full((Q.shape[0], k), -1, dtype=np.intp)
    if p == 2.0 and x_norms is None:
        x_norms = np.einsum("ij,ij->i", X, X)
    n_threads = min(effective_n_jobs(n_jobs), max(1, Q.shape[0]))
    with threadpool_limits(limits=1, user_api="blas"):
        if n_threads == 1:
            _search(Q, X, x_norms, p, dist, ind)
        else:
            Parallel(n_jobs=n_threads, prefer="threads")(
                delayed(_search)(Q[s], X, x_norms, p, dist[s], ind[s])
                for s in gen_even_slices(Q.shape[0], n_threads)
            )
    return rdist_to_dist(dist, p), ind
