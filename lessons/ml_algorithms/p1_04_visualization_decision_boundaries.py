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
# # P1.04 · Visualization of decision boundaries (with scikit-learn)
#
# A classifier of $d$ features cuts feature space into **decision regions**
# $\mathcal R_k = \{x : \hat y(x) = k\}$, one per class. The **decision boundary** is where two
# regions meet: the points at which the classifier's scores of the two best classes tie. If the
# model scores class $k$ with $f_k(x)$ (a probability, a log-odds, a vote share) and predicts
# $\hat y(x) = \arg\max_k f_k(x)$, the boundary between classes $j$ and $k$ is
#
# $$\mathcal B_{jk} = \{x : f_j(x) = f_k(x) \ge f_l(x)\ \forall l\}.$$
#
# With two features we can *see* it, and seeing it is the fastest way to understand what a model
# family can and cannot represent, how a hyper-parameter changes it, and where it is confidently
# wrong.
#
# ## The linear boundary of logistic regression
#
# Binary logistic regression models $P(y=1\mid x) = \sigma(w^\top x + b)$ with
# $\sigma(z) = 1/(1+e^{-z})$. It predicts class 1 when $P(y=1\mid x) \ge \tfrac12$. Since $\sigma$ is
# strictly increasing and $\sigma(0) = \tfrac12$,
#
# $$\sigma(w^\top x + b) \ge \tfrac12 \iff w^\top x + b \ge 0,$$
#
# so the boundary is the **hyperplane** $w^\top x + b = 0$: in two features the straight line
#
# $$w_0 x_0 + w_1 x_1 + b = 0 \quad\Longrightarrow\quad x_1 = -\frac{b + w_0 x_0}{w_1}\quad (w_1 \ne 0).$$
#
# Three facts follow from the same algebra.
#
# * $w$ is **normal** to the line, and $(w^\top x + b)/\lVert w\rVert$ is the signed distance of $x$
#   from it: the log-odds grow linearly with the distance.
# * Every probability contour $P(y=1\mid x) = c$ is the line $w^\top x + b = \operatorname{logit}(c)
#   = \log\frac{c}{1-c}$: all contours are **parallel** to the boundary, spaced
#   $\operatorname{logit}(c)/\lVert w\rVert$ apart. A large $\lVert w\rVert$ (weak penalty, large $C$)
#   packs them together — the model becomes confident fast as one leaves the boundary.
# * The 0.5-probability contour a plotting routine draws and the analytic line are the same set.
#   That is the parity check at the end of this lesson: our line against the 0.5 contour of
#   scikit-learn's fitted model.
#
# With $K > 2$ classes the multinomial model scores $z_k = w_k^\top x + b_k$ and the boundary between
# $j$ and $k$ is $(w_j - w_k)^\top x + (b_j - b_k) = 0$: every region is an intersection of half-planes,
# hence **convex**, and the boundaries are piecewise linear.
#
# ## Why other models bend
#
# * **k-nearest neighbours** predicts the majority class of the $k$ closest training points. With
#   $k=1$ the regions are unions of Voronoi cells, the boundary is made of pieces of perpendicular
#   bisectors between points of different classes — it follows every noisy point. A larger $k$
#   averages over more neighbours and smooths it (bias up, variance down).
# * **Decision trees** split on one feature at a time ($x_j \le t$), so every region is a union of
#   axis-aligned rectangles and the boundary is a **staircase**; depth decides how many steps.
# * **An RBF-kernel SVM** decides by the sign of
#   $f(x) = \sum_i \alpha_i y_i \exp(-\gamma\lVert x - x_i\rVert^2) + b$, a sum of Gaussian bumps at the
#   support vectors: its zero level set is a smooth curve, and $\gamma$ (the bump's inverse width)
#   decides how wiggly it may get.
#
# ## How the picture is made
#
# We cannot solve $f_j(x) = f_k(x)$ for an arbitrary model, so we evaluate it on a grid and let a
# contour algorithm (marching squares) trace the level set. scikit-learn's
# `DecisionBoundaryDisplay.from_estimator` takes each feature's range widened by a margin
# $\varepsilon$, $[\min_i x_{ij} - \varepsilon, \max_i x_{ij} + \varepsilon]$, $G$ evenly spaced values
# (`np.linspace`), their Cartesian product (`np.meshgrid`, $G^2$ points) and one call of the model's
# response on all of them: `decision_function` if it has one, else `predict_proba`, else `predict`
# (`response_method="auto"`). For two classes it keeps the score of `classes_[1]`; for more, one
# slice per class; `predict`'s labels become their index in `classes_`. Our
# `decision_boundary_grid` does exactly that and returns $(x_0, x_1, \text{response})$ — bit for bit
# scikit-learn's, as the parity checks below show — and `plot_decision_boundary` draws it with the
# data on top. The cost is $G^2$ predictions; the drawn line is a linear interpolation between grid
# nodes, so its position is only as fine as the grid spacing for discrete responses (`predict`).
#
# ## Pitfalls
#
# * **Two features are a slice, not the model.** A boundary in the plane of two features belongs to
#   a model *fitted on those two features*. The model on all 30 breast-cancer features has a
#   hyperplane in $\mathbb R^{30}$; plotting it on two of them would need the other 28 fixed at some
#   value, and the picture would change with that choice. The demo shows how much accuracy the
#   two-feature model gives away.
# * **Scaling matters.** kNN and RBF-SVMs measure Euclidean distances; a feature in the thousands
#   (wine's proline) drowns one below 2 (hue), and the boundary becomes a set of stripes across the
#   large feature only. Penalised logistic regression also depends on scale (the penalty
#   $\tfrac12\lVert w\rVert^2$ treats all weights alike). Standardise first, and plot in the units the
#   model saw.
# * **Extrapolation.** Outside the data the colours are pure model assumption: logistic regression
#   becomes *more* confident the farther out you go, a tree extends its last rectangle to
#   infinity, and an RBF-SVM falls back to its intercept $b$. The margin $\varepsilon$ decides how
#   much of that no-man's land you see.
# * **Hard and soft pictures differ.** `predict` shows regions only; `predict_proba` and
#   `decision_function` also show confidence, and for imbalanced data the 0.5 threshold is a choice,
#   not a law.
#
# ## References
#
# * T. Hastie, R. Tibshirani, J. Friedman, *The Elements of Statistical Learning*, 2nd ed., 2009:
#   §2.3 (linear vs nearest-neighbour boundaries, Figs. 2.1–2.3), §4.4 (logistic regression),
#   §9.2 (trees), §12.3 (kernel SVMs).
# * C. M. Bishop, *Pattern Recognition and Machine Learning*, 2006: §4.1 (discriminant functions and
#   their hyperplanes), §4.3.2 (logistic regression).
# * T. Cover, P. Hart, "Nearest neighbor pattern classification", *IEEE Trans. Inf. Theory* 13(1), 1967.
# * L. Breiman, J. Friedman, R. Olshen, C. Stone, *Classification and Regression Trees*, 1984.
# * C. Cortes, V. Vapnik, "Support-vector networks", *Machine Learning* 20, 1995.
# * scikit-learn: [`DecisionBoundaryDisplay`](https://scikit-learn.org/stable/modules/generated/sklearn.inspection.DecisionBoundaryDisplay.html)
#   and the example [*Classifier comparison*](https://scikit-learn.org/stable/auto_examples/classification/plot_classifier_comparison.html).

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from scipy.optimize import brentq
from sklearn import linear_model
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from mlweekly import datasets, parity
from mlweekly.ml_algorithms import LogisticRegression, decision_boundary_grid, plot_decision_boundary
from mlweekly.ml_algorithms import decision_boundary as db

# %% [markdown]
# ## The implementation
#
# The whole grid construction is a few lines of `mlweekly.ml_algorithms.decision_boundary._grid`:
# widen the range by `eps`, `linspace` + `meshgrid`, stack the nodes as an $(G^2, 2)$ matrix in the
# same C order as scikit-learn (so the model sees the same bytes), call the response, keep the
# positive-class column for binary probabilities and encode `predict`'s labels as class indices.

# %%
src = inspect.getsource(db._grid)
print(src[src.index("    x0, x1 ="):])

# %% [markdown]
# ## Demo 1 · breast cancer, logistic regression (ours), two standardised features
#
# `mean radius` and `mean texture` of the Wisconsin breast-cancer data, standardised to mean 0 and
# standard deviation 1. Class 1 is *benign*. Left: $P(\text{benign}\mid x)$ with its 0.5 contour (solid)
# and the analytic line $w^\top x + b = 0$ (dashed, white) on top of it; right: the log-odds
# $w^\top x + b$ itself, a plane whose zero level is the same line.

# %%
bc = datasets.load("breast_cancer")
bc_features = ["mean radius", "mean texture"]
scaler = StandardScaler().fit(bc.data[bc_features].to_numpy())
Xb = scaler.transform(bc.data[bc_features].to_numpy())
yb = bc.target.to_numpy()
bc_names = [f"{f} (standardised)" for f in bc_features]

ours_lr = LogisticRegression(C=1.0, tol=1e-10, max_iter=100).fit(Xb, yb)
w, b = ours_lr.coef_[0], ours_lr.intercept_[0]
print(f"w = {w}, b = {b:.6f}; boundary: x1 = -({b:.4f} + {w[0]:.4f}·x0) / {w[1]:.4f}")

fig, axes = plt.subplots(1, 2, figsize=(12, 5), constrained_layout=True)
for ax, method in zip(axes, ["predict_proba", "decision_function"], strict=True):
    plot_decision_boundary(ours_lr, Xb, yb, ax=ax, response_method=method, grid_resolution=200,
                           feature_names=bc_names, class_names=list(bc.target_names))
    x0 = np.linspace(*ax.get_xlim(), 2)
    ax.plot(x0, -(b + w[0] * x0) / w[1], "w--", lw=1.5)
    ax.set_title(f"ours: LogisticRegression, {method}")
plt.show()

# %% [markdown]
# **Pitfall 1 in numbers.** The two-feature model is a different model from the one on all 30
# features; its picture says nothing about the latter.

# %%
cv2 = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), bc.data[bc_features], yb, cv=5)
cv30 = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), bc.data, yb, cv=5)
print(f"5-fold accuracy, 2 features: {cv2.mean():.3f}   all 30 features: {cv30.mean():.3f}")

# %% [markdown]
# ## Demo 2 · iris petals: one linear and five non-linear boundaries
#
# Petal length and width (cm) separate the three iris species almost perfectly. Our multinomial
# logistic regression gives convex regions with straight boundaries; 1-NN follows every point,
# 15-NN smooths; a depth-3 tree draws a three-step staircase, an unlimited tree isolates single
# points; the RBF-SVM bends smoothly.

# %%
iris = datasets.load("iris")
iris_features = ["petal length (cm)", "petal width (cm)"]
Xi = iris.data[iris_features].to_numpy()
yi = iris.target.to_numpy()

iris_models = {  # key: (title, model)
    "lr": ("ours: LogisticRegression (C=1)", LogisticRegression(C=1.0, tol=1e-10)),
    "knn1": ("kNN, k=1", KNeighborsClassifier(n_neighbors=1)),
    "knn15": ("kNN, k=15", KNeighborsClassifier(n_neighbors=15)),
    "tree3": ("tree, max_depth=3", DecisionTreeClassifier(max_depth=3, random_state=0)),
    "tree": ("tree, unlimited depth", DecisionTreeClassifier(random_state=0)),
    "svc": ("SVC, RBF (γ=1, C=1)", SVC(kernel="rbf", gamma=1.0, C=1.0)),
}
fig, axes = plt.subplots(2, 3, figsize=(15, 9), constrained_layout=True)
for ax, (title, model) in zip(axes.ravel(), iris_models.values(), strict=True):
    model.fit(Xi, yi)
    plot_decision_boundary(model, Xi, yi, ax=ax, grid_resolution=250, eps=0.5,
                           feature_names=iris_features, class_names=list(iris.target_names))
    ax.set_title(f"{title} — train acc {model.score(Xi, yi):.3f}")
plt.show()

# %% [markdown]
# ## Demo 3 · scaling: wine, kNN on raw vs standardised features
#
# `proline` runs from 278 to 1680, `hue` from 0.48 to 1.71. On raw features the distance is
# essentially $|\Delta\text{proline}|$: the boundary is a set of vertical stripes and hue is ignored.
# After standardising, both features count. (The right panel is drawn in standardised units, the
# units that model sees.)

# %%
wine = datasets.load("wine")
wine_features = ["proline", "hue"]
Xw = wine.data[wine_features].to_numpy()
yw = wine.target.to_numpy()
Xw_std = StandardScaler().fit_transform(Xw)

fig, axes = plt.subplots(1, 2, figsize=(13, 5), constrained_layout=True)
cv_models = {  # scaling inside the pipeline, so each CV fold standardises with its own training part
    "raw": KNeighborsClassifier(n_neighbors=5),
    "standardised": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5)),
}
for ax, (X_, units) in zip(axes, [(Xw, "raw"), (Xw_std, "standardised")], strict=True):
    knn = KNeighborsClassifier(n_neighbors=5).fit(X_, yw)
    cv = cross_val_score(cv_models[units], Xw, yw, cv=5).mean()
    plot_decision_boundary(knn, X_, yw, ax=ax, response_method="predict", grid_resolution=250, eps=0.1,
                           feature_names=[f"{f} ({units})" for f in wine_features])
    ax.set_title(f"5-NN on {units} features — 5-fold acc {cv:.3f}")
plt.show()

# %% [markdown]
# ## Demo 4 · extrapolation: what models claim far from the data
#
# The same standardised breast-cancer features with a wide margin ($\varepsilon = 4$). Logistic
# regression becomes certain (probability 0 or 1) far from the data, the tree keeps its outermost
# rectangles forever, and the RBF-SVM's decision function decays to its intercept away from every
# support vector — none of this is supported by data.

# %%
bc_models = {  # key: (title, fitted model, response drawn)
    "lr": ("ours: LogisticRegression, P(benign)", ours_lr, "predict_proba"),
    "tree": ("tree (max_depth=4), P(benign)",
             DecisionTreeClassifier(max_depth=4, random_state=0).fit(Xb, yb), "predict_proba"),
    "svc": ("SVC RBF (γ=1), decision function", SVC(gamma=1.0).fit(Xb, yb), "decision_function"),
}
fig, axes = plt.subplots(1, 3, figsize=(17, 5), constrained_layout=True)
for ax, (title, model, method) in zip(axes, bc_models.values(), strict=True):
    plot_decision_boundary(model, Xb, yb, ax=ax, eps=4.0, grid_resolution=200, feature_names=bc_names,
                           class_names=list(bc.target_names), response_method=method)
    ax.set_title(title)
plt.show()
print(f"SVC intercept b = {bc_models['svc'][1].intercept_[0]:.3f}")

# %% [markdown]
# ## Parity checks
#
# ### 1 · Grid and response vs `DecisionBoundaryDisplay.from_estimator`
#
# For each estimator and response method, ours is `decision_boundary_grid(...)` and the reference
# is the `xx0`, `xx1`, `response` attributes of scikit-learn's display on the same fitted model and
# data, compared as one concatenated vector. Tolerance: **exact** (`atol=0`). Both build the grid
# with the same NumPy calls in the same order and hand the model the same C-ordered matrix, so any
# difference would be a bug (a different range, ordering, column or class encoding), not rounding.
# Our estimator is among them: it goes through scikit-learn's display unchanged, as any estimator
# with the scikit-learn contract does. The reference's time includes drawing the contour plot
# (into an off-screen figure), so the time ratio flatters us.

# %%
def triple(xx0, xx1, response):
    return np.concatenate([xx0.ravel(), xx1.ravel(), np.ravel(response)])


def reference_grid(model, X, **kw):
    disp = DecisionBoundaryDisplay.from_estimator(model, X, ax=Figure().subplots(), **kw)
    return triple(disp.xx0, disp.xx1, disp.response)


knn15_bc = KNeighborsClassifier(n_neighbors=15).fit(Xb, yb)
cases = [  # (data set, fitted model, X, response methods)
    ("iris", iris_models["lr"][1], Xi, ["auto", "predict", "predict_proba", "decision_function"]),
    ("iris", iris_models["knn15"][1], Xi, ["predict", "predict_proba"]),
    ("iris", iris_models["tree3"][1], Xi, ["predict", "predict_proba"]),
    ("iris", iris_models["svc"][1], Xi, ["auto", "predict", "decision_function"]),
    ("breast_cancer", ours_lr, Xb, ["predict", "predict_proba", "decision_function"]),
    ("breast_cancer", knn15_bc, Xb, ["predict", "predict_proba"]),
    ("breast_cancer", bc_models["tree"][1], Xb, ["predict_proba"]),
    ("breast_cancer", bc_models["svc"][1], Xb, ["predict", "decision_function"]),
]
for data_name, model, X_, methods in cases:
    for method in methods:
        parity.check(
            f"grid+response, {type(model).__name__} ({data_name}), {method}",
            ours=lambda m=model, X_=X_, r=method: triple(*decision_boundary_grid(m, X_, response_method=r)),
            reference=lambda m=model, X_=X_, r=method: reference_grid(m, X_, response_method=r),
            atol=0.0,
            why="same NumPy grid, same matrix, same model call: bitwise identical",
        )

# non-default grid size and margin: the parameters reach the grid the same way
parity.check(
    "grid+response, SVC (iris), predict, grid_resolution=57, eps=0.3",
    ours=lambda: triple(*decision_boundary_grid(iris_models["svc"][1], Xi, grid_resolution=57, eps=0.3,
                                                response_method="predict")),
    reference=lambda: reference_grid(iris_models["svc"][1], Xi, grid_resolution=57, eps=0.3,
                                     response_method="predict"),
    atol=0.0,
    why="same NumPy grid, same matrix, same model call: bitwise identical",
)

# %% [markdown]
# ### 2 · Our analytic boundary line vs scikit-learn's 0.5-probability contour
#
# Ours: the line $w^\top x + b = 0$ of **our** `LogisticRegression` (Newton, `tol=1e-10`), solved
# for the coordinate with the larger $|w_j|$ (here $x_0$, mean radius; the line is steep, and solving
# for $x_1$ would divide by the small $w_1$ and amplify every error) at 41 values of the other
# coordinate spanning the plotted window. Reference: scikit-learn's `LogisticRegression` fitted with
# the same $C=1$, `tol=1e-10`, treated as a black box — at each of those values we find where its
# `predict_proba` equals exactly 0.5 by Brent's root finder (`xtol=1e-13`), i.e. its exact
# 0.5-contour, not the interpolated contour a plot draws.
#
# Tolerance `atol=1e-7` (standardised units). Both fits stop when the largest entry of the
# mean-scaled gradient is below $10^{-10}$, so $\lVert\nabla f\rVert_2 \le \sqrt3\cdot10^{-10}$; the
# objective's Hessian has smallest eigenvalue $\lambda_{\min}\approx 0.019$ here (printed below), so
# each side's parameters $\theta = (w_0, w_1, b)$ lie within
# $\lVert\delta\theta\rVert \le \sqrt3\cdot10^{-10}/\lambda_{\min} \approx 9\cdot10^{-9}$ of the optimum,
# and the boundary point $x_0 = -(b + w_1 x_1)/w_0$ moves by at most
# $\lVert\delta\theta\rVert\,(1 + |x_0| + |x_1|)/|w_0| \approx 9\cdot10^{-9}\cdot 8/3.3 \approx 2\cdot10^{-8}$
# per side inside the window; Brent's root adds $10^{-13}$. Both callables fit their model, so the
# time ratio compares fit + closed form with fit + 41 root searches.

# %%
sk_lr = linear_model.LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000)
sk_lr.fit(Xb, yb)
j = int(np.argmax(np.abs(w)))  # solve for this coordinate
k = 1 - j
free = np.linspace(Xb[:, k].min() - 1, Xb[:, k].max() + 1, 41)  # the plotted window of the other one


def ours_line():
    fit = LogisticRegression(C=1.0, tol=1e-10).fit(Xb, yb)
    w_, b_ = fit.coef_[0], fit.intercept_[0]
    return -(b_ + w_[k] * free) / w_[j]


def sklearn_half_contour():
    fit = linear_model.LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(Xb, yb)

    def at(t, s):
        x = np.empty((1, 2))
        x[0, k], x[0, j] = t, s
        return fit.predict_proba(x)[0, 1] - 0.5

    return np.array([brentq(lambda s, t=t: at(t, s), -100, 100, xtol=1e-13) for t in free])


p = sk_lr.predict_proba(Xb)[:, 1]
Xt = np.c_[Xb, np.ones(len(Xb))]
hess = (Xt * (p * (1 - p))[:, None]).T @ Xt / len(Xb) + np.diag([1.0, 1.0, 0.0]) / len(Xb)
print(f"smallest Hessian eigenvalue: {np.linalg.eigvalsh(hess)[0]:.4f}; |w_j| = {abs(w[j]):.3f}; "
      f"solving for {bc_features[j]!r}")
parity.check(
    "boundary line wᵀx+b=0 (ours) vs P=0.5 contour of sklearn LogisticRegression (breast_cancer)",
    ours=ours_line,
    reference=sklearn_half_contour,
    atol=1e-7,
    why="both fits to gradient 1e-10; λ_min≈0.019 bounds the boundary shift by ≈2e-8 per side; Brent xtol 1e-13",
)

# %% [markdown]
# What a plot actually draws is matplotlib's contour of the gridded probabilities, linear
# interpolation between grid nodes. How far is that drawn line from the exact one? (Not a parity
# check: it measures the picture's resolution, which depends on the grid size.)

# %%
for G in (50, 200):
    xx0, xx1, P = decision_boundary_grid(sk_lr, Xb, grid_resolution=G, response_method="predict_proba")
    verts = np.concatenate([path.vertices for path in Figure().subplots().contour(xx0, xx1, P, levels=[0.5]).get_paths()])
    dist = np.abs(verts @ w + b) / np.linalg.norm(w)
    print(f"G={G:3d}: grid step {xx0[0, 1] - xx0[0, 0]:.3f}, drawn 0.5 contour within {dist.max():.2e} of the line")

# %%
parity.table()
