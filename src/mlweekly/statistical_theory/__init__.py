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
    # P1.20 hypothesis tests and power
    **dict.fromkeys(
        [
            "TestResult",
            "Chi2ContingencyResult",
            "ztest",
            "proportions_ztest",
            "ttest_1samp",
            "ttest_ind",
            "ttest_rel",
            "chi2_contingency",
        ],
        "hypothesis_tests",
    ),
    **dict.fromkeys(
        ["normal_power", "ttest_power", "NormalIndPower", "TTestIndPower", "TTestPower"], "power"
    ),
    # P1.21 confidence intervals and the bootstrap
    **dict.fromkeys(["ConfidenceInterval", "z_interval", "t_interval", "proportion_confint"], "intervals"),
    **dict.fromkeys(["bootstrap", "BootstrapResult", "jackknife_acceleration"], "bootstrap"),
    # P1.22 distributions (scipy.stats names) and P1.19 maximum likelihood
    **dict.fromkeys(
        ["norm", "expon", "gamma", "beta", "t", "chi2"]
        + ["bernoulli", "binom", "poisson", "multivariate_normal"],
        "distributions",
    ),
    **dict.fromkeys(
        [
            "MLEResult",
            "MVNFit",
            "fit_multivariate_normal",
            "loglik",
            "score",
            "observed_information",
            "profile_loglik",
            "profile_interval",
            "LikelihoodRatioTest",
            "likelihood_ratio_test",
        ],
        "mle",
    ),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
