"""k-nearest neighbours: predict from the labels of the k closest training points.

Classification takes the (weighted) vote of the neighbours' classes, regression their (weighted)
mean. There is nothing to learn at fit time but an index of the training set — brute force (the
data itself, searched with the identity ``‖q − x‖² = ‖q‖² − 2 q·x + ‖x‖²``) or a KD-tree — and every
prediction is a neighbour search. Parameters, attributes and tie rules follow
``sklearn.neighbors.KNeighborsClassifier`` / ``KNeighborsRegressor``.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlweekly.ml_algorithms import _brute
from mlweekly.ml_algorithms._distances import effective_p, metric_name
from mlweekly.ml_algorithms.kd_tree import KDTree

__all__ = ["KNeighborsClassifier", "KNeighborsRegressor"]

_ALGORITHMS = ("auto", "brute", "kd_tree")
_SHARED_DOC = """
    Parameters
    ----------
    n_neighbors : int, default=5
        Number of neighbours ``k``.
    weights : {"uniform", "distance"} or callable, default="uniform"
        ``"uniform"``: every neighbour counts the same. ``"distance"``: weight ``1/d``; when a query
        is at distance 0 from some training points, those points get weight 1 and all others 0 (as
        scikit-learn). A callable maps the distance array to a weight array of the same shape.
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        ``"auto"`` follows scikit-learn: brute force when there are more than 15 features or
        ``n_neighbors >= n_samples // 2``, a KD-tree otherwise.
    leaf_size : int, default=30
        Leaf size of the KD-tree.
    p : float, default=2
        Minkowski exponent (``>= 1``; ``np.inf`` allowed), used with ``metric="minkowski"``.
    metric : {"minkowski", "euclidean", "manhattan"}, default="minkowski"
        Distance. ``"minkowski"`` with ``p=2`` is Euclidean, with ``p=1`` Manhattan.
    n_jobs : int, default=None
        Threads for the neighbour search, each taking a slice of the queries (joblib's meaning: None
        is 1, -1 all cores). scikit-learn's brute force ignores ``n_jobs`` and uses all OpenMP
        threads; compare the two under the same thread limits.

    Attributes
    ----------
    n_samples_fit_ : int
        Number of training samples.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    effective_metric_ : str
        ``"euclidean"``, ``"manhattan"``, ``"chebyshev"`` (p = ∞) or ``"minkowski"`` (other p).
    effective_metric_params_ : dict
        ``{"p": p}`` for ``"minkowski"``, else empty.
"""


class _KNeighborsBase(BaseEstimator):
    def __init__(
        self,
        n_neighbors=5,
        *,
        weights="uniform",
        algorithm="auto",
        leaf_size=30,
        p=2,
        metric="minkowski",
        n_jobs=None,
    ):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.metric = metric
        self.n_jobs = n_jobs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags

    def _check_params(self) -> float:
        if not _is_int(self.n_neighbors) or self.n_neighbors < 1:
            raise ValueError(f"n_neighbors must be an integer >= 1, got {self.n_neighbors!r}")
        if not (callable(self.weights) or self.weights in ("uniform", "distance")):
            raise ValueError(f"weights must be 'uniform', 'distance' or a callable, got {self.weights!r}")
        if self.algorithm not in _ALGORITHMS:
            raise ValueError(f"algorithm must be one of {_ALGORITHMS}, got {self.algorithm!r}")
        if not _is_int(self.leaf_size) or self.leaf_size < 1:
            raise ValueError(f"leaf_size must be an integer >= 1, got {self.leaf_size!r}")
        if self.n_jobs is not None and (not _is_int(self.n_jobs) or self.n_jobs == 0):
            raise ValueError(f"n_jobs must be None or a non-zero integer, got {self.n_jobs!r}")
        return effective_p(self.metric, self.p)

    def _index(self, X) -> None:
        """Store the training set and build the search structure."""
        n, d = X.shape
        self._p = self._check_params()
        self.effective_metric_ = metric_name(self._p)
        self.effective_metric_params_ = {"p": self._p} if self.effective_metric_ == "minkowski" else {}
        method = self.algorithm
        if method == "auto":  # scikit-learn's rule
            method = "brute" if d > 15 or self.n_neighbors >= n // 2 else "kd_tree"
        self._fit_method = method
        self._fit_X = X
        self.n_samples_fit_ = n
        if method == "kd_tree":
            self._tree = KDTree(X, leaf_size=self.leaf_size, metric="minkowski", p=self._p)
        else:
            self._x_norms = np.einsum("ij,ij->i", X, X) if self._p == 2.0 else None

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """The nearest training points of each query.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            Query points. ``None``: the training points, each *excluding itself* (it is searched
            with one neighbour more and then removed — when more than ``n_neighbors`` duplicates
            sit at distance 0 and the point itself is not among them, the first is removed, as
            scikit-learn does).
        n_neighbors : int, default=None
            Defaults to the constructor's ``n_neighbors``.
        return_distance : bool, default=True
            Also return the distances.

        Returns
        -------
        neigh_dist : ndarray of shape (n_queries, n_neighbors)
            Distances in ascending order; only when ``return_distance``.
        neigh_ind : ndarray of shape (n_queries, n_neighbors)
            Indices of the neighbours in the training set. Equal distances are ordered by index
            (a stable sort of all distances); scikit-learn's order among equal distances is an
            unstable sort's, so compare the two on data without ties.
        """
        check_is_fitted(self)
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        if not _is_int(k) or k < 1:
            raise ValueError(f"n_neighbors must be an integer >= 1, got {k!r}")
        query_is_train = X is None
        if query_is_train:
            Q, k = self._fit_X, k + 1
        else:
            Q = validate_data(self, X, reset=False, dtype=np.float64, order="C")
        if k > self.n_samples_fit_:
            shown, relation = (k - 1, "<") if query_is_train else (k, "<=")
            raise ValueError(
                f"Expected n_neighbors {relation} n_samples_fit, but n_neighbors = {shown}, "
                f"n_samples_fit = {self.n_samples_fit_}, n_samples = {Q.shape[0]}"
            )
        if self._fit_method == "kd_tree":
            dist, ind = self._tree.query(Q, k, n_jobs=self.n_jobs)
        else:
            dist, ind = _brute.kneighbors(
                Q, self._fit_X, k, self._p, x_norms=self._x_norms, n_jobs=self.n_jobs
            )
        if query_is_train:
            keep = ind != np.arange(Q.shape[0])[:, None]
            keep[keep.all(axis=1), 0] = False  # the point itself was crowded out by duplicates
            dist, ind = dist[keep].reshape(-1, k - 1), ind[keep].reshape(-1, k - 1)
        return (dist, ind) if return_distance else ind

    def _neighbour_weights(self, X):
        """``(indices, weights)`` of the neighbours of each query; weights None for "uniform"."""
        if self.weights == "uniform":
            return self.kneighbors(X, return_distance=False), None
        dist, ind = self.kneighbors(X)
        if self.weights == "distance":
            with np.errstate(divide="ignore"):
                w = 1.0 / dist
            at_zero = np.isinf(w)
            rows = at_zero.any(axis=1)
            w[rows] = at_zero[rows]  # exact matches take all the weight
        else:
            w = np.asarray(self.weights(dist), dtype=np.float64)
            if w.shape != dist.shape:
                raise ValueError(f"weights callable must return shape {dist.shape}, got {w.shape}")
        if np.any(np.all(w == 0, axis=1)):
            raise ValueError("all neighbours of some query got weight 0: the weights callable must give "
                             "at least one positive weight per query")  # fmt: skip
        return ind, w


class KNeighborsClassifier(ClassifierMixin, _KNeighborsBase):
    __doc__ = (
        """Classifier by the (weighted) vote of the k nearest training points, from scratch.
"""
        + _SHARED_DOC
        + """    classes_ : ndarray of shape (n_classes,)
        The class labels.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import KNeighborsClassifier
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> y = np.array([0, 0, 1, 1])
    >>> clf = KNeighborsClassifier(n_neighbors=3).fit(X, y)
    >>> clf.predict([[1.1]])
    array([0])
    >>> clf.predict_proba([[0.9]]).round(3)
    array([[0.667, 0.333]])
    """
    )

    def fit(self, X, y):
        """Index the training set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (cast to float64; no NaN or inf).
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : KNeighborsClassifier
            The fitted estimator.
        """
        X, y = validate_data(self, X, y, dtype=np.float64, order="C")
        check_classification_targets(y)
        self._index(X)
        self.classes_, self._y = np.unique(y, return_inverse=True)
        return self

    def _votes(self, X):
        ind, w = self._neighbour_weights(X)
        labels = self._y[ind]
        votes = np.zeros((ind.shape[0], self.classes_.size))
        rows = np.arange(ind.shape[0])
        for j in range(ind.shape[1]):  # neighbour by neighbour: scikit-learn's order of summation
            votes[rows, labels[:, j]] += 1.0 if w is None else w[:, j]
        return votes

    def predict_proba(self, X):
        """Class probabilities: each class's share of the neighbours' weight.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features) or None
            Queries; ``None`` for the training points, each without itself (leave-one-out).

        Returns
        -------
        proba : ndarray of shape (n_queries, n_classes)
            Columns ordered as ``classes_``; rows sum to one.
        """
        check_is_fitted(self)
        votes = self._votes(X)
        return votes / votes.sum(axis=1, keepdims=True)

    def predict(self, X):
        """The class with the largest (weighted) vote; ties go to the first class in ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features) or None
            Queries; ``None`` for leave-one-out predictions of the training points.

        Returns
        -------
        labels : ndarray of shape (n_queries,)
        """
        check_is_fitted(self)
        return self.classes_[np.argmax(self._votes(X), axis=1)]


class KNeighborsRegressor(RegressorMixin, _KNeighborsBase):
    __doc__ = (
        """Regressor by the (weighted) mean target of the k nearest training points, from scratch.
"""
        + _SHARED_DOC
        + """
    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import KNeighborsRegressor
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> y = np.array([0.0, 1.0, 4.0, 9.0])
    >>> KNeighborsRegressor(n_neighbors=2).fit(X, y).predict([[0.4], [2.6]])
    array([0.5, 6.5])
    >>> KNeighborsRegressor(n_neighbors=2, weights="distance").fit(X, y).predict([[2.0]])
    array([4.])
    """
    )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def fit(self, X, y):
        """Index the training set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features (cast to float64; no NaN or inf).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.

        Returns
        -------
        self : KNeighborsRegressor
            The fitted estimator.
        """
        X, y = validate_data(self, X, y, dtype=np.float64, order="C", multi_output=True, y_numeric=True)
        self._index(X)
        self._y = y.astype(np.float64)
        return self

    def predict(self, X):
        """Mean target of the neighbours (weighted by ``weights``).

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features) or None
            Queries; ``None`` for leave-one-out predictions of the training points.

        Returns
        -------
        y_pred : ndarray of shape (n_queries,) or (n_queries, n_outputs)
        """
        check_is_fitted(self)
        ind, w = self._neighbour_weights(X)
        Y = self._y[ind]  # (n_queries, k) or (n_queries, k, n_outputs)
        if w is None:
            return np.mean(Y, axis=1)
        if Y.ndim == 3:
            w = w[:, :, None]
        return np.sum(Y * w, axis=1) / np.sum(w, axis=1)


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)
