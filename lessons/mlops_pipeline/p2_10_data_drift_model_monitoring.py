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
# # P2.10 · Data drift and model monitoring (Evidently and our own statistics)
#
# A model is trained on yesterday's data and scored on today's. When today's data no longer looks
# like yesterday's, the model's accuracy quietly decays — no exception is raised. Monitoring
# compares the data the service sees (the *current* window, e.g. logged requests) with the data the
# model was trained on (the *reference*), column by column, and — once true labels arrive — the
# model's performance. This lesson builds the three classic drift statistics from scratch
# (`mlweekly.mlops_pipeline.drift`), wraps them in a monitor with YAML-configurable thresholds
# (`mlweekly.mlops_pipeline.monitoring`), and checks both against `scipy.stats` and Evidently.
#
# ## Kinds of drift
#
# Write the joint distribution as $p(x, y) = p(y \mid x)\,p(x) = p(x \mid y)\,p(y)$.
#
# * **Covariate shift**: $p(x)$ changes, $p(y \mid x)$ does not (new customers are on pricier plans).
#   Visible in the inputs alone; the model may still be right *where it has data* but is now asked
#   about regions it saw rarely.
# * **Prior (label) shift**: $p(y)$ changes, $p(x \mid y)$ does not (churn rises in a recession).
#   Visible in the prediction distribution; calibrated probabilities become miscalibrated.
# * **Concept drift**: $p(y \mid x)$ changes (a competitor targets two-year customers, who now leave).
#   The inputs can look exactly the same: **no input test can see it** — only labels can.
#
# ## The statistics
#
# **Kolmogorov–Smirnov (numeric).** With empirical CDFs $F_m$ (reference, $m$ values) and $G_n$
# (current, $n$ values),
# $$D_{m,n} = \sup_x |F_m(x) - G_n(x)|,$$
# evaluated at every observed value. Under $H_0$ (same continuous distribution) the law of $D$ does
# not depend on that distribution. *Exact*: $D \ge h/\mathrm{lcm}(m,n)$ iff the monotone lattice path
# that steps right for each reference value and up for each current value (in sorted order) leaves
# the band $|x/m - y/n| < h/\mathrm{lcm}(m,n)$; all $\binom{m+n}{m}$ paths are equally likely, so the
# p-value is the share of paths that leave it, counted column by column (Hodges 1958). We carry
# *one minus* the share directly (Viehmann 2021), which keeps every number in $[0,1]$. For $m = n$
# the reflection principle gives a closed alternating sum
# $P(D_{n,n} \ge h/n) = 2\sum_{k\ge1}(-1)^{k+1}\binom{2n}{n-kh}/\binom{2n}{n}$.
# *Asymptotic*: $\sqrt{mn/(m+n)}\,D \to$ Kolmogorov's distribution; SciPy (and we) use the
# finite-$N$ one-sample law of $D_N$ with $N = \mathrm{round}(mn/(m+n))$, and switch to it only when a
# sample exceeds 10 000 values (`method="auto"`). With ties (discrete data) the exact p-value is
# conservative.
#
# **Chi-square homogeneity (categorical).** Put the category counts in a $2\times K$ table $O$ (row 0
# reference, row 1 current); under $H_0$ both rows share one distribution and
# $E_{ij} = r_i c_j / N$:
# $$X^2 = \sum_{i,j} \frac{(O_{ij} - E_{ij})^2}{E_{ij}} \;\dot\sim\; \chi^2_{K-1}.$$
# Evidently's `chisquare` is different: a *goodness-of-fit* test of the current counts against the
# reference *proportions* taken as known, which ignores the reference's own sampling noise and so
# gives smaller p-values than the homogeneity test when the two samples have similar sizes.
#
# **Population stability index.** Bin both samples (deciles of the reference for numeric columns,
# categories otherwise), with proportions $r_k$ and $c_k$:
# $$\mathrm{PSI} = \sum_k (c_k - r_k)\ln\frac{c_k}{r_k} = \mathrm{KL}(c\,\|\,r) + \mathrm{KL}(r\,\|\,c).$$
# It is a symmetrised KL divergence: 0 for identical binned distributions, never negative. An empty
# bin would make it infinite, so our convention (Evidently's too) replaces a zero proportion by
# $\varepsilon = 10^{-4}$; bins are $(-\infty, q_{0.1}), [q_{0.1}, q_{0.2}), \dots, [q_{0.9}, \infty)$ with
# duplicate quantiles merged. For a normal mean shift of $\delta$ standard deviations,
# $\mathrm{PSI} \approx \delta^2$ (before binning). **Rules of thumb** (credit scoring, Siddiqi 2006):
# $< 0.1$ stable, $0.1$–$0.25$ moderate shift worth a look, $> 0.25$ major shift.
#
# **p-values vs effect sizes.** With thousands of rows a KS or $\chi^2$ test flags differences far
# too small to matter; with fifty rows it misses large ones. PSI is an effect size and does not grow
# with $n$ (beyond its small-sample bias). A monitor should report both; ours flags a column when the
# p-value is below $\alpha$ *or* (configurable: *and*) PSI reaches the threshold.
#
# **Multiple testing.** Testing 19 columns at $\alpha = 0.05$ each, on data with no drift at all,
# flags at least one column with probability $1 - 0.95^{19} \approx 0.62$. Our monitor controls the
# family-wise error with Bonferroni, $\alpha/m$ per column (valid under any dependence between
# columns); Evidently instead tests each column at 0.05 and declares *dataset* drift when a share of
# columns (default half) drift.
#
# **Why performance needs labels.** Accuracy, AUC and log-loss need the truth $y$, which often
# arrives weeks later (did the customer churn?). Drift in $x$ is a leading but noisy proxy: covariate
# shift may not hurt, and concept drift is invisible in $x$. So a monitor checks inputs now and
# performance when labels land.
#
# ## References
# * J. L. Hodges (1958), *The significance probability of the Smirnov two-sample test*, Ark. Mat. 3.
# * T. Viehmann (2021), *Numerically more stable computation of the p-values for the two-sample
#   Kolmogorov–Smirnov test*, arXiv:2102.08037.
# * N. Siddiqi (2006), *Credit Risk Scorecards*, Wiley (PSI and its 0.1/0.25 rules).
# * J. Gama et al. (2014), *A survey on concept drift adaptation*, ACM Computing Surveys 46(4).
# * S. Rabanser, S. Günnemann, Z. Lipton (2019), *Failing loudly: an empirical study of methods for
#   detecting dataset shift*, NeurIPS.
# * Evidently documentation, *Data drift* presets and drift methods (docs.evidentlyai.com).

# %%
import os

os.environ.setdefault("DO_NOT_TRACK", "1")  # no Evidently telemetry

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import scipy.stats as st
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mlweekly import datasets, parity
from mlweekly.mlops_pipeline.drift import chi2_homogeneity, ks_2samp, psi, psi_categorical
from mlweekly.mlops_pipeline.monitoring import MonitorConfig, drift_report, evidently_report

# %% [markdown]
# ## The data: reference and current windows
#
# Telco churn: 7 043 customers, 16 categorical and 3 numeric features. A random half is the
# reference (training data), the other half the "current" window. `SeniorCitizen` is stored as 0/1
# integers but is a category, which the config says.

# %%
frame = datasets.load("telco_churn").frame
features = frame.drop(columns="Churn")
order = np.random.default_rng(0).permutation(len(frame))
ref_idx, cur_idx = order[: len(frame) // 2], order[len(frame) // 2 :]
reference, current = features.iloc[ref_idx], features.iloc[cur_idx]
config = MonitorConfig.from_dict({"categorical": ["SeniorCitizen"], "alpha": 0.05, "psi_threshold": 0.25})
print(config)

# %% [markdown]
# ## No drift on a random split
#
# Both halves come from one distribution, so nothing should drift. Without the Bonferroni correction
# the smallest of 19 p-values may well dip below 0.05 by chance — which is exactly why the monitor
# corrects.

# %%
baseline = drift_report(reference, current, config)
print(baseline)
table = baseline.to_frame()[["kind", "test", "statistic", "pvalue", "psi"]]
print(table.sort_values("pvalue").head(5).to_string())
print("smallest p-value:", table["pvalue"].min(), "-> flagged at 0.05 without correction:",
      list(table.index[table["pvalue"] < 0.05]))

# %% [markdown]
# ## Simulated drift
#
# Three scenarios, each on the current window:
# 1. **Covariate shift, numeric**: `MonthlyCharges` up by 10 % (a price rise).
# 2. **Covariate shift, categorical**: the `Contract` mix moves to month-to-month — 40 % of one- and
#    two-year customers are relabelled "Month-to-month".
# 3. **Concept drift**: the inputs are untouched, but the churn label of every fibre-optic customer
#    on a two-year contract is flipped.

# %%
shifted_price = current.assign(MonthlyCharges=current["MonthlyCharges"] * 1.10)

rng = np.random.default_rng(1)
contract = current["Contract"].copy()
move = (contract != "Month-to-month") & (rng.random(len(contract)) < 0.4)
contract[move] = "Month-to-month"
shifted_mix = current.assign(Contract=contract)

price_report = drift_report(reference, shifted_price, config)
mix_report = drift_report(reference, shifted_mix, config)
print(price_report, mix_report, sep="\n\n")

# %%
fig, axes = plt.subplots(1, 3, figsize=(14, 3.6))
bins = np.linspace(15, 130, 40)
axes[0].hist(reference["MonthlyCharges"], bins, alpha=0.5, density=True, label="reference")
axes[0].hist(shifted_price["MonthlyCharges"], bins, alpha=0.5, density=True, label="current (+10 %)")
axes[0].set(title="MonthlyCharges", xlabel="$ per month")
axes[0].legend()
for ax, (name, values) in zip(axes[1:], [("reference", reference), ("current", shifted_mix)], strict=True):
    share = values["Contract"].value_counts(normalize=True).sort_index()
    ax.bar(share.index.astype(str), share.to_numpy(), color="C0" if name == "reference" else "C1")
    ax.set(title=f"Contract mix, {name}", ylim=(0, 0.8))
plt.tight_layout()
plt.show()

# %%
fig, axes = plt.subplots(1, 3, figsize=(14, 4), sharey=True)
for ax, (name, rep) in zip(axes, [("random split", baseline), ("price +10 %", price_report),
                                  ("contract mix", mix_report)], strict=True):  # fmt: skip
    t = rep.to_frame()["psi"].sort_values()
    ax.barh(t.index, t.to_numpy(), color=["C3" if c in rep.drifted_columns else "C0" for c in t.index])
    for x, ls in ((0.1, ":"), (0.25, "--")):
        ax.axvline(x, color="k", ls=ls, lw=1)
    ax.set(title=f"PSI per column: {name}", xlabel="PSI (0.1 / 0.25 rules)", xscale="symlog",
           xlim=(0, 2))  # fmt: skip
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Concept drift: invisible to the inputs, caught by the labels
#
# A model (one-hot + logistic regression, scikit-learn — the model is not this lesson's subject) is
# trained on the reference. In scenario 3 the inputs of the current window are *identical*, so every
# input test passes; with the labels, accuracy, AUC and log-loss on the current window fall.

# %%
num = ["tenure", "MonthlyCharges", "TotalCharges"]
cat = [c for c in features.columns if c not in num]
model = make_pipeline(
    make_column_transformer((StandardScaler(), num), (OneHotEncoder(handle_unknown="ignore"), cat)),
    LogisticRegression(max_iter=1000),
)
fill = features["TotalCharges"].median()  # 11 customers with tenure 0 were never billed
X_ref, X_cur = reference.fillna({"TotalCharges": fill}), current.fillna({"TotalCharges": fill})
y_ref, y_cur = frame["Churn"].to_numpy()[ref_idx], frame["Churn"].to_numpy()[cur_idx]
model.fit(X_ref, y_ref)
segment = ((current["InternetService"] == "Fiber optic") & (current["Contract"] != "Month-to-month")).to_numpy()
y_concept = np.where(segment, 1 - y_cur, y_cur)
print(f"segment: {segment.sum()} of {len(segment)} current customers")

labels = {"reference": (y_ref, model.predict_proba(X_ref)[:, 1]),
          "current": (y_concept, model.predict_proba(X_cur)[:, 1])}  # fmt: skip
concept_report = drift_report(reference, current, config, labels=labels)
print(concept_report)
print(pd.DataFrame({"reference": concept_report.performance.reference,
                    "current": concept_report.performance.current}).round(3))  # fmt: skip

# %% [markdown]
# ## Detection power against shift size
#
# How large must a shift be before the monitor sees it? Draw 300 reference and 300 current values
# of `MonthlyCharges` (bootstrap from the data), multiply the current ones by $1 + s$, and count how
# often KS (at $\alpha = 0.05$) and PSI ($\ge 0.1$, $\ge 0.25$) fire over 40 repetitions. The KS test
# reaches full power at a few per cent; PSI, an effect size, needs a larger shift — and at $s = 0$
# the KS line shows its 5 % false-alarm rate.

# %%
charges = features["MonthlyCharges"].to_numpy()
shifts = np.array([0.0, 0.02, 0.04, 0.06, 0.08, 0.12, 0.16, 0.24])
power_rng = np.random.default_rng(2)
hits = {"KS p < 0.05": [], "PSI ≥ 0.1": [], "PSI ≥ 0.25": []}
for s in shifts:
    draws = [(power_rng.choice(charges, 300), power_rng.choice(charges, 300) * (1 + s)) for _ in range(40)]
    pv = np.array([ks_2samp(a, b).pvalue for a, b in draws])
    ps = np.array([psi(a, b) for a, b in draws])
    hits["KS p < 0.05"].append(np.mean(pv < 0.05))
    hits["PSI ≥ 0.1"].append(np.mean(ps >= 0.1))
    hits["PSI ≥ 0.25"].append(np.mean(ps >= 0.25))
for label, rate in hits.items():
    plt.plot(100 * shifts, rate, marker="o", label=label)
plt.axhline(0.05, color="k", ls=":", lw=1)
plt.xlabel("MonthlyCharges increase (%)")
plt.ylabel("detection rate (40 repetitions)")
plt.title("Detection power, 300 vs 300 customers")
plt.legend()
plt.show()

# %% [markdown]
# ## Evidently's report
#
# Evidently 0.7's `DataDriftPreset` picks a test per column from its type and size (for more than
# 1 000 rows: Wasserstein distance for numeric, Jensen–Shannon for categorical columns). To compare
# like with like we ask for `num_method="ks"` — the same two-sample KS test, computed by
# `scipy.stats.ks_2samp`, so its p-values must equal ours — and `cat_method="chisquare"`, its
# goodness-of-fit test (see the notes: not the same test as ours, so only the verdicts are compared).
# Each column is tested at 0.05; for a like-for-like verdict our monitor runs with no correction and
# the p-value rule. The HTML report is written to a temporary folder (open it in a browser).

# %%
cols = ["tenure", "MonthlyCharges", "TotalCharges", "Contract", "InternetService", "PaymentMethod"]
like_evidently = MonitorConfig.from_dict({"columns": cols, "categorical": ["SeniorCitizen"],
                                          "correction": "none", "rule": "pvalue"})  # fmt: skip
html = Path(tempfile.mkdtemp()) / "drift_price.html"
scenarios = {"random split": current, "price +10 %": shifted_price, "contract mix": shifted_mix}
compare = []
for name, cur in scenarios.items():
    ours = drift_report(reference, cur, like_evidently).to_frame()
    theirs = evidently_report(reference, cur, html if name == "price +10 %" else None, columns=cols)
    for c in cols:
        compare.append({"scenario": name, "column": c, "test (ours / Evidently)":
                        f"{ours.loc[c, 'test']} / {theirs[c]['method']}", "p ours": ours.loc[c, "pvalue"],
                        "p Evidently": theirs[c]["value"], "drift ours": bool(ours.loc[c, "drifted"]),
                        "drift Evidently": theirs[c]["drifted"]})  # fmt: skip
compare = pd.DataFrame(compare)
print(f"HTML report: {html} ({html.stat().st_size / 1e6:.1f} MB)")
print(compare.to_string(index=False, float_format=lambda v: f"{v:.3g}"))

# %% [markdown]
# ## Parity checks
#
# * KS statistic and p-value against `scipy.stats.ks_2samp` (default `method="auto"`, here exact):
#   rtol $10^{-10}$ — both sum the same lattice-path recursion in float64; only the order of a few
#   floating-point operations differs. On `tenure` (integers, many ties) and on shifted
#   `MonthlyCharges`. The time ratio is large (about 30×): SciPy compiles the path-counting loop
#   with Pythran, ours is a plain Python loop (a sequential recurrence does not vectorise) — about
#   0.1–0.2 s per numeric column at Telco's size, fine for a monitor run.
# * Chi-square statistic and p-value against `scipy.stats.chi2_contingency(correction=False)` on the
#   shifted `Contract` table: rtol $10^{-10}$ (same formula; the p-value is the same `chdtrc`).
# * Our KS p-values against Evidently's (`num_method="ks"`) for the numeric columns of every scenario:
#   rtol $10^{-10}$; Evidently calls `scipy.stats.ks_2samp` after dropping missing values, as we do.
# * Categorical PSI against Evidently's `psi` on `Contract`: rtol $10^{-10}$; both use category
#   proportions with $10^{-4}$ for an empty category. (Evidently's *numeric* PSI bins the pooled data
#   into Sturges equal-width bins, not reference deciles, so it is not compared.)
# * Per-column drift verdicts, ours vs Evidently's, on the three scenarios: exact agreement
#   (`atol=0`) — same KS test for numeric columns; for categorical ones the tests differ but the
#   verdicts must still agree on these clear-cut shifts.

# %%
a, b = reference["tenure"].to_numpy(float), current["tenure"].to_numpy(float)
parity.check("KS (D, p) on tenure, random split (ties)", ours=lambda: list(vars(ks_2samp(a, b)).values())[:2],
             reference=lambda: list(st.ks_2samp(a, b))[:2], rtol=1e-10,
             why="same exact lattice-path p-value in float64")  # fmt: skip
a, b = reference["MonthlyCharges"].to_numpy(), shifted_price["MonthlyCharges"].to_numpy()
parity.check("KS (D, p) on MonthlyCharges +10 %", ours=lambda: [ks_2samp(a, b).statistic, ks_2samp(a, b).pvalue],
             reference=lambda: [st.ks_2samp(a, b).statistic, st.ks_2samp(a, b).pvalue], rtol=1e-10,
             why="same exact lattice-path p-value in float64")  # fmt: skip
ours_chi = chi2_homogeneity(reference["Contract"].astype(str), shifted_mix["Contract"].astype(str))
ref_chi = st.chi2_contingency(ours_chi.table, correction=False)
parity.check("chi² (X², p) on Contract mix", ours=[ours_chi.statistic, ours_chi.pvalue],
             reference=[ref_chi.statistic, ref_chi.pvalue], rtol=1e-10,
             why="same Pearson statistic and chi² survival function")  # fmt: skip
numeric_rows = compare[compare["column"].isin(num)]
parity.check("KS p-values vs Evidently (3 scenarios × 3 columns)", ours=numeric_rows["p ours"].to_numpy(),
             reference=numeric_rows["p Evidently"].to_numpy(), rtol=1e-10,
             why="Evidently's ks test is scipy.stats.ks_2samp")  # fmt: skip
ev_psi = evidently_report(reference, shifted_mix, columns=["Contract"], cat_method="psi")["Contract"]["value"]
parity.check("categorical PSI on Contract vs Evidently", ours=psi_categorical(reference["Contract"].astype(str),
             shifted_mix["Contract"].astype(str)), reference=ev_psi, rtol=1e-10,
             why="same category proportions and eps")  # fmt: skip
parity.check("drift verdicts vs Evidently (3 scenarios × 6 columns)", ours=compare["drift ours"].to_numpy(),
             reference=compare["drift Evidently"].to_numpy(), atol=0,
             why="same KS test for numeric columns; clear-cut shifts for categorical ones")  # fmt: skip

# %% [markdown]
# ## Pitfalls
# * **Large samples make everything significant.** Report an effect size (PSI, KS's $D$) beside
#   the p-value, and pick thresholds on the effect size that matter for the business.
# * **Multiple testing.** Correct across columns (Bonferroni here) or accept a false alarm most days.
# * **Binning choices change PSI.** Reference deciles (ours) and pooled equal-width bins
#   (Evidently's numeric PSI) give different numbers for the same data; fix the convention and the
#   $\varepsilon$ for empty bins before comparing PSI across systems or time.
# * **KS on discrete data** (integers like `tenure`, 0/1 flags) is conservative: treat low-cardinality
#   columns as categorical.
# * **Exact-to-asymptotic switch.** SciPy (and we) use the exact p-value up to 10 000 values per
#   sample, and fall back to the asymptotic law when the exact sum leaves $[0, 1]$ by round-off (e.g.
#   $D = 1/n$ with $m = n$).
# * **Concept drift needs labels**: an input monitor that says "no drift" does not say "the model is
#   still right".

# %%
parity.table()
