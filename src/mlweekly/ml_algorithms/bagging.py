"""Bagging (bootstrap aggregating) from scratch: fit one model per bootstrap sample, average them.

Each member sees a bootstrap sample — ``n`` rows drawn with replacement — passed as integer
*sample weights* (the draw counts) when the member's ``fit`` accepts them, so every row is present
once with weight 0, 1, 2, ... (what scikit-learn's ensembles do; it saves copying ``X``). The rows a
member never drew (weight 0, about ``e⁻¹ ≈ 36.8 %``) are its *out-of-bag* rows: predicting them with
the members that did not see them gives a free estimate of the test error (``oob_score_``).

Random draws follow scikit-learn's forests exactly (one int32 seed per member drawn from
``check_random_state(random_state)``, then the rows from ``RandomState(seed)``), so a forest and
scikit-learn's with the same ``random_state`` draw the same bootstrap samples (lesson P1.09 uses
this for an exact parity check).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.metrics import accuracy_score
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, has_fit_parameter, validate_data

# The single place the ensembles get their trees from (forest.py imports them from here).
from mlweekly.ml_algorithms._validation import _check_sample_weight
from mlweekly.ml_algorithms.tree import DecisionTreeClassifier, DecisionTreeRegressor  # noqa: F401

__all__ = ["BaggingClassifier", "bootstrap_counts", "member_seeds", "n_bootstrap_draws"]

MAX_INT = np.iinfo(np.int32).max
# joblib backend for n_jobs: "threads" shares X without copying and pays off when the members'
# fit releases the GIL; "processes" (loky) is the fallback for pure-Python members.
# Measured in benchmarks/bench_forest.py (see the lesson P1.09).
PREFER = "threads"


def member_seeds(random_state, n_members: int) -> np.ndarray:
    """One int32 seed per member, drawn one at a time from ``check_random_state(random_state)``.

    Parameters
    ----------
    random_state : None, int or numpy.random.RandomState
        The ensemble's ``random_state``.
    n_members : int
        Number of members (trees).

    Returns
    -------
    seeds : ndarray of shape (n_members,)
        The same seeds scikit-learn's forests give their trees.
    """
    rs = check_random_state(random_state)
    return np.array([rs.randint(MAX_INT) for _ in range(n_members)], dtype=np.int64)


def n_bootstrap_draws(n_samples: int, max_samples, sample_weight=None) -> int:
    """Size of one bootstrap sample: ``n_samples`` (None), an int, or a fraction of the rows.

    A fraction counts weighted rows (``max_samples · Σ w``) when ``sample_weight`` is given.
    """
    if max_samples is None:
        return n_samples
    if isinstance(max_samples, numbers.Integral) and not isinstance(max_samples, bool):
        if max_samples < 1:
            raise ValueError(f"max_samples must be >= 1 when an integer, got {max_samples}")
        return int(max_samples)
    if isinstance(max_samples, numbers.Real) and 0.0 < max_samples <= 1.0:
        total = n_samples if sample_weight is None else float(np.sum(sample_weight))
        return max(int(max_samples * total), 1)
    raise ValueError(f"max_samples must be None, an integer >= 1 or a float in (0, 1], got {max_samples!r}")


def _draw_rows(rs: np.random.RandomState, n_samples, n_draws, replace, sample_weight=None):
    if not replace:  # "pasting": a uniform subset without repeats
        return rs.permutation(n_samples)[:n_draws]
    if sample_weight is not None:  # frequency semantics: weight w behaves like the row repeated w times
        return rs.choice(n_samples, n_draws, replace=True, p=sample_weight / sample_weight.sum())
    return rs.randint(0, n_samples, n_draws)


def bootstrap_counts(seed, n_samples: int, n_draws: int, sample_weight=None) -> np.ndarray:
    """How often each row is drawn in the bootstrap sample of the member with this ``seed``.

    Parameters
    ----------
    seed : int
        The member's seed (see :func:`member_seeds`).
    n_samples : int
        Rows in the training set.
    n_draws : int
        Size of the bootstrap sample (see :func:`n_bootstrap_draws`).
    sample_weight : ndarray of shape (n_samples,), optional
        Draw row ``i`` with probability ``w_i / Σ w`` instead of uniformly.

    Returns
    -------
    counts : ndarray of shape (n_samples,)
        Non-negative integers summing to ``n_draws``; zero marks an out-of-bag row.

    Examples
    --------
    >>> from mlweekly.ml_algorithms.bagging import bootstrap_counts
    >>> counts = bootstrap_counts(0, 10_000, 10_000)
    >>> round(float((counts > 0).mean()), 2)  # 1 - (1 - 1/n)^n ≈ 1 - 1/e
    0.63
    """
    rows = _draw_rows(np.random.RandomState(seed), n_samples, n_draws, True, sample_weight)
    return np.bincount(rows, minlength=n_samples)


def check_sample_weight(sample_weight, n_samples: int) -> np.ndarray | None:
    """``None`` (draw uniformly) or a finite, non-negative float64 vector with a positive sum."""
    return None if sample_weight is None else _check_sample_weight(sample_weight, n_samples)


def encode_classes(estimator, y) -> np.ndarray:
    """Set ``classes_`` on ``estimator`` and return ``y`` as codes ``0..K-1`` (members learn codes)."""
    check_classification_targets(y)
    estimator.classes_, codes = np.unique(y, return_inverse=True)
    if estimator.classes_.size < 2:
        only = estimator.classes_[0]
        only = only.item() if isinstance(only, np.generic) else only
        name = type(estimator).__name__
        raise ValueError(f"{name} needs samples of at least 2 classes; got one class only: {only!r}")
    return codes


def fit_member(member, X, y, features, rows, weight=None):
    """Fit one member on its drawn ``rows``: as count weights when its ``fit`` takes weights.

    ``weight`` multiplies the counts (sample weights passed through when rows are not resampled
    by weight).
    """
    Xf = X if features is None else X[:, features]
    if has_fit_parameter(member, "sample_weight"):
        counts = np.bincount(rows, minlength=X.shape[0]).astype(np.float64)
        return member.fit(Xf, y, sample_weight=counts if weight is None else counts * weight)
    if weight is not None:
        raise ValueError(
            f"{type(member).__name__}.fit takes no sample_weight: with bootstrap=False the weights "
            "cannot be honoured (use bootstrap=True, which draws rows in proportion to them)"
        )
    return member.fit(Xf[rows], y[rows])


def class_scores(member, X, n_classes: int) -> np.ndarray:
    """A member's class probabilities (or one-hot vote) as columns ``0..K-1`` of the ensemble.

    A member trained on a sample that missed a class knows fewer classes: its columns are placed at
    the codes it did see (its ``classes_``), the others stay zero.
    """
    out = np.zeros((X.shape[0], n_classes))
    seen = np.asarray(member.classes_).astype(np.intp)
    if hasattr(member, "predict_proba"):
        out[:, seen] = member.predict_proba(X)
    else:
        out[np.arange(X.shape[0]), np.asarray(member.predict(X)).astype(np.intp)] = 1.0
    return out


def oob_average(predictions, oob_masks, n_samples: int, n_columns: int) -> np.ndarray:
    """Average each row's predictions over the members for which it was out of bag.

    Rows that were in every bootstrap sample get zeros and a warning (scikit-learn's convention).
    """
    total = np.zeros((n_samples, n_columns))
    n_oob = np.zeros(n_samples)
    for pred, mask in zip(predictions, oob_masks, strict=True):
        total[mask] += pred.reshape(pred.shape[0], -1)
        n_oob[mask] += 1
    if np.any(n_oob == 0):
        warnings.warn(
            f"{int((n_oob == 0).sum())} samples were never out of bag, so they have no OOB prediction "
            "(set to 0); use more estimators for a reliable OOB estimate.",
            UserWarning,
            stacklevel=3,
        )
        n_oob[n_oob == 0] = 1
    return total / n_oob[:, None]


class BaggingClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Bootstrap-aggregated classifier: the average of members fitted on bootstrap samples.

    Parameters
    ----------
    estimator : classifier, default=None
        The member to clone; ``None`` means our :class:`~mlweekly.ml_algorithms.DecisionTreeClassifier`.
    n_estimators : int, default=10
        Number of members.
    max_samples : int or float, default=1.0
        Rows per sample: an int, or a fraction of the rows.
    max_features : int or float, default=1.0
        Features per member (a fixed random subset for the whole member, not per split).
    bootstrap : bool, default=True
        Draw rows with replacement; ``False`` draws without replacement ("pasting").
    bootstrap_features : bool, default=False
        Draw the features with replacement.
    oob_score : bool, default=False
        Estimate the accuracy on out-of-bag rows (needs ``bootstrap=True``).
    n_jobs : int, default=None
        Members fitted in parallel by joblib (``None``: 1, ``-1``: all cores).
    random_state : int, RandomState or None, default=None
        Seeds the draws.

    Attributes
    ----------
    estimators_ : list of classifiers
        The fitted members; they learn class codes ``0..K-1``.
    estimators_features_ : list of ndarray
        The feature indices of each member.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    oob_score_ : float
        Accuracy of the out-of-bag predictions (with ``oob_score=True``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities of the training rows (with ``oob_score=True``).
    n_features_in_ : int
        Number of features seen in :meth:`fit`.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import BaggingClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2)); y = (X[:, 0] + X[:, 1] > 0).astype(int)
    >>> clf = BaggingClassifier(n_estimators=20, oob_score=True, random_state=0).fit(X, y)
    >>> clf.predict([[2.0, 2.0], [-2.0, -2.0]])
    array([1, 0])
    >>> bool(clf.oob_score_ > 0.9)
    True
    """

    def __init__(
        self,
        estimator=None,
        n_estimators=10,
        max_samples=1.0,
        max_features=1.0,
        bootstrap=True,
        bootstrap_features=False,
        oob_score=False,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags

    def _check_params(self, n_features: int) -> int:
        if not isinstance(self.n_estimators, numbers.Integral) or self.n_estimators < 1:
            raise ValueError(f"n_estimators must be an integer >= 1, got {self.n_estimators!r}")
        if self.oob_score and not self.bootstrap:
            raise ValueError("oob_score=True needs bootstrap=True: without it no row is out of bag")
        mf = self.max_features
        if isinstance(mf, numbers.Integral) and not isinstance(mf, bool) and 1 <= mf <= n_features:
            return int(mf)
        if isinstance(mf, numbers.Real) and not isinstance(mf, numbers.Integral) and 0.0 < mf <= 1.0:
            return max(1, int(mf * n_features))
        raise ValueError(
            f"max_features must be an integer in [1, {n_features}] or a float in (0, 1], got {mf!r}"
        )

    def _draw(self, seed, n_samples, n_features):
        """Feature and row indices of the member with this seed (features first, then rows)."""
        rs = np.random.RandomState(seed)
        if self.bootstrap_features:
            features = rs.randint(0, n_features, self._n_features_member)
        elif self._n_features_member < n_features:
            features = np.sort(rs.permutation(n_features)[: self._n_features_member])
        else:
            features = None  # all of them, in order
        rows = _draw_rows(rs, n_samples, self._n_draws, self.bootstrap, self._sample_weight)
        return features, rows

    def fit(self, X, y, sample_weight=None):
        """Fit ``n_estimators`` members, each on its own bootstrap sample (and feature subset).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (no NaN or inf).
        y : array-like of shape (n_samples,)
            Class labels, at least two classes.
        sample_weight : array-like of shape (n_samples,), optional
            With ``bootstrap=True`` rows are drawn with probability proportional to their weight;
            otherwise the weights are passed to the members.

        Returns
        -------
        self : BaggingClassifier
            The fitted ensemble.
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        codes = encode_classes(self, y)
        n, d = X.shape
        self._n_features_member = self._check_params(d)
        self._sample_weight = check_sample_weight(sample_weight, n)
        self._n_draws = n_bootstrap_draws(n, self.max_samples, self._sample_weight)
        if not self.bootstrap and self._n_draws > n:
            raise ValueError(f"max_samples={self.max_samples} is more than the {n} rows (bootstrap=False)")
        base = DecisionTreeClassifier() if self.estimator is None else self.estimator
        self._n_samples = n
        self._seeds = member_seeds(self.random_state, self.n_estimators)
        draws = [self._draw(s, n, d) for s in self._seeds]
        members = []
        for seed in self._seeds:
            member = clone(base)
            if "random_state" in member.get_params():
                member.set_params(random_state=int(seed))
            members.append(member)
        self.estimators_ = Parallel(n_jobs=self.n_jobs, prefer=PREFER)(
            delayed(fit_member)(m, X, codes, f, r, None if self.bootstrap else self._sample_weight)
            for m, (f, r) in zip(members, draws, strict=True)
        )
        self.estimators_features_ = [np.arange(d) if f is None else f for f, _ in draws]
        if self.oob_score:
            masks = [np.bincount(r, minlength=n) == 0 for _, r in draws]
            preds = [
                class_scores(m, X[mask][:, f], self.classes_.size)
                for m, f, mask in zip(self.estimators_, self.estimators_features_, masks, strict=True)
            ]
            self.oob_decision_function_ = oob_average(preds, masks, n, self.classes_.size)
            self.oob_score_ = accuracy_score(codes, self.oob_decision_function_.argmax(axis=1))
        return self

    @property
    def estimators_samples_(self):
        """The drawn row indices of each member (with repeats), regenerated from the seeds."""
        check_is_fitted(self)
        return [self._draw(s, self._n_samples, self.n_features_in_)[1] for s in self._seeds]

    def predict_proba(self, X):
        """Mean of the members' class probabilities (one-hot votes for members without them).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``; rows sum to one.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        total = np.zeros((X.shape[0], self.classes_.size))
        for member, features in zip(self.estimators_, self.estimators_features_, strict=True):
            total += class_scores(member, X[:, features], self.classes_.size)
        return total / len(self.estimators_)

    def predict(self, X):
        """The class with the highest mean probability.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Entries of ``classes_``.
        """
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]
