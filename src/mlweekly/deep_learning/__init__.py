"""Deep learning from scratch: a reverse-mode autograd engine over NumPy, layers, losses, optimisers.

``Tensor`` and ``no_grad`` come from :mod:`.tensor`; layers and losses from :mod:`.nn`; optimisers
and learning-rate schedules from :mod:`.optim`. Names are imported lazily.
"""

from importlib import import_module

_EXPORTS = {
    "Tensor": "tensor",
    "no_grad": "tensor",
    "concatenate": "tensor",
    "stack": "tensor",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
