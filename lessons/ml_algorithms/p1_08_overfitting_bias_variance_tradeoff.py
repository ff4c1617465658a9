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
# # P1.08 · Overfitting and the bias–variance trade-off
#
# A model fitted to one training set is one draw from a distribution: another sample of the same
# size from the same population would give another model. Its test error has two sources besides
# the noise nobody can predict — how far the *average* model is from the truth (**bias**) and how
# much the model moves from one training set to the next (**variance**). Flexible models have low
# bias and high variance (they **overfit**: they learn the noise of their sample), rigid models the
# reverse (they **underfit**). This lesson derives the decomposition, estimates its terms by
# bootstrap, and reads them off learning and validation curves.
#
# ## The decomposition of the squared error
#
# Let $y = f(x) + \varepsilon$ with $\mathbb E[\varepsilon] = 0$, $\operatorname{Var}(\varepsilon) =
# \sigma^2$, noise independent of the training set $D$. Fit $\hat f_D$ on $D$ and predict at a fixed
# $x$; write $\bar f(x) = \mathbb E_D[\hat f_D(x)]$ for the average prediction over training sets.
# Then
#
# $$\mathbb E_{D,\varepsilon}\bigl[(y - \hat f_D(x))^2\bigr]
#   = \underbrace{\sigma^2}_{\text{noise}}
#   + \underbrace{\bigl(f(x) - \bar f(x)\bigr)^2}_{\text{bias}^2}
#   + \underbrace{\mathbb E_D\bigl[(\hat f_D(x) - \bar f(x))^2\bigr]}_{\text{variance}} .$$
#
# *Derivation.* Add and subtract $f(x)$ and $\bar f(x)$:
# $y - \hat f_D = \varepsilon + (f - \bar f) + (\bar f - \hat f_D)$. Square and take expectations.
# The three cross terms vanish: $\mathbb E[\varepsilon] = 0$ and $\varepsilon$ is independent of
# $D$, which kills the two terms containing $\varepsilon$; and $(f - \bar f)$ is a constant while
# $\mathbb E_D[\bar f - \hat f_D] = 0$ by the definition of $\bar f$. Only the three squares
# remain. $\square$ Averaging over test points $x$ gives the same identity for the expected test MSE.
#
# The same algebra with the observed target $y$ in place of $f(x)$ (no $\varepsilon$ split off)
# gives the *empirical* identity used below: for predictions $p_1..p_B$ of $B$ models and their
# mean $\bar p$,
#
# $$\frac1B\sum_b (y - p_b)^2 = (y - \bar p)^2 + \frac1B\sum_b (p_b - \bar p)^2 ,$$
#
# exactly, because $\sum_b (p_b - \bar p) = 0$. When $y$ is a noisy observation, the "bias²" term
# $(y-\bar p)^2$ contains the noise $\sigma^2$ too: that is how mlxtend reports it, and how
# `bias_variance_decomp` reports it here (same function, same numbers).
#
# ## Estimating the terms: the bootstrap
#
# We have one training set, not the population. Bootstrap samples (draw $n$ rows with replacement,
# Efron 1979) stand in for "other training sets of the same size": fit one model per sample,
# predict the test set, and compute the terms from the $B \times n_{\text{test}}$ prediction
# matrix. Bootstrap samples contain only about 63 % distinct rows, so the variance is that of
# models trained on slightly less information — an estimate, not the truth.
#
# ## The 0–1 loss (Domingos 2000)
#
# For classification, the **main prediction** is the mode $y_m(x)$ of the $B$ predicted labels;
# **bias** $B(x) = [y_m(x) \ne y]$; **variance** $V(x) = P_D(\hat y_D(x) \ne y_m(x))$. These do not
# add up to the loss. For two classes and a noise-free target:
#
# * where the main prediction is right ($B = 0$), every deviation from it is an error: $L = V$;
# * where it is wrong ($B = 1$), every deviation from it is a *correction*: $L = 1 - V$.
#
# So $L(x) = B(x) + (1 - 2B(x))\,V(x)$: variance **adds** error on unbiased points and
# **subtracts** it on biased ones. Averaged, $\bar L = \bar B + V_u - V_b$ (the "net variance"),
# which is why a high-variance ensemble member can be less wrong than a stable, biased one, and
# why bagging (P1.09) helps unstable classifiers. With more classes $L = 1 - V$ no longer holds on
# biased points (a deviation may land on a third, also wrong, class): Domingos' coefficient becomes
# $-P(\hat y = y \mid \hat y \ne y_m)$.
#
# ## Under- and overfitting, and how to see them
#
# * **Complexity sweep** (validation curve): training error falls monotonically with capacity;
#   test error is U-shaped — bias dominates on the left, variance on the right. Choose the
#   complexity at the bottom of the *cross-validated* curve.
# * **Learning curve** (error against training-set size): an underfitting (high-bias) model has
#   training and test errors that meet quickly at a *high* plateau — more data will not help, a
#   more flexible model will. An overfitting (high-variance) model has a large gap between a low
#   training error and the test error that closes slowly as data is added — more data, a simpler
#   model, or regularisation will help.
# * The classic U is not the whole story: heavily over-parameterised models (interpolating
#   networks, boosted ensembles) can show "double descent" (Belkin et al., 2019); the
#   decomposition still holds, but variance need not grow monotonically with parameter count.
#
# ## Pitfalls
#
# * **Bias and variance are properties of a learning procedure on a population**, not of one
#   fitted model; a bootstrap estimate depends on the training-set size and on how the test
#   points are chosen.
# * **Report the noise separately only when you know it.** With observed targets, the bias term
#   includes $\sigma^2$ (the diabetes numbers below: most of the "bias²" is noise).
# * **Tuning on the test set** turns the validation curve into optimistic bias; use
#   cross-validation for the choice and a held-out set for the final number.
# * **Scale before polynomial features**: raw powers of a feature in the hundreds are numerically
#   ill-conditioned; standardise $x$ first (done below).
# * **Learning curves need shuffled prefixes** when the data is ordered (by class, by time):
#   `shuffle=True`.
#
# ## References
#
# * S. Geman, E. Bienenstock, R. Doursat, "Neural networks and the bias/variance dilemma",
#   *Neural Computation* 4 (1992) 1–58.
# * T. Hastie, R. Tibshirani, J. Friedman, *The Elements of Statistical Learning*, 2nd ed. (2009),
#   §2.9 and §7.2–7.3 (the decomposition, ridge and k-NN examples).
# * P. Domingos, "A unified bias-variance decomposition and its applications", *ICML* 2000, 231–238.
# * R. Kohavi, D. Wolpert, "Bias plus variance decomposition for zero-one loss functions",
#   *ICML* 1996.
# * B. Efron, "Bootstrap methods: another look at the jackknife", *Ann. Statist.* 7 (1979) 1–26.
# * M. Belkin, D. Hsu, S. Ma, S. Mandal, "Reconciling modern machine-learning practice and the
#   classical bias–variance trade-off", *PNAS* 116 (2019) 15849–15854.
# * S. Raschka, mlxtend `bias_variance_decomp` (the reference implementation checked below).

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
from mlxtend.evaluate import bias_variance_decomp as mlxtend_decomp
from sklearn import model_selection as skms
from sklearn.model_selection import KFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from mlweekly import datasets, parity
from mlweekly.ml_algorithms import LinearRegression, bias_variance_decomp, learning_curve, validation_curve
from mlweekly.ml_algorithms import bias_variance as bv

# %% [markdown]
# ## The implementation
#
# `bias_variance_decomp` (same signature, defaults and return values as mlxtend's) is two steps:
# fit clones on bootstrap samples and collect the prediction matrix, then split its loss per test
# point. The bootstrap indices come from `RandomState(seed).randint(0, n, n)` — the very stream
# mlxtend's `rng.choice(np.arange(n), n, replace=True)` draws, so with the same seed both fit the
# same models.

# %%
print(inspect.getsource(bv.decompose).split('"""')[2])

# %% [markdown]
# `learning_curve` and `validation_curve` are a double loop — over the splits of a
# scikit-learn splitter, then over training sizes or parameter values — of *clone, fit, score on
# the training part, score on the test fold*; the splitting and the scorer are scikit-learn's.
#
# ## Demo 1 · the three terms on a known truth
#
# To see the noise separately we need to know $f$. Take $f(x) = \sin(2\pi x)$ on $[0, 1]$,
# $\sigma = 0.3$, 40 training points, and fit polynomials of degree 1–12 (our `LinearRegression`
# on standardised polynomial features). Passing the *noise-free* $f(x_{\text{test}})$ as targets
# makes the bias term the true bias²; the noise $\sigma^2$ is added back for the expected error on
# noisy targets, which we also estimate directly.

# %%
rng = np.random.default_rng(0)
sigma, n_train = 0.3, 40
x_tr = rng.uniform(0, 1, (n_train, 1))
y_tr = np.sin(2 * np.pi * x_tr[:, 0]) + rng.normal(0, sigma, n_train)
x_te = np.linspace(0.02, 0.98, 200)[:, None]
f_te = np.sin(2 * np.pi * x_te[:, 0])
y_te = f_te + rng.normal(0, sigma, x_te.shape[0])


def poly(degree):
    return make_pipeline(PolynomialFeatures(degree, include_bias=False), StandardScaler(), LinearRegression())


degrees = np.arange(1, 13)
syn = np.array([bias_variance_decomp(poly(d), x_tr, y_tr, x_te, f_te, loss="mse", num_rounds=60, random_seed=0) for d in degrees])
syn_noisy = np.array([bias_variance_decomp(poly(d), x_tr, y_tr, x_te, y_te, loss="mse", num_rounds=60, random_seed=0)[0] for d in degrees])

fig, axes = plt.subplots(1, 2, figsize=(13, 4.6), constrained_layout=True)
axes[0].plot(degrees, syn[:, 1], "o-", label="bias² (vs the true f)")
axes[0].plot(degrees, syn[:, 2], "s-", label="variance")
axes[0].axhline(sigma**2, color="grey", ls=":", label="noise σ² = 0.09")
axes[0].plot(degrees, syn[:, 1] + syn[:, 2] + sigma**2, "k-", lw=2, label="bias² + variance + σ²")
axes[0].plot(degrees, syn_noisy, "x", color="tab:red", ms=9, label="measured error on noisy test targets")
axes[0].set(yscale="log", xlabel="polynomial degree", ylabel="squared error", title="sin(2πx) + noise, n = 40")
axes[0].legend(fontsize=8)
for d, color in [(1, "tab:blue"), (4, "tab:green"), (12, "tab:red")]:
    P = bv.bootstrap_predictions(poly(d), x_tr, y_tr, x_te, num_rounds=20, random_seed=0)
    axes[1].plot(x_te[:, 0], P.T, color=color, alpha=0.15, lw=0.8)
    axes[1].plot(x_te[:, 0], P.mean(axis=0), color=color, lw=2.5, label=f"degree {d}: mean of 20 bootstrap fits")
axes[1].plot(x_te[:, 0], f_te, "k--", lw=1.5, label="true f")
axes[1].scatter(x_tr[:, 0], y_tr, color="k", s=12, zorder=3)
axes[1].set(ylim=(-2, 2), xlabel="x", title="underfit (bias), about right, overfit (variance)")
axes[1].legend(fontsize=8, loc="lower left")
plt.show()
print("degree with the lowest bias² + variance:", degrees[np.argmin(syn[:, 1] + syn[:, 2])])

# %% [markdown]
# The red crosses (error measured on noisy targets) sit on the black line (sum of the three
# terms estimated separately): the decomposition, numerically. The bias² falls more than tenfold
# from degree 2 to 3 (a cubic can bend like one period of a sine) and then stays flat; the
# variance grows with the degree, slowly at first and explosively beyond degree 10, once the
# polynomial has the freedom to chase individual points (the red fan on the right). At degrees
# 11–12 even the *mean* fit goes astray near the edges, so bias² rises too.
#
# ## Demo 2 · polynomial degree on real data (diabetes, BMI)
#
# Disease progression against body-mass index, 442 patients, a random third held out. The
# targets are noisy (most of the variation is not explained by BMI), so here "bias²" includes
# that noise.

# %%
X_dia, y_dia = datasets.load_xy("diabetes")
bmi = X_dia[:, [datasets.load("diabetes").feature_names.index("bmi")]]
b_tr, b_te, yb_tr, yb_te = train_test_split(bmi, y_dia, test_size=1 / 3, random_state=0)
dia_degrees = np.arange(1, 11)
dia = np.array([bias_variance_decomp(poly(d), b_tr, yb_tr, b_te, yb_te, loss="mse", num_rounds=100, random_seed=0) for d in dia_degrees])

fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), constrained_layout=True)
axes[0].plot(dia_degrees, dia[:, 0], "ko-", label="expected loss")
axes[0].plot(dia_degrees, dia[:, 1], "o-", label="bias² (incl. noise)")
axes[0].set(xlabel="polynomial degree", ylabel="MSE", title="diabetes: progression ~ poly(BMI)")
ax_var = axes[0].twinx()
ax_var.plot(dia_degrees, dia[:, 2], "s-", color="tab:orange", label="variance (right axis)")
axes[0].legend(loc="upper left")
ax_var.legend(loc="upper center")
grid = np.linspace(bmi.min(), bmi.max(), 200)[:, None]
axes[1].scatter(b_tr[:, 0], yb_tr, s=8, color="grey", alpha=0.6)
for d in (1, 3, 10):
    axes[1].plot(grid[:, 0], poly(d).fit(b_tr, yb_tr).predict(grid), lw=2, label=f"degree {d}")
axes[1].set(xlabel="BMI (standardised by the data set)", ylabel="progression", ylim=(0, 360))
axes[1].legend()
plt.show()
print("degree, expected loss, bias², variance:\n", np.column_stack([dia_degrees, dia]).round(1))

# %% [markdown]
# Bias² hardly moves with the degree (≈ 3 950, nearly all of it noise: BMI alone explains little
# of the progression), while the variance grows steadily and explodes beyond degree 8, where the
# polynomial's tails chase the few extreme-BMI patients of each bootstrap sample. The straight
# line has the lowest expected loss: on noisy data the right complexity is small.
#
# ## Demo 3 · tree depth (California housing)
#
# Regression trees of increasing depth on 3 000 training districts (8 features), tested on 2 000
# others. A depth-$t$ tree has up to $2^t$ leaves: shallow trees are biased step functions, deep
# ones memorise their bootstrap sample.

# %%
X_cal, y_cal = datasets.load_xy("california_housing", dropna=True)
y_cal = y_cal / 1e5  # in units of $100 000
c_tr, c_te, yc_tr, yc_te = train_test_split(X_cal, y_cal, train_size=3000, test_size=2000, random_state=0)
depths = np.arange(1, 16)
cal = np.array([bias_variance_decomp(DecisionTreeRegressor(max_depth=int(t), random_state=0), c_tr, yc_tr, c_te, yc_te, loss="mse", num_rounds=40, random_seed=0) for t in depths])

fig, ax = plt.subplots(figsize=(8, 4.5), constrained_layout=True)
ax.plot(depths, cal[:, 0], "ko-", lw=2, label="expected loss")
ax.plot(depths, cal[:, 1], "o-", label="bias² (incl. noise)")
ax.plot(depths, cal[:, 2], "s-", label="variance")
best = depths[np.argmin(cal[:, 0])]
ax.axvline(best, color="grey", ls=":", label=f"minimum at depth {best}")
ax.set(xlabel="max_depth", ylabel="squared error (in ($100k)²)", title="California housing: the trade-off in one picture")
ax.legend()
plt.show()

# %% [markdown]
# ## Demo 4 · 0–1 loss: trees on breast cancer
#
# Classification trees of increasing depth; the decomposition of the 0–1 loss does not add up,
# but Domingos' form with the *net* variance does (two classes, and we use the test labels as the
# "noise-free" truth).

# %%
X_bc, y_bc = datasets.load_xy("breast_cancer")
k_tr, k_te, yk_tr, yk_te = train_test_split(X_bc, y_bc, test_size=0.4, random_state=0, stratify=y_bc)
rows = []
for t in range(1, 9):
    P = bv.bootstrap_predictions(DecisionTreeClassifier(max_depth=t, random_state=0), k_tr, yk_tr, k_te, num_rounds=60, random_seed=0)
    terms = bv.decompose(P, yk_te, "0-1_loss")
    biased = terms.bias == 1
    v_u = terms.variance[~biased].sum() / len(yk_te)
    v_b = terms.variance[biased].sum() / len(yk_te)
    rows.append((t, terms.expected_loss.mean(), terms.bias.mean(), terms.variance.mean(), v_u, v_b))
rows = np.array(rows)
print(" depth   loss    bias    var     V_u     V_b   bias+var  bias+V_u-V_b")
for t, L, B, V, vu, vb in rows:
    print(f"{t:5.0f}  {L:.4f}  {B:.4f}  {V:.4f}  {vu:.4f}  {vb:.4f}  {B + V:.4f}    {B + vu - vb:.4f}")

fig, ax = plt.subplots(figsize=(8, 4.2), constrained_layout=True)
ax.plot(rows[:, 0], rows[:, 1], "ko-", lw=2, label="expected 0–1 loss")
ax.plot(rows[:, 0], rows[:, 2], "o-", label="bias (majority vote wrong)")
ax.plot(rows[:, 0], rows[:, 3], "s-", label="variance P(ŷ ≠ main)")
ax.plot(rows[:, 0], rows[:, 2] + rows[:, 3], "--", color="grey", label="bias + variance (≠ loss)")
ax.set(xlabel="max_depth", ylabel="rate", title="breast cancer: 0–1 loss of classification trees")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# The last column reproduces the loss exactly; bias + variance overshoots it by $2V_b$. Depth 1–3
# trees are biased (a majority vote that misses 7–8 % of the test tumours), deeper ones cut the
# bias to 5.7 % but add variance; on the biased points variance *helps* (the $V_b$ column), and the
# loss is flat from depth 3 on.
#
# ## Learning curves: diagnosing bias and variance (California housing)
#
# A depth-2 tree (high bias) against an unlimited tree (high variance), $R^2$ with 5-fold
# cross-validation on 6 000 shuffled districts.

# %%
Xl, yl = X_cal[:6000], y_cal[:6000]
cv5 = KFold(5, shuffle=True, random_state=0)
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), constrained_layout=True, sharey=True)
curves = {}
for ax, depth in zip(axes, (2, None), strict=True):
    est = DecisionTreeRegressor(max_depth=depth, random_state=0)
    sizes, tr, te = learning_curve(est, Xl, yl, train_sizes=np.linspace(0.05, 1.0, 8), cv=cv5, scoring="r2")
    curves[depth] = (est, sizes, tr, te)
    for scores, label, color in [(tr, "training", "tab:blue"), (te, "cross-validated", "tab:orange")]:
        m, s = scores.mean(axis=1), scores.std(axis=1)
        ax.plot(sizes, m, "o-", color=color, label=label)
        ax.fill_between(sizes, m - s, m + s, color=color, alpha=0.2)
    ax.set(xlabel="training samples", title=f"max_depth={depth}: " + ("high bias" if depth else "high variance"))
    ax.legend(loc="lower right")
axes[0].set_ylabel("R²")
plt.show()
for depth, (_, sizes, tr, te) in curves.items():
    print(f"max_depth={depth}: at {sizes[0]} samples train R² {tr[0].mean():.3f}, CV R² {te[0].mean():.3f}; "
          f"at {sizes[-1]}: train {tr[-1].mean():.3f}, CV {te[-1].mean():.3f}")

# %% [markdown]
# Left: the two curves meet early at $R^2 \approx 0.45$ — more data will not help, the model is
# too simple. Right: perfect training fit, a wide gap that narrows slowly — variance; more data
# helps, and so would limiting the depth, which the validation curve chooses.
#
# ## Validation curve: choosing the depth

# %%
vc_depths = np.arange(1, 21)
vc_est = DecisionTreeRegressor(random_state=0)
vc_train, vc_test = validation_curve(vc_est, Xl, yl, param_name="max_depth", param_range=vc_depths, cv=cv5, scoring="r2")
fig, ax = plt.subplots(figsize=(8, 4.5), constrained_layout=True)
for scores, label in [(vc_train, "training"), (vc_test, "cross-validated")]:
    m, s = scores.mean(axis=1), scores.std(axis=1)
    ax.plot(vc_depths, m, "o-", label=label)
    ax.fill_between(vc_depths, m - s, m + s, alpha=0.2)
best_depth = vc_depths[np.argmax(vc_test.mean(axis=1))]
ax.axvline(best_depth, color="grey", ls=":", label=f"best depth {best_depth}")
ax.set(xlabel="max_depth", ylabel="R²", title="validation curve: underfit ← → overfit")
ax.legend()
plt.show()

# %% [markdown]
# ## Parity checks
#
# * **`bias_variance_decomp` against mlxtend**: same seed, so the same bootstrap samples, the
#   same fitted models and the same prediction matrix; the two differ only in the order of the
#   final sums (mlxtend averages per round with `apply_along_axis`, we per test point), so we ask
#   `rtol = 1e-12` — rounding of sums of a few hundred terms.
# * **`learning_curve` / `validation_curve` against scikit-learn** with the same splitter object
#   and scorer: the same clones are fitted on the same rows, so the arrays must be identical; we
#   ask `atol = 1e-12`.
# * **The empirical identity** loss = bias² + variance (squared loss) must hold to rounding.

# %%
def check_decomp(name, est, data, loss, rounds):
    """Three checks: expected loss (timed), bias and variance against mlxtend with the same seed."""
    why = "same seed -> same bootstrap samples and fits; only the order of the final sums differs"
    out = {}

    def run(side, fn):
        out[side] = fn(est, *data, loss=loss, num_rounds=rounds, random_seed=123)
        return out[side][0]

    rec = parity.check(f"{name}: avg expected loss ({loss})", ours=lambda: run("ours", bias_variance_decomp), reference=lambda: run("ref", mlxtend_decomp), rtol=1e-12, why=why)
    a, b = out["ours"], out["ref"]
    parity.check(f"{name}: avg bias ({loss})", ours=a[1], reference=b[1], rtol=1e-12, why=why)
    parity.check(f"{name}: avg variance ({loss})", ours=a[2], reference=b[2], rtol=1e-12, why=why)
    return rec


check_decomp("poly(BMI) degree 3, diabetes", poly(3), (b_tr, yb_tr, b_te, yb_te), "mse", 100)
check_decomp("poly(BMI) degree 9, diabetes", poly(9), (b_tr, yb_tr, b_te, yb_te), "mse", 100)
check_decomp("tree depth 6, California", DecisionTreeRegressor(max_depth=6, random_state=0), (c_tr, yc_tr, c_te, yc_te), "mse", 30)
check_decomp("tree depth 3, breast cancer", DecisionTreeClassifier(max_depth=3, random_state=0), (k_tr, yk_tr, k_te, yk_te), "0-1_loss", 100)
X_dig, y_dig = datasets.load_xy("digits")
d_tr, d_te, yd_tr, yd_te = train_test_split(X_dig, y_dig, test_size=0.3, random_state=0)
check_decomp("tree depth 8, digits (10 classes)", DecisionTreeClassifier(max_depth=8, random_state=0), (d_tr, yd_tr, d_te, yd_te), "0-1_loss", 50)

parity.check("identity: loss = bias² + variance (synthetic, 12 degrees)", ours=syn[:, 1] + syn[:, 2], reference=syn[:, 0], rtol=1e-12, why="Σ_b (p_b - p̄) = 0 kills the cross term; rounding only")

for depth, (est, sizes, tr, te) in curves.items():
    kw = dict(train_sizes=np.linspace(0.05, 1.0, 8), cv=cv5, scoring="r2")
    sk_sizes, sk_tr, sk_te = skms.learning_curve(est, Xl, yl, **kw)
    why = "same KFold splits, same clones, same r2 scorer"
    parity.check(f"learning_curve train_sizes_abs (depth {depth})", ours=sizes, reference=sk_sizes, atol=0, why="same fractions of the same fold size")
    parity.check(f"learning_curve train_scores (depth {depth})", ours=tr, reference=sk_tr, atol=1e-12, why=why)
    parity.check(f"learning_curve test_scores (depth {depth})", ours=te, reference=sk_te, atol=1e-12, why=why)

kw = dict(train_sizes=[0.1, 0.4, 1.0], cv=5, shuffle=True, random_state=0)
ours_lc = learning_curve(DecisionTreeClassifier(max_depth=4, random_state=0), X_bc, y_bc, **kw)
ref_lc = skms.learning_curve(DecisionTreeClassifier(max_depth=4, random_state=0), X_bc, y_bc, **kw)
for i, what in enumerate(("train_sizes_abs", "train_scores", "test_scores")):
    parity.check(f"learning_curve {what} (classifier, cv=5 -> StratifiedKFold, shuffle=True)", ours=ours_lc[i], reference=ref_lc[i], atol=1e-12, why="int cv resolved by check_cv on both sides; same permutations from random_state")

sk_vc_train, sk_vc_test = skms.validation_curve(vc_est, Xl, yl, param_name="max_depth", param_range=vc_depths, cv=cv5, scoring="r2")
parity.check("validation_curve train_scores (max_depth 1..20)", ours=vc_train, reference=sk_vc_train, atol=1e-12, why="same splits and clones")
parity.check("validation_curve test_scores (max_depth 1..20)", ours=vc_test, reference=sk_vc_test, atol=1e-12, why="same splits and clones")

# %%
parity.table()
