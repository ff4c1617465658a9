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
# # P1.15 · Activation functions & loss functions
#
# A network is affine maps separated by **activations** (P1.13) and trained by minimising a
# **loss**. The activation decides how gradients flow back through depth; the loss decides what
# "good" means and — written carelessly — whether the computation survives a logit of 1000. This
# lesson derives both families, shows where each breaks, and checks our implementations (values
# *and* gradients, from our autograd engine) against `torch.nn.functional`.
#
# ## Activations and their derivatives
#
# **Sigmoid** $\sigma(x) = \dfrac{1}{1 + e^{-x}}$. Differentiate $(1 + e^{-x})^{-1}$:
#
# $$\sigma'(x) = \frac{e^{-x}}{(1+e^{-x})^2} = \underbrace{\frac{1}{1+e^{-x}}}_{\sigma(x)}
# \cdot \underbrace{\frac{e^{-x}}{1+e^{-x}}}_{1 - \sigma(x)} = \sigma(x)\bigl(1 - \sigma(x)\bigr)
# \le \tfrac14 .$$
#
# **Tanh** $\tanh x = \dfrac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1$. The quotient rule
# gives $\tanh'(x) = \dfrac{(e^x + e^{-x})^2 - (e^x - e^{-x})^2}{(e^x + e^{-x})^2} = 1 - \tanh^2
# x \le 1$, with equality at 0: zero-centred, and slope 1 where sigmoid has $\tfrac14$.
#
# **ReLU** $\max(x, 0)$, derivative $[x > 0]$ (undefined at 0; every framework uses 0 there). No
# saturation for $x > 0$, exactly zero gradient for $x < 0$.
#
# **GELU** (Hendrycks & Gimpel 2016) $x\,\Phi(x)$ with $\Phi$ the standard normal CDF: the input
# scaled by the probability that a standard normal falls below it, a smooth ReLU. Product rule with
# $\Phi' = \phi$:
#
# $$\mathrm{GELU}'(x) = \Phi(x) + x\,\phi(x), \qquad \phi(x) = \tfrac{1}{\sqrt{2\pi}} e^{-x^2/2}.$$
#
# It is slightly negative for $x < 0$ (minimum $\approx -0.17$ at $x \approx -0.75$) and its
# derivative exceeds 1 just right of 0. The tanh form $\tfrac12 x\bigl(1 + \tanh(\sqrt{2/\pi}(x +
# 0.044715x^3))\bigr)$ is the older, cheaper approximation (`approximate="tanh"`).
#
# **Softmax** $p = \operatorname{softmax}(z)$, $p_k = e^{z_k}/\sum_j e^{z_j}$, maps a vector to
# a probability vector. With $\partial_{z_l} e^{z_k} = \delta_{kl} e^{z_k}$ and the quotient rule,
#
# $$\frac{\partial p_k}{\partial z_l} = \frac{\delta_{kl}e^{z_k}\sum_j e^{z_j} - e^{z_k}e^{z_l}}{(\sum_j
# e^{z_j})^2} = p_k(\delta_{kl} - p_l), \qquad J = \operatorname{diag}(p) - p p^\top .$$
#
# It is invariant to adding a constant to every $z_k$ — the fact that makes it computable: subtract
# $\max_k z_k$ first and no exponential overflows.
#
# ## Saturation, vanishing gradients and dead ReLUs
#
# Backpropagation (P1.14) multiplies, layer after layer, by $W^\top$ and by the activation's
# derivative. With sigmoid each factor is at most $\tfrac14$: through $L$ layers the gradient at the
# first layer shrinks like $4^{-L}$ times whatever the weights contribute — the **vanishing
# gradient** problem that made deep sigmoid networks untrainable before 2010. A **saturated** unit
# ($|x| \gg 1$ for sigmoid/tanh, where the derivative is $\approx 0$) passes back nothing. ReLU's
# derivative is exactly 1 on the active side, so depth alone does not shrink the gradient (given He
# initialisation, P1.13). Its failure is different: a **dead ReLU** has a pre-activation negative on
# *every* training input (after a large update pushed its bias down, say); its gradient is then
# zero on every input and gradient descent never revives it. Leaky ReLU, GELU, careful learning
# rates and normalisation are the usual remedies.
#
# ## Losses are negative log-likelihoods
#
# Choose a distribution for the target given the network's output and minimise $-\log$ of the
# likelihood; the familiar losses fall out.
#
# **MSE ← Gaussian.** $y \mid x \sim N(f(x), s^2)$ with fixed $s$:
# $-\log p(y \mid x) = \dfrac{(y - f(x))^2}{2s^2} + \tfrac12\log(2\pi s^2)$, so maximum likelihood =
# least squares, $\ell = (y - f)^2$ up to scale and a constant.
#
# **BCE ← Bernoulli.** $y \in \{0,1\}$, $P(y = 1 \mid x) = \sigma(z)$ with the logit $z$:
# $-\log p(y\mid x) = -y\log\sigma(z) - (1-y)\log(1 - \sigma(z))$. Using $\log\sigma(z) =
# -\log(1+e^{-z})$ and $\log(1-\sigma(z)) = -z - \log(1+e^{-z})$:
#
# $$\ell(z, y) = (1 - y)\,z + \log(1 + e^{-z}) = \max(z, 0) - zy + \log\bigl(1 + e^{-|z|}\bigr),$$
#
# the last form (check $z \ge 0$ and $z < 0$ separately) exponentiates only non-positive numbers:
# finite for every $z$. Its derivative is $\partial\ell/\partial z = \sigma(z) - y$.
#
# **Cross-entropy ← categorical.** $y \in \{0, \dots, K-1\}$, $P(y = k\mid x) = \operatorname{softmax}(z)_k$:
#
# $$\ell(z, y) = -\log p_y = -z_y + \log\sum_j e^{z_j} = -z_y + m + \log\sum_j e^{z_j - m},\quad m = \max_j z_j,$$
#
# the **log-sum-exp** trick. BCE is the case $K = 2$ with logits $(0, z)$ — which is exactly how our
# `binary_cross_entropy_with_logits` computes it.
#
# ## The gradient of softmax–cross-entropy is $p - y$
#
# With $y$ one-hot, $\ell = -\sum_k y_k \log p_k$ and $\partial \log p_k / \partial z_l = \delta_{kl}
# - p_l$ (from the Jacobian above divided by $p_k$):
#
# $$\frac{\partial \ell}{\partial z_l} = -\sum_k y_k (\delta_{kl} - p_l) = -y_l + p_l \sum_k y_k =
# p_l - y_l .$$
#
# Prediction minus truth — the same form as least squares and logistic regression (the canonical
# link of each likelihood). It is bounded in $[-1, 1]$ however wrong the logits, so one confident
# mistake cannot produce an infinite step.
#
# ## Why "from logits"
#
# Computing $p = \operatorname{softmax}(z)$ and *then* $\log p_y$ fails twice: $e^{1000} = \infty$
# (overflow, then $\infty/\infty$ = NaN), and for a very wrong prediction $p_y$ underflows to 0 and
# $\log 0 = -\infty$. The fused forms above never build $p$: `CrossEntropyLoss` and
# `BCEWithLogitsLoss` take **logits**, and the model must not apply a softmax/sigmoid first.
#
# ## Pitfalls
#
# * Softmax in the model *and* in the loss: training still "works", on a squashed problem.
# * Integer targets for cross-entropy are class indices in $0..K-1$: a label $K$ is an error here
#   (and in torch), not a silent wrap-around. BCE targets are probabilities in $[0, 1]$, floats.
# * MSE on probabilities for classification has gradient $2(p - y)\,\sigma'(z)$: it vanishes when the
#   sigmoid saturates on a wrong answer, which is why classification uses the log-loss.
# * A NaN loss poisons every parameter after one step: our losses raise an error naming the loss
#   (and the training loops stop) rather than continue.
#
# ## References
#
# * I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning* (2016), §6.2.2 (output units and
#   likelihoods), §6.3 (hidden units), §4.1 (overflow, log-sum-exp).
# * C. M. Bishop, *Pattern Recognition and Machine Learning* (2006), §4.3.4, §5.2.
# * D. Hendrycks, K. Gimpel, "Gaussian Error Linear Units (GELUs)", arXiv:1606.08415 (2016).
# * X. Glorot, A. Bordes, Y. Bengio, "Deep sparse rectifier neural networks", AISTATS 2011.
# * S. Hochreiter, "The vanishing gradient problem during learning recurrent neural nets and problem
#   solutions", *Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems* 6 (1998) 107–116.
# * PyTorch docs: `torch.nn.functional.cross_entropy`, `binary_cross_entropy_with_logits`.

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.preprocessing import StandardScaler

from mlweekly import datasets, parity
from mlweekly.deep_learning import nn
from mlweekly.deep_learning.tensor import Tensor
from mlweekly.ml_algorithms import LogisticRegression

torch.set_num_threads(1)  # small arrays: threads only add overhead on two shared cores

# %% [markdown]
# ## The implementation
#
# The activations are methods of our `Tensor` (each stores its derivative for the backward pass);
# `nn` wraps them as modules. The losses are compositions of `Tensor` operations, so their
# gradients come from the autograd engine, not from a hand-written formula:

# %%
print(inspect.getsource(nn.binary_cross_entropy_with_logits))
print(inspect.getsource(nn.cross_entropy).split('"""')[-1])

# %% [markdown]
# ## Activations and their derivatives (from our autograd)
#
# The derivatives are not typed in: we call `backward()` on $\sum_i \varphi(x_i)$, whose gradient
# with respect to $x_i$ is $\varphi'(x_i)$.

# %%
x_grid = np.linspace(-5, 5, 1001)
activations = {"sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(), "ReLU": nn.ReLU(), "GELU": nn.GELU(), "GELU (tanh)": nn.GELU("tanh")}


def value_and_derivative(module, x):
    t = Tensor(x, requires_grad=True)
    out = module(t)
    out.sum().backward()
    return out.data, t.grad


fig, axes = plt.subplots(1, 2, figsize=(13, 4.3), constrained_layout=True)
for name, module in activations.items():
    v, d = value_and_derivative(module, x_grid)
    ls = ":" if "(tanh)" in name else "-"
    axes[0].plot(x_grid, v, ls=ls, label=name)
    axes[1].plot(x_grid, d, ls=ls, label=name)
axes[0].set(ylim=(-1.5, 3), title="activation φ(x)", xlabel="x")
axes[1].set(title="derivative φ'(x) via backward()", xlabel="x")
axes[1].axhline(0.25, color="grey", lw=0.5, ls="--")
axes[1].text(-4.9, 0.27, "σ' ≤ 1/4", color="grey")
for ax in axes:
    ax.legend()
    ax.grid(alpha=0.3)
plt.show()

# %% [markdown]
# ## Vanishing gradients through depth
#
# Plain networks of growing depth (width 64, Xavier init for sigmoid/tanh, He for ReLU) on a
# batch of 256 standardised digits; we backpropagate the cross-entropy and measure the gradient
# norm of the **first** layer's weights. With sigmoid it falls by a factor of about 4 per layer —
# the $\sigma' \le \tfrac14$ bound at work; tanh and ReLU keep it of order 1.

# %%
X_raw, y = datasets.load_xy("digits")
X = StandardScaler().fit_transform(X_raw)
Xb, yb = X[:256], y[:256]


def first_layer_grad_norm(act, depth, scheme, seed=0):
    rng = np.random.default_rng(seed)
    layers, width = [], 64
    for _ in range(depth):
        layers += [nn.Linear(64, width, init=scheme, rng=rng), act()]
    net = nn.Sequential(*layers, nn.Linear(width, 10, init="xavier_normal", rng=rng))
    nn.cross_entropy(net(Xb), yb).backward()
    return np.linalg.norm(net[0].weight.grad)


depths = [1, 2, 4, 6, 8, 12, 16, 20]
fig, ax = plt.subplots(figsize=(7.5, 4.2), constrained_layout=True)
for name, act, scheme in [("sigmoid", nn.Sigmoid, "xavier_normal"), ("tanh", nn.Tanh, "xavier_normal"), ("ReLU", nn.ReLU, "kaiming_normal")]:
    ax.semilogy(depths, [first_layer_grad_norm(act, L, scheme) for L in depths], marker="o", label=name)
ax.set(xlabel="hidden layers", ylabel="‖∂L/∂W₁‖", title="gradient reaching the first layer")
ax.legend()
plt.show()

# %% [markdown]
# ## Dead ReLUs
#
# One ReLU layer of 256 units (He init) on all 1797 digits. Shift every bias down by $\delta$ (what a
# too-large update can do) and count the units that are negative on **every** input: their gradient
# is exactly zero for every sample, so no training step will ever change their weights.

# %%
layer = nn.Linear(64, 256, init="kaiming_normal", rng=0)
for delta in [0.0, 1.0, 2.0, 4.0, 8.0]:
    shifted = nn.Linear(64, 256)
    shifted.weight.data[...] = layer.weight.data
    shifted.bias.data[...] = layer.bias.data - delta
    head = nn.Linear(256, 10, rng=1)
    nn.cross_entropy(head(nn.ReLU()(shifted(X))), y).backward()
    dead = (shifted(X).data <= 0).all(axis=0)
    zero_grad_rows = (np.abs(shifted.weight.grad).sum(axis=1) == 0)
    print(f"bias shift −{delta:>3}: {dead.sum():3d} dead units, {zero_grad_rows.sum():3d} weight rows with exactly zero gradient")

# %% [markdown]
# ## Loss curves vs the logit, and the naive versions that overflow
#
# Left: BCE for $y = 1$ and $y = 0$ as a function of the logit, computed stably, with the naive
# $-\log\sigma(z)$ / $-\log(1 - \sigma(z))$ dotted: beyond $|z| \approx 37$ the naive $1 - \sigma(z)$
# rounds to 0 and the loss becomes $\infty$. Middle: cross-entropy of 3 classes as the true class's
# logit moves (others fixed at 0). Right: the gradients — $\sigma(z) - y$ and $p_y - 1$ — bounded.

# %%
z = np.linspace(-60, 60, 2001)
with np.errstate(divide="ignore", over="ignore"):
    naive_y0 = -np.log(1 - 1 / (1 + np.exp(-z)))
fig, axes = plt.subplots(1, 3, figsize=(15, 4.2), constrained_layout=True)
grads = {}
for target in (1.0, 0.0):
    zt = Tensor(z, requires_grad=True)
    loss = nn.binary_cross_entropy_with_logits(zt, np.full_like(z, target), reduction="none")
    loss.sum().backward()
    grads[f"BCE, y={target:g}: σ(z) − y"] = zt.grad
    axes[0].plot(z, loss.data, label=f"BCE, y = {target:g}")
axes[0].plot(z, naive_y0, ls=":", lw=3, color="black", label="naive −log(1−σ(z)), y = 0")
axes[0].set(xlabel="logit z", ylabel="loss", title="BCE with logits (stable) vs naive", ylim=(-1, 65))
zc = Tensor(np.column_stack([z, np.zeros_like(z), np.zeros_like(z)]), requires_grad=True)
ce = nn.cross_entropy(zc, np.zeros(len(z), dtype=int), reduction="none")
ce.sum().backward()
grads["CE: p_y − 1 (true-class logit)"] = zc.grad[:, 0]
axes[1].plot(z, ce.data, color="C2", label="cross-entropy, 3 classes")
axes[1].plot(z, np.maximum(-z, 0), ls="--", color="grey", label="max(−z, 0): the linear tail")
axes[1].set(xlabel="true-class logit $z_y$", title="cross-entropy vs logit")
for name, g in grads.items():
    axes[2].plot(z, g, label=name)
axes[2].set(xlabel="logit", title="gradients: prediction − truth")
for ax in axes:
    ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The same failures in numbers — naive `log(softmax)` and `log(sigmoid)` against ours:

# %%
z_big = np.array([[1000.0, 0.0, -1000.0]])
with np.errstate(all="ignore"):
    naive_p = np.exp(z_big) / np.exp(z_big).sum(axis=1, keepdims=True)
    print("naive softmax of [1000, 0, -1000]:", naive_p, "→ loss for class 2:", -np.log(naive_p[0, 2]))
    print("naive BCE, z = -1000, y = 1:      ", -np.log(1 / (1 + np.exp(1000.0))))
print("ours, cross-entropy class 2:       ", nn.cross_entropy(z_big, np.array([2])).item())
print("ours, BCE z = -1000, y = 1:        ", nn.binary_cross_entropy_with_logits(np.array([-1000.0]), np.array([1.0])).item())

# %% [markdown]
# ## Parity checks
#
# Ours against `torch.nn.functional` in float64: for each function the **value** and the **gradient**
# with respect to the input (our autograd vs torch's autograd), with a non-trivial upstream
# gradient. Inputs: a grid with both tails ($\pm 1000$, where a naive $e^x$ overflows, $\pm 700$,
# $\pm 50$), the points around 0, and ordinary values. Our formulas are algebraically the same as
# torch's but not always the same floating-point expression (e.g. BCE via a two-class log-softmax,
# GELU via `scipy.special.ndtr`), so we allow `atol = rtol = 1e-10`: a few hundred ulps on values of
# order $\le 10^3$, far below any real error. Where torch's result is exactly 0 or $\pm\infty$,
# ours must be too.

# %%
TAIL = [1000.0, 700.0, 50.0, 20.0, 3.0, 1.0, 1e-8]
GRID = np.array([-t for t in TAIL] + [0.0, 0.5] + TAIL[::-1])
UP = np.linspace(-2.0, 3.0, GRID.size)  # upstream gradient
tol = dict(atol=1e-10, rtol=1e-10)
why = "same maths, float64; different but stable floating-point expressions: ≤ a few hundred ulps"


def pair(ours_fn, torch_fn, x, upstream):
    """Values and input-gradients of ours and torch on the same input and upstream gradient."""
    t = Tensor(x, requires_grad=True)
    out = ours_fn(t)
    (out * upstream).sum().backward()
    tt = torch.tensor(x, requires_grad=True)
    out_t = torch_fn(tt)
    (out_t * torch.tensor(upstream)).sum().backward()
    return (out.data, t.grad), (out_t.detach().numpy(), tt.grad.numpy())


torch_acts = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "ReLU": F.relu, "GELU": F.gelu,
              "GELU (tanh)": lambda t: F.gelu(t, approximate="tanh")}  # fmt: skip
for name, module in activations.items():
    (v, g), (v_t, g_t) = pair(module, torch_acts[name], GRID, UP)
    parity.check(f"{name}: value on ±1000 grid", ours=v, reference=v_t, **tol, why=why)
    parity.check(f"{name}: gradient on ±1000 grid", ours=g, reference=g_t, **tol, why=why)

Z_rows = np.array([[1000.0, -1000.0, 0.0, 3.0], [-5.0, -5.0, -5.0, -5.0], [700.0, 699.0, -700.0, 1.0]])
UP_rows = np.arange(12.0).reshape(3, 4) / 7 - 0.5
for name, module, fn in [("softmax", nn.Softmax(axis=1), lambda t: F.softmax(t, dim=1)),
                         ("log_softmax", nn.LogSoftmax(axis=1), lambda t: F.log_softmax(t, dim=1))]:  # fmt: skip
    (v, g), (v_t, g_t) = pair(module, fn, Z_rows, UP_rows)
    parity.check(f"{name}: value on extreme rows", ours=v, reference=v_t, **tol, why=why)
    parity.check(f"{name}: gradient on extreme rows", ours=g, reference=g_t, **tol, why=why)

# %% [markdown]
# Losses on extreme logits, every reduction. BCE: each grid logit with targets 0, 1 and the soft
# 0.3; cross-entropy: rows with logits $\pm 1000$ (loss 0 and loss 2000), all-equal rows, and
# ordinary ones.

# %%
z_bce = np.repeat(GRID, 3)
y_bce = np.tile([0.0, 1.0, 0.3], GRID.size)
rng = np.random.default_rng(0)
Z_ce = rng.normal(size=(8, 5)) * 3
Z_ce[0] = Z_ce[1] = [1000.0, -1000.0, 0.0, 0.0, 0.0]
Z_ce[2] = -1000.0
y_ce = np.array([0, 1, 2, 3, 4, 0, 1, 2])
pred_mse, y_mse = rng.normal(size=(6, 3)) * 100, rng.normal(size=(6, 3))
for reduction in ["mean", "sum", "none"]:
    cases = [
        ("BCE with logits", z_bce, lambda t, r=reduction: nn.binary_cross_entropy_with_logits(t, y_bce, reduction=r),
         lambda t, r=reduction: F.binary_cross_entropy_with_logits(t, torch.tensor(y_bce), reduction=r)),
        ("cross-entropy", Z_ce, lambda t, r=reduction: nn.cross_entropy(t, y_ce, reduction=r),
         lambda t, r=reduction: F.cross_entropy(t, torch.tensor(y_ce), reduction=r)),
        ("MSE", pred_mse, lambda t, r=reduction: nn.mse_loss(t, y_mse, reduction=r),
         lambda t, r=reduction: F.mse_loss(t, torch.tensor(y_mse), reduction=r)),
    ]  # fmt: skip
    for name, x, ours_fn, torch_fn in cases:
        upstream = np.ones(ours_fn(Tensor(x)).shape)  # all ones: the gradient of the sum of the losses
        (v, g), (v_t, g_t) = pair(ours_fn, torch_fn, x, upstream)
        parity.check(f"{name} ({reduction}): value, extreme logits", ours=v, reference=v_t, **tol, why=why)
        parity.check(f"{name} ({reduction}): gradient, extreme logits", ours=g, reference=g_t, **tol, why=why)

# %% [markdown]
# ## On real data: logits of a linear model on digits
#
# The logits of a fitted softmax regression (our `LogisticRegression` from P1.02, $C = 1$) on all
# 1797 digits, pixels scaled to $[0, 1]$: cross-entropy and its gradient ($= (P - Y)/n$), BCE of a
# one-vs-rest "is it a 3?" logistic regression, and MSE between the softmax probabilities and the
# one-hot labels.

# %%
X01 = X_raw / 16.0
logits = LogisticRegression(C=1.0).fit(X01, y).decision_function(X01)
is3 = (y == 3).astype(float)
logit3 = LogisticRegression(C=1.0).fit(X01, is3).decision_function(X01)
onehot = np.eye(10)[y]

(v, g_ce), (v_t, g_t) = pair(lambda t: nn.cross_entropy(t, y), lambda t: F.cross_entropy(t, torch.tensor(y)), logits, np.array(1.0))
parity.check("digits: cross-entropy of softmax-regression logits", ours=v, reference=v_t, **tol, why=why)
parity.check("digits: ∂CE/∂logits (= (P − Y)/n)", ours=g_ce, reference=g_t, **tol, why=why)
(v, g), (v_t, g_t) = pair(lambda t: nn.binary_cross_entropy_with_logits(t, is3),
                          lambda t: F.binary_cross_entropy_with_logits(t, torch.tensor(is3)), logit3, np.array(1.0))  # fmt: skip
parity.check("digits: BCE of 'is it a 3?' logits", ours=v, reference=v_t, **tol, why=why)
parity.check("digits: ∂BCE/∂logits (= (σ(z) − y)/n)", ours=g, reference=g_t, **tol, why=why)
(v, g), (v_t, g_t) = pair(lambda t: nn.mse_loss(t.softmax(axis=1), onehot),
                          lambda t: F.mse_loss(torch.softmax(t, 1), torch.tensor(onehot)), logits, np.array(1.0))  # fmt: skip
parity.check("digits: MSE(softmax(logits), one-hot)", ours=v, reference=v_t, **tol, why=why)
parity.check("digits: ∂MSE/∂logits through softmax", ours=g, reference=g_t, **tol, why=why)
p = np.exp(logits - logits.max(1, keepdims=True))
p /= p.sum(1, keepdims=True)
print("the p − y formula: max |∂CE/∂z (autograd) − (P − Y)/n| =", np.abs(g_ce - (p - onehot) / len(y)).max())

# %%
parity.table()
