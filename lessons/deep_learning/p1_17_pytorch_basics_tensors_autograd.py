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
# # P1.17 · PyTorch basics: tensors, autograd, modules, optimisers
#
# We built a reverse-mode autograd engine over NumPy (`mlweekly.deep_learning.Tensor`). PyTorch is
# the same idea, industrial: an n-dimensional array type with a *dtype* and a *device*, a recorded
# graph of the operations applied to it, `backward()` to differentiate, `nn.Module` to hold
# parameters and `torch.optim` to update them. This lesson walks through each piece, then trains the
# **same tiny network on the same data from the same initial weights** in our engine and in
# PyTorch and checks that losses, gradients and trained weights agree to $10^{-10}$.
#
# ## Tensors
#
# A `torch.Tensor` is a typed view on a block of memory (its *storage*): a data pointer, a shape,
# **strides** (how many elements to skip per step along each axis) and an offset. Element
# $(i_0, \dots, i_{d-1})$ lives at $\text{offset} + \sum_k i_k \cdot \text{stride}_k$. Consequences:
#
# * **Views share memory.** `t.view(...)`, `t[1:]`, `t.T`, `t.transpose(...)`, `t.unsqueeze(...)`
#   only change shape/strides/offset — writing through a view changes the original. `reshape`
#   returns a view when the strides allow it and a copy otherwise; `clone()` always copies;
#   `contiguous()` copies a non-contiguous tensor (e.g. a transpose) into row-major order.
# * **dtype.** `torch.tensor([1.0])` is `float32` (the default dtype), unlike NumPy's `float64`;
#   integer data stays `int64`. Deep learning trains in float32 (or lower) for speed; parity checks
#   use float64 so that $10^{-10}$ is a fair tolerance.
# * **device.** `"cpu"`, `"cuda"`, `"mps"`: operands of one operation must live on the same device,
#   and `t.to(device)` copies across.
# * **NumPy interop.** `torch.from_numpy(a)` and `t.numpy()` share memory (CPU only), whereas
#   `torch.tensor(a)` copies.
# * **Broadcasting** follows NumPy's rule: align shapes on the right; two sizes are compatible if
#   equal or one of them is 1, which is stretched (without copying: stride 0).
#
# ## Autograd
#
# A tensor created with `requires_grad=True` is a **leaf**; every operation on it records a node
# (`grad_fn`) holding what its backward needs. `loss.backward()` walks the graph in reverse
# topological order and applies the chain rule as **vector–Jacobian products**: for $y = f(x)$ and an
# upstream gradient $\bar y = \partial L/\partial y$,
# $$\bar x = \bar y^\top \frac{\partial y}{\partial x},$$
# summed over every path to $x$. Only leaves keep their `.grad` (like ours). Rules worth knowing:
#
# * `backward()` without an argument works only for a scalar (the seed $\partial L/\partial L = 1$);
#   for a non-scalar $y$ pass the upstream vector, `y.backward(v)`, which computes $v^\top J$.
# * Gradients **accumulate**: a second `backward()` *adds* to `.grad`. That is what makes
#   gradient accumulation over several micro-batches possible, and why every training step starts
#   with `optimizer.zero_grad()` (which sets `.grad = None` in torch ≥ 2).
# * `torch.no_grad()` switches recording off (evaluation, parameter updates);
#   `t.detach()` returns a tensor sharing the data but cut out of the graph: gradients do not flow
#   through it (targets in TD learning, the "stop-gradient" of many tricks).
# * The graph is **dynamic** (define-by-run): it is rebuilt at every forward pass, so Python control
#   flow is allowed, and freed after `backward()` unless `retain_graph=True`.
#
# ## `nn.Module` and optimisers
#
# An `nn.Module` registers every `nn.Parameter` (a tensor with `requires_grad=True`) and sub-module
# assigned as an attribute; `parameters()` iterates over them, `state_dict()` names them,
# `train()`/`eval()` switch layers such as dropout. An optimiser holds references to the parameters
# and implements one update rule in `step()`; plain gradient descent is
# $\theta \leftarrow \theta - \eta \nabla_\theta L$.
#
# ## Pitfalls
#
# * **In-place writes to a view** change the base tensor; an in-place change to a tensor that
#   autograd saved for backward raises "one of the variables needed for gradient computation has
#   been modified by an inplace operation".
# * **`from_numpy` aliasing**: modifying the NumPy array changes the tensor (and vice versa).
# * **float32 vs float64**: mixing them raises an error for matmul (`expected scalar type`); a model
#   built in float32 and data in float64 is the usual cause.
# * **Updating parameters outside `no_grad()`** records the update in the graph (and fails on a
#   leaf with "a leaf Variable that requires grad is being used in an in-place operation").
# * **`.item()` / `.numpy()` in the training loop** force a synchronisation on a GPU; log sparingly.
#
# ## References
#
# * A. Paszke et al., "PyTorch: an imperative style, high-performance deep learning library",
#   NeurIPS 2019; PyTorch docs: "Tensors", "Autograd mechanics", "Broadcasting semantics".
# * A. G. Baydin, B. A. Pearlmutter, A. A. Radul, J. M. Siskind, "Automatic differentiation in
#   machine learning: a survey", *JMLR* 18 (2018).
# * A. Karpathy, *micrograd* (2020) — the scalar engine our Tensor generalises.
# * I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning* (2016), §6.5 (back-propagation).

# %%
import inspect
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.preprocessing import StandardScaler

from mlweekly import datasets, parity
from mlweekly.deep_learning import Tensor, nn, no_grad, optim
from mlweekly.deep_learning.torch_models import TorchMLP, count_parameters

torch.set_num_threads(1)  # tiny problems on two shared cores
LESSON_START = time.perf_counter()

# %% [markdown]
# ## Tensors: creation, dtype, device

# %%
a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(a.dtype, a.shape, a.device, "| default dtype:", torch.get_default_dtype())
print(torch.tensor([1, 2]).dtype, torch.zeros(2, 3, dtype=torch.float64).dtype, torch.arange(5), torch.linspace(0, 1, 3))
g = torch.Generator().manual_seed(0)  # a private, seeded random stream
print(torch.randn(2, 3, generator=g))
device = "cuda" if torch.cuda.is_available() else "cpu"
print("device for this lesson:", device, "| a.to(device) ->", a.to(device).device)

# %% [markdown]
# ### Broadcasting (the NumPy rule)

# %%
col, row = torch.arange(3.0).reshape(3, 1), torch.arange(4.0)
print((col + row).shape, "=", tuple(col.shape), "+", tuple(row.shape))
print("stride 0 when expanded (no copy):", row.expand(3, 4).stride())
try:
    torch.ones(3, 2) + torch.ones(3)
except RuntimeError as err:
    print("(3, 2) + (3,):", str(err).splitlines()[0])

# %% [markdown]
# ### Views and copies

# %%
base = torch.arange(6.0)
v = base.view(2, 3)
v[0, 0] = 100.0  # writes through the view
t = v.T  # transpose: a view with swapped strides, no longer contiguous
print("base after writing v[0,0]:", base.tolist())
print("v strides", v.stride(), "| v.T strides", t.stride(), "contiguous?", t.is_contiguous())
print("same storage: v", v.data_ptr() == base.data_ptr(), "| v.T", t.data_ptr() == base.data_ptr(),
      "| v.T.contiguous()", t.contiguous().data_ptr() == base.data_ptr(), "| clone", base.clone().data_ptr() == base.data_ptr())
try:
    t.view(6)
except RuntimeError as err:
    print("v.T.view(6) fails:", str(err).split(".")[0], "-> reshape copies:", t.reshape(6).tolist())

# %% [markdown]
# ### NumPy interop: `from_numpy` shares, `tensor` copies

# %%
arr = np.zeros(3)
shared, copied = torch.from_numpy(arr), torch.tensor(arr)
arr[0] = 7.0
print("from_numpy:", shared.tolist(), shared.dtype, "| torch.tensor:", copied.tolist())
back = shared.numpy()
back[1] = 8.0
print("t.numpy() shares too:", arr.tolist())

# %% [markdown]
# ## Autograd, side by side with our engine
#
# $f(x) = \sum_i x_i^2$ has $\nabla f = 2x$. Then the accumulation rule, `no_grad`
# and `detach` — our `Tensor` follows the same contract (leaf-only `.grad`, accumulation until
# zeroed), so each line has its twin.

# %%
x_np = np.array([1.0, -2.0, 3.0])
xt = torch.tensor(x_np, requires_grad=True)
xo = Tensor(x_np, requires_grad=True)
for x in (xt, xo):
    (x**2).sum().backward()
print("grad of Σx² (torch, ours):", xt.grad.tolist(), xo.grad.tolist())
for x in (xt, xo):
    (x**2).sum().backward()  # a second backward ADDS
print("after a second backward:  ", xt.grad.tolist(), xo.grad.tolist())
accumulated = (xt.grad.numpy().copy(), xo.grad.copy())
xt.grad = None
xo.zero_grad()
with torch.no_grad():
    print("inside no_grad, (x*2).requires_grad:", (xt * 2).requires_grad, end=" | ")
with no_grad():
    print("ours:", (xo * 2).requires_grad)
# detach: d/dx [x * stop(x)] = stop(x) = x, not 2x
for x in (xt, xo):
    (x * x.detach()).sum().backward()
print("grad of Σ x·detach(x):    ", xt.grad.tolist(), xo.grad.tolist())
print("grad_fn of a torch result:", (xt * 2).grad_fn, "| leaf?", xt.is_leaf, (xt * 2).is_leaf)

# %% [markdown]
# Non-scalar outputs need the upstream vector: `y.backward(v)` computes $v^\top J$.

# %%
y = torch.tensor([1.0, 2.0], requires_grad=True)
out = torch.stack([y[0] * y[1], y[0] + 3 * y[1]])  # J = [[y1, y0], [1, 3]]
try:
    out.backward()
except RuntimeError as err:
    print("out.backward():", err)
out.backward(torch.tensor([1.0, 10.0]))
print("vᵀJ with v = (1, 10):", y.grad.tolist(), "= [1·2 + 10·1, 1·1 + 10·3]")

# %% [markdown]
# ## `nn.Module` and an optimiser step
#
# `TorchMLP` (from `mlweekly.deep_learning.torch_models`, used again in P1.18) is an ordinary
# module; its parameters are registered by assigning layers as attributes. A hand-made module needs
# nothing more than `__init__` and `forward`:

# %%
print(inspect.getsource(TorchMLP.__init__))
mlp = TorchMLP(in_features=4, n_classes=3, hidden=(5,))
print({name: tuple(p.shape) for name, p in mlp.state_dict().items()}, "->", count_parameters(mlp), "parameters")


class Affine(torch.nn.Module):
    """z = x·w + b, the smallest module: two registered parameters."""

    def __init__(self, n):
        super().__init__()
        self.w = torch.nn.Parameter(torch.zeros(n))
        self.b = torch.nn.Parameter(torch.zeros(()))

    def forward(self, x):
        return x @ self.w + self.b


print([name for name, _ in Affine(3).named_parameters()])

# %% [markdown]
# ## The same tiny problem in our engine and in PyTorch
#
# Breast cancer (569 tumours, 30 standardised features, benign = 1), a 30-8-1 network with a tanh
# hidden layer, the mean binary cross-entropy of the logits
# $\bar\ell = \frac1n \sum_i \bigl[\max(z_i,0) - z_i y_i + \log(1+e^{-|z_i|})\bigr]$ and **plain
# gradient descent written by hand on both sides**, $\theta \leftarrow \theta - \eta\nabla\bar\ell$,
# $\eta = 0.5$, 300 steps, float64, identical initial weights (drawn once with NumPy and copied).

# %%
X_raw, y_bc = datasets.load_xy("breast_cancer")
X_bc = StandardScaler().fit_transform(X_raw)
rng = np.random.default_rng(0)
init = {"W1": rng.normal(scale=1 / np.sqrt(30), size=(8, 30)), "b1": np.zeros(8),
        "W2": rng.normal(scale=1 / np.sqrt(8), size=(1, 8)), "b2": np.zeros(1)}
LR, STEPS = 0.5, 300


def forward(p, X, tanh):
    """Logits of the 30-8-1 network; ``tanh`` is the library's (works for both tensor types)."""
    return (tanh(X @ p["W1"].T + p["b1"]) @ p["W2"].T + p["b2"]).reshape(-1)


def train_ours(steps=STEPS):
    p = {k: Tensor(v.copy(), requires_grad=True) for k, v in init.items()}
    X, y, losses, grads0 = Tensor(X_bc), Tensor(y_bc), [], None
    for _ in range(steps):
        loss = nn.binary_cross_entropy_with_logits(forward(p, X, Tensor.tanh), y)
        loss.backward()
        losses.append(loss.item())
        grads0 = grads0 or {k: t.grad.copy() for k, t in p.items()}
        for t in p.values():  # hand-written gradient descent
            t.data -= LR * t.grad
            t.zero_grad()
    return {k: t.data for k, t in p.items()}, np.array(losses), grads0


def train_torch(steps=STEPS):
    p = {k: torch.tensor(v, requires_grad=True) for k, v in init.items()}
    X, y, losses, grads0 = torch.from_numpy(X_bc), torch.from_numpy(y_bc.astype(np.float64)), [], None
    for _ in range(steps):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(forward(p, X, torch.tanh), y)
        loss.backward()
        losses.append(loss.item())
        grads0 = grads0 or {k: t.grad.numpy().copy() for k, t in p.items()}
        with torch.no_grad():
            for t in p.values():
                t -= LR * t.grad
                t.grad = None
    return {k: t.detach().numpy() for k, t in p.items()}, np.array(losses), grads0


start = time.perf_counter()
ours_w, ours_loss, ours_g0 = train_ours()
ours_seconds = time.perf_counter() - start
start = time.perf_counter()
torch_w, torch_loss, torch_g0 = train_torch()
torch_seconds = time.perf_counter() - start

fig, axes = plt.subplots(1, 2, figsize=(13, 4), constrained_layout=True)
axes[0].plot(ours_loss, label="our Tensor", lw=3, alpha=0.5)
axes[0].plot(torch_loss, label="PyTorch", ls="--")
axes[0].set(xlabel="gradient-descent step", ylabel="mean BCE", yscale="log", title="breast cancer, 30-8-1 tanh, η = 0.5")
axes[0].legend()
axes[1].semilogy(np.maximum(np.abs(ours_loss - torch_loss), 1e-18))
axes[1].set(xlabel="step", ylabel="|Δ loss|", title="our engine vs torch: difference of the loss curves")
plt.show()
accuracy = ((forward(torch_w, X_bc, np.tanh) > 0) == y_bc).mean()
print(f"{STEPS} steps: ours {ours_seconds:.2f} s, torch {torch_seconds:.2f} s; final loss {ours_loss[-1]:.6f}, training accuracy {accuracy:.4f}")

# %% [markdown]
# The two curves lie on top of each other; their difference stays at the level of float64
# rounding ($\sim10^{-16}$ to $10^{-15}$) for all 300 steps: both engines compute the same
# vector–Jacobian products, only the order of some floating-point sums differs, and gradient
# descent on this smooth problem does not amplify such differences.
#
# ## An optimiser from the package: our `optim.Adam` vs `torch.optim.Adam`
#
# `mlweekly.deep_learning.optim` follows torch.optim's names, defaults and update rules, and takes
# anything with `.data` and `.grad`; 100 Adam steps with $\eta = 10^{-2}$ from the same weights.

# %%
def adam_run(library, steps=100):
    if library == "ours":
        p = {k: Tensor(v.copy(), requires_grad=True) for k, v in init.items()}
        opt, X, y, tanh = optim.Adam(p.values(), lr=1e-2), Tensor(X_bc), Tensor(y_bc), Tensor.tanh
        bce = nn.binary_cross_entropy_with_logits
    else:
        p = {k: torch.tensor(v, requires_grad=True) for k, v in init.items()}
        opt, X, y, tanh = torch.optim.Adam(p.values(), lr=1e-2), torch.from_numpy(X_bc), torch.from_numpy(y_bc.astype(np.float64)), torch.tanh
        bce = torch.nn.functional.binary_cross_entropy_with_logits
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = bce(forward(p, X, tanh), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return np.array(losses), np.concatenate([np.asarray(t.data if library == "ours" else t.detach()).ravel() for t in p.values()])


adam_ours, adam_torch = adam_run("ours"), adam_run("torch")
print(f"Adam, 100 steps: final loss ours {adam_ours[0][-1]:.10f}, torch {adam_torch[0][-1]:.10f}")

# %% [markdown]
# ## Parity checks
#
# All in float64 on the same data and initial weights. The two engines differ only in the order of
# floating-point sums (matmul blocking, reductions), i.e. relative errors of order
# $10^{-16}$ per operation; $10^{-10}$ leaves a margin of a million for the 300 steps' worth of
# propagation while still catching any wrong derivative (which would show at $10^{-3}$ or more).
#
# * loss and every parameter's gradient at the initial weights;
# * the whole loss curve and the weights after 300 hand-written gradient-descent steps;
# * the Adam trajectory (our `optim.Adam` vs `torch.optim.Adam`);
# * the accumulation semantics: the gradient after two `backward()` calls without zeroing;
# * broadcasting: torch's `(3, 1) + (4,)` against NumPy's, exactly.

# %%
parity.check("loss at the initial weights (BCE, 30-8-1 tanh)", ours=ours_loss[0], reference=torch_loss[0], atol=1e-10,
             why="float64, same weights; only summation order differs")
for k in init:
    parity.check(f"∂loss/∂{k} at the initial weights", ours=ours_g0[k], reference=torch_g0[k], atol=1e-10,
                 why="same vector-Jacobian products; rounding ~1e-16")
parity.check(f"loss curve over {STEPS} gradient-descent steps", ours=lambda: train_ours()[1], reference=lambda: train_torch()[1],
             atol=1e-10, why="rounding differences are not amplified on this smooth problem")
for k in init:
    parity.check(f"{k} after {STEPS} hand-written GD steps", ours=ours_w[k], reference=torch_w[k], atol=1e-10,
                 why="same updates θ ← θ − η∇ℓ̄ on both sides")
parity.check("Adam (lr=1e-2), 100 steps: loss curve, our optim vs torch.optim", ours=adam_ours[0], reference=adam_torch[0],
             atol=1e-10, why="same update rule; float64")
parity.check("Adam (lr=1e-2), 100 steps: final parameters", ours=adam_ours[1], reference=adam_torch[1], atol=1e-10,
             why="same update rule; float64")
parity.check("gradient after two backward() calls (accumulation)", ours=accumulated[1], reference=accumulated[0], atol=1e-15,
             why="4x, exact in binary floating point")
parity.check("broadcasting (3,1) + (4,)", ours=(col + row).numpy(), reference=np.arange(3.0).reshape(3, 1) + np.arange(4.0), atol=0,
             why="small integers: exact")

# %%
print(f"lesson time: {time.perf_counter() - LESSON_START:.1f} s")
parity.table()
