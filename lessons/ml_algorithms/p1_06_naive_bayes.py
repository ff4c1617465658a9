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
# # P1.06 · Naive Bayes
#
# Logistic regression (P1.02) models $P(y \mid x)$ directly: it is **discriminative**. Naive Bayes is
# its **generative** twin: it models how each class *produces* data, $P(x \mid y)$, together with how
# common each class is, $P(y)$, and turns the two around with Bayes' rule (P1.03).
#
# ## Bayes' rule for classification
#
# For classes $k = 1, \dots, K$ and a feature vector $x = (x_1, \dots, x_d)$,
#
# $$P(y = k \mid x) = \frac{P(y = k)\, P(x \mid y = k)}{P(x)}, \qquad
# P(x) = \sum_{c=1}^K P(y = c)\, P(x \mid y = c).$$
#
# The denominator is the same for every class, so the **maximum a-posteriori** (MAP) decision — the
# one that minimises the expected 0-1 loss — needs only the numerator:
#
# $$\hat y(x) = \arg\max_k \; \bigl[\log P(y = k) + \log P(x \mid y = k)\bigr].$$
#
# ## The naive assumption
#
# $P(x \mid y)$ is a distribution over $d$-dimensional vectors. With $d = 7\,000$ binary word
# indicators it has $2^{7000}$ cells per class — no data set can estimate that. Naive Bayes assumes
# the features are **conditionally independent given the class**:
#
# $$P(x \mid y = k) = \prod_{j=1}^d P(x_j \mid y = k)
# \quad\Longrightarrow\quad
# \log P(y = k \mid x) = \log \pi_k + \sum_{j=1}^d \log P(x_j \mid y = k) - \log P(x).$$
#
# Now each class needs $d$ one-dimensional distributions: $O(Kd)$ parameters, each estimated from
# all the samples of its class. The assumption is almost always false (in an SMS, "free" and
# "prize" are not independent given *spam*), and yet naive Bayes classifies well. Why?
#
# * **Classification needs only the ranking of the classes**, not calibrated probabilities. Correlated
#   features are counted as if they were independent evidence, which pushes the posterior towards
#   0 or 1 — but as long as the *argmax* is unchanged, the 0-1 loss is unchanged. Domingos & Pazzani
#   (1997) show that naive Bayes is optimal under 0-1 loss in a far larger region than the one where
#   independence holds; Zhang (2004) shows that dependencies that are spread evenly across classes,
#   or that cancel out, do not change the decision.
# * **Bias–variance.** The independence assumption is a strong bias, but it cuts the variance
#   enormously. Ng & Jordan (2002) proved that naive Bayes approaches its (higher) asymptotic error
#   with $O(\log d)$ samples, where logistic regression needs $O(d)$: with little data the generative
#   model wins, with a lot the discriminative one overtakes it.
#
# The flip side: **naive Bayes probabilities are over-confident** and should not be read as
# calibrated risks (the demo duplicates features to show it).
#
# ## Three event models and their maximum-likelihood estimates
#
# The class prior is the same in all three: maximising $\sum_i \log \pi_{y_i}$ subject to
# $\sum_k \pi_k = 1$ (Lagrange multiplier $\lambda$: $n_k/\pi_k = \lambda$) gives
# $\hat\pi_k = n_k / n$, the class frequency.
#
# **Gaussian** (real-valued features): $x_j \mid y = k \sim \mathcal N(\theta_{kj}, \sigma^2_{kj})$.
# Setting the derivatives of $\sum_{i: y_i = k} \log \mathcal N(x_{ij}; \theta, \sigma^2)$ to zero,
#
# $$\hat\theta_{kj} = \frac{1}{n_k} \sum_{i: y_i = k} x_{ij}, \qquad
# \hat\sigma^2_{kj} = \frac{1}{n_k} \sum_{i: y_i = k} (x_{ij} - \hat\theta_{kj})^2 \quad
# \text{(the biased, } 1/n_k \text{ MLE)},$$
#
# $$\log P(x \mid y = k) = -\tfrac12 \sum_j \log(2\pi\sigma^2_{kj}) - \tfrac12 \sum_j
# \frac{(x_j - \theta_{kj})^2}{\sigma^2_{kj}}.$$
#
# A feature that is constant within a class gets $\hat\sigma^2 = 0$: an infinitely narrow density. So
# scikit-learn adds $\varepsilon = \texttt{var\_smoothing} \cdot \max_j \operatorname{Var}(x_j)$ to
# every variance — one number for all features, a fraction of the *largest* variance, so on features of
# very different scales it is large for the small ones (standardise first).
#
# **Multinomial** (counts, e.g. words): a document of class $k$ is a bag of tokens, each drawn
# independently from the class's word distribution $(\theta_{k1}, \dots, \theta_{kd})$. With
# $N_{kj}$ the total count of word $j$ in the documents of class $k$ and $N_k = \sum_j N_{kj}$, the
# log-likelihood $\sum_j N_{kj} \log\theta_{kj}$ under $\sum_j \theta_{kj} = 1$ gives (Lagrange
# again: $N_{kj}/\theta_{kj} = \lambda$)
#
# $$\hat\theta_{kj} = \frac{N_{kj}}{N_k}, \qquad \log P(x \mid y = k) = \sum_j x_j \log\theta_{kj}
# + \text{(multinomial coefficient, the same for every class)}.$$
#
# **Bernoulli** (presence/absence): $x_j \in \{0, 1\}$, $x_j \mid y = k \sim
# \mathrm{Bernoulli}(p_{kj})$. With $N_{kj}$ now the number of class-$k$ documents *containing* word
# $j$: $\hat p_{kj} = N_{kj}/n_k$ and
#
# $$\log P(x \mid y = k) = \sum_j \bigl[x_j \log p_{kj} + (1 - x_j) \log(1 - p_{kj})\bigr].$$
#
# The difference matters (McCallum & Nigam 1998): the multinomial model ignores the words that are
# *absent* and uses how often a word occurs; the Bernoulli model ignores repetitions but lets every
# missing word count as evidence — with a 7 000-word vocabulary, most of the evidence. The
# multinomial model is usually better on longer documents.
#
# ## The zero-frequency problem and Laplace/Lidstone smoothing
#
# If "prize" never occurs in a ham training message, $\hat\theta_{\text{ham},\text{prize}} = 0$,
# $\log 0 = -\infty$, and one occurrence of "prize" makes a message spam *whatever else it says*. The
# fix is Bayesian. Put a symmetric Dirichlet prior $\operatorname{Dir}(\alpha, \dots, \alpha)$ on
# the word distribution of a class. The Dirichlet is conjugate to the multinomial, so the posterior is
# $\operatorname{Dir}(N_{k1} + \alpha, \dots, N_{kd} + \alpha)$ and its **mean** is
#
# $$\hat\theta_{kj} = \frac{N_{kj} + \alpha}{N_k + \alpha d}
# \qquad (\alpha = 1\text{: Laplace's rule of succession; } 0 < \alpha < 1\text{: Lidstone}).$$
#
# In words: pretend every word was seen $\alpha$ extra times in every class. For the Bernoulli
# model the prior is a $\operatorname{Beta}(\alpha, \alpha)$ per word (one pseudo-count for
# "present", one for "absent"), hence
#
# $$\hat p_{kj} = \frac{N_{kj} + \alpha}{n_k + 2\alpha}, \qquad
# 1 - \hat p_{kj} = \frac{n_k - N_{kj} + \alpha}{n_k + 2\alpha}.$$
#
# ($\alpha$ is scikit-learn's `alpha`, applied exactly like this in both `MultinomialNB` and
# `BernoulliNB`; `alpha` may also be one value per feature.)
#
# ## Both discrete models are linear classifiers
#
# Write the multinomial log-odds of two classes: $\log\frac{P(1 \mid x)}{P(0 \mid x)} = \sum_j x_j
# \log\frac{\theta_{1j}}{\theta_{0j}} + \log\frac{\pi_1}{\pi_0} = w^\top x + b$. Same for Bernoulli
# ($w_j = \log\frac{p_{1j}(1-p_{0j})}{p_{0j}(1-p_{1j})}$). So naive Bayes is a linear model whose
# weights are *counted* rather than *optimised* — the generative–discriminative pair with logistic
# regression of Ng & Jordan. This is also why prediction is one sparse matrix product,
# $X\,(\log\theta)^\top$, and why the "most spammy tokens" below are the largest $w_j$.
#
# ## Log space, or: why the product is never computed
#
# A 100-word message multiplies 100 probabilities of order $10^{-4}$: $10^{-400}$, below the smallest
# float64 ($\approx 4.9\cdot10^{-324}$). Everything is therefore a **log**: the joint
# log-likelihood $\log\pi_k + \sum_j x_j \log\theta_{kj}$ is a sum, and the normaliser is a
# **log-sum-exp**,
#
# $$\log P(x) = \log\sum_c e^{a_c} = m + \log \sum_c e^{a_c - m}, \qquad m = \max_c a_c,$$
#
# which only exponentiates numbers $\le 0$ (P1.02 uses the same trick for the softmax). Our code
# never leaves log space until `predict_proba` takes one final `exp`.
#
# ## Online learning: sufficient statistics add up
#
# Counts add, so `partial_fit` on batches is *exactly* `fit` on the whole. For the Gaussian model the
# means and variances of two batches $a$, $b$ merge with Chan, Golub & LeVeque's formula
# ($\delta = \mu_b - \mu_a$, $n = n_a + n_b$, $M_2 = n\,\sigma^2$):
#
# $$\mu = \mu_a + \delta\,\frac{n_b}{n}, \qquad M_2 = M_{2,a} + M_{2,b} + \delta^2\,\frac{n_a n_b}{n},$$
#
# which, unlike accumulating $\sum x$ and $\sum x^2$, does not cancel catastrophically.
#
# ## Pitfalls
#
# * **Probabilities are not calibrated.** Correlated features are double-counted; use naive Bayes
#   for ranking and decisions, and calibrate (`CalibratedClassifierCV`) if you need risks.
# * **No smoothing, no robustness.** `alpha=0` lets one unseen word veto a class. Tune `alpha`.
# * **`MultinomialNB` needs counts** (non-negative; tf-idf works in practice). Ours refuses negative
#   values with the row and column of the first one. Real-valued features → `GaussianNB`.
# * **`GaussianNB` and scale.** `var_smoothing` is a fraction of the largest feature variance; on
#   raw features of very different scales it swamps the small ones.
# * **Priors from the training set.** With a skewed sample (more spam collected than occurs), set
#   `class_prior`/`priors` to the deployment rates, or the decision threshold moves.
#
# ## References
#
# * A. McCallum, K. Nigam, "A Comparison of Event Models for Naive Bayes Text Classification",
#   AAAI-98 Workshop on Learning for Text Categorization (1998).
# * C. D. Manning, P. Raghavan, H. Schütze, *Introduction to Information Retrieval* (2008),
#   ch. 13 "Text classification and Naive Bayes" (§13.2 multinomial, §13.3 Bernoulli, §13.4 the
#   independence assumption).
# * P. Domingos, M. Pazzani, "On the Optimality of the Simple Bayesian Classifier under Zero-One
#   Loss", *Machine Learning* 29 (1997) 103–130.
# * H. Zhang, "The Optimality of Naive Bayes", FLAIRS (2004).
# * A. Y. Ng, M. I. Jordan, "On Discriminative vs. Generative Classifiers: A comparison of logistic
#   regression and naive Bayes", NIPS 14 (2002).
# * T. F. Chan, G. H. Golub, R. J. LeVeque, "Updating Formulae and a Pairwise Algorithm for Computing
#   Sample Variances", Stanford CS tech. report STAN-CS-79-773 (1979).
# * J. D. M. Rennie, L. Shih, J. Teevan, D. R. Karger, "Tackling the Poor Assumptions of Naive Bayes
#   Text Classifiers", ICML (2003).
# * T. A. Almeida, J. M. Gómez Hidalgo, A. Yamakami, "Contributions to the Study of SMS Spam
#   Filtering: New Collection and Results", DocEng (2011) — the data set.
# * scikit-learn user guide, "Naive Bayes".

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
import scipy.sparse as sp
from scipy import stats
from scipy.special import logsumexp
from sklearn import naive_bayes as sk
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    log_loss,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlweekly import datasets, parity
from mlweekly.ml_algorithms import BernoulliNB, GaussianNB, LogisticRegression, MultinomialNB, naive_bayes

# %% [markdown]
# ## The implementation
#
# `mlweekly.ml_algorithms.naive_bayes` has the three classifiers with scikit-learn's names,
# parameters and fitted attributes (`class_count_`, `class_log_prior_`/`class_prior_`,
# `feature_count_`, `feature_log_prob_`, `theta_`, `var_`, `epsilon_`, `classes_`) and `fit`,
# `partial_fit`, `predict`, `predict_proba`, `predict_log_proba`. All three share one base class;
# each model only says how to turn its counts into log-probabilities and how to score a sample.
# Lidstone smoothing and the multinomial score are the formulas above, line for line:

# %%
print(inspect.getsource(naive_bayes.MultinomialNB._smooth))
print(inspect.getsource(naive_bayes.MultinomialNB._joint_log_likelihood))

# %% [markdown]
# The Bernoulli model computes $\log(1-p)$ **from the counts**, $\log(n_k - N_{kj} + \alpha) -
# \log(n_k + 2\alpha)$, rather than as $\log(1 - e^{\log p})$ (scikit-learn's way), which loses
# digits when $p$ is close to 1; the score is rewritten so that the sum over *absent* words is a
# constant per class and only the words present cost anything — a sparse product again:

# %%
print(inspect.getsource(naive_bayes.BernoulliNB._smooth))
print(inspect.getsource(naive_bayes.BernoulliNB._joint_log_likelihood))

# %% [markdown]
# Normalisation is the log-softmax of the joint log-likelihoods, and the Gaussian model's batch
# update is Chan et al.'s merge (also used by `fit`, as a single batch):

# %%
print(inspect.getsource(naive_bayes._BaseNB.predict_log_proba))
print(inspect.getsource(naive_bayes.GaussianNB._update))

# %% [markdown]
# ## Underflow, in one line
#
# Two classes, 1 000 features, each likelihood between 0.01 and 0.5 (the second class's close to
# the first's): the products are exactly 0.0 in float64, and the posterior computed from them is
# $0/0$. The logs add up to ordinary numbers, and log-sum-exp turns them into a posterior without
# ever leaving log space.

# %%
rng = np.random.default_rng(0)
p_spam = rng.uniform(0.01, 0.5, 1000)
p_ham = p_spam * np.exp(rng.normal(0.0, 0.03, 1000))  # similar evidence, so a non-trivial posterior
print(f"product of 1000 probabilities: {np.prod(p_spam)!r}   (and {np.prod(p_ham)!r})")
joint = np.log([0.13, 0.87]) + np.array([np.log(p_spam).sum(), np.log(p_ham).sum()])
print(f"sum of their logs: {joint.round(3)}")
print(f"P(spam | x) by log-sum-exp: {np.exp(joint[0] - logsumexp(joint)):.6f}")
with np.errstate(invalid="ignore"):
    naive = 0.13 * np.prod(p_spam) / (0.13 * np.prod(p_spam) + 0.87 * np.prod(p_ham))
print(f"P(spam | x) from the products: {naive}")

# %% [markdown]
# ## Demo 1 · SMS spam: multinomial and Bernoulli naive Bayes
#
# 5 574 SMS messages (4 827 ham, 747 spam; Almeida et al. 2011). We hold out a stratified quarter,
# build the bag of words on the training messages only (scikit-learn's `CountVectorizer`: lower
# case, tokens of two or more word characters — feature extraction is not this lesson's subject), and
# fit both event models with Laplace smoothing. Spam is the positive class: **precision** = how many
# of the messages we flag are spam, **recall** = how much of the spam we catch.

# %%
sms = datasets.load("sms_spam")
text_tr, text_te, y_tr, y_te = train_test_split(
    sms.frame["text"], sms.target.to_numpy(), test_size=0.25, stratify=sms.target, random_state=0
)
vectorizer = CountVectorizer()
X_tr = vectorizer.fit_transform(text_tr)  # scipy.sparse CSR counts
X_te = vectorizer.transform(text_te)
vocab = vectorizer.get_feature_names_out()
print(f"train {X_tr.shape}, {X_tr.nnz} non-zeros ({X_tr.nnz / np.prod(X_tr.shape):.2%} dense); test {X_te.shape}")

mnb = MultinomialNB().fit(X_tr, y_tr)
bnb = BernoulliNB().fit(X_tr, y_tr)
fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
for ax, model in zip(axes, [mnb, bnb], strict=True):
    pred = model.predict(X_te)
    ConfusionMatrixDisplay.from_predictions(y_te, pred, display_labels=sms.target_names, ax=ax, colorbar=False)
    ax.set_title(
        f"{type(model).__name__}: precision {precision_score(y_te, pred):.3f}, "
        f"recall {recall_score(y_te, pred):.3f}"
    )
plt.show()

# %% [markdown]
# Both models make very few false alarms (ham flagged as spam — the expensive error for a spam
# filter); the multinomial model catches more of the spam. The Bernoulli model scores every
# *absent* word of a 7 400-word vocabulary too: a short spam message lacks almost all spam words,
# and that absence, counted thousands of times, pulls it towards ham.
#
# ### Which words are spammy?
#
# The multinomial log-odds weight of word $j$ is $w_j = \log\theta_{\text{spam},j} -
# \log\theta_{\text{ham},j}$: each occurrence multiplies the odds of spam by $e^{w_j}$. Sorting
# the weights of words seen at least 10 times in training:

# %%
w = mnb.feature_log_prob_[1] - mnb.feature_log_prob_[0]
seen = mnb.feature_count_.sum(axis=0) >= 10
idx = np.flatnonzero(seen)
top_spam, top_ham = idx[np.argsort(w[idx])[-20:]], idx[np.argsort(w[idx])[:20]]
fig, axes = plt.subplots(1, 2, figsize=(12, 5.5), constrained_layout=True)
axes[0].barh(vocab[top_spam], w[top_spam], color="tab:red")
axes[0].set(xlabel=r"$\log\theta_{spam,j} - \log\theta_{ham,j}$", title="most spammy tokens")
axes[1].barh(vocab[top_ham], w[top_ham], color="tab:blue")
axes[1].set(xlabel=r"$\log\theta_{spam,j} - \log\theta_{ham,j}$", title="most hammy tokens")
plt.show()

# %% [markdown]
# "claim", "prize", "guaranteed", "awarded", ringtones, "www", premium rates ("150p", "150ppm") and
# numbers ("18", "500", "1000"): the vocabulary of premium-rate SMS spam; the tokeniser keeps digits
# and they are among the strongest evidence there is. On the ham side, Singlish particles ("lor",
# "da") and pronouns — and "lt"/"gt", remnants of an HTML-escaped `&lt;#&gt;` placeholder found only
# in the NUS ham messages: an artefact of how the corpus was assembled, which the model happily
# exploits and which would not exist in a real phone's inbox. Look at the features before trusting
# a score.
#
# ### Smoothing: what $\alpha$ does
#
# Too little smoothing ($\alpha \to 0$) and rare words get extreme log-probabilities (the log-loss
# grows); too much and every word distribution is flattened towards uniform — the smaller class
# most, since the same $\alpha d$ pseudo-counts weigh more against spam's smaller token total $N_k$,
# so recall collapses. The held-out log-loss and precision/recall over $\alpha$:

# %%
alphas = np.logspace(-4, 1.5, 12)
losses, recalls, precisions = [], [], []
for a in alphas:
    m = MultinomialNB(alpha=a).fit(X_tr, y_tr)
    pred = m.predict(X_te)
    losses.append(log_loss(y_te, m.predict_proba(X_te)))
    recalls.append(recall_score(y_te, pred))
    precisions.append(precision_score(y_te, pred))
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), constrained_layout=True)
axes[0].semilogx(alphas, losses, marker="o")
axes[0].set(xlabel=r"$\alpha$", ylabel="held-out log-loss", title="probabilities")
axes[1].semilogx(alphas, precisions, marker="o", label="precision")
axes[1].semilogx(alphas, recalls, marker="s", label="recall")
axes[1].set(xlabel=r"$\alpha$", title="decisions (spam = positive)")
axes[1].legend()
plt.show()

# %% [markdown]
# ### The naive assumption, broken on purpose
#
# Give the model every word three times (stack the count matrix three times side by side). The
# copies are perfectly dependent, naive Bayes counts each piece of evidence three times, and the word
# part of its log-odds triples, $3\,w^\top x + b$: the probabilities are pushed to 0 and 1 and the
# log-loss gets worse. But the **ranking** of the messages by spamminess does not change at all —
# $3\,w^\top x + b$ and $w^\top x + b$ are both increasing functions of $w^\top x$ — so the ROC AUC
# (computed on the log-odds, which do not saturate like probabilities) is the same. Only the
# decisions near the threshold move, because the prior $b$ now weighs a third as much.

# %%
for copies in (1, 3):
    Xc_tr, Xc_te = sp.hstack([X_tr] * copies).tocsr(), sp.hstack([X_te] * copies).tocsr()
    model = MultinomialNB().fit(Xc_tr, y_tr)
    proba, log_proba = model.predict_proba(Xc_te)[:, 1], model.predict_log_proba(Xc_te)
    log_odds = log_proba[:, 1] - log_proba[:, 0]
    print(
        f"each word x{copies}: log-loss {log_loss(y_te, proba):.4f}, ROC AUC {roc_auc_score(y_te, log_odds):.6f}, "
        f"test messages with P(spam) in (0.01, 0.99): {np.mean((proba > 0.01) & (proba < 0.99)):.1%}"
    )

# %% [markdown]
# ### Online: `partial_fit` on a stream of messages
#
# Feed the training messages in 9 batches of 500 (the vocabulary is fixed up front — a streaming
# system would use a hashing vectoriser). The counts add up, so the result is the batch model to the
# last bit:

# %%
stream = MultinomialNB()
for start in range(0, X_tr.shape[0], 500):
    stream.partial_fit(X_tr[start : start + 500], y_tr[start : start + 500], classes=[0, 1])
print("feature_count_ identical to fit:", np.array_equal(stream.feature_count_, mnb.feature_count_))
print("max |Δ feature_log_prob_|:", np.abs(stream.feature_log_prob_ - mnb.feature_log_prob_).max())

# %% [markdown]
# ## Demo 2 · breast cancer with Gaussian naive Bayes
#
# 569 tumours, 30 real-valued features, malignant (0) or benign (1). Each feature gets one normal
# density per class. The figure shows, for four features, the class histograms and the two fitted
# densities $\mathcal N(\theta_{kj}, \sigma^2_{kj})$: where the densities separate, the feature carries
# evidence; the classifier just adds the log-density ratios of all 30 features. The features are
# left in their raw units, on purpose.

# %%
X_bc, y_bc = datasets.load_xy("breast_cancer")
bc_names = datasets.load("breast_cancer").feature_names
Xb_tr, Xb_te, yb_tr, yb_te = train_test_split(X_bc, y_bc, test_size=0.25, stratify=y_bc, random_state=0)
gnb = GaussianNB().fit(Xb_tr, yb_tr)
logreg = make_pipeline(StandardScaler(), LogisticRegression()).fit(Xb_tr, yb_tr)
print(f"held-out accuracy: GaussianNB {gnb.score(Xb_te, yb_te):.4f}, logistic regression (P1.02) {logreg.score(Xb_te, yb_te):.4f}")
print(f"epsilon_ = {gnb.epsilon_:.3g} = 1e-9 × the largest variance, {Xb_tr.var(axis=0).max():.4g} "
      f"('{bc_names[Xb_tr.var(axis=0).argmax()]}'); the smallest is {Xb_tr.var(axis=0).min():.2g} "
      f"('{bc_names[Xb_tr.var(axis=0).argmin()]}')")

fig, axes = plt.subplots(1, 4, figsize=(16, 3.6), constrained_layout=True)
for ax, name in zip(axes, ["mean radius", "mean concave points", "worst texture", "mean fractal dimension"], strict=True):
    j = bc_names.index(name)
    grid = np.linspace(X_bc[:, j].min(), X_bc[:, j].max(), 300)
    for k, (label, color) in enumerate([("malignant", "tab:red"), ("benign", "tab:blue")]):
        ax.hist(Xb_tr[yb_tr == k, j], bins=25, density=True, alpha=0.35, color=color, label=label)
        ax.plot(grid, stats.norm.pdf(grid, gnb.theta_[k, j], np.sqrt(gnb.var_[k, j])), color=color)
        mle_sd = np.sqrt(gnb.var_[k, j] - gnb.epsilon_)
        ax.plot(grid, stats.norm.pdf(grid, gnb.theta_[k, j], mle_sd), color=color, ls="--", lw=1)
    ax.set(title=name, yticks=[])
axes[0].legend()
plt.show()
unsmoothed = GaussianNB(var_smoothing=0.0).fit(Xb_tr, yb_tr).score(Xb_te, yb_te)
standardised = make_pipeline(StandardScaler(), GaussianNB()).fit(Xb_tr, yb_tr).score(Xb_te, yb_te)
print(f"held-out accuracy: var_smoothing=1e-9 raw {gnb.score(Xb_te, yb_te):.4f}, var_smoothing=0 {unsmoothed:.4f}, "
      f"standardised {standardised:.4f}  ({len(yb_te)} test tumours)")

# %% [markdown]
# Solid curves: the densities the model uses, variance `var_` $= \hat\sigma^2 + \varepsilon$; dashed: the
# maximum-likelihood $\hat\sigma^2$ alone. On *mean concave points* and *mean fractal dimension* the
# two differ wildly — the **`var_smoothing` pitfall** in the flesh: $\varepsilon$ is $10^{-9}$ of
# the variance of *worst area* (in squared pixels, $\sim 3\cdot10^5$), which is several times the
# variance of these small-scale features, so their densities are flattened and they carry almost no
# evidence. (Here that happens not to hurt: without smoothing, or after standardising, the held-out
# accuracy is two tumours lower. Whether it helps is an accident of the data; know that it happens.)
#
# Radius and concave points separate the classes well; fractal dimension hardly at all. Several of
# the histograms are skewed, not normal — the Gaussian model is another simplifying assumption, and
# the held-out accuracy printed above is below that of logistic regression on the same split.
# Radius, perimeter and area are almost deterministic functions of each other, so their evidence is
# counted three times: the independence assumption at its worst, and still a usable classifier.
#
# ### `partial_fit` with variances, and an `epsilon_` subtlety
#
# Stream the 426 training tumours in batches of 50. Chan et al.'s merge reproduces the batch means
# and the maximum-likelihood variances to rounding. One convention (scikit-learn's, kept for
# parity) differs: `epsilon_` is recomputed from **each batch** (`var_smoothing` × that batch's
# largest variance), so `var_ = MLE variance + epsilon_` of the *last* batch. Compare `var_ - epsilon_`.
#
# scikit-learn's own `partial_fit` (1.9) has a bookkeeping slip here: before merging it subtracts
# the *new* batch's $\varepsilon$ from the stored variances instead of the $\varepsilon$ it added on
# the previous call, so its variances drift by the difference, batch after batch. $\varepsilon$ is
# $10^{-9}$ of the largest variance, so this is invisible on most features — but not on those whose
# variance is as small as $\varepsilon$ itself (the smallest variance, printed above, is of that
# order), where the variance scikit-learn ends up with is off by a multiple of itself — here it is
# even negative before $\varepsilon$ is added back:

# %%
def stream_fit(model, X, y, size=50):
    for start in range(0, X.shape[0], size):
        model.partial_fit(X[start : start + size], y[start : start + size], classes=[0, 1])
    return model


ours_stream, sk_stream = stream_fit(GaussianNB(), Xb_tr, yb_tr), stream_fit(sk.GaussianNB(), Xb_tr, yb_tr)
sk_batch = sk.GaussianNB().fit(Xb_tr, yb_tr)
mle_ours = ours_stream.var_ - ours_stream.epsilon_
mle_batch = gnb.var_ - gnb.epsilon_
mle_sk = sk_stream.var_ - sk_stream.epsilon_
print(f"ours, stream vs batch: max relative |Δ MLE variance| = {np.max(np.abs(mle_ours - mle_batch) / mle_batch):.1e}")
rel_sk = np.abs(mle_sk - (sk_batch.var_ - sk_batch.epsilon_)) / mle_batch
k, j = np.unravel_index(rel_sk.argmax(), rel_sk.shape)
print(f"sklearn, stream vs batch: max relative |Δ MLE variance| = {rel_sk.max():.1e} "
      f"('{bc_names[j]}', class {k}: {mle_sk[k, j]:.3g} instead of {mle_batch[k, j]:.3g})")

# %% [markdown]
# ## Parity checks
#
# Ours against `sklearn.naive_bayes` on the same data with the same hyper-parameters. Naive Bayes
# has no iterative solver: both sides compute the same closed-form estimates, so the only
# differences are rounding — different summation orders (a one-hot matrix product against
# per-class `np.mean`/`np.var` or a sparse product) and, for Bernoulli, $\log(1-p)$ from the counts
# against scikit-learn's $\log(1 - e^{\log p})$.
#
# * **Fitted parameters** (`feature_log_prob_`, `class_log_prior_`, `theta_`, `var_`): `rtol = 1e-12`
#   — a handful of float64 roundings ($\sim 10^{-16}$ each) on sums of at most a few thousand terms.
# * **`predict_log_proba`**: `atol = 1e-10`, `rtol = 0`. The log-posteriors reach $-155$ (SMS,
#   multinomial) and $-2\,700$ (breast cancer) and are sums over up to 7 400 features; rounding of
#   such sums is $\sim 10^{-13}$, and the worst case in the Bernoulli model is
#   $\varepsilon_{\text{mach}}/(1-p)$ per feature from scikit-learn's $\log(1-e^{\log p})$, which
#   stays below $10^{-11}$ here. An absolute tolerance is the right kind: a posterior of
#   $e^{-155}$ is compared where it matters, in log space. 1e-10 leaves a margin of 20× over the
#   largest difference seen, and a genuine error (a wrong denominator, a missing $\log(1-p)$ term)
#   changes these numbers by $10^{-3}$ or more.
# * **`partial_fit` in batches** equals `fit` (ours against ours) and equals scikit-learn's
#   `partial_fit` for the discrete models; for the Gaussian model against scikit-learn's
#   `partial_fit` we compare `theta_`, and `var_` with `var_smoothing=0` (where the $\varepsilon$
#   bookkeeping above plays no part).
#
# The timed checks time fit + predict on the same data.

# %%
for ours_model, ref_model in [(MultinomialNB(), sk.MultinomialNB()), (BernoulliNB(), sk.BernoulliNB())]:
    name = type(ours_model).__name__
    parity.check(
        f"{name} predict_log_proba · SMS spam test set (fit + predict timed)",
        ours=lambda o=ours_model: o.fit(X_tr, y_tr).predict_log_proba(X_te),
        reference=lambda r=ref_model: r.fit(X_tr, y_tr).predict_log_proba(X_te),
        atol=1e-10,
        why="closed form on both sides; sums of ≤ 7 400 terms in another order: |Δ| ~1e-13 (1e-11 Bernoulli)",
        repeat=5,
    )
    for attr in ("feature_log_prob_", "class_log_prior_", "feature_count_"):
        parity.check(
            f"{name} {attr} · SMS spam",
            ours=getattr(ours_model, attr),
            reference=getattr(ref_model, attr),
            rtol=1e-12,
            why="same counts; log of the same smoothed ratios",
        )
    parity.check(
        f"{name} predictions · SMS spam test set",
        ours=ours_model.predict(X_te),
        reference=ref_model.predict(X_te),
        atol=0,
        why="same log-posteriors to 1e-10; no message sits that close to the decision boundary",
    )

gnb_all, gnb_ref = GaussianNB(), sk.GaussianNB()
parity.check(
    "GaussianNB predict_log_proba · breast cancer (fit + predict timed)",
    ours=lambda: gnb_all.fit(X_bc, y_bc).predict_log_proba(X_bc),
    reference=lambda: gnb_ref.fit(X_bc, y_bc).predict_log_proba(X_bc),
    atol=1e-10,
    why="|log posterior| up to 2.7e3: rounding ~1e-13 absolute",
    repeat=5,
)
for attr in ("theta_", "var_", "class_prior_"):
    parity.check(
        f"GaussianNB {attr} · breast cancer",
        ours=getattr(gnb_all, attr),
        reference=getattr(gnb_ref, attr),
        rtol=1e-12,
        why="per-class mean and 1/n_k variance + epsilon_: a few roundings",
    )
parity.check("GaussianNB epsilon_ · breast cancer", ours=gnb_all.epsilon_, reference=gnb_ref.epsilon_, rtol=1e-14,
             why="var_smoothing × max_j Var(x_j), the same np.var")

# %% [markdown]
# `partial_fit` in batches of 500 (SMS) and 50 (breast cancer):

# %%
for cls, ref_cls in [(MultinomialNB, sk.MultinomialNB), (BernoulliNB, sk.BernoulliNB)]:
    ours_s, ref_s = cls(), ref_cls()
    for start in range(0, X_tr.shape[0], 500):
        ours_s.partial_fit(X_tr[start : start + 500], y_tr[start : start + 500], classes=[0, 1])
        ref_s.partial_fit(X_tr[start : start + 500], y_tr[start : start + 500], classes=[0, 1])
    batch = cls().fit(X_tr, y_tr)
    parity.check(f"{cls.__name__} partial_fit (9 batches) feature_log_prob_ = our fit", ours=ours_s.feature_log_prob_,
                 reference=batch.feature_log_prob_, rtol=1e-12, why="counts add up exactly; same smoothing")
    parity.check(f"{cls.__name__} partial_fit predict_log_proba vs sklearn partial_fit · SMS", ours=ours_s.predict_log_proba(X_te),
                 reference=ref_s.predict_log_proba(X_te), atol=1e-10, why="as for fit")

parity.check("GaussianNB partial_fit (9 batches) theta_ = our fit", ours=ours_stream.theta_, reference=gnb.theta_,
             rtol=1e-12, why="Chan et al. merge of means: exact up to rounding")
parity.check("GaussianNB partial_fit var_ − epsilon_ = our fit's", ours=mle_ours, reference=mle_batch, rtol=1e-12,
             why="the M2 merge is exact up to rounding (~5e-15 relative, also on the variances of order epsilon_)")
parity.check("GaussianNB partial_fit theta_ vs sklearn partial_fit", ours=ours_stream.theta_, reference=sk_stream.theta_,
             rtol=1e-12, why="same merge of means")
ours_s0 = stream_fit(GaussianNB(var_smoothing=0.0), Xb_tr, yb_tr)
ref_s0 = stream_fit(sk.GaussianNB(var_smoothing=0.0), Xb_tr, yb_tr)
parity.check("GaussianNB partial_fit var_ vs sklearn partial_fit (var_smoothing=0)", ours=ours_s0.var_, reference=ref_s0.var_,
             rtol=1e-12, why="same merge; without epsilon_ sklearn's bookkeeping slip has no effect")

# %%
parity.table()
