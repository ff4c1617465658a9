"""Deep learning from scratch: a reverse-mode autograd engine over NumPy, layers, losses, optimisers.

``Tensor`` and ``no_grad`` come from :mod:`.tensor`; layers and losses from :mod:`.nn`; optimisers
and learning-rate schedules from :mod:`.optim`. Names are imported lazily.
"""

from importlib import import_module

_EXPORTS = {
    "MLPClassifier": "mlp",
    "gradient_check": "mlp",
    "Tensor": "tensor",
    "no_grad": "tensor",
    "is_grad_enabled": "tensor",
    "concatenate": "tensor",
    "stack": "tensor",
    # optimisers and learning-rate schedules (torch.optim's names and update rules)
    "SGD": "optim",
    "RMSprop": "optim",
    "Adam": "optim",
    "AdamW": "optim",
    "StepLR": "lr_scheduler",
    "ExponentialLR": "lr_scheduler",
    "CosineAnnealingLR": "lr_scheduler",
    # P1.17-P1.18 PyTorch reference models and training loop (need the "deep" extra: torch)
    "LeNet5": "torch_models",
    "TorchMLP": "torch_models",
    "Trainer": "trainer",
    "History": "trainer",
    "NonFiniteLossError": "trainer",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
