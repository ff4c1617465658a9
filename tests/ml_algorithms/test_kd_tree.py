"""Tests of the from-scratch KDTree: scikit-learn's tree shape, exact query results, pruning, errors."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.neighbors import KDTree as SkKDTree

from mlweekly.ml_algorithms import KDTree


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1), n=st.integers(1, 300), d=st.integers(1, 5), leaf_size=st.integers(1, 40)
)
def test_same_tree_as_sklearn(seed, n, d, leaf_size):
    # Continuous data: no ties at a median, so each node holds the same set of points as in sklearn
    # (whose partition leaves the order inside a node unspecified) and so has the same bounding box.
    X = np.random.default_rng(seed).normal(size=(n, d))
    ours, ref = KDTree(X, leaf_size=leaf_size), SkKDTree(X, leaf_size=leaf_size)
    _, ref_idx, ref_nodes, ref_bounds = ref.get_arrays()
    assert ours.n_nodes == ref_nodes.shape[0]
    np.testing.assert_array_equal(ours.node_bounds, ref_bounds)
    np.testing.assert_array_equal(ours.node_start, ref_nodes["idx_start"])
    np.testing.assert_array_equal(ours.node_end, ref_nodes["idx_end"])
    for i in range(ours.n_nodes):  # same members per node
        s, e = ours.node_start[i], ours.node_end[i]
        np.testing.assert_array_equal(np.sort(ours.idx_array[s:e]), np.sort(ref_idx[s:e]))
    leaves = np.arange(ours.n_nodes // 2, ours.n_nodes)
    sizes = ours.node_end[leaves] - ours.node_start[leaves]
    assert sizes.min() >= min(leaf_size, n) and (n <= leaf_size or sizes.max() <= 2 * leaf_size)


@pytest.mark.parametrize(
    ("metric", "p"), [("euclidean", 2), ("manhattan", 1), ("minkowski", 3), ("minkowski", np.inf)]
)
def test_query_matches_sklearn_and_brute_force(metric, p):
    rng = np.random.default_rng(0)
    X, Q = rng.normal(size=(400, 3)), rng.normal(size=(50, 3))
    dist, ind = KDTree(X, leaf_size=5, metric=metric, p=p).query(Q, k=6)
    ref_dist, ref_ind = SkKDTree(
        X, leaf_size=5, metric="minkowski", p={"euclidean": 2, "manhattan": 1}.get(metric, p)
    ).query(Q, k=6)
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-13)
    diff = np.abs(Q[:, None, :] - X[None, :, :])
    exact = diff.max(axis=2) if p == np.inf else (diff**p).sum(axis=2) ** (1 / p)
    np.testing.assert_array_equal(ind, np.argsort(exact, axis=1, kind="stable")[:, :6])


def test_pruning_skips_most_points_in_low_dimension():
    rng = np.random.default_rng(1)
    X, Q = rng.uniform(size=(20_000, 2)), rng.uniform(size=(200, 2))
    ind, n_dist = KDTree(X, leaf_size=20).query(Q, k=5, return_distance=False, return_n_distances=True)
    assert ind.shape == (200, 5)
    assert n_dist.max() < 0.02 * len(X)  # a handful of leaves out of 1024


def test_pickle_round_trip():
    X = np.random.default_rng(2).normal(size=(50, 2))
    tree = KDTree(X, leaf_size=4)
    again = pickle.loads(pickle.dumps(tree))
    for a, b in zip(tree.query(X[:5], k=3), again.query(X[:5], k=3), strict=True):
        np.testing.assert_array_equal(a, b)


def test_errors():
    X = np.random.default_rng(3).normal(size=(10, 2))
    with pytest.raises(ValueError, match="leaf_size must be an integer >= 1"):
        KDTree(X, leaf_size=0)
    with pytest.raises(ValueError, match="metric must be one of"):
        KDTree(X, metric="cosine")
    with pytest.raises(ValueError, match="NaN|infinity"):
        KDTree(np.vstack([X, [[np.nan, 0.0]]]))
    tree = KDTree(X)
    with pytest.raises(ValueError, match="k must be an integer between 1 and n_samples=10"):
        tree.query(X, k=11)
    with pytest.raises(ValueError, match="X has 3 features, but the tree indexes points with 2"):
        tree.query(np.zeros((1, 3)))
