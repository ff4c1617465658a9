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
# # P1.20 · Hypothesis testing: z-test, t-test
#
# Do customers who leave pay more per month than those who stay? Do men and women in the 1994 US
# census work different hours? A hypothesis test answers "could a difference this large be a fluke
# of sampling?" with one number, the p-value — and is misread more often than any other number in
# statistics. This lesson builds the z-, t-, proportion and $\chi^2$ tests from their definitions,
# derives power and sample size, and checks every statistic and p-value against SciPy and
# statsmodels.
#
# ## The recipe
#
# 1. A **null hypothesis** $H_0$ (no effect: $\mu = \mu_0$, $\mu_1 = \mu_2$, independence) and an
#    **alternative** $H_1$: two-sided ($\mu \ne \mu_0$) or one-sided ($\mu > \mu_0$ / $\mu < \mu_0$),
#    chosen *before* looking at the data.
# 2. A **test statistic** $T$ whose distribution under $H_0$ is known.
# 3. The **p-value**: the probability, *computed under $H_0$*, of a statistic at least as extreme as
#    the one observed, $p = P_{H_0}(T \ge t_{\text{obs}})$ for "greater", $P_{H_0}(T \le t_{\text{obs}})$
#    for "less" and $P_{H_0}(|T| \ge |t_{\text{obs}}|) = 2P_{H_0}(T \ge |t_{\text{obs}}|)$ two-sided
#    (for a symmetric null).
# 4. Reject $H_0$ at level $\alpha$ when $p \le \alpha$.
#
# **Errors.** A *type I error* rejects a true $H_0$; its probability is $\alpha$ by construction,
# because under $H_0$ (continuous $T$) the p-value is uniform: $P(p \le \alpha) = \alpha$. A *type II
# error* keeps a false $H_0$, probability $\beta$; the **power** $1-\beta$ is the probability of
# detecting an effect that is there. The two trade off: a smaller $\alpha$ means a larger $\beta$ for
# the same data.
#
# **What a p-value is not** (Wasserstein & Lazar, 2016): not $P(H_0 \mid \text{data})$ (that needs a
# prior — P1.03's base-rate fallacy again); not the probability that the result is due to chance; not
# a measure of the size or importance of an effect (with 48,000 people a trivial difference has
# $p \approx 0$); and $p > 0.05$ is not evidence *for* $H_0$ — maybe the test had no power.
#
# ## The z-test and the t-test
#
# For $x_1, \dots, x_n$ i.i.d. with mean $\mu$ and variance $\sigma^2$, the sample mean has standard
# error $\sigma/\sqrt n$ and, by the CLT, under $H_0: \mu = \mu_0$
#
# $$Z = \frac{\bar x - \mu_0}{\sigma/\sqrt n} \;\approx\; N(0, 1).$$
#
# That is the **z-test**, exact when the data are normal *and $\sigma$ is known*. In practice
# $\sigma$ is estimated by $s = \sqrt{\sum (x_i - \bar x)^2/(n-1)}$. For normal data $\bar x$ and $s^2$
# are independent, $(n-1)s^2/\sigma^2 \sim \chi^2_{n-1}$, and therefore (Gosset, "Student", 1908)
#
# $$T = \frac{\bar x - \mu_0}{s/\sqrt n} = \frac{Z}{\sqrt{\chi^2_{n-1}/(n-1)}} \;\sim\; t_{n-1}.$$
#
# The $t$ has heavier tails than the normal because $s$ itself is noisy; as $n \to \infty$,
# $s \to \sigma$ and $t_{n-1} \to N(0,1)$. So: **z when $\sigma$ is known (or $n$ is so large
# that it does not matter), t otherwise.** statsmodels' `ztest` plugs in $s$ — the large-sample
# approximation — and we follow it.
#
# **Two independent samples.** $\bar a - \bar b$ has variance $\sigma_a^2/n_1 + \sigma_b^2/n_2$.
# *Student's* test assumes $\sigma_a = \sigma_b$ and pools,
# $s_p^2 = \frac{(n_1-1)s_a^2 + (n_2-1)s_b^2}{n_1+n_2-2}$, $T = (\bar a - \bar b)/(s_p\sqrt{1/n_1+1/n_2})
# \sim t_{n_1+n_2-2}$. *Welch's* test (1947) does not: $T = (\bar a - \bar b)/\sqrt{v_1+v_2}$ with
# $v_j = s_j^2/n_j$ is approximately $t_\nu$ with the Welch–Satterthwaite degrees of freedom
#
# $$\nu = \frac{(v_1 + v_2)^2}{v_1^2/(n_1-1) + v_2^2/(n_2-1)},$$
#
# obtained by matching the first two moments of $v_1+v_2$ to a scaled $\chi^2_\nu$. When the group
# sizes *and* variances differ, the pooled test's type I error can be far from $\alpha$; Welch's
# costs almost nothing when they are equal, so it is the better default (`equal_var=False`).
#
# **Paired samples** (before/after on the same units) are *not* independent: the test is the
# one-sample t-test of the differences $d_i = a_i - b_i$ against 0. Pairing removes the between-unit
# variance, which is why it is more powerful when the pairs are correlated.
#
# **Proportions.** $k$ successes in $n$ trials: $\hat p = k/n$ has variance $p(1-p)/n$, so
# $Z = (\hat p - p_0)/\sqrt{\bar p(1-\bar p)/n}$; two samples use the pooled
# $\bar p = (k_1+k_2)/(n_1+n_2)$, the estimate of the common $p$ under $H_0: p_1 = p_2$.
#
# ## The $\chi^2$ test of independence
#
# For an $R \times C$ table of counts $O_{ij}$ with total $N$, independence of the row and column
# variables means $p_{ij} = p_{i\cdot}\,p_{\cdot j}$, so the expected counts are
# $E_{ij} = r_i c_j / N$ (row total × column total / N), and Pearson's statistic
#
# $$X^2 = \sum_{i,j} \frac{(O_{ij} - E_{ij})^2}{E_{ij}} \;\approx\; \chi^2_{(R-1)(C-1)},$$
#
# with $(R-1)(C-1)$ df: $RC - 1$ free cells minus $(R-1)+(C-1)$ estimated margins. The approximation
# wants $E_{ij} \gtrsim 5$. For a 2×2 table SciPy applies **Yates' continuity correction**: each
# $|O - E|$ is reduced by $\min(0.5, |O-E|)$, which makes the test conservative.
#
# ## Power and sample size
#
# Take the one-sided z-test of $H_0: \mu = \mu_0$ with effect $d = (\mu_1 - \mu_0)/\sigma$. It rejects
# when $Z > z_{1-\alpha}$. Under $H_1$, $Z \sim N(d\sqrt n, 1)$, so
#
# $$1 - \beta = P(Z > z_{1-\alpha}) = \Phi(d\sqrt n - z_{1-\alpha}).$$
#
# Setting this to the target power, $d\sqrt n - z_{1-\alpha} = z_{1-\beta}$ and
#
# $$n = \left(\frac{z_{1-\alpha} + z_{1-\beta}}{d}\right)^2 ;$$
#
# two-sided, $\alpha \to \alpha/2$ (and a negligible second tail); two groups of $n$ each,
# $\operatorname{SE}(\bar a - \bar b) = \sigma\sqrt{2/n}$, so $n$ doubles. For the t-test the statistic
# under $H_1$ follows the **noncentral t** with noncentrality $\delta = d\sqrt n$ (two samples:
# $\delta = d\sqrt{n_1n_2/(n_1+n_2)}$); the power is its tail mass beyond $\pm t_{1-\alpha/2,\nu}$ and $n$
# has no closed form, so we solve $\text{power}(n) = 1-\beta$ with a root finder (Brent's method) on
# the increasing power curve.
#
# ## Multiple testing (a teaser)
#
# Test 30 features at $\alpha = 0.05$ when none matters and you expect $1.5$ false positives;
# $P(\text{at least one}) = 1 - 0.95^{30} = 79\%$. Bonferroni tests each at $\alpha/m$ (controls the
# family-wise error); Benjamini–Hochberg controls the false discovery rate. The breast-cancer demo
# below tests 30 features at once — a case for it.
#
# ## Pitfalls
# * Choosing the one-sided alternative after seeing the sign of the effect doubles the type I error.
# * "Not significant" ≠ "no effect": report the effect size and its confidence interval (P1.21).
# * The t-test assumes independent observations; clustered or time-series data break it.
# * Heavy tails and tiny samples weaken the CLT; with $n$ in the thousands (as below) it is fine.
# * Zero variance makes the statistic undefined: our tests raise instead of returning `inf`.
#
# ## References
# * Student, "The probable error of a mean", *Biometrika* 6 (1908).
# * B. L. Welch, "The generalization of 'Student's' problem when several different population
#   variances are involved", *Biometrika* 34 (1947).
# * L. Wasserman, *All of Statistics*, ch. 10 (hypothesis testing and p-values).
# * J. Cohen, *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed. (1988).
# * R. Wasserstein, N. Lazar, "The ASA statement on p-values", *The American Statistician* 70 (2016).
# * Y. Benjamini, Y. Hochberg, "Controlling the false discovery rate" (1995).

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import scipy.stats as st
from statsmodels.stats import power as smpower
from statsmodels.stats import proportion as smp
from statsmodels.stats import weightstats as smw

from mlweekly import datasets, parity
from mlweekly.statistical_theory.hypothesis_tests import (
    chi2_contingency,
    proportions_ztest,
    ttest_1samp,
    ttest_ind,
    ttest_rel,
    ztest,
)
from mlweekly.statistical_theory.power import NormalIndPower, TTestIndPower, TTestPower

SEED = 0

# %% [markdown]
# ## Demo 1 — Telco: do churners pay more per month?
#
# 7,043 customers; $H_0$: churners and stayers have the same mean monthly charge. Welch's test,
# since the groups differ in size (1,869 vs 5,174) and spread.

# %%
telco = datasets.load("telco_churn").frame
charges = telco["MonthlyCharges"].to_numpy(float)
churn = telco["Churn"].to_numpy() == 1
left, stayed = charges[churn], charges[~churn]
print(f"churners: n={left.size}, mean={left.mean():.2f}, sd={left.std(ddof=1):.2f}")
print(f"stayers:  n={stayed.size}, mean={stayed.mean():.2f}, sd={stayed.std(ddof=1):.2f}")
welch = ttest_ind(left, stayed, equal_var=False)
pooled = ttest_ind(left, stayed, equal_var=True)
z_two = ztest(left, stayed, usevar="unequal")
print(f"Welch  t = {welch.statistic:.3f} on {welch.df:.1f} df, p = {welch.pvalue:.3g}")
print(f"pooled t = {pooled.statistic:.3f} on {pooled.df:.0f} df, p = {pooled.pvalue:.3g}")
print(f"z (unequal var) = {z_two.statistic:.3f}, p = {z_two.pvalue:.3g}")

# %% [markdown]
# The p-value is astronomically small: a $\$13$ difference with $n$ in the thousands cannot be
# sampling noise. To *see* a p-value, take a small random sample of 40 churners and 40 stayers: the
# null distribution $t_\nu$, the observed statistic, and the p-value as the shaded tail area.

# %%
rng = np.random.default_rng(SEED)
small_a, small_b = rng.choice(left, 40, replace=False), rng.choice(stayed, 40, replace=False)
small = ttest_ind(small_a, small_b, equal_var=False)
t_grid = np.linspace(-5, 5, 801)
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(t_grid, st.t.pdf(t_grid, small.df), "k", label=rf"null $t_{{{small.df:.1f}}}$")
ax.plot(t_grid, st.norm.pdf(t_grid), "C7--", lw=1, label="N(0, 1)")
tail = np.abs(t_grid) >= abs(small.statistic)
ax.fill_between(t_grid, st.t.pdf(t_grid, small.df), where=tail, color="C3", alpha=0.4,
                label=f"p-value = {small.pvalue:.4f}")
ax.axvline(small.statistic, color="C3")
ax.annotate(f"observed t = {small.statistic:.2f}", (small.statistic, 0.3), xytext=(5, 0), textcoords="offset points")
ax.set(xlabel="t", ylabel="density", title="Two-sided p-value: 40 churners vs 40 stayers")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Demo 2 — Adult: hours per week by sex, and a paired test
#
# In the 1994 census extract (48,842 adults) men report more working hours than women — with
# $t = 52$ the p-value underflows to 0 in float64 (it is below $10^{-300}$). A second question uses a
# *paired* design: for the same Telco customers, does the average monthly charge over their tenure
# (`TotalCharges / tenure`) differ from the current `MonthlyCharges` (a price drift)?

# %%
adult = datasets.load("adult").frame
hours = adult["hours_per_week"].to_numpy(float)
male = (adult["sex"] == "Male").to_numpy()
by_sex = ttest_ind(hours[male], hours[~male], equal_var=False)
print(f"men {hours[male].mean():.2f} h vs women {hours[~male].mean():.2f} h: "
      f"Welch t = {by_sex.statistic:.1f}, p = {by_sex.pvalue:.3g}")
one = ttest_1samp(hours, 40.0)
print(f"mean hours vs 40: t = {one.statistic:.2f}, p = {one.pvalue:.3g}")

has_total = telco["TotalCharges"].notna().to_numpy() & (telco["tenure"].to_numpy() > 0)
avg_charge = (telco["TotalCharges"] / telco["tenure"]).to_numpy(float)[has_total]
paired = ttest_rel(avg_charge, charges[has_total])
unpaired = ttest_ind(avg_charge, charges[has_total], equal_var=False)
diff = avg_charge - charges[has_total]
se_paired = diff.std(ddof=1) / np.sqrt(diff.size)
se_unpaired = np.sqrt(avg_charge.var(ddof=1) / diff.size + charges[has_total].var(ddof=1) / diff.size)
print(f"mean difference {diff.mean():.4f};  paired t = {paired.statistic:.3f}, p = {paired.pvalue:.3g};  "
      f"ignoring the pairing: t = {unpaired.statistic:.3f}, p = {unpaired.pvalue:.3g}")
print(f"standard error: paired {se_paired:.4f} vs unpaired {se_unpaired:.4f} ({se_unpaired / se_paired:.0f}x)")

# %% [markdown]
# No drift: the mean difference is a few cents and neither test rejects. But look at the standard
# errors: the unpaired test carries the $\$30$ spread of charges *between* customers, the paired
# test only the spread of the *differences* within a customer, so its SE is an order of magnitude
# smaller — it would detect a drift far smaller than the unpaired test could. (Not rejecting is not
# proof of no drift; the paired CI in P1.21 says how small a drift is ruled out.)
#
# ## Demo 3 — Telco: contract type × churn ($\chi^2$) and churn rates (proportions z-test)

# %%
table = pd.crosstab(telco["Contract"], telco["Churn"].map({0: "stayed", 1: "churned"}))
print(table)
chi = chi2_contingency(table.to_numpy())
print(f"X^2 = {chi.statistic:.1f} on {chi.dof} df, p = {chi.pvalue:.3g}")
print("expected under independence:\n", pd.DataFrame(chi.expected_freq, index=table.index,
                                                        columns=table.columns).round(1))
senior = telco["SeniorCitizen"].to_numpy() == 1
counts = np.array([churn[senior].sum(), churn[~senior].sum()])
nobs = np.array([senior.sum(), (~senior).sum()])
prop = proportions_ztest(counts, nobs)
print(f"churn rate seniors {counts[0] / nobs[0]:.3f} vs others {counts[1] / nobs[1]:.3f}: "
      f"z = {prop.statistic:.2f}, p = {prop.pvalue:.3g}")
senior_table = np.c_[counts, nobs - counts]
print(f"the same question as a 2x2 chi^2 without Yates: X^2 = "
      f"{chi2_contingency(senior_table, correction=False).statistic:.3f} = z^2 = {prop.statistic**2:.3f}")

# %% [markdown]
# For a 2×2 table (uncorrected) Pearson's $X^2$ *is* the square of the pooled two-proportion $z$:
# the same test in two costumes.
#
# ## Demo 4 — breast cancer: 30 features, 30 tests

# %%
bc = datasets.load("breast_cancer")
Xb, yb = bc.data.to_numpy(float), bc.target.to_numpy()
pvals = np.array([ttest_ind(Xb[yb == 0, j], Xb[yb == 1, j], equal_var=False).pvalue for j in range(Xb.shape[1])])
m = pvals.size
print(f"{(pvals < 0.05).sum()} of {m} features significant at 0.05; "
      f"{(pvals < 0.05 / m).sum()} after Bonferroni (alpha/m = {0.05 / m:.4f})")
print(pd.Series(pvals, index=bc.feature_names).sort_values().tail(6).apply(lambda p: f"{p:.3g}"))

# %% [markdown]
# ## Is the type I error really $\alpha$? A simulation
#
# Draw the two groups from the *same* skewed population (the Telco stayers' charges, so $H_0$ is
# true by construction), run 2,000 tests per setting, and count rejections at $\alpha = 0.05$. Also:
# groups of unequal size **and** variance (normal data, $n_1 = 10$, $\sigma_1 = 3$ vs $n_2 = 40$,
# $\sigma_2 = 1$, equal means), where Student's pooled test breaks and Welch's does not.

# %%
reps, alpha = 2000, 0.05
rng = np.random.default_rng(SEED)
rates = {}
for n in (5, 10, 30, 100):
    p = [ttest_ind(rng.choice(stayed, n), rng.choice(stayed, n), equal_var=False).pvalue for _ in range(reps)]
    rates[f"Welch, Telco n={n}"] = np.mean(np.array(p) < alpha)
for equal_var, name in ((True, "pooled"), (False, "Welch")):
    p = [ttest_ind(rng.normal(0, 3, 10), rng.normal(0, 1, 40), equal_var=equal_var).pvalue for _ in range(reps)]
    rates[f"{name}, n=10/40, sd 3/1"] = np.mean(np.array(p) < alpha)
se = np.sqrt(alpha * (1 - alpha) / reps)
fig, ax = plt.subplots(figsize=(7.5, 3.5))
ax.barh(list(rates), list(rates.values()), color=["C0"] * 4 + ["C3", "C2"])
ax.axvline(alpha, color="k", lw=1)
ax.axvspan(alpha - 2 * se, alpha + 2 * se, color="grey", alpha=0.3, label=r"$\alpha \pm 2$ SE")
ax.set(xlabel="rejection rate under H0", title="Simulated type I error rate (2,000 tests each)")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
print({k: round(v, 4) for k, v in rates.items()})

# %% [markdown]
# Welch holds its level on skewed real data (all four rates within about 2 SE of 0.05), while the
# pooled test rejects a true $H_0$ several times too often when the small group has the large
# variance: its pooled $s_p$ is dominated by the big, quiet group and underestimates the SE.
#
# ## Power curves and sample size

# %%
ttp, nip = TTestIndPower(), NormalIndPower()
ns = np.arange(2, 201)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for d in (0.2, 0.5, 0.8):
    ax1.plot(ns, [ttp.power(d, n, 0.05) for n in ns], label=f"t-test, d = {d}")
    ax1.plot(ns, [nip.power(d, n, 0.05) for n in ns], "k:", lw=0.8)
ax1.axhline(0.8, color="grey", ls="--", lw=1)
ax1.set(xlabel="n per group", ylabel="power", title="Power vs n (dotted: z-test)")
ax1.legend(fontsize=8)
ds = np.linspace(0, 1.2, 121)
for n in (10, 30, 100):
    ax2.plot(ds, [ttp.power(d, n, 0.05) for d in ds], label=f"n = {n} per group")
ax2.axhline(0.05, color="grey", ls=":", lw=1)
ax2.set(xlabel="effect size d", ylabel="power", title=r"Power vs effect size ($\alpha$ = 0.05)")
ax2.legend(fontsize=8)
fig.tight_layout()
plt.show()

n_needed = {d: ttp.solve_power(effect_size=d, power=0.8, alpha=0.05) for d in (0.2, 0.5, 0.8)}
print({d: f"{n:.2f} -> {int(np.ceil(n))} per group" for d, n in n_needed.items()})
d_small = (small_a.mean() - small_b.mean()) / np.sqrt((small_a.var(ddof=1) + small_b.var(ddof=1)) / 2)
print(f"the 40-vs-40 Telco sample: d = {d_small:.2f}, power = {ttp.power(d_small, 40, 0.05):.3f}")

# %% [markdown]
# Cohen's "small" effect $d = 0.2$ needs ~394 per group for 80% power; the z-test curves (dotted)
# sit just above the t curves, the price of estimating $\sigma$ at small $n$.
#
# ## Parity checks
#
# Statistics and p-values against SciPy (`ttest_*`, `chi2_contingency`) and statsmodels (`ztest`,
# `proportions_ztest`, `statsmodels.stats.power`) at `rtol=1e-10`: both sides compute the same
# closed forms in float64 (differences are rounding in the variance sums and in the special
# functions), so 1e-10 leaves room only for rounding. Very small p-values are compared relatively,
# which works because both sides evaluate the tail directly (`ndtr(-|z|)`, not `1 - ndtr(|z|)`).
#
# One finding on the way: `scipy.special.nctdtr` returns **NaN** far in the lower tail (e.g.
# $\nu = 98$, $\delta = 10$, $x = -1.98$, where the true value is about $10^{-31}$), and statsmodels'
# power passes the NaN on (`TTestIndPower().power(2.0, 50, 0.05)` is NaN). Ours reflects the
# noncentral t there, $P(T_\delta \le x) = 1 - P(T_{-\delta} \le -x)$, which is $0$ to double
# precision. Where statsmodels is NaN we compare with its one-sided power at $\alpha/2$, which is
# what the two-sided power is once the far tail ($< 10^{-16}$) is dropped.

# %%
R = 1e-10
parity.check("Welch t, p: Telco charges churn vs stay", ours=lambda: list(ttest_ind(left, stayed, equal_var=False)),
             reference=lambda: list(st.ttest_ind(left, stayed, equal_var=False)), rtol=R, atol=1e-300,
             why="same closed form; float64 rounding only")
parity.check("Welch df: Telco", ours=welch.df, reference=st.ttest_ind(left, stayed, equal_var=False).df,
             rtol=R, why="Welch–Satterthwaite formula")
parity.check("pooled t, p: Adult hours by sex", ours=lambda: list(ttest_ind(hours[male], hours[~male])),
             reference=lambda: list(st.ttest_ind(hours[male], hours[~male])), rtol=R, atol=1e-300,
             why="same closed form")
parity.check("one-sample t, p (less): Adult hours vs 40",
             ours=lambda: list(ttest_1samp(hours, 40.0, alternative="less")),
             reference=lambda: list(st.ttest_1samp(hours, 40.0, alternative="less")), rtol=R,
             why="one-sided p = stdtr(df, t)")
parity.check("paired t, p: Telco average vs current charge",
             ours=lambda: list(ttest_rel(avg_charge, charges[has_total])),
             reference=lambda: list(st.ttest_rel(avg_charge, charges[has_total])), rtol=R,
             why="one-sample t on the differences")
parity.check("breast cancer: 30 Welch p-values", ours=pvals,
             reference=np.array([st.ttest_ind(Xb[yb == 0, j], Xb[yb == 1, j], equal_var=False).pvalue
                                 for j in range(Xb.shape[1])]), rtol=R, atol=1e-300,
             why="p-values down to 1e-100; relative comparison of directly computed tails")
parity.check("two-sample z (unequal), p: Telco", ours=lambda: list(ztest(left, stayed, usevar="unequal")),
             reference=lambda: list(smw.ztest(left, stayed, usevar="unequal")), rtol=R, atol=1e-300,
             why="statsmodels ztest; same SE")
parity.check("one-sample z, p (larger): small Telco sample",
             ours=lambda: list(ztest(small_a, value=70, alternative="larger")),
             reference=lambda: list(smw.ztest(small_a, value=70, alternative="larger")), rtol=R,
             why="statsmodels ztest, ddof=1")
parity.check("two-proportion z, p: churn seniors vs others", ours=lambda: list(proportions_ztest(counts, nobs)),
             reference=lambda: list(smp.proportions_ztest(counts, nobs)), rtol=R, atol=1e-300,
             why="pooled proportion in the SE")
chi_ref = st.chi2_contingency(table.to_numpy())
parity.check("chi2, p: Contract x Churn", ours=[chi.statistic, chi.pvalue],
             reference=[chi_ref.statistic, chi_ref.pvalue], rtol=R, atol=1e-300, why="Pearson X^2, chdtrc tail")
parity.check("chi2 expected frequencies: Contract x Churn", ours=chi.expected_freq,
             reference=chi_ref.expected_freq, rtol=1e-13, why="r_i c_j / N")
yates = chi2_contingency(senior_table)
yates_ref = st.chi2_contingency(senior_table)
parity.check("chi2 with Yates (2x2), p: senior x churn", ours=[yates.statistic, yates.pvalue],
             reference=[yates_ref.statistic, yates_ref.pvalue], rtol=R, atol=1e-300, why="Yates' 0.5 correction")

grid = [(d, n, a) for d in (-0.6, 0.1, 0.3, 0.8) for n in (5, 20, 64.5, 300) for a in (0.01, 0.05)]
for name, ours_cls, ref_cls, kw in [
    ("TTestIndPower.power", TTestIndPower(), smpower.TTestIndPower(), {"ratio": 1.5}),
    ("TTestPower.power", TTestPower(), smpower.TTestPower(), {}),
    ("NormalIndPower.power", NormalIndPower(), smpower.NormalIndPower(), {"ratio": 1.0}),
]:
    for alt in ("two-sided", "larger"):
        ours_pw = np.array([ours_cls.power(d, n, a, alternative=alt, **kw) for d, n, a in grid])
        ref_pw = np.array([ref_cls.power(d, n, a, alternative=alt, **kw) for d, n, a in grid])
        ok = np.isfinite(ref_pw)
        parity.check(f"{name} ({alt}) on {ok.sum()} grid points", ours=ours_pw[ok], reference=ref_pw[ok],
                     rtol=R, atol=1e-15, why="noncentral t / normal tails from the same special functions")
        if not ok.all():
            # statsmodels is NaN where scipy's nctdtr fails in the far tail (power.py: _nct_cdf); there the
            # far tail is < 1e-16, so the two-sided power equals the one-sided power at alpha / 2
            near = [ref_cls.power(d, n, a / 2, alternative="larger" if d > 0 else "smaller", **kw)
                    for (d, n, a), good in zip(grid, ok, strict=True) if not good]
            parity.check(f"{name} ({alt}) where statsmodels gives NaN: {(~ok).sum()} points",
                         ours=ours_pw[~ok], reference=near, rtol=R, atol=1e-15,
                         why="far tail < 1e-16: equals statsmodels' one-sided power at alpha/2")

# %% [markdown]
# **Solving for $n$.** Ours runs Brent's method to machine precision; statsmodels' `solve_power`
# stops earlier (its own power function, evaluated at its answer, misses the target by up to ~3e-8).
# So the first check feeds *our* $n$ into *statsmodels'* power function and asks for the target to
# 1e-12, and the second compares the two $n$ with `rtol=1e-6`, the size of statsmodels' stopping
# error (a relative error in $n$ of $\Delta\text{power}/(n\,\partial\text{power}/\partial n) \approx 10^{-7}$).

# %%
for d in (0.2, 0.5, 0.8):
    n_ours = ttp.solve_power(effect_size=d, power=0.8, alpha=0.05)
    parity.check(f"statsmodels power at our solved n (d={d})",
                 ours=smpower.TTestIndPower().power(d, n_ours, 0.05), reference=0.8, atol=1e-12,
                 why="our root is exact to rounding")
    parity.check(f"solved n per group vs statsmodels solve_power (d={d})", ours=n_ours,
                 reference=smpower.TTestIndPower().solve_power(effect_size=d, power=0.8, alpha=0.05),
                 rtol=1e-6, why="statsmodels' solver stops with a power residual up to ~3e-8")

# %%
parity.table()
