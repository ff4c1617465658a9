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
# # F4 · Information theory
#
# Three numbers run through machine learning: the **entropy** of a distribution (how uncertain it
# is), the **cross-entropy** of a prediction (the log-loss every classifier minimises) and the
# **mutual information** between two variables (how much one tells about the other — the information
# gain of a decision tree). This lesson derives them from one idea, the length of a code, implements
# them in NumPy and checks them against `scipy.stats.entropy`, `scipy.spatial.distance.jensenshannon`
# and `sklearn.metrics.mutual_info_score`.
#
# ## Entropy: the average surprise
#
# An outcome of probability $p$ carries $-\log p$ units of *surprise*: certain events ($p=1$) tell
# nothing, rare ones a lot, and surprises of independent events add ($-\log pq = -\log p - \log q$) —
# the logarithm is the only continuous function with these properties (Shannon, 1948). The
# **entropy** of a discrete distribution $p = (p_1, \dots, p_k)$ is the expected surprise
#
# $$H(p) = -\sum_{i=1}^k p_i \log p_i ,$$
#
# in **bits** with $\log_2$ and **nats** with $\ln$ ($H_2 = H_e / \ln 2$). By convention $0 \log 0 = 0$,
# the limit of $p \log p$ as $p \to 0$: impossible outcomes do not count. $H \ge 0$, with equality iff
# $p$ is a point mass, and $H \le \log k$, with equality iff $p$ is uniform (Jensen's inequality on
# the concave $\log$: $\sum p_i \log(1/p_i) \le \log \sum p_i (1/p_i) = \log k$).
#
# **Source coding theorem.** $H_2(p)$ is the least average number of bits per symbol of any
# lossless code for symbols drawn from $p$ (Huffman codes get within one bit of it). A coin with
# $P(\text{heads}) = p$ has the **binary entropy** $h(p) = -p\log_2 p - (1-p)\log_2(1-p)$: 1 bit for a
# fair coin, less for a biased one, nothing for a certain one.
#
# ## Cross-entropy and the Kullback–Leibler divergence
#
# Code symbols from $p$ with the code that is optimal for $q$ (lengths $-\log q_i$): the average
# length is the **cross-entropy**
#
# $$H(p, q) = -\sum_i p_i \log q_i = H(p) + D_{KL}(p \,\|\, q), \qquad
# D_{KL}(p \,\|\, q) = \sum_i p_i \log \frac{p_i}{q_i} .$$
#
# The **KL divergence** is the extra cost of the wrong code. **Gibbs' inequality**
# $D_{KL} \ge 0$, with equality iff $p = q$: by Jensen, $-D_{KL} = \sum p_i \log(q_i/p_i) \le
# \log \sum p_i (q_i/p_i) \le \log 1 = 0$. It is *not* a distance: it is asymmetric, and it is
# **infinite** as soon as $q_i = 0 < p_i$ (an outcome that happens but was coded as impossible). So
# $D_{KL}(p\|q)$ punishes $q$ for missing mass where $p$ has some (*mass-covering*; maximum likelihood
# fits minimise this direction), while $D_{KL}(q\|p)$ punishes $q$ for putting mass where $p$ has none
# (*mode-seeking*; variational inference minimises this one).
#
# **Jensen–Shannon** symmetrises and bounds it through the mixture $m = (p+q)/2$:
#
# $$\mathrm{JS}(p, q) = \tfrac12 D_{KL}(p \,\|\, m) + \tfrac12 D_{KL}(q \,\|\, m) \in [0, \log 2] .$$
#
# It is finite (since $m_i \ge p_i/2$) and its square root is a true **metric** (Endres & Schindelin,
# 2003); `scipy.spatial.distance.jensenshannon` returns that square root, the *distance*, and so does
# our `jensenshannon`; `js_divergence` is the divergence itself.
#
# **Perplexity** $e^{H(p)} = 2^{H_2(p)}$ is the effective number of equally likely choices: $k$ for
# the uniform distribution on $k$ outcomes. A language model's perplexity is $\exp$ of its mean
# per-token cross-entropy.
#
# ## Log-loss is cross-entropy
#
# A classifier predicts a distribution $\hat p_i$ over classes for sample $i$; the truth is the
# one-hot $e_{y_i}$. The cross-entropy of truth and prediction keeps one term,
# $H(e_{y_i}, \hat p_i) = -\log \hat p_{i, y_i}$, so the mean over samples is exactly the **log-loss**
# (the negative log-likelihood of the labels) that logistic regression and neural networks
# minimise. Since $H(e_y) = 0$, minimising it is minimising $D_{KL}(\text{truth} \,\|\, \text{model})$.
#
# ## Mutual information and information gain
#
# The **mutual information** of two discrete variables is the divergence of their joint from the
# product of their marginals — how far they are from independent:
#
# $$I(X; Y) = \sum_{x,y} p(x,y) \log \frac{p(x,y)}{p(x)\,p(y)} = H(X) + H(Y) - H(X, Y)
# = H(Y) - H(Y \mid X) \ge 0 ,$$
#
# with $H(Y\mid X) = \sum_x p(x) H(Y \mid X = x)$. The last form is the **information gain** of a
# decision-tree split: $Y$ is the label, $X$ the child a sample is sent to, and
#
# $$\mathrm{IG} = H(\text{parent}) - \sum_{c} \frac{n_c}{n} H(\text{child } c) = I(Y;\ \text{split}) .$$
#
# A tree grown with `criterion="entropy"` picks, at each node, the split of largest IG (in bits).
#
# **Continuous variables.** For densities the sums become integrals; $I$ stays well defined (for a
# bivariate normal with correlation $\rho$, $I = -\tfrac12 \ln(1-\rho^2)$) but a plug-in estimate needs
# a discretisation. Binning into a $B \times B$ histogram and computing the discrete $I$ is biased:
# upwards by about $(B-1)^2 / (2n)$ nats from the empty and sparse cells (Miller–Madow), downwards
# when bins are so wide they hide the dependence. There is no free lunch — the figure below shows it.
#
# **Pitfalls.** Mixing bases (sklearn's trees report bits, `mutual_info_score` nats); forgetting
# $0\log 0 = 0$ (NaN from `0 * log(0)`); treating $D_{KL}$ as symmetric; taking the square root of a
# divergence that rounded to $-10^{-17}$ (SciPy returns NaN for `jensenshannon(p, p')` with $p \approx
# p'$ in rare cases; we clip at 0); trusting binned MI without looking at $n$ per cell.
#
# **References.** C. E. Shannon, *A Mathematical Theory of Communication* (1948); T. M. Cover &
# J. A. Thomas, *Elements of Information Theory*, 2nd ed. (2006), ch. 2 and 8; D. J. C. MacKay,
# *Information Theory, Inference, and Learning Algorithms* (2003), ch. 2 and 4; J. R. Quinlan,
# *Induction of Decision Trees* (1986); L. Paninski, *Estimation of Entropy and Mutual Information*
# (Neural Computation, 2003).

# %%
import matplotlib.pyplot as plt
import numpy as np
import scipy.stats as st
from scipy.spatial.distance import jensenshannon as scipy_jensenshannon
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.metrics import log_loss as sk_log_loss
from sklearn.metrics import mutual_info_score as sk_mutual_info_score
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier as SkDecisionTreeClassifier

from mlweekly import datasets, parity
from mlweekly.mathematical_foundations.information_theory import (
    binary_entropy,
    contingency_matrix,
    cross_entropy,
    entropy,
    information_gain,
    jensenshannon,
    kl_divergence,
    mutual_info_binned,
    mutual_info_score,
    perplexity,
)
from mlweekly.ml_algorithms import DecisionTreeClassifier, LogisticRegression, log_loss

# %% [markdown]
# ## The implementation
#
# Everything rests on two element-wise terms with the limits written out — `_entr(p)` is $-p\ln p$
# with $0$ at $p = 0$, and `_rel_entr(p, q)` is $p \ln(p/q)$ with $0$ at $p = 0$ and $+\infty$ at
# $q = 0 < p$ — summed along `axis` after normalising the inputs (counts are fine), and divided by
# $\ln b$ for base $b$:
#
# ```python
# out[pos] = -p[pos] * np.log(p[pos])                  # entropy terms, pos = p > 0
# out[both] = p[both] * np.log(p[both] / q[both])      # KL terms,      both = (p > 0) & (q > 0)
# out[(p > 0) & (q == 0)] = np.inf
# ```
#
# Mutual information builds the contingency table with `np.unique(..., return_inverse=True)` and
# one `np.bincount`, then is the KL divergence of the joint from the outer product of its marginals.

# %%
print("fair coin, bits:", entropy([1, 1], base=2), "| fair die, nats:", round(entropy(np.ones(6)), 6),
      "= ln 6 =", round(np.log(6), 6), "| perplexity of the die:", round(perplexity(np.ones(6)), 12))
p, q = np.array([0.5, 0.5]), np.array([0.9, 0.1])
print(f"H(p,q) = {cross_entropy(p, q):.6f} = H(p) + KL(p||q) = {entropy(p):.6f} + {kl_divergence(p, q):.6f}")
print("KL(p||q) =", round(kl_divergence(p, q), 6), " KL(q||p) =", round(kl_divergence(q, p), 6),
      " KL([.5,.5] || [1,0]) =", kl_divergence([0.5, 0.5], [1.0, 0.0]))

# %% [markdown]
# ## Figures: binary entropy and the asymmetry of KL
#
# Left: $h(p)$ — symmetric about $1/2$, one bit at the fair coin, with infinite slope at 0 and 1
# (the first doubt about a sure thing is the most informative). Right: the two directions of KL
# between a fixed bimodal $p$ (a mixture of two bumps) and a single bump $q_\mu$ slid along the axis.
# $D_{KL}(p\|q_\mu)$ is smallest when $q$ sits *between* the modes (it must cover both);
# $D_{KL}(q_\mu\|p)$ is smallest when $q$ sits *on* a mode (it may ignore the other one).

# %%
grid = np.linspace(0, 1, 401)
support = np.arange(40)
bimodal = st.norm.pdf(support, 10, 3) + st.norm.pdf(support, 29, 3)
mus = np.linspace(2, 37, 141)
bumps = [st.norm.pdf(support, mu, 4.5) + 1e-300 for mu in mus]  # no exact zeros: both KLs finite
forward = [kl_divergence(bimodal, b) for b in bumps]
reverse = [kl_divergence(b, bimodal) for b in bumps]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.plot(grid, binary_entropy(grid), lw=2)
ax1.set(xlabel="P(heads) = p", ylabel="h(p)  [bits]", title="Binary entropy")
ax1.grid(alpha=0.3)
ax2.plot(mus, forward, label=r"$D_{KL}(p \,\|\, q_\mu)$: mass-covering")
ax2.plot(mus, reverse, label=r"$D_{KL}(q_\mu \,\|\, p)$: mode-seeking")
ax2.set(xlabel=r"centre $\mu$ of the single bump $q_\mu$", ylabel="nats", ylim=(0, 8),
        title="KL is asymmetric (p: two bumps at 10 and 29)")
ax2.legend()
ax2.grid(alpha=0.3)
plt.tight_layout()
plt.show()
print("forward KL is minimised at mu =", mus[np.argmin(forward)], "; reverse KL at mu =", mus[np.argmin(reverse)])

# %% [markdown]
# ## Demo 1: log-loss of a real model is a cross-entropy (breast cancer)
#
# We fit our `LogisticRegression` (Newton, `tol=1e-8`) on the standardised breast-cancer data and
# compare three numbers: the mean of our `cross_entropy(one_hot(y_i), p̂_i)` over samples, our
# `mlweekly.ml_algorithms.log_loss`, and scikit-learn's `log_loss` of the same probabilities.

# %%
X_bc, y_bc = datasets.load_xy("breast_cancer")
X_bc = StandardScaler().fit_transform(np.asarray(X_bc, dtype=float))
y_bc = np.asarray(y_bc)
clf = LogisticRegression(C=1.0, tol=1e-10, max_iter=200).fit(X_bc, y_bc)
proba = clf.predict_proba(X_bc)
one_hot = np.eye(2)[np.searchsorted(clf.classes_, y_bc)]
per_sample = cross_entropy(one_hot, proba, axis=1)
print(f"mean cross-entropy {per_sample.mean():.12f} nats | our log_loss {log_loss(y_bc, proba):.12f} | "
      f"perplexity {perplexity(one_hot[0], proba[0]):.4f} for sample 0")
print(f"smallest predicted probability of the true class: {np.exp(-per_sample.max()):.3g} "
      "(far above the eps=2.2e-16 at which log_loss clips, so clipping plays no part here)")

# %% [markdown]
# ## Demo 2: the information gain of a tree's root split (wine)
#
# A depth-1 tree with `criterion="entropy"` on the wine data chooses one feature and threshold. We
# recompute the information gain of that split from the labels alone — $H(y) - \sum_c \frac{n_c}{n}
# H(y_c)$ in bits — and compare it with the impurity decrease stored in the tree,
# `impurity[root] - (n_L impurity[L] + n_R impurity[R]) / n` (scikit-learn's and ours report bits),
# and with the mutual information between the label and the split indicator.

# %%
wine = datasets.load("wine")
X_w, y_w = wine.data.to_numpy(dtype=float), wine.target.to_numpy()
stump = DecisionTreeClassifier(criterion="entropy", max_depth=1, random_state=0).fit(X_w, y_w)
t = stump.tree_
left, right = t.children_left[0], t.children_right[0]
feature, threshold = t.feature[0], t.threshold[0]
goes_left = X_w[:, feature] <= threshold
ig = information_gain(y_w, goes_left)
tree_decrease = t.impurity[0] - (t.n_node_samples[left] * t.impurity[left]
                                 + t.n_node_samples[right] * t.impurity[right]) / t.n_node_samples[0]
print(f"root split: {wine.feature_names[feature]} <= {threshold:.4f}")
print(f"information gain (ours) {ig:.12f} bits | tree's impurity decrease {tree_decrease:.12f} | "
      f"I(y; split) {mutual_info_score(y_w, goes_left, base=2):.12f}")
print("H(y) =", round(entropy(np.bincount(y_w), base=2), 6), "bits =", round(t.impurity[0], 6), "(tree root impurity)")

# the gain of every candidate threshold of that feature: the tree picked the maximum
values = np.unique(X_w[:, feature])
cuts = (values[:-1] + values[1:]) / 2
gains = np.array([information_gain(y_w, X_w[:, feature] <= c) for c in cuts])
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(cuts, gains, marker=".", lw=1)
ax.axvline(threshold, color="C3", ls="--", label=f"tree's threshold {threshold:.3f}")
ax.set(xlabel=wine.feature_names[feature], ylabel="information gain [bits]",
       title="Information gain of every threshold (wine)")
ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Demo 3: mutual information of continuous features by binning (California housing)
#
# How much does median income tell about the house value, and how much does the choice of bins
# change the answer? We estimate $I$ with $B \times B$ equal-width bins for growing $B$, on the full
# data and on a random 500-row subsample. For reference, a bivariate *normal* sample with the same
# rank-correlation structure has $I = -\tfrac12\ln(1-\rho^2)$; its binned estimate shows the same
# two biases against a known truth.

# %%
cal = datasets.load("california_housing").frame.dropna()
income = cal["median_income"].to_numpy(dtype=float)
value = cal["median_house_value"].to_numpy(dtype=float)
rng = np.random.default_rng(0)
sub = rng.choice(income.size, 500, replace=False)
n_bins = np.array([2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64])
mi_full = [mutual_info_binned(income, value, bins=b) for b in n_bins]
mi_sub = [mutual_info_binned(income[sub], value[sub], bins=b) for b in n_bins]
rho = 0.7
z = rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], size=income.size)
mi_true = -0.5 * np.log(1 - rho**2)
mi_gauss = [mutual_info_binned(z[:, 0], z[:, 1], bins=b) for b in n_bins]
mi_gauss_sub = [mutual_info_binned(z[:500, 0], z[:500, 1], bins=b) for b in n_bins]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.plot(n_bins, mi_full, "o-", label=f"all {income.size} rows")
ax1.plot(n_bins, mi_sub, "s--", label="500 rows")
ax1.set(xscale="log", xlabel="bins per axis B", ylabel="I  [nats]",
        title="California: median income vs house value")
ax2.plot(n_bins, mi_gauss, "o-", label=f"n = {income.size}")
ax2.plot(n_bins, mi_gauss_sub, "s--", label="n = 500")
ax2.plot(n_bins, mi_true + (n_bins - 1) ** 2 / (2 * 500), ":", color="C1", label="truth + (B-1)²/(2·500)")
ax2.axhline(mi_true, color="k", lw=1, label=r"truth $-\frac{1}{2}\ln(1-\rho^2)$")
ax2.set(xscale="log", xlabel="bins per axis B", ylim=(0, 1.5), title=r"Bivariate normal, $\rho = 0.7$")
for ax in (ax1, ax2):
    ax.legend()
    ax.grid(alpha=0.3)
plt.tight_layout()
plt.show()

# %% [markdown]
# Too few bins under-estimate (the dependence is averaged away inside wide cells); too many
# over-estimate, and the small sample runs away first, following the Miller–Madow term
# $(B-1)^2/(2n)$. With $n = 20{,}000$ there is a wide plateau near the truth; with 500 rows there is
# hardly any. (Nearest-neighbour estimators — Kraskov et al., 2004, used by
# `sklearn.feature_selection.mutual_info_regression` — avoid bins altogether.)
#
# ## Parity checks
#
# * **Entropy / KL / cross-entropy vs `scipy.stats.entropy`** on the class proportions of the wine
#   data and on rows of the breast-cancer predictions (with exact zeros): same formula, same
#   normalisation; the only difference is NumPy's `log` against SciPy's C `log`, a last-bit effect,
#   so `rtol=1e-12`. A KL close to 0 (two similar columns) is a sum of terms of size up to ~1 and of
#   both signs that cancel: its rounding error is absolute, a few $10^{-17}$, so that check adds
#   `atol=1e-14` (one relative error of $10^{-12}$ on $2.7\times10^{-5}$ would ask for $3\times10^{-17}$,
#   below what the inputs' own rounding allows).
# * **Jensen–Shannon distance vs `scipy.spatial.distance.jensenshannon`**, row-wise (`axis=1`) on
#   histograms of the wine features per class, `rtol=1e-12`.
# * **Mutual information vs `sklearn.metrics.mutual_info_score`** on real label pairs, `atol=1e-12`
#   (both sum the same few terms in nats).
# * **Log-loss**: mean cross-entropy vs our `log_loss` and scikit-learn's on the same probabilities,
#   `rtol=1e-12`.
# * **Information gain vs the tree**: our from-labels gain vs the impurity decrease recorded by our
#   `DecisionTreeClassifier` and by scikit-learn's (same root split; sklearn's tree is fitted on the
#   same float64 data, and its threshold is checked first), `atol=1e-12`.

# %%
counts = np.bincount(y_w)
parity.check("entropy of wine classes (bits)", ours=lambda: entropy(counts, base=2),
             reference=lambda: st.entropy(counts, base=2), rtol=1e-12, why="same formula; log differs in last bit")
P = np.vstack([proba, [[1.0, 0.0]]]).T  # columns are distributions (axis=0), the last has an exact zero
Q = np.vstack([proba[::-1], [[0.5, 0.5]]]).T
parity.check("KL divergence of prediction columns (axis=0, with zeros)",
             ours=lambda: kl_divergence(P, Q, axis=0), reference=lambda: st.entropy(P, Q, axis=0),
             rtol=1e-12, atol=1e-14,
             why="same formula; a KL near 0 sums O(1) terms of both signs, so its rounding error is absolute")
parity.check("cross-entropy = H + KL (rows of breast-cancer predictions, base 2)",
             ours=lambda: cross_entropy(one_hot, proba, base=2, axis=1),
             reference=lambda: st.entropy(one_hot, base=2, axis=1) + st.entropy(one_hot, proba, base=2, axis=1),
             rtol=1e-12, atol=1e-15, why="identity H(p,q) = H(p) + KL(p||q); atol for exactly-zero rows")

hist = np.array([[np.histogram(X_w[y_w == c, j], bins=10, range=(X_w[:, j].min(), X_w[:, j].max()))[0]
                  for j in range(X_w.shape[1])] for c in range(3)], dtype=float)  # (class, feature, bin)
parity.check("Jensen–Shannon distance, class 0 vs 1 feature histograms (axis=1)",
             ours=lambda: jensenshannon(hist[0], hist[1], base=2, axis=1),
             reference=lambda: scipy_jensenshannon(hist[0], hist[1], base=2, axis=1),
             rtol=1e-12, why="same mixture formula; histograms contain empty bins (0 log 0)")

telco = datasets.load("telco_churn").frame
pairs = [("Contract", "Churn"), ("PaymentMethod", "Churn"), ("InternetService", "Contract")]
parity.check("mutual information of telco_churn column pairs (nats)",
             ours=lambda: [mutual_info_score(telco[a].astype(str), telco[b].astype(str)) for a, b in pairs],
             reference=lambda: [sk_mutual_info_score(telco[a].astype(str), telco[b].astype(str)) for a, b in pairs],
             atol=1e-12, why="same sum over non-empty cells of the contingency table")
C = contingency_matrix(telco["Contract"].astype(str), telco["Churn"].astype(str))
parity.check("mutual information from a contingency table", ours=lambda: mutual_info_score(contingency=C),
             reference=lambda: sk_mutual_info_score(None, None, contingency=C), atol=1e-12, why="as above")

sk_clf = SkLogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(X_bc, y_bc)
parity.check("log-loss = mean cross-entropy (ours vs our log_loss)", ours=per_sample.mean(),
             reference=log_loss(y_bc, proba), rtol=1e-12, why="one-hot truth keeps one term -log p_true")
parity.check("log-loss = mean cross-entropy (ours vs sklearn log_loss)", ours=per_sample.mean(),
             reference=sk_log_loss(y_bc, proba), rtol=1e-12, why="same probabilities, none near the clip eps")
parity.check("log-loss of our model vs sklearn's model (both at the optimum)", ours=per_sample.mean(),
             reference=sk_log_loss(y_bc, sk_clf.predict_proba(X_bc)), rtol=1e-7,
             why="two solvers of the same convex problem, both at tol=1e-10: probabilities agree to ~1e-8")

sk_stump = SkDecisionTreeClassifier(criterion="entropy", max_depth=1, random_state=0).fit(X_w, y_w)
s = sk_stump.tree_
sk_decrease = s.impurity[0] - (s.n_node_samples[1] * s.impurity[1]
                               + s.n_node_samples[2] * s.impurity[2]) / s.n_node_samples[0]
parity.check("root split (feature, threshold): ours vs sklearn", ours=[feature, threshold],
             reference=[s.feature[0], s.threshold[0]], atol=0, why="same split search; threshold is a midpoint")
parity.check("information gain vs our tree's impurity decrease (bits)", ours=ig, reference=tree_decrease,
             atol=1e-12, why="same entropy of the same child counts")
parity.check("information gain vs sklearn tree's impurity decrease (bits)", ours=ig, reference=sk_decrease,
             atol=1e-12, why="same entropy of the same child counts")

# %%
parity.table()
