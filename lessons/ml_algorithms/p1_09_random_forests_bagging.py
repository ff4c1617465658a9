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
# # P1.09 · Random forests & bagging
#
# A fully grown decision tree (P1.07) has low bias and **high variance**: move a few training rows
# and the splits near the root change, and with them every prediction below. Averaging many such
# trees keeps the low bias and cancels much of the variance. Two ideas make the trees different
# enough for the average to help: **bagging** (each tree sees its own bootstrap sample) and, in a
# **random forest**, **random feature subsets at every split**.
#
# ## Why averaging helps: variance of a mean of correlated trees
#
# Let $T_1, \dots, T_B$ be the predictions of $B$ trees at a point $x$, identically distributed (same
# recipe, different random draws) with variance $\sigma^2$ and pairwise correlation $\rho$. Then
#
# $$\operatorname{Var}\Bigl(\frac1B \sum_b T_b\Bigr) = \frac{1}{B^2}\Bigl(\sum_b \operatorname{Var} T_b
#   + \sum_{b \ne c} \operatorname{Cov}(T_b, T_c)\Bigr) = \frac{B\sigma^2 + B(B-1)\rho\sigma^2}{B^2}
#   = \rho\,\sigma^2 + \frac{1-\rho}{B}\,\sigma^2 .$$
#
# The bias does not change ($\mathbb E$ of a mean is the mean of the $\mathbb E$'s). More trees kill
# only the second term; the floor $\rho\sigma^2$ is set by how **correlated** the trees are. Trees
# grown on bootstrap samples of the same data are strongly correlated (they all split on the same
# strong feature first), which is what the random forest attacks (ESL §15.2).
#
# ## The bootstrap and the 63.2 % rule
#
# A bootstrap sample draws $n$ rows **with replacement**. A given row is missed by one draw with
# probability $1 - 1/n$ and by all $n$ draws with probability
#
# $$\Bigl(1 - \frac1n\Bigr)^n \xrightarrow[n\to\infty]{} e^{-1} \approx 0.368,$$
#
# so a bootstrap sample contains about $63.2\,\%$ of the distinct rows, some of them several times.
# The draw counts $c_i \sim \mathrm{Binomial}(n, 1/n) \approx \mathrm{Poisson}(1)$. Like scikit-learn,
# we never build the resampled matrix: each tree gets **all** rows with the integer counts as
# **sample weights** (weight 0 = not drawn). A weighted impurity with integer weights is exactly the
# impurity of the repeated rows, so the tree is the same and no copy of $X$ is made.
#
# ## Out-of-bag (OOB) estimate
#
# The $\approx 36.8\,\%$ of rows a tree never saw are a free validation set for that tree. For each
# training row $i$, average the predictions of the trees for which $c_i = 0$ only,
#
# $$\hat p^{\,\mathrm{oob}}(x_i) = \frac{1}{|\{b : c_{bi} = 0\}|} \sum_{b:\,c_{bi}=0} \hat p_b(x_i),$$
#
# and score these predictions against $y_i$. Each row is predicted by about $0.368\,B$ trees that
# did not see it, so the OOB error estimates the test error of a forest of $\approx 0.37B$ trees —
# slightly pessimistic for small $B$, close to leave-one-out cross-validation for large $B$
# (Breiman 1996b; ESL §15.3.1), at no extra fitting cost.
#
# ## Random forests: decorrelate with random features per split
#
# Breiman (2001): at **every split**, draw $m$ of the $d$ features at random and search the best
# split among those only (classification default $m = \lfloor\sqrt d\rfloor$; scikit-learn's regressor
# default is $m = d$, i.e. bagging). A dominant feature is then unavailable at many splits, trees
# take different paths, $\rho$ drops, and the floor $\rho\sigma^2$ drops with it, at the price of a
# slightly higher $\sigma^2$ and bias per tree. $m$ is the forest's main knob; $B$ is not a tuning
# parameter in the usual sense — more trees never overfit, they only cost time.
#
# Note the difference to `BaggingClassifier(max_features=...)`, which draws **one** feature subset per
# *member* (the "random subspace" method, Ho 1998); a forest draws a new subset at every node.
#
# ## Aggregating classifiers
#
# scikit-learn (and we) average the trees' **class probabilities** (leaf class fractions) and predict
# the argmax ("soft voting"); Breiman's original forest used majority votes. A tree fitted on a
# bootstrap sample may not contain every class; with count weights the tree still sees every row
# (and so every class, with weight 0), and members fitted on resampled rows are mapped back to the
# ensemble's class columns through their `classes_`.
#
# ## Feature importance: impurity vs permutation
#
# * **Mean decrease in impurity (MDI)**: every split adds its weighted impurity decrease
#   $\frac{N_t}{N}\bigl(i(t) - \frac{N_L}{N_t} i(L) - \frac{N_R}{N_t} i(R)\bigr)$ to its feature; a
#   forest averages the trees' normalised importances. Free, but computed on *training* data, so it
#   favours features with many distinct values (more thresholds to overfit with) and splits
#   credit arbitrarily between correlated features (Strobl et al. 2007).
# * **Permutation importance**: the drop of a held-out score when one column is shuffled (Breiman
#   2001 used the OOB rows). Model-agnostic and measured on unseen data, but it too is diluted by
#   correlated features (shuffling one leaves its twin). We use
#   `sklearn.inspection.permutation_importance` as a tool.
#
# ## Pitfalls
#
# * The OOB score needs enough trees: with $B$ small some rows are in every bootstrap sample and get
#   no OOB prediction (a warning; their prediction is set to 0, as in scikit-learn).
# * A forest cannot extrapolate: predictions are averages of training targets.
# * Impurity importances are not a test of relevance; check with permutations on held-out data.
# * `n_jobs` parallelises over trees; the gain depends on whether the tree code releases the GIL
#   (see the benchmark at the end).
#
# ## References
#
# * L. Breiman, "Bagging predictors", *Machine Learning* 24 (1996) 123–140.
# * L. Breiman, "Out-of-bag estimation", technical report, UC Berkeley (1996b).
# * L. Breiman, "Random forests", *Machine Learning* 45 (2001) 5–32.
# * T. K. Ho, "The random subspace method for constructing decision forests", *IEEE TPAMI* 20 (1998).
# * T. Hastie, R. Tibshirani, J. Friedman, *The Elements of Statistical Learning*, 2nd ed. (2009),
#   §8.7 (bagging) and ch. 15 (random forests; §15.2 the $\rho\sigma^2$ formula, §15.3.1 OOB).
# * C. Strobl, A.-L. Boulesteix, A. Zeileis, T. Hothorn, "Bias in random forest variable importance
#   measures", *BMC Bioinformatics* 8:25 (2007).
# * G. Louppe, *Understanding Random Forests*, PhD thesis, Liège (2014), ch. 4 and 6.
# * scikit-learn user guide, "Ensembles: forests of randomized trees".

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import RandomForestClassifier as SkRandomForestClassifier
from sklearn.inspection import permutation_importance
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier as SkDecisionTreeClassifier

from mlweekly import datasets, parity
from mlweekly.ml_algorithms import (
    BaggingClassifier,
    RandomForestClassifier,
    RandomForestRegressor,
    bagging,
    forest,
)

# %% [markdown]
# ## The implementation
#
# `mlweekly.ml_algorithms.RandomForestClassifier` / `RandomForestRegressor` (in `forest.py`) and
# `BaggingClassifier` (in `bagging.py`) follow scikit-learn's API. The trees are **ours**
# (`DecisionTreeClassifier`/`Regressor` from lesson P1.07). A bootstrap is a vector of draw counts:

# %%
print(inspect.getsource(bagging.bootstrap_counts))
print(inspect.getsource(forest._fit_tree))

# %% [markdown]
# The seeds are drawn the way scikit-learn's forests draw them (one int32 per tree from
# `RandomState(random_state)`, then the rows from `RandomState(seed)`), and our trees draw their
# per-split features with scikit-learn's generator too. So **the same `random_state` gives the same
# forest** — which turns a random algorithm into one we can check digit by digit (parity section).
# The OOB average is a weighted sum over the trees that did not draw a row:

# %%
print(inspect.getsource(bagging.oob_average))

# %% [markdown]
# ## The bootstrap leaves out $e^{-1}$ of the rows

# %%
ns = np.unique(np.logspace(0.3, 4, 25).astype(int))
unique_share = [np.mean([(bagging.bootstrap_counts(s, n, n) > 0).mean() for s in range(20)]) for n in ns]
counts = bagging.bootstrap_counts(0, 10_000, 10_000)
fig, axes = plt.subplots(1, 2, figsize=(12, 4), constrained_layout=True)
axes[0].semilogx(ns, unique_share, "o", label="share of distinct rows in a bootstrap (mean of 20)")
axes[0].semilogx(ns, 1 - (1 - 1 / ns) ** ns, label=r"$1 - (1 - 1/n)^n$")
axes[0].axhline(1 - np.exp(-1), color="grey", ls="--", label=r"$1 - e^{-1} = 0.632$")
axes[0].set(xlabel="n", ylabel="share", title="distinct rows in a bootstrap sample")
axes[0].legend()
k = np.arange(8)
axes[1].bar(k, np.bincount(counts, minlength=8)[:8] / counts.size, label="draw counts, n = 10 000")
axes[1].plot(k, np.exp(-1) / np.array([np.prod(np.arange(1, j + 1)) for j in k]), "ko", label="Poisson(1)")
axes[1].set(xlabel="times a row is drawn (its weight)", ylabel="share of rows", title="bootstrap weights")
axes[1].legend()
plt.show()

# %% [markdown]
# ## Test error vs number of trees: bagging vs random forest (digits)
#
# 1797 8×8 images, 64 pixel features, 10 classes; a stratified 75/25 split. We fit 150 bagged trees
# (`max_features=None`) and a 150-tree random forest ($m = \lfloor\sqrt{64}\rfloor = 8$), then read
# off the error of the first $B$ trees' average for every $B$ (the mean of the first $B$ trees *is*
# a $B$-tree forest). The OOB error of the same prefix tracks the test error.

# %%
X_dig, y_dig = datasets.load_xy("digits")
X_tr, X_te, y_tr, y_te = train_test_split(X_dig, y_dig, test_size=0.25, stratify=y_dig, random_state=0)
B = 150


def staged_errors(model, X_train, y_train, X_test, y_test):
    """Test and OOB error of the average of the first B trees, for B = 1..n_estimators."""
    test_p = np.cumsum([model._tree_predict(t, X_test) for t in model.estimators_], axis=0)
    test_err = (test_p.argmax(axis=2) != y_test).mean(axis=1)
    oob_sum, oob_n, oob_err = np.zeros((y_train.size, model.classes_.size)), np.zeros(y_train.size), []
    for t in model.estimators_:
        mask = model._counts(t) == 0
        oob_sum[mask] += model._tree_predict(t, X_train[mask])
        oob_n[mask] += 1
        seen = oob_n > 0  # rows with at least one OOB prediction so far
        oob_err.append((oob_sum[seen].argmax(axis=1) != y_train[seen]).mean())
    return test_err, np.array(oob_err)


bagged = RandomForestClassifier(n_estimators=B, max_features=None, random_state=0).fit(X_tr, y_tr)
rf = RandomForestClassifier(n_estimators=B, max_features="sqrt", random_state=0).fit(X_tr, y_tr)
bag_test, bag_oob = staged_errors(bagged, X_tr, y_tr, X_te, y_te)
rf_test, rf_oob = staged_errors(rf, X_tr, y_tr, X_te, y_te)

b = np.arange(1, B + 1)
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), constrained_layout=True)
axes[0].plot(b, bag_test, label="bagged trees (max_features = 64)")
axes[0].plot(b, rf_test, label="random forest (max_features = 8)")
axes[0].set(xlabel="number of trees B", ylabel="test error", title="digits: test error vs number of trees", ylim=(0, 0.2))
axes[0].legend()
axes[1].plot(b, rf_test, label="random forest: test error")
axes[1].plot(b, rf_oob, label="random forest: OOB error")
axes[1].plot(b, bag_test, label="bagging: test error", alpha=0.6)
axes[1].plot(b, bag_oob, label="bagging: OOB error", alpha=0.6)
axes[1].set(xlabel="number of trees B", ylabel="error", title="OOB error tracks the test error", ylim=(0, 0.2))
axes[1].legend()
plt.show()
print(f"B = {B}: bagging test error {bag_test[-1]:.3f} (OOB {bag_oob[-1]:.3f}); "
      f"random forest test error {rf_test[-1]:.3f} (OOB {rf_oob[-1]:.3f})")

# %% [markdown]
# Both curves fall fast and flatten: the $(1-\rho)\sigma^2/B$ term is gone after a few dozen trees
# and what remains is the floor $\rho\sigma^2$ (plus bias). The random forest's floor is lower: its
# trees are less correlated. For small $B$ the OOB error is above the test error (each row's OOB
# vote comes from only $\approx 0.37B$ trees), for large $B$ the two agree within noise.
#
# ## Correlation between trees vs `max_features` (diabetes regression)
#
# For a regressor the correlation is easy to measure: the predictions of two trees on the test set.
# Fewer candidate features per split → less correlated trees; the test error is best at an
# intermediate $m$ where the lower $\rho$ outweighs the weaker single trees.

# %%
X_db, y_db = datasets.load_xy("diabetes")
Xd_tr, Xd_te, yd_tr, yd_te = train_test_split(X_db, y_db, test_size=0.3, random_state=0)
ms, rho, mse_forest, mse_tree = range(1, 11), [], [], []
for m in ms:
    reg = RandomForestRegressor(n_estimators=60, max_features=m, min_samples_leaf=3, random_state=0).fit(Xd_tr, yd_tr)
    P = np.array([t.predict(Xd_te) for t in reg.estimators_])
    C = np.corrcoef(P)
    rho.append(C[np.triu_indices_from(C, 1)].mean())
    mse_forest.append(np.mean((P.mean(axis=0) - yd_te) ** 2))
    mse_tree.append(np.mean((P - yd_te) ** 2))
fig, axes = plt.subplots(1, 2, figsize=(12, 4), constrained_layout=True)
axes[0].plot(ms, rho, "o-")
axes[0].set(xlabel="max_features m (of 10)", ylabel=r"mean pairwise correlation $\rho$", title="trees decorrelate as m shrinks")
axes[1].plot(ms, mse_tree, "o-", label="mean single-tree test MSE")
axes[1].plot(ms, mse_forest, "o-", label="forest (60 trees) test MSE")
axes[1].set(xlabel="max_features m", ylabel="test MSE", title="diabetes: error vs m")
axes[1].legend()
plt.show()

# %% [markdown]
# ## Feature importance: impurity (MDI) vs permutation (breast cancer)

# %%
bunch = datasets.load("breast_cancer")
X_bc, y_bc = datasets.load_xy("breast_cancer")
Xb_tr, Xb_te, yb_tr, yb_te = train_test_split(X_bc, y_bc, test_size=0.3, stratify=y_bc, random_state=0)
rf_bc = RandomForestClassifier(n_estimators=100, oob_score=True, random_state=0).fit(Xb_tr, yb_tr)
perm = permutation_importance(rf_bc, Xb_te, yb_te, n_repeats=5, random_state=0)
names = np.array(bunch.feature_names)
top = np.argsort(rf_bc.feature_importances_)[::-1][:12]
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), constrained_layout=True)
axes[0].barh(names[top][::-1], rf_bc.feature_importances_[top][::-1])
axes[0].set(title="impurity importance (training data)", xlabel="mean decrease in Gini")
axes[1].barh(names[top][::-1], perm.importances_mean[top][::-1], xerr=perm.importances_std[top][::-1])
axes[1].set(title="permutation importance (test data)", xlabel="drop in test accuracy")
plt.show()
print(f"OOB accuracy {rf_bc.oob_score_:.3f}, test accuracy {rf_bc.score(Xb_te, yb_te):.3f}")

# %% [markdown]
# The impurity importances spread over many correlated size features (radius, perimeter, area and
# their "worst" versions); the permutation importances are small for each of them because shuffling
# one leaves its correlated twins intact. Neither is a causal statement.
#
# ## Bagging any classifier
#
# `BaggingClassifier` wraps any classifier. With the default member (our tree) and all features it is
# a random forest with `max_features=None`; with `max_features=0.5` each member sees a fixed random
# half of the features (random subspaces).

# %%
for mf in (1.0, 0.5):
    bag = BaggingClassifier(n_estimators=50, max_features=mf, oob_score=True, random_state=0).fit(Xb_tr, yb_tr)
    print(f"BaggingClassifier(max_features={mf}): OOB {bag.oob_score_:.3f}, test {bag.score(Xb_te, yb_te):.3f}")

# %% [markdown]
# ## Parity checks
#
# **1 · The same forest as scikit-learn.** With the same `random_state`, our forest draws the same
# bootstrap samples and our trees the same per-split features and tie-breaks, so
# `predict_proba`, the OOB decision function and score, and the importances agree to rounding on
# three data sets with scikit-learn's defaults (`max_features="sqrt"`). Tolerance $10^{-12}$: both
# sides add the same float64 leaf fractions in the same order, so only the last bits may differ. The
# time ratio is fit + predict, ours/sklearn, one core.

# %%
exact = "same bootstraps, same per-split feature draws, same trees: equal up to float rounding"
data = {"breast cancer": (X_bc, y_bc), "wine": datasets.load_xy("wine"), "digits": (X_dig, y_dig)}
for name, (X, y) in data.items():
    ours = RandomForestClassifier(n_estimators=50, oob_score=True, random_state=0)
    ref = SkRandomForestClassifier(n_estimators=50, oob_score=True, random_state=0)
    parity.check(f"predict_proba · {name} (same random_state)", ours=lambda o=ours, X=X, y=y: o.fit(X, y).predict_proba(X),
                 reference=lambda r=ref, X=X, y=y: r.fit(X, y).predict_proba(X), atol=1e-12, why=exact)
    parity.check(f"oob_decision_function_ · {name}", ours=ours.oob_decision_function_,
                 reference=ref.oob_decision_function_, atol=1e-12, why=exact)
    parity.check(f"oob_score_ · {name}", ours=ours.oob_score_, reference=ref.oob_score_, atol=0.0, why=exact)
    parity.check(f"feature_importances_ · {name}", ours=ours.feature_importances_,
                 reference=ref.feature_importances_, atol=1e-12, why=exact)

# %% [markdown]
# **2 · Exact agreement on bootstraps we draw ourselves.** We draw each tree's bootstrap by hand
# (`RandomState(seed).randint(0, n, n)` with the forest's seeds), check that the forest used exactly
# these samples, then fit **scikit-learn's** trees on the same weighted rows with
# `max_features=None` (no feature sampling) and average their probabilities by hand. scikit-learn's
# tree still breaks ties between equally good splits at random, so each sklearn tree gets the seed of
# the matching tree of ours (the data need not be tie-free). Tolerance $10^{-12}$ as above.

# %%
X_tr_b, y_tr_b, n_b = Xb_tr, yb_tr, Xb_tr.shape[0]
bagged_bc = RandomForestClassifier(n_estimators=25, max_features=None, oob_score=True, random_state=7).fit(X_tr_b, y_tr_b)
seeds = bagging.member_seeds(7, 25)
hand_counts = [np.bincount(np.random.RandomState(s).randint(0, n_b, n_b), minlength=n_b) for s in seeds]
parity.check("bootstrap counts (forest vs drawn by hand)", ours=np.array([np.bincount(r, minlength=n_b) for r in bagged_bc.estimators_samples_]),
             reference=np.array(hand_counts), atol=0.0, why="integers: must be identical")
sk_trees = [SkDecisionTreeClassifier(random_state=int(s)).fit(X_tr_b, y_tr_b, sample_weight=c) for s, c in zip(seeds, hand_counts, strict=True)]
parity.check("aggregated predict_proba · hand bootstraps, sklearn trees (breast cancer test set)",
             ours=bagged_bc.predict_proba(Xb_te), reference=np.mean([t.predict_proba(Xb_te) for t in sk_trees], axis=0),
             atol=1e-12, why="same weighted samples, deterministic trees: exact up to float rounding")

# %% [markdown]
# **3 · OOB score by hand.** For every training row, average the (sklearn) trees whose hand-drawn
# count for that row is zero, take the argmax, and score — a row-by-row loop, independent of our
# vectorised `oob_average`.

# %%
hits, oob_rows = [], []
for i in range(n_b):
    p = np.mean([t.predict_proba(X_tr_b[i : i + 1])[0] for t, c in zip(sk_trees, hand_counts, strict=True) if c[i] == 0], axis=0)
    oob_rows.append(p)
    hits.append(p.argmax() == y_tr_b[i])
parity.check("oob_decision_function_ · by hand", ours=bagged_bc.oob_decision_function_, reference=np.array(oob_rows), atol=1e-12,
             why="same trees, same OOB rows, mean in float64")
parity.check("oob_score_ · by hand", ours=bagged_bc.oob_score_, reference=np.mean(hits), atol=0.0, why="an accuracy: a count over n")

# %% [markdown]
# **4 · Distribution over seeds.** Exact equality above relies on sharing scikit-learn's random
# stream. A from-scratch forest with *any* random stream should agree in distribution, so we also
# compare 10 independent seeds of ours (0–9) with 10 *different* seeds of scikit-learn's
# (1000–1009), i.e. independent samples of the two forests' test accuracy and OOB score (50 trees;
# test sets: a stratified 30 % split). Under the hypothesis that both have the same mean, the
# difference of means has standard error $\mathrm{SE} = \sqrt{s_o^2/10 + s_r^2/10}$ ($s$ the
# seed-to-seed standard deviations); we require $|\bar a_o - \bar a_r| \le 3\,\mathrm{SE}$, a
# $\approx 99.7\,\%$ band that a real difference of a few SE would fail. (With equal seeds the two
# lists would be identical, by check 1.)

# %%
n_seeds = 10
for name, (X, y) in data.items():
    X_a, X_b, y_a, y_b = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
    stats = {}
    for side, cls, offset in (("ours", RandomForestClassifier, 0), ("sklearn", SkRandomForestClassifier, 1000)):
        runs = [cls(n_estimators=50, oob_score=True, random_state=offset + s).fit(X_a, y_a) for s in range(n_seeds)]
        stats[side] = np.array([[m.score(X_b, y_b), m.oob_score_] for m in runs])
    for j, metric in enumerate(("test accuracy", "OOB score")):
        a, r = stats["ours"][:, j], stats["sklearn"][:, j]
        se = np.sqrt(a.var(ddof=1) / n_seeds + r.var(ddof=1) / n_seeds)
        parity.check(f"mean {metric} over {n_seeds} seeds · {name}", ours=a.mean(), reference=r.mean(), atol=3 * se,
                     why=f"3·SE of the difference of means (SE = {se:.4f}; seed sd ours {a.std(ddof=1):.4f}, sklearn {r.std(ddof=1):.4f})")

# %% [markdown]
# ## Speed
#
# `benchmarks/bench_forest.py` times `RandomForestClassifier.fit` (100 trees, 20 000 × 20,
# `n_jobs=2` on both sides). Our trees are numba-compiled (P1.07); `n_jobs` runs the trees through
# joblib (threads, see `bagging.PREFER`). `mlweekly bench forest` writes
# `benchmarks/results/forest_fit_20000x20.json`.

# %%
parity.table()
