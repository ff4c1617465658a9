"""The fitted tree as parallel arrays, named and shaped as scikit-learn's ``Tree`` (``tree_``).

Node ``i`` is a leaf when ``children_left[i] == children_right[i] == -1`` (``TREE_LEAF``); then
``feature[i] == -2`` and ``threshold[i] == -2.0`` (``TREE_UNDEFINED``). A sample goes left when
``x[feature[i]] <= threshold[i]``, comparing its float32 value with the float64 threshold.
"""

from __future__ import annotations

import numpy as np

from mlweekly.ml_algorithms._tree_builder import TREE_LEAF, TREE_UNDEFINED, apply_tree

__all__ = ["Tree", "TREE_LEAF", "TREE_UNDEFINED"]


class Tree:
    """Array representation of a binary decision tree.

    Attributes
    ----------
    node_count : int
        Number of nodes; nodes are numbered in depth-first pre-order, left child first.
    children_left, children_right : ndarray of int64, shape (node_count,)
        Child node ids, ``-1`` at leaves.
    feature : ndarray of int64, shape (node_count,)
        Feature tested at each split node (``-2`` at leaves).
    threshold : ndarray of float64, shape (node_count,)
        Split threshold (``-2.0`` at leaves).
    value : ndarray of float64, shape (node_count, 1, n_classes or 1)
        Weighted class fractions (classification) or mean target (regression) of every node.
    impurity : ndarray of float64, shape (node_count,)
        Criterion value of every node.
    n_node_samples : ndarray of int64, shape (node_count,)
        Number of training samples with positive weight reaching every node.
    weighted_n_node_samples : ndarray of float64, shape (node_count,)
        Their total weight.
    max_depth : int
        Depth of the deepest node (the root has depth 0).
    n_features, n_outputs : int
        Number of features; number of outputs (always 1 here).
    n_classes : ndarray of int64, shape (1,)
        Number of classes (1 for regression).
    """

    def __init__(self, ints, floats, value, max_depth: int, n_features: int):
        self.children_left = np.ascontiguousarray(ints[:, 0])
        self.children_right = np.ascontiguousarray(ints[:, 1])
        self.feature = np.ascontiguousarray(ints[:, 2])
        self.n_node_samples = np.ascontiguousarray(ints[:, 3])
        self.threshold = np.ascontiguousarray(floats[:, 0])
        self.impurity = np.ascontiguousarray(floats[:, 1])
        self.weighted_n_node_samples = np.ascontiguousarray(floats[:, 2])
        self.value = np.ascontiguousarray(value)[:, np.newaxis, :]
        self.max_depth = int(max_depth)
        self.n_features = int(n_features)
        self.n_outputs = 1
        self.n_classes = np.array([value.shape[1]], dtype=np.int64)

    @classmethod
    def from_nodes(cls, nodes: dict, max_depth: int, n_features: int) -> Tree:
        """Build from a dict of the named arrays (``children_left``, ..., ``value`` 2-D)."""
        ints = np.column_stack(
            [nodes["children_left"], nodes["children_right"], nodes["feature"], nodes["n_node_samples"]]
        )
        floats = np.column_stack(
            [nodes["threshold"], nodes["impurity"], nodes["weighted_n_node_samples"]]
        )
        return cls(ints, floats, nodes["value"], max_depth, n_features)

    @property
    def node_count(self) -> int:
        return self.children_left.shape[0]

    @property
    def n_leaves(self) -> int:
        return int(np.sum(self.children_left == TREE_LEAF))

    @property
    def max_n_classes(self) -> int:
        return int(self.n_classes[0])

    def apply(self, X) -> np.ndarray:
        """Leaf id of each row of ``X`` (validated, cast to float32 by the caller)."""
        X = np.ascontiguousarray(X, dtype=np.float32)
        return apply_tree(X, self.children_left, self.children_right, self.feature, self.threshold)

    def predict(self, X) -> np.ndarray:
        """``value`` of the leaf of each row: shape (n_samples, 1, n_classes or 1)."""
        return self.value[self.apply(X)]

    def compute_feature_importances(self, normalize: bool = True) -> np.ndarray:
        """Total weighted impurity decrease per feature, ``Σ_splits (N_t i_t - N_L i_L - N_R i_R) / N``.

        Summed in node order as sklearn does (``np.bincount`` adds sequentially), then divided by
        its sum when ``normalize`` (unless the root is pure and every decrease is zero).
        """
        split = self.children_left != TREE_LEAF
        left, right = self.children_left[split], self.children_right[split]
        wi = self.weighted_n_node_samples * self.impurity
        decrease = wi[split] - wi[left] - wi[right]
        importances = np.bincount(self.feature[split], weights=decrease, minlength=self.n_features)
        importances = importances.astype(np.float64) / self.weighted_n_node_samples[0]
        if normalize:
            total = np.sum(importances)
            if total > 0.0:
                importances /= total
        return importances
