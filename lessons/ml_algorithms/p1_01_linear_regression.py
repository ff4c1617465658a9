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
# # P1.01 · Linear regression (theory + from scratch)
#
# Linear regression predicts a number as a weighted sum of the features. It is the model every
# other one is measured against, the one whose uncertainty we can write in closed form, and a
# first meeting with three ideas that run through the whole curriculum: a loss minimised by
# linear algebra, the same loss minimised by (stochastic) gradient descent, and the numerical
# conditioning that decides whether either gives the right digits.
#
# ## The model
# For $n$ samples with $p$ features, $X \in \mathbb{R}^{n\times p}$, $y \in \mathbb{R}^n$:
# $$y = X\beta + b\,\mathbf 1 + \varepsilon, \qquad \mathbb E[\varepsilon \mid X] = 0,\quad
#   \operatorname{Cov}(\varepsilon \mid X) = \sigma^2 I .$$
# Least squares picks the coefficients $\beta$ and the intercept $b$ that minimise the residual
# sum of squares
# $$\operatorname{RSS}(\beta, b) = \lVert y - X\beta - b\,\mathbf 1\rVert^2 .$$
#
# **The intercept.** Setting $\partial \operatorname{RSS}/\partial b = -2\,\mathbf 1^\top(y - X\beta - b\mathbf 1) = 0$
# gives $\hat b = \bar y - \bar x^\top \beta$: the fitted plane passes through the means. Putting
# it back leaves the same problem on centred data $\tilde X = X - \mathbf 1 \bar x^\top$,
# $\tilde y = y - \bar y \mathbf 1$, with no intercept. So we centre once and forget about $b$.
#
# ## Normal equations
# $\operatorname{RSS}(\beta) = \tilde y^\top \tilde y - 2\beta^\top \tilde X^\top \tilde y + \beta^\top \tilde X^\top \tilde X \beta$
# is a convex quadratic with gradient $-2\tilde X^\top \tilde y + 2\tilde X^\top\tilde X\beta$.
# Setting it to zero gives the **normal equations**
# $$\tilde X^\top \tilde X\,\hat\beta = \tilde X^\top \tilde y \quad\Longleftrightarrow\quad
#   \tilde X^\top(\tilde y - \tilde X\hat\beta) = 0 ,$$
# i.e. the residual is orthogonal to every column: $\tilde X\hat\beta$ is the orthogonal projection
# of $\tilde y$ onto the column space. When $\tilde X$ has full column rank, $\tilde X^\top\tilde X$
# is symmetric positive definite, $\hat\beta = (\tilde X^\top \tilde X)^{-1}\tilde X^\top \tilde y$ is
# unique, and the Cholesky factorisation $\tilde X^\top\tilde X = R^\top R$ solves it with two
# triangular solves. Cost: $np^2$ flops to form the Gram matrix, $p^3/3$ for Cholesky.
#
# ## Why QR: the condition number gets squared
# The sensitivity of a linear system is its condition number $\kappa$. Forming the Gram matrix
# squares it, $\kappa(\tilde X^\top\tilde X) = \kappa(\tilde X)^2$, so the normal equations lose
# about $\log_{10}\kappa(\tilde X)^2$ digits out of 16 — with $\kappa = 10^6$ (polynomial
# features, nearly collinear columns) that is 12 digits gone before any solver runs.
# Householder QR works on $\tilde X$ itself: $\tilde X = QR$ with $Q^\top Q = I$, so
# $$\lVert \tilde y - \tilde X\beta\rVert^2 = \lVert Q^\top\tilde y - R\beta\rVert^2 + \lVert (I - QQ^\top)\tilde y\rVert^2
#   \;\Rightarrow\; R\hat\beta = Q^\top \tilde y ,$$
# and it is backward stable: the error grows like $\kappa(\tilde X)\,\varepsilon$ for a
# well-fitting model (a $\kappa^2\tan\theta$ term appears only when the residual is large —
# that part is in the problem, not the algorithm). Cost $2np^2$, twice the Gram matrix.
#
# **A trick we use.** Factor the *augmented* matrix $A = [\tilde X \mid \tilde y]$ instead:
# $$A = Q\begin{pmatrix} R & z \\ 0 & \rho \end{pmatrix} \quad\Rightarrow\quad
#   \hat\beta = R^{-1}z,\qquad \operatorname{RSS} = \rho^2 ,$$
# one factorisation, no $Q$ ever formed, and the $R$ it leaves is all the inference below needs.
# For a rank-deficient $\tilde X$ (collinear columns) there are infinitely many minimisers; the SVD
# solver (`solver="lstsq"`, what scikit-learn uses) returns the one of minimum norm, and so do our
# QR/Cholesky paths when they detect a (numerically) singular $R$.
#
# ## Gradient descent
# On the mean squared error $L(\beta) = \frac1n\lVert\tilde y - \tilde X\beta\rVert^2$:
# $$\nabla L(\beta) = -\tfrac{2}{n}\tilde X^\top(\tilde y - \tilde X\beta), \qquad
#   H = \nabla^2 L = \tfrac{2}{n}\tilde X^\top\tilde X, \qquad
#   \beta_{k+1} = \beta_k - \eta\,\nabla L(\beta_k).$$
# Because $\nabla L(\beta) = H(\beta - \hat\beta)$, the error obeys $\beta_{k+1} - \hat\beta = (I - \eta H)(\beta_k - \hat\beta)$:
# it shrinks along every eigenvector iff $0 < \eta < 2/\lambda_{\max}(H)$. With $\eta = 1/\lambda_{\max}$
# (our `learning_rate="auto"`) the slowest direction shrinks by $1 - \lambda_{\min}/\lambda_{\max} = 1 - 1/\kappa(H)$
# per step, so GD needs $\approx \kappa(H)\ln(1/\epsilon)$ iterations — another reason to
# **standardise** the features (it shrinks $\kappa(H)$, often by orders of magnitude).
# Stopping rule: $\lVert\nabla L\rVert_2 \le \text{tol}$, which guarantees
# $\lVert \beta - \hat\beta\rVert_2 \le \text{tol}/\lambda_{\min}(H)$ — the tolerance of the parity
# check below.
#
# ## Stochastic gradient descent
# A mini-batch $B$ of $b$ rows gives an unbiased gradient estimate
# $-\frac{2}{b}\tilde X_B^\top(\tilde y_B - \tilde X_B\beta)$ for $1/(n/b)$ of the cost. Its noise does
# not vanish at $\hat\beta$, so with a constant step the iterates never settle: they hover in a
# ball of radius growing with $\eta$ and shrinking with $b$. Two classic cures: a decreasing step
# with $\sum\eta_t = \infty$, $\sum \eta_t^2<\infty$ (Robbins–Monro), or — better for least
# squares — keep the step constant and return the running **Polyak–Ruppert average**
# $\bar\beta_t = \frac1t\sum_{s\le t}\beta_s$, which converges at rate $O(1/t)$ whatever the
# conditioning (Bach & Moulines, 2013). The largest safe constant step shrinks with the batch:
# $\eta = b / \bigl(2(\operatorname{tr}(\tilde X^\top\tilde X) + (b-1)\lambda_{\max}(\tilde X^\top\tilde X))/n\bigr)$
# (Jain et al., 2018), which is $1/(2\,\mathbb E\lVert x\rVert^2)$ for $b=1$ and tends to the
# full-batch $1/\lambda_{\max}(H)$ as $b$ grows.
#
# ## Goodness of fit and inference
# $R^2 = 1 - \operatorname{RSS}/\operatorname{TSS}$ with $\operatorname{TSS} = \lVert\tilde y\rVert^2$; the
# adjusted $\bar R^2 = 1 - (1-R^2)\frac{n-1}{n-p-1}$ penalises features. The unbiased noise
# estimate is $\hat\sigma^2 = \operatorname{RSS}/(n-p-1)$ (the *residual standard error* is $\hat\sigma$).
# Since $\hat\beta - \beta = (\tilde X^\top\tilde X)^{-1}\tilde X^\top\varepsilon$,
# $$\operatorname{Cov}(\hat\beta) = \sigma^2(\tilde X^\top\tilde X)^{-1} = \sigma^2 R^{-1}R^{-\top},\qquad
#   \operatorname{se}(\hat\beta_j) = \hat\sigma\,\lVert (R^{-1})_{j,:}\rVert_2 ,$$
# and because $\tilde X^\top\mathbf 1 = 0$ makes $\bar y$ and $\hat\beta$ uncorrelated,
# $\operatorname{Var}(\hat b) = \sigma^2\bigl(\frac1n + \bar x^\top(\tilde X^\top\tilde X)^{-1}\bar x\bigr)
#  = \sigma^2\bigl(\frac1n + \lVert R^{-\top}\bar x\rVert^2\bigr)$ — no inverse matrix is ever formed.
# Under Gaussian errors $t_j = \hat\beta_j/\operatorname{se}(\hat\beta_j)$ follows Student's $t$
# with $n-p-1$ degrees of freedom when $\beta_j = 0$; the two-sided p-value is
# $2\,P(T_{n-p-1} > |t_j|)$.
#
# ## Pitfalls
# - **Collinearity.** Nearly collinear columns inflate standard errors (and flip signs of
#   coefficients); exactly collinear ones (e.g. all one-hot dummies *and* an intercept — the dummy
#   trap) make $\tilde X^\top\tilde X$ singular: the coefficients are no longer identified, so our
#   estimator returns the minimum-norm solution, sets the standard errors to NaN and warns.
# - **Normal equations on ill-conditioned data** lose twice the digits of QR (figure below).
# - **Unscaled features** make GD crawl ($\kappa(H)$ iterations) and SGD unstable.
# - **Missing values** must be handled explicitly (California's `total_bedrooms` below).
# - **p-values assume the model**: independent, homoscedastic errors. With heteroscedastic errors
#   use robust (sandwich) standard errors; with many tests, correct for multiplicity. A training
#   $R^2$ is optimistic — use cross-validation for prediction quality.
# - **Censored targets**: California's house values are capped at \$500 001; a linear model
#   cannot follow the cap (the flat line in the residual plot).
#
# ## References
# - T. Hastie, R. Tibshirani, J. Friedman, *The Elements of Statistical Learning*, 2nd ed., 2009, ch. 3 (§3.2 least squares, §3.2.3 QR).
# - G. Golub, C. Van Loan, *Matrix Computations*, 4th ed., 2013, ch. 5 (least squares, QR vs normal equations).
# - L. N. Trefethen, D. Bau, *Numerical Linear Algebra*, 1997, lectures 11, 18–19.
# - L. Bottou, F. Curtis, J. Nocedal, "Optimization methods for large-scale machine learning", *SIAM Review* 60(2), 2018.
# - F. Bach, E. Moulines, "Non-strongly-convex smooth stochastic approximation with convergence rate O(1/n)", NeurIPS 2013.
# - P. Jain, S. Kakade, R. Kidambi, P. Netrapalli, A. Sidford, "Parallelizing stochastic gradient descent for least squares regression", *JMLR* 18, 2018.
# - Data: B. Efron et al., "Least angle regression", *Ann. Statist.* 2004 (diabetes); R. K. Pace, R. Barry, "Sparse spatial autoregressions", *Stat. & Prob. Letters* 1997 (California housing).

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler

from mlweekly import datasets, parity
from mlweekly.ml_algorithms import LinearRegression

# %% [markdown]
# ## The implementation
# `mlweekly.ml_algorithms.LinearRegression` (scikit-learn's API: `fit`, `predict`, `score`, works in
# pipelines and grid searches). The heart of `fit` for the default `solver="qr"` is four lines:
#
# ```python
# A = np.empty((n, p + 1), order="F")                 # one copy: [X - x̄ | y - ȳ]
# np.subtract(X, x_mean, out=A[:, :p]); np.subtract(y, y_mean, out=A[:, p])
# (_, _), RA = scipy.linalg.qr(A, mode="raw", overwrite_a=True)   # Householder, in place
# coef = solve_triangular(RA[:p, :p], RA[:p, p]); rss = RA[p, p] ** 2
# ```
#
# and the inference reuses `R`: `R_inv = solve_triangular(R, I)`,
# `se = sigma * sqrt((R_inv**2).sum(axis=1))`. `solver="normal"` swaps the QR for a Cholesky of
# $\tilde X^\top\tilde X$; `"gd"`/`"sgd"` live in `ml_algorithms/_least_squares_gd.py`.
#
# ## Demo 1 · diabetes (442 patients, 10 baseline variables, disease progression after a year)

# %%
diabetes = datasets.load("diabetes")
scaler_d = StandardScaler().set_output(transform="pandas")
Xd = scaler_d.fit_transform(diabetes.data)  # standardised: coefficients per standard deviation
yd = diabetes.target.to_numpy(dtype=float)
ours_d = LinearRegression().fit(Xd, yd)
print(
    f"n = {len(yd)}, p = {Xd.shape[1]}, R² = {ours_d.r2_:.4f}, adjusted R² = {ours_d.adjusted_r2_:.4f}, "
    f"residual std error = {ours_d.residual_std_error_:.2f}"
)
ours_d.summary().round(4)

# %% [markdown]
# `bmi`, `bp` and `s5` (log serum triglycerides) carry the signal. `s1` (total cholesterol) and
# `s2` (LDL) have large coefficients of opposite sign *and* large standard errors: they are
# strongly correlated (their correlation is printed below), so the data cannot tell them apart —
# collinearity at work.

# %%
print(
    "corr(s1, s2) =",
    round(Xd["s1"].corr(Xd["s2"]), 3),
    "| condition number of the standardised design:",
    round(np.linalg.cond(Xd.to_numpy()), 1),
)

# %% [markdown]
# ## Demo 2 · California housing (1990 census, 20 640 block groups)
# The target is the median house value; we express it in units of \$100 000. Of the numeric
# features, `total_bedrooms` is missing in some rows: we **drop those rows** (and say how many)
# rather than impute, so that every coefficient is estimated from observed data only. The
# categorical `ocean_proximity` is left out of the main model (used in the dummy-trap pitfall
# below). The raw counts (rooms, population) span five orders of magnitude, so we **standardise**.

# %%
housing = datasets.load("california_housing")
numeric = housing.data.select_dtypes("number")
missing = numeric.isna().any(axis=1).to_numpy()
print(f"missing values per column:\n{numeric.isna().sum()[numeric.isna().sum() > 0].to_string()}")
print(f"dropping {missing.sum()} of {len(numeric)} rows ({missing.mean():.2%}) with a missing feature")
scaler_h = StandardScaler().set_output(transform="pandas")
Xh = scaler_h.fit_transform(numeric[~missing])
yh = housing.target.to_numpy(dtype=float)[~missing] / 1e5
ours_h = LinearRegression().fit(Xh, yh)
print(
    f"n = {len(yh)}, p = {Xh.shape[1]}, R² = {ours_h.r2_:.4f}, residual std error = "
    f"{ours_h.residual_std_error_:.3f} (× $100k)"
)
ours_h.summary().round(4)

# %%
fitted = ours_h.predict(Xh)
residuals = yh - fitted
fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
axes[0].scatter(yh, fitted, s=2, alpha=0.25)
lims = [min(yh.min(), fitted.min()), max(yh.max(), fitted.max())]
axes[0].plot(lims, lims, "k--", lw=1, label="perfect prediction")
axes[0].set(
    xlabel="actual value (× $100k)", ylabel="predicted (× $100k)", title="California: predicted vs actual"
)
axes[0].legend()
axes[1].scatter(fitted, residuals, s=2, alpha=0.25)
axes[1].axhline(0, color="k", lw=1)
axes[1].set(xlabel="fitted value (× $100k)", ylabel="residual", title="Residuals vs fitted")
plt.tight_layout()
plt.show()

# %% [markdown]
# The vertical stripe at $y = 5$ (left) and the straight diagonal streak (right) are the \$500 001
# cap: those districts have $y = 5$ whatever the fit, so their residuals lie on the line
# $5 - \hat y$. The spread of the residuals is not constant either (heteroscedasticity) — the
# classical standard errors assume it is, so read the p-values below as indicative.
#
# ## Gradient descent and SGD converge to the closed form

# %%
gd_tol = 1e-8
gd = LinearRegression(solver="gd", tol=gd_tol, max_iter=50_000).fit(Xh, yh)
with warnings.catch_warnings():  # constant-step SGD stops on max_iter, by design
    warnings.simplefilter("ignore")
    sgd_avg = LinearRegression(solver="sgd", batch_size=64, max_iter=40, random_state=0).fit(Xh, yh)
    sgd_last = LinearRegression(solver="sgd", batch_size=64, max_iter=40, average=False, random_state=0).fit(
        Xh, yh
    )
mse_star = np.mean(residuals**2)
Xc = Xh.to_numpy() - Xh.to_numpy().mean(axis=0)
eig_H = np.linalg.eigvalsh(2.0 / len(yh) * Xc.T @ Xc)
print(f"κ(H) = {eig_H[-1] / eig_H[0]:.0f}; GD: {gd.n_iter_} iterations at step 1/λ_max = {1 / eig_H[-1]:.3f}")

fig, axes = plt.subplots(1, 2, figsize=(11, 4))
axes[0].semilogy(np.arange(1, gd.n_iter_ + 1), np.asarray(gd.loss_curve_) - mse_star)
axes[0].set(xlabel="iteration", ylabel="MSE − closed-form MSE", title="Batch gradient descent")
epochs = np.arange(1, 41)
axes[1].semilogy(epochs, np.asarray(sgd_last.loss_curve_) - mse_star, "o-", ms=3, label="last iterate")
axes[1].semilogy(
    epochs, np.asarray(sgd_avg.loss_curve_) - mse_star, "o-", ms=3, label="Polyak–Ruppert average"
)
axes[1].set(xlabel="epoch", ylabel="MSE − closed-form MSE", title="Mini-batch SGD (b = 64, constant step)")
axes[1].legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# GD's excess loss falls geometrically (a straight line on the log scale) at the rate
# $(1-1/\kappa)^2$ per step, until it hits rounding. SGD's last iterate jumps around a noise floor;
# its average keeps improving — same gradients, different read-out.
#
# ## Coefficients: four solvers, one answer (± 1.96 standard errors)

# %%
sk_h = SkLinearRegression().fit(Xh, yh)
coefs = pd.DataFrame(
    {"ours (QR)": ours_h.coef_, "scikit-learn": sk_h.coef_, "GD": gd.coef_, "SGD (averaged)": sgd_avg.coef_},
    index=Xh.columns,
)
ax = coefs.plot.barh(figsize=(9, 5), width=0.8)
ax.errorbar(
    ours_h.coef_,
    np.arange(len(coefs)) - 0.3,
    xerr=1.96 * ours_h.std_errors_[1:],
    fmt="none",
    ecolor="k",
    capsize=3,
)
ax.axvline(0, color="k", lw=0.8)
ax.set(xlabel="coefficient (× $100k per standard deviation)", title="California housing: OLS coefficients")
plt.tight_layout()
plt.show()
coefs.round(5)

# %% [markdown]
# `total_rooms`, `total_bedrooms`, `population` and `households` are all block-group *size*
# measures and strongly correlated: their individual coefficients (even their signs) are not
# interpretable one by one, although the standard errors are small at $n = 20\,433$. Only
# `median_income` has a direct reading: one standard deviation more income, about \$77k more value,
# *holding the other columns fixed*.
#
# ## Pitfall: the condition number, squared
# Noise-free polynomial features $x, x^2, \dots, x^d$ on $[0, 1]$ with true coefficients all one:
# every error below is numerical. QR's error follows $\kappa\varepsilon$, the normal equations'
# follows $\kappa^2\varepsilon$ — until $\kappa^2\varepsilon \approx 1$ and the Gram matrix is
# numerically singular.

# %%
x = np.linspace(0.0, 1.0, 200)
rows = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the last degrees are (numerically) rank-deficient for Cholesky
    for d in range(2, 12):
        V = np.vander(x, d + 1, increasing=True)[:, 1:]
        y_poly = V @ np.ones(d) + 1.0
        kappa = np.linalg.cond(V - V.mean(axis=0))
        err = {s: np.abs(LinearRegression(solver=s).fit(V, y_poly).coef_ - 1).max() for s in ("qr", "normal")}
        rows.append({"degree": d, "kappa": kappa, **err})
cond = pd.DataFrame(rows)
eps = np.finfo(float).eps
plt.figure(figsize=(6.5, 4))
plt.loglog(cond.kappa, cond.qr, "o-", label="QR (solver='qr')")
plt.loglog(cond.kappa, cond.normal, "s-", label="normal equations (solver='normal')")
plt.loglog(cond.kappa, cond.kappa * eps, "k:", label=r"$\kappa\,\varepsilon$")
plt.loglog(cond.kappa, cond.kappa**2 * eps, "k--", label=r"$\kappa^2\varepsilon$")
plt.xlabel(r"condition number $\kappa(\tilde X)$")
plt.ylabel("max |coefficient error|")
plt.title("Polynomial features: QR vs normal equations")
plt.legend()
plt.tight_layout()
plt.show()
cond.style.format({"kappa": "{:.1e}", "qr": "{:.1e}", "normal": "{:.1e}"})

# %% [markdown]
# ## Pitfall: the dummy trap (rank deficiency)
# One-hot encoding *every* category of `ocean_proximity` and fitting an intercept makes the dummy
# columns sum to the constant column: after centring they sum to zero, $\tilde X$ loses a rank and
# $\tilde X^\top\tilde X$ is singular. The fit still returns the minimum-norm solution
# (scikit-learn's too), but the coefficients are not identified, so standard errors are undefined:

# %%
dummies = pd.get_dummies(housing.data["ocean_proximity"][~missing], dtype=float)
X_trap = pd.concat([Xh, dummies.set_axis(Xh.index)], axis=1)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    trap = LinearRegression().fit(X_trap, yh)
print(f"rank {trap.rank_} of {X_trap.shape[1]} columns; warning: {caught[-1].message}")
print(
    "dropping one dummy restores full rank:",
    LinearRegression().fit(X_trap.drop(columns=dummies.columns[0]), yh).rank_,
    "of",
    X_trap.shape[1] - 1,
)

# %% [markdown]
# ## Parity checks
# - **Coefficients and intercept vs scikit-learn** (`LinearRegression`, SVD `lstsq`), `atol=1e-8`:
#   on standardised data $\kappa(\tilde X) \approx 22$ (diabetes) and $16$ (California), so two backward-stable solvers agree to
#   $\approx\kappa\varepsilon\lVert\beta\rVert \sim 10^{-13}$; `1e-8` leaves room without hiding a
#   wrong formula (any modelling difference would show at $10^{-3}$ or more).
# - **Standard errors, t-values, p-values, adjusted R², σ̂ vs statsmodels** `OLS` (pseudo-inverse),
#   `rtol=1e-8`: same formulas in float64; p-values pass through the same $t$ survival function,
#   whose relative sensitivity to $t$ is $\approx t^2$ — for $|t| \le 100$ that turns $10^{-13}$ into
#   $10^{-9}$. (p-values below $10^{-308}$ underflow to 0 on both sides.)
# - **R² vs** `sklearn.metrics.r2_score` on the predictions, `atol=1e-12`.
# - **GD vs the closed form**, `atol = tol/λ_min(H)`: the stopping rule $\lVert\nabla L\rVert \le$ tol
#   guarantees $|\beta_j - \hat\beta_j| \le \lVert\beta - \hat\beta\rVert_2 \le \text{tol}/\lambda_{\min}(H)$.


# %%
def statsmodels_ols(X, y):
    return sm.OLS(y, sm.add_constant(np.asarray(X))).fit()


for name, X, y in [("diabetes", Xd, yd), ("California", Xh, yh)]:
    ref_sm = statsmodels_ols(X, y)
    ours_fit = LinearRegression().fit(X, y)
    parity.check(
        f"coef_ ({name}, standardised)",
        ours=lambda X=X, y=y: LinearRegression().fit(X, y).coef_,
        reference=lambda X=X, y=y: SkLinearRegression().fit(X, y).coef_,
        atol=1e-8,
        why="two backward-stable least-squares solvers on a design with κ ≈ 20",
        repeat=3,
    )
    parity.check(
        f"intercept_ ({name})",
        ours=ours_fit.intercept_,
        reference=SkLinearRegression().fit(X, y).intercept_,
        atol=1e-8,
        why="b = ȳ − x̄ᵀβ on both sides",
    )
    parity.check(
        f"coef_ solver='normal' ({name})",
        ours=lambda X=X, y=y: LinearRegression(solver="normal").fit(X, y).coef_,
        reference=lambda X=X, y=y: SkLinearRegression().fit(X, y).coef_,
        atol=1e-8,
        why="normal equations lose κ² ε ≈ 1e-13 here",
        repeat=3,
    )
    parity.check(
        f"standard errors ({name}) vs statsmodels",
        ours=lambda X=X, y=y: LinearRegression().fit(X, y).std_errors_,
        reference=lambda X=X, y=y: statsmodels_ols(X, y).bse,
        rtol=1e-8,
        why="σ̂ √diag((XᵀX)⁻¹) from R vs from the pseudo-inverse",
        repeat=3,
    )
    untimed = [  # (what, ours, statsmodels, rtol, why): values of the fits above
        ("t-values", ours_fit.t_values_, ref_sm.tvalues, 1e-8, "β̂ / se on both sides"),
        (
            "p-values",
            ours_fit.p_values_,
            ref_sm.pvalues,
            1e-8,
            "2 P(T > |t|), df = n − p − 1; ≈ t² × rel. error of t",
        ),
        ("adjusted R²", ours_fit.adjusted_r2_, ref_sm.rsquared_adj, 1e-10, "1 − (1 − R²)(n − 1)/(n − p − 1)"),
        (
            "residual std error",
            ours_fit.residual_std_error_,
            np.sqrt(ref_sm.scale),
            1e-10,
            "√(RSS/(n − p − 1))",
        ),
    ]
    for what, ours_value, ref_value, rtol, why in untimed:
        parity.check(
            f"{what} ({name}) vs statsmodels", ours=ours_value, reference=ref_value, rtol=rtol, why=why
        )
    parity.check(
        f"R² ({name}) vs r2_score",
        ours=ours_fit.r2_,
        reference=r2_score(y, ours_fit.predict(X)),
        atol=1e-12,
        why="1 − RSS/TSS with RSS = ρ² from the QR vs from the predictions",
    )

lam_min = eig_H[0]
parity.check(
    "GD coef_ → closed form (California)",
    ours=lambda: LinearRegression(solver="gd", tol=gd_tol, max_iter=50_000).fit(Xh, yh).coef_,
    reference=lambda: LinearRegression().fit(Xh, yh).coef_,
    atol=gd_tol / lam_min,
    why=f"‖∇MSE‖ ≤ tol = {gd_tol:g} ⇒ ‖β − β̂‖ ≤ tol/λ_min(H) = {gd_tol / lam_min:.2g}",
)

# %%
parity.table()
