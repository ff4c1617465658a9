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
# # P1.11 · Dimensionality reduction: principal component analysis
#
# A 64-pixel image of a digit is a point in $\mathbb R^{64}$, but handwritten digits do not fill
# that space: neighbouring pixels move together, the border is always blank. **Principal component
# analysis** (PCA) finds the few orthogonal directions along which the data actually varies and
# describes every sample by its coordinates along them. It is the linear answer to two questions
# that turn out to be the same: *which $k$-dimensional projection keeps the most variance?* and
# *which $k$-dimensional affine subspace is closest to the data?*
#
# ## Maximising variance gives the eigenvectors of the covariance
#
# Centre the data, $\tilde x_i = x_i - \bar x$, stack the rows into $\tilde X \in \mathbb R^{n\times d}$
# and let $\Sigma = \tilde X^\top \tilde X/(n-1)$ be the sample covariance. Projecting on a unit
# vector $w$ gives the scores $z_i = w^\top \tilde x_i$, whose sample variance is
#
# $$\operatorname{Var}(z) = \frac{1}{n-1}\sum_i (w^\top \tilde x_i)^2 = w^\top \Sigma\, w .$$
#
# Maximise it subject to $w^\top w = 1$ (without the constraint, scaling $w$ makes it infinite).
# The Lagrangian $\mathcal L = w^\top\Sigma w - \lambda(w^\top w - 1)$ has gradient
# $2\Sigma w - 2\lambda w$, so at a stationary point
#
# $$\Sigma\, w = \lambda\, w, \qquad \operatorname{Var}(z) = w^\top \Sigma w = \lambda .$$
#
# The stationary directions are the **eigenvectors** of $\Sigma$ and the variance along each is its
# eigenvalue, so the maximum is the top eigenvector $w_1$. The second component maximises the same
# variance subject also to $w^\top w_1 = 0$; the extra multiplier vanishes (multiply the stationarity
# condition by $w_1^\top$ and use $\Sigma w_1 = \lambda_1 w_1$), leaving $\Sigma w = \lambda w$ on the
# orthogonal complement: $w_2$ is the second eigenvector, and so on. $\Sigma$ is symmetric positive
# semi-definite, so (spectral theorem) $\Sigma = W^\top \Lambda W$ with orthonormal rows
# $w_1,\dots,w_d$ of $W$ and $\lambda_1 \ge \dots \ge \lambda_d \ge 0$. The scores of different
# components are **uncorrelated**: $\operatorname{Cov}(z_j, z_l) = w_j^\top \Sigma w_l = \lambda_l\,
# \delta_{jl}$.
#
# ## The SVD is how it is computed
#
# Write the thin singular value decomposition $\tilde X = U S V^\top$ ($U^\top U = V^\top V = I$,
# $s_1 \ge s_2 \ge \dots \ge 0$). Then
#
# $$\Sigma = \frac{\tilde X^\top \tilde X}{n-1} = V\,\frac{S^2}{n-1}\,V^\top ,$$
#
# so the principal axes are the right singular vectors (`components_` $= V^\top$), the explained
# variances are $\lambda_j = s_j^2/(n-1)$, and the scores of the training data come for free:
# $\tilde X V = U S$. Taking the SVD of $\tilde X$ is better than eigen-decomposing $\Sigma$
# numerically, because forming $\tilde X^\top\tilde X$ squares the condition number (small
# eigenvalues lose half their digits); it is slower only when $n \gg d$, where the $d\times d$
# covariance is cheap — which is why `svd_solver="auto"` uses `"covariance_eigh"` for tall data.
#
# **Sign.** $(u_j, v_j)$ and $(-u_j, -v_j)$ are equally valid, so different LAPACK routines can
# return opposite signs. scikit-learn fixes it with `svd_flip`: the entry of largest magnitude of
# each component is made positive. We use the same rule, so our components agree with
# scikit-learn's value for value, not merely up to sign.
#
# ## Reconstruction error = sum of the discarded eigenvalues
#
# Keep $k$ components $W_k \in \mathbb R^{k\times d}$. `transform` gives $z = W_k \tilde x$ and
# `inverse_transform` maps back, $\hat x = \bar x + W_k^\top z$ — the orthogonal projection of $x$
# on the affine subspace $\bar x + \operatorname{span}(w_1..w_k)$. **Claim:**
#
# $$\frac{1}{n-1}\sum_i \lVert x_i - \hat x_i \rVert^2 = \sum_{j > k} \lambda_j .$$
#
# *Proof.* Expand $\tilde x_i = \sum_{j=1}^d (w_j^\top \tilde x_i)\, w_j$ in the orthonormal basis of
# all eigenvectors. The reconstruction keeps the first $k$ terms, so the residual is
# $\sum_{j>k} (w_j^\top \tilde x_i) w_j$ and, by Pythagoras, $\lVert x_i - \hat x_i\rVert^2 =
# \sum_{j>k} (w_j^\top\tilde x_i)^2$. Summing over $i$ and dividing by $n - 1$ turns each term into
# the variance along $w_j$, i.e. $w_j^\top\Sigma w_j = \lambda_j$. $\square$
#
# Since the total variance $\operatorname{tr}\Sigma = \sum_j \lambda_j$ is fixed, *minimising* the
# reconstruction error and *maximising* the kept variance are the same problem (Pearson's 1901
# "lines and planes of closest fit" and Hotelling's 1933 "principal components"); and by the
# Eckart–Young theorem no rank-$k$ matrix is closer to $\tilde X$ in Frobenius norm than the
# truncated SVD $U_k S_k V_k^\top$. The lesson checks the identity on digits for every $k$.
#
# ## Choosing $k$
#
# * **Explained variance ratio** $\lambda_j / \sum_l \lambda_l$ and its cumulative sum: keep the
#   fewest components reaching, say, 90 % (`n_components=0.9` does exactly that).
# * **Scree plot**: $\lambda_j$ against $j$; look for the "elbow" after which the curve flattens into
#   noise.
# * **Downstream**: treat $k$ as a hyper-parameter of the pipeline and cross-validate it (the
#   lesson's last demo does this with `GridSearchCV`).
#
# ## Whitening
#
# Divide each score by its standard deviation, $z_j / \sqrt{\lambda_j}$: the whitened scores have
# identity covariance (uncorrelated *and* unit variance). Useful before methods that assume
# isotropic inputs (ICA, some clustering, RBF kernels); harmful when the small components are
# mostly noise, because whitening blows that noise up to unit variance. `inverse_transform`
# multiplies back by $\sqrt{\lambda_j}$. A component with zero variance cannot be whitened: its
# score is rounding noise divided by a number floored at machine $\varepsilon$.
#
# ## Randomized SVD (Halko, Martinsson & Tropp, 2011)
#
# For $k \ll \min(n, d)$ the full SVD does far too much work. The randomized method:
#
# 1. **Sketch the range.** Draw a Gaussian $\Omega \in \mathbb R^{d \times (k+p)}$ ($p \approx 10$
#    oversamples) and form $Y = \tilde X\Omega$: random combinations of the columns, which with high
#    probability span the top-$k$ left singular subspace up to the energy in $\sigma_{k+p+1},\dots$
# 2. **Power iterations.** $Y = (\tilde X \tilde X^\top)^q \tilde X \Omega$ multiplies each singular
#    value by itself $2q+1$ times, so the unwanted directions shrink relative to the wanted ones by
#    $(\sigma_{k+p+1}/\sigma_k)^{2q+1}$ — decisive when the spectrum decays slowly. Between the
#    products the columns are re-orthonormalised (QR, or the cheaper LU) so that rounding does not
#    wash the small directions out.
# 3. **Project and solve small.** $Q = \operatorname{orth}(Y)$, $B = Q^\top \tilde X$ is only
#    $(k+p)\times d$; its exact SVD $B = \hat U S V^\top$ gives $\tilde X \approx (Q\hat U)\,S\,V^\top$.
#
# Cost: $O(nd(k+p)(2q+1))$ instead of $O(nd\min(n,d))$. Ours follows scikit-learn's choices
# ($q = 7$ if $k < 0.1\min(n,d)$ else 4; LU between iterations; the wide case transposed) and draws
# $\Omega$ from the same `RandomState` stream, so with the same `random_state` it reproduces
# scikit-learn's result draw for draw.
#
# ## Probabilistic PCA
#
# Tipping & Bishop (1999) read PCA as the maximum-likelihood fit of $x = \mu + W^\top z + \varepsilon$,
# $z \sim N(0, I_k)$, $\varepsilon \sim N(0, \sigma^2 I)$: the ML noise variance is the **mean of the
# discarded eigenvalues** (`noise_variance_`), and `score` is the Gaussian log-likelihood under
# $\operatorname{Cov} = W_k^\top(\Lambda_k - \sigma^2 I)W_k + \sigma^2 I$.
#
# ## Pitfalls
#
# * **Scale.** PCA maximises variance in the units you give it: a feature measured in thousands
#   dominates the first component whatever its meaning. Standardise features with different units
#   (the wine demo below); leave pixels, which share a unit, as they are.
# * **PCA is linear.** It finds flat subspaces. Data on a curved manifold (a swiss roll, digit
#   classes in 2-D) needs kernel PCA, Isomap, t-SNE or UMAP; and variance is not class
#   separability (that is LDA's objective) — a low-variance direction can carry all the label
#   information.
# * **Centre with the training mean.** Fit PCA inside the pipeline, on the training fold only.
# * **Outliers** pull components towards themselves (variance is a squared quantity); robust PCA
#   exists.
# * **Signs and order** of components are conventions; compare subspaces (projectors
#   $W^\top W$) when two implementations differ in convention, and be careful when eigenvalues are
#   (nearly) equal: the individual vectors are then not determined, only their span.
#
# ## References
#
# * K. Pearson, "On lines and planes of closest fit to systems of points in space", *Philosophical
#   Magazine* 2 (1901) 559–572.
# * H. Hotelling, "Analysis of a complex of statistical variables into principal components",
#   *J. Educational Psychology* 24 (1933) 417–441, 498–520.
# * N. Halko, P.-G. Martinsson, J. A. Tropp, "Finding structure with randomness: probabilistic
#   algorithms for constructing approximate matrix decompositions", *SIAM Review* 53 (2011) 217–288.
# * M. E. Tipping, C. M. Bishop, "Probabilistic principal component analysis", *J. R. Statist. Soc. B*
#   61 (1999) 611–622.
# * C. Eckart, G. Young, "The approximation of one matrix by another of lower rank", *Psychometrika*
#   1 (1936) 211–218.
# * I. T. Jolliffe, *Principal Component Analysis*, 2nd ed. (2002); ESL (Hastie, Tibshirani,
#   Friedman, 2009) §14.5.1; Bishop, *PRML* (2006) ch. 12.

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
from sklearn.decomposition import PCA as SkPCA
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlweekly import datasets, parity
from mlweekly.ml_algorithms import PCA
from mlweekly.ml_algorithms import pca as pca_module

# %% [markdown]
# ## The implementation
#
# `mlweekly.ml_algorithms.PCA` has scikit-learn's parameters and attributes (`components_`,
# `explained_variance_`, `explained_variance_ratio_`, `singular_values_`, `mean_`,
# `noise_variance_`; `transform`, `inverse_transform`, `fit_transform`, `score`). The exact solvers
# call LAPACK (the SVD itself is linear algebra, not this lesson's subject); the sign rule and the
# randomized range finder are ours:

# %%
for fn in (pca_module.svd_flip, pca_module.randomized_range_finder):
    head, _doc, body = inspect.getsource(fn).split('"""', 2)  # the code without its docstring
    print(head.rstrip() + body)

# %% [markdown]
# ## Demo · digits
#
# 1797 handwritten digits, 8×8 pixels with grey levels 0–16 — all features share one unit, so we
# do not standardise.

# %%
X, y = datasets.load_xy("digits")
pca = PCA(svd_solver="full").fit(X)
ev, ratio = pca.explained_variance_, pca.explained_variance_ratio_
cum = np.cumsum(ratio)
print(f"{X.shape[0]} samples × {X.shape[1]} pixels; total variance {ev.sum():.2f}")
print("first 10 explained variance ratios:", ratio[:10].round(4))
for t in (0.5, 0.8, 0.9, 0.95, 0.99):
    print(f"components needed for {t:.0%} of the variance: {PCA(t).fit(X).n_components_}")

# %%
Z = PCA(2).fit_transform(X)
fig, axes = plt.subplots(1, 2, figsize=(13, 5), constrained_layout=True)
sc = axes[0].scatter(Z[:, 0], Z[:, 1], c=y, cmap="tab10", s=8, alpha=0.8)
for digit in range(10):
    cx, cy = np.median(Z[y == digit], axis=0)
    axes[0].text(cx, cy, str(digit), fontsize=16, weight="bold", ha="center", va="center")
axes[0].set(xlabel="PC 1", ylabel="PC 2", title=f"digits in 2-D: {cum[1]:.1%} of the variance")
j = np.arange(1, 65)
axes[1].bar(j, ratio, color="tab:blue", label="explained variance ratio (scree)")
ax2 = axes[1].twinx()
ax2.plot(j, cum, color="tab:red", marker=".", label="cumulative")
ax2.axhline(0.9, color="tab:red", ls=":", lw=1)
ax2.set_ylim(0, 1.02)
axes[1].set(xlabel="component j", ylabel="λ_j / Σλ", title="scree plot and cumulative explained variance")
axes[1].legend(loc="center right", bbox_to_anchor=(1, 0.6))
ax2.legend(loc="center right", bbox_to_anchor=(1, 0.5))
plt.show()

# %% [markdown]
# Two components keep under a third of the variance: 0, 4, 6 and 2 separate, while 1, 7, 9, 5 and 8
# overlap — PCA maximises variance, not class separation, and it is linear. The scree plot has no
# sharp elbow: about 21 components reach 90 %.
#
# ### Eigen-digits
#
# The mean image and the first components, reshaped to 8×8 (red = positive loading, blue =
# negative). Every digit is the mean plus a weighted sum of these images.

# %%
fig, axes = plt.subplots(2, 8, figsize=(13, 3.8), constrained_layout=True)
axes[0, 0].imshow(pca.mean_.reshape(8, 8), cmap="gray_r")
axes[0, 0].set_title("mean")
for i, ax in enumerate(axes.ravel()[1:]):
    w = pca.components_[i].reshape(8, 8)
    lim = np.abs(w).max()
    ax.imshow(w, cmap="RdBu_r", vmin=-lim, vmax=lim)
    ax.set_title(f"PC {i + 1} ({ratio[i]:.1%})", fontsize=9)
for ax in axes.ravel():
    ax.set(xticks=[], yticks=[])
plt.show()

# %% [markdown]
# ### Reconstruction error against $k$
#
# For every $k$ we reconstruct all digits from $k$ scores and measure
# $\frac{1}{n-1}\sum_i\lVert x_i - \hat x_i\rVert^2$; the theory says it equals the sum of the
# discarded eigenvalues $\sum_{j>k}\lambda_j$.

# %%
ks = np.arange(0, 65)
measured = []
for k in ks:
    if k == 0:
        X_hat = np.broadcast_to(pca.mean_, X.shape)  # zero components: every digit is the mean
    else:
        p = PCA(int(k), svd_solver="full").fit(X)
        X_hat = p.inverse_transform(p.transform(X))
    measured.append(np.sum((X - X_hat) ** 2) / (len(X) - 1))
measured = np.array(measured)
discarded = np.array([ev[k:].sum() for k in ks])

fig, ax = plt.subplots(figsize=(8, 4.5), constrained_layout=True)
ax.plot(ks, measured, "o", ms=5, label="measured: mean squared reconstruction error × n/(n-1)")
ax.plot(ks, discarded, "-", color="tab:red", label=r"$\sum_{j>k} \lambda_j$ (discarded eigenvalues)")
ax.set(yscale="symlog", xlabel="number of components k", ylabel="error per sample",
       title="digits: reconstruction error = sum of discarded eigenvalues")  # fmt: skip
ax.legend()
plt.show()
print(f"largest relative gap between the two curves (k < 61): {np.max(np.abs(measured[:61] / discarded[:61] - 1)):.1e}")

# %% [markdown]
# The points sit on the line to rounding (relative gap $\sim10^{-15}$). For $k \ge 61$ the discarded eigenvalues
# are zero: three pixels are blank in every image, so the centred data has rank 61.
#
# ### Reconstructions

# %%
ks_show = [1, 2, 5, 10, 20, 40]
idx = [0, 11, 22, 33, 44, 55]
fig, axes = plt.subplots(len(idx), len(ks_show) + 1, figsize=(9, 9), constrained_layout=True)
for col, k in enumerate(ks_show):
    p = PCA(k, svd_solver="full").fit(X)
    rec = p.inverse_transform(p.transform(X[idx]))
    for row in range(len(idx)):
        axes[row, col].imshow(rec[row].reshape(8, 8), cmap="gray_r", vmin=0, vmax=16)
    axes[0, col].set_title(f"k = {k}")
for row, i in enumerate(idx):
    axes[row, -1].imshow(X[i].reshape(8, 8), cmap="gray_r", vmin=0, vmax=16)
axes[0, -1].set_title("original")
for ax in axes.ravel():
    ax.set(xticks=[], yticks=[])
plt.show()

# %% [markdown]
# ### Whitening
#
# The whitened scores have identity covariance; `inverse_transform` undoes the scaling exactly.

# %%
white = PCA(10, whiten=True).fit(X)
Zw = white.transform(X)
print("covariance of whitened scores, max |C - I| =", np.abs(np.cov(Zw, rowvar=False) - np.eye(10)).max())
print("round trip through whitening equals plain reconstruction:",
      np.abs(white.inverse_transform(Zw) - PCA(10).fit(X).inverse_transform(PCA(10).fit_transform(X))).max())  # fmt: skip

# %% [markdown]
# ### Randomized SVD: how many power iterations?
#
# The error of the randomized subspace, measured as the spectral distance between the projectors
# $\lVert P_{\text{rand}} - P_{\text{exact}}\rVert_2$ (sign-free), shrinks with the number of power
# iterations $q$ roughly like $(\sigma_{k+p+1}/\sigma_k)^{2q+1}$; the eigenvalue error is second
# order, roughly the square.

# %%
s = pca.singular_values_
qs = np.arange(0, 9)
fig, ax = plt.subplots(figsize=(8, 4.5), constrained_layout=True)
for k, color in [(2, "tab:blue"), (10, "tab:orange"), (20, "tab:green")]:
    P_exact = pca.components_[:k].T @ pca.components_[:k]
    dist = []
    for q in qs:
        r = PCA(k, svd_solver="randomized", iterated_power=int(q), random_state=0).fit(X)
        dist.append(np.linalg.norm(r.components_.T @ r.components_ - P_exact, 2))
    rate = s[k + 10] / s[k - 1]
    ax.semilogy(qs, dist, "o-", color=color, label=f"k = {k}: measured")
    ax.semilogy(qs, rate ** (2 * qs + 1), "--", color=color, label=f"k = {k}: $(\\sigma_{{k+p+1}}/\\sigma_k)^{{2q+1}}$")
ax.set(xlabel="power iterations q", ylabel=r"$\|P_{rand} - P_{exact}\|_2$", title="randomized PCA on digits (p = 10)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ### Pitfall: scale (wine)
#
# The 13 wine features have different units; proline (hundreds to 1680) has a variance five
# orders of magnitude above the others, so unscaled PCA's first component *is* proline.

# %%
Xw, yw = datasets.load_xy("wine")
names = datasets.load("wine").feature_names
raw = PCA(2).fit(Xw)
std = PCA(2).fit(StandardScaler().fit_transform(Xw))
top = np.argmax(np.abs(raw.components_[0]))
print(f"unscaled:     PC1 ratio {raw.explained_variance_ratio_[0]:.4f}, largest loading {names[top]} ({np.abs(raw.components_[0, top]):.4f})")
print(f"standardised: PC1 ratio {std.explained_variance_ratio_[0]:.4f}, loadings spread, largest {np.abs(std.components_[0]).max():.2f}")
fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
for ax, model, data, title in [(axes[0], raw, Xw, "unscaled"), (axes[1], std, StandardScaler().fit_transform(Xw), "standardised")]:
    Zs = model.transform(data)
    ax.scatter(Zs[:, 0], Zs[:, 1], c=yw, cmap="viridis", s=12)
    ax.set(xlabel="PC 1", ylabel="PC 2", title=f"wine, {title}")
plt.show()

# %% [markdown]
# ### Choosing $k$ for a classifier
#
# PCA as a pipeline step, $k$ chosen by 5-fold cross-validated accuracy of a logistic regression on
# digits (pixels scaled to $[0, 1]$).

# %%
pipe = make_pipeline(PCA(), SkLogisticRegression(max_iter=2000))
grid = GridSearchCV(pipe, {"pca__n_components": [5, 10, 20, 30, 40]}, cv=5).fit(X / 16, y)
for k, m in zip(grid.cv_results_["param_pca__n_components"], grid.cv_results_["mean_test_score"], strict=True):
    print(f"k = {k:2d}: CV accuracy {m:.4f}")
print("best:", grid.best_params_)

# %% [markdown]
# ## Parity checks
#
# Ours against `sklearn.decomposition.PCA` on digits with the same parameters.
#
# * **Exact solvers** (`full`, `covariance_eigh`): both call the same LAPACK routine on the same
#   centred matrix and apply the same sign rule, so attributes agree to the last bit; we ask
#   `atol = 1e-12` (singular values are ~10²: a relative $10^{-14}$).
# * **Scores**: we compute $(X - \bar x)W^\top$, scikit-learn $XW^\top - \bar x W^\top$; the
#   difference is rounding of numbers of size ~30, so `atol = 1e-11`; reconstructions likewise.
# * **Randomized with the same `random_state`**: ours replicates scikit-learn's algorithm (same
#   `RandomState` draws of $\Omega$, same LU normalisation, same number of iterations, same small
#   SVD), so exact agreement is expected and we ask `atol = 1e-12`.
# * **Randomized against the exact SVD** (the check that the algorithm is right, not merely the
#   same): $k = 10$, $p = 10$, $q = 7$. The subspace error's leading rate is
#   $(\sigma_{21}/\sigma_{10})^{15}$ and the eigenvalue error's its square; both are computed from
#   digits' spectrum and used as the tolerances.

# %%
ATOL = 1e-12


def check_fit(quantity, ours, ref, why):
    """Time both fits (best of 3) and compare components_."""
    parity.check(quantity, ours=lambda: ours.fit(X).components_, reference=lambda: ref.fit(X).components_, atol=ATOL, why=why, repeat=3)


for solver in ("full", "covariance_eigh"):
    ours, ref = PCA(svd_solver=solver), SkPCA(svd_solver=solver)
    why = "same LAPACK call on the same centred data, same svd_flip sign rule"
    check_fit(f"components_ · digits ({solver})", ours, ref, why)
    for attr in ("explained_variance_", "explained_variance_ratio_", "singular_values_", "mean_", "noise_variance_"):
        parity.check(f"{attr} · digits ({solver})", ours=getattr(ours, attr), reference=getattr(ref, attr), atol=ATOL, why=why)

ours20, ref20 = PCA(20).fit(X), SkPCA(20).fit(X)
parity.check("noise_variance_ · digits (k=20)", ours=ours20.noise_variance_, reference=ref20.noise_variance_, atol=ATOL, why="mean of the 44 discarded eigenvalues")
parity.check("transform · digits (k=20)", ours=ours20.transform(X), reference=ref20.transform(X), atol=1e-11, why="(X - x̄)Wᵀ vs XWᵀ - x̄Wᵀ: rounding on scores of size ~30")
parity.check("fit_transform · digits (k=20)", ours=PCA(20, svd_solver="full").fit_transform(X), reference=SkPCA(20, svd_solver="full").fit_transform(X), atol=ATOL, why="both U·S from the same SVD")
Z20 = ours20.transform(X)
parity.check("inverse_transform · digits (k=20)", ours=ours20.inverse_transform(Z20), reference=ref20.inverse_transform(Z20), atol=1e-11, why="same components and mean; rounding of pixels ~16")
parity.check("score (PPCA log-likelihood) · digits (k=20)", ours=ours20.score(X), reference=ref20.score(X), rtol=1e-10, why="same Gaussian model; we solve with Σ, sklearn uses the inversion lemma")

ours_w, ref_w = PCA(20, whiten=True).fit(X), SkPCA(20, whiten=True).fit(X)
parity.check("transform, whiten=True · digits (k=20)", ours=ours_w.transform(X), reference=ref_w.transform(X), atol=1e-12, why="scores / sqrt(λ): scores ~30, sqrt(λ) ≥ 2")
Zw20 = ours_w.transform(X)
parity.check("inverse_transform, whiten=True · digits (k=20)", ours=ours_w.inverse_transform(Zw20), reference=ref_w.inverse_transform(Zw20), atol=1e-11, why="undoes the whitening: rounding of pixels ~16")

for k in (2, 10, 30):
    ours_r = PCA(k, svd_solver="randomized", random_state=0)
    ref_r = SkPCA(k, svd_solver="randomized", random_state=0)
    why = "same algorithm, same RandomState draws of Ω, same LU normalisation: exact agreement expected"
    check_fit(f"components_ · digits (randomized, k={k}, random_state=0)", ours_r, ref_r, why)
    parity.check(f"explained_variance_ · digits (randomized, k={k})", ours=ours_r.explained_variance_, reference=ref_r.explained_variance_, atol=ATOL, why=why)
    parity.check(f"explained_variance_ratio_ · digits (randomized, k={k})", ours=ours_r.explained_variance_ratio_, reference=ref_r.explained_variance_ratio_, atol=ATOL, why=why)
    parity.check(f"transform · digits (randomized, k={k})", ours=ours_r.transform(X), reference=ref_r.transform(X), atol=1e-11, why="same components; centring rounding")

rate = s[20] / s[9]
tol_sub, tol_ev = rate**15, rate**30
rand = PCA(10, svd_solver="randomized", iterated_power=7, random_state=0).fit(X)
print(f"σ21/σ10 = {rate:.4f}: subspace tolerance {tol_sub:.1e}, eigenvalue tolerance {tol_ev:.1e}")
P_exact = pca.components_[:10].T @ pca.components_[:10]
parity.check("projector WᵀW · randomized (q=7) vs exact SVD, k=10", ours=rand.components_.T @ rand.components_, reference=P_exact, atol=tol_sub, why="leading rate (σ_{k+p+1}/σ_k)^{2q+1} of the subspace error")
parity.check("explained_variance_ · randomized (q=7) vs exact SVD, k=10", ours=rand.explained_variance_, reference=ev[:10], rtol=tol_ev, why="eigenvalue error is second order: the square of the subspace rate")
parity.check("reconstruction error = Σ discarded λ · digits, k = 0..60", ours=measured[:61], reference=discarded[:61], rtol=1e-10, why="the identity proved above; rounding only")

# %%
parity.table()
