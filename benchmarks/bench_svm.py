"""SVC.fit on 20 000 × 20 (binary, RBF, C=1, tol=1e-3 on both): ours (numba SMO) vs libsvm (sklearn.svm.SVC).

Same data, same hyper-parameters, both at libsvm's default tolerance and a 200 MB kernel cache. Equal
work is shown by the quality numbers: iterations, support vectors, the symmetric difference of the
support sets, held-out accuracies (5 000 test rows) and the largest gap in decision values. Our
cache is float64 (half of libsvm's float32 rows per MB) and we do not shrink.
"""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC as SkSVC

from mlweekly import bench
from mlweekly.ml_algorithms import SVC


def main() -> dict:
    X, y = make_classification(n_samples=25_000, n_features=20, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=20_000, random_state=0)
    ours = SVC(C=1.0, kernel="rbf", tol=1e-3)
    ref = SkSVC(C=1.0, kernel="rbf", tol=1e-3)  # shrinking=True, cache_size=200: libsvm's defaults
    # Both fits are deterministic, so the models fitted here are the ones compare() times.
    ours.fit(X_train, y_train)
    ref.fit(X_train, y_train)
    quality = {
        "ours_n_iter": int(ours.n_iter_[0]),
        "ref_n_iter": int(ref.n_iter_[0]),
        "ours_n_support": int(ours.support_.size),
        "ref_n_support": int(ref.support_.size),
        "support_symmetric_difference": len(set(ours.support_) ^ set(ref.support_)),
        "ours_test_accuracy": float(ours.score(X_test, y_test)),
        "ref_test_accuracy": float(ref.score(X_test, y_test)),
        "max_abs_decision_diff_test": float(
            np.abs(ours.decision_function(X_test) - ref.decision_function(X_test)).max()
        ),
    }
    result = bench.compare(
        "svc_fit_20000x20_rbf",
        lambda: ours.fit(X_train, y_train),
        lambda: ref.fit(X_train, y_train),
        data_shape=X_train.shape,
        target_ratio=3.0,
        repeats=3,
        quality=quality,
        notes="ours: SMO/WSS3 in numba, float64 LRU kernel-row cache, no shrinking; sklearn: libsvm defaults",
    )
    print(quality)
    return result


if __name__ == "__main__":
    main()
