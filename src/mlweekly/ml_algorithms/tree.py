"""CART decision trees from scratch: greedy recursive partitioning, impurity decrease, pruning.

A tree splits the feature space with axis-aligned tests ``x_j <= t``. Each node is split by the
(feature, threshold) that most decreases the weighted impurity of its children,

    Δ = N_t/N · ( i(t) - N_L/N_t · i(L) - N_R/N_t · i(R) ),

with ``i`` the Gini index ``1 - Σ p_k²``, the entropy ``-Σ p_k log₂ p_k`` or the variance of the
target; growth stops at pure nodes or at the size/depth limits. Minimal cost-complexity pruning
(``ccp_alpha``) then cuts the weakest links. The best-split search (``_tree_builder``) follows
scikit-learn step by step, so with the same ``random_state`` the trees agree node for node.

Random forests build on this module: ``fit(X, y, sample_weight=counts)`` takes a bootstrap as
integer weights (zero-weight samples are left out), ``max_features`` draws the candidate features
of every node, ``apply`` gives leaf ids and ``tree_`` exposes the arrays.
"""

from __future__ import annotations

import numbers
from io import StringIO

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlweekly.ml_algorithms import _criteria
from mlweekly.ml_algorithms._pruning import prune, pruning_path
from mlweekly.ml_algorithms._tree_builder import RAND_R_MAX, grow_tree
from mlweekly.ml_algorithms._tree_structure import TREE_LEAF, TREE_UNDEFINED, Tree
from mlweekly.ml_algorithms._validation import _check_sample_weight

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "export_text"]

_CLF_CRITERIA = {"gini": _criteria.GINI, "entropy": _criteria.ENTROPY, "log_loss": _criteria.ENTROPY}
_REG_CRITERIA = {"squared_error": _criteria.SQUARED_ERROR}
_MAX_DEPTH_NONE = np.iinfo(np.int32).max


class _BaseDecisionTree(BaseEstimator):
    """Shared fit/apply/pruning of the classifier and the regressor."""

    _criteria: dict = {}

    def __init__(
        self,
        *,
        criterion,
        splitter="best",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features=None,
        random_state=None,
        min_impurity_decrease=0.0,
        ccp_alpha=0.0,
    ):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.min_impurity_decrease = min_impurity_decrease
        self.ccp_alpha = ccp_alpha

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags

    # ------------------------------------------------------------------ parameters

    def _resolved_params(self, n_samples: int, n_features: int) -> dict:
        """Check the hyper-parameters; turn fractions and names into counts as sklearn does."""
        name = type(self).__name__
        if self.criterion not in self._criteria:
            options = sorted(self._criteria)
            raise ValueError(f"{name}: criterion must be one of {options}, got {self.criterion!r}")
        if self.splitter != "best":
            raise ValueError(f"splitter must be 'best' (the only one implemented), got {self.splitter!r}")
        md = self.max_depth
        if md is not None and not (isinstance(md, numbers.Integral) and md >= 1):
            raise ValueError(f"max_depth must be None or an integer >= 1, got {md!r}")
        msl = self.min_samples_leaf
        if isinstance(msl, numbers.Integral) and not isinstance(msl, bool) and msl >= 1:
            min_samples_leaf = int(msl)
        elif isinstance(msl, numbers.Real) and not isinstance(msl, numbers.Integral) and 0 < msl < 1:
            min_samples_leaf = int(np.ceil(msl * n_samples))
        else:
            raise ValueError(f"min_samples_leaf must be an integer >= 1 or a float in (0, 1), got {msl!r}")
        mss = self.min_samples_split
        if isinstance(mss, numbers.Integral) and not isinstance(mss, bool) and mss >= 2:
            min_samples_split = int(mss)
        elif isinstance(mss, numbers.Real) and not isinstance(mss, numbers.Integral) and 0 < mss <= 1:
            min_samples_split = max(2, int(np.ceil(mss * n_samples)))
        else:
            raise ValueError(f"min_samples_split must be an integer >= 2 or a float in (0, 1], got {mss!r}")
        min_samples_split = max(min_samples_split, 2 * min_samples_leaf)
        max_features = _resolve_max_features(self.max_features, n_features)
        for attr in ("min_impurity_decrease", "ccp_alpha"):
            v = getattr(self, attr)
            if not isinstance(v, numbers.Real) or not (v >= 0 and np.isfinite(v)):
                raise ValueError(f"{attr} must be a finite number >= 0, got {v!r}")
        return {
            "criterion": self._criteria[self.criterion],
            "max_features": max_features,
            "min_samples_leaf": min_samples_leaf,
            "min_samples_split": min_samples_split,
            "max_depth": _MAX_DEPTH_NONE if md is None else int(md),
            "min_weight_leaf": 0.0,
            "min_impurity_decrease": float(self.min_impurity_decrease),
        }

    # ------------------------------------------------------------------ fitting

    def _fit(self, X, y, sample_weight, *, classification: bool):
        # float32 like sklearn: thresholds are midpoints of float32 values, compared in float32
        X, y = validate_data(self, X, y, dtype=np.float32, y_numeric=not classification)
        n_samples, n_features = X.shape
        params = self._resolved_params(n_samples, n_features)
        sw = _check_sample_weight(sample_weight, n_samples)
        if classification:
            check_classification_targets(y)
            self.classes_, y_class = np.unique(y, return_inverse=True)
            self.n_classes_ = self.classes_.size
            y_class, y_value, width = y_class.astype(np.int64), np.empty(0), self.n_classes_
        else:
            y_value = np.ascontiguousarray(y, dtype=np.float64)
            if not np.all(np.isfinite(y_value)):
                raise ValueError("y contains NaN or infinity")
            y_class, width = np.empty(0, dtype=np.int64), 1
        self.n_outputs_ = 1
        self.max_features_ = params.pop("max_features")
        seed = check_random_state(self.random_state).randint(0, RAND_R_MAX)
        ints, floats, value, depth = grow_tree(
            np.asfortranarray(X), y_class, y_value, sw, width, params["criterion"], self.max_features_,
            params["min_samples_leaf"], params["min_samples_split"], params["max_depth"],
            params["min_weight_leaf"], params["min_impurity_decrease"], seed,
        )
        self.tree_ = Tree(ints, floats, value, depth, n_features)
        if self.ccp_alpha > 0.0:
            self.tree_ = prune(self.tree_, float(self.ccp_alpha))
        return self

    def _validate_X_predict(self, X) -> np.ndarray:
        check_is_fitted(self)
        return validate_data(self, X, reset=False, dtype=np.float32)

    def apply(self, X):
        """Index of the leaf each sample lands in.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples (cast to float32, as in training).

        Returns
        -------
        leaves : ndarray of shape (n_samples,)
            Node ids in ``[0, tree_.node_count)``, all leaves.
        """
        X = self._validate_X_predict(X)
        return self.tree_.apply(X)

    def decision_path(self, X):
        """Indicator matrix of the nodes each sample passes through.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        indicator : scipy.sparse.csr_matrix of shape (n_samples, node_count)
            ``indicator[i, j] == 1`` when sample ``i`` goes through node ``j``.
        """
        from scipy.sparse import csr_matrix

        X = self._validate_X_predict(X)
        t = self.tree_
        node = np.zeros(X.shape[0], dtype=np.int64)
        rows, cols = [np.arange(X.shape[0])], [node]
        active = t.children_left[node] != TREE_LEAF
        while active.any():
            i = np.flatnonzero(active)
            n = node[i]
            go_left = X[i, t.feature[n]] <= t.threshold[n]
            node = node.copy()
            node[i] = np.where(go_left, t.children_left[n], t.children_right[n])
            rows.append(i)
            cols.append(node[i])
            active = t.children_left[node] != TREE_LEAF
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        return csr_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(X.shape[0], t.node_count))

    def get_depth(self) -> int:
        """Depth of the tree (a lone root has depth 0)."""
        check_is_fitted(self)
        return self.tree_.max_depth

    def get_n_leaves(self) -> int:
        """Number of leaves."""
        check_is_fitted(self)
        return self.tree_.n_leaves

    @property
    def feature_importances_(self):
        """Impurity-based (mean decrease in impurity) importances, normalised to sum to one.

        Each split adds its weighted impurity decrease ``N_t i_t - N_L i_L - N_R i_R`` (over ``N``) to
        its feature. Computed on the training data, so biased toward features with many distinct
        values (more candidate thresholds to overfit with); prefer permutation importance on
        held-out data for interpretation.
        """
        check_is_fitted(self)
        return self.tree_.compute_feature_importances()

    def cost_complexity_pruning_path(self, X, y, sample_weight=None):
        """Effective alphas of minimal cost-complexity pruning and the impurities along the path.

        Grows the full tree (``ccp_alpha=0``) on ``X, y`` with the other hyper-parameters of this
        estimator, then prunes weakest links one at a time down to the root.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features.
        y : array-like of shape (n_samples,)
            Targets.
        sample_weight : array-like of shape (n_samples,), optional
            Sample weights.

        Returns
        -------
        path : sklearn.utils.Bunch
            ``ccp_alphas`` (increasing) and ``impurities`` (total weighted leaf impurity of the
            subtree for each alpha).
        """
        full = type(self)(**{**self.get_params(), "ccp_alpha": 0.0}).fit(X, y, sample_weight)
        return Bunch(**pruning_path(full.tree_))


class DecisionTreeClassifier(ClassifierMixin, _BaseDecisionTree):
    """CART classification tree (Gini or entropy), from scratch with scikit-learn's algorithm.

    Parameters
    ----------
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
        Impurity: Gini ``1 - Σ p_k²`` or entropy ``-Σ p_k log₂ p_k`` ("log_loss" is the same).
    splitter : {"best"}, default="best"
        Only the exhaustive best-split search is implemented.
    max_depth : int, optional
        Maximum depth; ``None`` grows until leaves are pure or too small to split.
    min_samples_split : int or float, default=2
        Fewest samples (or fraction of them) a node needs to be split.
    min_samples_leaf : int or float, default=1
        Fewest samples (or fraction) each child must keep.
    max_features : int, float, {"sqrt", "log2"} or None, default=None
        Features drawn (without replacement) as candidates at each node; ``None`` means all.
        The search goes on past ``max_features`` while only constant features were drawn.
    random_state : int, RandomState or None, default=None
        Seeds the feature draws. Even with ``max_features=None`` the candidate order is a random
        permutation, and between equally good splits the first one found wins, so ties are
        broken by ``random_state`` — with the same seed, the same way as scikit-learn.
    min_impurity_decrease : float, default=0.0
        Split only when the weighted impurity decrease is at least this.
    ccp_alpha : float, default=0.0
        Complexity parameter of minimal cost-complexity pruning (0: no pruning).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    tree_ : Tree
        The fitted tree's arrays (``children_left``, ``children_right``, ``feature``,
        ``threshold``, ``value``, ``impurity``, ``n_node_samples``, ``weighted_n_node_samples``).
    feature_importances_ : ndarray of shape (n_features,)
        Normalised total impurity decrease per feature.
    max_features_ : int
        Resolved ``max_features``.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    n_outputs_ : int
        Always 1.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import DecisionTreeClassifier
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> y = np.array([0, 0, 1, 1])
    >>> clf = DecisionTreeClassifier(random_state=0).fit(X, y)
    >>> clf.tree_.threshold[0], clf.predict([[0.4], [2.6]])
    (np.float64(1.5), array([0, 1]))
    """

    _criteria = _CLF_CRITERIA

    def __init__(
        self,
        *,
        criterion="gini",
        splitter="best",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features=None,
        random_state=None,
        min_impurity_decrease=0.0,
        ccp_alpha=0.0,
    ):
        super().__init__(
            criterion=criterion,
            splitter=splitter,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            max_features=max_features,
            random_state=random_state,
            min_impurity_decrease=min_impurity_decrease,
            ccp_alpha=ccp_alpha,
        )

    def fit(self, X, y, sample_weight=None):
        """Grow (and prune) the tree.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features; cast to float32 (values beyond float32's range are an error).
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weights, e.g. bootstrap counts; zero-weight samples are left out.

        Returns
        -------
        self : DecisionTreeClassifier
            The fitted tree.
        """
        return self._fit(X, y, sample_weight, classification=True)

    def predict_proba(self, X):
        """Class probabilities: the weighted class fractions of each sample's leaf.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``.
        """
        X = self._validate_X_predict(X)
        return self.tree_.value[self.tree_.apply(X), 0, :]

    def predict_log_proba(self, X):
        """Log of :meth:`predict_proba` (``-inf`` for classes absent from the leaf).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Natural logarithms of the class probabilities.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """The majority (largest weighted fraction) class of each sample's leaf.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Entries of ``classes_`` (the first one on ties, as ``argmax``).
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class DecisionTreeRegressor(RegressorMixin, _BaseDecisionTree):
    """CART regression tree (squared error), from scratch with scikit-learn's algorithm.

    Each leaf predicts the weighted mean of its training targets; a split maximises the decrease
    of the weighted within-node variance. Parameters and attributes are those of
    :class:`DecisionTreeClassifier` (without ``classes_``), with ``criterion="squared_error"``.

    Parameters
    ----------
    criterion : {"squared_error"}, default="squared_error"
        Node impurity: weighted variance of the target (the MSE of predicting the mean).
    splitter, max_depth, min_samples_split, min_samples_leaf, max_features, random_state, \
min_impurity_decrease, ccp_alpha
        As in :class:`DecisionTreeClassifier`.

    Attributes
    ----------
    tree_ : Tree
        The fitted tree's arrays; ``value[:, 0, 0]`` is every node's mean target.
    feature_importances_ : ndarray of shape (n_features,)
        Normalised total variance decrease per feature.
    max_features_, n_features_in_, n_outputs_ : int
        As in :class:`DecisionTreeClassifier`.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import DecisionTreeRegressor
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> reg = DecisionTreeRegressor(max_depth=1).fit(X, [1.0, 1.2, 3.0, 3.4])
    >>> reg.predict([[0.5], [2.5]])
    array([1.1, 3.2])
    """

    _criteria = _REG_CRITERIA

    def __init__(
        self,
        *,
        criterion="squared_error",
        splitter="best",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features=None,
        random_state=None,
        min_impurity_decrease=0.0,
        ccp_alpha=0.0,
    ):
        super().__init__(
            criterion=criterion,
            splitter=splitter,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            max_features=max_features,
            random_state=random_state,
            min_impurity_decrease=min_impurity_decrease,
            ccp_alpha=ccp_alpha,
        )

    def fit(self, X, y, sample_weight=None):
        """Grow (and prune) the tree.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features; cast to float32.
        y : array-like of shape (n_samples,)
            Real targets.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weights, e.g. bootstrap counts; zero-weight samples are left out.

        Returns
        -------
        self : DecisionTreeRegressor
            The fitted tree.
        """
        return self._fit(X, y, sample_weight, classification=False)

    def predict(self, X):
        """The mean training target of each sample's leaf.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predictions.
        """
        X = self._validate_X_predict(X)
        return self.tree_.value[self.tree_.apply(X), 0, 0]


def _resolve_max_features(max_features, n_features: int) -> int:
    if max_features is None:
        return n_features
    if max_features == "sqrt":
        return max(1, int(np.sqrt(n_features)))
    if max_features == "log2":
        return max(1, int(np.log2(n_features)))
    if isinstance(max_features, numbers.Integral) and not isinstance(max_features, bool):
        if 1 <= max_features <= n_features:
            return int(max_features)
    elif isinstance(max_features, numbers.Real) and 0.0 < max_features <= 1.0:
        return max(1, int(max_features * n_features))
    raise ValueError(
        f"max_features must be None, 'sqrt', 'log2', an integer in [1, n_features={n_features}] "
        f"or a float in (0, 1], got {max_features!r}"
    )


def export_text(
    decision_tree,
    *,
    feature_names=None,
    class_names=None,
    max_depth=10,
    spacing=3,
    decimals=2,
    show_weights=False,
):
    """The rules of a fitted tree as indented text, in scikit-learn's ``export_text`` format.

    Parameters
    ----------
    decision_tree : DecisionTreeClassifier or DecisionTreeRegressor
        A fitted tree.
    feature_names : sequence of str, optional
        Names of the features (default ``feature_0``, ``feature_1``, ...).
    class_names : sequence, optional
        Names of the classes in the order of ``classes_`` (default: ``classes_``).
    max_depth : int, default=10
        Deeper branches are shown as ``truncated branch of depth d``.
    spacing : int, default=3
        Width of each indentation level.
    decimals : int, default=2
        Decimals of thresholds and values.
    show_weights : bool, default=False
        Show the weighted class counts of every leaf (classifiers).

    Returns
    -------
    report : str
        One line per test (``|--- name <= t`` then ``|--- name >  t``) and per leaf
        (``class: c`` or ``value: [v]``).

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import DecisionTreeClassifier, export_text
    >>> clf = DecisionTreeClassifier(random_state=0).fit([[0.0], [1.0]], [0, 1])
    >>> print(export_text(clf, feature_names=["x"]))
    |--- x <= 0.50
    |   |--- class: 0
    |--- x >  0.50
    |   |--- class: 1
    <BLANKLINE>
    """
    check_is_fitted(decision_tree)
    tree = decision_tree.tree_
    classifier = is_classifier(decision_tree)
    if classifier:
        if class_names is None:
            class_names = decision_tree.classes_
        elif len(class_names) != len(decision_tree.classes_):
            raise ValueError(
                f"class_names must contain {len(decision_tree.classes_)} names (one per class), "
                f"got {len(class_names)}"
            )
    if feature_names is not None and len(feature_names) != tree.n_features:
        raise ValueError(f"feature_names must contain {tree.n_features} elements, got {len(feature_names)}")
    if feature_names is None:
        names = [f"feature_{f}" for f in tree.feature]
    else:
        names = [feature_names[f] if f != TREE_UNDEFINED else None for f in tree.feature]
    if not isinstance(max_depth, numbers.Integral) or max_depth < 0:
        raise ValueError(f"max_depth must be an integer >= 0, got {max_depth!r}")

    out = StringIO()
    fmt = "{1:.{0}f}"

    def leaf(node: int, indent: str) -> None:
        value = tree.value[node, 0]
        if classifier:
            text = ""
            if show_weights:
                w = tree.weighted_n_node_samples[node]
                text = "[" + ", ".join(fmt.format(decimals, v * w) for v in value) + "]"
            k = int(np.argmax(value))  # sklearn prints the index when there is a single class
            text += " class: " + str(class_names[k] if tree.n_classes[0] != 1 else k)
            out.write(f"{indent}{' weights: ' + text if show_weights else text}\n")
        else:
            out.write(f"{indent} value: [" + ", ".join(fmt.format(decimals, v) for v in value) + "]\n")

    def subtree_depth(node: int) -> int:
        if tree.children_left[node] == TREE_LEAF:
            return 1
        return 1 + max(subtree_depth(tree.children_left[node]), subtree_depth(tree.children_right[node]))

    def recurse(node: int, depth: int) -> None:
        indent = ("|" + " " * spacing) * depth
        indent = indent[:-spacing] + "-" * spacing
        if depth <= max_depth + 1:
            if tree.feature[node] != TREE_UNDEFINED:
                threshold = fmt.format(decimals, tree.threshold[node])
                out.write(f"{indent} {names[node]} <= {threshold}\n")
                recurse(tree.children_left[node], depth + 1)
                out.write(f"{indent} {names[node]} >  {threshold}\n")
                recurse(tree.children_right[node], depth + 1)
            else:
                leaf(node, indent)
        elif subtree_depth(node) == 1:
            leaf(node, indent)
        else:
            out.write(f"{indent} truncated branch of depth {subtree_depth(node)}\n")

    recurse(0, 1)
    return out.getvalue()
