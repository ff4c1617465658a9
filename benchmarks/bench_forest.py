"""RandomForestClassifier.fit, 100 trees on 20 000 × 20 (binary), n_jobs=2: ours vs scikit-learn.

Same data, same hyper-parameters (scikit-learn's defaults: max_features="sqrt", fully grown trees),
same ``random_state``. Because our forest draws scikit-learn's bootstrap samples and our trees draw
the same per-split features, both sides grow the *same* forest: the quality numbers show it (the
largest difference of the test probabilities is 0). Our trees are numba-compiled (lesson P1.07);
``n_jobs`` runs them through joblib with the backend in ``mlweekly.ml_algorithms.bagging.PREFER``.
"""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier as SkRandomForestClassifier
from sklearn.model_selection import train_test_split

from mlweekly import bench
from mlweekly.ml_algorithms import RandomForestClassifier, bagging


def main() -> dict:
    X, y = make_classification(
        n_samples=25_000, n_features=20, n_informative=10, n_redundant=4, random_state=0
    )
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=20_000, random_state=0)
    ours = RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=0)
    ref = SkRandomForestClassifier(n_estimators=100, n_jobs=2, random_state=0)
    ours.fit(X_train, y_train)
    ref.fit(X_train, y_train)
    quality = {
        "ours_test_accuracy": float(ours.score(X_test, y_test)),
        "ref_test_accuracy": float(ref.score(X_test, y_test)),
        "max_abs_proba_diff": float(np.abs(ours.predict_proba(X_test) - ref.predict_proba(X_test)).max()),
    }
    result = bench.compare(
        "forest_fit_20000x20",
        lambda: ours.fit(X_train, y_train),
        lambda: ref.fit(X_train, y_train),
        data_shape=X_train.shape,
        target_ratio=3.0,
        repeats=3,
        quality=quality,
        notes=f"100 trees, max_features='sqrt', n_jobs=2 on both sides; joblib backend: {bagging.PREFER}",
    )
    print(quality)
    return result


if __name__ == "__main__":
    main()
