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
# # P1.12 · Model evaluation: precision, recall, AUC, cross-validation
#
# A model is only as good as the number that says it is good. This lesson builds the usual
# classification metrics from their counts, shows what each one rewards, and estimates them
# honestly with cross-validation. Every function is ours (`mlweekly.ml_algorithms.metrics`,
# `.model_selection`) and is checked number by number against `sklearn.metrics` and
# `sklearn.model_selection`.
#
# ## The confusion matrix
#
# For $K$ classes, $C_{ij}$ counts the samples of true class $i$ predicted as class $j$ (rows true,
# columns predicted — scikit-learn's convention; some texts transpose it). For two classes with
# "positive" = 1:
#
# $$C = \begin{pmatrix} \mathrm{TN} & \mathrm{FP} \\ \mathrm{FN} & \mathrm{TP} \end{pmatrix},
# \qquad \text{accuracy} = \frac{\mathrm{TP} + \mathrm{TN}}{n} = \frac{\operatorname{tr} C}{n}.$$
#
# Every counting metric below is a ratio of these cells. With sample weights $w_i$ each sample
# adds $w_i$ instead of 1.
#
# ## Precision, recall, F1
#
# $$\text{precision} = \frac{\mathrm{TP}}{\mathrm{TP} + \mathrm{FP}} = P(y = 1 \mid \hat y = 1), \qquad
# \text{recall} = \frac{\mathrm{TP}}{\mathrm{TP} + \mathrm{FN}} = P(\hat y = 1 \mid y = 1),$$
#
# $$F_1 = \frac{2}{1/\text{precision} + 1/\text{recall}} = \frac{2\,\mathrm{TP}}{2\,\mathrm{TP} + \mathrm{FP} + \mathrm{FN}}.$$
#
# Precision asks "when it says positive, is it right?", recall "does it find the positives?". The
# harmonic mean is dominated by the smaller of the two, so $F_1$ is high only when both are.
# When a denominator is zero (nothing predicted positive, or no positives at all) the ratio is
# undefined: `zero_division` decides the value ("warn" = 0 with a warning, 0, 1, or NaN, which
# is then left out of averages).
#
# **Averages for $K$ classes.** Compute $\mathrm{TP}_k, \mathrm{FP}_k, \mathrm{FN}_k$ for each class
# against the rest, then
#
# * *macro*: the plain mean of the $K$ per-class values — every class counts the same;
# * *weighted*: the mean weighted by the support $n_k$ (number of true samples of class $k$);
# * *micro*: pool the counts first, $\text{precision}_\mu = \sum_k \mathrm{TP}_k / \sum_k
#   (\mathrm{TP}_k + \mathrm{FP}_k)$.
#
# For single-label data every wrong prediction is one false positive (for the predicted class) and
# one false negative (for the true class), so $\sum_k \mathrm{FP}_k = \sum_k \mathrm{FN}_k = n -
# \sum_k \mathrm{TP}_k$ and **micro precision = micro recall = micro $F_1$ = accuracy**. Macro-$F_1$
# is the mean of per-class $F_1$ values, *not* the $F_1$ of macro precision and macro recall.
#
# ## The ROC curve and its area
#
# A scoring classifier outputs $s(x)$ and predicts positive when $s(x) \ge t$. Sweeping $t$ from
# $+\infty$ down to $-\infty$ traces the ROC curve: the false positive rate
# $\mathrm{FPR}(t) = \mathrm{FP}(t)/N_-$ on the $x$-axis, the true positive rate $\mathrm{TPR}(t) =
# \mathrm{TP}(t)/N_+$ (= recall) on the $y$-axis, from $(0,0)$ to $(1,1)$. Only the **distinct**
# score values matter: samples with equal scores cannot be separated by any threshold, so a tie
# moves the curve diagonally — both counts at once. The algorithm: sort by decreasing score,
# take cumulative sums of positives and negatives, and keep the sums at the last index of every
# run of equal scores. scikit-learn (≥ 1.3) puts $t = +\infty$ first, the classifier that predicts
# nothing positive.
#
# **AUC as a probability (Mann–Whitney).** Let $S_+$, $S_-$ be the scores of a random positive and
# a random negative. Then
#
# $$\mathrm{AUC} = P(S_+ > S_-) + \tfrac12 P(S_+ = S_-).$$
#
# *Derivation.* Between two consecutive thresholds the curve moves from $(\mathrm{FPR}_{j-1},
# \mathrm{TPR}_{j-1})$ to $(\mathrm{FPR}_j, \mathrm{TPR}_j)$: the $\Delta N^-_j$ negatives and
# $\Delta N^+_j$ positives with score exactly $s_j$ cross together. The trapezoid under that step has
# area
#
# $$\frac{\Delta N^-_j}{N_-}\cdot\frac{\mathrm{TP}_{j-1} + \tfrac12 \Delta N^+_j}{N_+}
#   = \frac{1}{N_+ N_-}\Bigl(\#\{(i^+, i^-) : s_{i^-} = s_j,\ s_{i^+} > s_j\} +
#   \tfrac12 \#\{(i^+, i^-) : s_{i^+} = s_{i^-} = s_j\}\Bigr).$$
#
# Summing over $j$ counts every (positive, negative) pair once: 1 if the positive scores higher,
# $\tfrac12$ if they tie. That sum is the Mann–Whitney statistic
# $U = \sum_{i \in +} r_i - N_+(N_+ + 1)/2$ with $r_i$ the (mid-)rank of $s_i$ among all scores, so
# $\mathrm{AUC} = U / (N_+ N_-)$ — the trapezoid rule is *exactly* the tie-corrected pair count
# (Hanley & McNeil 1982). AUC is invariant to any increasing transform of the scores and to the
# class prevalence; 0.5 is a coin, 1 a perfect ranking, 0 a perfectly inverted one.
#
# **Multiclass.** One-vs-rest: the AUC of class $k$ against all others, per class, then the macro
# or support-weighted mean (needs probabilities that sum to 1 across classes so that the columns
# are comparable). One-vs-one (Hand & Till 2001): the mean over class pairs of the two pairwise
# AUCs, insensitive to class imbalance.
#
# ## Precision–recall curve and average precision
#
# The PR curve plots precision against recall over the same thresholds. Its area is summarised by
# **average precision**, the step-wise sum
#
# $$\mathrm{AP} = \sum_n (R_n - R_{n-1})\,P_n ,$$
#
# the precision at each threshold weighted by the recall it adds. No interpolation: linear
# interpolation between PR points is wrong (precision is not linear in recall between two
# operating points — Davis & Goadrich 2006) and the trapezoid rule overestimates. The
# *interpolated* AP of information retrieval (PASCAL VOC) replaces $P_n$ by $\max_{m \ge n} P_m$
# (the best precision at any recall $\ge R_n$), which is $\ge$ AP.
#
# **When PR beats ROC.** FPR divides by $N_-$: with 1 positive in 1000, a thousand false
# positives are still only an FPR of 0.1 and the ROC curve looks excellent, while precision,
# $\mathrm{TP}/(\mathrm{TP} + \mathrm{FP})$, collapses. Precision depends on the prevalence $\pi$;
# TPR and FPR do not:
# $\text{precision} = \pi\,\mathrm{TPR} / (\pi\,\mathrm{TPR} + (1-\pi)\,\mathrm{FPR})$. For
# imbalanced problems where the positives matter, look at the PR curve (Saito & Rehmsmeier 2015);
# a random classifier's AP is $\pi$, not 0.5.
#
# ## Log-loss and Brier: proper scoring rules
#
# Threshold metrics ignore *how* confident the probabilities are. Two losses score them directly:
#
# $$\text{log-loss} = -\frac1n \sum_i \log \hat p_{i, y_i}, \qquad
# \text{Brier} = \frac1n \sum_i \sum_k (\mathbb 1[y_i = k] - \hat p_{ik})^2$$
#
# (for two classes scikit-learn halves the Brier score to $\frac1n\sum_i (y_i - \hat p_i)^2 \in
# [0, 1]$). Both are **strictly proper**: if the truth is $y \sim \mathrm{Bernoulli}(p)$, the
# expected score of reporting $q$ is minimised only at $q = p$. For Brier,
# $\mathbb E(y - q)^2 = p(1-p) + (p-q)^2$; for log-loss, $-p\log q - (1-p)\log(1-q)$ has derivative
# $(q - p)/(q(1-q))$, zero at $q = p$. So an honest forecaster is never beaten on average by a
# tweaked one. Log-loss punishes confident mistakes without bound: scikit-learn (≥ 1.5, no
# `eps` argument any more) clips probabilities to $[\epsilon, 1-\epsilon]$ with $\epsilon$ the
# machine epsilon of their dtype, so the worst per-sample loss is $-\log \epsilon \approx 36$ in
# float64.
#
# ## Cross-validation
#
# $K$-fold CV splits the data into $K$ folds, fits on $K-1$ and scores on the held-out one, $K$
# times. Its mean estimates the performance of the *procedure* (model fitted on $\tfrac{K-1}{K}n$
# samples), not of one fitted model (ESL §7.10). Pitfalls:
#
# * **Stratify** for classification: plain folds of imbalanced or class-sorted data can miss a
#   class entirely; `StratifiedKFold` gives every fold each class's share. An integer `cv` means
#   stratified folds for a classifier (scikit-learn's `check_cv` rule, ours too).
# * **Variance.** The $K$ fold scores are *not* independent (training sets overlap by
#   $\tfrac{K-2}{K-1}$), so $\mathrm{sd}/\sqrt K$ underestimates the uncertainty; there is no unbiased
#   estimator of the variance of $K$-fold CV (Bengio & Grandvalet 2004). Repeating CV with new
#   shuffles shows how much the estimate moves with the split alone.
# * Every step learned from data (scaling, feature selection, tuning) must happen **inside** the
#   folds (a `Pipeline`), or the estimate is optimistic (ESL §7.10.2, "the wrong way").
#
# ## References
#
# * T. Fawcett, "An introduction to ROC analysis", *Pattern Recognition Letters* 27 (2006) 861–874.
# * J. Davis, M. Goadrich, "The relationship between precision-recall and ROC curves", ICML 2006.
# * T. Saito, M. Rehmsmeier, "The precision-recall plot is more informative than the ROC plot when
#   evaluating binary classifiers on imbalanced datasets", *PLoS ONE* 10(3) (2015) e0118432.
# * T. Hastie, R. Tibshirani, J. Friedman, *The Elements of Statistical Learning*, 2nd ed. (2009),
#   §7.10 (cross-validation).
# * J. A. Hanley, B. J. McNeil, "The meaning and use of the area under a ROC curve", *Radiology*
#   143 (1982) 29–36 (AUC = Mann–Whitney $U$).
# * D. J. Hand, R. J. Till, "A simple generalisation of the area under the ROC curve for multiple
#   class classification problems", *Machine Learning* 45 (2001) 171–186.
# * T. Gneiting, A. E. Raftery, "Strictly proper scoring rules, prediction, and estimation",
#   *JASA* 102 (2007) 359–378.
# * Y. Bengio, Y. Grandvalet, "No unbiased estimator of the variance of K-fold cross-validation",
#   *JMLR* 5 (2004) 1089–1105.

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
import scipy.stats
import sklearn.metrics as skm
import sklearn.model_selection as skms
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlweekly import datasets, parity
from mlweekly.ml_algorithms import (
    KFold,
    LogisticRegression,
    StratifiedKFold,
    _ranking,
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    cross_val_score,
    f1_score,
    log_loss,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)
from mlweekly.ml_algorithms.metrics import auc_by_ranks

# %% [markdown]
# ## The implementation
#
# Everything threshold-based rests on one function: sort by decreasing score, cumulative sums,
# and keep the sums at the end of each run of tied scores. Without weights the counts are
# integers, so the order *within* a tie does not matter and a fast unstable sort will do; with
# weights we use scikit-learn's stable order so the floating-point sums agree bit for bit.

# %%
print(inspect.getsource(_ranking._counts_at_thresholds))

# %% [markdown]
# ## Demo 1 · breast cancer: confusion matrix, precision, recall
#
# 569 tumours, 30 features; we call *malignant* the positive class ($y = 1$, 37 %). Our
# `LogisticRegression` (lesson P1.02) is fitted on a stratified 70 % and scored on the held-out 30 %.

# %%
X_bc, target = datasets.load_xy("breast_cancer")
y_bc = 1 - target  # 1 = malignant
X_tr, X_te, y_tr, y_te = skms.train_test_split(X_bc, y_bc, test_size=0.3, stratify=y_bc, random_state=0)
model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1)).fit(X_tr, y_tr)
p_te = model.predict_proba(X_te)[:, 1]
yhat = (p_te >= 0.5).astype(int)

cm = confusion_matrix(y_te, yhat)
(tn, fp), (fn, tp) = cm
print(cm)
print(f"precision = TP/(TP+FP) = {tp}/{tp + fp} = {precision_score(y_te, yhat):.4f}")
print(f"recall    = TP/(TP+FN) = {tp}/{tp + fn} = {recall_score(y_te, yhat):.4f}")
print(f"F1 = {f1_score(y_te, yhat):.4f}, accuracy = {accuracy_score(y_te, yhat):.4f}")

# %% [markdown]
# The threshold 0.5 is a choice. Lowering it trades precision for recall — in screening, a missed
# malignant tumour (FN) costs far more than a false alarm (FP):

# %%
fig, axes = plt.subplots(1, 3, figsize=(15, 4.3), constrained_layout=True)
for ax, t in zip(axes, [0.5, 0.2, 0.05], strict=True):
    c = confusion_matrix(y_te, (p_te >= t).astype(int))
    ax.imshow(c, cmap="Blues")
    for (i, j), v in np.ndenumerate(c):
        ax.text(j, i, v, ha="center", va="center", fontsize=14, color="white" if v > c.max() / 2 else "black")
    ax.set(xticks=[0, 1], yticks=[0, 1], xticklabels=["benign", "malignant"], yticklabels=["benign", "malignant"],
           xlabel="predicted", ylabel="true",
           title=f"t = {t}: precision {precision_score(y_te, p_te >= t):.2f}, recall {recall_score(y_te, p_te >= t):.2f}")
plt.show()

# %% [markdown]
# ## Demo 2 · ROC and PR curves, AUC as a probability

# %%
fpr, tpr, thr = roc_curve(y_te, p_te)
prec, rec, thr_pr = precision_recall_curve(y_te, p_te)
auc, ap = roc_auc_score(y_te, p_te), average_precision_score(y_te, p_te)
# interpolated AP: precision replaced by the best precision at any larger recall
p_interp = np.maximum.accumulate(prec)  # prec runs from low to high threshold, i.e. recall decreasing
ap_interp = -np.sum(np.diff(rec) * p_interp[:-1])

fig, axes = plt.subplots(1, 2, figsize=(13, 5), constrained_layout=True)
axes[0].plot(fpr, tpr, drawstyle="default", marker=".", label=f"ours: AUC = {auc:.4f}")
axes[0].plot([0, 1], [0, 1], "--", color="grey", lw=1, label="coin (AUC 0.5)")
axes[0].set(xlabel="false positive rate", ylabel="true positive rate (recall)", title="ROC, breast cancer test set")
axes[1].step(rec, prec, where="post", label=f"AP (step-wise) = {ap:.4f}")
axes[1].step(rec, p_interp, where="post", ls=":", label=f"interpolated AP = {ap_interp:.4f}")
axes[1].axhline(y_te.mean(), color="grey", ls="--", lw=1, label=f"random: AP = prevalence = {y_te.mean():.2f}")
axes[1].set(xlabel="recall", ylabel="precision", title="precision–recall", ylim=(0, 1.02))
for ax in axes:
    ax.legend(loc="lower right" if ax is axes[0] else "lower left")
plt.show()
print(f"{thr.size} ROC thresholds kept (first is +inf), {thr_pr.size} distinct scores on the PR curve")

# %% [markdown]
# `drop_intermediate=True` (the default of `roc_curve`) keeps only the corners of the ROC curve:
# collinear points change neither its shape nor its area. Here the PR curve never rises again
# after a dip, so interpolation changes nothing and both APs agree; with a noisier ranking the
# interpolated AP is larger.

# %% [markdown]
# The same area three ways: trapezoids under our ROC curve, our mid-rank formula
# $U/(N_+N_-)$, and SciPy's Mann–Whitney $U$ — and, by brute force, the fraction of
# (malignant, benign) pairs ranked correctly, ties counting ½. With rounded scores (many ties) the
# ½ matters:

# %%
s_round = np.round(p_te, 1)  # 11 distinct values: heavy ties
u = scipy.stats.mannwhitneyu(s_round[y_te == 1], s_round[y_te == 0]).statistic
n1, n0 = y_te.sum(), (1 - y_te).sum()
pairs = s_round[y_te == 1][:, None] - s_round[y_te == 0][None, :]
print(f"trapezoid {roc_auc_score(y_te, s_round):.12f}   ranks {auc_by_ranks(y_te, s_round):.12f}   "
      f"scipy U/(n1 n0) {u / (n1 * n0):.12f}   pairs {np.mean((pairs > 0) + 0.5 * (pairs == 0)):.12f}")
print(f"ties ignored (strict >): {np.mean(pairs > 0):.4f} — ties counted as wins: {np.mean(pairs >= 0):.4f}")

# %% [markdown]
# ## Demo 3 · imbalance: ROC does not see it, PR does
#
# Give every *benign* test sample weight $k$ — as if benign tumours were $k$ times more common
# (prevalence $\pi \approx 0.37 \to 0.37/(0.37 + 0.63k)$). The classifier is the same, so TPR and
# FPR at each threshold are unchanged and the ROC AUC is exactly the same; precision falls with
# $\pi$, and so does AP.

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.8), constrained_layout=True)
for k in [1, 10, 100]:
    w = np.where(y_te == 0, float(k), 1.0)
    f_, t_, _ = roc_curve(y_te, p_te, sample_weight=w)
    p_, r_, _ = precision_recall_curve(y_te, p_te, sample_weight=w)
    prev = y_te.sum() / w.sum()
    axes[0].plot(f_, t_, label=f"k = {k}: AUC {roc_auc_score(y_te, p_te, sample_weight=w):.4f}")
    axes[1].step(r_, p_, where="post",
                 label=f"k = {k} (π = {prev:.3f}): AP {average_precision_score(y_te, p_te, sample_weight=w):.3f}")
axes[0].set(xlabel="FPR", ylabel="TPR", title="ROC: identical for every prevalence")
axes[1].set(xlabel="recall", ylabel="precision", title="PR: precision falls with prevalence")
for ax in axes:
    ax.legend()
plt.show()

# %% [markdown]
# ## Demo 4 · proper scoring rules
#
# If the truth is Bernoulli($p = 0.3$), what expected loss does reporting $q$ earn? Both curves
# bottom out at $q = p$. Absolute error, $\mathbb E|y - q|$, is *not* proper: it is minimised by
# reporting 0 (the majority class), rewarding an overconfident forecaster.

# %%
q = np.linspace(0.005, 0.995, 199)
p_true = 0.3
fig, ax = plt.subplots(figsize=(7, 4.3), constrained_layout=True)
ax.plot(q, -(p_true * np.log(q) + (1 - p_true) * np.log(1 - q)), label="log-loss")
ax.plot(q, p_true * (1 - q) ** 2 + (1 - p_true) * q**2, label="Brier")
ax.plot(q, p_true * (1 - q) + (1 - p_true) * q, label="absolute error (not proper)")
ax.axvline(p_true, color="grey", ls="--", lw=1)
ax.set(xlabel="reported probability q", ylabel="expected loss", ylim=(0, 1.5), title="truth: Bernoulli(0.3)")
ax.legend()
plt.show()
print(f"test log-loss {log_loss(y_te, p_te):.4f}, Brier {brier_score_loss(y_te, p_te):.4f}")

# %% [markdown]
# ## Demo 5 · multiclass: digits, one-vs-rest AUC, averages
#
# Ten digit classes, our multinomial logistic regression. Micro-averaged precision, recall and $F_1$
# all equal the accuracy, as derived above.

# %%
X_dig, y_dig = datasets.load_xy("digits")
Xd_tr, Xd_te, yd_tr, yd_te = skms.train_test_split(X_dig / 16, y_dig, test_size=0.4, stratify=y_dig, random_state=0)
digits = LogisticRegression(C=0.05).fit(Xd_tr, yd_tr)
P_dig = digits.predict_proba(Xd_te)
yd_hat = digits.predict(Xd_te)
print(f"accuracy {accuracy_score(yd_te, yd_hat):.6f}")
for avg in ["micro", "macro", "weighted"]:
    print(f"{avg:>8}: precision {precision_score(yd_te, yd_hat, average=avg):.6f}  "
          f"recall {recall_score(yd_te, yd_hat, average=avg):.6f}  F1 {f1_score(yd_te, yd_hat, average=avg):.6f}")
auc_per_class = roc_auc_score(yd_te, P_dig, multi_class="ovr", average=None)
print(f"ovr AUC: macro {roc_auc_score(yd_te, P_dig, multi_class='ovr'):.6f}, "
      f"ovo (Hand & Till) {roc_auc_score(yd_te, P_dig, multi_class='ovo'):.6f}")

fig, axes = plt.subplots(1, 2, figsize=(13, 4.8), constrained_layout=True)
axes[0].imshow(confusion_matrix(yd_te, yd_hat, normalize="true"), cmap="Blues")
axes[0].set(xlabel="predicted", ylabel="true", xticks=range(10), yticks=range(10), title="digits: confusion matrix (row-normalised)")
for k in np.argsort(auc_per_class)[:3]:
    f_, t_, _ = roc_curve(yd_te == k, P_dig[:, k])
    axes[1].plot(f_, t_, label=f"digit {k} vs rest: AUC {auc_per_class[k]:.4f}")
axes[1].set(xlabel="FPR", ylabel="TPR", xlim=(-0.01, 0.3), title="the three hardest classes (one-vs-rest)")
axes[1].legend()
plt.show()

# %% [markdown]
# ## Demo 6 · cross-validation: stratification and the spread of the estimate
#
# The wine data is *sorted by class*. Unshuffled `KFold(3)` then tests each fold on classes the
# model barely saw; `StratifiedKFold(3)` keeps every class's share in every fold.

# %%
X_wine, y_wine = datasets.load_xy("wine")
wine_model = make_pipeline(StandardScaler(), LogisticRegression())
for cv in (KFold(3), StratifiedKFold(3)):
    shares = [np.bincount(y_wine[test], minlength=3).tolist() for _, test in cv.split(X_wine, y_wine)]
    print(f"{cv!r}: test-fold class counts {shares}, accuracy {cross_val_score(wine_model, X_wine, y_wine, cv=cv).round(3)}")

# %% [markdown]
# How much does the 5-fold estimate of breast-cancer ROC AUC and accuracy depend on the split?
# Repeat stratified 5-fold CV with 40 different shuffles: each repeat's mean is one CV estimate.

# %%
bc_model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1))
fold_acc, mean_acc, mean_auc = [], [], []
for seed in range(40):
    cv = StratifiedKFold(5, shuffle=True, random_state=seed)
    acc = cross_val_score(bc_model, X_bc, y_bc, cv=cv)
    fold_acc.extend(acc)
    mean_acc.append(acc.mean())
    mean_auc.append(cross_val_score(bc_model, X_bc, y_bc, cv=cv, scoring="roc_auc").mean())
fig, axes = plt.subplots(1, 2, figsize=(13, 4.3), constrained_layout=True)
bins = np.linspace(min(fold_acc), max(fold_acc), 31)
axes[0].hist(fold_acc, bins=bins, alpha=0.6, density=True, label=f"single folds: sd {np.std(fold_acc):.4f}")
axes[0].hist(mean_acc, bins=bins, alpha=0.8, density=True, label=f"5-fold means: sd {np.std(mean_acc):.4f}")
axes[0].set(xlabel="accuracy", title="breast cancer: 40 repeats of stratified 5-fold CV")
axes[0].legend()
axes[1].hist(mean_auc, bins=20, color="tab:green")
axes[1].set(xlabel="5-fold mean ROC AUC", title=f"CV estimate of AUC: {np.mean(mean_auc):.4f} ± {np.std(mean_auc):.4f} (split only)")
plt.show()
print(f"naive sd/sqrt(5) of one repeat's folds: {np.std(fold_acc[:5], ddof=1) / np.sqrt(5):.4f}")

# %% [markdown]
# ## Parity checks
#
# Ours against `sklearn.metrics` / `sklearn.model_selection` on the same inputs. The metrics are
# finite sums and ratios of the same counts, so the only differences are floating-point rounding
# in a different summation order: $\le n\epsilon \approx 10^{-13}$ for these sizes. We ask for
# `atol = 1e-12` on every real number, and exact equality for counts, fold indices and
# thresholds.

# %%
TOL = 1e-12
why = "same counts, same ratios; only summation order differs (≤ nε)"
yd_bin = (yd_te == 3).astype(int)
parity.check("confusion_matrix · breast cancer", ours=lambda: confusion_matrix(y_te, yhat), reference=lambda: skm.confusion_matrix(y_te, yhat), why="integer counts")
parity.check("confusion_matrix(normalize='true') · digits", ours=confusion_matrix(yd_te, yd_hat, normalize="true"), reference=skm.confusion_matrix(yd_te, yd_hat, normalize="true"), atol=TOL, why=why)
parity.check("accuracy · digits", ours=accuracy_score(yd_te, yd_hat), reference=skm.accuracy_score(yd_te, yd_hat), atol=TOL, why=why)
for name in ["precision_score", "recall_score", "f1_score"]:
    ours_f, ref_f = globals()[name], getattr(skm, name)
    parity.check(f"{name} · breast cancer (binary)", ours=ours_f(y_te, yhat), reference=ref_f(y_te, yhat), atol=TOL, why=why)
    both = [ours_f(yd_te, yd_hat, average=a) for a in ("micro", "macro", "weighted")] + list(ours_f(yd_te, yd_hat, average=None))
    ref = [ref_f(yd_te, yd_hat, average=a) for a in ("micro", "macro", "weighted")] + list(ref_f(yd_te, yd_hat, average=None))
    parity.check(f"{name} · digits (micro, macro, weighted, per class)", ours=both, reference=ref, atol=TOL, why=why)
parity.check("roc_curve (fpr, tpr, thresholds) · breast cancer", ours=np.concatenate(roc_curve(y_te, p_te)), reference=np.concatenate(skm.roc_curve(y_te, p_te)), atol=TOL, why=why)
parity.check("precision_recall_curve · breast cancer", ours=np.concatenate(precision_recall_curve(y_te, p_te)), reference=np.concatenate(skm.precision_recall_curve(y_te, p_te)), atol=TOL, why=why)
parity.check("roc_auc_score · breast cancer", ours=lambda: roc_auc_score(y_te, p_te), reference=lambda: skm.roc_auc_score(y_te, p_te), atol=TOL, why=why, repeat=5)
parity.check("roc_auc_score · rounded scores (ties)", ours=roc_auc_score(y_te, s_round), reference=skm.roc_auc_score(y_te, s_round), atol=TOL, why=why)
parity.check("AUC = U/(n₊n₋) · scipy.stats.mannwhitneyu", ours=auc_by_ranks(y_te, s_round), reference=u / (n1 * n0), atol=TOL, why="mid-rank formula vs SciPy's U")
parity.check("average_precision_score · breast cancer", ours=average_precision_score(y_te, p_te), reference=skm.average_precision_score(y_te, p_te), atol=TOL, why=why)
w100 = np.where(y_te == 0, 100.0, 1.0)
parity.check("roc_auc / AP with weights (k = 100)", ours=[roc_auc_score(y_te, p_te, sample_weight=w100), average_precision_score(y_te, p_te, sample_weight=w100)], reference=[skm.roc_auc_score(y_te, p_te, sample_weight=w100), skm.average_precision_score(y_te, p_te, sample_weight=w100)], atol=TOL, why=why)
parity.check("log_loss, brier · breast cancer", ours=[log_loss(y_te, p_te), brier_score_loss(y_te, p_te)], reference=[skm.log_loss(y_te, p_te), skm.brier_score_loss(y_te, p_te)], atol=TOL, why=why)
parity.check("log_loss, brier · digits (10 classes)", ours=[log_loss(yd_te, P_dig), brier_score_loss(yd_te, P_dig)], reference=[skm.log_loss(yd_te, P_dig), skm.brier_score_loss(yd_te, P_dig)], atol=TOL, why=why)
ours_mc = [roc_auc_score(yd_te, P_dig, multi_class=m, average=a) for m, a in [("ovr", "macro"), ("ovr", "weighted"), ("ovr", "micro"), ("ovo", "macro"), ("ovo", "weighted")]]
ref_mc = [skm.roc_auc_score(yd_te, P_dig, multi_class=m, average=a) for m, a in [("ovr", "macro"), ("ovr", "weighted"), ("ovr", "micro"), ("ovo", "macro"), ("ovo", "weighted")]]
parity.check("roc_auc_score multiclass · digits (ovr macro/weighted/micro, ovo)", ours=ours_mc, reference=ref_mc, atol=TOL, why=why)
parity.check("average_precision_score multiclass · digits (macro)", ours=average_precision_score(yd_te, P_dig), reference=skm.average_precision_score(yd_te, P_dig), atol=TOL, why=why)

# %% [markdown]
# Fold indices must be *identical* (including shuffled folds: the same `RandomState` draws in the
# same order), and so must cross-validation scores of the same estimator on the same folds.

# %%
def fold_ids(cv, X, y):
    return np.concatenate([np.concatenate([train, [-1], test, [-2]]) for train, test in cv.split(X, y)])


for shuffle, rs in [(False, None), (True, 0), (True, 12345)]:
    parity.check(f"KFold(5, shuffle={shuffle}, random_state={rs}) · breast cancer indices", ours=fold_ids(KFold(5, shuffle=shuffle, random_state=rs), X_bc, y_bc), reference=fold_ids(skms.KFold(5, shuffle=shuffle, random_state=rs), X_bc, y_bc), why="exact")
    parity.check(f"StratifiedKFold(5, shuffle={shuffle}, random_state={rs}) · digits indices", ours=fold_ids(StratifiedKFold(5, shuffle=shuffle, random_state=rs), X_dig, y_dig), reference=fold_ids(skms.StratifiedKFold(5, shuffle=shuffle, random_state=rs), X_dig, y_dig), why="exact")
sk_bc = make_pipeline(StandardScaler(), SkLogisticRegression(C=0.1, solver="newton-cholesky", tol=1e-10, max_iter=1000))
parity.check("cross_val_score(ours LR) vs sklearn's cross_val_score(ours LR) · breast cancer, roc_auc", ours=lambda: cross_val_score(bc_model, X_bc, y_bc, cv=5, scoring="roc_auc"), reference=lambda: skms.cross_val_score(bc_model, X_bc, y_bc, cv=5, scoring="roc_auc"), atol=TOL, why="same folds, same fits, same metric")
for scoring in [None, "neg_log_loss"]:
    parity.check(f"cross_val_score(scoring={scoring}) · wine", ours=cross_val_score(wine_model, X_wine, y_wine, cv=5, scoring=scoring), reference=skms.cross_val_score(wine_model, X_wine, y_wine, cv=5, scoring=scoring), atol=TOL, why="same folds, same fits, same metric")
parity.check("cross_val_score accuracy: ours+our LR vs sklearn+sklearn LR · breast cancer", ours=cross_val_score(bc_model, X_bc, y_bc, cv=5), reference=skms.cross_val_score(sk_bc, X_bc, y_bc, cv=5), atol=0, why="both LRs at the optimum to ~1e-9: identical predictions")

# %% [markdown]
# And on random inputs built to be hard: integer scores (heavy ties), zero and fractional sample
# weights, every averaging mode, one-class edge cases. The largest difference over 300 random
# problems is recorded (a single failure fails the check).

# %%
rng = np.random.default_rng(2024)
ours_vals, ref_vals = [], []
for _ in range(300):
    n = int(rng.integers(2, 60))
    yt, yp = rng.integers(0, 4, n), rng.integers(0, 4, n)
    yb, s = rng.integers(0, 2, n), rng.integers(0, 6, n).astype(float)
    w = rng.choice([0.0, 0.5, 1.0, 3.0], n)
    w[0] = 1.0
    for zd in (0, 1):
        ours_vals += [f1_score(yt, yp, average="macro", zero_division=zd, sample_weight=w), precision_score(yt, yp, average="weighted", zero_division=zd)]
        ref_vals += [skm.f1_score(yt, yp, average="macro", zero_division=zd, sample_weight=w), skm.precision_score(yt, yp, average="weighted", zero_division=zd)]
    if 0 < yb[w > 0].sum() < (w > 0).sum():
        ours_vals += [roc_auc_score(yb, s, sample_weight=w), average_precision_score(yb, s), *roc_curve(yb, s, sample_weight=w)[1]]
        ref_vals += [skm.roc_auc_score(yb, s, sample_weight=w), skm.average_precision_score(yb, s), *skm.roc_curve(yb, s, sample_weight=w)[1]]
parity.check(f"300 random problems ({len(ours_vals)} numbers): F1, precision, AUC, AP, TPR", ours=ours_vals, reference=ref_vals, atol=TOL, why=why)

# %% [markdown]
# Speed on 200 000 samples (one call each; the benchmark `benchmarks/bench_metrics.py` times
# 1 000 000). Our unweighted curves use NumPy's fast unstable sort, which is allowed because tied
# scores form one threshold whatever their order.

# %%
y_big = rng.integers(0, 2, 200_000)
s_big = rng.normal(size=200_000) + y_big
parity.check("roc_auc_score · 200 000 random scores (timed)", ours=lambda: roc_auc_score(y_big, s_big), reference=lambda: skm.roc_auc_score(y_big, s_big), atol=TOL, why=why, repeat=3)
parity.check("average_precision_score · 200 000 (timed)", ours=lambda: average_precision_score(y_big, s_big), reference=lambda: skm.average_precision_score(y_big, s_big), atol=TOL, why=why, repeat=3)

# %%
parity.table()
