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
# # P1.03 · Basic probability & Bayes' theorem (refresher)
#
# Every Bayesian model in this curriculum — naive Bayes, Gaussian processes, Thompson sampling,
# Bayesian optimisation — is one line of algebra applied again and again: **posterior ∝ likelihood ×
# prior**. This lesson derives that line from the axioms, shows why intuition gets it wrong (the
# base-rate fallacy), turns it into arithmetic with conjugate priors, and estimates what has no
# closed form by Monte Carlo, with an error bar that shrinks like $1/\sqrt n$.
#
# ## The axioms and three rules
#
# A probability $P$ on a sample space $\Omega$ (Kolmogorov, 1933) satisfies
#
# 1. $P(A) \ge 0$ for every event $A$;
# 2. $P(\Omega) = 1$;
# 3. $P\left(\bigcup_i A_i\right) = \sum_i P(A_i)$ for pairwise disjoint $A_1, A_2, \dots$
#
# Everything else follows: $P(A^c) = 1 - P(A)$ (since $A$ and $A^c$ are disjoint and fill $\Omega$),
# $P(\varnothing) = 0$, and $P(A \cup B) = P(A) + P(B) - P(A \cap B)$.
#
# **Conditional probability** is a definition: for $P(B) > 0$,
#
# $$P(A \mid B) = \frac{P(A \cap B)}{P(B)},$$
#
# the probability of $A$ once we restrict the world to $B$ and renormalise. Rearranged, it is the
# **product rule** $P(A \cap B) = P(A \mid B)\,P(B) = P(B \mid A)\,P(A)$. $A$ and $B$ are
# **independent** when $P(A \cap B) = P(A)P(B)$, i.e. $P(A \mid B) = P(A)$.
#
# **Law of total probability.** If $H_1, \dots, H_k$ partition $\Omega$ (disjoint, covering), then
# $D = \bigcup_i (D \cap H_i)$ is a disjoint union, so axiom 3 and the product rule give
#
# $$P(D) = \sum_{i=1}^k P(D \mid H_i)\,P(H_i).$$
#
# ## Bayes' theorem
#
# Equate the two factorisations of the product rule, $P(H_i \mid D)P(D) = P(D \mid H_i)P(H_i)$,
# divide by $P(D) > 0$ and expand $P(D)$ by the law of total probability:
#
# $$\boxed{P(H_i \mid D) = \frac{P(D \mid H_i)\,P(H_i)}{\sum_j P(D \mid H_j)\,P(H_j)}}$$
#
# *prior* $P(H_i)$, *likelihood* $P(D \mid H_i)$, *evidence* $P(D)$, *posterior* $P(H_i \mid D)$.
# Two readings help. In **odds form** the evidence cancels:
#
# $$\frac{P(H_1 \mid D)}{P(H_2 \mid D)} = \frac{P(D \mid H_1)}{P(D \mid H_2)} \times
# \frac{P(H_1)}{P(H_2)},$$
#
# posterior odds = likelihood ratio × prior odds. And **sequentially**: for data
# $D_1, D_2$ conditionally independent given $H$, the posterior after $D_1$ is the prior for $D_2$,
# and the result equals one update with $P(D_1 \mid H)P(D_2 \mid H)$ — the order of the data does not
# matter. `bayes_posterior(prior, likelihood)` is the boxed formula for $k$ discrete hypotheses.
#
# ## The base-rate fallacy: a worked diagnostic test
#
# A disease has prevalence $P(D^+) = 1\%$. A test has sensitivity $P(T^+ \mid D^+) = 99\%$ and
# specificity $P(T^- \mid D^-) = 95\%$. You test positive. How likely are you to be ill? Intuition
# says "about 95%" — in Casscells et al.'s 1978 study of a similar problem (prevalence 1/1000, 5%
# false positives) that was the most common answer of staff and students at Harvard Medical School;
# the right one was 2%. Bayes:
#
# $$P(D^+ \mid T^+) = \frac{0.99 \times 0.01}{0.99 \times 0.01 + 0.05 \times 0.99}
# = \frac{0.0099}{0.0594} = \frac16 \approx 16.7\%.$$
#
# In **natural frequencies** (Gigerenzer & Hoffrage, 1995) it is obvious: of 10,000 people, 100 are
# ill and 99 of them test positive; 9,900 are healthy and 5% of them, **495**, test positive too.
# Of 594 positives only 99 are ill. The rare condition's few true positives are swamped by the false
# positives of the large healthy group: the *base rate* (prior) matters as much as the test. The
# negative predictive value is $P(D^- \mid T^-) = 9405/9406 \approx 99.99\%$: a negative result is
# nearly conclusive. Confusing $P(T^+ \mid D^+)$ with $P(D^+ \mid T^+)$ is the same error as the
# *prosecutor's fallacy* ($P(\text{evidence} \mid \text{innocent})$ small does not make
# $P(\text{innocent} \mid \text{evidence})$ small).
#
# ## Conjugate priors: Bayes as arithmetic
#
# For a continuous parameter $\theta$ the sum becomes an integral,
# $p(\theta \mid x) = p(x \mid \theta)\,p(\theta) / \int p(x \mid \theta')\,p(\theta')\,d\theta'$.
# A prior family is **conjugate** to a likelihood when the posterior stays in the family; then the
# integral is known and updating is adding numbers.
#
# **Beta–Binomial.** $\theta \in [0,1]$ is a success probability (here: the churn rate),
# $p(\theta) = \theta^{\alpha-1}(1-\theta)^{\beta-1}/B(\alpha,\beta)$ and $k$ successes in $n$
# independent trials have likelihood $\binom nk \theta^k (1-\theta)^{n-k}$. Keeping only what
# depends on $\theta$,
#
# $$p(\theta \mid k) \propto \theta^{k}(1-\theta)^{n-k}\cdot\theta^{\alpha-1}(1-\theta)^{\beta-1}
# = \theta^{\alpha+k-1}(1-\theta)^{\beta+n-k-1},$$
#
# the kernel of $\mathrm{Beta}(\alpha + k,\ \beta + n - k)$; the normaliser must be
# $B(\alpha+k, \beta+n-k)$ because a density integrates to 1. So $\alpha$ and $\beta$ act as prior
# pseudo-counts of successes and failures, and the posterior mean is a weighted average of the prior
# mean and the maximum-likelihood estimate $k/n$:
#
# $$E[\theta \mid k] = \frac{\alpha + k}{\alpha + \beta + n} = w\,\frac{\alpha}{\alpha+\beta} + (1-w)\,\frac kn,
# \qquad w = \frac{\alpha+\beta}{\alpha+\beta+n} \to 0 .$$
#
# The variance is $\alpha_n\beta_n / ((\alpha_n+\beta_n)^2(\alpha_n+\beta_n+1)) = O(1/n)$ and the
# mode $(\alpha_n-1)/(\alpha_n+\beta_n-2)$ (the MAP estimate; with the uniform prior
# $\mathrm{Beta}(1,1)$ it is the MLE). The **posterior predictive** of $j$ successes in $m$ new
# trials averages the binomial over the posterior,
#
# $$P(j \mid k) = \int_0^1 \binom mj \theta^j(1-\theta)^{m-j}\, p(\theta \mid k)\,d\theta
# = \binom mj \frac{B(j + \alpha_n,\ m - j + \beta_n)}{B(\alpha_n, \beta_n)},$$
#
# the **beta-binomial** distribution: wider than the plug-in $\mathrm{Bin}(m, \hat\theta)$ because it
# carries our uncertainty about $\theta$. We compute it in logs with `gammaln`/`betaln` — the
# binomial coefficient and beta functions overflow long before $n = 7000$.
#
# **Normal–Normal (known $\sigma$).** Prior $\theta \sim N(\mu_0, \tau_0^2)$, data
# $x_i \mid \theta \sim N(\theta, \sigma^2)$ independent. The log posterior is, up to constants,
#
# $$-\frac{(\theta-\mu_0)^2}{2\tau_0^2} - \sum_{i=1}^n\frac{(x_i-\theta)^2}{2\sigma^2}
# = -\frac12\Big(\underbrace{\tfrac1{\tau_0^2} + \tfrac n{\sigma^2}}_{1/\tau_n^2}\Big)\theta^2
# + \Big(\tfrac{\mu_0}{\tau_0^2} + \tfrac{n\bar x}{\sigma^2}\Big)\theta + \text{const},$$
#
# a quadratic in $\theta$; completing the square gives $\theta \mid x \sim N(\mu_n, \tau_n^2)$ with
#
# $$\frac1{\tau_n^2} = \frac1{\tau_0^2} + \frac n{\sigma^2},\qquad
# \mu_n = \tau_n^2\left(\frac{\mu_0}{\tau_0^2} + \frac{n\bar x}{\sigma^2}\right):$$
#
# **precisions add**, and the mean is the precision-weighted average of prior mean and sample mean.
# A new observation $\tilde x = \theta + \varepsilon$ adds independent noise, so the predictive is
# $N(\mu_n, \tau_n^2 + \sigma^2)$ — it never gets narrower than $\sigma$.
#
# ## Monte Carlo, and why its error is $\propto 1/\sqrt n$
#
# When no closed form exists we approximate $\mu = E[f(\theta)]$ by $\hat\mu_n = \frac1n\sum_i
# f(\theta_i)$ with $\theta_i$ drawn from the posterior. It is unbiased, and for independent draws
# $\operatorname{Var}\hat\mu_n = \sigma_f^2/n$, so the **standard error** is
# $\mathrm{SE} = \sigma_f/\sqrt n$, estimated by $s/\sqrt n$; by the central limit theorem
# $\hat\mu_n \pm 2\,\mathrm{SE}$ covers $\mu$ about 95% of the time. The rate does not depend on the
# dimension of $\theta$, but one more correct digit costs **100 times** more draws.
#
# When we cannot sample the posterior itself:
# * **Rejection sampling** draws $\theta \sim q$ and keeps it with probability
#   $\tilde p(\theta) / (M q(\theta))$, where $\tilde p \le Mq$. Kept draws are *exact* posterior
#   draws; the acceptance rate is $Z/M$ with $Z = \int \tilde p$. With the prior as $q$ and
#   $\tilde p$ = prior × likelihood, $M$ is the maximum likelihood (at the MLE).
# * **Importance sampling** keeps every draw of $q$ with weight $w_i = \tilde p(\theta_i)/q(\theta_i)$
#   and estimates $\sum_i \bar w_i f(\theta_i)$ with normalised weights $\bar w_i$. Its standard error
#   (delta method) is $\sqrt{\sum_i \bar w_i^2 (f_i - \hat\mu)^2}$ and the **effective sample size**
#   $1/\sum_i \bar w_i^2$ says how many independent draws it is worth.
#
# Both waste effort when the posterior is much narrower than the prior — exactly what happens with
# 7,000 customers, as we will see in the acceptance rate and the ESS.
#
# ## Pitfalls
# * **Base-rate neglect**: a likelihood ratio alone does not give a posterior; the prior does half the work.
# * **Cromwell's rule**: a hypothesis with prior 0 stays at 0 whatever the data; do not give zero
#   prior mass to anything you could be persuaded of.
# * The likelihood $p(x \mid \theta)$ is **not a density in $\theta$** (it need not integrate to 1);
#   that is why we normalise.
# * "Known $\sigma$" is an assumption. Plugging in the sample deviation ignores its uncertainty and
#   makes intervals slightly too narrow; the honest model (Normal–Inverse-Gamma prior, Student-$t$
#   posterior for the mean) follows in the distributions lessons. With $n = 442$ the difference is tiny.
# * A 95% **credible** interval says $P(\theta \in I \mid x) = 0.95$; a **confidence** interval says
#   95% of intervals built this way cover the fixed $\theta$. With a vague prior and much data they
#   nearly coincide (below), with little data they do not. Ours is *equal-tailed*; the
#   highest-density interval is shorter for skewed posteriors.
# * The $\pm 2\,$SE band assumes independent draws. MCMC draws are correlated: use the ESS.
# * Importance sampling with a proposal lighter-tailed than the target can have **infinite
#   variance**: the estimate looks stable and is wrong. Check the ESS.
#
# ## References
# * A. Gelman, J. Carlin, H. Stern, D. Dunson, A. Vehtari, D. Rubin, *Bayesian Data Analysis*, 3rd ed.,
#   ch. 1–2 (§2.1–2.4 binomial model, §2.5 normal with known variance), ch. 10 (§10.3 rejection
#   sampling, §10.4 importance sampling, §10.5 how many simulation draws are needed).
# * C. M. Bishop, *Pattern Recognition and Machine Learning*, §1.2 (probability theory), §2.1
#   (binary variables, the beta distribution), §2.3.6 (Bayesian inference for the Gaussian), §11.1
#   (rejection and importance sampling).
# * C. Robert, G. Casella, *Monte Carlo Statistical Methods*, 2nd ed., ch. 2–3.
# * W. Casscells, A. Schoenberger, T. Graboys, "Interpretation by physicians of clinical laboratory
#   results", *NEJM* 299 (1978); G. Gigerenzer, U. Hoffrage, "How to improve Bayesian reasoning without
#   instruction: frequency formats", *Psychological Review* 102 (1995).
# * A. Kong, "A note on importance sampling using standardized weights" (1992) — the ESS.

# %%
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import scipy.stats as st
from scipy import integrate

from mlweekly import datasets, parity
from mlweekly.statistical_theory.bayes import bayes_posterior, diagnostic_test
from mlweekly.statistical_theory.conjugate import BetaBinomial, NormalNormal
from mlweekly.statistical_theory.monte_carlo import (
    importance_sampling,
    monte_carlo,
    rejection_sample,
    running_monte_carlo,
)

SEED = 0

# %% [markdown]
# ## The diagnostic test in numbers
#
# `diagnostic_test` builds the joint table $P(\text{condition}, \text{result})$ from the three rates
# (rows: sick, healthy; columns: positive, negative) and reads PPV and NPV off it by Bayes.

# %%
test = diagnostic_test(prevalence=0.01, sensitivity=0.99, specificity=0.95)
joint = pd.DataFrame(test.joint * 10_000, index=["sick", "healthy"], columns=["T+", "T-"])
print("per 10,000 people:\n", joint.round(1))
print(f"P(T+) = {test.p_positive:.4f}   PPV = P(sick | T+) = {test.ppv:.4f}   NPV = {test.npv:.6f}")

# %% [markdown]
# How the PPV of this same test depends on the base rate, and what a better specificity buys:

# %%
prevalence = np.logspace(-4, 0, 200)[:-1]
fig, ax = plt.subplots(figsize=(6.5, 4))
for spec in (0.95, 0.99, 0.999):
    ppv = [diagnostic_test(p, 0.99, spec).ppv for p in prevalence]
    ax.semilogx(prevalence, ppv, label=f"specificity {spec:.1%}")
ax.axvline(0.01, color="grey", ls=":", lw=1)
ax.plot(0.01, test.ppv, "ko")
ax.annotate(f"PPV = {test.ppv:.1%}", (0.01, test.ppv), xytext=(0.02, 0.05))
ax.set(xlabel="prevalence P(D+)", ylabel="P(D+ | T+)", title="PPV of a 99%-sensitive test vs base rate")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Demo on real data: the churn rate of Telco customers
#
# IBM's Telco data set records for 7,043 customers of a (fictional) telecom company whether they
# left in the last month. Treat the customers as exchangeable Bernoulli trials with unknown churn
# rate $\theta$. An analyst who has read that "telecom churn is around 15%" encodes it as the prior
# $\mathrm{Beta}(3, 17)$: mean $0.15$, worth 20 customers.

# %%
telco = datasets.load("telco_churn")
churned = (telco.target.to_numpy() == 1).astype(int)  # 1 = "Yes"
n_all, k_all = churned.size, int(churned.sum())
prior = BetaBinomial(alpha=3, beta=17)
posterior = prior.update(successes=k_all, trials=n_all)  # Beta(alpha + k, beta + n - k)
print(f"{k_all} of {n_all} customers churned (MLE {k_all / n_all:.4f});  posterior {posterior}")

# %% [markdown]
# ### Prior, likelihood, posterior
#
# Left: the first 30 customers only — prior and data disagree and the posterior is a compromise,
# pulled toward the data by $n/(\alpha+\beta+n) = 30/50$. The dots are the same posterior computed the
# slow way, `bayes_posterior` on a grid of 201 hypotheses $\theta_i$ (a discrete prior times the
# likelihood $\theta_i^k(1-\theta_i)^{n-k}$, normalised), rescaled to a density: Bayes' theorem on a
# grid and the conjugate formula agree point for point. Right: all customers — the prior is
# overwhelmed. Bottom row: the same picture for a normal mean (next section).

# %%
grid = np.linspace(0, 1, 201)
n30, k30 = 30, int(churned[:30].sum())
post30 = prior.update(k30, n30)
grid_prior = prior.pdf(grid) / prior.pdf(grid).sum()
grid_lik = grid**k30 * (1 - grid) ** (n30 - k30)
grid_post = bayes_posterior(grid_prior, grid_lik)

# %% [markdown]
# ### A normal mean with known $\sigma$: diabetes progression
#
# The diabetes data (Efron et al., 2004) has for 442 patients a quantitative measure of disease
# progression one year after baseline. We infer its population mean $\theta$ with a weak prior
# $N(100, 30^2)$ and $\sigma$ fixed at the sample deviation (see the pitfall above).

# %%
progression = datasets.load("diabetes").target.to_numpy(dtype=float)
sigma = progression.std(ddof=1)
mu_prior = NormalNormal(mu0=100.0, tau0=30.0, sigma=sigma)
mu_post5 = mu_prior.update(progression[:5])
mu_post = mu_prior.update(progression)
print(f"sigma = {sigma:.2f};  after 5 patients {mu_post5};  after all {mu_post}")
print("95% credible interval for the mean progression:", np.round(mu_post.interval(0.95), 2))


# %%
def normal_lik(x, theta):
    """Likelihood of the mean, rescaled to a density in theta: N(theta; mean(x), sigma^2 / n)."""
    return st.norm.pdf(theta, x.mean(), sigma / np.sqrt(x.size))


beta_lik = BetaBinomial(1, 1)  # likelihood as a density in theta = the posterior of a flat prior
fig, axes = plt.subplots(2, 2, figsize=(11, 7))
panels = [
    (
        axes[0, 0],
        grid,
        prior.pdf,
        beta_lik.update(k30, n30).pdf,
        post30.pdf,
        f"churn rate, first {n30} customers",
    ),
    (
        axes[0, 1],
        np.linspace(0.2, 0.33, 400),
        prior.pdf,
        beta_lik.update(k_all, n_all).pdf,
        posterior.pdf,
        f"churn rate, all {n_all} customers",
    ),
]
theta5, theta_all = np.linspace(0, 300, 400), np.linspace(120, 185, 400)
panels += [
    (
        axes[1, 0],
        theta5,
        mu_prior.pdf,
        lambda t: normal_lik(progression[:5], t),
        mu_post5.pdf,
        "mean progression, first 5 patients",
    ),
    (
        axes[1, 1],
        theta_all,
        mu_prior.pdf,
        lambda t: normal_lik(progression, t),
        mu_post.pdf,
        f"mean progression, all {progression.size} patients",
    ),
]
for ax, t, f_prior, f_lik, f_post, title in panels:
    ax.plot(t, f_prior(t), "C0--", label="prior")
    ax.plot(t, f_lik(t), "C2:", lw=2, label="likelihood (normalised)")
    ax.plot(t, f_post(t), "C3", label="posterior")
    ax.set(title=title, xlabel=r"$\theta$")
axes[0, 0].plot(grid, grid_post / (grid[1] - grid[0]), "k.", ms=3, label="grid Bayes (201 points)")
for ax in axes[:, 0]:
    ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Sequential updating
#
# Feeding the customers one at a time, yesterday's posterior is today's prior. The credible interval
# narrows like $1/\sqrt n$; the posterior mean starts at the prior's $0.15$ and settles on the data.
# (By exchangeability the final posterior does not depend on the order; the tests check that
# one-at-a-time and batch updates agree.)

# %%
ns = np.unique(np.r_[0, np.geomspace(1, n_all, 120).astype(int)])
k_cum = np.r_[0, np.cumsum(churned)]
beliefs = [prior.update(k_cum[n], n) for n in ns]
means = np.array([b.mean() for b in beliefs])
lo, hi = np.array([b.interval(0.95) for b in beliefs]).T

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for n in (0, 10, 50, 200, 1000, n_all):
    ax1.plot(grid, prior.update(k_cum[n], n).pdf(grid), label=f"n = {n}")
ax1.set(
    xlabel=r"churn rate $\theta$",
    ylabel="posterior density",
    xlim=(0, 0.6),
    title="posterior after n customers",
)
ax1.legend(fontsize=8)
ax2.fill_between(ns[1:], lo[1:], hi[1:], alpha=0.3, label="95% credible interval")
ax2.semilogx(ns[1:], means[1:], "C3", label="posterior mean")
ax2.semilogx(ns[1:], k_cum[ns[1:]] / ns[1:], "k.", ms=3, label="MLE k/n")
ax2.axhline(prior.mean(), color="C0", ls="--", lw=1, label="prior mean")
ax2.set(xlabel="customers seen n", ylabel=r"$\theta$", title="sequential updating")
ax2.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# The summaries of the final posterior next to the frequentist ones: with 7,043 customers the 95%
# credible interval and the Wald confidence interval $\hat\theta \pm 1.96\sqrt{\hat\theta(1-\hat\theta)/n}$
# differ only in the fourth decimal, and the prior's 20 pseudo-customers moved the estimate by
# $w\,(0.15 - \hat\theta) \approx -0.0003$ with $w = 20/7063$.

# %%
mle = k_all / n_all
wald = mle + np.array([-1, 1]) * st.norm.ppf(0.975) * np.sqrt(mle * (1 - mle) / n_all)
pd.DataFrame(
    {
        "posterior": [posterior.mean(), posterior.mode(), posterior.std(), *posterior.interval(0.95)],
        "frequentist": [mle, mle, np.sqrt(mle * (1 - mle) / n_all), *wald],
    },
    index=["mean / estimate", "mode / MLE", "sd / standard error", "95% lower", "95% upper"],
).round(5)

# %% [markdown]
# ### Posterior predictive: how many of the next 20 customers will churn?
#
# The beta-binomial averages over $\theta$. With 7,000 customers behind it, $\theta$ is known to
# $\pm 0.005$ and the predictive is almost the plug-in binomial; with only 30 customers the
# uncertainty about $\theta$ makes it visibly wider.

# %%
m, j = 20, np.arange(21)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.bar(j - 0.27, posterior.predictive_pmf(j, m), width=0.27, label=f"beta-binomial, all {n_all}")
ax.bar(j, post30.predictive_pmf(j, m), width=0.27, label=f"beta-binomial, first {n30}")
ax.bar(j + 0.27, st.binom.pmf(j, m, mle), width=0.27, label=r"plug-in Bin(20, $\hat\theta$)")
ax.set(xlabel="churners among the next 20 customers", ylabel="probability")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
p_8plus = posterior.predictive_pmf(np.arange(8, m + 1), m).sum()
print(f"P(at least 8 of the next 20 churn | data) = {p_8plus:.6f}")

# %% [markdown]
# ## Monte Carlo
#
# ### Convergence of a posterior-predictive probability
#
# Simulate the question instead of summing the beta-binomial: draw $\theta \sim$ posterior, then the
# number of churners $J \sim \mathrm{Bin}(20, \theta)$, and average the indicator $[J \ge 8]$. The
# running estimate with its $\pm 2\,$SE band (left) closes in on the exact value; on log–log axes
# (right) the actual error and the standard error fall along a line of slope $-\tfrac12$.

# %%
rng = np.random.default_rng(SEED)
n_mc = 200_000
theta_draws = posterior.sample(n_mc, rng)
hits = (rng.binomial(m, theta_draws) >= 8).astype(float)
run_est, run_se = running_monte_carlo(hits)
mc_8plus = monte_carlo(hits)
print(f"Monte Carlo {mc_8plus.estimate:.5f} ± {mc_8plus.std_error:.5f} (SE)  vs exact {p_8plus:.5f}")

n_axis = np.arange(1, n_mc + 1)
show = np.unique(np.geomspace(10, n_mc, 400).astype(int)) - 1
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.fill_between(
    n_axis[show],
    (run_est - 2 * run_se)[show],
    (run_est + 2 * run_se)[show],
    alpha=0.3,
    label="estimate ± 2 SE",
)
ax1.semilogx(n_axis[show], run_est[show], "C3", label="running estimate")
ax1.axhline(p_8plus, color="k", ls="--", lw=1, label="exact (beta-binomial)")
ax1.set(xlabel="draws n", ylabel="P(J ≥ 8)", title="Monte Carlo estimate vs n", ylim=(0, 0.3))
ax1.legend(fontsize=8)
ax2.loglog(n_axis[show], np.abs(run_est - p_8plus)[show], "C3", lw=0.8, label="|estimate − exact|")
ax2.loglog(n_axis[show], run_se[show], "C0", label="standard error s/√n")
ax2.loglog(
    n_axis[show], np.sqrt(p_8plus * (1 - p_8plus) / n_axis[show]), "k--", lw=1, label=r"$\sigma/\sqrt{n}$"
)
ax2.set(xlabel="draws n", title="error ∝ 1/√n")
ax2.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# Does the $\pm 2\,$SE band really cover the truth 95% of the time? Repeat the experiment with 400
# seeds at $n = 2000$:

# %%
cover_rng = np.random.default_rng(SEED + 1)
reps = (cover_rng.binomial(m, posterior.sample((400, 2000), cover_rng)) >= 8).astype(float)
coverage = np.mean([abs(e.estimate - p_8plus) <= 2 * e.std_error for e in map(monte_carlo, reps)])
print(f"coverage of estimate ± 2 SE over 400 seeds: {coverage:.3f} (nominal 0.954)")

# %% [markdown]
# ### Rejection and importance sampling from the prior
#
# Suppose we could not sample the Beta posterior. Both methods below only *evaluate* prior ×
# likelihood and draw from the prior. For rejection, $\tilde p/q$ = likelihood, bounded by its value at
# the MLE; the acceptance rate $Z/M$ is then the evidence divided by the maximum likelihood — small
# when the data are informative.


# %%
def log_lik(theta):  # binomial log-likelihood up to the constant log C(n, k)
    return st.binom.logpmf(k_all, n_all, theta)


def prior_draws(rng, size):
    return prior.sample(size, rng)


rej_draws, acceptance = rejection_sample(
    log_target=lambda t: prior.logpdf(t) + log_lik(t),
    sample_proposal=prior_draws,
    log_proposal=prior.logpdf,
    log_m=log_lik(mle),
    size=4000,
    rng=np.random.default_rng(SEED + 2),
)
rej = monte_carlo(rej_draws)
theta_q = prior.sample(200_000, np.random.default_rng(SEED + 3))
imp = importance_sampling(theta_q, log_weights=log_lik(theta_q))
direct = monte_carlo(posterior.sample(4000, np.random.default_rng(SEED + 4)))
pd.DataFrame(
    {
        "estimate of E[θ | data]": [direct.estimate, rej.estimate, imp.estimate, posterior.mean()],
        "standard error": [direct.std_error, rej.std_error, imp.std_error, 0.0],
        "draws / ESS": [
            f"{direct.n} / {direct.ess:.0f}",
            f"{rej.n} kept, acceptance {acceptance:.4f}",
            f"{imp.n} / {imp.ess:.0f}",
            "closed form",
        ],
    },
    index=[
        "direct posterior draws",
        "rejection (prior proposal)",
        "importance (prior proposal)",
        "conjugate",
    ],
)

# %% [markdown]
# Rejection needed about $4000/\text{acceptance}$ prior draws for 4,000 exact posterior draws;
# importance sampling's 200,000 weighted draws are worth only the ESS in independent ones (both
# printed below): the prior's central 99% spans $[0.02, 0.40]$ while the posterior lives within $\pm 0.016$ of
# $0.265$, so most prior draws land where the likelihood is negligible. With a
# proposal closer to the posterior (e.g. a normal at the MLE with a slightly larger spread) both would
# be far more efficient — the ESS is the number to watch.

# %%
print(
    f"rejection: {rej.n / acceptance:,.0f} prior draws for {rej.n} posterior draws (acceptance {acceptance:.2%})"
)
print(f"importance: {imp.n:,} draws worth {imp.ess:,.0f} independent ones ({imp.ess / imp.n:.1%})")

# %% [markdown]
# ## Parity checks
#
# **Distribution functions vs `scipy.stats`.** Ours: `logpdf` written out from the formula with
# `betaln`/`xlogy`, mean/variance/mode from their closed forms, `cdf`/`ppf` through the special
# functions `betainc`/`betaincinv` (and `ndtr`/`ndtri` for the normal). `scipy.stats.beta` evaluates
# the density with Boost's `ibeta_derivative` — a different computation — but its logpdf with the
# same `xlogy`/`betaln` formula as ours and its cdf/ppf with the same Boost incomplete-beta routines,
# so for logpdf/cdf/ppf/interval the check verifies the parametrisation and plumbing (argument order,
# clipping, the equal tails), not the special function; the pdf check and the quadrature check
# below are the independent ones.
# Tolerance: the log-density here is a difference of terms of size $\sim 4000$
# ($(\alpha_n-1)\log\theta$ and $\log B(\alpha_n, \beta_n)$), each rounded to $\sim 4000\,\epsilon
# \approx 10^{-12}$, so two independent computations of the pdf can differ by a few $10^{-12}$
# relative: `rtol=1e-10`. Everything else is a handful of flops: `rtol=1e-12`.

# %%
theta_grid = np.linspace(0.22, 0.31, 91)
q = np.linspace(0.001, 0.999, 99)
ref_post = st.beta(posterior.alpha, posterior.beta)
why_fn = "same Boost incomplete-beta function as scipy: checks our parametrisation and plumbing"
# our beliefs name their methods as scipy's frozen distributions do, so one loop compares them all
beta_checks = [
    (
        "pdf (churn, 91 points)",
        "pdf",
        (theta_grid,),
        1e-10,
        "log-density: O(4000)-sized terms, ~1e-12 rounding",
    ),
    ("logpdf", "logpdf", (theta_grid,), 1e-12, "scipy's logpdf is the same xlogy/betaln formula"),
    ("cdf", "cdf", (theta_grid,), 1e-12, why_fn),
    ("ppf (99 quantiles)", "ppf", (q,), 1e-12, why_fn),
    ("95% credible interval", "interval", (0.95,), 1e-12, why_fn),
    ("mean", "mean", (), 1e-12, "closed form, a few flops"),
    ("var", "var", (), 1e-12, "closed form, a few flops"),
]
for name, method, args, rtol, why in beta_checks:
    parity.check(
        f"Beta posterior {name}",
        lambda m=method, a=args: getattr(posterior, m)(*a),
        lambda m=method, a=args: getattr(ref_post, m)(*a),
        rtol=rtol,
        why=why,
    )

# %% [markdown]
# **Conjugacy itself vs numerical Bayes.** The checks above take our posterior parameters on faith.
# This one does not: it integrates prior × likelihood numerically with `scipy.integrate.quad`
# (`epsrel=1e-13`), with `scipy.stats.beta` and `scipy.stats.binom` densities, and compares the
# resulting posterior mean, variance and cdf with our conjugate update. The integrand is rescaled by
# its value at the MLE (it would underflow at $n = 7043$) and the spike is pointed out to `quad`.
# Quadrature error $\lesssim 10^{-13}$: `rtol=1e-10`.


# %%
def quad_posterior(log_unnorm, lo, hi, peak, cuts):
    """Posterior mean, variance and cdf at `cuts` by quadrature of exp(log prior + log likelihood)."""
    c = log_unnorm(peak)
    kw = dict(points=[peak], epsabs=0, epsrel=1e-13, limit=500)

    def integral(f, b=hi):
        return integrate.quad(lambda t: f(t) * np.exp(log_unnorm(t) - c), lo, b, **kw)[0]

    z = integral(lambda t: 1.0)
    mean = integral(lambda t: t) / z
    var = integral(lambda t: (t - mean) ** 2) / z
    return [mean, var, *(integral(lambda t: 1.0, b) / z for b in cuts)]


cuts = [0.26, 0.265, 0.27]
parity.check(
    "Beta-Binomial update: posterior mean, var, cdf(0.26, 0.265, 0.27) vs quadrature of prior × likelihood",
    lambda: [posterior.mean(), posterior.var(), *posterior.cdf(cuts)],
    lambda: quad_posterior(
        lambda t: st.beta.logpdf(t, 3, 17) + st.binom.logpmf(k_all, n_all, t), 0, 1, mle, cuts
    ),
    rtol=1e-10,
    why="quad at epsrel=1e-13; independent of the conjugate algebra",
)
mu_cuts = [145.0, 152.0, 160.0]
parity.check(
    "Normal-Normal update: posterior mean, var, cdf(145, 152, 160) vs quadrature (diabetes)",
    lambda: [mu_post.mean(), mu_post.var(), *mu_post.cdf(mu_cuts)],
    lambda: quad_posterior(
        lambda t: st.norm.logpdf(t, 100, 30) + st.norm.logpdf(progression, t, sigma).sum(),
        mu_post.mean() - 40 * mu_post.std(),
        mu_post.mean() + 40 * mu_post.std(),
        progression.mean(),
        mu_cuts,
    ),
    rtol=1e-10,
    why="quad at epsrel=1e-13 over ±40 posterior sd (the tails beyond are < 1e-300)",
)

# %% [markdown]
# **Discrete Bayes on a grid.** `bayes_posterior` with the prior restricted to a grid and normalised
# must give exactly the Beta posterior density at the grid points, normalised over the grid (the
# binomial coefficient and $B(\alpha,\beta)$ cancel in the normalisation) — no discretisation error.

# %%
ref30 = st.beta(3 + k30, 17 + n30 - k30).pdf(grid)
parity.check(
    "bayes_posterior on a 201-point grid vs scipy Beta posterior (first 30 customers)",
    lambda: bayes_posterior(grid_prior, grid**k30 * (1 - grid) ** (n30 - k30)),
    lambda: ref30 / ref30.sum(),
    rtol=1e-12,
    atol=1e-300,
    why="same numbers, different order of products",
)

# %% [markdown]
# **Normal–Normal distribution functions and the predictive** vs `scipy.stats.norm` with the
# posterior parameters, and the beta-binomial predictive vs `scipy.stats.betabinom`. The normal
# log-density involves only numbers of size $O(10)$: `rtol=1e-12`. The beta-binomial log-pmf is a
# sum of `gammaln`/`betaln` values of size up to $\sim 4000$ (scipy's own pmf sums to
# $1 - 4\times 10^{-12}$ here, as does ours): `rtol=1e-10`.

# %%
ref_mu = st.norm(mu_post.mean(), mu_post.std())
x_mu = np.linspace(140, 165, 51)
parity.check(
    "Normal posterior pdf, cdf (diabetes)",
    lambda: np.r_[mu_post.pdf(x_mu), mu_post.cdf(x_mu)],
    lambda: np.r_[ref_mu.pdf(x_mu), ref_mu.cdf(x_mu)],
    rtol=1e-12,
    why="O(10)-sized terms, float64",
)
parity.check(
    "Normal posterior ppf and 95% interval",
    lambda: np.r_[mu_post.ppf(q), mu_post.interval(0.95)],
    lambda: np.r_[ref_mu.ppf(q), ref_mu.interval(0.95)],
    rtol=1e-12,
    why="ndtri, the same special function",
)
x_new = np.linspace(-100, 400, 101)
parity.check(
    "Normal posterior predictive pdf N(mu_n, tau_n^2 + sigma^2)",
    lambda: mu_post.predictive_pdf(x_new),
    lambda: st.norm(mu_post.mean(), np.sqrt(mu_post.var() + sigma**2)).pdf(x_new),
    rtol=1e-12,
    why="O(10)-sized terms, float64",
)
for label, belief in [(f"all {n_all}", posterior), (f"first {n30}", post30)]:
    parity.check(
        f"Beta-binomial predictive pmf of the next 20 ({label} customers)",
        lambda b=belief: b.predictive_pmf(j, m),
        lambda b=belief: st.betabinom(m, b.alpha, b.beta).pmf(j),
        rtol=1e-10,
        why="differences of gammaln/betaln values of size up to ~4000",
    )

# %% [markdown]
# **The diagnostic test vs exact rational arithmetic.** The reference recomputes the joint table, PPV
# and NPV with `fractions.Fraction` from the same float inputs — exact, no rounding — for the worked
# example and a grid of 64 other tests. Ours rounds each of about five operations, so the relative
# error is a few $\epsilon$: `rtol=1e-14`.


# %%
def exact_test(prev, sens, spec):
    p, s, c = Fraction(prev), Fraction(sens), Fraction(spec)
    tp, fn, fp, tn = p * s, p * (1 - s), (1 - p) * (1 - c), (1 - p) * c
    return [float(v) for v in (tp, fn, fp, tn, tp / (tp + fp), tn / (tn + fn))]


def ours_test(prev, sens, spec):
    t = diagnostic_test(prev, sens, spec)
    return [*t.joint.ravel(), t.ppv, t.npv]


cases = [(0.01, 0.99, 0.95)] + [
    (p, s, c)
    for p in (0.001, 0.01, 0.2, 0.5)
    for s in (0.6, 0.8, 0.9, 0.999)
    for c in (0.7, 0.9, 0.95, 0.9999)
]
parity.check(
    "diagnostic test: joint table, PPV, NPV (65 tests) vs exact fractions",
    lambda: np.array([ours_test(*c) for c in cases]),
    lambda: np.array([exact_test(*c) for c in cases]),
    rtol=1e-14,
    why="five rounded flops vs exact rationals",
)

# %% [markdown]
# **Monte Carlo vs closed form.** A Monte Carlo estimate cannot agree to $10^{-10}$; what it promises
# is an error of the order of its standard error. We require $|\hat\mu - \mu| \le k\,\mathrm{SE}$
# with $k = 4$: for an honest estimator the chance of a larger deviation is $6\times 10^{-5}$ (normal
# tails), so a failure means a bug (wrong weights, biased sampler, wrong SE), not bad luck — and the
# seeds are fixed, so the verdict is deterministic. The tolerance is the estimate's own SE, stated in
# each row.

# %%
K = 4
for name, est, exact in [
    ("P(≥ 8 of next 20 churn): direct posterior simulation", mc_8plus, p_8plus),
    ("E[θ | data]: direct posterior draws", direct, posterior.mean()),
    ("E[θ | data]: rejection sampling from the prior", rej, posterior.mean()),
    ("E[θ | data]: self-normalised importance sampling from the prior", imp, posterior.mean()),
]:
    parity.check(
        f"{name} (within {K} SE)",
        est.estimate,
        exact,
        atol=K * est.std_error,
        why=f"k = {K} standard errors, SE = {est.std_error:.2g}; seeded",
    )

# %%
parity.table()
