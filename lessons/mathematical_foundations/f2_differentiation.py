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
# # F2 · Differentiation: finite differences and automatic differentiation
#
# Training a model means following a gradient, so every learning algorithm needs derivatives of a
# loss with respect to (often millions of) parameters. There are three ways to get them:
# **symbolic** (differentiate the formula by hand or with a CAS), **numerical** (finite
# differences) and **automatic** (apply the chain rule to the program, operation by operation).
# This lesson derives the error of finite differences, builds a reverse-mode automatic
# differentiation engine (`mlweekly.deep_learning.tensor`, the engine the deep-learning lessons
# train networks with) and checks both against `torch.autograd`.
#
# ## Derivatives, gradients, Jacobians
#
# For $f:\mathbb{R}\to\mathbb{R}$, $f'(x) = \lim_{h\to 0} \frac{f(x+h) - f(x)}{h}$. For
# $f:\mathbb{R}^n\to\mathbb{R}$ the **gradient** collects the partial derivatives,
# $\nabla f(x) = \bigl(\partial f/\partial x_1, \dots, \partial f/\partial x_n\bigr)$, and
# $f(x + h) = f(x) + \nabla f(x)^\top h + o(\lVert h\rVert)$. For $f:\mathbb{R}^n\to\mathbb{R}^m$ the
# **Jacobian** $J \in \mathbb{R}^{m\times n}$, $J_{ij} = \partial f_i/\partial x_j$, is the best linear
# approximation, and the **chain rule** says Jacobians multiply:
#
# $$f = g \circ h \quad\Longrightarrow\quad J_f(x) = J_g\bigl(h(x)\bigr)\, J_h(x).$$
#
# ## Finite differences and their error (Taylor)
#
# Expand $f$ around $x$: $f(x \pm h) = f(x) \pm h f'(x) + \tfrac{h^2}{2} f''(x) \pm \tfrac{h^3}{6}
# f'''(\xi_\pm)$. Then
#
# $$\underbrace{\frac{f(x+h) - f(x)}{h}}_{\text{forward}} = f'(x) + \frac{h}{2} f''(\xi), \qquad
# \underbrace{\frac{f(x+h) - f(x-h)}{2h}}_{\text{central}} = f'(x) + \frac{h^2}{6} f'''(\xi):$$
#
# the central difference cancels the even terms, so its **truncation error** is $O(h^2)$ instead
# of $O(h)$. Shrinking $h$ is not free: $f(x)$ is only known to a relative accuracy of about machine
# epsilon $\varepsilon = 2^{-52} \approx 2.2\cdot10^{-16}$, and dividing the difference of two
# rounded values by $h$ makes a **round-off error** of about $\varepsilon |f(x)| / h$. The total
#
# $$E_\text{fwd}(h) \approx \frac{h}{2}|f''| + \frac{\varepsilon |f|}{h}, \qquad
# E_\text{cen}(h) \approx \frac{h^2}{6}|f'''| + \frac{\varepsilon |f|}{h}$$
#
# is a V on a log-log plot. Setting the derivative in $h$ to zero gives the **optimal steps**
#
# $$h^*_\text{fwd} = \sqrt{\frac{2\varepsilon|f|}{|f''|}} \sim \sqrt{\varepsilon} \approx 1.5\cdot 10^{-8},
# \quad E^* \sim \sqrt{\varepsilon}; \qquad
# h^*_\text{cen} = \Bigl(\frac{3\varepsilon|f|}{|f'''|}\Bigr)^{1/3} \sim \varepsilon^{1/3} \approx 6\cdot10^{-6},
# \quad E^* \sim \varepsilon^{2/3}.$$
#
# So a forward difference keeps about 8 digits and a central one about 10–11, never 16. Without
# knowing $f''$ or $f'''$, `numerical_gradient` uses $h = \sqrt{\varepsilon}\max(1, |x|)$ (forward)
# and $h = \varepsilon^{1/3}\max(1, |x|)$ (central): the $\max(1,|x|)$ keeps $x + h \ne x$ for large
# $|x|$. It also takes the step actually representable, $h \leftarrow (x + h) - x$, which removes one
# rounding error for free.
#
# **Complex step.** If $f$ is analytic and written with operations that accept complex numbers,
# $f(x + ih) = f(x) + ih f'(x) - \tfrac{h^2}{2} f''(x) + O(h^3)$, so
# $f'(x) = \operatorname{Im} f(x+ih)/h + O(h^2)$ — with **no subtraction**, hence no cancellation:
# $h = 10^{-20}$ gives $f'$ to machine precision (Squire & Trapp, 1998). It fails for `abs`, `max`,
# comparisons and anything that discards the imaginary part.
#
# ## Symbolic, numerical, automatic
#
# | | what it differentiates | accuracy | cost of $\nabla f$, $f:\mathbb{R}^n\to\mathbb{R}$ |
# |---|---|---|---|
# | symbolic | the formula | exact | expression swell; no loops/branches |
# | finite differences | the function as a black box | $\sim\sqrt\varepsilon$ or $\varepsilon^{2/3}$ | $n+1$ or $2n$ calls of $f$ |
# | automatic (reverse) | the program, op by op | exact up to rounding | a small multiple of one call of $f$ |
#
# Automatic differentiation is neither of the others: it never builds a formula and never takes a
# step; it applies the chain rule numerically to the **computational graph** the program executes.
#
# ## Forward and reverse mode
#
# A program is a chain of elementary operations $x \to v_1 \to \dots \to v_k = f(x)$, and by the
# chain rule $J_f = J_k \cdots J_2 J_1$. The product can be evaluated from either end:
#
# * **forward mode** pushes a tangent $\dot v = J\,\dot x$ along with the values (right to left:
#   $J_k(\cdots(J_1 \dot x))$): one pass gives one **column** of $J$, i.e. one directional derivative.
#   A full gradient of $f:\mathbb{R}^n\to\mathbb{R}$ costs $n$ passes (like finite differences, but exact).
# * **reverse mode** first runs the program, keeps the intermediate values, then pulls an adjoint
#   $\bar v = \partial L/\partial v$ back (left to right: $((\bar y^\top J_k) \cdots) J_1$): one pass
#   gives one **row** of $J$ — the whole gradient of a scalar.
#
# Cost is proportional to the number of inputs for forward mode and to the number of **outputs**
# for reverse mode. A training loss has one output and millions of inputs (the parameters), so ML
# uses reverse mode ("backpropagation", Rumelhart, Hinton & Williams, 1986); its price is memory:
# the intermediates of the forward pass are kept until the backward pass has used them.
#
# ## The engine: one local rule per operation
#
# Reverse mode needs, for each operation $v = \phi(u_1, \dots)$, only its **vector–Jacobian product**
# $\bar u_i \mathrel{+}= \bar v^\top \partial \phi/\partial u_i$. In `Tensor` each operation records its
# inputs and that rule, named after the maths, e.g.
#
# ```python
# def tanh(self):
#     t = np.tanh(self.data)
#     return Tensor._result(t, (self,), lambda g: (g * (1 - t * t),), "tanh")
# ```
#
# $C = AB \Rightarrow \bar A = \bar C B^\top,\ \bar B = A^\top \bar C$; softmax
# $s \Rightarrow \bar z = s \odot (\bar s - \langle \bar s, s\rangle)$; log-softmax
# $\Rightarrow \bar z = \bar o - s \sum \bar o$; `sum` broadcasts $\bar v$ back; `max` routes it to the
# maxima. `backward()` then visits the graph once, in reverse topological order.
#
# ## The traps (each tested against torch in `tests/deep_learning/test_tensor.py`)
#
# 1. **A node used several times** gets the **sum** of the gradients of all its uses (multivariate
#    chain rule). A naive recursive backward that pushes a node's gradient as soon as one consumer
#    is done sends a partial sum on; visiting nodes in reverse topological order guarantees each
#    node has received every contribution before it passes its own on.
# 2. **Deep graphs.** A recursive topological sort overflows Python's stack (limit ~1000 frames) on a
#    10 000-step chain (an RNN over a long sequence, an unrolled optimiser). The sort here is an
#    iterative depth-first search with an explicit stack.
# 3. **Accumulation.** `.grad` of a leaf *accumulates* across `backward` calls (useful for gradient
#    accumulation over micro-batches) until `zero_grad()`; forgetting to zero is the classic
#    training-loop bug. Only leaves keep `.grad` (unless `retain_grad()`), as in torch.
# 4. **Broadcasting.** If $b$ of shape $(4,)$ was added to $X$ of shape $(3, 4)$, $\bar b$ must be
#    $\bar v$ summed over the broadcast axis, back to $(4,)$; every operand's gradient is summed back
#    to its own shape.
# 5. **Non-scalar outputs.** `backward()` needs a starting adjoint; it is implicitly 1 only for a
#    scalar, otherwise you must pass `grad=` of the output's shape (a vector–Jacobian product).
# 6. **Ties.** `max` is not differentiable where maxima tie; we follow `torch.amax` and split the
#    gradient equally between them (`torch.max(x, dim)` routes it all to one index instead).
# 7. **Numerical stability.** softmax/log-softmax subtract the row maximum before `exp`
#    (no overflow at logits of 1000); sigmoid is `scipy.special.expit`; GELU is exact
#    ($x\Phi(x)$ via the normal CDF) or torch's tanh approximation.
# 8. **`no_grad()`** builds no graph (inference, optimiser updates).
#
# Unlike torch, the graph is kept after `backward` (torch frees it unless `retain_graph=True`), so a
# second `backward` on the same output accumulates again instead of raising.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from sklearn.preprocessing import StandardScaler

from mlweekly import datasets, parity
from mlweekly.deep_learning.tensor import Tensor, no_grad, stack
from mlweekly.mathematical_foundations.differentiation import (
    default_step,
    numerical_gradient,
    numerical_jacobian,
)
from mlweekly.ml_algorithms import LogisticRegression
from mlweekly.ml_algorithms._logistic_loss import BinaryLogLoss, MultinomialLogLoss

torch.set_num_threads(1)  # small tensors: threads only add overhead on a shared machine
EPS = np.finfo(np.float64).eps

# %% [markdown]
# ## Demo 1 · error against step size: the V
#
# Left: $f(x) = e^x \sin x$ at $x = 1$, where $f'$, $f''$, $f'''$ are known, with the model error
# curves from the Taylor analysis (dashed). Right: a real loss, the $L_2$-penalised logistic loss on
# the standardised breast-cancer data, differentiated along one coefficient and compared with its
# analytic gradient $X^\top(p - y)/n + \lambda\theta$ (`BinaryLogLoss` from P1.02).

# %%
X_bc, y_bc = datasets.load_xy("breast_cancer")
Xt_bc = np.hstack([StandardScaler().fit_transform(X_bc), np.ones((len(y_bc), 1))])  # intercept last
n_bc, p_bc = Xt_bc.shape
bc_loss = BinaryLogLoss(Xt_bc, y_bc, np.ones(n_bc), penalty_strength=1.0, fit_intercept=True)
theta_bc = np.random.default_rng(0).normal(scale=0.1, size=p_bc)
bc_value, bc_grad = bc_loss.value_grad(theta_bc)


def f(x):
    return np.exp(x) * np.sin(x)


x0 = 1.0
d1, d2, d3 = np.exp(x0) * (np.sin(x0) + np.cos(x0)), 2 * np.exp(x0) * np.cos(x0), 2 * np.exp(x0) * (np.cos(x0) - np.sin(x0))
steps = np.logspace(-15, -0.5, 80)
j = 0  # the coordinate (first feature's coefficient) for the real loss


def along_j(t):
    theta = theta_bc.astype(t.dtype if np.iscomplexobj(t) else float).copy()
    theta[j] = t
    return bc_loss.value(theta)


fig, axes = plt.subplots(1, 2, figsize=(13, 4.8), constrained_layout=True)
for ax, fun, x, true, title in [
    (axes[0], f, x0, d1, r"$f(x)=e^x\sin x$ at $x=1$"),
    (axes[1], along_j, theta_bc[j], bc_grad[j], r"breast-cancer log-loss, $\partial/\partial\theta_1$"),
]:
    for method, style in [("forward", "C0"), ("central", "C1")]:
        err = [abs(numerical_gradient(fun, x, eps=h, method=method) - true) for h in steps]
        ax.loglog(steps, np.maximum(err, 1e-18), style, marker=".", lw=1, label=method)
        h_star = float(default_step(np.array(x), method))
        ax.axvline(h_star, color=style, ls=":", lw=1)
    ax.set(xlabel="step $h$", ylabel="|error of the derivative|", title=title, ylim=(1e-18, 1e1))
axes[0].loglog(steps, steps / 2 * abs(d2) + EPS * abs(f(x0)) / steps, "C0--", lw=0.8, label=r"$\frac{h}{2}|f''| + \varepsilon|f|/h$")
axes[0].loglog(steps, steps**2 / 6 * abs(d3) + EPS * abs(f(x0)) / steps, "C1--", lw=0.8, label=r"$\frac{h^2}{6}|f'''| + \varepsilon|f|/h$")
err_cs = abs(numerical_gradient(f, x0, method="complex") - d1)
axes[0].axhline(max(err_cs, 1e-17), color="C2", label=f"complex step, $h=10^{{-20}}$: error {err_cs:.1e}")
for ax in axes:
    ax.legend(fontsize=8)
plt.show()
print(f"default steps: forward {default_step(np.array(1.0), 'forward'):.2e}, central {default_step(np.array(1.0), 'central'):.2e}")

# %% [markdown]
# Both panels show the V: to the right of the dotted default steps the truncation error dominates
# (slope 1 for forward, 2 for central), to the left round-off ($\propto 1/h$, slope −1). The
# truncation model sits on the measured errors and the round-off model bounds them from above
# (individual rounding errors partly cancel); the best central difference is about $10^{3}$ times more
# accurate than the best forward one, and the complex step is exact to the last bit. On the real loss
# the curves are noisier (the loss sums 569 rounded terms) but the shape and the optimum are the same.
#
# ## Demo 2 · a computational graph and its gradient flow
#
# $L = \tanh(z)^2 + z$ with $z = w x + b$: $z$ is used twice, so $\bar z = 2\tanh(z)(1-\tanh^2 z) + 1$
# is the **sum** of two paths. `retain_grad()` keeps the adjoints of the intermediate nodes so we can
# print the whole table; the drawing places each node right of its inputs.

# %%
x, w, b = Tensor(2.0, requires_grad=True), Tensor(-0.5, requires_grad=True), Tensor(0.3, requires_grad=True)
a = w * x
z = a + b
h = z.tanh()
L = h * h + z
names = {id(x): "x", id(w): "w", id(b): "b", id(a): "a = w·x", id(z): "z = a + b", id(h): "h = tanh z", id(L): "L"}
order = L._topological_order()  # every node after its inputs
for node in order:
    names.setdefault(id(node), "h·h")  # the one unnamed node
    node.retain_grad()
L.backward()
table = pd.DataFrame(
    [{"node": names[id(v)], "op": v._op or "leaf", "value": v.item(), "∂L/∂node": float(v.grad) if v.grad is not None else np.nan} for v in order]
)
display_table = table.round(6)
print(display_table.to_string(index=False))

# hand-placed layout: inputs left, output right; the reused z feeds h and L
pos = {id(x): (0, 0.6), id(w): (0, -0.6), id(a): (1, 0), id(b): (1, -1.3), id(z): (2, -0.6), id(h): (3, 0)}
pos.update({id(n): (4, 0) for n in order if names[id(n)] == "h·h"} | {id(L): (5, -0.6)})
fig, ax = plt.subplots(figsize=(12, 3.8))
for v in order:
    for k, p in enumerate(v._parents):
        bend = 0.35 if k and p is v._parents[0] else 0.0  # h·h uses h twice: draw both edges
        ax.annotate("", xy=pos[id(v)], xytext=pos[id(p)], arrowprops={"arrowstyle": "->", "color": "0.4", "shrinkA": 32,
                    "shrinkB": 32, "connectionstyle": f"arc3,rad={bend}"})
    ax.text(*pos[id(v)], f"{names[id(v)]}\nvalue {v.item():.3f}\n∂L = {float(v.grad):.3f}", ha="center", va="center",
            fontsize=8, bbox={"boxstyle": "round", "fc": "lightyellow"})
ax.set(xlim=(-0.5, 5.5), ylim=(-1.8, 1.1), title="forward values and backward adjoints (∂L/∂node)")
ax.axis("off")
plt.show()
tz = np.tanh(z.item())
print("∂L/∂z by hand, two paths summed:", 2 * tz * (1 - tz**2) + 1, "  engine:", float(z.grad))

# %% [markdown]
# ## Demo 3 · the traps, live

# %%
# 1. reuse: y = x·x·x uses x three times
t = Tensor(3.0, requires_grad=True)
(t * t * t).backward()
print("d(x³)/dx at 3:", t.grad, "(27 expected)")
# 2. depth: a chain of 20 000 operations
t = Tensor(0.5, requires_grad=True)
y = t
for _ in range(20_000):
    y = y * 0.9999 + 0.001
y.backward()
print("20 000-op chain: grad", t.grad, " expected", 0.9999**20_000)
# 3. accumulation until zero_grad
t = Tensor([1.0, 2.0], requires_grad=True)
(t * t).sum().backward()
(t * t).sum().backward()
print("two backward passes accumulate:", t.grad, end="; ")
t.zero_grad()
(t * t).sum().backward()
print("after zero_grad:", t.grad)
# 4. broadcasting: bias of shape (4,) added to a (3, 4) batch
bias = Tensor(np.zeros(4), requires_grad=True)
(Tensor(np.ones((3, 4))) + bias).sum().backward()
print("bias grad summed over the batch axis:", bias.grad)
# 5. non-scalar backward
try:
    (Tensor([1.0, 2.0], requires_grad=True) * 2).backward()
except RuntimeError as err:
    print("RuntimeError:", err)
# 6. ties in max: the gradient is shared
t = Tensor([1.0, 3.0, 3.0], requires_grad=True)
t.max().backward()
print("max with a tie:", t.grad)
# 7. stability: logits of 1000
print("log_softmax([1000, 1001, 1002]):", Tensor([1000.0, 1001.0, 1002.0]).log_softmax().data)
# 8. no_grad
with no_grad():
    print("inside no_grad, requires_grad of the result:", (Tensor([1.0], requires_grad=True) * 2).requires_grad)

# %% [markdown]
# ## Demo 4 · real data: logistic regression trained with autograd gradients
#
# The breast-cancer loss above written with `Tensor` operations only — $\log\sigma(z) =
# \operatorname{log\_softmax}([0, z])_1$, a stable form — and minimised by plain gradient descent with
# step $1/L$, $L$ the Lipschitz constant of the gradient. The gap to the exact optimum (Newton, P1.02)
# shrinks only slowly: the 30 breast-cancer features are strongly correlated, so the loss is badly
# conditioned ($L/\mu$ is large, $\mu \ge \lambda$ its strong-convexity constant) and plain gradient
# descent crawls along the narrow valley — the subject of lesson F3. The gradients themselves are
# exact (see the parity checks); what is slow is the method that uses them. Finite differences would need
# $2 \times 31$ loss evaluations per step; reverse mode needs one forward and one backward pass. On
# digits (650 parameters) the gap is 1 300 evaluations against one backward pass.

# %%
rows_bc = np.arange(n_bc)
lam_bc = bc_loss.lam


def binary_loss_autograd(theta_np):
    """Value and gradient of the penalised binary log-loss through the engine."""
    theta = Tensor(theta_np, requires_grad=True)
    z = Tensor(Xt_bc) @ theta
    log_p = stack([Tensor(np.zeros(n_bc)), z], axis=1).log_softmax(axis=1)  # columns: log σ(-z), log σ(z)
    loss = -log_p[rows_bc, y_bc].mean() + 0.5 * (lam_bc * theta * theta).sum()
    loss.backward()
    return loss.item(), theta.grad


theta, lr = np.zeros(p_bc), 1.0 / bc_loss.lipschitz()
history = []
for _ in range(300):
    value, grad = binary_loss_autograd(theta)
    history.append(value)
    theta -= lr * grad
accuracy = np.mean((Xt_bc @ theta > 0) == y_bc)
# the exact optimum of the same objective (C = 1 ⇔ penalty_strength 1), by Newton's method (P1.02)
newton = LogisticRegression(C=1.0, tol=1e-12).fit(Xt_bc[:, :-1], y_bc)
best = bc_loss.value(np.append(newton.coef_.ravel(), newton.intercept_))
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(np.array(history) - best)
ax.set(xlabel="gradient-descent step", ylabel=r"$f(\theta_k) - f(\theta^*)$", title="breast cancer, autograd gradient, step 1/L")
plt.show()
print(f"final loss {history[-1]:.6f} (optimum {best:.6f}), training accuracy {accuracy:.4f}, "
      f"condition bound L/λ = {bc_loss.lipschitz() / lam_bc[0]:.0f}")

X_dg, y_dg = datasets.load_xy("digits")
Xt_dg = np.hstack([StandardScaler().fit_transform(X_dg), np.ones((len(y_dg), 1))])
n_dg, p_dg = Xt_dg.shape
K = 10
dg_loss = MultinomialLogLoss(Xt_dg, y_dg, K, np.ones(n_dg), penalty_strength=1.0, fit_intercept=True)
theta_dg = np.random.default_rng(1).normal(scale=0.05, size=K * p_dg)


def multinomial_loss_autograd(theta_np):
    Theta = Tensor(theta_np.reshape(K, p_dg), requires_grad=True)
    log_p = (Tensor(Xt_dg) @ Theta.T).log_softmax(axis=1)
    loss = -log_p[np.arange(n_dg), y_dg].mean() + 0.5 * (dg_loss.lam.reshape(K, p_dg) * Theta * Theta).sum()
    loss.backward()
    return loss.item(), Theta.grad.ravel()


start = time.perf_counter()
multinomial_loss_autograd(theta_dg)
t_auto = time.perf_counter() - start
start = time.perf_counter()
numerical_gradient(lambda head: dg_loss.value(np.concatenate([head, theta_dg[65:]])), theta_dg[:65])  # 65 of 650
t_fd = (time.perf_counter() - start) * 10
print(f"digits, 650 parameters: reverse mode {t_auto * 1e3:.1f} ms; central differences ≈ {t_fd * 1e3:.0f} ms (extrapolated)")

# %% [markdown]
# ## Parity checks
#
# **Autograd against torch.autograd on random compositions.** A small random-program generator
# applies random elementwise, broadcasting and reduction operations to four leaves of shapes
# $(4,5), (5,), (1,5), (4,1)$, reusing earlier values at random, and runs the same program in both
# engines (float64). Every leaf's gradient must agree to $10^{-10}$ relative: both evaluate the same
# local derivatives, so only rounding in a different order separates them.

# %%
UNARY = {
    "tanh": (lambda v: v.tanh(), torch.tanh),
    "sigmoid": (lambda v: v.sigmoid(), torch.sigmoid),
    "gelu": (lambda v: v.gelu(), F.gelu),
    "gelu_tanh": (lambda v: v.gelu("tanh"), lambda v: F.gelu(v, approximate="tanh")),
    "exp_tanh": (lambda v: v.tanh().exp(), lambda v: v.tanh().exp()),
    "log1p_sq": (lambda v: (v * v + 1).log(), lambda v: (v * v + 1).log()),
    "softmax": (lambda v: v.softmax(axis=0), lambda v: v.softmax(0)),
    "log_softmax": (lambda v: v.log_softmax(axis=-1), lambda v: v.log_softmax(-1)),
    "max": (lambda v: v.max(axis=-1, keepdims=True), lambda v: v.amax(-1, keepdim=True)),
    "mean": (lambda v: v.mean(axis=0, keepdims=True), lambda v: v.mean(0, keepdim=True)),
}
BINARY = {
    "add": (lambda u, v: u + v,) * 2,
    "mul": (lambda u, v: u * v,) * 2,
    "sub": (lambda u, v: u - v,) * 2,
    "div": (lambda u, v: u / (v * v + 1),) * 2,
}


def random_program(seed, n_leaves=4, n_steps=15):
    r = np.random.default_rng(seed)
    steps = []
    for k in range(n_steps):
        pool = n_leaves + k
        if r.random() < 0.5:
            steps.append((str(r.choice(sorted(UNARY))), int(r.integers(pool)), None))
        else:
            steps.append((str(r.choice(sorted(BINARY))), int(r.integers(pool)), int(r.integers(pool))))
    return steps


def run_program(steps, leaves, engine):
    pool = list(leaves)
    for op, i, k in steps:
        pool.append(UNARY[op][engine](pool[i]) if k is None else BINARY[op][engine](pool[i], pool[k]))
    return pool[-1].sum() + pool[-2].mean()


def random_graph_grads(seed):
    r = np.random.default_rng(seed)
    arrays = [r.normal(size=s) for s in [(4, 5), (5,), (1, 5), (4, 1)]]
    steps = random_program(seed)
    ours = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    ref = [torch.tensor(a, requires_grad=True) for a in arrays]
    run_program(steps, ours, 0).backward()
    run_program(steps, ref, 1).backward()
    # a leaf the output does not reach has no gradient in either engine: count it as zeros
    ours_g = [np.zeros(a.shape) if t.grad is None else t.grad for a, t in zip(arrays, ours, strict=True)]
    ref_g = [np.zeros(a.shape) if t.grad is None else t.grad.numpy() for a, t in zip(arrays, ref, strict=True)]
    return np.concatenate([g.ravel() for g in ours_g]), np.concatenate([g.ravel() for g in ref_g])


for seed in range(5):
    ours_g, ref_g = random_graph_grads(seed)
    parity.check(f"autograd vs torch.autograd · random graph, seed {seed}", ours=ours_g, reference=ref_g, rtol=1e-10, atol=1e-12,
                 why="same local derivatives in float64; only the order of rounding differs")

# %% [markdown]
# **Finite differences against autograd, tolerance from the error analysis.** On the breast-cancer
# loss the bound is truncation + round-off per coordinate: $|\partial^3_j f| \le
# \max|\sigma''| \cdot \overline{|x_j|^3}$ with $\max|\sigma''| = 1/(6\sqrt3)$, and the loss (a mean of
# $n$ rounded terms, each $O(|f|)$) carries a rounding error of at most a few $\varepsilon$ times the
# mean absolute term; we allow $n\varepsilon$ times it, the worst case of naive summation, divided by
# $h$. Forward differences use $\max|\sigma'| = 1/4$ times $\overline{x_j^2}$ for $|f''|$.

# %%
z_bc = Xt_bc @ theta_bc
abs_terms = np.mean(np.logaddexp(0, z_bc) + np.abs(z_bc)) + bc_loss._penalty(theta_bc)  # size of what is summed
x3, x2 = np.mean(np.abs(Xt_bc) ** 3, axis=0), np.mean(Xt_bc**2, axis=0)
_, auto_grad = binary_loss_autograd(theta_bc)
for method, trunc, n_rounded in [
    # central: |f'''| <= max|σ''|·mean|x_j|^3, error (δ₊ + δ₋)/2h; forward: |f''| <= mean x_j^2/4 + λ_j, (δ₊ + δ₀)/h
    ("central", lambda h: h**2 / 6 * x3 / (6 * np.sqrt(3)), 1),
    ("forward", lambda h: h / 2 * (0.25 * x2 + lam_bc), 2),
]:
    h = default_step(theta_bc, method)
    bound = trunc(h) + n_rounded * n_bc * EPS * abs_terms / h
    parity.check(f"numerical_gradient ({method}) vs autograd · breast-cancer loss", ours=numerical_gradient(bc_loss.value, theta_bc, method=method),
                 reference=auto_grad, atol=float(bound.max()), why=f"Taylor truncation + round-off bound, max {bound.max():.1e}")

# %% [markdown]
# **`numerical_jacobian` against `torch.autograd.functional.jacobian`.** The map
# $x \mapsto \operatorname{softmax}(\Theta x)$ from a digit image ($64$ pixels, standardised) to ten
# class probabilities; its Jacobian is $10\times64$. Central differences: error $\lesssim
# \varepsilon^{2/3} \approx 4\cdot10^{-11}$ times the size of the derivatives (here $\le 1$), so
# $10^{-9}$ absolute; the complex step has no cancellation and gets $10^{-14}$.

# %%
Theta_dg = theta_dg.reshape(K, p_dg)[:, :64]
x_img = Xt_dg[0, :64]


def probs_np(v):
    s = Theta_dg @ v
    e = np.exp(s - s.real.max())
    return e / e.sum()


J_torch = torch.autograd.functional.jacobian(lambda v: torch.softmax(torch.from_numpy(Theta_dg) @ v, 0), torch.tensor(x_img)).numpy()
parity.check("numerical_jacobian (central) vs torch jacobian · softmax on digits", ours=lambda: numerical_jacobian(probs_np, x_img),
             reference=J_torch, atol=1e-9, why="central-difference error ~ ε^(2/3)·|J| ≈ 4e-11")
parity.check("numerical_jacobian (complex step) vs torch jacobian", ours=numerical_jacobian(probs_np, x_img, method="complex"),
             reference=J_torch, atol=1e-14, why="no subtraction, no cancellation: machine precision")

# %% [markdown]
# **A real model loss against its analytic gradient.** The autograd gradient of the penalised
# logistic loss (breast cancer) and of the multinomial loss (digits, 650 parameters) against the
# hand-derived $X^\top(p-y)/n + \lambda\theta$ in `mlweekly.ml_algorithms._logistic_loss` (lesson P1.02),
# at a random $\theta$, and the value of the loss. Both are exact formulas evaluated in float64:
# $10^{-10}$ relative. The time ratio compares our engine with the hand-written gradient.

# %%
parity.check("log-loss gradient, autograd vs analytic · breast_cancer", ours=lambda: binary_loss_autograd(theta_bc)[1],
             reference=lambda: bc_loss.value_grad(theta_bc)[1], rtol=1e-10, atol=1e-13, repeat=5,
             why="same formula, float64; log σ via log_softmax vs log_expit")
parity.check("log-loss value, autograd vs analytic · breast_cancer", ours=binary_loss_autograd(theta_bc)[0],
             reference=bc_loss.value(theta_bc), rtol=1e-12, why="same sum in float64")
parity.check("softmax-loss gradient, autograd vs analytic · digits", ours=lambda: multinomial_loss_autograd(theta_dg)[1],
             reference=lambda: dg_loss.value_grad(theta_dg)[1], rtol=1e-10, atol=1e-13, repeat=3,
             why="same formula, float64")


def binary_loss_torch(theta_np):
    theta = torch.tensor(theta_np, requires_grad=True)
    z = torch.from_numpy(Xt_bc) @ theta
    loss = F.binary_cross_entropy_with_logits(z, torch.from_numpy(y_bc.astype(float))) + 0.5 * (torch.from_numpy(lam_bc) * theta**2).sum()
    loss.backward()
    return theta.grad.numpy()


parity.check("log-loss gradient, autograd vs torch.autograd · breast_cancer", ours=lambda: binary_loss_autograd(theta_bc)[1],
             reference=lambda: binary_loss_torch(theta_bc), rtol=1e-10, atol=1e-13, repeat=5, why="float64 both sides")

# %% [markdown]
# ## References
#
# * A. Griewank, A. Walther, *Evaluating Derivatives: Principles and Techniques of Algorithmic
#   Differentiation*, 2nd ed. (SIAM, 2008) — forward and reverse mode, cost bounds.
# * A. G. Baydin, B. A. Pearlmutter, A. A. Radul, J. M. Siskind, "Automatic differentiation in machine
#   learning: a survey", *JMLR* 18 (2018).
# * J. Nocedal, S. J. Wright, *Numerical Optimization*, 2nd ed. (2006), §8.1 (finite differences and
#   their optimal steps).
# * W. Squire, G. Trapp, "Using complex variables to estimate derivatives of real functions",
#   *SIAM Review* 40 (1998).
# * D. E. Rumelhart, G. E. Hinton, R. J. Williams, "Learning representations by back-propagating
#   errors", *Nature* 323 (1986).
# * A. Karpathy, *micrograd* (2020) — the scalar engine this one generalises to arrays;
#   A. Paszke et al., "Automatic differentiation in PyTorch" (2017).

# %%
parity.table()
