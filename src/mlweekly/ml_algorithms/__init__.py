"""Classical machine-learning algorithms from scratch, with scikit-learn's estimator contract.

Public names follow scikit-learn's. Each lives in a module named after its concept; they are
imported lazily so that one area's import cost is paid only when it is used.
"""

from importlib import import_module

_EXPORTS = {
    "LinearRegression": "linear_regression",
    "LogisticRegression": "logistic_regression",
    "plot_decision_boundary": "decision_boundary",
    "decision_boundary_grid": "decision_boundary",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
