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
# # P1.14 · Backpropagation: derivation + code (NumPy)
#
# Backpropagation is the chain rule, applied to a network **from the loss backwards**, with every
# intermediate result written as a matrix so that one step handles a whole mini-batch. We derive it
# by hand for a two-layer network, code it in NumPy (no autograd), check it against finite
# differences, and check it number by number against PyTorch's autograd.
#
# ## The network and its shapes
#
# A batch of $n$ inputs is a matrix $X \in \mathbb{R}^{n \times d}$ (one row per sample); there are
# $h$ hidden units and $K$ classes; $Y \in \{0,1\}^{n \times K}$ is the one-hot label matrix.
# Weights are stored as $(\text{fan-in}, \text{fan-out})$, scikit-learn's convention, so a layer is
# $XW$ (PyTorch stores $W^\top$ and computes $XW^\top$ — same numbers, transposed storage).
#
# $$\begin{aligned}
# Z_1 &= X W_1 + \mathbf{1} b_1^\top && (n\times h) &\qquad A_1 &= f(Z_1) && (n \times h)\\
# Z_2 &= A_1 W_2 + \mathbf{1} b_2^\top && (n\times K) &\qquad P &= \operatorname{softmax}(Z_2) && (n \times K)\\
# L &= -\frac1n \sum_{i=1}^n \log P_{i, y_i} = -\frac1n \sum_{i,k} Y_{ik} \log P_{ik} .
# \end{aligned}$$
#
# with $W_1 \in \mathbb{R}^{d\times h}$, $b_1 \in \mathbb{R}^h$, $W_2 \in \mathbb{R}^{h\times K}$,
# $b_2 \in \mathbb{R}^K$, $f$ applied element-wise (ReLU, tanh or the logistic sigmoid).
#
# ## The rule that makes the matrix calculus easy
#
# For a scalar $L$ and any matrix $M$, write $\bar M = \partial L / \partial M$ — a matrix **of the
# same shape as $M$** (entry $(i,j)$ is $\partial L / \partial M_{ij}$). Two facts do all the work.
#
# **Matrix product.** If $Z = AW$ then $Z_{ik} = \sum_j A_{ij}W_{jk}$, so
# $\partial L/\partial W_{jk} = \sum_i \bar Z_{ik} A_{ij}$ and $\partial L/\partial A_{ij} =
# \sum_k \bar Z_{ik} W_{jk}$:
#
# $$\bar W = A^\top \bar Z, \qquad \bar A = \bar Z\, W^\top .$$
#
# A shape check recovers them without indices: $\bar W$ must be $(d \times h)$ and the only product of
# $A$ $(n\times d)$ and $\bar Z$ $(n \times h)$ with that shape is $A^\top \bar Z$. The sum over $i$
# is the sum over the batch.
#
# **Broadcast bias.** $Z = \dots + \mathbf 1 b^\top$ adds $b_k$ to every row, so $b_k$ influences
# $Z_{1k}, \dots, Z_{nk}$ and $\bar b = \bar Z^\top \mathbf 1$: **the column sums of $\bar Z$**.
#
# **Element-wise maps.** If $A = f(Z)$ then $\bar Z = \bar A \odot f'(Z)$ (Hadamard product): the
# Jacobian is diagonal, so no matrix product is needed. $\operatorname{ReLU}'(z) = [z > 0]$,
# $\tanh' = 1 - \tanh^2$, $\sigma' = \sigma(1-\sigma)$ — the last two reuse the cached output $A$.
#
# ## The softmax cross-entropy gradient: $P - Y$
#
# Per sample, with $z$ the row of logits and $y$ the label,
# $\ell = -\log p_y = \log\sum_j e^{z_j} - z_y$. Differentiating,
#
# $$\frac{\partial \ell}{\partial z_k} = \frac{e^{z_k}}{\sum_j e^{z_j}} - [k = y] = p_k - Y_k .$$
#
# The softmax Jacobian $\partial p/\partial z = \operatorname{diag}(p) - p p^\top$ never has to be
# formed: composed with the log it collapses to $p - Y$. With the mean over the batch,
#
# $$\bar Z_2 = \frac1n (P - Y).$$
#
# ## Backwards through the network
#
# Write $\mathrm{d}Z_2 = P - Y$ (the code keeps the $1/n$ aside and divides the weight and bias
# gradients by $n$ — the same numbers). Then, one line per forward line, in reverse:
#
# $$\begin{aligned}
# \mathrm dZ_2 &= P - Y && (n\times K)\\
# \mathrm dW_2 &= A_1^\top \mathrm dZ_2 / n && (h\times K) &\qquad \mathrm db_2 &= \mathbf 1^\top \mathrm dZ_2 / n && (K)\\
# \mathrm dA_1 &= \mathrm dZ_2\, W_2^\top && (n\times h)\\
# \mathrm dZ_1 &= \mathrm dA_1 \odot f'(Z_1) && (n\times h)\\
# \mathrm dW_1 &= X^\top \mathrm dZ_1 / n && (d\times h) &\qquad \mathrm db_1 &= \mathbf 1^\top \mathrm dZ_1 / n && (h).
# \end{aligned}$$
#
# $\mathrm dX = \mathrm dZ_1 W_1^\top$ is not needed (the input is not a parameter), which saves one
# matrix product. Every extra hidden layer repeats the middle two lines. With scikit-learn's L2
# penalty $\frac{\alpha}{2n}\sum_l \lVert W_l\rVert_F^2$ each $\mathrm dW_l$ gains $\alpha W_l / n$.
#
# ## Why backwards? The cost of a gradient
#
# The forward pass does two large products, $XW_1$ ($n d h$ multiply-adds) and $A_1 W_2$ ($n h K$).
# The backward pass does $A_1^\top \mathrm dZ_2$ and $\mathrm dZ_2 W_2^\top$ ($2nhK$) and
# $X^\top \mathrm dZ_1$ ($ndh$) — about **twice the forward cost**, so a full gradient costs about
# **3 forward passes**, whatever the number of parameters. Going forwards (forward-mode AD, or finite
# differences) would cost one pass *per parameter*. This is the "cheap gradient principle" (Griewank &
# Walther), and it is why neural networks are trained with reverse-mode differentiation.
# The price is memory: the backward pass needs $X, Z_1, A_1, P$ — the **caches** of the forward pass.
#
# ## Pitfalls
#
# * **Forgetting the $1/n$** (or applying it twice) scales every gradient: training still "works"
#   with a re-tuned learning rate, so only a gradient check finds it.
# * **Transposes**: $\mathrm dW = A^\top \mathrm dZ$, not $\mathrm dZ^\top A$ (that is $\mathrm dW^\top$;
#   for square layers the shapes do not even complain).
# * **Bias gradient = column sum**: a missing sum (keeping $\mathrm dZ$) makes a broadcast error, a
#   sum over the wrong axis gives a wrong shape only when $n \ne h$.
# * **ReLU's kink**: $f'(0)$ is undefined; PyTorch and we use 0. A central difference that straddles
#   a kink disagrees — rare with random data, which is why gradient checks use a few samples.
# * **Softmax overflow**: compute $\log P = Z - \log\sum e^{Z}$ after subtracting the row maximum;
#   never $\log(\operatorname{softmax}(Z))$, which gives $\log 0 = -\infty$.
# * **Gradient-check in float64**: the central difference has truncation error $O(\varepsilon^2)$ and
#   rounding error $O(u L / \varepsilon)$; with $u \approx 10^{-16}$ the best step is
#   $\varepsilon \approx u^{1/3} \approx 10^{-5}$–$10^{-6}$ and relative errors $\approx 10^{-9}$.
#   In float32 ($u \approx 6\cdot 10^{-8}$) the same check gives $\approx 10^{-3}$ at best.
#
# ## References
# * D. E. Rumelhart, G. E. Hinton, R. J. Williams (1986). *Learning representations by
#   back-propagating errors.* Nature 323, 533–536.
# * I. Goodfellow, Y. Bengio, A. Courville (2016). *Deep Learning*, §6.5 (back-propagation).
# * A. G. Baydin, B. A. Pearlmutter, A. A. Radul, J. M. Siskind (2018). *Automatic differentiation
#   in machine learning: a survey.* JMLR 18(153).
# * A. Griewank, A. Walther (2008). *Evaluating Derivatives*, 2nd ed., SIAM (the cost of reverse mode).
# * Stanford CS231n notes, "Backpropagation, intuitions"; A. Karpathy, *micrograd*.

# %%
import inspect
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from threadpoolctl import threadpool_limits

from mlweekly import datasets, parity
from mlweekly.deep_learning import Tensor
from mlweekly.deep_learning.mlp import (
    backward,
    cross_entropy,
    forward,
    gradient_check,
    init_params,
    numerical_gradient,
)

torch.set_num_threads(1)  # the lesson shares two cores; timings below are single-threaded
threadpool_limits(1)  # NumPy's BLAS too

# %% [markdown]
# ## The code
#
# `mlweekly.deep_learning.mlp.backward` is the derivation above, line for line (it loops over the
# layers so that any depth works; for two layers the loop runs twice):

# %%
print(inspect.getsource(backward).split("    _check_activation(activation)\n")[1])

# %% [markdown]
# ## Shapes at every step, on real data
#
# A batch of 256 handwritten digits (8×8 images, $d = 64$, $K = 10$), pixel values scaled to $[0,1]$,
# and a hidden layer of $h = 100$ ReLU units.

# %%
X_all, y_all = datasets.load_xy("digits")
X_all = X_all / 16.0
rng = np.random.default_rng(0)
batch = rng.choice(len(y_all), 256, replace=False)
X, y = X_all[batch], y_all[batch]
params = init_params((64, 100, 10), "relu", random_state=0)
caches = forward(params, X, "relu")
grads = backward(params, caches, y, "relu")
for name in ("A0", "Z1", "A1", "Z2", "P"):
    print(f"{name:>3} (forward)  {caches[name].shape}")
for name in ("W2", "b2", "W1", "b1"):
    print(f"d{name} (backward) {grads[name].shape}  == {name} {params[name].shape}")
print(f"loss at initialisation: {cross_entropy(params, caches, y):.4f}  (log 10 = {np.log(10):.4f})")

# %% [markdown]
# The loss at initialisation is close to $\log K$: small random weights give nearly uniform
# probabilities — a sanity check worth doing before any training run.
#
# ## Gradient check: central differences
#
# `gradient_check` perturbs every entry by $\pm\varepsilon$ and compares
# $\frac{L(\theta+\varepsilon e_j) - L(\theta-\varepsilon e_j)}{2\varepsilon}$ with `backward`,
# reporting $\lVert g - \hat g\rVert / (\lVert g\rVert + \lVert \hat g\rVert)$ per parameter. It needs
# two forward passes per entry, so we use a smaller net (64–16–10, 1 210 parameters) on 32 samples,
# with each activation and the L2 penalty switched on.

# %%
small = {act: init_params((64, 16, 10), act, random_state=1) for act in ("relu", "tanh", "logistic")}
Xs, ys = X[:32], y[:32]
checks = {act: gradient_check(p, Xs, ys, act, alpha=0.1) for act, p in small.items()}

fig, ax = plt.subplots(1, 2, figsize=(11, 3.6))
names = list(small["relu"])
for i, (act, errs) in enumerate(checks.items()):
    ax[0].bar(np.arange(len(names)) + 0.27 * (i - 1), [errs[k] for k in names], width=0.27, label=act)
ax[0].set(xticks=range(len(names)), xticklabels=names, yscale="log", ylabel="relative error",
          title="gradient check per parameter (ε = 1e-6)")  # fmt: skip
ax[0].axhline(1e-7, color="k", ls=":", lw=1)
ax[0].legend()

# The error against ε: truncation O(ε²) on the right, rounding O(u/ε) on the left.
p_tanh = small["tanh"]
eps_grid = np.logspace(-10, -1, 10)
analytic = backward(p_tanh, forward(p_tanh, Xs, "tanh"), ys, "tanh")["W1"]
sweep = []
for eps in eps_grid:
    numeric = numerical_gradient({"W1": p_tanh["W1"], "b1": p_tanh["b1"], "W2": p_tanh["W2"],
                                  "b2": p_tanh["b2"]}, Xs, ys, "tanh", eps=eps)["W1"]  # fmt: skip
    sweep.append(np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric)))
ax[1].loglog(eps_grid, sweep, "o-")
ax[1].set(xlabel="ε", ylabel="relative error of dW1", title="central differences: the best ε ≈ 1e-5")
plt.tight_layout()
plt.show()
for act, errs in checks.items():
    print(act, {k: f"{v:.1e}" for k, v in errs.items()})

# %% [markdown]
# Every relative error is about $10^{-9}$–$10^{-8}$ at $\varepsilon = 10^{-6}$: the analytic gradient
# and the finite differences agree to the accuracy the finite differences themselves have. A wrong
# transpose or a forgotten $1/n$ gives errors of order $10^{-1}$–$1$. The right panel shows the
# V shape: too large an $\varepsilon$ and the curvature of $L$ spoils the difference, too small and
# the subtraction cancels to rounding noise.
#
# ## Parity with PyTorch autograd
#
# Same weights, same batch, float64: the hand-derived gradients against `torch.autograd` on the
# 256-digit batch with the 64–100–10 network, for each activation, and the L2 penalty on.


# %%
def torch_gradients(params, X, y, activation, alpha):
    """Loss and gradients of the same network by torch.autograd (float64)."""
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    f = {"relu": torch.relu, "tanh": torch.tanh, "logistic": torch.sigmoid}[activation]
    Z2 = f(torch.tensor(X) @ t["W1"] + t["b1"]) @ t["W2"] + t["b2"]
    penalty = (t["W1"] ** 2).sum() + (t["W2"] ** 2).sum()
    loss = torch.nn.functional.cross_entropy(Z2, torch.tensor(y)) + 0.5 * alpha * penalty / len(y)
    loss.backward()
    return loss.item(), {k: v.grad.numpy() for k, v in t.items()}


alpha = 1e-2
for act in ("relu", "tanh", "logistic"):
    p = init_params((64, 100, 10), act, random_state=0)
    c = forward(p, X, act)
    ours = backward(p, c, y, act, alpha)
    ref_loss, ref = torch_gradients(p, X, y, act, alpha)
    parity.check(f"loss · digits batch ({act})", ours=cross_entropy(p, c, y, alpha), reference=ref_loss,
                 atol=1e-12, why="same float64 formulas; only the summation order differs")  # fmt: skip
    for k in ("W1", "b1", "W2", "b2"):
        parity.check(f"d{k} · digits batch ({act}) vs torch.autograd", ours=ours[k], reference=ref[k],
                     atol=1e-10, why="float64 on both sides: differences are a few ulps of O(1e-2) numbers")  # fmt: skip

worst = max(max(e.values()) for e in checks.values())
parity.check("gradient check: max relative error (3 activations)", ours=worst, reference=0.0, atol=1e-6,
             why="central differences at ε=1e-6 are accurate to ~1e-9 relative; a bug gives >1e-2")  # fmt: skip

# %% [markdown]
# The same gradient from a third, independent route: the project's own reverse-mode engine
# (`mlweekly.deep_learning.Tensor`, lesson P1.13), which builds the graph at run time instead of
# following a hand-written derivation.

# %%
p = init_params((64, 100, 10), "tanh", random_state=0)
tp = {k: Tensor(v, requires_grad=True) for k, v in p.items()}
logP = ((Tensor(X) @ tp["W1"] + tp["b1"]).tanh() @ tp["W2"] + tp["b2"]).log_softmax(axis=1)
(-logP[np.arange(len(y)), y].mean()).backward()
hand = backward(p, forward(p, X, "tanh"), y, "tanh")
for k in ("W1", "b2"):
    parity.check(f"d{k} · digits batch (tanh) vs mlweekly Tensor autograd", ours=hand[k], reference=tp[k].grad,
                 atol=1e-12, why="both float64 NumPy; the engine sums the same products in another order")  # fmt: skip

# %% [markdown]
# ## The cost of backprop: about 2× the forward pass
#
# Timing the two passes on an MNIST-sized layer (784–256–10, batch 128, float64, one thread) and
# counting the multiply-adds of the matrix products:

# %%
Xm = np.random.default_rng(0).random((128, 784))
ym = np.random.default_rng(1).integers(0, 10, 128)
pm = init_params((784, 256, 10), "relu", random_state=0)


def best_time(fn, repeat=30):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


cm = forward(pm, Xm)
t_fwd = best_time(lambda: forward(pm, Xm))
t_bwd = best_time(lambda: backward(pm, cm, ym))
n_, d_, h_, K_ = 128, 784, 256, 10
flops = {"forward": n_ * d_ * h_ + n_ * h_ * K_, "backward": 2 * n_ * h_ * K_ + n_ * d_ * h_}
print(f"forward  {t_fwd * 1e3:.2f} ms  ({flops['forward'] / 1e6:.1f} M multiply-adds)")
print(f"backward {t_bwd * 1e3:.2f} ms  ({flops['backward'] / 1e6:.1f} M multiply-adds)")
print(
    f"backward / forward: time {t_bwd / t_fwd:.2f}, multiply-adds {flops['backward'] / flops['forward']:.2f}"
)
print(f"gradient (forward + backward) / forward: {(t_fwd + t_bwd) / t_fwd:.2f}")
print(f"finite differences would need {2 * sum(v.size for v in pm.values()):,} forward passes")

fig, ax = plt.subplots(figsize=(5, 3))
ax.bar(["forward", "backward"], [t_fwd * 1e3, t_bwd * 1e3], color=["C0", "C1"])
ax.set(ylabel="ms per batch", title="784–256–10, batch 128, float64")
plt.show()

# %% [markdown]
# The backward pass skips $\mathrm dX$, so for this shape it does about the same number of
# multiply-adds as the forward pass (the big product $X^\top \mathrm dZ_1$ replaces $XW_1$); for
# hidden layers, which *do* need $\mathrm dA$, it does two products per forward product. The measured
# time ratio is higher than the count of multiply-adds says: $X^\top \mathrm dZ_1$ contracts over the
# short batch axis (128) and runs less efficiently in BLAS than $XW_1$, and the element-wise work
# ($P - Y$, $f'(Z_1)$, the column sums) is memory-bound. A whole gradient costs **2–3 forward
# passes** — against the hundreds of thousands of forward passes that finite differences need (printed
# above). That asymmetry is what makes training large networks possible.

# %%
parity.table()
