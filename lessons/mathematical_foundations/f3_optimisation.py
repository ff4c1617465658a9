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
# # F3 · Optimisation
#
# Training a model means minimising a loss $f:\mathbb R^n \to \mathbb R$. This lesson builds the
# optimisers machine learning uses — gradient descent, momentum, Adam, Newton, BFGS, L-BFGS — from
# scratch, watches them on three problems (the Rosenbrock valley, an ill-conditioned quadratic,
# logistic regression on real data), and checks them against `scipy.optimize.minimize` and
# `torch.optim` number by number.
#
# ## Gradient descent and the step size
#
# $$x_{k+1} = x_k - \eta\,\nabla f(x_k).$$
#
# **$L$-smoothness.** If the gradient is $L$-Lipschitz, $\lVert\nabla f(x) - \nabla f(y)\rVert \le
# L\lVert x - y\rVert$ (for a $C^2$ function: every Hessian eigenvalue $\le L$), then
# $f(y) \le f(x) + \nabla f(x)^\top (y - x) + \tfrac L2 \lVert y - x\rVert^2$. Putting in the GD step,
#
# $$f(x_{k+1}) \le f(x_k) - \eta\bigl(1 - \tfrac{L\eta}{2}\bigr)\lVert\nabla f(x_k)\rVert^2,$$
#
# a guaranteed decrease for any $\eta < 2/L$, largest at $\eta = 1/L$ — the textbook step.
#
# **Strongly convex quadratics.** For $f(x) = \tfrac12 (x - x^\star)^\top A (x - x^\star)$ with
# eigenvalues $\mu = \lambda_{\min} \le \dots \le \lambda_{\max} = L$, the error obeys
# $x_{k+1} - x^\star = (I - \eta A)(x_k - x^\star)$, so each eigen-component shrinks by
# $|1 - \eta\lambda_i|$ per step. With $\eta = 1/L$ the slowest one shrinks by $1 - \mu/L =
# 1 - 1/\kappa$, where $\kappa = L/\mu$ is the **condition number**:
#
# $$f(x_k) - f^\star \le \bigl(1 - 1/\kappa\bigr)^{2k}\,\bigl(f(x_0) - f^\star\bigr).$$
#
# Linear convergence, but $\approx \kappa \ln(1/\varepsilon)/2$ steps for accuracy $\varepsilon$:
# with $\kappa = 10^3$, thousands of steps. (The best constant step $\eta = 2/(\mu + L)$ improves the
# factor to $(\kappa - 1)/(\kappa + 1)$, no change in kind.) Ill-conditioning — long narrow valleys —
# is *the* enemy of first-order methods; feature scaling fights it from the data side.
#
# ## Momentum and Nesterov
#
# **Heavy ball** (Polyak, 1964) keeps a velocity: $v_{k+1} = \beta v_k - \eta\nabla f(x_k)$,
# $x_{k+1} = x_k + v_{k+1}$. Along a valley's floor the gradients agree and the velocity builds up;
# across the valley they alternate and cancel. On quadratics, $\eta = 4/(\sqrt L + \sqrt\mu)^2$,
# $\beta = \bigl(\tfrac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\bigr)^2$ gives the rate
# $\tfrac{\sqrt\kappa - 1}{\sqrt\kappa + 1} \approx 1 - 2/\sqrt\kappa$: $\sqrt\kappa$ instead of
# $\kappa$ steps — 30 instead of 1000 for $\kappa = 10^3$.
#
# **Nesterov's accelerated gradient** (1983) evaluates the gradient at the look-ahead point:
# $v_{k+1} = \beta v_k - \eta\nabla f(x_k + \beta v_k)$ (the form of Sutskever et al., 2013). It
# attains the optimal $O(1/k^2)$ rate on all smooth convex functions (GD: $O(1/k)$) and
# $1 - 1/\sqrt\kappa$ on strongly convex ones. `torch.optim.SGD(nesterov=True)` implements the same
# method rewritten in terms of the look-ahead point, so that only one gradient is needed per step:
# $b \leftarrow \mu b + g$, $\theta \leftarrow \theta - \eta (g + \mu b)$.
#
# ## Adaptive methods: RMSProp, Adam, AdamW
#
# One learning rate for all coordinates is a poor fit when their gradients differ by orders of
# magnitude. **RMSProp** (Hinton, 2012) divides by a running root-mean-square,
# $s \leftarrow \alpha s + (1 - \alpha) g^2$, $\theta \leftarrow \theta - \eta\, g / (\sqrt s + \epsilon)$
# — a diagonal, scale-free preconditioner. **Adam** (Kingma & Ba, 2015) adds momentum on the
# numerator and corrects the zero initialisation of both averages:
#
# $$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,\quad
# \hat m_t = \frac{m_t}{1 - \beta_1^t},\quad \hat v_t = \frac{v_t}{1 - \beta_2^t},\quad
# \theta_t = \theta_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}.$$
#
# Without the correction $m_1 = (1 - \beta_1) g_1$ would be ten times too small. Each step moves every
# coordinate by roughly $\eta$ regardless of its gradient's scale — great early, but Adam does not
# converge to arbitrary precision with a constant $\eta$ (it hovers), which is why it is paired with
# learning-rate schedules. (AMSGrad, Reddi et al. 2018, divides by the running *maximum* of $v$.)
#
# **L2 penalty vs decoupled weight decay.** For SGD, adding $\tfrac\lambda2\lVert\theta\rVert^2$ to the
# loss and shrinking $\theta \leftarrow (1 - \eta\lambda)\theta$ every step are the same thing. For
# Adam they are not: the L2 gradient $\lambda\theta$ passes through the $1/\sqrt{\hat v}$ scaling,
# so weights with large gradients are barely regularised. **AdamW** (Loshchilov & Hutter, 2019)
# *decouples* the decay: $\theta \leftarrow (1 - \eta\lambda)\theta$, then the Adam step on the loss
# gradient alone. `torch.optim.Adam(weight_decay=λ)` is the L2 version, `AdamW` the decoupled one.
#
# ## Newton's method
#
# Minimise the second-order model $f(x + p) \approx f + \nabla f^\top p + \tfrac12 p^\top\nabla^2 f\,p$:
# $\nabla^2 f(x_k)\,p_k = -\nabla f(x_k)$. It is affine-invariant (the condition number does not
# matter) and near a minimiser with positive definite Hessian (Lipschitz in a neighbourhood)
# converges **quadratically**, $\lVert x_{k+1} - x^\star\rVert \le C\lVert x_k - x^\star\rVert^2$:
# the number of correct digits doubles each step. Far away the Hessian may be indefinite and the step
# uphill; our `newton` adds $\tau I$ until a Cholesky factorisation succeeds (Nocedal & Wright
# Alg. 3.3) and backtracks on $\alpha$ until the Armijo condition holds. The price: the Hessian,
# and an $O(n^3)$ solve per step.
#
# ## Quasi-Newton: BFGS
#
# Build the curvature from gradients instead. After a step $s_k = x_{k+1} - x_k$ with gradient change
# $y_k = \nabla f_{k+1} - \nabla f_k$, any sensible inverse-Hessian approximation must satisfy the
# **secant condition** $H_{k+1} y_k = s_k$ (exact for quadratics: $y = A s$). Among all symmetric
# $H$ satisfying it, BFGS picks the one closest to $H_k$ (in a weighted Frobenius norm), which is
#
# $$H_{k+1} = (I - \rho_k s_k y_k^\top)\,H_k\,(I - \rho_k y_k s_k^\top) + \rho_k s_k s_k^\top,
# \qquad \rho_k = \frac{1}{y_k^\top s_k}.$$
#
# Check: $H_{k+1} y_k = (I - \rho s y^\top) H_k (y - y) + \rho s (s^\top y) = s$. It stays positive
# definite as long as $y_k^\top s_k > 0$ — the **curvature condition** — and the direction is
# $p_k = -H_k\nabla f_k$. Convergence is superlinear; cost $O(n^2)$ per step.
#
# **L-BFGS** (Nocedal 1980; Liu & Nocedal 1989) never forms $H$: it keeps the last $m$ pairs
# $(s_i, y_i)$ and applies the product of the $m$ updates to $\nabla f$ with the **two-loop
# recursion**, starting from $H^0 = \gamma I$, $\gamma = s^\top y / y^\top y$: $O(mn)$ per step —
# the workhorse for large smooth problems (scikit-learn's default logistic regression solver).
#
# ## The Wolfe conditions
#
# A step length $\alpha$ along $p$ is acceptable when
#
# $$f(x + \alpha p) \le f(x) + c_1\alpha\nabla f^\top p \quad\text{(sufficient decrease)},\qquad
# |\nabla f(x + \alpha p)^\top p| \le c_2|\nabla f^\top p| \quad\text{(strong curvature)},$$
#
# $0 < c_1 < c_2 < 1$ (typically $10^{-4}$ and $0.9$). The first rules out steps too long, the
# second steps too short — and it implies $y^\top s \ge (c_2 - 1)\,\alpha\nabla f^\top p > 0$,
# exactly BFGS's curvature condition. Our `wolfe_line_search` is Nocedal & Wright's Alg. 3.5
# (increase $\alpha$ until an interval is bracketed) and Alg. 3.6 (`zoom`: shrink it with
# safeguarded cubic interpolation).
#
# ## Pitfalls
#
# * **Learning rate above $2/L$ diverges**, and $L$ changes along the way on non-quadratic losses.
# * **Stopping rules differ between libraries.** "Converged" can mean a small gradient, a small step,
#   or a small relative decrease of $f$; only the first says you are near a minimiser. The parity
#   section meets two SciPy examples.
# * **$\lVert x - x^\star\rVert \le \lVert\nabla f(x)\rVert/\mu$** for a $\mu$-strongly convex $f$:
#   a tolerance on the gradient is a tolerance on $x$ only through the smallest curvature.
# * **Near the optimum $f$ stops being informative**: $f(x^\star + \delta) - f^\star \approx
#   \tfrac12\delta^\top H\delta$ falls below the rounding error of $f$ (relative $10^{-16}$) once
#   $\lVert\delta\rVert \lesssim 10^{-8}$; line searches then fail ("precision loss") even though the
#   gradient is still informative. Write losses so $f^\star$ is computed accurately (e.g.
#   $\tfrac12(x - x^\star)^\top A(x - x^\star)$ rather than $\tfrac12 x^\top Ax - b^\top x$).
# * **Adam's default `weight_decay` is L2, not decoupled** — use AdamW for decoupled decay.
#
# ## References
#
# * J. Nocedal, S. J. Wright, *Numerical Optimization*, 2nd ed. (2006): ch. 2–3 (GD, Newton, line
#   search, Alg. 3.3, 3.5, 3.6), ch. 6 (BFGS), ch. 7 (L-BFGS, Alg. 7.4).
# * S. Boyd, L. Vandenberghe, *Convex Optimization* (2004), §9.3–9.5.
# * B. T. Polyak, "Some methods of speeding up the convergence of iteration methods" (1964);
#   Y. Nesterov, "A method for solving the convex programming problem with convergence rate
#   $O(1/k^2)$" (1983); I. Sutskever et al., "On the importance of initialization and momentum in
#   deep learning", ICML 2013.
# * D. P. Kingma, J. Ba, "Adam: A method for stochastic optimization", ICLR 2015.
# * I. Loshchilov, F. Hutter, "Decoupled weight decay regularization", ICLR 2019; "SGDR: stochastic
#   gradient descent with warm restarts", ICLR 2017 (cosine annealing).
# * S. J. Reddi, S. Kale, S. Kumar, "On the convergence of Adam and beyond", ICLR 2018 (AMSGrad).
# * D. C. Liu, J. Nocedal, "On the limited memory BFGS method for large scale optimization",
#   *Math. Programming* 45 (1989).

# %%
import inspect
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import scipy.optimize as so
import torch
from sklearn.preprocessing import StandardScaler

from mlweekly import datasets, parity
from mlweekly.deep_learning import lr_scheduler, optim
from mlweekly.mathematical_foundations import line_search, optimisers
from mlweekly.mathematical_foundations.optimisers import adam, bfgs, gradient_descent, lbfgs, momentum, newton
from mlweekly.ml_algorithms import _logistic_loss

torch.set_num_threads(1)  # the lesson runs on two shared cores

# %% [markdown]
# ## The implementation
#
# `mlweekly.mathematical_foundations` holds the NumPy optimisers (each returns an `OptimizeResult`
# with the whole path of iterates) and the line search; `mlweekly.deep_learning.optim` the
# `torch.optim`-style optimisers that update parameters in place. The BFGS update and the L-BFGS
# two-loop recursion, line for line:

# %%
print(inspect.getsource(optimisers.bfgs).split('"""')[-1])
print(inspect.getsource(optimisers.lbfgs).split('"""')[-1])

# %% [markdown]
# ## Three problems
#
# * **Rosenbrock** $f(x, y) = (1 - x)^2 + 100(y - x^2)^2$: a curved, narrow valley, minimum $f^\star = 0$
#   at $(1, 1)$, start $(-1.2, 1)$. Its Hessian at the minimum has $\kappa \approx 2500$.
# * **An ill-conditioned quadratic** in $\mathbb R^{50}$, eigenvalues log-spaced in $[1, 1000]$
#   ($\kappa = 10^3$), written as $\tfrac12(x - x^\star)^\top A(x - x^\star)$ so $f^\star = 0$ exactly.
# * **Logistic regression** on breast cancer (569 tumours, 30 standardised features + intercept),
#   the mean log-loss with scikit-learn's $C = 1$ penalty — the loss, gradient and Hessian of lesson
#   P1.02 (`mlweekly.ml_algorithms._logistic_loss`).

# %%
rosen = dict(fun=so.rosen, x0=np.array([-1.2, 1.0]), jac=so.rosen_der, hess=so.rosen_hess)

rng = np.random.default_rng(0)
Q, _ = np.linalg.qr(rng.standard_normal((50, 50)))
eig_q = np.geomspace(1.0, 1e3, 50)
A = Q @ np.diag(eig_q) @ Q.T
x_star_q = rng.standard_normal(50)
quad = dict(fun=lambda x: 0.5 * (x - x_star_q) @ A @ (x - x_star_q), x0=np.zeros(50),
            jac=lambda x: A @ (x - x_star_q), hess=lambda x: A)

X_raw, y_bc = datasets.load_xy("breast_cancer")
X_bc = np.hstack([StandardScaler().fit_transform(X_raw), np.ones((len(y_bc), 1))])
bc_loss = _logistic_loss.BinaryLogLoss(X_bc, y_bc, np.ones(len(y_bc)), 1.0, fit_intercept=True)
logit = dict(fun=bc_loss.value, x0=np.zeros(X_bc.shape[1]), jac=lambda t: bc_loss.value_grad(t)[1],
             hess=bc_loss.hessian)
problems = {"Rosenbrock": rosen, "quadratic, κ = 1e3": quad, "logistic regression": logit}

# the optimum of each, by Newton at the tightest tolerance, and the curvature μ there
opt = {name: newton(**p, tol=1e-13, max_iter=200) for name, p in problems.items()}
mu = {name: np.linalg.eigvalsh(p["hess"](opt[name].x))[0] for name, p in problems.items()}
L_bc = np.linalg.eigvalsh(bc_loss.hessian(opt["logistic regression"].x))[-1]
for name, r in opt.items():
    print(f"{name:22s} Newton: {r.nit:2d} steps, max|∇f| = {np.abs(r.jac).max():.1e}, μ = {mu[name]:.3g}")
print(f"logistic regression: κ at the optimum = {L_bc / mu['logistic regression']:.0f}")

# %% [markdown]
# ## Paths on the Rosenbrock valley
#
# Each method with a hand-picked step (gradient methods diverge on Rosenbrock above
# $\eta \approx 2/\lambda_{\max} \approx 2\cdot 10^{-3}$ near the start).

# %%
runs = {
    "gradient descent, η=1e-3": gradient_descent(**{k: rosen[k] for k in ("fun", "x0", "jac")}, lr=1e-3, max_iter=5000),
    "heavy ball, η=2e-4, β=0.9": momentum(so.rosen, rosen["x0"], so.rosen_der, lr=2e-4, beta=0.9, max_iter=5000),
    "Nesterov, η=2e-4, β=0.9": momentum(so.rosen, rosen["x0"], so.rosen_der, lr=2e-4, beta=0.9, nesterov=True, max_iter=5000),
    "Adam, η=0.05": adam(so.rosen, rosen["x0"], so.rosen_der, lr=0.05, max_iter=5000),
    "Newton": opt["Rosenbrock"],
    "BFGS": bfgs(so.rosen, rosen["x0"], so.rosen_der, tol=1e-10),
    "L-BFGS (m=10)": lbfgs(so.rosen, rosen["x0"], so.rosen_der, tol=1e-10),
}
gx, gy = np.meshgrid(np.linspace(-1.6, 1.6, 300), np.linspace(-0.6, 1.6, 300))
fig, axes = plt.subplots(1, 2, figsize=(14, 5.5), constrained_layout=True)
for ax, names in zip(axes, [list(runs)[:4], list(runs)[4:]], strict=True):
    ax.contour(gx, gy, so.rosen(np.stack([gx, gy])), levels=np.geomspace(0.01, 1000, 20), cmap="Greys", linewidths=0.6)
    for name in names:
        r = runs[name]
        ax.plot(r.path[:, 0], r.path[:, 1], marker="." if r.nit < 100 else None, ms=5, lw=1.2,
                label=f"{name}: {r.nit} it., f = {r.fun:.1e}")
    ax.plot(1, 1, "k*", ms=12)
    ax.set(xlabel="$x$", ylabel="$y$", title="Rosenbrock from (-1.2, 1)")
    ax.legend(fontsize=8, loc="lower right")
plt.show()

# %% [markdown]
# First-order methods reach the valley quickly and then crawl along its floor; Adam's fixed-size
# steps make it zig-zag. Newton, BFGS and L-BFGS follow the valley with few, well-scaled steps.
#
# ## Convergence rates
#
# $f(x_k) - f^\star$ per iteration on the quadratic and on logistic regression. The first-order
# methods use the theory's parameters: $\eta = 1/L$ for GD, Polyak's optimal heavy ball, Nesterov
# with $\eta = 1/L$, $\beta = (\sqrt\kappa - 1)/(\sqrt\kappa + 1)$ (for logistic regression, $L$ and
# $\mu$ are the Hessian's extreme eigenvalues at the optimum).

# %%
def first_order_runs(p, L, m, n_iter):
    kappa = L / m
    heavy = dict(lr=4 / (np.sqrt(L) + np.sqrt(m)) ** 2, beta=((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2)
    nest = dict(lr=1 / L, beta=(np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1), nesterov=True)
    args = (p["fun"], p["x0"], p["jac"])
    return {
        "GD, η = 1/L": gradient_descent(*args, lr=1 / L, max_iter=n_iter, tol=1e-12),
        "heavy ball (Polyak)": momentum(*args, **heavy, max_iter=n_iter, tol=1e-12),
        "Nesterov": momentum(*args, **nest, max_iter=n_iter, tol=1e-12),
        "Adam, η = 0.01": adam(*args, lr=0.01, max_iter=n_iter, tol=1e-12),
        "BFGS": bfgs(*args, tol=1e-10, max_iter=n_iter),
        "L-BFGS (m=10)": lbfgs(*args, tol=1e-10, max_iter=n_iter),
        "Newton": newton(**p, tol=1e-12),
    }


conv = {
    "quadratic, κ = 1e3": first_order_runs(quad, eig_q[-1], eig_q[0], 2000),
    "logistic regression": first_order_runs(logit, L_bc, mu["logistic regression"], 2000),
}
fig, axes = plt.subplots(1, 2, figsize=(14, 5), constrained_layout=True)
for ax, (name, rs) in zip(axes, conv.items(), strict=True):
    f_star = opt[name].fun if name != "quadratic, κ = 1e3" else 0.0
    for label, r in rs.items():
        ax.semilogy(np.maximum(r.fun_path - f_star, 1e-17), label=f"{label} ({r.nit} it.)")
    if name.startswith("quadratic"):
        k = np.arange(2001)
        ax.semilogy(k, (1 - 1 / 1e3) ** (2 * k) * rs["GD, η = 1/L"].fun_path[0], "k--", lw=0.8, label="GD bound $(1-1/κ)^{2k}$")
    ax.set(xscale="symlog", xlabel="iteration", ylabel=r"$f(x_k) - f^\star$", title=name, ylim=(1e-17, None))
    ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The picture of the theory: GD follows its bound $(1 - 1/\kappa)^{2k}$ (dashed) — a straight line on a
# log-linear plot, hundreds of steps per decade at $\kappa = 10^3$; heavy ball and Nesterov are
# roughly $\sqrt\kappa$ times faster once under way (Polyak's heavy ball first *overshoots*: its
# iteration matrix is not normal, so the error grows before the asymptotic rate takes over); Adam
# with a constant $\eta$ is the slowest here — a diagonal rescaling cannot undo a *rotated*
# ill-conditioning, and its steps of size $\approx\eta$ must shrink through $\hat v$ alone. BFGS
# bends downwards (superlinear: it has learned the Hessian after about $n = 50$ steps on the
# quadratic); L-BFGS with only 10 pairs cannot store a 50-dimensional spectrum and needs more steps,
# each much cheaper; Newton needs one step on the quadratic and nine on logistic regression, the last
# few doubling the correct digits.
#
# ## Deep-learning optimisers and learning-rate schedules
#
# `mlweekly.deep_learning.optim` updates any object with `.data` and `.grad` arrays in place — here
# the logistic-regression parameter vector, full-batch, 300 epochs, each optimiser with its own
# sensible learning rate and a cosine schedule. Adam with L2 and AdamW get the same, deliberately large
# $\lambda = 0.1$ to show that they end in different places.

# %%
def train(make_opt, n_epochs=300, schedule=True):
    param = SimpleNamespace(data=np.zeros(X_bc.shape[1]), grad=None)
    opt_ = make_opt([param])
    sched = lr_scheduler.CosineAnnealingLR(opt_, T_max=n_epochs) if schedule else None
    losses = []
    for _ in range(n_epochs):
        loss, param.grad = bc_loss.value_grad(param.data)
        losses.append(loss)
        opt_.step()
        if sched is not None:
            sched.step()
    return np.array(losses), param.data


dl_runs = {
    "SGD, η=0.5": lambda ps: optim.SGD(ps, lr=0.5),
    "SGD + momentum 0.9": lambda ps: optim.SGD(ps, lr=0.5, momentum=0.9),
    "SGD + Nesterov 0.9": lambda ps: optim.SGD(ps, lr=0.5, momentum=0.9, nesterov=True),
    "RMSprop, η=0.01": lambda ps: optim.RMSprop(ps, lr=0.01),
    "Adam, η=0.05": lambda ps: optim.Adam(ps, lr=0.05),
    "Adam + L2 λ=0.1": lambda ps: optim.Adam(ps, lr=0.05, weight_decay=0.1),
    "AdamW λ=0.1": lambda ps: optim.AdamW(ps, lr=0.05, weight_decay=0.1),
}
trained = {name: train(make) for name, make in dl_runs.items()}

fig, axes = plt.subplots(1, 2, figsize=(14, 4.8), constrained_layout=True)
f_star_bc = opt["logistic regression"].fun
for name, (losses, _) in trained.items():
    axes[0].semilogy(np.maximum(losses - f_star_bc, 1e-17), label=name)
axes[0].set(xlabel="epoch", ylabel=r"loss $- f^\star$ (of the $C = 1$ objective)", title="optim.* on logistic regression, cosine schedule")
axes[0].legend(fontsize=8)
epochs = np.arange(101)
for name, make in [("StepLR(step_size=30, γ=0.5)", lambda o: lr_scheduler.StepLR(o, 30, 0.5)),
                   ("ExponentialLR(γ=0.97)", lambda o: lr_scheduler.ExponentialLR(o, 0.97)),
                   ("CosineAnnealingLR(T_max=100)", lambda o: lr_scheduler.CosineAnnealingLR(o, 100)),
                   ("CosineAnnealingLR(T_max=25, η_min=0.1)", lambda o: lr_scheduler.CosineAnnealingLR(o, 25, 0.1))]:
    o = optim.SGD([SimpleNamespace(data=np.zeros(1), grad=None)], lr=1.0)
    s = make(o)
    lrs = [s.get_last_lr()[0]] + [(o.step(), s.step(), s.get_last_lr()[0])[-1] for _ in epochs[1:]]
    axes[1].plot(epochs, lrs, label=name)
axes[1].set(xlabel="epoch", ylabel="learning rate (η₀ = 1)", title="learning-rate schedules")
axes[1].legend(fontsize=8)
plt.show()
w_l2, w_w = trained["Adam + L2 λ=0.1"][1], trained["AdamW λ=0.1"][1]
print(f"‖w‖ after Adam + L2: {np.linalg.norm(w_l2[:-1]):.3f}   after AdamW: {np.linalg.norm(w_w[:-1]):.3f}   "
      f"max|Δw| = {np.abs(w_l2 - w_w).max():.3f}")

# %% [markdown]
# With a decaying schedule the fixed-step methods settle instead of hovering. Adam + L2 and AdamW
# minimise different things: L2 adds $\tfrac\lambda2\lVert w\rVert^2$ to the loss (with the gradient
# then rescaled coordinate-wise), AdamW shrinks every weight by the same factor $1 - \eta\lambda$ per
# step whatever its gradient — equal $\lambda$, different solutions.
#
# ## Parity checks
#
# **Minima vs `scipy.optimize.minimize`.** Ours at `tol=1e-10` (on $\max|\nabla f|$) against SciPy's
# `BFGS` (`gtol=1e-10`), `L-BFGS-B` (`gtol=1e-10`, and `ftol=0` — otherwise it stops on a relative
# decrease of $f$ of $2.2\cdot10^{-9}$ long before the gradient is small) and `Newton-CG`
# (`xtol=1e-14`). The tolerance is the strong-convexity bound: near a minimiser
# $\lVert x - x^\star\rVert \le \lVert\nabla f(x)\rVert_2/\mu$, so two points whose gradients are
# $g_1, g_2$ lie within $(\lVert g_1\rVert_2 + \lVert g_2\rVert_2)/\mu$ of each other; we allow twice that
# (the Hessian varies a little around $x^\star$ on non-quadratic problems), computed from the gradients
# each solver actually stopped at. Two SciPy stops are worth knowing:
#
# * `BFGS` on logistic regression ends with "precision loss" at $\max|\nabla f| \approx 6\cdot10^{-10}$:
#   its line search needs a decrease of $f$ that rounding of $f \approx 0.066$ can no longer show.
# * `Newton-CG` stops at $\max|\nabla f| \approx 7\cdot10^{-8}$ on logistic regression *whatever
#   `xtol` is*: its inner CG loop quits when the curvature $p^\top H p \le 3\varepsilon_{\text{mach}}$
#   (an absolute test), which for $p = -\nabla f$ of size $10^{-8}$ is always true, so the step is zero
#   and the outer loop ends "successfully". The bound, computed from its gradient, is $\sim 10^{-4}$ —
#   a statement about SciPy's precision, not ours; our Newton reaches $10^{-13}$.

# %%
scipy_runs = [
    ("BFGS", bfgs, dict(gtol=1e-10)),
    ("L-BFGS-B", lbfgs, dict(gtol=1e-10, ftol=0.0, maxcor=10)),
    ("Newton-CG", newton, dict(xtol=1e-14)),
]
for pname, p in problems.items():
    for method, ours_fn, options in scipy_runs:
        kw = dict(hess=p["hess"]) if ours_fn is newton else {}
        ours = ours_fn(p["fun"], p["x0"], p["jac"], tol=1e-10, max_iter=5000, **kw)
        ref = so.minimize(p["fun"], p["x0"], jac=p["jac"], method=method, options=dict(maxiter=5000, **options), **kw)
        g_ref = p["jac"](ref.x)
        atol = 2 * (np.linalg.norm(ours.jac) + np.linalg.norm(g_ref)) / mu[pname]
        parity.check(
            f"argmin · {pname} · {ours_fn.__name__} vs {method}",
            ours=lambda fn=ours_fn, p=p, kw=kw: fn(p["fun"], p["x0"], p["jac"], tol=1e-10, max_iter=5000, **kw).x,
            reference=lambda m=method, p=p, o=options, kw=kw: so.minimize(p["fun"], p["x0"], jac=p["jac"], method=m, options=dict(maxiter=5000, **o), **kw).x,
            atol=atol,
            why=f"2(‖g_ours‖+‖g_ref‖)/μ with max|g_ours| = {np.abs(ours.jac).max():.0e}, "
                f"max|g_ref| = {np.abs(g_ref).max():.0e} ({ref.message})",
        )

# %% [markdown]
# **`optim.*` vs `torch.optim`, step by step.** Both sides start from the same random parameters
# (a weight matrix $30\times1$ and a bias, float64), get the gradient of the logistic loss at *their
# own* current iterate, and take 50 steps; every one of the 50 iterates is compared. Since the update
# formulas are the same operations in the same order, only rounding can differ, and it does not grow
# in 50 steps of a contracting iteration: `atol=1e-10`.

# %%
X_std, y_f = X_bc[:, :-1], y_bc.astype(np.float64)


def log_loss_grads(W, b):
    p = 1.0 / (1.0 + np.exp(-(X_std @ W[:, 0] + b[0])))
    r = (p - y_f) / len(y_f)
    return (X_std.T @ r)[:, None], np.array([r.sum()])


def iterates(ours_cls, torch_cls, kwargs, n_steps=50):
    rng = np.random.default_rng(42)
    W0, b0 = rng.normal(size=(30, 1)), rng.normal(size=1)
    ours = [SimpleNamespace(data=W0.copy(), grad=None), SimpleNamespace(data=b0.copy(), grad=None)]
    theirs = [torch.tensor(W0.copy(), requires_grad=True), torch.tensor(b0.copy(), requires_grad=True)]
    o, t = ours_cls(ours, **kwargs), torch_cls(theirs, **kwargs)
    ours_path, torch_path = [], []
    for _ in range(n_steps):
        for p, g in zip(ours, log_loss_grads(ours[0].data, ours[1].data), strict=True):
            p.grad = g
        for p, g in zip(theirs, log_loss_grads(theirs[0].detach().numpy(), theirs[1].detach().numpy()), strict=True):
            p.grad = torch.from_numpy(g)
        o.step()
        t.step()
        ours_path.append(np.concatenate([p.data.ravel() for p in ours]))
        torch_path.append(np.concatenate([p.detach().numpy().ravel() for p in theirs]))
    return np.array(ours_path), np.array(torch_path)


torch_configs = [
    ("SGD", optim.SGD, torch.optim.SGD, dict(lr=0.5)),
    ("SGD momentum+dampening+wd", optim.SGD, torch.optim.SGD, dict(lr=0.5, momentum=0.9, dampening=0.2, weight_decay=0.01)),
    ("SGD Nesterov+wd", optim.SGD, torch.optim.SGD, dict(lr=0.5, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("RMSprop", optim.RMSprop, torch.optim.RMSprop, dict(lr=0.01)),
    ("RMSprop centred+momentum+wd", optim.RMSprop, torch.optim.RMSprop, dict(lr=0.01, centered=True, momentum=0.5, weight_decay=0.01)),
    ("Adam", optim.Adam, torch.optim.Adam, dict(lr=0.05)),
    ("Adam L2 + AMSGrad", optim.Adam, torch.optim.Adam, dict(lr=0.05, weight_decay=0.1, amsgrad=True)),
    ("AdamW", optim.AdamW, torch.optim.AdamW, dict(lr=0.05, weight_decay=0.1)),
    ("AdamW + AMSGrad", optim.AdamW, torch.optim.AdamW, dict(lr=0.05, weight_decay=0.1, amsgrad=True)),
]
for name, ours_cls, torch_cls, kwargs in torch_configs:
    ours_path, torch_path = iterates(ours_cls, torch_cls, kwargs)
    parity.check(f"50 iterates · {name} {kwargs}", ours=ours_path, reference=torch_path, atol=1e-10,
                 why="same float64 update formulas as torch/optim/*.py; rounding only")

# %% [markdown]
# **Schedules vs `torch.optim.lr_scheduler`.** Torch updates the learning rate recursively from its
# current value (e.g. the cosine schedule multiplies by a ratio of cosines); we do the same
# arithmetic in the same order, so the 100 learning rates must agree **exactly** (`atol=0`).

# %%
def lr_sequence(make, n=100):
    o = optim.SGD([SimpleNamespace(data=np.zeros(1), grad=None)], lr=0.3)
    s = make(o)
    return [s.get_last_lr()[0]] + [(o.step(), s.step(), s.get_last_lr()[0])[-1] for _ in range(n)]


def torch_lr_sequence(make, n=100):
    o = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.3)
    s = make(o)
    return [s.get_last_lr()[0]] + [(o.step(), s.step(), s.get_last_lr()[0])[-1] for _ in range(n)]


TS = torch.optim.lr_scheduler
for name, ours_make, torch_make in [
    ("StepLR(step_size=30, gamma=0.5)", lambda o: lr_scheduler.StepLR(o, 30, 0.5), lambda o: TS.StepLR(o, 30, 0.5)),
    ("ExponentialLR(gamma=0.97)", lambda o: lr_scheduler.ExponentialLR(o, 0.97), lambda o: TS.ExponentialLR(o, 0.97)),
    ("CosineAnnealingLR(T_max=100)", lambda o: lr_scheduler.CosineAnnealingLR(o, 100), lambda o: TS.CosineAnnealingLR(o, 100)),
    ("CosineAnnealingLR(T_max=30, eta_min=0.01), past T_max",
     lambda o: lr_scheduler.CosineAnnealingLR(o, 30, 0.01), lambda o: TS.CosineAnnealingLR(o, 30, 0.01)),
]:
    parity.check(f"lr sequence · {name}", ours=np.array(lr_sequence(ours_make)),
                 reference=np.array(torch_lr_sequence(torch_make)), atol=0.0,
                 why="same recursive formula as torch.optim.lr_scheduler: bit-for-bit")

# %% [markdown]
# **The line search itself.** A last check that does not need a reference library: the step our
# `wolfe_line_search` returns from 200 random points and directions on Rosenbrock satisfies both
# strong Wolfe conditions (the fraction of violations must be exactly 0).

# %%
def wolfe_violations(n=200, c1=1e-4, c2=0.9):
    rng_ = np.random.default_rng(7)
    bad = 0
    for _ in range(n):
        x = rng_.uniform(-2, 2, size=2)
        p = -so.rosen_der(x)
        res = line_search.wolfe_line_search(so.rosen, so.rosen_der, x, p, c1=c1, c2=c2)
        armijo = so.rosen(x + res.alpha * p) <= so.rosen(x) + c1 * res.alpha * (so.rosen_der(x) @ p)
        curvature = abs(so.rosen_der(x + res.alpha * p) @ p) <= c2 * abs(so.rosen_der(x) @ p)
        bad += not (res.success and armijo and curvature)
    return bad / n


parity.check("strong Wolfe violations · 200 random Rosenbrock searches", ours=wolfe_violations, reference=0.0,
             atol=0.0, why="N&W Alg. 3.5/3.6 returns only steps meeting both conditions")

# %%
parity.table()
