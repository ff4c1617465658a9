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
# # P1.21 · Confidence intervals & error
#
# A point estimate without an error bar is half an answer. This lesson builds intervals for means
# (z and t), for proportions (Wald, Wilson, Clopper–Pearson, Agresti–Coull) and for anything at all
# (the bootstrap: percentile and BCa), and then asks the question that separates them: **does a
# "95%" interval really cover the truth 95% of the time?**
#
# ## What a confidence interval is
#
# A $1-\alpha$ confidence interval is a pair of statistics $[L(X), U(X)]$ with
# $P_\theta(L(X) \le \theta \le U(X)) \ge 1-\alpha$ for every $\theta$. The probability is over the
# *data*; $\theta$ is fixed. A computed interval, say $[0.255, 0.276]$, either contains $\theta$ or not
# — "95%" describes the procedure (95% of intervals built this way cover), not this interval
# (that is the Bayesian credible interval of P1.03). The **coverage** $C(\theta) =
# P_\theta(\theta \in [L, U])$ is a function of $\theta$; an interval is *exact* if $C \equiv 1-\alpha$,
# conservative if $C \ge 1-\alpha$.
#
# ## Pivots: the z and t intervals
#
# A **pivot** is a function of data and parameter whose distribution does not depend on the
# parameter. For normal data with known $\sigma$, $Z = (\bar x - \mu)/(\sigma/\sqrt n) \sim N(0,1)$, so
#
# $$1 - \alpha = P\big(-z_{1-\alpha/2} \le Z \le z_{1-\alpha/2}\big)
# = P\Big(\bar x - z_{1-\alpha/2}\tfrac{\sigma}{\sqrt n} \le \mu \le \bar x + z_{1-\alpha/2}\tfrac{\sigma}{\sqrt n}\Big).$$
#
# With $\sigma$ estimated, $T = (\bar x - \mu)/(s/\sqrt n) \sim t_{n-1}$ (P1.20) and
# $\bar x \pm t_{1-\alpha/2,\,n-1}\, s/\sqrt n$ is exact for normal data and asymptotically right
# for any finite-variance data by the CLT. **Duality**: $\mu_0$ lies in the $1-\alpha$ interval iff
# the two-sided level-$\alpha$ test of $H_0: \mu = \mu_0$ does not reject — an interval is the set of
# nulls the data cannot reject.
#
# ## Intervals for a proportion
#
# $k$ successes in $n$ trials, $\hat p = k/n$, $z = z_{1-\alpha/2}$.
#
# * **Wald** (the textbook one): $\hat p \pm z\sqrt{\hat p(1-\hat p)/n}$. It inverts the test with
#   the variance estimated at $\hat p$. At $k=0$ it is $[0, 0]$; for small $n$ or $p$ near 0 or 1 its
#   coverage collapses and oscillates wildly (Brown, Cai & DasGupta, 2001).
# * **Wilson** (score, 1927): invert the test with the variance *at the null value*: solve
#   $(\hat p - p)^2 \le z^2 p(1-p)/n$, a quadratic in $p$, whose roots are
#   $$\frac{\hat p + \frac{z^2}{2n}}{1 + \frac{z^2}{n}} \pm \frac{z}{1+\frac{z^2}{n}}
#   \sqrt{\frac{\hat p(1-\hat p)}{n} + \frac{z^2}{4n^2}}.$$
#   Centred between $\hat p$ and $1/2$, never outside $[0,1]$, coverage close to nominal.
# * **Agresti–Coull** (1998): "add $z^2/2 \approx 2$ successes and 2 failures", then Wald:
#   $\tilde n = n + z^2$, $\tilde p = (k + z^2/2)/\tilde n$, $\tilde p \pm z\sqrt{\tilde p(1-\tilde p)/\tilde n}$.
# * **Clopper–Pearson** (1934, "exact"): invert the two one-sided *binomial* tests,
#   $P(X \ge k \mid p_L) = \alpha/2$ and $P(X \le k \mid p_U) = \alpha/2$. The binomial–beta identity
#   $P(X \ge k \mid p) = I_p(k, n-k+1)$ (regularised incomplete beta) turns these into beta quantiles,
#   $p_L = B^{-1}_{\alpha/2}(k, n-k+1)$, $p_U = B^{-1}_{1-\alpha/2}(k+1, n-k)$ (`betaincinv`).
#   Coverage is $\ge 1-\alpha$ for every $p$ — and therefore usually well above: conservative.
#
# Because $k$ is discrete, no interval has coverage exactly $1-\alpha$ at every $p$; we can compute
# $C(p) = \sum_{k=0}^n \binom nk p^k(1-p)^{n-k}\,[p \in I(k)]$ *exactly*, no simulation needed.
#
# ## The bootstrap
#
# When no pivot is known (a median, a ratio, a correlation) Efron's bootstrap (1979) replaces the
# unknown population $F$ by the empirical distribution $\hat F_n$: draw $B$ resamples of size $n$ with
# replacement, recompute $\hat\theta^*_b$, and use their spread as the sampling distribution.
# * **Percentile**: $[q_{\alpha/2}, q_{1-\alpha/2}]$ of the $\hat\theta^*$. Right if some monotone
#   transformation makes $\hat\theta$ normal and unbiased.
# * **BCa** (bias-corrected and accelerated, Efron 1987) fixes both assumptions: the bias correction
#   $\hat z_0 = \Phi^{-1}(\#\{\hat\theta^*_b < \hat\theta\}/B)$ measures the median bias, and the
#   acceleration $\hat a$, the rate at which the standard error changes with $\theta$, is estimated by
#   the jackknife: with leave-one-out values $\hat\theta_{(i)}$ and $U_i = \bar\theta_{(\cdot)} - \hat\theta_{(i)}$,
#   $$\hat a = \frac{\sum_i U_i^3}{6\big(\sum_i U_i^2\big)^{3/2}} .$$
#   The interval takes the quantiles at the adjusted levels
#   $\alpha_{1,2} = \Phi\!\big(\hat z_0 + \frac{\hat z_0 + z_{\alpha/2,\,1-\alpha/2}}{1 - \hat a(\hat z_0 + z_{\alpha/2,\,1-\alpha/2})}\big)$;
#   with $\hat z_0 = \hat a = 0$ it is the percentile interval. Its coverage error is $O(1/n)$
#   against $O(1/\sqrt n)$ for the percentile interval.
#
# ## Pitfalls
# * "There is a 95% probability that $\theta$ is in $[L, U]$" — not for a confidence interval.
# * Overlapping intervals for two groups do *not* mean "no significant difference"; compare the
#   interval of the difference.
# * The bootstrap needs i.i.d. data and a smooth statistic; it fails for the maximum, and with
#   $n = 10$ it cannot invent tails the sample does not show.
# * $B$ controls Monte Carlo error, $n$ controls statistical error: $B = 10^4$ does not make $n = 20$
#   any bigger.
# * Wald for proportions: avoid for $n\hat p < 10$ or so; prefer Wilson.
#
# ## References
# * L. Brown, T. Cai, A. DasGupta, "Interval estimation for a binomial proportion", *Statistical
#   Science* 16 (2001).
# * E. B. Wilson (1927); C. Clopper, E. Pearson (1934); A. Agresti, B. Coull (1998).
# * B. Efron, R. Tibshirani, *An Introduction to the Bootstrap* (1993), ch. 12–14 (§14.3 BCa).
# * B. Efron, "Better bootstrap confidence intervals", *JASA* 82 (1987).
# * L. Wasserman, *All of Statistics*, ch. 6 and 8.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import scipy.stats as st
from statsmodels.stats.proportion import proportion_confint as sm_confint
from statsmodels.stats.weightstats import zconfint

from mlweekly import datasets, parity
from mlweekly.statistical_theory.bootstrap import bootstrap
from mlweekly.statistical_theory.intervals import proportion_confint, t_interval, z_interval

SEED = 0
METHODS = {"normal": "Wald", "wilson": "Wilson", "beta": "Clopper–Pearson", "agresti_coull": "Agresti–Coull"}

# %% [markdown]
# ## Demo 1 — the churn rate of Telco customers
#
# All 7,043 customers, and a small "pilot" of the first 40: with $n$ in the thousands the four
# intervals agree to within 1e-4; with 40 their ends differ by up to 0.03.

# %%
churn = datasets.load("telco_churn").frame["Churn"].to_numpy()
k_all, n_all = int(churn.sum()), churn.size
k40 = int(churn[:40].sum())
rows = {}
for m, name in METHODS.items():
    rows[name] = [*proportion_confint(k_all, n_all, 0.05, m), *proportion_confint(k40, 40, 0.05, m)]
pd.DataFrame(rows, index=[f"all {n_all}: low", "high", f"first 40 ({k40} churned): low", "high"]).T.round(4)

# %% [markdown]
# ## Demo 2 — mean median income of California districts: t, z and bootstrap
#
# `median_income` (in $10,000s) of 20,640 block groups is right-skewed. With the full data the t,
# z and bootstrap intervals coincide. A random sample of 30 districts shows their differences.

# %%
income = datasets.load("california_housing").frame["median_income"].to_numpy(float)
rng = np.random.default_rng(SEED)
sub = rng.choice(income, 30, replace=False)
ivs = {
    "t (all)": t_interval(income),
    "z (all)": z_interval(income),
    "bootstrap BCa (all, B=2000)": bootstrap((income,), np.mean, n_resamples=2000, batch=250, rng=1)
    .confidence_interval,
    "t (n=30)": t_interval(sub),
    "bootstrap percentile (n=30)": bootstrap((sub,), np.mean, method="percentile", rng=1).confidence_interval,
    "bootstrap BCa (n=30)": bootstrap((sub,), np.mean, rng=1).confidence_interval,
    "bootstrap BCa median (n=30)": bootstrap((sub,), np.median, rng=1).confidence_interval,
}
print(f"population mean {income.mean():.4f}, sample-of-30 mean {sub.mean():.4f}")
pd.DataFrame(ivs, index=["low", "high"]).T.assign(width=lambda f: f.high - f.low).round(4)

# %%
boot = bootstrap((sub,), np.mean, rng=1)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.hist(boot.bootstrap_distribution, bins=60, density=True, color="C0", alpha=0.6, label="bootstrap means")
for (lo, hi), name, c in [(boot.confidence_interval, "BCa", "C3"), (t_interval(sub), "t", "k")]:
    ax.axvline(lo, color=c, ls="--")
    ax.axvline(hi, color=c, ls="--", label=f"95% {name}")
ax.axvline(income.mean(), color="C2", lw=2, label="population mean")
ax.set(xlabel="mean median income (x $10k)", title="Bootstrap distribution of the mean, n = 30")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Coverage: nominal vs actual
#
# **Proportions, exactly.** For each $p$ on a fine grid, sum the binomial probabilities of the $k$
# whose interval contains $p$. Wald's coverage (left) dives far below 95% near the edges and
# oscillates everywhere; Clopper–Pearson stays above 95% — by a margin you pay for in width;
# Wilson and Agresti–Coull hover around the nominal level.

# %%
p_grid = np.linspace(0.005, 0.995, 600)


def coverage(n, method):
    k = np.arange(n + 1)
    low, high = proportion_confint(k, n, 0.05, method)
    inside = (low[None, :] <= p_grid[:, None]) & (p_grid[:, None] <= high[None, :])
    return (st.binom.pmf(k[None, :], n, p_grid[:, None]) * inside).sum(axis=1)


fig, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
summary = {}
for ax, n in zip(axes, (20, 100), strict=True):
    for m, name in METHODS.items():
        c = coverage(n, m)
        summary[(n, name)] = (c.mean(), c.min())
        ax.plot(p_grid, c, lw=0.8, label=name)
    ax.axhline(0.95, color="k", lw=1)
    ax.set(xlabel="true p", title=f"n = {n}", ylim=(0.75, 1.0))
axes[0].set_ylabel("exact coverage")
axes[0].legend(fontsize=8)
fig.suptitle("Coverage of 95% intervals for a binomial proportion")
fig.tight_layout()
plt.show()
pd.DataFrame(summary, index=["mean coverage", "min coverage"]).T.round(3)

# %% [markdown]
# **Bootstrap on a skewed real population.** Treat the 20,640 districts' `population` counts
# (skewness ≈ 5) as the population, draw 400 samples of $n = 25$, and build 95% t, percentile and
# BCa intervals for the mean (B = 999 each). The Monte Carlo standard error of a coverage near 0.9
# is $\sqrt{0.9 \cdot 0.1/400} \approx 0.015$.

# %%
population = datasets.load("california_housing").frame["population"].to_numpy(float)
mu = population.mean()
rng = np.random.default_rng(SEED)
hits = {"t": [], "percentile": [], "BCa": []}
for r in range(400):
    x = rng.choice(population, 25)
    hits["t"].append(t_interval(x)[0] <= mu <= t_interval(x)[1])
    for m in ("percentile", "BCa"):
        lo, hi = bootstrap((x,), np.mean, n_resamples=999, method=m, rng=r).confidence_interval
        hits[m].append(lo <= mu <= hi)
cov = {m: np.mean(h) for m, h in hits.items()}
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(list(cov), list(cov.values()), yerr=[2 * np.sqrt(c * (1 - c) / 400) for c in cov.values()], capsize=4)
ax.axhline(0.95, color="k", lw=1)
ax.set(ylim=(0.7, 1.0), ylabel="coverage", title="95% intervals for the mean, skewed population, n = 25")
fig.tight_layout()
plt.show()
print({m: round(c, 3) for m, c in cov.items()})

# %% [markdown]
# All three fall short of 95%, and the differences between them are within about two Monte Carlo
# standard errors. Two effects work here. With $n = 25$ from a population this skewed, the sample
# rarely contains the long right tail that drives the mean, so every method sees too little spread.
# And the bootstrap intervals are *narrower* than the t interval by construction: the bootstrap
# variance of the mean is $\hat\sigma^2/n$ with the plug-in $\hat\sigma^2 = \frac1n\sum(x_i-\bar x)^2$
# (a factor $\sqrt{(n-1)/n}$ below $s$), and it uses normal-like quantiles where t uses
# $t_{24}$'s heavier ones. BCa's $O(1/n)$ coverage error is an *asymptotic* promise; at $n = 25$ it
# does not beat the t interval for a mean — its strength is statistics without a pivot, such as the
# median above.
#
# ## Parity checks
#
# * Proportion intervals vs statsmodels' `proportion_confint` (same four methods) at `rtol=1e-10`:
#   identical closed forms; Clopper–Pearson uses `betaincinv`/`betainccinv` here and boost's beta
#   quantile in scipy.stats, which agree to ~1e-15.
# * t and z intervals vs `scipy.stats.t.interval` / `norm.interval` and statsmodels' `zconfint`.
# * Bootstrap vs `scipy.stats.bootstrap`: we draw `rng.integers(0, n, (B, n))` per batch in SciPy's
#   order, so with the same seed, `n_resamples` and `batch` the **bootstrap distributions are
#   bit-identical** (compared with `atol=0`); the intervals then agree to rounding (`rtol=1e-12`;
#   BCa's jackknife sums differ in the last bits).

# %%
for m in METHODS:
    parity.check(f"proportion_confint {m}: Telco churn (all)", ours=proportion_confint(k_all, n_all, 0.05, m),
                 reference=sm_confint(k_all, n_all, 0.05, m), rtol=1e-10, why="same closed form")
    k = np.arange(41)
    parity.check(f"proportion_confint {m}: every k of n=40, alpha=0.1",
                 ours=np.array(proportion_confint(k, 40, 0.1, m)),
                 reference=np.array(sm_confint(k, 40, 0.1, m)), rtol=1e-10, atol=1e-15,
                 why="same closed form; 0 and 1 at the edges")
parity.check("t interval: California income (n=30)", ours=t_interval(sub),
             reference=st.t.interval(0.95, sub.size - 1, loc=sub.mean(), scale=st.sem(sub)), rtol=1e-10,
             why="t quantile by stdtrit vs scipy.stats.t.ppf")
parity.check("t interval 99%: California income (all)", ours=lambda: t_interval(income, 0.99),
             reference=lambda: st.t.interval(0.99, income.size - 1, loc=income.mean(), scale=st.sem(income)),
             rtol=1e-10, why="same")
parity.check("z interval (sigma known): n=30", ours=z_interval(sub, sigma=income.std()),
             reference=st.norm.interval(0.95, loc=sub.mean(), scale=income.std() / np.sqrt(30)), rtol=1e-10,
             why="normal quantile")
parity.check("z interval (s plugged in) vs statsmodels zconfint", ours=z_interval(sub),
             reference=zconfint(sub), rtol=1e-10, why="statsmodels' large-sample interval")
for m in ("percentile", "basic", "BCa"):
    ours_b = bootstrap((sub,), np.mean, method=m, rng=7)
    ref_b = st.bootstrap((sub,), np.mean, method=m, rng=7)
    parity.check(f"bootstrap distribution ({m}, n=30, seed 7)", ours=ours_b.bootstrap_distribution,
                 reference=ref_b.bootstrap_distribution, atol=0, why="same rng.integers calls: identical resamples")
    parity.check(f"bootstrap {m} interval (n=30)", ours=ours_b.confidence_interval,
                 reference=ref_b.confidence_interval, rtol=1e-12, why="same resamples; rounding only")
ours_m = bootstrap((sub,), np.median, rng=3, n_resamples=5000, batch=1000)
ref_m = st.bootstrap((sub,), np.median, rng=3, n_resamples=5000, batch=1000)
parity.check("bootstrap BCa interval of the median (batch=1000)", ours=ours_m.confidence_interval,
             reference=ref_m.confidence_interval, rtol=1e-12, why="batches drawn in SciPy's order")
parity.check("bootstrap standard error (median)", ours=ours_m.standard_error, reference=ref_m.standard_error,
             rtol=1e-12, why="sd of identical bootstrap distributions")

# %%
parity.table()
