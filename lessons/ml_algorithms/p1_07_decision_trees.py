# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # P1.07 · Decision trees (entropy and Gini by hand)
#
# A decision tree predicts by asking a short sequence of yes/no questions about single features —
# "is petal length $\le 2.45$ cm?" — and answering with what the training samples that gave the
# same answers looked like. Geometrically it cuts the feature space into axis-aligned boxes
# $R_1, \dots, R_M$ (the leaves) and predicts a constant in each:
#
# $$\hat f(x) = \sum_{m=1}^{M} c_m \,\mathbb 1[x \in R_m], \qquad
# c_m = \begin{cases} \text{class fractions } \hat p_{mk} \text{ of } R_m & \text{(classification)}\\
# \text{mean target of } R_m & \text{(regression).}\end{cases}$$
#
# Finding the best partition into $M$ boxes is NP-hard (Hyafil & Rivest 1976), so CART
# (Breiman, Friedman, Olshen & Stone 1984) grows it **greedily**: split the node that is in front
# of you as well as you can, then recurse on each half.
#
# ## Impurity: how mixed is a node?
#
# For a node $t$ holding (weighted) class proportions $p_1, \dots, p_K$:
#
# $$\text{Gini: } i_G(t) = \sum_k p_k (1 - p_k) = 1 - \sum_k p_k^2, \qquad
# \text{entropy: } i_H(t) = -\sum_k p_k \log_2 p_k \quad (0 \log 0 = 0).$$
#
# Both are 0 for a pure node and largest for a uniform one ($1 - 1/K$ and $\log_2 K$ bits). Gini
# is the probability that two samples drawn from the node disagree, or the training error of
# predicting at random with the node's proportions; entropy is the expected code length of a label
# (its decrease is the *information gain*, the mutual information between split and label). In
# regression the impurity is the within-node variance $i(t) = \frac{1}{N_t}\sum_{i \in t}(y_i - \bar
# y_t)^2$, the squared error of predicting the node mean.
#
# ## Impurity decrease
#
# A split $s$ of node $t$ ($N_t$ samples out of $N$) into left $L$ and right $R$ is worth
#
# $$\Delta i(s, t) = \frac{N_t}{N}\Bigl(i(t) - \frac{N_L}{N_t}\, i(L) - \frac{N_R}{N_t}\, i(R)\Bigr),$$
#
# the impurity of the parent minus the weighted impurity of the children. Because Gini and entropy
# are **concave** in $p$, the weighted average of the children's impurities is never above the
# parent's (Jensen): $\Delta i \ge 0$, with equality only when both children have the parent's
# proportions. That strict concavity is why CART does not use the misclassification rate
# $1 - \max_k p_k$: it is piecewise linear, so many useful splits have zero decrease.
#
# ### A worked example by hand
#
# A node with 10 samples, 5 of class A and 5 of class B, and a candidate split sending
# $(4\,A, 1\,B)$ left and $(1\,A, 4\,B)$ right:
#
# | node | counts (A, B) | $p_A$ | Gini $1 - p_A^2 - p_B^2$ | entropy $-\sum p \log_2 p$ |
# |---|---|---|---|---|
# | parent | (5, 5) | 0.5 | $1 - 0.25 - 0.25 = 0.5$ | $-2 \cdot 0.5 \log_2 0.5 = 1$ |
# | left | (4, 1) | 0.8 | $1 - 0.64 - 0.04 = 0.32$ | $-0.8\log_2 0.8 - 0.2 \log_2 0.2 = 0.2575 + 0.4644 = 0.7219$ |
# | right | (1, 4) | 0.2 | $0.32$ | $0.7219$ |
# | children, weighted $\tfrac{5}{10}, \tfrac{5}{10}$ | | | $0.32$ | $0.7219$ |
# | **decrease** | | | $0.5 - 0.32 = \mathbf{0.18}$ | $1 - 0.7219 = \mathbf{0.2781}$ bits |
#
# A purer split, $(5, 2)$ / $(0, 3)$: left Gini $1 - (5/7)^2 - (2/7)^2 = 20/49 = 0.4082$, right $0$,
# weighted $\tfrac{7}{10} \cdot 0.4082 = 0.2857$, decrease $0.2143 > 0.18$ — Gini prefers it, and so
# does entropy ($1 - 0.7 \cdot 0.8631 = 0.3958$ bits). The code below checks these numbers.
#
# ## Greedy recursive partitioning
#
# ```
# grow(node with samples S):
#     if S is pure, or depth == max_depth, or |S| < min_samples_split:  make a leaf
#     for each feature j (in a random order; max_features of them):
#         sort S by x_j                                   # O(N_t log N_t)
#         sweep the sorted samples left to right, moving one sample at a time from R to L and
#         updating running class counts (or Σy) — every threshold costs O(K), not O(N_t)
#         score the midpoint t = (x_(p-1) + x_(p))/2 between every two distinct values
#     split on the best (j, t); grow(left); grow(right)
# ```
#
# Only the children's term varies with the split, so the sweep maximises a cheaper **proxy**:
# $-(N_L\, i(L) + N_R\, i(R))$ for classification and, for squared error, since
# $\sum_{i\in L}(y_i - \bar y_L)^2 = \sum_{i \in L} y_i^2 - S_L^2/N_L$ with $S_L = \sum_{i\in L} y_i$,
# the proxy $S_L^2/N_L + S_R^2/N_R$. One node costs $O(d\, N_t \log N_t)$ and every level of the tree
# touches each sample once, so a balanced tree costs $O(d\, N \log^2 N)$.
#
# **Details that decide the exact tree** (our `_tree_builder` reproduces scikit-learn's choices):
# * scikit-learn **casts X to float32**; thresholds are $x_{(p-1)}/2 + x_{(p)}/2$ computed in
#   float64 from the two float32 values, and a test sample goes left when its float32 value is
#   $\le$ the threshold. Two values whose float32 difference is $\le 10^{-7}$ count as one value.
# * The candidate features are visited in a **random permutation** even when all are used, and a
#   later split replaces the best one only if it is *strictly* better. Equally good splits
#   (common with duplicated or discrete features) are therefore broken by `random_state`. We use the
#   same xorshift generator and Fisher–Yates draw as scikit-learn, so the same seed breaks ties the
#   same way; with another generator the trees would differ on tied splits while having the same
#   impurities.
# * The samples of a node are sorted with scikit-learn's introsort, so running sums in regression
#   are added in the same order and even the last bit of every impurity agrees.
#
# ## Why trees overfit
#
# Grown until the leaves are pure, a tree memorises the training set (training accuracy 1 unless two
# identical $x$ carry different labels): the deep splits are chosen on a handful of samples, where
# noise is as likely to produce a large impurity decrease as signal. A small change of the data
# changes the root split and with it everything below — low bias, **high variance**. The remedies:
# stop early (`max_depth`, `min_samples_leaf`, `min_impurity_decrease`), prune after growing (below),
# or average many decorrelated trees (bagging and random forests, P1.09).
#
# ## Minimal cost-complexity pruning (weakest link)
#
# Breiman et al. (1984, ch. 3) grow the full tree $T_0$ and then choose among its subtrees by
#
# $$R_\alpha(T) = R(T) + \alpha\,|\tilde T|, \qquad R(T) = \sum_{\text{leaves } t} \frac{N_t}{N}\, i(t),$$
#
# with $|\tilde T|$ the number of leaves. Collapsing the branch $T_t$ below node $t$ into a leaf
# changes $R$ by $R(t) - R(T_t) \ge 0$ and saves $|\tilde T_t| - 1$ leaves, so it pays once
#
# $$\alpha \ge g(t) = \frac{R(t) - R(T_t)}{|\tilde T_t| - 1}.$$
#
# The **weakest link** is the node with the smallest $g$; collapsing it gives the next tree of the
# nested sequence $T_0 \supset T_1 \supset \dots \supset \{\text{root}\}$, and the successive minima
# $\alpha_1 \le \alpha_2 \le \dots$ are the **effective alphas**. For any `ccp_alpha`, the optimal
# subtree is the last $T_k$ with $\alpha_k \le$ `ccp_alpha`. The path is computed once; choosing
# $\alpha$ is then a one-dimensional cross-validation.
#
# ## Feature importance and its caveats
#
# The impurity-based (Gini) importance of feature $j$ sums the weighted decreases
# $N_t i(t) - N_L i(L) - N_R i(R)$ of all splits on $j$, normalised to sum to one. It is free, but
# * it is measured on the **training** data, so it rewards what the tree overfits;
# * it is **biased toward high-cardinality features**: a continuous or many-valued feature offers
#   $N_t - 1$ thresholds at every node, a binary one offers one, so pure noise with many values
#   finds spurious decreases deep in the tree (Strobl et al. 2007);
# * correlated features share (arbitrarily) the importance of what they have in common.
#
# Permutation importance on held-out data (Breiman 2001) has none of the first two problems.
#
# **References.** Breiman, Friedman, Olshen & Stone, *Classification and Regression Trees* (1984),
# ch. 2–3 and 10; Hastie, Tibshirani & Friedman, *ESL* (2009) §9.2; Quinlan, *Induction of decision
# trees*, Machine Learning 1 (1986) (ID3, information gain); Hyafil & Rivest, *Constructing optimal
# binary decision trees is NP-complete* (1976); Strobl, Boulesteix, Zeileis & Hothorn, *Bias in
# random forest variable importance measures*, BMC Bioinformatics 8:25 (2007); scikit-learn's
# `sklearn/tree/_splitter.pyx`, `_criterion.pyx` and `_tree.pyx`.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn import tree as sk_tree
from sklearn.inspection import permutation_importance
from sklearn.model_selection import train_test_split

from mlweekly import datasets, parity
from mlweekly.ml_algorithms import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    export_text,
    plot_decision_boundary,
)
from mlweekly.ml_algorithms._criteria import entropy, gini

# %% [markdown]
# ## The worked example, checked
#
# The helpers `gini` and `entropy` compute the impurities of the table from class counts, and a
# depth-1 tree on ten one-feature samples built to contain the purer split finds it and stores the
# same numbers in `tree_.impurity`.

# %%
def decrease(impurity, parent, left, right):
    n_l, n_r = sum(left), sum(right)
    return impurity(parent) - n_l / (n_l + n_r) * impurity(left) - n_r / (n_l + n_r) * impurity(right)


for split in [((4, 1), (1, 4)), ((5, 2), (0, 3))]:
    print(f"split {split}: Gini decrease {decrease(gini, (5, 5), *split):.4f}, "
          f"entropy decrease {decrease(entropy, (5, 5), *split):.4f} bits")

x_toy = np.arange(10.0).reshape(-1, 1)
y_toy = np.array(list("AAAAABBBBB"))[[0, 1, 5, 2, 3, 6, 4, 7, 8, 9]]  # sorted by x: A A B A A B A | B B B
stump = DecisionTreeClassifier(max_depth=1, random_state=0).fit(x_toy, y_toy)
print("stump: threshold", stump.tree_.threshold[0], " impurities (root, left, right)", stump.tree_.impurity.round(4),
      " samples", stump.tree_.n_node_samples)
print(export_text(stump, feature_names=["x"], show_weights=True))

# %% [markdown]
# The stump splits at $x \le 6.5$: seven samples $(5\,A, 2\,B)$ left, three $B$ right — impurities
# $0.5$, $0.4082$ and $0$, as computed by hand.
#
# ## Demo 1 · the tree on iris, and its decision regions
#
# The full Gini tree on the four iris features, printed in scikit-learn's `export_text` format and
# drawn from our `tree_` arrays. Then a tree on two features only (petal length and width) to see
# the axis-aligned boxes, at depth 2 and grown to purity.

# %%
iris = datasets.load("iris")
X_iris, y_iris = datasets.load_xy("iris")
names = [n.replace(" (cm)", "") for n in iris.feature_names]
iris_tree = DecisionTreeClassifier(random_state=0).fit(X_iris, y_iris)
print(export_text(iris_tree, feature_names=names, class_names=list(iris.target_names)))
roots = {names[DecisionTreeClassifier(random_state=s).fit(X_iris, y_iris).tree_.feature[0]] for s in range(20)}
print("root feature over seeds 0-19:", sorted(roots))


def draw_tree(t, ax, feature_names, class_names, max_depth=3):
    """Draw tree_ arrays: leaves spread left to right in order, one row per depth."""
    x, depth, next_leaf = {}, {0: 0}, [0.0]

    def place(node):
        if t.children_left[node] == -1 or depth[node] == max_depth:
            x[node] = next_leaf[0]
            next_leaf[0] += 1
            return
        for child in (t.children_left[node], t.children_right[node]):
            depth[child] = depth[node] + 1
            place(child)
        x[node] = (x[t.children_left[node]] + x[t.children_right[node]]) / 2

    place(0)
    for node, xn in x.items():
        value = t.value[node, 0]
        is_split = t.children_left[node] != -1 and depth[node] < max_depth
        text = (f"{feature_names[t.feature[node]]} ≤ {t.threshold[node]:.2f}\n" if is_split else "")
        text += f"gini {t.impurity[node]:.3f}, n {t.n_node_samples[node]}\n{class_names[np.argmax(value)]}"
        colour = plt.cm.Set2(np.argmax(value))
        ax.text(xn, -depth[node], text, ha="center", va="center", fontsize=8,
                bbox=dict(boxstyle="round", fc=colour, alpha=0.4 + 0.6 * value.max() ** 4))
        if is_split:
            for child in (t.children_left[node], t.children_right[node]):
                ax.plot([xn, x[child]], [-depth[node], -depth[child]], color="grey", lw=1, zorder=0)
    ax.set(xlim=(-0.7, next_leaf[0] - 0.3), ylim=(-max(depth.values()) - 0.6, 0.6))
    ax.axis("off")


fig, ax = plt.subplots(figsize=(13, 5))
draw_tree(iris_tree.tree_, ax, names, iris.target_names)
ax.set_title("iris, full Gini tree (first 4 levels): left branch = test true")
plt.show()

X2 = X_iris[:, 2:]
fig, axes = plt.subplots(1, 2, figsize=(13, 5), constrained_layout=True)
for ax, depth in zip(axes, [2, None], strict=True):
    model = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X2, y_iris)
    plot_decision_boundary(model, X2, y_iris, ax=ax, feature_names=names[2:], class_names=list(iris.target_names),
                           response_method="predict", grid_resolution=300, eps=0.3)
    ax.set_title(f"max_depth={depth}: {model.get_n_leaves()} leaves, training accuracy {model.score(X2, y_iris):.3f}")
plt.show()

# %% [markdown]
# The root is a **tie**: `petal length <= 2.45` separates setosa just as perfectly as
# `petal width <= 0.80` (both leave Gini 0 on the left and 0.5 on the right). Which one appears
# depends only on the order in which `random_state` visits the features — with seed 0 both
# scikit-learn and we test petal width first among the two.
#
# The unrestricted tree carves tiny boxes around the few versicolor/virginica samples that overlap —
# exactly the splits that will not generalise.
#
# ## Demo 2 · overfitting: accuracy against depth
#
# Breast cancer (569 samples, 30 features), three quarters for training. Training accuracy rises
# to 1 with depth; test accuracy peaks early and then drifts down or stalls.

# %%
X_bc, y_bc = datasets.load_xy("breast_cancer")
X_tr, X_te, y_tr, y_te = train_test_split(X_bc, y_bc, test_size=0.25, stratify=y_bc, random_state=0)
depths = range(1, 13)
train_acc, test_acc = [], []
for d in depths:
    m = DecisionTreeClassifier(max_depth=d, random_state=0).fit(X_tr, y_tr)
    train_acc.append(m.score(X_tr, y_tr))
    test_acc.append(m.score(X_te, y_te))
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(depths, train_acc, marker="o", label="training")
ax.plot(depths, test_acc, marker="o", label="test")
ax.set(xlabel="max_depth", ylabel="accuracy", title="breast cancer: a deeper tree fits the training set, not the test set")
ax.legend()
plt.show()

# %% [markdown]
# ## Demo 3 · the pruning path
#
# `cost_complexity_pruning_path` grows the full tree on the training set and returns the effective
# alphas with the total leaf impurity $R(T_k)$ of each subtree. Refit with each `ccp_alpha` and
# score on the test set: the largest alphas prune down to a stump, the smallest keep the overfitted
# tree; in between a handful of leaves does as well or better than the full tree.

# %%
path = DecisionTreeClassifier(random_state=0).cost_complexity_pruning_path(X_tr, y_tr)
alphas = path.ccp_alphas[:-1]  # the last alpha leaves only the root
pruned = [DecisionTreeClassifier(random_state=0, ccp_alpha=a).fit(X_tr, y_tr) for a in alphas]
fig, axes = plt.subplots(1, 3, figsize=(15, 4), constrained_layout=True)
axes[0].step(path.ccp_alphas, path.impurities, where="post", marker="o")
axes[0].set(xlabel="effective alpha", ylabel="total leaf impurity R(T)", title="pruning path")
axes[1].plot(alphas, [m.get_n_leaves() for m in pruned], marker="o", drawstyle="steps-post")
axes[1].set(xlabel="ccp_alpha", ylabel="leaves", title="size of the pruned tree")
axes[2].plot(alphas, [m.score(X_tr, y_tr) for m in pruned], marker="o", drawstyle="steps-post", label="training")
axes[2].plot(alphas, [m.score(X_te, y_te) for m in pruned], marker="o", drawstyle="steps-post", label="test")
axes[2].set(xlabel="ccp_alpha", ylabel="accuracy", title="accuracy against alpha")
axes[2].legend()
plt.show()

# %% [markdown]
# ## Demo 4 · the high-cardinality bias of impurity importance
#
# Add two columns of pure noise to breast cancer: one continuous (every value distinct) and one
# binary, drawn afresh for each of 20 seeds. Neither says anything about the label, yet the full
# tree spends splits on the continuous one deep down, where a few samples make some threshold look
# good — it typically outranks most of the 30 real features, most of which the tree never uses. The
# binary column offers one threshold per node and is hardly ever chosen. Permutation importance on
# the test set (how much accuracy drops when the column is shuffled) stays near zero for both.

# %%
rng = np.random.default_rng(0)
imps, perms = [], []
for seed in range(20):  # fresh noise columns every time
    noise = np.column_stack([rng.normal(size=len(y_bc)), rng.integers(0, 2, len(y_bc))])
    Xn_tr, Xn_te = np.hstack([X_tr, noise[: len(y_tr)]]), np.hstack([X_te, noise[len(y_tr):]])
    m = DecisionTreeClassifier(random_state=seed).fit(Xn_tr, y_tr)
    imps.append(m.feature_importances_[-2:])
    perms.append(permutation_importance(m, Xn_te, y_te, n_repeats=10, random_state=seed).importances_mean[-2:])
    if seed == 0:
        rank = int(np.sum(m.feature_importances_[:-2] > m.feature_importances_[-2]))
imps, perms = np.array(imps), np.array(perms)
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), constrained_layout=True)
for ax, vals, title in [(axes[0], imps, "impurity importance (training)"), (axes[1], perms, "permutation importance (test)")]:
    ax.boxplot([vals[:, 0], vals[:, 1]], tick_labels=["continuous noise", "binary noise"])
    ax.axhline(0, color="grey", lw=1)
    ax.set(title=f"{title}, 20 seeds")
plt.show()
print(f"seed 0: {rank} of the 30 real features rank above the continuous noise column")
print("mean impurity importance of the noise columns:", imps.mean(axis=0).round(4),
      " mean permutation importance:", perms.mean(axis=0).round(4))

# %% [markdown]
# ## Parity checks
#
# Ours against `sklearn.tree` with the same hyper-parameters and `random_state=0`. Because the
# builder repeats scikit-learn's float operations in the same order (float32 features, float64
# sums and proxies, the same generator for the feature order, the same sort), the two trees are
# **identical to the last bit**, ties included: every tolerance below is **zero**.
# Compared per data set: the structure (`children_left`, `children_right`, `feature`,
# `n_node_samples` — integers), the thresholds, every node's value (class fractions or mean) and
# impurity. Then predictions on held-out data, the pruning path, the importances and `export_text`
# (as the character codes of the two strings). The fit itself is timed on the first check of each
# data set (the journal shows the ratio; benchmarks/bench_tree.py measures it on 20 000 × 20).

# %%
def check_tree(label, ours, ref, X, y, sample_weight=None):
    """Four exact checks of one fitted pair: structure (fit timed), thresholds, values, impurities."""
    def fit_ours():
        return ours.fit(X, y, sample_weight).tree_

    def fit_ref():
        return ref.fit(X, y, sample_weight=sample_weight).tree_

    def structure(t):
        return np.concatenate([t.children_left, t.children_right, t.feature, t.n_node_samples])

    why = "same float32 data, same float64 operations in the same order, same feature permutation"
    parity.check(f"structure (children, feature, n_node_samples) · {label}", ours=lambda: structure(fit_ours()),
                 reference=lambda: structure(fit_ref()), atol=0.0, why=why, repeat=3)
    parity.check(f"thresholds · {label}", ours=ours.tree_.threshold, reference=ref.tree_.threshold, atol=0.0,
                 why="x[p-1]/2 + x[p]/2 of the float32 values, in float64")
    parity.check(f"node values · {label}", ours=ours.tree_.value, reference=ref.tree_.value, atol=0.0,
                 why="weighted class fractions / means summed in the same sample order")
    parity.check(f"impurities · {label}", ours=ours.tree_.impurity, reference=ref.tree_.impurity, atol=0.0,
                 why="sklearn's formulas (log2 = ln/ln 2, E[y²] - E[y]²) on the same sums")


X_dia, y_dia = datasets.load_xy("diabetes")
X_cal, y_cal = datasets.load_xy("california_housing", dropna=True)
for label, (X, y) in [("iris", (X_iris, y_iris)), ("breast cancer", (X_bc, y_bc))]:
    for criterion in ["gini", "entropy"]:
        check_tree(f"{label}, {criterion}", DecisionTreeClassifier(criterion=criterion, random_state=0),
                   sk_tree.DecisionTreeClassifier(criterion=criterion, random_state=0), X, y)
check_tree("diabetes, squared error", DecisionTreeRegressor(random_state=0), sk_tree.DecisionTreeRegressor(random_state=0),
           X_dia, y_dia)
check_tree("california housing, squared error, min_samples_leaf=5", DecisionTreeRegressor(min_samples_leaf=5, random_state=0),
           sk_tree.DecisionTreeRegressor(min_samples_leaf=5, random_state=0), X_cal, y_cal)

# %% [markdown]
# What a random forest asks of a tree (P1.09): a bootstrap sample given as integer weights and
# `max_features="sqrt"` candidate features per node, over three seeds. The same seed draws the
# same features at every node, so the trees are again identical.

# %%
rng = np.random.default_rng(1)
for seed in range(3):
    counts = rng.multinomial(len(y_bc), np.full(len(y_bc), 1 / len(y_bc))).astype(float)
    check_tree(f"breast cancer, bootstrap counts, max_features='sqrt', seed {seed}",
               DecisionTreeClassifier(max_features="sqrt", random_state=seed),
               sk_tree.DecisionTreeClassifier(max_features="sqrt", random_state=seed), X_bc, y_bc, counts)

# %% [markdown]
# Held-out predictions on wine and digits (fit on three quarters, scored on the rest), the
# probabilities themselves, and the regression predictions on California housing.

# %%
for name in ["wine", "digits"]:
    X, y = datasets.load_xy(name)
    a_tr, a_te, b_tr, b_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    ours = DecisionTreeClassifier(random_state=0).fit(a_tr, b_tr)
    ref = sk_tree.DecisionTreeClassifier(random_state=0).fit(a_tr, b_tr)
    parity.check(f"test accuracy · {name}", ours=ours.score(a_te, b_te), reference=ref.score(a_te, b_te), atol=0.0,
                 why="identical trees give identical predictions")
    parity.check(f"predict_proba (test) · {name}", ours=ours.predict_proba(a_te), reference=ref.predict_proba(a_te),
                 atol=0.0, why="leaf class fractions of identical trees")
cal_tr, cal_te, ycal_tr, _ = train_test_split(X_cal, y_cal, test_size=0.25, random_state=0)
ours = DecisionTreeRegressor(max_depth=12, random_state=0).fit(cal_tr, ycal_tr)
ref = sk_tree.DecisionTreeRegressor(max_depth=12, random_state=0).fit(cal_tr, ycal_tr)
parity.check("predict (test) · california housing, max_depth=12", ours=ours.predict(cal_te), reference=ref.predict(cal_te),
             atol=0.0, why="leaf means of identical trees; float32 comparisons on both sides")

# %% [markdown]
# Cost-complexity pruning: the whole path and a pruned tree in the middle of it; importances;
# `export_text`.

# %%
for label, Est, SkEst, X, y in [
    ("breast cancer", DecisionTreeClassifier, sk_tree.DecisionTreeClassifier, X_bc, y_bc),
    ("diabetes", DecisionTreeRegressor, sk_tree.DecisionTreeRegressor, X_dia, y_dia),
]:
    ours_path = Est(random_state=0).cost_complexity_pruning_path(X, y)
    ref_path = SkEst(random_state=0).cost_complexity_pruning_path(X, y)
    why = "weakest-link pruning with sums accumulated in sklearn's order"
    parity.check(f"ccp_alphas · {label}", ours=ours_path.ccp_alphas, reference=ref_path.ccp_alphas, atol=0.0, why=why)
    parity.check(f"pruning-path impurities · {label}", ours=ours_path.impurities, reference=ref_path.impurities, atol=0.0, why=why)
    alpha = ref_path.ccp_alphas[len(ref_path.ccp_alphas) // 2]
    ours, ref = Est(random_state=0, ccp_alpha=alpha).fit(X, y), SkEst(random_state=0, ccp_alpha=alpha).fit(X, y)
    parity.check(f"pruned tree (ccp_alpha={alpha:.4g}) structure · {label}",
                 ours=np.concatenate([ours.tree_.children_left, ours.tree_.children_right, ours.tree_.feature]),
                 reference=np.concatenate([ref.tree_.children_left, ref.tree_.children_right, ref.tree_.feature]),
                 atol=0.0, why="same path, same renumbering in pre-order")
    parity.check(f"feature_importances_ · {label}", ours=ours.feature_importances_, reference=ref.feature_importances_,
                 atol=0.0, why="Σ weighted impurity decreases, summed in node order")

ours = DecisionTreeClassifier(random_state=0).fit(X_iris, y_iris)
ref = sk_tree.DecisionTreeClassifier(random_state=0).fit(X_iris, y_iris)
for kw in [dict(feature_names=names), dict(class_names=list(iris.target_names), show_weights=True, decimals=3)]:
    text_ours, text_ref = export_text(ours, **kw), sk_tree.export_text(ref, **kw)
    parity.check(f"export_text ({', '.join(kw)}) · iris, characters", ours=np.frombuffer(text_ours.encode(), np.uint8),
                 reference=np.frombuffer(text_ref.encode(), np.uint8), atol=0.0, why="same format on the same tree")

# %%
parity.table()
