"""Autograd overhead: our NumPy engine vs torch.autograd (CPU, float64), in the same process.

Cases (each writes benchmarks/results/<case>.json):

* ``autograd_chain100_10x10``: forward and backward through a chain of 100 elementwise operations
  (mul, add, tanh, exp in turn) on a 10×10 tensor — almost pure per-operation overhead (graph
  bookkeeping, Python calls), since each operation touches only 100 numbers;
* ``autograd_mlp_256x64``: one forward/backward of a two-layer tanh MLP with a log-softmax loss on
  a 256×64 batch (10 classes) — the size of a small training step, where the arithmetic starts to
  matter.

Equal work is shown by the quality numbers: the largest difference between the two engines' leaf
gradients, relative to the largest gradient. There is no speed requirement in the issue ("measured
and reported"); the target ratio is set to 10 (ours at most ten times slower than torch) as a
yardstick, and both sides run with one thread. On tiny tensors both engines are dominated by
per-operation Python overhead, so the ratio is close to 1.

Run: ``python benchmarks/bench_autograd.py`` or ``mlweekly bench autograd``.
"""

from __future__ import annotations

import numpy as np
import torch

from mlweekly import bench
from mlweekly.deep_learning.tensor import Tensor

SEED = 0
TARGET = 10.0


def _compare(name, ours, ref, data_shape, notes):
    """Time both sides; the quality number is the largest gradient difference, relative."""
    g_ours, g_ref = ours(), ref()
    diff = float(np.max(np.abs(g_ours - g_ref)) / np.max(np.abs(g_ref)))
    quality = {"max_rel_grad_diff": diff}
    bench.compare(
        name, ours, ref, data_shape=data_shape, target_ratio=TARGET, repeats=20, quality=quality, notes=notes
    )


def chain(x, n_ops=100):
    """The same chain for both engines: x -> x*0.9 -> +0.1 -> tanh -> exp -> ... (values stay O(1))."""
    y = x
    for k in range(n_ops):
        step = k % 4
        if step == 0:
            y = y * 0.9
        elif step == 1:
            y = y + 0.1
        elif step == 2:
            y = y.tanh()
        else:
            y = y.exp()
    return y.sum()


def case_chain():
    x0 = np.random.default_rng(SEED).normal(size=(10, 10))

    def ours():
        x = Tensor(x0, requires_grad=True)
        chain(x).backward()
        return x.grad

    def ref():
        x = torch.tensor(x0, requires_grad=True)
        chain(x).backward()
        return x.grad.numpy()

    notes = "forward+backward of 100 elementwise ops; per-op overhead; torch CPU float64, 1 thread"
    _compare("autograd_chain100_10x10", ours, ref, (10, 10), notes)


def case_mlp(n=256, d=64, hidden=128, K=10):
    rng = np.random.default_rng(SEED)
    X, y = rng.normal(size=(n, d)), rng.integers(0, K, n)
    W1, b1 = rng.normal(size=(d, hidden)) / np.sqrt(d), np.zeros(hidden)
    W2, b2 = rng.normal(size=(hidden, K)) / np.sqrt(hidden), np.zeros(K)
    rows = np.arange(n)

    def loss(params, Xc):
        w1, c1, w2, c2 = params
        logits = (Xc @ w1 + c1).tanh() @ w2 + c2
        return -logits.log_softmax(axis=1)[rows, y].mean()

    def ours():
        params = [Tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
        loss(params, Tensor(X)).backward()
        return np.concatenate([p.grad.ravel() for p in params])

    def ref():
        params = [torch.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
        loss(params, torch.from_numpy(X)).backward()
        return np.concatenate([p.grad.numpy().ravel() for p in params])

    notes = "one forward/backward of a 64-128-10 tanh MLP with log-softmax loss; float64, 1 thread"
    _compare("autograd_mlp_256x64", ours, ref, (n, d), notes)


if __name__ == "__main__":
    torch.set_num_threads(1)
    case_chain()
    case_mlp()
