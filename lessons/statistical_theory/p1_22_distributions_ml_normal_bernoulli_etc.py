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
# # P1.22 · Distributions in ML: Normal, Bernoulli, Binomial, Poisson, Exponential, Gamma, Beta, t, χ², MVN
#
# Every loss function you minimise is a negative log-likelihood in disguise, and the distribution
# you assume picks the loss. This lesson writes ten distributions from scratch — density, log-density,
# distribution function, quantile function, sampler, moments — checks each against `scipy.stats`, and
# looks at real data through them.
#
# ## Which distribution, and what it does in ML
#
# | distribution | density / pmf | mean, variance | role in ML |
# |---|---|---|---|
# | Normal $N(\mu,\sigma^2)$ | $\frac{1}{\sigma\sqrt{2\pi}}e^{-(x-\mu)^2/2\sigma^2}$ | $\mu$, $\sigma^2$ | Gaussian noise ⇒ least squares (MSE) |
# | Bernoulli$(p)$ | $p^k(1-p)^{1-k}$, $k\in\{0,1\}$ | $p$, $p(1-p)$ | binary labels ⇒ log-loss (cross-entropy) |
# | Binomial$(n,p)$ | $\binom nk p^k(1-p)^{n-k}$ | $np$, $np(1-p)$ | successes in $n$ trials; A/B conversions |
# | Poisson$(\mu)$ | $\mu^k e^{-\mu}/k!$ | $\mu$, $\mu$ | counts ⇒ Poisson regression (log link) |
# | Exponential$(\lambda)$ | $\lambda e^{-\lambda x}$, $x\ge0$ | $1/\lambda$, $1/\lambda^2$ | waiting times, survival with constant hazard |
# | Gamma$(a,\theta)$ | $\frac{x^{a-1}e^{-x/\theta}}{\Gamma(a)\theta^a}$ | $a\theta$, $a\theta^2$ | positive skewed targets; prior for a precision or rate |
# | Beta$(a,b)$ | $\frac{x^{a-1}(1-x)^{b-1}}{B(a,b)}$ | $\frac{a}{a+b}$, $\frac{ab}{(a+b)^2(a+b+1)}$ | prior for a probability (P1.03), Thompson sampling |
# | Student $t_\nu$ | $\frac{\Gamma(\frac{\nu+1}2)}{\sqrt{\nu\pi}\Gamma(\frac\nu2)}(1+\frac{x^2}\nu)^{-\frac{\nu+1}2}$ | $0$, $\frac{\nu}{\nu-2}$ | small-sample means (t-test), robust regression |
# | $\chi^2_k$ | $\frac{x^{k/2-1}e^{-x/2}}{2^{k/2}\Gamma(k/2)}$ | $k$, $2k$ | sample variances, goodness-of-fit, LR tests |
# | MVN $N_d(\mu,\Sigma)$ | $\frac{\exp(-\frac12(x-\mu)^\top\Sigma^{-1}(x-\mu))}{(2\pi)^{d/2}\lvert\Sigma\rvert^{1/2}}$ | $\mu$, $\Sigma$ | GDA/LDA, Gaussian processes, VAEs |
#
# **Gaussian noise ⇒ MSE.** If $y_i = f(x_i) + \varepsilon_i$ with $\varepsilon_i \sim N(0,\sigma^2)$
# independent, then $-\log p(y \mid f) = \frac{1}{2\sigma^2}\sum_i (y_i - f(x_i))^2 + \frac n2\log(2\pi\sigma^2)$:
# maximising the likelihood *is* minimising the squared error. **Bernoulli ⇒ log-loss.** With
# $P(y_i = 1) = p_i$, $-\log p(y) = -\sum_i [y_i\log p_i + (1-y_i)\log(1-p_i)]$, the cross-entropy of
# logistic regression and every binary classifier. Swap the noise for Laplace and you get the absolute
# error; for Poisson you get the Poisson deviance of count regression.
#
# ## Relations (how the family hangs together)
#
# * $\mathrm{Bin}(n, p) = $ sum of $n$ independent Bernoulli$(p)$; $\mathrm{Bin}(n, \mu/n) \to \mathrm{Pois}(\mu)$ as $n\to\infty$.
# * $\mathrm{Exp}(\lambda) = \mathrm{Gamma}(1, 1/\lambda)$; the sum of $a$ independent Exp is $\mathrm{Gamma}(a, 1/\lambda)$.
# * $\chi^2_k = \sum_{i=1}^k Z_i^2 = \mathrm{Gamma}(k/2, 2)$; for normal data $(n-1)s^2/\sigma^2 \sim \chi^2_{n-1}$.
# * $t_\nu = Z / \sqrt{V/\nu}$ with $V\sim\chi^2_\nu$ independent of $Z$: the studentised mean
#   $(\bar x - \mu)/(s/\sqrt n) \sim t_{n-1}$, heavier-tailed than $N(0,1)$ because $s$ is itself noisy.
#   As $\nu\to\infty$, $t_\nu \to N(0,1)$.
# * $\mathrm{Beta}(a,b) = X/(X+Y)$ for $X\sim\mathrm{Gamma}(a)$, $Y\sim\mathrm{Gamma}(b)$ independent.
#
# ## A few derivations
#
# **Bernoulli.** $E[X] = 0\cdot(1-p) + 1\cdot p = p$; $X^2 = X$ so $E[X^2] = p$ and
# $\mathrm{Var}X = p - p^2 = p(1-p)$. **Binomial** by linearity: $E = np$, and independent variances add, $np(1-p)$.
#
# **Poisson.** $E[X] = \sum_{k\ge1} k\frac{\mu^k e^{-\mu}}{k!} = \mu\sum_{k\ge1}\frac{\mu^{k-1}e^{-\mu}}{(k-1)!} = \mu$;
# the same shift gives $E[X(X-1)] = \mu^2$, so $\mathrm{Var}X = \mu^2 + \mu - \mu^2 = \mu$: *mean equals
# variance*, which real counts rarely obey (over-dispersion, below).
#
# **Gamma.** $E[X] = \int_0^\infty x\frac{x^{a-1}e^{-x}}{\Gamma(a)}dx = \frac{\Gamma(a+1)}{\Gamma(a)} = a$ and
# $E[X^2] = \frac{\Gamma(a+2)}{\Gamma(a)} = a(a+1)$, so $\mathrm{Var}X = a$ (scale 1; multiply by $\theta$, $\theta^2$).
#
# **Normal integrates to 1.** $I^2 = \int\int e^{-(x^2+y^2)/2}dx\,dy = \int_0^{2\pi}\int_0^\infty e^{-r^2/2}r\,dr\,d\theta = 2\pi$.
# The same polar change of variables is **Box–Muller**, our normal sampler: with $U_1, U_2$ uniform,
# $R = \sqrt{-2\log U_1}$ (since $R^2/2 \sim \mathrm{Exp}(1)$) and $\Theta = 2\pi U_2$ give two independent
# normals $R\cos\Theta$, $R\sin\Theta$.
#
# ## How the code computes them
#
# `mlweekly.statistical_theory.distributions` has classes named as in `scipy.stats` and frozen like them:
# `norm(loc, scale).pdf(x)`, `gamma(a, loc, scale)`, `binom(n, p)`. Continuous families are written in
# standard form and shifted/scaled: $f_X(x) = f_Z((x-\text{loc})/\text{scale})/\text{scale}$.
#
# * **Densities in logs** (`logpdf` first, `pdf = exp(logpdf)`): $\binom{1000}{500}$ overflows a float,
#   its logarithm does not. $\log\binom nk = -\log(n+1) - \log B(n-k+1, k+1)$ via `betaln`.
# * **Distribution functions and quantiles** are special functions — the lesson is about distributions,
#   not about evaluating $\int_0^x t^{a-1}e^{-t}dt$ — so they come from `scipy.special`:
#   $\Phi$ = `ndtr`, $\Phi^{-1}$ = `ndtri`; Gamma and $\chi^2$ CDFs are the regularised incomplete gamma
#   $P(a, x)$ = `gammainc` (inverse `gammaincinv`); Beta is $I_x(a,b)$ = `betainc`; Student's CDF `stdtr`,
#   its inverse `stdtrit`. The **discrete CDFs** have closed forms in the same functions:
#   $P(\mathrm{Pois}(\mu)\le k) = Q(k+1, \mu)$ (upper incomplete gamma) and
#   $P(\mathrm{Bin}(n,p) \le k) = I_{1-p}(n-k, k+1)$ — no sum over $k$ terms.
# * **Sampling from uniforms only** (`Generator.random`): Normal by Box–Muller; Exponential by inverse
#   CDF, $-\log U$; Gamma by Marsaglia–Tsang (2000) rejection (for $a<1$: $G_{a+1}U^{1/a}$); $\chi^2$ as
#   $2\,\mathrm{Gamma}(k/2)$; Beta as $X/(X+Y)$; $t$ as $Z/\sqrt{V/\nu}$; Bernoulli, Binomial, Poisson by
#   **inverse CDF**, `ppf(U)` — the discrete `ppf` brackets and bisects for the smallest $k$ with
#   $F(k)\ge q$; MVN as $\mu + Lz$ with $\Sigma = LL^\top$.
# * **Multivariate normal** through the Cholesky factor: with $y = L^{-1}(x-\mu)$ (one triangular solve),
#   $(x-\mu)^\top\Sigma^{-1}(x-\mu) = y^\top y$ and $\log|\Sigma| = 2\sum_i\log L_{ii}$ — no inverse, no
#   determinant of a large matrix. The Cholesky factor exists iff $\Sigma$ is positive definite, so its
#   failure is the check, and the error says so (with the smallest eigenvalue).
#
# ## Pitfalls
# * `scale` is $\sigma$, not $\sigma^2$; the exponential's `scale` is $1/\lambda$; the Gamma's is $\theta$
#   (numpy's `gamma(shape, scale)` agrees, many textbooks use the rate $\beta = 1/\theta$).
# * The Student-$t$ mean does not exist for $\nu\le1$ (Cauchy). We return NaN; scipy returns `inf`.
# * `ppf(0)` of a discrete distribution is `lower - 1` (scipy's convention), and a discrete `ppf` is a step
#   function: at $q$ exactly equal to an atom $F(k)$, one ulp of rounding in $q$ moves the answer by one.
# * Mean = variance is a *testable* Poisson assumption; counts with variance ≫ mean need a
#   negative binomial (Gamma-mixed Poisson).
# * A density is not a probability: `pdf` can exceed 1 (Beta(0.5, 0.5) near 0), only areas are probabilities.
#
# ## References
# * C. M. Bishop, *Pattern Recognition and Machine Learning* (2006), ch. 2 and appendix B (the distributions).
# * K. P. Murphy, *Probabilistic Machine Learning: An Introduction* (2022), ch. 2–3.
# * L. Devroye, *Non-Uniform Random Variate Generation* (1986), ch. II (inversion), IX (Gamma, Beta, t).
# * G. Marsaglia, W. W. Tsang, "A simple method for generating gamma variables", *ACM TOMS* 26 (2000).
# * G. E. P. Box, M. E. Muller, "A note on the generation of random normal deviates", *Ann. Math. Stat.* 29 (1958).

# %%
import matplotlib.pyplot as plt
import numpy as np
import scipy.stats as st

from mlweekly import datasets, parity
from mlweekly.statistical_theory import distributions as D

SEED = 0

# %% [markdown]
# ## Sampling from scratch: histograms of 20,000 draws against the density
#
# Each panel draws with our sampler and overlays our density (pmf for the discrete ones). A wrong
# sampler shows as a histogram that does not follow the curve; the parity section tests it formally.

# %%
panels = [
    ("norm(2, 3) — Box–Muller", D.norm(2, 3)),
    ("expon(scale=2) — inverse CDF", D.expon(0, 2)),
    ("gamma(0.7) — Marsaglia–Tsang", D.gamma(0.7)),
    ("gamma(5, scale=2)", D.gamma(5, 0, 2)),
    ("beta(2, 5) — X/(X+Y)", D.beta(2, 5)),
    ("t(3) — Z/sqrt(V/ν)", D.t(3)),
    ("chi2(4) — 2·Gamma(2)", D.chi2(4)),
    ("binom(20, 0.3) — inverse CDF", D.binom(20, 0.3)),
    ("poisson(4.5) — inverse CDF", D.poisson(4.5)),
]
fig, axes = plt.subplots(3, 3, figsize=(11, 8))
for ax, (title, dist) in zip(axes.ravel(), panels, strict=True):
    x = dist.rvs(20_000, random_state=SEED)
    if hasattr(dist, "pmf"):
        k = np.arange(x.min(), x.max() + 1)
        ax.bar(k, np.bincount(x - x.min()) / x.size, color="C0", alpha=0.5, label="draws")
        ax.plot(k, dist.pmf(k), "ko", ms=3, label="pmf")
    else:
        lo, hi = dist.ppf([0.001, 0.999])
        ax.hist(x[(x > lo) & (x < hi)], bins=60, density=True, alpha=0.5, label="draws")
        grid = np.linspace(lo, hi, 300)
        ax.plot(grid, dist.pdf(grid) / (1 - 0.002), "k", lw=1.2, label="pdf")
    ax.set_title(title, fontsize=9)
axes[0, 0].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## The central limit theorem, watched
#
# The mean of $n$ draws from *any* distribution with finite variance, standardised, tends to $N(0,1)$:
# $\sqrt n(\bar X_n - \mu)/\sigma \Rightarrow N(0,1)$. The exponential is skewed (skewness 2) and the
# Bernoulli(0.1) is two spikes; the skewness of the mean shrinks like $2/\sqrt n$ and
# $(1-2p)/\sqrt{np(1-p)}$, so at $n=2$ both are far from normal and at $n=100$ close. Beyond the means,
# this is why the Normal is the default noise model: an error that is a sum of many small effects.

# %%
rng = np.random.default_rng(SEED)
fig, axes = plt.subplots(2, 3, figsize=(11, 5.5), sharey="row")
z = np.linspace(-4, 4, 200)
for row, (name, dist) in enumerate([("expon(1)", D.expon()), ("bernoulli(0.1)", D.bernoulli(0.1))]):
    for ax, n in zip(axes[row], (2, 10, 100), strict=True):
        means = dist.rvs((10_000, n), random_state=rng).mean(axis=1)
        zs = np.sqrt(n) * (means - dist.mean()) / dist.std()
        ax.hist(zs, bins=np.arange(-4, 4.01, 8 / 40 if n > 10 else 8 / 20), density=True, alpha=0.5)
        ax.plot(z, D.norm().pdf(z), "k")
        ax.set_title(f"{name}: standardised mean, n = {n}", fontsize=9)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Real data through the distributions
#
# **Diabetes progression vs a fitted Normal.** The 442 disease-progression scores (Efron et al., 2004)
# with the Normal of the same mean and standard deviation, and a **QQ plot**: sorted data against the
# Normal quantiles `ppf((i - 0.5)/n)`. Points on the line mean the model fits; here the lower tail is
# lighter than Normal (scores are bounded below, around 25) and the data are right-skewed — MSE is
# still the natural loss for a regression on it, but a Normal predictive interval would be too wide
# below and too narrow above.

# %%
y = datasets.load("diabetes").target.to_numpy(dtype=float)
fitted = D.norm(y.mean(), y.std())
probs = (np.arange(1, y.size + 1) - 0.5) / y.size
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.hist(y, bins=30, density=True, alpha=0.5, label="diabetes target")
grid = np.linspace(y.min() - 50, y.max() + 50, 300)
ax1.plot(grid, fitted.pdf(grid), "k", label=f"N({y.mean():.0f}, {y.std():.0f}²)")
ax1.set(xlabel="progression one year after baseline", ylabel="density")
ax1.legend()
ax2.plot(fitted.ppf(probs), np.sort(y), ".", ms=3)
ax2.plot(grid, grid, "k", lw=1)
ax2.set(xlabel="Normal quantile", ylabel="sorted data", title="QQ plot vs the fitted Normal")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Telco tenure: a count, but not a Poisson.** Tenure is the number of months a customer has stayed
# (0–72). A Poisson with the same mean forces variance = mean ≈ 32, while the data's variance is about
# 600: the Poisson pmf is a narrow spike around 32 that misses the mass of new customers and the peak of
# long-standing ones at 72 (the data stop there). The **Gamma** with moment-matched shape
# $a = \bar x^2/s^2$ and scale $s^2/\bar x$ has room for the spread. **Monthly charges** are bimodal
# (phone-only customers near \$20, fibre customers near \$80): no single Gamma fits, a mixture would.

# %%
telco = datasets.load("telco_churn").frame
tenure = telco["tenure"].to_numpy()
m, v = tenure.mean(), tenure.var()
print(f"tenure: mean {m:.1f}, variance {v:.1f}  (Poisson needs variance = mean)")
k = np.arange(0, 80)
charges = telco["MonthlyCharges"].to_numpy(dtype=float)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.bar(k, np.bincount(tenure, minlength=k.size)[: k.size] / tenure.size, color="C0", alpha=0.5, label="tenure")
ax1.plot(k, D.poisson(m).pmf(k), "C3", label=f"Poisson(μ = {m:.1f})")
gam = D.gamma(m * m / v, 0, v / m)
ax1.plot(k, gam.cdf(k + 0.5) - gam.cdf(k - 0.5), "k", label=f"Gamma(a = {m * m / v:.2f}), binned")
ax1.set(xlabel="tenure (months)", ylabel="share of customers")
ax1.legend()
cm, cv = charges.mean(), charges.var()
ax2.hist(charges, bins=50, density=True, alpha=0.5, label="monthly charges")
g = np.linspace(0, 140, 300)
ax2.plot(g, D.gamma(cm * cm / cv, 0, cv / cm).pdf(g), "k", label="moment-matched Gamma")
ax2.set(xlabel="monthly charges ($)")
ax2.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# **A bivariate normal on the iris petals.** Petal length and width of *Iris versicolor* (50 flowers),
# with the MVN of their sample mean and covariance: the contours are the ellipses
# $(x-\mu)^\top\Sigma^{-1}(x-\mu) = c$, where $c = \chi^2_{2}$ quantiles — for a $d$-variate normal the
# squared Mahalanobis distance is $\chi^2_d$, so the 50%, 90% and 99% ellipses should hold about
# that share of the points.

# %%
iris = datasets.load("iris")
petals = iris.data[["petal length (cm)", "petal width (cm)"]].to_numpy()[iris.target.to_numpy() == 1]
mvn = D.multivariate_normal(petals.mean(axis=0), np.cov(petals.T, bias=True))
gx, gy = np.meshgrid(np.linspace(2.8, 5.4, 200), np.linspace(0.8, 1.9, 200))
dens = mvn.logpdf(np.dstack([gx, gy]))
levels = mvn.logpdf(mvn.mean) - 0.5 * D.chi2(2).ppf([0.99, 0.9, 0.5])
maha = -2 * (mvn.logpdf(petals) - mvn.logpdf(mvn.mean))
for lev in (0.5, 0.9, 0.99):
    print(f"inside the {lev:.0%} ellipse: {np.mean(maha <= D.chi2(2).ppf(lev)):.0%} of the 50 flowers")
fig, ax = plt.subplots(figsize=(5.5, 4))
ax.contour(gx, gy, dens, levels=levels, colors="k", linewidths=0.8)
ax.plot(*petals.T, "C1.", label="versicolor")
ax.set(xlabel="petal length (cm)", ylabel="petal width (cm)", title="MVN contours: 50%, 90%, 99%")
ax.legend()
plt.show()

# %% [markdown]
# ## Parity checks
#
# **Functions vs `scipy.stats`** for every distribution, on three parameter sets each (drawn at random,
# seeded) over a grid that covers both tails and points outside the support. Tolerances:
#
# * `logpdf`/`pdf`: `rtol=1e-10`. Our log-densities are differences of `gammaln`/`betaln` terms of size
#   up to $a\log a$; scipy (often via Boost) evaluates the same density with different cancellations.
#   For shape parameters above ~$10^4$ the float64 rounding of those terms alone exceeds 1e-10 in scipy
#   as in ours, so the random parameters stay below $10^3$. Densities below $10^{-290}$ (subnormal,
#   fewer digits) are compared absolutely.
# * `cdf`/`sf`/`ppf`/`isf`, mean and variance: `rtol=1e-12` — the same special function on the same argument.
#   Discrete CDFs below $10^{-250}$ are compared absolutely: that deep in the tail scipy's (Boost) binomial
#   CDF loses relative accuracy — against exact rational arithmetic it is off by $2.5\times10^{-11}$ at
#   `binom(268, 61/64).cdf(34)` $\approx 2.7\times10^{-269}$ and returns 0 for $6.9\times10^{-301}$ — while our
#   `betaincc` form is exact there (tested in `tests/statistical_theory/test_distributions.py`).
# * Discrete `ppf`: exact integers, on uniform $q$ (at $q$ exactly equal to an atom $F(k)$, scipy's binomial
#   ppf can return $k$ even when $F(k)$ is one ulp below $q$; ours follows the definition).

# %%
rng = np.random.default_rng(SEED)


def continuous_values(dist, x, q):
    return np.r_[dist.logpdf(x), dist.pdf(x), dist.cdf(x), dist.sf(x), dist.ppf(q), dist.isf(q), dist.mean(), dist.var()]


q = np.r_[0.0, np.geomspace(1e-12, 0.5, 12), 1 - np.geomspace(1e-9, 0.5, 12)[::-1], 1.0]
families = {
    "norm": (lambda: (rng.uniform(-100, 100), rng.uniform(0.1, 100)), D.norm, st.norm),
    "expon": (lambda: (rng.uniform(-10, 10), rng.uniform(0.1, 100)), D.expon, st.expon),
    "gamma": (lambda: (rng.uniform(0.1, 50), 0.0, rng.uniform(0.1, 10)), D.gamma, st.gamma),
    "beta": (lambda: (rng.uniform(0.1, 50), rng.uniform(0.1, 50)), D.beta, st.beta),
    "t": (lambda: (rng.uniform(1.1, 100), rng.uniform(-5, 5), rng.uniform(0.1, 10)), D.t, st.t),
    "chi2": (lambda: (rng.uniform(0.5, 200),), D.chi2, st.chi2),
}
for name, (draw, ours_cls, ref_cls) in families.items():
    for _ in range(3):
        args = draw()
        ours, ref = ours_cls(*args), ref_cls(*args)
        lo, hi = ref.ppf([1e-12, 1 - 1e-12])
        x = np.linspace(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo), 101)
        ok = ref.pdf(x) > 1e-290
        x = x[ok | (ref.pdf(x) == 0)]
        parity.check(
            f"{name}{tuple(round(a, 3) for a in args)}: logpdf, pdf, cdf, sf, ppf, isf, mean, var",
            lambda o=ours, x=x: continuous_values(o, x, q),
            lambda r=ref, x=x: continuous_values(r, x, q),
            rtol=1e-10,
            atol=1e-300,
            why="densities: gammaln/betaln differences (1e-10); cdf/ppf are the same special functions",
        )

# %%
discrete = {
    "bernoulli": [(0.1,), (0.5,), (0.93,)],
    "binom": [(10, 0.3), (250, 0.02), (1000, 0.71)],
    "poisson": [(0.4,), (12.5,), (900.0,)],
}
u = np.sort(rng.random(500))
for name, arg_sets in discrete.items():
    for args in arg_sets:
        ours, ref = getattr(D, name)(*args), getattr(st, name)(*args)
        k = np.arange(-2, ref.ppf(1 - 1e-15) + 3)
        parity.check(
            f"{name}{args}: logpmf, pmf, cdf, sf, mean, var on every k",
            lambda o=ours, k=k: np.r_[o.logpmf(k), o.pmf(k), o.cdf(k), o.sf(k), o.mean(), o.var()],
            lambda r=ref, k=k: np.r_[r.logpmf(k), r.pmf(k), r.cdf(k), r.sf(k), r.mean(), r.var()],
            rtol=1e-10,
            atol=1e-250,
            why="log C(n,k) via betaln vs Boost's pmf (1e-10); CDFs: incomplete beta/gamma; < 1e-250 absolute",
        )
        parity.check(
            f"{name}{args}: ppf on 500 uniform q (exact)",
            lambda o=ours: o.ppf(u),
            lambda r=ref: r.ppf(u),
            atol=0,
            why="integers: the smallest k with F(k) >= q",
        )

# %% [markdown]
# **Multivariate normal** log-density by our Cholesky route vs `scipy.stats.multivariate_normal`
# (which uses an eigendecomposition) on a 4-d covariance with condition number ~100 and on the
# iris petals: `rtol=1e-10` (two factorisations of the same matrix agree to ~$\kappa\epsilon$).

# %%
A = rng.normal(size=(4, 4))
cov4 = A @ A.T + 0.5 * np.eye(4)
mu4 = rng.normal(size=4)
X4 = rng.normal(size=(200, 4)) * 2
parity.check(
    "multivariate_normal logpdf, d = 4, 200 points",
    lambda: D.multivariate_normal(mu4, cov4).logpdf(X4),
    lambda: st.multivariate_normal(mu4, cov4).logpdf(X4),
    rtol=1e-10,
    why="Cholesky vs eigendecomposition of the same matrix, κ ~ 1e2",
)
parity.check(
    "multivariate_normal logpdf on iris versicolor petals",
    lambda: mvn.logpdf(petals),
    lambda: st.multivariate_normal(mvn.mean, mvn.cov).logpdf(petals),
    rtol=1e-10,
    why="same as above",
)

# %% [markdown]
# **Samplers.** Draws cannot equal scipy's (different algorithms, different streams), so we test what a
# sampler promises: the sample mean of $n = 200{,}000$ draws lies within $k = 4$ standard errors
# $\sigma/\sqrt n$ of the exact mean (a correct sampler fails this with probability $6\times10^{-5}$;
# seeded, so the verdict is deterministic), and the Kolmogorov–Smirnov distance to our own CDF stays
# below its 0.1% critical value $1.95/\sqrt n$ (for discrete laws the KS test is conservative).

# %%
n_draw = 200_000
for name, dist in [(t_, d) for t_, d in panels] + [("bernoulli(0.1)", D.bernoulli(0.1))]:
    draws = dist.rvs(n_draw, random_state=SEED)
    se = dist.std() / np.sqrt(n_draw)
    parity.check(
        f"sampler {name}: sample mean within 4 SE",
        draws.mean(),
        dist.mean(),
        atol=4 * se,
        why=f"SE = {se:.2g}; seeded",
    )
    if not hasattr(dist, "pmf"):
        parity.check(
            f"sampler {name}: KS distance below the 0.1% critical value",
            st.kstest(draws, dist.cdf).statistic,
            0.0,
            atol=1.95 / np.sqrt(n_draw),
            why="Kolmogorov's limit: P(√n D > 1.95) ≈ 0.001",
        )

# %% [markdown]
# **Moments derived in the notes** vs numerical integration / summation of our own densities
# (`scipy.integrate.quad` at `epsrel=1e-12`; Poisson summed to $k = 200$): `rtol=1e-9`.

# %%
from scipy import integrate


def quad_moments(dist):
    lo, hi = dist.ppf([0.0, 1.0])
    m1 = integrate.quad(lambda x: x * dist.pdf(x), lo, hi, epsrel=1e-12, epsabs=0, limit=200)[0]
    m2 = integrate.quad(lambda x: (x - m1) ** 2 * dist.pdf(x), lo, hi, epsrel=1e-12, epsabs=0, limit=200)[0]
    return [m1, m2]


for dist in (D.gamma(3.5, 0, 2), D.beta(2, 5), D.t(7), D.chi2(5)):
    parity.check(
        f"mean, var of {dist!r} vs quadrature of its pdf",
        lambda d=dist: [d.mean(), d.var()],
        lambda d=dist: quad_moments(d),
        rtol=1e-9,
        why="quad at epsrel 1e-12",
    )
kk = np.arange(0, 200)
pois = D.poisson(12.5)
parity.check(
    "Poisson(12.5): mean = variance = μ vs summing k·pmf and (k-μ)²·pmf",
    [pois.mean(), pois.var()],
    [np.sum(kk * pois.pmf(kk)), np.sum((kk - 12.5) ** 2 * pois.pmf(kk))],
    rtol=1e-12,
    why="the tail beyond k = 200 is < 1e-100",
)

# %%
parity.table()
