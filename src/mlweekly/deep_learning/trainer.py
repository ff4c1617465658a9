"""A small, reusable PyTorch training loop for classifiers (CPU, seeded, with a progress bar).

The loop every PyTorch tutorial writes by hand, once::

    for epoch in range(epochs):
        model.train()
        for xb, yb in batches(shuffled):
            loss = loss_fn(model(xb), yb)        # forward
            optimizer.zero_grad()                # grads accumulate otherwise
            loss.backward()                      # reverse-mode autodiff
            optimizer.step()                     # update the parameters
        model.eval(); with torch.no_grad(): evaluate(validation set)

plus what makes it usable: a :class:`History` of per-epoch losses and accuracies (and every step's
loss), a tqdm progress bar, seeded shuffling and dropout (the same seed gives the same run), clear
errors for bad inputs, and a stop with :class:`NonFiniteLossError` naming the step where the loss
became NaN or infinite — before that step touches the parameters.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field

import numpy as np

try:
    import torch
    from torch import nn
except ImportError as exc:  # torch is the optional "deep" extra
    raise ImportError(
        "mlweekly.deep_learning.trainer needs PyTorch: pip install 'mlweekly[deep]' -c constraints.txt "
        "(the CPU build)"
    ) from exc
from tqdm import tqdm

__all__ = ["History", "NonFiniteLossError", "Trainer", "set_seed"]


def set_seed(seed: int) -> None:
    """Seed Python's, NumPy's and torch's global generators (call it before building a model)."""
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - legacy global state, seeded for third-party code that uses it
    torch.manual_seed(seed)


@dataclass
class History:
    """What :meth:`Trainer.fit` measured: one entry per epoch, and one loss per optimisation step.

    ``train_loss``/``train_accuracy`` are averaged over the epoch's batches (weighted by batch size)
    *while the model was changing* and in training mode (dropout on); ``val_loss``/``val_accuracy``
    are measured after the epoch in eval mode (NaN without validation data).
    """

    epoch: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.epoch)

    def to_frame(self):
        """The per-epoch columns as a pandas DataFrame indexed by epoch."""
        import pandas as pd

        columns = ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "seconds")
        return pd.DataFrame({c: getattr(self, c) for c in columns}, index=pd.Index(self.epoch, name="epoch"))


class NonFiniteLossError(FloatingPointError):
    """The loss became NaN or infinite; ``epoch``, ``step`` (1-based, within the epoch), ``global_step``
    and ``loss`` say where, ``history`` holds what was measured before."""

    def __init__(self, loss: float, epoch: int, step: int, steps: int, global_step: int, history: History):
        self.loss, self.epoch, self.step, self.global_step, self.history = (
            loss,
            epoch,
            step,
            global_step,
            history,
        )
        super().__init__(
            f"training stopped: the loss is {loss} at epoch {epoch}, step {step} of {steps} (global step "
            f"{global_step}); that step's update was not applied. Usual causes: a learning rate too "
            f"high (try 10x smaller), unnormalised inputs, or a loss computed as log(softmax) instead of "
            f"on logits."
        )


class Trainer:
    """Train and evaluate a torch classifier on in-memory data with mini-batch gradient descent.

    Parameters
    ----------
    model : torch.nn.Module
        Maps a batch of inputs to logits of shape (n, n_classes).
    optimizer : torch.optim.Optimizer
        Built on ``model.parameters()``.
    loss_fn : callable, default=torch.nn.CrossEntropyLoss()
        ``loss_fn(logits, targets)`` -> scalar mean loss over the batch.
    batch_size : int, default=64
        Samples per optimisation step (the last batch of an epoch may be smaller).
    seed : int, default=0
        Seeds the shuffling of every epoch and the global torch generator at each epoch's start
        (dropout), so two trainers with equal seeds, models and data produce identical runs.
    progress : bool, default=True
        Show a tqdm progress bar per epoch (on stdout), ending with the epoch's metrics.

    Attributes
    ----------
    history_ : History
        Everything measured by every :meth:`fit` call so far (epochs continue across calls).

    Examples
    --------
    >>> import torch
    >>> from mlweekly.deep_learning.torch_models import TorchMLP
    >>> X, y = torch.randn(200, 4), torch.randint(0, 3, (200,))
    >>> set_seed(0); model = TorchMLP(in_features=4, n_classes=3, hidden=(8,))
    >>> trainer = Trainer(model, torch.optim.SGD(model.parameters(), lr=0.1), progress=False)
    >>> len(trainer.fit(X, y, epochs=3)), len(trainer.history_.step_loss)
    (3, 12)
    """

    def __init__(self, model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn=None, *,
                 batch_size: int = 64, seed: int = 0, progress: bool = True):  # fmt: skip
        if not isinstance(model, nn.Module):
            raise TypeError(f"Trainer: model must be a torch.nn.Module, got {type(model).__name__}")
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(
                f"Trainer: optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}"
            )
        if int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"Trainer: batch_size must be a positive integer, got {batch_size!r}")
        self.model, self.optimizer = model, optimizer
        self.loss_fn = nn.CrossEntropyLoss() if loss_fn is None else loss_fn
        self.batch_size, self.seed, self.progress = int(batch_size), seed, progress
        self.history_ = History()
        self._generator = torch.Generator().manual_seed(seed)

    # ------------------------------------------------------------------------------------- inputs
    def _dtype(self) -> torch.dtype:
        param = next(self.model.parameters(), None)
        return param.dtype if param is not None else torch.get_default_dtype()

    def _tensors(self, X, y=None, name: str = "X") -> tuple[torch.Tensor, torch.Tensor | None]:
        """Inputs as tensors in the model's dtype, targets as int64; clear errors for bad ones."""
        X = torch.as_tensor(np.asarray(X) if not isinstance(X, torch.Tensor) else X)
        if X.ndim < 2 or X.shape[0] == 0:
            raise ValueError(f"Trainer: {name} must have shape (n_samples, ...) with n_samples >= 1, "
                             f"got {tuple(X.shape)}")  # fmt: skip
        if not (X.is_floating_point() or X.dtype in (torch.uint8, torch.int32, torch.int64, torch.bool)):
            raise TypeError(f"Trainer: {name} must be numeric, got dtype {X.dtype}")
        X = X.to(self._dtype())
        if not torch.isfinite(X).all():
            raise ValueError(
                f"Trainer: {name} contains NaN or infinity ({int((~torch.isfinite(X)).sum())} values)"
            )
        if y is None:
            return X, None
        y = torch.as_tensor(np.asarray(y) if not isinstance(y, torch.Tensor) else y)
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise ValueError(
                f"Trainer: targets for {name} must have shape ({X.shape[0]},), got {tuple(y.shape)}"
            )
        if y.is_floating_point() and not torch.equal(y, y.round()):
            raise TypeError("Trainer: targets must be integer class indices, got non-integer floats")
        return X, y.long()

    def _batches(self, n: int, shuffle: bool):
        order = torch.randperm(n, generator=self._generator) if shuffle else torch.arange(n)
        return [order[i : i + self.batch_size] for i in range(0, n, self.batch_size)]

    # ------------------------------------------------------------------------------------ training
    def fit(self, X, y, *, epochs: int = 1, validation_data: tuple | None = None) -> History:
        """Train for ``epochs`` passes over ``(X, y)`` in shuffled mini-batches.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, ...)
            Inputs; cast to the model's parameter dtype (float32 or float64).
        y : array-like or tensor of shape (n_samples,)
            Integer class indices.
        epochs : int, default=1
            Passes over the data.
        validation_data : tuple (X_val, y_val), optional
            Evaluated (eval mode, no gradients) after every epoch.

        Returns
        -------
        History
            ``self.history_``, extended by this call.

        Raises
        ------
        NonFiniteLossError
            The loss became NaN or infinite; the message names the epoch and the step.
        """
        if int(epochs) != epochs or epochs < 1:
            raise ValueError(f"Trainer.fit: epochs must be a positive integer, got {epochs!r}")
        X, y = self._tensors(X, y)
        val = self._tensors(*validation_data, name="validation X") if validation_data is not None else None
        hist = self.history_
        for _ in range(int(epochs)):
            epoch = len(hist) + 1
            start = time.perf_counter()
            loss, acc = self._train_epoch(X, y, epoch)
            v_loss, v_acc = self._evaluate(*val) if val is not None else (float("nan"), float("nan"))
            row = {"epoch": epoch, "train_loss": loss, "train_accuracy": acc, "val_loss": v_loss,
                   "val_accuracy": v_acc, "seconds": time.perf_counter() - start}  # fmt: skip
            for column, value in row.items():
                getattr(hist, column).append(value)
        return hist

    def _train_epoch(self, X: torch.Tensor, y: torch.Tensor, epoch: int) -> tuple[float, float]:
        self.model.train()
        torch.manual_seed(self.seed + epoch)  # dropout masks: reproducible, different every epoch
        batches = self._batches(len(X), shuffle=True)
        total_loss, correct = 0.0, 0
        # Updated by hand, not iterated: iterating closes the bar before the epoch's summary is set.
        bar = tqdm(total=len(batches), desc=f"epoch {epoch}", unit="batch", file=sys.stdout,
                   disable=not self.progress, mininterval=1.0, leave=True, ncols=100)  # fmt: skip
        for step, idx in enumerate(batches, start=1):
            xb, yb = X[idx], y[idx]
            logits = self.model(xb)
            loss = self.loss_fn(logits, yb)
            if not torch.isfinite(loss):
                bar.close()
                global_step = len(self.history_.step_loss) + 1
                raise NonFiniteLossError(loss.item(), epoch, step, len(batches), global_step, self.history_)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            self.history_.step_loss.append(loss.item())
            total_loss += loss.item() * len(idx)
            correct += int((logits.argmax(dim=1) == yb).sum())
            bar.update()
            if step % 20 == 0:
                bar.set_postfix(loss=f"{loss.item():.4f}", refresh=False)
        bar.set_postfix(loss=f"{total_loss / len(X):.4f}", acc=f"{correct / len(X):.4f}", refresh=False)
        bar.close()
        return total_loss / len(X), correct / len(X)

    # ---------------------------------------------------------------------------------- evaluation
    @torch.no_grad()
    def predict_logits(self, X) -> torch.Tensor:
        """Logits of every sample, in eval mode without gradients (batched)."""
        X, _ = self._tensors(X)
        self.model.eval()
        return torch.cat([self.model(X[idx]) for idx in self._batches(len(X), shuffle=False)])

    def predict(self, X) -> np.ndarray:
        """Predicted class indices (argmax of the logits) as an int64 NumPy array."""
        return self.predict_logits(X).argmax(dim=1).numpy()

    @torch.no_grad()
    def _evaluate(self, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
        self.model.eval()
        total_loss, correct = 0.0, 0
        for idx in self._batches(len(X), shuffle=False):
            logits = self.model(X[idx])
            total_loss += self.loss_fn(logits, y[idx]).item() * len(idx)
            correct += int((logits.argmax(dim=1) == y[idx]).sum())
        return total_loss / len(X), correct / len(X)

    def evaluate(self, X, y) -> dict[str, float]:
        """Mean loss and accuracy on ``(X, y)`` in eval mode: ``{"loss": ..., "accuracy": ...}``.

        The accuracy is (number correct) / n, the same float as
        ``sklearn.metrics.accuracy_score(y, self.predict(X))``.
        """
        loss, acc = self._evaluate(*self._tensors(X, y))
        return {"loss": loss, "accuracy": acc}
