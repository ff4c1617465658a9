"""Probability and statistics from scratch: Bayes, conjugate updates, distributions, tests.

Names follow scipy.stats where one exists; modules are imported lazily.
"""

from importlib import import_module

_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        [
            "bayes_posterior",
            "check_probability",
            "DiagnosticTest",
            "diagnostic_test",
        ],
        "bayes",
    ),
    **dict.fromkeys(
        [
            "MonteCarloEstimate",
            "monte_carlo",
            "running_monte_carlo",
            "importance_sampling",
            "rejection_sample",
        ],
        "monte_carlo",
    ),
    **dict.fromkeys(["BetaBinomial", "NormalNormal"], "conjugate"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
