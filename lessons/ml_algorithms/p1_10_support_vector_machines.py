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
# # P1.10 · Support vector machines
#
# A support vector machine separates two classes $y_i \in \{-1, +1\}$ by the hyperplane
# $w^\top x + b = 0$ that leaves the **widest margin** to the nearest samples. Only those nearest
# samples — the *support vectors* — decide where it lies; the kernel trick then bends the hyperplane
# into a curved boundary without ever computing the curved features.
#
# ## Hard margin: the primal
#
# The distance of $x_i$ to the hyperplane is $|w^\top x_i + b| / \lVert w\rVert$. The scale of
# $(w, b)$ is free, so fix it by asking the closest samples to have $y_i(w^\top x_i + b) = 1$: the
# margin is then $2/\lVert w\rVert$ and maximising it is
#
# $$\min_{w, b}\ \tfrac12 \lVert w\rVert^2 \quad\text{s.t.}\quad y_i (w^\top x_i + b) \ge 1,\ i = 1..n.$$
#
# A convex quadratic programme with a unique $w$ — if the classes are linearly separable.
#
# ## Soft margin
#
# Real classes overlap. Slack variables $\xi_i \ge 0$ let a sample sit inside the margin
# ($0 < \xi_i \le 1$) or on the wrong side ($\xi_i > 1$), at a price $C$ per unit
# (Cortes & Vapnik, 1995):
#
# $$\min_{w, b, \xi}\ \tfrac12 \lVert w\rVert^2 + C\sum_i \xi_i \quad\text{s.t.}\quad
# y_i (w^\top x_i + b) \ge 1 - \xi_i,\quad \xi_i \ge 0 .$$
#
# Eliminating $\xi$ gives the unconstrained form $\tfrac12\lVert w\rVert^2 + C\sum_i \max(0, 1 - y_i f(x_i))$:
# an L2-penalised **hinge loss**, next of kin to logistic regression's log-loss (P1.02). Large $C$:
# few violations, narrow margin, low bias/high variance; small $C$: wide margin, many violations.
#
# ## Lagrangian and dual
#
# With multipliers $\alpha_i \ge 0$ for the margin constraints and $\mu_i \ge 0$ for $\xi_i \ge 0$,
#
# $$\mathcal L = \tfrac12 \lVert w\rVert^2 + C\sum_i \xi_i - \sum_i \alpha_i\bigl[y_i(w^\top x_i + b) - 1 + \xi_i\bigr] - \sum_i \mu_i \xi_i .$$
#
# Setting the derivatives in the primal variables to zero:
#
# $$\frac{\partial\mathcal L}{\partial w} = 0 \Rightarrow w = \sum_i \alpha_i y_i x_i, \qquad
# \frac{\partial\mathcal L}{\partial b} = 0 \Rightarrow \sum_i \alpha_i y_i = 0, \qquad
# \frac{\partial\mathcal L}{\partial \xi_i} = 0 \Rightarrow \alpha_i = C - \mu_i \le C .$$
#
# Substituting back, $\xi$ and $b$ drop out and what is left is the **dual**
#
# $$\max_\alpha\ \sum_i \alpha_i - \tfrac12 \sum_{i,j} \alpha_i \alpha_j y_i y_j\, x_i^\top x_j
# \quad\text{s.t.}\quad 0 \le \alpha_i \le C,\quad \sum_i \alpha_i y_i = 0,$$
#
# or, as libsvm writes it, $\min_\alpha \tfrac12 \alpha^\top Q\alpha - e^\top\alpha$ with
# $Q_{ij} = y_i y_j\, x_i^\top x_j$. The data enter **only through inner products** — the door for
# kernels. Strong duality holds (convex problem, linear constraints), so both optima agree.
#
# ## KKT conditions: why only support vectors matter
#
# Complementary slackness, $\alpha_i[y_i f(x_i) - 1 + \xi_i] = 0$ and $\mu_i \xi_i = (C - \alpha_i)\xi_i = 0$,
# sorts the samples into three groups:
#
# | $\alpha_i$ | condition | where the sample is |
# |---|---|---|
# | $0$ | $y_i f(x_i) \ge 1$ | outside the margin, correct: irrelevant |
# | $0 < \alpha_i < C$ | $y_i f(x_i) = 1$ | exactly on the margin (*free* SV) |
# | $C$ | $y_i f(x_i) \le 1$ | inside the margin or misclassified (*bounded* SV) |
#
# Since $w = \sum_i \alpha_i y_i x_i$, samples with $\alpha_i = 0$ can be deleted without changing the
# classifier: $f(x) = \sum_{i \in SV} \alpha_i y_i\, x_i^\top x + b$. The free SVs pin down the bias:
# each gives $b = y_i - \sum_j \alpha_j y_j x_j^\top x_i$; libsvm averages them, and when none is free
# takes the midpoint of the interval the bounded ones allow. Our `SVC` stores exactly libsvm's
# attributes: `support_` (indices), `support_vectors_`, `n_support_`, `dual_coef_` ($\alpha_i y_i$)
# and `intercept_` ($b$).
#
# ## The kernel trick
#
# Replace $x$ by features $\phi(x)$: the dual needs only $k(x, z) = \phi(x)^\top\phi(z)$, and so does
# the prediction $f(x) = \sum_i \alpha_i y_i k(x_i, x) + b$. Any symmetric positive semi-definite
# kernel (Mercer) is an inner product in *some* feature space, possibly infinite-dimensional:
#
# * linear $k(x, z) = x^\top z$;
# * polynomial $k(x, z) = (\gamma x^\top z + r)^d$ — all monomials up to degree $d$;
# * RBF $k(x, z) = \exp(-\gamma\lVert x - z\rVert^2)$ — infinitely many features; $\gamma$ sets the
#   reach of one sample (large $\gamma$: wiggly, local boundaries). scikit-learn's default
#   `gamma="scale"` is $1/(d\,\mathrm{Var}[X])$.
#
# For $d = 2$, $\gamma = r = 1$ and $x \in \mathbb R^2$, expanding $(x_1z_1 + x_2z_2 + 1)^2$ shows the
# six features explicitly:
#
# $$\phi(x) = \bigl(x_1^2,\ x_2^2,\ \sqrt2\,x_1x_2,\ \sqrt2\,x_1,\ \sqrt2\,x_2,\ 1\bigr).$$
#
# The next cell checks $k(x, z) = \phi(x)\cdot\phi(z)$ numerically.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC as SkSVC
from sklearn.svm import LinearSVC as SkLinearSVC

from mlweekly import datasets, parity
from mlweekly.ml_algorithms import SVC, LinearSVC
from mlweekly.ml_algorithms._kernels import kernel_matrix


def phi(v):
    a, b = v
    return np.array([a * a, b * b, np.sqrt(2) * a * b, np.sqrt(2) * a, np.sqrt(2) * b, 1.0])


x, z = np.array([1.0, 2.0]), np.array([3.0, -1.0])
k_xz = kernel_matrix(x[None], z[None], "poly", gamma=1.0, coef0=1.0, degree=2)[0, 0]
print(f"k(x, z) = (x·z + 1)^2 = {k_xz:.6f};  φ(x)·φ(z) = {phi(x) @ phi(z):.6f}")

# %% [markdown]
# Six multiplications in feature space, or three in input space: with $d$ inputs and degree $p$ the
# feature space has $\binom{d + p}{p}$ dimensions, but the kernel still costs $O(d)$.
#
# ## SMO: two multipliers at a time (Platt, 1998)
#
# The dual is a QP with $n$ variables and a dense $n\times n$ matrix — too big to hand to a generic
# solver for $n = 10^5$. The equality $\sum_i \alpha_i y_i = 0$ means no single $\alpha_i$ can move
# alone, but **two** can: keep $y_i\alpha_i + y_j\alpha_j$ fixed and move along that line. With the
# gradient $G = Q\alpha - e$, the dual restricted to the line $\alpha_i \leftarrow \alpha_i + y_i t$,
# $\alpha_j \leftarrow \alpha_j - y_j t$ is a parabola in $t$ with curvature
# $a_{ij} = K_{ii} + K_{jj} - 2K_{ij} = \lVert\phi(x_i) - \phi(x_j)\rVert^2$ and slope
# $-b_{ij} = -(-y_iG_i + y_jG_j)$; its minimiser is
#
# $$t^\star = b_{ij} / a_{ij} ,$$
#
# then **clipped** so both multipliers stay in $[0, C]$ (the line crosses the box; libsvm's update
# clips in the four cases of equal/unequal labels). After the step only two columns of $Q$ are
# needed to update the gradient: $G \mathrel{+}= Q_{:i}\Delta\alpha_i + Q_{:j}\Delta\alpha_j$ — $O(n)$
# work, plus two kernel rows, which our solver caches (least recently used first out).
#
# ## Which two? Maximal violating pair and WSS3
#
# KKT, rewritten with $I_{up} = \{t: \alpha_t < C, y_t = 1 \text{ or } \alpha_t > 0, y_t = -1\}$ (those that
# may increase $y_t\alpha_t$) and $I_{low}$ (those that may decrease it), holds iff
#
# $$m(\alpha) = \max_{t\in I_{up}} -y_tG_t \ \le\ M(\alpha) = \min_{t \in I_{low}} -y_tG_t .$$
#
# SMO stops when $m - M < \varepsilon$ (`tol`). libsvm's **WSS3** (Fan, Chen & Lin, 2005) picks
# $i = \arg\max_{I_{up}} -y_tG_t$ (the first half of the maximal violating pair) and then, among
# $t \in I_{low}$ with $b_{it} > 0$, the one with the largest guaranteed decrease of the dual,
# $b_{it}^2 / a_{it}$ — *second-order* information that costs one kernel row we need anyway. It
# converges in far fewer iterations than the maximal violating pair, and provably converges
# (with $a_{ij}$ floored at $\tau = 10^{-12}$ for non-PSD kernels).
#
# The loop is serial — every step needs the previous gradient — with $O(n)$ work per step over
# thousands of steps: the one place this project uses numba (`_smo.py`, `@njit(cache=True)`);
# kernel rows are one BLAS `gemv` each.
#
# ## Several classes
#
# libsvm trains **one-vs-one**: one SVM per pair of classes ($K(K-1)/2$ small problems, each on two
# classes' samples only) and predicts by majority vote. scikit-learn's `decision_function_shape="ovr"`
# turns the pairwise values into one score per class: votes plus the summed confidences squashed to
# $(-\tfrac13, \tfrac13)$, so they only break ties. `support_` is the union of every pair's SVs,
# grouped by class; `dual_coef_` has $K-1$ rows, one per "other class".
#
# ## LinearSVC: dual coordinate descent
#
# For a linear kernel we can keep $w = \sum_i \alpha_iy_ix_i$ explicitly; then the dual gradient of
# one coordinate is $G_i = y_iw^\top x_i - 1 + D_{ii}\alpha_i$ — $O(d)$ instead of $O(n)$ — and one
# coordinate at a time (no equality constraint, because the bias is folded into $w$ as a constant
# feature) is minimised exactly: $\alpha_i \leftarrow \min(\max(\alpha_i - G_i/\bar Q_{ii}, 0), U)$
# (Hsieh et al., 2008; liblinear). Hinge: $U = C$, $D = 0$; squared hinge: $U = \infty$,
# $D_{ii} = 1/(2C)$. **Pitfall:** the bias is a weight on a constant feature `intercept_scaling`,
# so liblinear *penalises* it — `LinearSVC` and `SVC(kernel="linear")` solve different problems.
#
# ## Pitfalls
#
# * **Scale the features.** Kernels compare raw distances/inner products: a feature in thousands
#   (proline in wine) swamps the others. Standardise inside a `Pipeline`.
# * **$C$ and $\gamma$ interact**; tune them together on a log grid (`GridSearchCV`).
# * **The dual solution need not be unique**, the decision function is. With duplicated or
#   collinear samples many $\alpha$ give the same $w$: compare decision values and support sets,
#   not `dual_coef_` alone.
# * **No probabilities.** The score is a margin, not a probability; calibrate it (Platt scaling)
#   if you need one.
# * **Cost.** Kernel SVMs are $O(n^2)$–$O(n^3)$ in time and need the kernel cache; past ~$10^5$
#   samples use a linear SVM or approximate kernels (Nyström, random Fourier features).
#
# ## References
#
# * C. Cortes, V. Vapnik (1995). Support-vector networks. *Machine Learning* 20, 273–297.
# * J. Platt (1998). Sequential minimal optimization: a fast algorithm for training support vector
#   machines. Microsoft Research MSR-TR-98-14.
# * R.-E. Fan, P.-H. Chen, C.-J. Lin (2005). Working set selection using second order information for
#   training SVM. *JMLR* 6, 1889–1918.
# * C.-C. Chang, C.-J. Lin (2011). LIBSVM: a library for support vector machines. *ACM TIST* 2(3), 27.
# * C.-J. Hsieh, K.-W. Chang, C.-J. Lin, S. S. Keerthi, S. Sundararajan (2008). A dual coordinate
#   descent method for large-scale linear SVM. *ICML*.
# * B. Schölkopf, A. Smola (2002). *Learning with Kernels*, MIT Press, ch. 7.

# %% [markdown]
# ## Margins and support vectors (iris, two features)
#
# Versicolor against virginica on petal length and width overlap a little: a soft margin is needed.
# Solid line: $f(x) = 0$; dashed: $f(x) = \pm 1$. Circled: support vectors — free ones sit exactly
# on the dashed lines, bounded ones ($\alpha = C$) inside the margin or beyond. Smaller $C$ buys a
# wider margin with more support vectors.

# %%
iris = datasets.load("iris")
mask = iris.target.to_numpy() > 0
X_iris = iris.data.to_numpy()[mask][:, 2:]
y_iris = iris.target.to_numpy()[mask]


def draw(ax, clf, X, y, title, levels=(-1, 0, 1), pad=0.5):
    x0, x1 = X[:, 0].min() - pad, X[:, 0].max() + pad
    y0, y1 = X[:, 1].min() - pad, X[:, 1].max() + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    F = clf.decision_function(grid)
    if F.ndim == 1:
        ax.contourf(
            gx, gy, F.reshape(gx.shape), levels=[-1e9, 0, 1e9], colors=["#9ecae1", "#fdae6b"], alpha=0.4
        )
        ax.contour(gx, gy, F.reshape(gx.shape), levels=list(levels), colors="k",
                   linestyles=["--", "-", "--"][: len(levels)])  # fmt: skip
    else:
        ax.contourf(
            gx, gy, clf.predict(grid).reshape(gx.shape), levels=[-0.5, 0.5, 1.5, 2.5], alpha=0.35, cmap="Set2"
        )
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="Set2" if F.ndim > 1 else "coolwarm", s=14, edgecolor="k", lw=0.3)
    sv = clf.support_vectors_
    ax.scatter(sv[:, 0], sv[:, 1], s=60, facecolors="none", edgecolors="k", lw=0.8)
    ax.set_title(title, fontsize=9)


fig, axes = plt.subplots(1, 3, figsize=(13, 4))
for ax, C in zip(axes, [100.0, 1.0, 0.05], strict=True):
    clf = SVC(kernel="linear", C=C).fit(X_iris, y_iris)
    draw(ax, clf, X_iris, y_iris, f"linear, C={C:g}: {clf.support_.size} SVs, margin 2/‖w‖ = "
         f"{2 / np.linalg.norm(clf.dual_coef_ @ clf.support_vectors_):.2f}")  # fmt: skip
    ax.set_xlabel("petal length (cm)")
axes[0].set_ylabel("petal width (cm)")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## RBF decision regions for several $\gamma$ and $C$ (wine, two features, three classes)
#
# Flavanoids and colour intensity, standardised; three cultivars, so one-vs-one with three pairwise
# SVMs. Rows: $\gamma$ from smooth to local; columns: $C$ from tolerant to strict. Large $\gamma$ and
# large $C$ draw islands around single samples — over-fitting you can see.

# %%
wine = datasets.load("wine")
X_w2 = StandardScaler().fit_transform(wine.data[["flavanoids", "color_intensity"]].to_numpy())
y_w = wine.target.to_numpy()
fig, axes = plt.subplots(3, 3, figsize=(12, 11), sharex=True, sharey=True)
for r, gamma in enumerate([0.1, 1.0, 10.0]):
    for c, C in enumerate([0.1, 1.0, 100.0]):
        clf = SVC(kernel="rbf", gamma=gamma, C=C).fit(X_w2, y_w)
        draw(axes[r, c], clf, X_w2, y_w, f"γ={gamma:g}, C={C:g}: {clf.support_.size} SVs, "
             f"train acc {clf.score(X_w2, y_w):.2f}")  # fmt: skip
for ax in axes[-1]:
    ax.set_xlabel("flavanoids (std)")
for ax in axes[:, 0]:
    ax.set_ylabel("colour intensity (std)")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## SMO on breast cancer: dual objective and KKT violation
#
# Breast cancer (569 × 30, standardised), RBF kernel. Every SMO step decreases the dual objective
# $\tfrac12\alpha^\top Q\alpha - e^\top\alpha$ (an exact line minimisation), and the maximal KKT
# violation $m(\alpha) - M(\alpha)$ falls — not monotonically — until it is below `tol`. Each of our
# iterations is libsvm's iteration: the counts `n_iter_` agree with scikit-learn's.

# %%
X_bc, y_bc = datasets.load_xy("breast_cancer")
X_bc = StandardScaler().fit_transform(X_bc)
svc_bc = SVC(kernel="rbf", tol=1e-8).fit(X_bc, y_bc)
obj, viol = svc_bc.dual_objective_curves_[0], svc_bc.kkt_violation_curves_[0]
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4))
ax1.plot(obj - obj[-1] + 1e-12)
ax1.set_yscale("log")
ax1.set_xlabel("SMO iteration")
ax1.set_ylabel("dual objective − final value")
ax1.set_title(f"dual objective (final {obj[-1]:.4f})")
ax2.plot(viol, lw=0.6)
ax2.axhline(1e-3, color="r", ls=":", label="tol = 1e-3 (default)")
ax2.axhline(1e-8, color="k", ls=":", label="tol = 1e-8 (parity)")
ax2.set_yscale("log")
ax2.set_xlabel("SMO iteration")
ax2.set_ylabel("max KKT violation m(α) − M(α)")
ax2.legend()
plt.tight_layout()
plt.show()
print(f"{svc_bc.n_iter_[0]} iterations, {svc_bc.support_.size} support vectors of {len(y_bc)} samples "
      f"({np.sum(np.abs(svc_bc.dual_coef_) < 1.0)} free, {np.sum(np.abs(svc_bc.dual_coef_) >= 1.0)} at C)")  # fmt: skip

# %% [markdown]
# ## Parity checks
#
# **Why tighten `tol`.** SMO stops when the KKT violation is below `tol`; at the default $10^{-3}$ two
# correct solvers can stop at different points $\sim10^{-3}$ apart, and a sample with $\alpha_i$
# tiny may be in one support set and not the other. At $10^{-8}$ both sit at the optimum, where the
# support set and decision values are unique (the dual coefficients need not be; with these data
# they are).
#
# **Why not $10^{-10}$ agreement out of the box.** libsvm caches kernel values in **single
# precision** (`Qfloat` is `float`: twice the rows per megabyte). It therefore solves the dual of
# a kernel matrix rounded to $\sim6\cdot10^{-8}$ relative, whose optimum moves by up to $10^{-5}$
# in the decision values here (the linear kernel on 30 standardised features is the worst
# conditioned). Our default `cache_dtype="float64"` solves the exact problem, so we compare at the
# issue's $10^{-3}$ and report the actual gap (column max |Δ|). Switching our cache to float32
# reproduces libsvm's path **step for step** — same iteration count, same multipliers, decision
# values equal to $10^{-13}$ — once libsvm's *shrinking* (a heuristic that drops bounded multipliers
# from the working set and rebuilds the gradient later) is turned off; shrinking changes the path,
# not the solution. That check is the strongest evidence that our WSS3, clipping and bias
# are libsvm's.

# %%
TOL = 1e-8
WHY_F64 = ("ours: exact float64 kernel; libsvm: float32 kernel cache — its optimum moves ≤1.1e-5 "
           "(issue tolerance 1e-3)")  # fmt: skip
cases = [
    ("breast cancer, linear", X_bc, y_bc, {"kernel": "linear"}),
    ("breast cancer, RBF", X_bc, y_bc, {"kernel": "rbf"}),
    ("wine 2-D (3 classes), RBF", X_w2, y_w, {"kernel": "rbf", "gamma": 1.0, "C": 10.0}),
    ("wine 2-D (3 classes), poly", X_w2, y_w, {"kernel": "poly", "degree": 3, "coef0": 1.0}),
]
for name, X, y, kw in cases:
    ours, ref = SVC(tol=TOL, **kw), SkSVC(tol=TOL, **kw)
    parity.check(f"support_ (sorted set) · {name}", ours=lambda o=ours, X=X, y=y: np.sort(o.fit(X, y).support_),
                 reference=lambda r=ref, X=X, y=y: np.sort(r.fit(X, y).support_), atol=0,
                 why="unique at the optimum; exact set equality", repeat=3)  # fmt: skip
    parity.check(f"decision_function · {name}", ours=ours.decision_function(X), reference=ref.decision_function(X),
                 atol=1e-3, why=WHY_F64)  # fmt: skip
    parity.check(f"predict · {name}", ours=ours.predict(X), reference=ref.predict(X), atol=0,
                 why="same decision values, same votes")  # fmt: skip

# %% [markdown]
# Same problems with our cache in float32 against libsvm without shrinking: the path is libsvm's,
# so the tolerance is rounding ($10^{-10}$) and the iteration counts must be equal.

# %%
for name, X, y, kw in cases:
    ours = SVC(tol=TOL, cache_dtype="float32", **kw).fit(X, y)
    ref = SkSVC(tol=TOL, shrinking=False, **kw).fit(X, y)
    parity.check(f"decision_function, float32 cache · {name}", ours=ours.decision_function(X),
                 reference=ref.decision_function(X), atol=1e-10, why="same arithmetic, same path")  # fmt: skip
    parity.check(f"dual_coef_, float32 cache · {name}", ours=ours.dual_coef_, reference=ref.dual_coef_,
                 atol=1e-10, why="same multipliers step for step")  # fmt: skip
    parity.check(f"n_iter_, float32 cache · {name}", ours=ours.n_iter_, reference=ref.n_iter_, atol=0,
                 why="one SMO iteration = one libsvm iteration")  # fmt: skip

# %% [markdown]
# **LinearSVC.** The primal $\tfrac12\lVert\tilde w\rVert^2 + C\sum_i\xi_i$ is strictly convex in
# $\tilde w = (w, b)$, so `coef_` is unique whatever order the coordinates are visited in (liblinear
# shuffles with its own random generator; we use NumPy's). Both stop when the projected-gradient
# spread is below $10^{-10}$; the coefficients then agree to $\sim10^{-10}$, and we check at $10^{-8}$.

# %%
X_wine, y_wine = datasets.load_xy("wine")
X_wine = StandardScaler().fit_transform(X_wine)
for name, X, y in [("breast cancer", X_bc, y_bc), ("wine (one-vs-rest)", X_wine, y_wine)]:
    for loss in ["squared_hinge", "hinge"]:
        kw = {"loss": loss, "tol": 1e-10, "max_iter": 100_000, "random_state": 0}
        ours, ref = LinearSVC(**kw), SkLinearSVC(dual=True, **kw)
        parity.check(f"LinearSVC coef_ · {name}, {loss}", ours=lambda o=ours, X=X, y=y: o.fit(X, y).coef_,
                     reference=lambda r=ref, X=X, y=y: r.fit(X, y).coef_, atol=1e-8,
                     why="unique primal optimum; both at dual tol 1e-10", repeat=3)  # fmt: skip
        parity.check(f"LinearSVC intercept_ · {name}, {loss}", ours=ours.intercept_, reference=ref.intercept_,
                     atol=1e-8, why="penalised intercept, as liblinear")  # fmt: skip

# %% [markdown]
# ## Speed
#
# `benchmarks/bench_svm.py` fits both on 20 000 × 20 (`make_classification`, RBF, $C=1$,
# `tol=1e-3` on both); the target is ours ≤ 3 × libsvm. On a shared two-core machine: ours 4.6 s,
# libsvm 4.9 s (ratio 0.94), 6 339 vs 6 346 iterations, the same 3 724 support vectors, equal
# test accuracy and decision values within $4.5\cdot10^{-4}$ (both stop at `tol=1e-3`). There the
# kernel rows (BLAS `gemv` + `exp`) and the $O(n)$ selection and gradient sweeps dominate both.
# We do not implement libsvm's *shrinking*; it pays off when many multipliers sit at a bound for
# long — the linear kernel on breast cancer at `tol=1e-8` above (time ratio ≈ 5 in the table:
# libsvm 3 ms with shrinking, 25 ms without, ours 18 ms).

# %%
parity.table()
