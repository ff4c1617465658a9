"""One training epoch of a 784–256–10 ReLU MLP, batch 128, SGD (momentum 0.9): ours (NumPy) vs PyTorch.

Data: the 10 000 real MNIST images shipped with the package (``mnist_test10k``), pixels in [0, 1].
Both sides use **float64** (our MLP computes in float64 only; torch model and data are converted
with ``.double()``), **one thread** (``threadpoolctl`` for NumPy's BLAS, ``torch.set_num_threads(1)``
for torch), the same initial weights and the same batches in the same order, so they do the same
arithmetic: the quality numbers show that the two trained models agree. Ours is timed through the
estimator (``MLPClassifier.fit`` with ``max_iter=1``: input validation, init, one epoch); torch's
through the usual loop (``model(x)``, ``CrossEntropyLoss``, ``zero_grad``, ``backward``, ``step``).
Run: ``python benchmarks/bench_mlp.py``; writes benchmarks/results/mlp_epoch_mnist10k_784_256_10.json.
"""

from __future__ import annotations

import warnings

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from mlweekly import bench, datasets
from mlweekly.deep_learning.mlp import MLPClassifier, init_params

HIDDEN, BATCH, LR, SEED = 256, 128, 0.05, 0


def torch_epoch(X: np.ndarray, y: np.ndarray) -> torch.nn.Module:
    """The same epoch in PyTorch: our init and permutation (same generator), torch's SGD."""
    rng = np.random.default_rng(SEED)
    p = init_params((X.shape[1], HIDDEN, 10), "relu", rng)
    model = torch.nn.Sequential(torch.nn.Linear(X.shape[1], HIDDEN), torch.nn.ReLU(),
                                torch.nn.Linear(HIDDEN, 10)).double()  # fmt: skip
    with torch.no_grad():
        for layer, l in ((model[0], 1), (model[2], 2)):
            layer.weight.copy_(torch.from_numpy(p[f"W{l}"].T))
            layer.bias.copy_(torch.from_numpy(p[f"b{l}"]))
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    order = torch.from_numpy(rng.permutation(len(y)))
    Xt, yt = torch.from_numpy(X)[order], torch.from_numpy(y)[order]
    for s in range(0, len(y), BATCH):
        loss = loss_fn(model(Xt[s : s + BATCH]), yt[s : s + BATCH])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def main() -> dict:
    mnist = datasets.load("mnist_test10k")
    X = mnist.images.reshape(len(mnist.images), -1) / 255.0
    y = mnist.target.to_numpy().astype(np.int64)
    ours = MLPClassifier((HIDDEN,), solver="sgd", learning_rate_init=LR, momentum=0.9,
                         nesterovs_momentum=False, batch_size=BATCH, alpha=0.0, max_iter=1,
                         random_state=SEED)  # fmt: skip
    torch.set_num_threads(1)
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # one epoch, on purpose
        ours.fit(X, y)
        model = torch_epoch(X, y)
        with torch.no_grad():
            P_ref = torch.softmax(model(torch.from_numpy(X)), dim=1).numpy()
        quality = {
            "ours_train_accuracy_after_1_epoch": float(ours.score(X, y)),
            "ref_train_accuracy_after_1_epoch": float((P_ref.argmax(axis=1) == y).mean()),
            "max_abs_proba_diff": float(np.abs(ours.predict_proba(X) - P_ref).max()),
        }
        result = bench.compare(
            "mlp_epoch_mnist10k_784_256_10",
            lambda: ours.fit(X, y),
            lambda: torch_epoch(X, y),
            data_shape=X.shape,
            target_ratio=2.0,
            repeats=5,
            quality=quality,
            notes="float64 both sides, 1 thread both sides (threadpoolctl / torch.set_num_threads); "
            f"784-{HIDDEN}-10 ReLU, batch {BATCH}, SGD lr={LR} momentum 0.9, same init and batches",
        )
    print(quality)
    return result


if __name__ == "__main__":
    main()
