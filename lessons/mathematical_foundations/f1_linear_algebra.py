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
# # F1 · Linear algebra
#
# Almost every model in this curriculum ends in a call to LAPACK: linear regression solves a least
# squares problem, PCA diagonalises a covariance matrix, Gaussian processes factor a kernel matrix.
# This lesson writes those factorisations from scratch — **Householder QR, Cholesky, LU with partial
# pivoting, the symmetric eigenproblem by QR iteration and the SVD** — and then asks the question
# that matters in practice: *how many correct digits does each route give?* The answer is governed by
# one number, the **condition number** $\kappa(A)$, and by whether an algorithm pays it once
# ($\kappa\varepsilon$) or squared ($\kappa^2\varepsilon$).
#
# ## Conditioning and backward stability
#
# With $\sigma_1 \ge \dots \ge \sigma_n > 0$ the singular values of $A$,
# $\kappa_2(A) = \|A\|_2\|A^{-1}\|_2 = \sigma_1/\sigma_n$ (for rectangular $A$ with $A^+$ in place of
# $A^{-1}$); $\kappa_1(A) = \|A\|_1\|A^{-1}\|_1$ uses the largest column sum $\|A\|_1 = \max_j
# \sum_i|a_{ij}|$. $\kappa$ is a property of the *problem*: perturbing $b$ in $Ax = b$ by a relative
# $\delta$ moves $x$ by up to $\kappa\,\delta$. Since storing $A$ and $b$ in floating point already
# perturbs them by $\varepsilon = 2^{-52} \approx 2.2\times10^{-16}$, no algorithm can promise better
# than about $\kappa\varepsilon$ relative error. An algorithm is **backward stable** when its answer
# is the exact answer for data perturbed by $O(\varepsilon)$; it then achieves that $\kappa\varepsilon$.
# Householder QR, Cholesky (on SPD matrices), LU with partial pivoting (in practice) and the
# symmetric QR algorithm are all backward stable. The *normal equations* are not a stable route to
# least squares, and neither is an SVD computed from $A^\top A$ — they square $\kappa$.
#
# ## Householder QR
#
# A reflection $H = I - 2vv^\top$ ($\|v\| = 1$) is orthogonal and symmetric. Choosing
# $v \propto x + \operatorname{sign}(x_1)\|x\|e_1$ maps $x$ to $-\operatorname{sign}(x_1)\|x\|e_1$ —
# the sign is chosen to *add* magnitudes, avoiding cancellation when $x \approx \|x\|e_1$. Applying
# $H_1, \dots, H_p$ to zero the sub-diagonal of columns $1, \dots, p$ in turn gives
#
# $$H_p \cdots H_1 A = R, \qquad A = QR,\quad Q = H_1 \cdots H_p ,$$
#
# with $Q$ orthogonal ($m\times m$, *complete*) — or its first $n$ columns with the top $n\times n$ of
# $R$ (*reduced*, economic). Each $H_j$ is applied as a rank-1 update,
# $R \leftarrow R - 2v(v^\top R)$, never formed: $2mn^2 - \tfrac23 n^3$ flops in all. QR is unique once
# $\operatorname{diag}(R) > 0$, so comparing with NumPy means flipping signs first.
#
# ## Cholesky and LU
#
# A symmetric positive definite (SPD) matrix factors as $A = LL^\top$. Equating column $j$ of both
# sides gives, in order,
#
# $$L_{jj} = \sqrt{a_{jj} - \textstyle\sum_{k<j} L_{jk}^2}, \qquad
# L_{ij} = \Big(a_{ij} - \textstyle\sum_{k<j} L_{ik}L_{jk}\Big)\big/L_{jj}\quad (i > j).$$
#
# The argument of the square root (the *pivot*) is the Schur complement of the leading block; it is
# positive for every $j$ **iff** $A$ is positive definite, so a failed Cholesky *is* the test of
# definiteness — our error names the pivot and the leading minor that fails. Cost $\tfrac13n^3$.
#
# Gaussian elimination on a general square matrix produces $A = LU$; swapping the row with the
# largest $|a_{ik}|$ into the pivot position at each step (**partial pivoting**) keeps every
# multiplier $|l_{ik}| \le 1$, which is what makes it stable in practice: $A = PLU$ (SciPy's
# convention; LAPACK returns $P^\top$). Then $Ax = b$ is $Ly = P^\top b$ (forward substitution),
# $Ux = y$ (back substitution). A zero pivot after pivoting means $A$ is singular.
#
# ## The symmetric eigenproblem by QR iteration
#
# For symmetric $A = V\Lambda V^\top$. The **QR algorithm**: factor $A_k - \mu_k I = Q_kR_k$, set
# $A_{k+1} = R_kQ_k + \mu_kI = Q_k^\top A_kQ_k$ — a similarity, so the eigenvalues are kept, and
# $A_k$ converges to diagonal. Two ideas make it fast:
#
# 1. **Tridiagonalise first**: $n-2$ Householder similarities give $A = QTQ^\top$ with $T$
#    tridiagonal ($\tfrac43n^3$ flops once); QR steps keep $T$ tridiagonal, and one step costs only
#    $O(n)$ when done *implicitly* — a Givens rotation that creates a "bulge" below the band, and
#    $n-2$ more that chase it off the bottom (Golub & Van Loan, Alg. 8.3.2).
# 2. **Wilkinson's shift**: $\mu$ = the eigenvalue of the trailing $2\times2$ block of $T$ nearer to
#    $t_{nn}$. The last off-diagonal then goes to zero cubically in practice (and always converges);
#    when $|t_{i+1,i}| \le \varepsilon(|t_{ii}| + |t_{i+1,i+1}|)$ it is set to zero and the problem
#    splits (*deflation*). About two sweeps per eigenvalue, and the eigenvalues are accurate to
#    $O(\varepsilon\|A\|)$ absolutely (symmetric eigenvalues are perfectly conditioned: Weyl's
#    inequality $|\lambda_i(A+E) - \lambda_i(A)| \le \|E\|_2$). Eigenvectors are accurate to
#    $O(\varepsilon\|A\|/\mathrm{gap})$: nearly equal eigenvalues have ill-determined vectors.
#
# ## The SVD, and why not from $A^\top A$
#
# $A = U\Sigma V^\top$, and $A^\top A = V\Sigma^2V^\top$: the tempting route is to eigendecompose
# $A^\top A$ and take square roots. But forming $A^\top A$ rounds its entries to $\varepsilon\|A\|^2
# = \varepsilon\sigma_1^2$, so every eigenvalue $\sigma_i^2$ carries an absolute error of that size:
#
# $$\frac{|\hat\sigma_i^2 - \sigma_i^2|}{\sigma_i^2} \lesssim \varepsilon\frac{\sigma_1^2}{\sigma_i^2}
# \quad\Longrightarrow\quad \frac{|\hat\sigma_n - \sigma_n|}{\sigma_n} \approx \tfrac12\,\kappa(A)^2\varepsilon ,$$
#
# and once $\sigma_n < \sqrt\varepsilon\,\sigma_1$ ($\kappa > 6.7\times10^7$) the smallest singular
# value has no correct digit at all. The fix that still uses a *symmetric eigensolver*: take
# $A = QR$ and the **augmented** matrix
# $\begin{pmatrix}0 & R\\ R^\top & 0\end{pmatrix}$, whose eigenvalues are $\pm\sigma_i$ with
# eigenvectors $(u_i, \pm v_i)/\sqrt2$. Nothing is squared: absolute error $\varepsilon\sigma_1$,
# relative $\kappa\varepsilon$ on $\sigma_n$ — LAPACK's accuracy (at a higher cost than its
# Golub–Kahan bidiagonalisation).
#
# ## Least squares three ways
#
# $\min_x\|Ax - b\|_2$ with $A$ of full column rank is solved by the normal equations
# $A^\top Ax = A^\top b$. Three ways to compute it:
#
# * **Normal equations + Cholesky** of $A^\top A$: $mn^2 + \tfrac13n^3$ flops, the fastest, but the
#   system has condition $\kappa^2$: error $\sim\kappa^2\varepsilon$, and Cholesky fails outright when
#   $\kappa^2\varepsilon \gtrsim 1$ ($A^\top A$ is not numerically positive definite).
# * **QR**: $\|Ax-b\| = \|Q^\top(Ax - b)\| $, so $Rx = Q_1^\top b$ — no squaring: error
#   $\sim\kappa\varepsilon + \kappa^2\varepsilon\,\|r\|/(\|A\|\|x\|)$ (the second term appears only
#   when the residual $r$ is large; it is intrinsic to the problem, Golub & Wilkinson 1966).
# * **SVD pseudo-inverse** $x = V\Sigma^+U^\top b$: as accurate as QR, and it gives the
#   minimum-norm solution when $A$ is rank deficient (singular values below a cut-off are zeroed).
#
# **Pitfalls.** Never form $A^{-1}$ to solve a system (solve, or factor once); never trust the
# normal equations for ill-conditioned designs (polynomial features, unscaled columns); compare
# eigenvectors and singular vectors only up to sign (and only where the spectrum is separated); a
# tolerance for a parity check must scale with $\kappa$ — the tolerance $10^{-12}$ is meaningless for
# a matrix with $\kappa = 10^{10}$.
#
# **References.** G. H. Golub & C. F. Van Loan, *Matrix Computations*, 4th ed. (2013), ch. 3, 4, 5, 8;
# L. N. Trefethen & D. Bau, *Numerical Linear Algebra* (1997), lectures 10–11, 19, 23–31;
# N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed. (2002);
# J. H. Wilkinson, *Global convergence of tridiagonal QR algorithm with origin shifts* (1968).

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import scipy.linalg as sl
from threadpoolctl import threadpool_limits

from mlweekly import datasets, parity
from mlweekly.mathematical_foundations.least_squares import cond, lstsq
from mlweekly.mathematical_foundations.linear_algebra import LinAlgError, cholesky, lu, qr, solve
from mlweekly.mathematical_foundations.symmetric_eigen import eigh, svd

EPS = np.finfo(np.float64).eps


def fix_signs(V):
    """Make the largest-|.| entry of each column positive: vectors are unique only up to sign."""
    idx = np.argmax(np.abs(V), axis=0)
    return V * np.sign(V[idx, np.arange(V.shape[1])])


def hilbert_like(m, n):
    """The m x n section of the Hilbert matrix, 1 / (i + j + 1): famously ill-conditioned."""
    return 1.0 / (np.arange(m)[:, None] + np.arange(n)[None, :] + 1.0)


# %% [markdown]
# ## The key lines
#
# ```python
# # Householder QR: one reflection per column, applied as a rank-1 update
# v, beta = householder_vector(R[j:, j])
# R[j:, j:] -= 2.0 * np.outer(v, v @ R[j:, j:])
# Q[:, j:] -= 2.0 * np.outer(Q[:, j:] @ v, v)
#
# # Cholesky: the pivot must be positive, or A is not positive definite
# pivot = A[j, j] - L[j, :j] @ L[j, :j]
# L[j + 1:, j] = (A[j + 1:, j] - L[j + 1:, :j] @ L[j, :j]) / np.sqrt(pivot)
#
# # implicit QR step: a Givens rotation on rows/columns k, k+1 chases the bulge down the band
# c, s = x / r, z / r
# ```
#
# A first look: each factorisation on a small matrix, checked by multiplying back.

# %%
A = np.array([[4.0, 2.0, 0.6], [2.0, 5.0, 1.0], [0.6, 1.0, 3.0]])
Q, R = qr(A)
L = cholesky(A)
P, Lu, U = lu(A)
w, V = eigh(A)
print("||QR - A|| =", np.abs(Q @ R - A).max(), " ||LL' - A|| =", np.abs(L @ L.T - A).max(),
      " ||PLU - A|| =", np.abs(P @ Lu @ U - A).max(), " ||AV - VΛ|| =", np.abs(A @ V - V * w).max())
print("eigenvalues", w.round(12), " cond_2 =", round(cond(A), 10), " cond_1 =", round(cond(A, p=1), 10))
try:
    cholesky([[1.0, 2.0], [2.0, 1.0]])
except LinAlgError as err:
    print("LinAlgError:", err)

# %% [markdown]
# ## Accuracy on ill-conditioned matrices: Hilbert least squares
#
# $A$ = the $2n\times n$ Hilbert section for $n = 2, \dots, 14$ ($\kappa$ from 13 to $4\times10^{16}$),
# $x_\text{true} = \mathbf 1$, $b = Ax_\text{true}$ (a consistent system: the residual is zero, so the
# bound for QR and SVD is $\kappa\varepsilon$). We plot the relative error of $x$ for each method
# against $\kappa$ on log–log axes, with the guides $\kappa\varepsilon$ and $\kappa^2\varepsilon$.
# Missing points of the normal equations are Cholesky failures ($A^\top A$ not numerically positive
# definite).

# %%
ns = np.arange(2, 15)
kappas, errors = [], {"normal": [], "qr": [], "svd": [], "numpy lstsq": []}
sigma_err = {"gram": [], "augmented": []}
for n in ns:
    A_h = hilbert_like(2 * n, n)
    x_true = np.ones(n)
    b_h = A_h @ x_true
    kappas.append(np.linalg.cond(A_h))
    for method in ("normal", "qr", "svd"):
        try:
            x_hat = lstsq(A_h, b_h, method=method)
            errors[method].append(np.linalg.norm(x_hat - x_true) / np.linalg.norm(x_true))
        except LinAlgError:
            errors[method].append(np.nan)
    x_np = np.linalg.lstsq(A_h, b_h, rcond=None)[0]
    errors["numpy lstsq"].append(np.linalg.norm(x_np - x_true) / np.linalg.norm(x_true))
    # smallest singular value against LAPACK's (itself accurate to ~kappa*eps relative)
    s_ref = np.linalg.svd(A_h, compute_uv=False)[-1]
    sigma_err["gram"].append(abs(svd(A_h, method="gram")[1][-1] - s_ref) / s_ref)
    sigma_err["augmented"].append(abs(svd(A_h)[1][-1] - s_ref) / s_ref)
kappas = np.array(kappas)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
for (name, errs), marker in zip(errors.items(), "osD^", strict=True):
    ax1.loglog(kappas, np.maximum(errs, 1e-17), marker=marker, ls="-" if name != "numpy lstsq" else ":",
               label=name)
ax1.loglog(kappas, kappas * EPS, "k--", lw=1, label=r"$\kappa\varepsilon$")
ax1.loglog(kappas, kappas**2 * EPS, "k-.", lw=1, label=r"$\kappa^2\varepsilon$")
ax1.set(xlabel=r"$\kappa_2(A)$", ylabel=r"$\|\hat x - x\| / \|x\|$", ylim=(1e-17, 1e3),
        title="Least squares on Hilbert sections (2n x n)")
ax1.legend(fontsize=8)
ax2.loglog(kappas, sigma_err["gram"], "o-", label=r"SVD from eig($A^\top A$)")
ax2.loglog(kappas, sigma_err["augmented"], "s-", label="SVD from the augmented matrix of R")
ax2.loglog(kappas, kappas**2 * EPS / 2, "k-.", lw=1, label=r"$\kappa^2\varepsilon/2$")
ax2.loglog(kappas, kappas * EPS, "k--", lw=1, label=r"$\kappa\varepsilon$")
ax2.set(xlabel=r"$\kappa_2(A)$", ylabel=r"relative error of $\sigma_{\min}$ vs LAPACK", ylim=(1e-17, 1e2),
        title=r"Smallest singular value: squaring $\kappa$ loses it")
ax2.legend(fontsize=8)
for ax in (ax1, ax2):
    ax.grid(alpha=0.3, which="both")
plt.tight_layout()
plt.show()
print("normal equations fail (Cholesky) from n =", ns[np.isnan(errors["normal"])][0],
      f"(kappa = {kappas[np.isnan(errors['normal'])][0]:.2g}, kappa^2 * eps = "
      f"{kappas[np.isnan(errors['normal'])][0] ** 2 * EPS:.2g})")

# %% [markdown]
# The picture is the theory: QR, our SVD and LAPACK's `lstsq` track the $\kappa\varepsilon$ line;
# the normal equations track $\kappa^2\varepsilon$ and stop at $n = 8$, where $\kappa^2\varepsilon > 1$.
# The right panel shows the same squaring for the smallest singular value: from
# $\kappa \approx 10^8$ ($=1/\sqrt\varepsilon$) the $A^\top A$ route returns noise (relative error 1),
# while the augmented route stays at $\kappa\varepsilon$. (At $\kappa \gtrsim 10^{13}$ LAPACK's own
# answer has few correct digits too, so the reference itself is then only approximate.)
#
# ## Speed: from-scratch vs LAPACK
#
# Same matrices, best of three, LAPACK restricted to one thread (as our code mostly is). We are slower, and the ratio grows with $n$: our loops run $n$
# Python-level steps of **BLAS-2** work (rank-1 updates and matrix–vector products, memory-bound),
# where LAPACK uses **blocked** algorithms whose bulk is BLAS-3 matrix–matrix products (cache-friendly,
# vectorised, multithreaded). The eigensolver is worst: every Givens rotation is a handful of tiny
# NumPy calls (~µs of interpreter overhead each for a few flops), $O(n^2)$ of them.

# %%
def best_time(fn, repeat=3):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


rng = np.random.default_rng(0)
sizes = [25, 50, 100, 200]
tasks = {
    "QR": (lambda M: qr(M), lambda M: np.linalg.qr(M)),
    "Cholesky": (lambda M: cholesky(M @ M.T + len(M) * np.eye(len(M))),
                 lambda M: np.linalg.cholesky(M @ M.T + len(M) * np.eye(len(M)))),
    "LU": (lambda M: lu(M), lambda M: sl.lu(M)),
    "eigh": (lambda M: eigh(M + M.T), lambda M: np.linalg.eigh(M + M.T)),
}
ratios = {name: [] for name in tasks}
with threadpool_limits(1):  # one thread for LAPACK too: a fair comparison, and stable on a shared machine
    for n in sizes:
        M = rng.normal(size=(n, n))
        for name, (ours_fn, ref_fn) in tasks.items():
            if name == "eigh" and n > 100:
                ratios[name].append(np.nan)  # ~2 s: left out to keep the lesson quick
                continue
            ratios[name].append(best_time(lambda f=ours_fn, M=M: f(M)) / best_time(lambda f=ref_fn, M=M: f(M)))
fig, ax = plt.subplots(figsize=(7, 4))
for name, r in ratios.items():
    ax.loglog(sizes, r, "o-", label=name)
ax.set(xlabel="n", ylabel="our time / LAPACK time", title="How much slower than LAPACK (n x n)")
ax.legend()
ax.grid(alpha=0.3, which="both")
plt.tight_layout()
plt.show()
for name, r in ratios.items():
    print(f"{name:9s}", "  ".join(f"n={n}: {x:7.1f}x" for n, x in zip(sizes, r, strict=True) if np.isfinite(x)))

# %% [markdown]
# On the two-core machine this lesson was written on (your run prints its own numbers): QR and LU
# are **15–40× slower** than LAPACK, growing with $n$ (LAPACK's blocking pays off more as the matrix
# outgrows the cache); Cholesky only **4–8×** (its inner step is already one matrix–vector product);
# the eigensolver **200–400×** — the tridiagonal QR sweeps are $O(n^2)$ scalar Givens rotations, each
# costing several microseconds of interpreter overhead, exactly the loop that LAPACK runs in compiled
# code (a numba kernel would close most of that gap). None of this changes the accuracy: the digits
# are the same, as the parity checks below show.

# %% [markdown]
# ## Real data 1: linear regression by QR (diabetes, California housing)
#
# Ordinary least squares with an intercept column. Diabetes (442 × 10, already scaled) has
# $\kappa \approx 230$. California housing (20,433 complete rows; the 8 numeric features,
# standardised — raw columns mix degrees and counts in the thousands, which would inflate $\kappa$
# for no reason) has $\kappa \approx 16$. On both, QR and SVD agree with LAPACK to a few $\varepsilon$;
# the normal equations lose about one digit on California already ($\kappa^2 \approx 260$).

# %%
X_d, y_d = datasets.load_xy("diabetes")
A_d = np.column_stack([np.ones(len(y_d)), np.asarray(X_d, dtype=float)])
y_d = np.asarray(y_d, dtype=float)

cal = datasets.load("california_housing").frame.dropna()
num = [c for c in cal.columns if c not in ("median_house_value", "ocean_proximity")]
Z = cal[num].to_numpy(dtype=float)
Z = (Z - Z.mean(axis=0)) / Z.std(axis=0)
A_c = np.column_stack([np.ones(len(Z)), Z])
y_c = cal["median_house_value"].to_numpy(dtype=float) / 1e5  # in $100k

for name, A_, y_ in (("diabetes", A_d, y_d), ("california", A_c, y_c)):
    ref = np.linalg.lstsq(A_, y_, rcond=None)[0]
    k = np.linalg.cond(A_)
    errs = {m: np.abs(lstsq(A_, y_, method=m) - ref).max() / np.abs(ref).max() for m in ("qr", "svd", "normal")}
    print(f"{name:10s} shape {A_.shape}, kappa = {k:.3g}:  max rel. difference from numpy.linalg.lstsq  "
          + "  ".join(f"{m}: {e:.1e}" for m, e in errs.items()) + f"   (kappa*eps = {k * EPS:.1e})")
print("California coefficients (QR):", dict(zip(["intercept", *num], lstsq(A_c, y_c).round(4), strict=True)))

# %% [markdown]
# ## Real data 2: PCA by eigen-decomposition (wine)
#
# PCA is the eigen-decomposition of the covariance (here: correlation — standardised features) matrix
# $C = \frac1{n-1}Z^\top Z$: eigenvectors are the principal axes, eigenvalues the variances along
# them. We diagonalise the $13\times13$ wine correlation matrix with our tridiagonal QR algorithm and
# compare with `numpy.linalg.eigh` (LAPACK `syevd`).

# %%
wine = datasets.load("wine")
W = wine.data.to_numpy(dtype=float)
Zw = (W - W.mean(axis=0)) / W.std(axis=0, ddof=1)
C = Zw.T @ Zw / (len(Zw) - 1)
evals, evecs = eigh(C)
evals, evecs = evals[::-1], evecs[:, ::-1]  # descending: first principal component first
ref_vals, ref_vecs = np.linalg.eigh(C)
ref_vals, ref_vecs = ref_vals[::-1], ref_vecs[:, ::-1]
scores = Zw @ fix_signs(evecs)[:, :2]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.bar(np.arange(1, 14), evals / evals.sum(), label="ours")
ax1.plot(np.arange(1, 14), ref_vals / ref_vals.sum(), "k.", label="numpy.linalg.eigh")
ax1.plot(np.arange(1, 14), np.cumsum(evals) / evals.sum(), "C1-o", ms=3, label="cumulative")
ax1.set(xlabel="component", ylabel="explained variance ratio", title="Wine: eigenvalues of the correlation matrix")
ax1.legend()
for c in range(3):
    ax2.scatter(*scores[wine.target.to_numpy() == c].T, s=12, label=wine.target_names[c])
ax2.set(xlabel="PC 1", ylabel="PC 2", title="Wine projected on our first two eigenvectors")
ax2.legend()
plt.tight_layout()
plt.show()
print("gaps between consecutive eigenvalues (min):", np.min(-np.diff(evals)).round(4))

# %% [markdown]
# ## Parity checks
#
# Every tolerance is $c\cdot\kappa\cdot\varepsilon$ times the scale of the compared quantity, with
# $c = 10\,n$ (the rounding constants of these algorithms grow like $n$; the bound is what a
# backward-stable method guarantees, and both sides are backward stable, so they may differ by
# twice it). Vectors are compared after making the largest entry of each positive, and eigenvectors
# only because the wine spectrum's smallest gap is far from zero (their error is
# $\sim\varepsilon\|C\|/\text{gap}$). The normal equations get $\kappa^2$ in place of $\kappa$ — the
# point of this lesson. Least squares on California has a large residual, so its bound carries the
# extra $\kappa^2\varepsilon\|r\|/(\|A\|\|x\|)$ term of the theory.


# %%
def kappa_tol(M, power=1):
    return 10 * min(M.shape) * np.linalg.cond(M) ** power * EPS


Qd, Rd = qr(A_d)
Qd_ref, Rd_ref = np.linalg.qr(A_d)
sd, sd_ref = np.sign(np.diag(Rd)), np.sign(np.diag(Rd_ref))
t = kappa_tol(A_d)
parity.check("QR of the diabetes design: R (signs normalised)", ours=lambda: sd[:, None] * qr(A_d)[1],
             reference=lambda: sd_ref[:, None] * np.linalg.qr(A_d)[1], atol=t * np.abs(A_d).max(),
             why=f"10·n·κ·ε·max|A| with κ = {np.linalg.cond(A_d):.3g}")
parity.check("QR of the diabetes design: Q reduced (signs normalised)", ours=Qd * sd, reference=Qd_ref * sd_ref,
             atol=t, why="10·n·κ·ε")
Qf, Rf = qr(A_d[:15], mode="complete")
Qf_ref, Rf_ref = np.linalg.qr(A_d[:15], mode="complete")
parity.check("QR complete (15 x 11 block): Q R reproduces A; R vs numpy up to signs",
             ours=np.sign(np.diag(Rf))[:, None] * Rf[:11], reference=np.sign(np.diag(Rf_ref))[:, None] * Rf_ref[:11],
             atol=kappa_tol(A_d[:15]) * np.abs(A_d[:15]).max(), why="10·n·κ·ε·max|A|")
parity.check("Cholesky of the wine correlation matrix", ours=lambda: cholesky(C),
             reference=lambda: np.linalg.cholesky(C), atol=kappa_tol(C), why=f"κ(C) = {np.linalg.cond(C):.3g}")
P_w, L_w, U_w = lu(Zw[:13])
parity.check("LU permutation (13 standardised wine rows)", ours=P_w, reference=sl.lu(Zw[:13])[0], atol=0,
             why="same pivot rule (first largest |a_ik|); pivots are far from ties here")
parity.check("LU factor U (13 standardised wine rows)", ours=U_w, reference=sl.lu(Zw[:13])[2],
             atol=kappa_tol(Zw[:13]) * np.abs(Zw[:13]).max(), why="10·n·κ·ε·max|A|")
b_w = Zw[13, :]
parity.check("solve by LU vs numpy.linalg.solve", ours=lambda: solve(Zw[:13], b_w),
             reference=lambda: np.linalg.solve(Zw[:13], b_w),
             atol=kappa_tol(Zw[:13]) * np.abs(np.linalg.solve(Zw[:13], b_w)).max(), why="10·n·κ·ε·max|x|")
parity.check("PCA eigenvalues of wine correlation (descending)", ours=lambda: eigh(C)[0][::-1],
             reference=lambda: np.linalg.eigh(C)[0][::-1], atol=10 * 13 * EPS * ref_vals[0],
             why="Weyl: symmetric eigenvalues have absolute error ~n·ε·||C||")
gap = np.min(-np.diff(ref_vals))
parity.check("PCA eigenvectors of wine correlation (signs normalised)", ours=fix_signs(evecs),
             reference=fix_signs(ref_vecs), atol=10 * 13 * EPS * ref_vals[0] / gap,
             why=f"error ~ n·ε·||C|| / gap, smallest gap {gap:.3g}")
parity.check("singular values of the diabetes design (augmented route)", ours=lambda: svd(A_d)[1],
             reference=lambda: np.linalg.svd(A_d, compute_uv=False),
             atol=10 * 11 * EPS * np.linalg.norm(A_d, 2), why="absolute error ~n·ε·σ₁")
parity.check("right singular vectors of the diabetes design", ours=fix_signs(svd(A_d)[2].T),
             reference=fix_signs(np.linalg.svd(A_d, full_matrices=False)[2].T),
             atol=kappa_tol(A_d) * 1e2,
             why="error ~ ε·σ₁/gap; the relative gaps of the diabetes spectrum are ≥ 1e-2, hence 10²·(10·n·κ·ε)")

x_ref_d = np.linalg.lstsq(A_d, y_d, rcond=None)[0]
for method, power in (("qr", 1), ("svd", 1), ("normal", 2)):
    parity.check(f"least squares on diabetes, {method} vs numpy.linalg.lstsq",
                 ours=lambda m=method: lstsq(A_d, y_d, method=m),
                 reference=lambda: np.linalg.lstsq(A_d, y_d, rcond=None)[0],
                 atol=kappa_tol(A_d, power) * np.abs(x_ref_d).max()
                 + (kappa_tol(A_d, 2) * np.linalg.norm(A_d @ x_ref_d - y_d) / np.linalg.norm(A_d, 2)
                    if power == 1 else 0.0),
                 why=f"10·n·κ^{power}·ε·|x| (+ the κ²ε·‖r‖/(‖A‖‖x‖) residual term for QR/SVD)")
x_ref_c = np.linalg.lstsq(A_c, y_c, rcond=None)[0]
r_term = kappa_tol(A_c, 2) * np.linalg.norm(A_c @ x_ref_c - y_c) / np.linalg.norm(A_c, 2)
parity.check("least squares on California housing, QR vs numpy.linalg.lstsq",
             ours=lambda: lstsq(A_c, y_c, method="qr"), reference=lambda: np.linalg.lstsq(A_c, y_c, rcond=None)[0],
             atol=kappa_tol(A_c) * np.abs(x_ref_c).max() + r_term,
             why="10·n·(κε·|x| + κ²ε·‖r‖/‖A‖): large residual (R² ≈ 0.64)")
H8 = hilbert_like(8, 8)
parity.check("2-norm condition numbers (diabetes, wine corr., Hilbert 8)",
             ours=[cond(A_d), cond(C), cond(H8)], reference=[np.linalg.cond(A_d), np.linalg.cond(C), np.linalg.cond(H8)],
             rtol=10 * 11 * np.linalg.cond(H8) * EPS, why="σ_min has relative error ~κε; worst κ is Hilbert's 1.5e10")
parity.check("1-norm condition numbers (wine corr., Hilbert 8)", ours=[cond(C, p=1), cond(H8, p=1)],
             reference=[np.linalg.cond(C, 1), np.linalg.cond(H8, 1)],
             rtol=10 * 8 * np.linalg.cond(H8, 1) * EPS, why="inverse by LU on both sides: relative error ~κ₁ε")

# %%
parity.table()
