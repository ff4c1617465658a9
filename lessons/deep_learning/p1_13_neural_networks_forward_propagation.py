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
# # P1.13 · Neural networks: forward propagation
#
# A neural network is a function built by stacking two simple pieces over and over: an **affine
# map** (multiply by a matrix, add a vector) and a fixed **elementwise nonlinearity**. Forward
# propagation is just evaluating that composition, layer by layer, on a batch of inputs. This
# lesson writes the maths, runs it on real data through our from-scratch `Sequential`, shows why
# the *scale* of the initial weights decides whether a deep network's signal survives, and checks
# every number against `torch.nn`.
#
# ## The neuron
#
# A neuron takes an input $x \in \mathbb{R}^d$, forms a weighted sum and passes it through an
# activation function $\varphi$:
#
# $$z = w^\top x + b = \sum_{j=1}^{d} w_j x_j + b, \qquad a = \varphi(z).$$
#
# With $\varphi = \sigma$ (sigmoid) this *is* logistic regression (P1.02); with $\varphi$ the
# identity it is linear regression (P1.01). The neuron's novelty comes only from stacking.
#
# ## A layer: many neurons, one matrix
#
# Put $m$ neurons side by side, sharing the input. Their weight vectors are the **rows** of a matrix
# $W \in \mathbb{R}^{m \times d}$ and their biases form $b \in \mathbb{R}^m$:
#
# $$h = \varphi(W x + b) \in \mathbb{R}^{m}, \qquad W_{kj} = \text{weight from input } j \text{ to unit } k .$$
#
# This is torch's convention, and ours: `Linear(in_features=d, out_features=m).weight` has shape
# $(m, d)$ — *(out, in)*.
#
# ## The batch: shapes are the whole story
#
# We never push one sample at a time. Stack $n$ samples as the **rows** of $X \in \mathbb{R}^{n
# \times d}$; then all $n \times m$ pre-activations come from one matrix product
#
# $$Z = X W^\top + \mathbf{1} b^\top, \qquad \underbrace{Z}_{n \times m} = \underbrace{X}_{n \times
# d}\;\underbrace{W^\top}_{d \times m} + \underbrace{\mathbf{1}_n b^\top}_{\text{broadcast}}, \qquad H
# = \varphi(Z) \text{ (elementwise)}.$$
#
# The bias is added to every row by broadcasting. Row $i$ of $H$ is the layer's output for sample
# $i$; column $k$ is unit $k$'s response across the batch. A shape check is the cheapest bug
# detector there is: the inner dimensions of each product must agree ($d$ with $d$), and our
# `Linear` refuses an input whose last dimension is not `in_features`, naming both numbers.
#
# ## A two-layer network, written out
#
# With $d$ inputs, $m$ hidden units and $K$ outputs (classes):
#
# $$\begin{aligned}
# Z^{(1)} &= X W_1^\top + \mathbf 1 b_1^\top && (n \times m), & W_1 &\in \mathbb R^{m\times d},\\
# H^{(1)} &= \varphi\bigl(Z^{(1)}\bigr) && (n \times m), \\
# Z^{(2)} &= H^{(1)} W_2^\top + \mathbf 1 b_2^\top && (n \times K), & W_2 &\in \mathbb R^{K\times m},\\
# P &= \operatorname{softmax}\bigl(Z^{(2)}\bigr) \text{ row-wise} && (n \times K).
# \end{aligned}$$
#
# The last layer has **no** nonlinearity of its own: its outputs $Z^{(2)}$ are the **logits**, and
# the softmax (for probabilities) or the loss (for training, P1.15) is applied on top. The network
# has $m(d+1) + K(m+1)$ parameters. In code it is
# `Sequential(Linear(d, m), ReLU(), Linear(m, K))`.
#
# ## Why the nonlinearity matters
#
# Drop $\varphi$ and compose two affine maps:
#
# $$W_2 (W_1 x + b_1) + b_2 = \underbrace{(W_2 W_1)}_{W}\, x + \underbrace{(W_2 b_1 + b_2)}_{b}.$$
#
# Still affine. By induction **any** depth of affine layers collapses to a single affine layer: a
# 100-layer linear network can represent exactly what logistic regression can (it may train
# differently, but its function class is the same). The nonlinearity is what lets depth buy
# expressiveness. We verify the collapse numerically below.
#
# ## Universal approximation
#
# **Theorem** (Cybenko 1989 for sigmoids; Hornik 1991; Leshno, Lin, Pinkus & Schocken 1993 in
# general). Let $\varphi$ be continuous and **not a polynomial**. For every continuous $f$ on a
# compact $K \subset \mathbb{R}^d$ and every $\varepsilon > 0$ there is a width $m$ and parameters
# such that the one-hidden-layer network $g(x) = \sum_{k=1}^{m} c_k\, \varphi(w_k^\top x + b_k)$
# satisfies $\sup_{x \in K} |f(x) - g(x)| < \varepsilon$.
#
# Read it carefully: it says such weights *exist*, not that gradient descent finds them, and the
# required width can grow exponentially with $d$. Depth is what makes many functions cheap
# (Telgarsky 2016: some functions computable by deep narrow ReLU networks need exponentially many
# units when shallow). For ReLU in one dimension the theorem is elementary — a sum of shifted ReLUs
# is a piecewise-linear function with a kink at each $-b_k/w_k$ — and we build one by hand below.
#
# ## Initialisation: keeping the signal alive
#
# Take a layer with $n_{in}$ inputs, weights i.i.d. with mean 0 and variance $v$, independent of
# inputs that have mean 0 and second moment $q = \mathbb E[x_j^2]$. Then each pre-activation has
#
# $$\operatorname{Var}(z_k) = \sum_{j=1}^{n_{in}} \operatorname{Var}(w_{kj} x_j) = n_{in}\, v\, q .$$
#
# Through $L$ layers these factors **multiply**: if $n_{in} v$ (times what the activation keeps)
# is $0.5$, the signal shrinks by $2^{-L}$; if it is $2$, it grows by $2^{L}$. So:
#
# * **Naive** $N(0, 1)$ weights: $n_{in} v = n_{in}$ — explosion (with tanh: every unit saturates at
#   $\pm 1$, where its derivative is 0); $N(0, 0.01^2)$: $n_{in} v \ll 1$ — the signal vanishes.
# * **Xavier/Glorot** (2010), for tanh/sigmoid-like activations (slope 1 at 0):
#   $v = 2/(n_{in} + n_{out})$, the compromise between keeping the forward variance ($v =
#   1/n_{in}$) and the backward one ($v = 1/n_{out}$).
# * **He/Kaiming** (2015), for ReLU: ReLU zeroes half of a symmetric input, so $\mathbb
#   E[\mathrm{relu}(z)^2] = \tfrac12 \operatorname{Var}(z)$ and the factor becomes $\tfrac12 n_{in}
#   v$; $v = 2/n_{in}$ restores 1.
# * **torch's default** for `Linear` is $U(-1/\sqrt{n_{in}}, 1/\sqrt{n_{in}})$, variance
#   $1/(3n_{in})$ (`kaiming_uniform_` with $a = \sqrt5$): deliberately small, fine for shallow
#   networks, a decaying signal in deep plain ones.
#
# ## Pitfalls
#
# * **Shapes and orientation.** torch stores $W$ as *(out, in)* and computes $X W^\top$; some texts
#   use $W$ *(in, out)* and $XW$. Copying weights between conventions without a transpose is a
#   silent bug when $d = m$.
# * **Softmax inside the model *and* in the loss.** Return logits; let the loss apply the
#   log-softmax (P1.15).
# * **Unscaled inputs** break the "$\mathbb E[x^2] \approx 1$" assumption behind every init rule:
#   standardise first (digits' raw pixels run 0–16).
# * **Symmetry.** Initialising all weights equal (e.g. zero) makes every unit in a layer compute the
#   same thing forever: the random draw is what breaks the symmetry.
#
# ## References
#
# * I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning* (2016), ch. 6 (feedforward networks,
#   §6.4.1 universal approximation) and §8.4 (initialisation).
# * G. Cybenko, "Approximation by superpositions of a sigmoidal function", *Math. Control Signals
#   Systems* 2 (1989) 303–314; K. Hornik, "Approximation capabilities of multilayer feedforward
#   networks", *Neural Networks* 4 (1991) 251–257; M. Leshno, V. Lin, A. Pinkus, S. Schocken,
#   "Multilayer feedforward networks with a nonpolynomial activation function can approximate any
#   function", *Neural Networks* 6 (1993) 861–867.
# * M. Telgarsky, "Benefits of depth in neural networks", COLT 2016.
# * X. Glorot, Y. Bengio, "Understanding the difficulty of training deep feedforward neural
#   networks", AISTATS 2010.
# * K. He, X. Zhang, S. Ren, J. Sun, "Delving deep into rectifiers", ICCV 2015.
# * PyTorch docs: `torch.nn.Linear`, `torch.nn.init`; pytorch/pytorch issue #57109 (why $a=\sqrt5$).

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.preprocessing import StandardScaler

from mlweekly import datasets, parity
from mlweekly.deep_learning import init, nn
from mlweekly.deep_learning.tensor import Tensor, no_grad

torch.set_num_threads(1)  # small matrices: threads only add overhead on two shared cores

# %% [markdown]
# ## The implementation
#
# `mlweekly.deep_learning.nn` mirrors `torch.nn` on top of our autograd `Tensor`. A `Module` owns
# the tensors and sub-modules assigned to it; `Linear` is the affine map, exactly the formula above:

# %%
print(inspect.getsource(nn.Linear.forward))
print(inspect.getsource(nn.Sequential.forward))

# %% [markdown]
# ## Demo 1 · a forward pass on digits
#
# 1797 handwritten digits, $8 \times 8$ pixels flattened to $d = 64$ features (standardised), 10
# classes. A two-hidden-layer network $64 \to 128 \to 64 \to 10$, torch's default initialisation.
# The network is **untrained**, so its predictions are guesses; the point is the shapes.

# %%
X_raw, y = datasets.load_xy("digits")
X = StandardScaler().fit_transform(X_raw)
rng = np.random.default_rng(0)
net = nn.Sequential(nn.Linear(64, 128, rng=rng), nn.ReLU(), nn.Linear(128, 64, rng=rng), nn.Tanh(), nn.Linear(64, 10, rng=rng))
print(net)
print("parameters:", [(name, p.shape) for name, p in net.named_parameters()])
print("count:", sum(p.size for p in net.parameters()), "= 128·65 + 64·129 + 10·65")

with no_grad():
    h = Tensor(X)
    print(f"{'input X':<50s} {h.shape}")
    for layer in net:
        h = layer(h)
        print(f"{layer!r:<50s} {h.shape}")
    probs = h.softmax(axis=1).numpy()
print("row sums of softmax:", probs.sum(axis=1)[:4], "…  untrained accuracy:", (probs.argmax(1) == y).mean().round(3))

# %% [markdown]
# The same pass in plain NumPy, the two-layer formulas line by line, gives the same logits:

# %%
W1, b1, W2, b2, W3, b3 = (p.data for p in net.parameters())
H1 = np.maximum(X @ W1.T + b1, 0.0)
H2 = np.tanh(H1 @ W2.T + b2)
Z3 = H2 @ W3.T + b3
print("max |NumPy − Sequential| =", np.abs(Z3 - net(X).data).max())

# %% [markdown]
# ## Demo 2 · without a nonlinearity, depth collapses
#
# Two `Linear` layers back to back equal one `Linear` with $W = W_2W_1$ and $b = W_2 b_1 + b_2$:

# %%
deep_linear = nn.Sequential(nn.Linear(64, 32, rng=1), nn.Linear(32, 10, rng=2))
A1, c1 = deep_linear[0].weight.data, deep_linear[0].bias.data
A2, c2 = deep_linear[1].weight.data, deep_linear[1].bias.data
collapsed = nn.Linear(64, 10)
collapsed.weight.data[...] = A2 @ A1
collapsed.bias.data[...] = A2 @ c1 + c2
print("max |two linear layers − one| =", np.abs(deep_linear(X).data - collapsed(X).data).max())

# %% [markdown]
# ## Demo 3 · universal approximation by hand
#
# In one dimension a hidden layer of $m$ ReLUs with weight 1 and bias $-k_i$ has kinks at the knots
# $k_i$; the output weights are the *changes of slope* of the piecewise-linear interpolant of $f$ at
# the knots, the output bias is $f(k_0)$. No training: we set the weights. The error of linear
# interpolation falls as $O(1/m^2)$ for a smooth $f$.

# %%
def relu_interpolant(f, knots):
    """A Sequential(Linear(1, m), ReLU(), Linear(m, 1)) equal to the piecewise-linear interpolant of f."""
    slopes = np.diff(f(knots)) / np.diff(knots)
    m = len(knots) - 1
    model = nn.Sequential(nn.Linear(1, m), nn.ReLU(), nn.Linear(m, 1))
    init.ones_(model[0].weight)
    model[0].bias.data[...] = -knots[:-1]
    model[2].weight.data[...] = np.diff(slopes, prepend=0.0)[None, :]
    model[2].bias.data[...] = f(knots[0])
    return model


def target(x):
    return np.sin(2 * x) + 0.3 * x


grid = np.linspace(0, 2 * np.pi, 2001)[:, None]
fig, axes = plt.subplots(1, 2, figsize=(13, 4), constrained_layout=True)
axes[0].plot(grid, target(grid), color="black", lw=2, label="f")
widths, errors = [3, 6, 12, 24, 48, 96, 192, 384], []
for m in widths:
    g = relu_interpolant(target, np.linspace(0, 2 * np.pi, m + 1))(grid).data
    errors.append(np.abs(g - target(grid)).max())
    if m in (3, 6, 12):
        axes[0].plot(grid, g, label=f"{m} ReLUs")
axes[0].set(title="one hidden layer of ReLUs, weights set by hand", xlabel="x")
axes[0].legend()
axes[1].loglog(widths, errors, marker="o", label="max error")
axes[1].loglog(widths, 20 / np.array(widths) ** 2, ls="--", color="grey", label=r"$\propto 1/m^2$")
axes[1].set(xlabel="hidden units m", ylabel=r"$\sup|f - g|$", title="error vs width")
axes[1].legend()
plt.show()

# %% [markdown]
# ## Demo 4 · initialisation: activations layer by layer
#
# A deep plain network, 10 layers of width 256, on the standardised digits. We record every hidden
# layer's activations under four initialisations and two activations. The standard deviation per
# layer shows the $\prod(n_{in} v \cdot\text{gain})$ story directly: naive $N(0,1)$ saturates tanh
# and explodes ReLU by $\sqrt{256/2}$ per layer, $N(0, 0.01^2)$ vanishes geometrically. Xavier
# keeps tanh alive (a slow drift down: $\tanh$ has slope below 1 away from 0), He keeps ReLU's
# scale constant, while Xavier on ReLU halves the variance per layer and torch's default fades
# until the biases alone hold the scale up.

# %%
NAIVE = {"N(0, 1²)": 1.0, "N(0, 0.01²)": 0.01}  # a fixed standard deviation whatever the width


def deep_net(act, scheme, depth=10, width=256, seed=0):
    rng = np.random.default_rng(seed)
    layers = []
    for i in range(depth):
        lin = nn.Linear(64 if i == 0 else width, width, init="xavier_normal" if scheme in NAIVE else scheme, rng=rng)
        if scheme in NAIVE:  # overwrite in place with the naive draw and a zero bias
            init.normal_(lin.weight, 0.0, NAIVE[scheme], rng=rng)
            init.zeros_(lin.bias)
        layers += [lin, act()]
    return nn.Sequential(*layers)


def hidden_activations(net, X):
    out, h = [], Tensor(X)
    with no_grad():
        for layer in net:
            h = layer(h)
            if not isinstance(layer, nn.Linear):
                out.append(h.data)
    return out


schemes = [*NAIVE, "xavier_normal", "kaiming_normal", "kaiming_uniform"]
labels = {"kaiming_normal": "He normal", "kaiming_uniform": "torch default", "xavier_normal": "Xavier normal"}
fig, axes = plt.subplots(1, 2, figsize=(13, 4.3), constrained_layout=True)
acts = {}
for ax, (act_name, act) in zip(axes, [("tanh", nn.Tanh), ("ReLU", nn.ReLU)], strict=True):
    for scheme in schemes:
        acts[act_name, scheme] = hidden_activations(deep_net(act, scheme), X)
        stds = [a.std() for a in acts[act_name, scheme]]
        ax.semilogy(range(1, 11), stds, marker="o", label=labels.get(scheme, scheme))
    ax.set(xlabel="hidden layer", ylabel="std of activations", title=f"{act_name}: signal scale through depth")
    ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The distributions tell the same story: with naive $N(0,1)$ tanh units pile up at $\pm 1$ (where
# $\tanh' \approx 0$: no gradient will flow back, P1.15), with $N(0, 0.01^2)$ they collapse onto
# 0, with Xavier they keep a spread shape in every layer.

# %%
shown = [1, 2, 4, 7, 10]
fig, axes = plt.subplots(3, len(shown), figsize=(14, 6.5), constrained_layout=True, sharey="row")
for row, scheme in enumerate(["N(0, 1²)", "N(0, 0.01²)", "xavier_normal"]):
    for col, layer in enumerate(shown):
        a = acts["tanh", scheme][layer - 1].ravel()
        axes[row, col].hist(a, bins=60, range=(-1, 1), color=f"C{row}")
        axes[row, col].set(title=f"layer {layer}" if row == 0 else "", yticks=[])
    axes[row, 0].set_ylabel(labels.get(scheme, scheme))
fig.suptitle("tanh activations per layer (digits, width 256)")
plt.show()

# %% [markdown]
# ## Parity checks
#
# Ours against `torch.nn` with **the same weights** (copied into a float64 torch model, parameter
# by parameter under the same names `0.weight`, `0.bias`, …) on the same standardised digits.
# Both sides compute the same sums in float64; the only difference is the order of summation in
# the matrix products (BLAS blocking), worth a few ulps per layer, so `atol = 1e-12` on values of
# order 1 leaves a factor of ~1000 of room and still fails on any real error (a wrong transpose, a
# missing bias, a different activation). Per-layer activations on the torch side are captured with
# forward hooks, so the check covers every intermediate, not only the output.

# %%
def to_torch(ours: nn.Sequential) -> torch.nn.Sequential:
    """A float64 torch.nn copy of our Sequential of Linear / ReLU / Tanh / Sigmoid / GELU layers."""
    kinds = {nn.ReLU: torch.nn.ReLU, nn.Tanh: torch.nn.Tanh, nn.Sigmoid: torch.nn.Sigmoid, nn.GELU: torch.nn.GELU}
    layers = [
        torch.nn.Linear(m.in_features, m.out_features, dtype=torch.float64) if isinstance(m, nn.Linear) else kinds[type(m)]()
        for m in ours
    ]
    ref = torch.nn.Sequential(*layers)
    with torch.no_grad():
        for (name, p), (ref_name, q) in zip(ours.named_parameters(), ref.named_parameters(), strict=True):
            assert name == ref_name, (name, ref_name)
            q.copy_(torch.from_numpy(p.data))
    return ref


ref_net = to_torch(net)
X_t = torch.from_numpy(X)
captured = {}
for i, module in enumerate(ref_net):
    module.register_forward_hook(lambda mod, inp, out, i=i: captured.__setitem__(i, out.detach().numpy()))


def ours_forward():
    with no_grad():
        return net(X).data


def torch_forward():
    with torch.no_grad():
        return ref_net(X_t).numpy()


why = "same weights, float64 on both sides; only the summation order in X·Wᵀ differs (a few ulps)"
parity.check("logits of 64→128→64→10 net on digits", ours=ours_forward, reference=torch_forward, atol=1e-12, why=why, repeat=5)
parity.check("softmax probabilities on digits", ours=net(X).softmax(axis=1).data, reference=torch.softmax(ref_net(X_t), 1).detach().numpy(), atol=1e-12, why=why)
h = Tensor(X)
for i, layer in enumerate(net):
    h = layer(h)
    parity.check(f"layer {i} output ({type(layer).__name__}) vs torch hook", ours=h.data, reference=captured[i], atol=1e-12, why=why)

# %% [markdown]
# The deep networks of Demo 4 (ten layers; for the well-scaled inits the activations stay of order
# 1, so the same tolerance applies) — last hidden layer, our forward pass against torch's:

# %%
for act_name, act in [("tanh", nn.Tanh), ("ReLU", nn.ReLU)]:
    for scheme in ["xavier_normal", "kaiming_normal"]:
        deep = deep_net(act, scheme)
        parity.check(f"10-layer {act_name} net, {labels[scheme]}: last layer", ours=acts[act_name, scheme][-1],
                     reference=to_torch(deep)(X_t).detach().numpy(), atol=1e-12, why=why)

# %% [markdown]
# And torch's own initialisation of `Linear`, replayed: given **the same uniform draws**, our
# `Linear(init="kaiming_uniform")` produces torch's weights — `init.uniform_` computes
# $a + (b - a)u$ from a unit draw $u$, as torch does. We feed our layer torch's draws through a
# small adapter with the `Generator` method our init calls (`random`); `atol` is a few ulps of the
# bound $1/\sqrt{64}$ (torch may fuse the multiply-add).

# %%
class TorchDraws:
    """Looks like a numpy Generator to our init functions; hands out torch's unit uniform draws."""

    def __init__(self, seed):
        self.gen = torch.Generator().manual_seed(seed)

    def random(self, size):
        return torch.rand(size, generator=self.gen, dtype=torch.float64).numpy()

    def standard_normal(self, size):
        return torch.randn(size, generator=self.gen, dtype=torch.float64).numpy()


torch.manual_seed(42)
torch_layer = torch.nn.Linear(64, 128, dtype=torch.float64)
our_layer = nn.Linear(64, 128, rng=TorchDraws(42))
ulps = "same unit draws, bound 1/√64; a + (b−a)·u may be fused (FMA) in torch: a few ulps"
parity.check("Linear default init: weight (same draws)", ours=our_layer.weight.data, reference=torch_layer.weight.detach().numpy(), atol=1e-16, why=ulps)
parity.check("Linear default init: bias (same draws)", ours=our_layer.bias.data, reference=torch_layer.bias.detach().numpy(), atol=1e-16, why=ulps)

# %%
parity.table()
