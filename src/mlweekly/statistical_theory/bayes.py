r"""Bayes' theorem: discrete posteriors and the diagnostic test.

For hypotheses :math:`H_1, \dots, H_k` with prior :math:`P(H_i)` and likelihood :math:`P(D \mid H_i)`,

.. math::  P(H_i \mid D) = \frac{P(D \mid H_i)\, P(H_i)}{\sum_j P(D \mid H_j)\, P(H_j)}.

When the posterior has no closed form, :mod:`.monte_carlo` estimates its expectations by sampling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "bayes_posterior",
    "check_probability",
    "DiagnosticTest",
    "diagnostic_test",
]


def check_probability(value, name: str) -> np.ndarray:
    """Validate probabilities: numeric, not NaN, in [0, 1].

    Parameters
    ----------
    value : float or array-like
        The probabilities.
    name : str
        The parameter's name, used in the error message.

    Returns
    -------
    ndarray
        ``value`` as float64.

    Raises
    ------
    TypeError
        If ``value`` is not numeric.
    ValueError
        If an entry is NaN or outside [0, 1]; the message names ``name`` and the rule.
    """
    try:
        p = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a number (a probability in [0, 1]); got {value!r}") from exc
    if np.isnan(p).any():
        raise ValueError(f"{name} must be a probability in [0, 1]; got NaN")
    if ((p < 0) | (p > 1)).any():
        bad = p[(p < 0) | (p > 1)].ravel()[0]
        raise ValueError(f"{name} must be a probability in [0, 1]; got {bad:g}")
    return p


def _scalar_probability(value, name: str) -> float:
    p = check_probability(value, name)
    if p.ndim != 0:
        raise ValueError(f"{name} must be a single probability; got an array of shape {p.shape}")
    return float(p)


def _check_vector(value, name: str) -> np.ndarray:
    v = np.asarray(value, dtype=np.float64)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d array; got shape {v.shape}")
    if not np.isfinite(v).all():
        raise ValueError(f"{name} must be finite; got NaN or inf")
    return v


def bayes_posterior(prior, likelihood) -> np.ndarray:
    r"""Posterior over discrete hypotheses: prior times likelihood, normalised.

    Parameters
    ----------
    prior : array-like of shape (k,)
        :math:`P(H_i)`; probabilities that sum to 1.
    likelihood : array-like of shape (k,)
        :math:`P(D \mid H_i)` (or a density value), finite and >= 0; only ratios matter.

    Returns
    -------
    ndarray of shape (k,)
        :math:`P(H_i \mid D)`, summing to 1.

    Examples
    --------
    >>> bayes_posterior([0.5, 0.5], [0.9, 0.3])
    array([0.75, 0.25])
    """
    prior = check_probability(_check_vector(prior, "prior"), "prior")
    if not np.isclose(prior.sum(), 1.0, rtol=0, atol=1e-9):
        raise ValueError(f"prior must sum to 1; got {prior.sum():.12g}")
    likelihood = _check_vector(likelihood, "likelihood")
    if likelihood.shape != prior.shape:
        raise ValueError(f"likelihood has shape {likelihood.shape} but prior has shape {prior.shape}")
    if (likelihood < 0).any():
        raise ValueError("likelihood must be >= 0")
    joint = prior * likelihood
    evidence = joint.sum()  # the law of total probability: P(D) = sum_i P(D|H_i) P(H_i)
    if evidence == 0:
        raise ValueError("the data have probability 0 under every hypothesis with prior mass (P(D) = 0)")
    return joint / evidence


@dataclass(frozen=True)
class DiagnosticTest:
    r"""A binary test for a binary condition, as probabilities.

    Attributes
    ----------
    joint : ndarray of shape (2, 2)
        ``joint[i, j] = P(condition i, test j)`` with rows (sick, healthy) and columns
        (positive, negative); it sums to 1.
    p_positive : float
        :math:`P(T^+)`, by the law of total probability.
    ppv, npv : float
        :math:`P(D^+ \mid T^+)` and :math:`P(D^- \mid T^-)`; ``nan`` when the conditioning event
        has probability 0 (e.g. no test is ever positive), where they are undefined.
    """

    prevalence: float
    sensitivity: float
    specificity: float
    joint: np.ndarray
    p_positive: float
    ppv: float
    npv: float


def diagnostic_test(prevalence: float, sensitivity: float, specificity: float) -> DiagnosticTest:
    r"""PPV, NPV and the full 2x2 joint of a diagnostic test from Bayes' theorem.

    Parameters
    ----------
    prevalence : float
        :math:`P(D^+)`, the base rate of the condition.
    sensitivity : float
        :math:`P(T^+ \mid D^+)`, the true-positive rate.
    specificity : float
        :math:`P(T^- \mid D^-)`, the true-negative rate.

    Returns
    -------
    DiagnosticTest

    Examples
    --------
    >>> t = diagnostic_test(0.01, 0.99, 0.95)
    >>> round(t.ppv, 4)  # the base-rate fallacy: a positive test means only ~17%
    0.1667
    """
    prev, sens, spec = (
        _scalar_probability(v, n)
        for v, n in ((prevalence, "prevalence"), (sensitivity, "sensitivity"), (specificity, "specificity"))
    )
    joint = np.array(
        [[prev * sens, prev * (1 - sens)], [(1 - prev) * (1 - spec), (1 - prev) * spec]], dtype=np.float64
    )
    p_pos, p_neg = joint.sum(axis=0)
    ppv = joint[0, 0] / p_pos if p_pos > 0 else np.nan
    npv = joint[1, 1] / p_neg if p_neg > 0 else np.nan
    return DiagnosticTest(prev, sens, spec, joint, float(p_pos), float(ppv), float(npv))
