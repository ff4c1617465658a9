"""Minimal cost-complexity ("weakest-link") pruning of a grown tree (Breiman et al. 1984, ch. 3).

The cost of a subtree ``T`` is ``R_α(T) = R(T) + α |leaves(T)|`` with ``R(T) = Σ_leaves N_t/N i_t``
(weighted leaf impurity). Collapsing the branch ``T_t`` under node ``t`` into a leaf changes ``R`` by
``R(t) - R(T_t)`` and removes ``|T_t| - 1`` leaves, so it pays off once
``α ≥ g(t) = (R(t) - R(T_t)) / (|T_t| - 1)``. Weakest-link pruning repeatedly collapses the node
with the smallest ``g`` (the first in node order on ties); the successive ``g`` values are the path
of effective alphas, and the tree for ``ccp_alpha`` is the last one whose effective alpha is
``<= ccp_alpha``. Sums are accumulated in scikit-learn's order so the path is bit-identical.
"""

from __future__ import annotations

import numpy as np

from mlweekly.ml_algorithms._tree_structure import TREE_LEAF, TREE_UNDEFINED, Tree

__all__ = ["pruning_path", "prune"]


def _weakest_link(tree: Tree, ccp_alpha: float | None):
    """Run weakest-link pruning; stop before the first alpha above ``ccp_alpha`` (None: to the root).

    Returns the leaf mask of the final subtree, the effective alphas and the subtree impurities.
    """
    left, right = tree.children_left, tree.children_right
    n_nodes = tree.node_count
    r_node = tree.weighted_n_node_samples * tree.impurity / tree.weighted_n_node_samples[0]
    parent = np.full(n_nodes, TREE_UNDEFINED, dtype=np.int64)
    internal = np.flatnonzero(left != TREE_LEAF)
    parent[left[internal]] = internal
    parent[right[internal]] = internal
    is_leaf = left == TREE_LEAF

    # R(T_t) and |T_t| of every branch: bubble each leaf's R up to the root, leaves in node order
    r_branch = np.where(is_leaf, r_node, 0.0)
    n_leaves = np.zeros(n_nodes, dtype=np.int64)
    for leaf in np.flatnonzero(is_leaf):
        node = leaf
        while node != 0:
            node = parent[node]
            r_branch[node] += r_node[leaf]
            n_leaves[node] += 1

    candidate = ~is_leaf
    in_subtree = np.ones(n_nodes, dtype=bool)
    alphas, impurities = [0.0], [r_branch[0]]
    while candidate[0]:
        idx = np.flatnonzero(candidate)
        g = (r_node[idx] - r_branch[idx]) / (n_leaves[idx] - 1)
        weakest = idx[np.argmin(g)]
        alpha = g.min()
        if ccp_alpha is not None and ccp_alpha < alpha:
            break
        stack = [weakest]  # the branch below the weakest link leaves the subtree
        while stack:
            node = stack.pop()
            if not in_subtree[node]:
                continue
            candidate[node] = is_leaf[node] = in_subtree[node] = False
            if left[node] != TREE_LEAF:
                stack += [left[node], right[node]]
        is_leaf[weakest] = in_subtree[weakest] = True
        n_pruned = n_leaves[weakest] - 1
        n_leaves[weakest] = 0
        r_diff = r_node[weakest] - r_branch[weakest]
        r_branch[weakest] = r_node[weakest]
        node = parent[weakest]
        while node != TREE_UNDEFINED:
            n_leaves[node] -= n_pruned
            r_branch[node] += r_diff
            node = parent[node]
        alphas.append(alpha)
        impurities.append(r_branch[0])
    return is_leaf, np.array(alphas), np.array(impurities)


def pruning_path(tree: Tree) -> dict:
    """Effective alphas and total leaf impurities of the nested pruned subtrees, down to the root."""
    _, alphas, impurities = _weakest_link(tree, None)
    return {"ccp_alphas": alphas, "impurities": impurities}


def prune(tree: Tree, ccp_alpha: float) -> Tree:
    """The subtree of ``tree`` for ``ccp_alpha``, renumbered in pre-order like a grown tree."""
    keep_leaf, _, _ = _weakest_link(tree, ccp_alpha)
    old_ids, new_parent, new_is_left, depth_of = [], [], [], []
    stack = [(0, TREE_UNDEFINED, False, 0)]
    while stack:
        node, par, is_left, depth = stack.pop()
        old_ids.append(node)
        new_parent.append(par)
        new_is_left.append(is_left)
        depth_of.append(depth)
        if not keep_leaf[node]:
            new_id = len(old_ids) - 1
            stack.append((tree.children_right[node], new_id, False, depth + 1))
            stack.append((tree.children_left[node], new_id, True, depth + 1))
    old = np.array(old_ids)
    leaf = keep_leaf[old]
    m = old.size
    children_left = np.full(m, TREE_LEAF, dtype=np.int64)
    children_right = np.full(m, TREE_LEAF, dtype=np.int64)
    for new_id in range(1, m):
        (children_left if new_is_left[new_id] else children_right)[new_parent[new_id]] = new_id
    nodes = {
        "children_left": children_left,
        "children_right": children_right,
        "feature": np.where(leaf, TREE_UNDEFINED, tree.feature[old]),
        "threshold": np.where(leaf, float(TREE_UNDEFINED), tree.threshold[old]),
        "impurity": tree.impurity[old],
        "n_node_samples": tree.n_node_samples[old],
        "weighted_n_node_samples": tree.weighted_n_node_samples[old],
        "value": tree.value[old, 0, :],
    }
    return Tree.from_nodes(nodes, max(depth_of), tree.n_features)
