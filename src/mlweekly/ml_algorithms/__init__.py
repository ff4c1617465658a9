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
    # P1.05 k-nearest neighbours
    "KNeighborsClassifier": "neighbors",
    "KNeighborsRegressor": "neighbors",
    "KDTree": "kd_tree",
    # P1.06 naive Bayes
    "GaussianNB": "naive_bayes",
    "MultinomialNB": "naive_bayes",
    "BernoulliNB": "naive_bayes",
    # P1.07 decision trees
    "DecisionTreeClassifier": "tree",
    "DecisionTreeRegressor": "tree",
    "export_text": "tree",
    # P1.08 bias and variance
    "bias_variance_decomp": "bias_variance",
    "learning_curve": "learning_curves",
    "validation_curve": "learning_curves",
    # P1.09 bagging and random forests
    "BaggingClassifier": "bagging",
    "RandomForestClassifier": "forest",
    "RandomForestRegressor": "forest",
    # P1.10 support vector machines
    "SVC": "svm",
    "LinearSVC": "svm",
    # P1.11 principal component analysis
    "PCA": "pca",
    # P1.12 evaluation
    "confusion_matrix": "metrics",
    "accuracy_score": "metrics",
    "precision_score": "metrics",
    "recall_score": "metrics",
    "f1_score": "metrics",
    "roc_curve": "metrics",
    "roc_auc_score": "metrics",
    "precision_recall_curve": "metrics",
    "average_precision_score": "metrics",
    "log_loss": "metrics",
    "brier_score_loss": "metrics",
    "KFold": "model_selection",
    "StratifiedKFold": "model_selection",
    "cross_val_score": "model_selection",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
