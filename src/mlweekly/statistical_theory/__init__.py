"""Probability and statistics from scratch: Bayes, conjugate updates, distributions, tests.

Names follow scipy.stats where one exists; modules are imported lazily.
"""

from importlib import import_module

_EXPORTS: dict[str, str] = {
    # filled by each module's public names, e.g. "beta_binomial_update": "bayes"
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
