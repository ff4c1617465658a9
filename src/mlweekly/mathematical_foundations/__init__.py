"""Mathematical foundations from scratch: differentiation and optimisation (F2, F3), linear algebra
and information theory (F1, F4). Names are imported lazily."""

from importlib import import_module

_EXPORTS = {
    # F2 differentiation
    "numerical_gradient": "differentiation",
    "numerical_jacobian": "differentiation",
    "default_step": "differentiation",
    # F3 optimisation
    "gradient_descent": "optimisers",
    "momentum": "optimisers",
    "adam": "optimisers",
    "newton": "optimisers",
    "bfgs": "optimisers",
    "lbfgs": "optimisers",
    "wolfe_line_search": "line_search",
    "OptimizeResult": "optimisers",
    # F4 information theory
    **dict.fromkeys(
        [
            "entropy",
            "binary_entropy",
            "cross_entropy",
            "kl_divergence",
            "js_divergence",
            "jensenshannon",
            "perplexity",
            "contingency_matrix",
            "mutual_info_score",
            "mutual_info_binned",
            "information_gain",
        ],
        "information_theory",
    ),
    # F1 linear algebra
    **dict.fromkeys(
        ["qr", "cholesky", "lu", "lu_solve", "solve", "inv", "solve_triangular"], "linear_algebra"
    ),
    **dict.fromkeys(["tridiagonalize", "eigh", "svd"], "symmetric_eigen"),
    **dict.fromkeys(["lstsq", "pinv", "cond", "norm1"], "least_squares"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
