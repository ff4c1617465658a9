"""k-nearest-neighbour predict: ours vs scikit-learn, brute force and KD-tree, same threads.

* brute force: 50 000 × 50 training points (3 classes), 5 000 queries, k = 5;
* KD-tree: 50 000 × 8 (a tree only prunes in low dimension: at 50 features every box is within the
  k-th distance and the tree visits everything), 5 000 queries, k = 5.

Both sides run under the same thread budget T (1 and 2; the machine has 2 cores): threadpoolctl
limits BLAS and OpenMP to T threads, and both get ``n_jobs=T`` (scikit-learn's brute force ignores
``n_jobs`` and uses its OpenMP threads; its KD-tree and both of ours split the queries over
``n_jobs`` threads). Equal work is shown by the quality numbers: identical predictions and
neighbour indices. The notes record why the two compiled kernels exist: the time NumPy's
``argpartition`` alone takes to select the k smallest of the full distance matrix, and the time per
query of the KD-tree search run as plain Python (the same code, not compiled).
"""

from __future__ import annotations

import time

import numpy as np
from sklearn.datasets import make_classification
from sklearn.neighbors import KNeighborsClassifier as SkKNeighborsClassifier
from threadpoolctl import threadpool_limits

from mlweekly import bench
from mlweekly.ml_algorithms import KNeighborsClassifier
from mlweekly.ml_algorithms import kd_tree as kd


def _data(n_features: int):
    X, y = make_classification(
        n_samples=55_000, n_features=n_features, n_informative=n_features // 2, n_classes=3, random_state=0
    )
    return X[:50_000], y[:50_000], X[50_000:]


def _argpartition_time(X_train, X_query, k=5, chunk=256) -> float:
    """Seconds for NumPy alone to pick the k smallest per row of the (chunked) distance matrix."""
    x_norms = np.einsum("ij,ij->i", X_train, X_train)
    total = 0.0
    for s in range(0, len(X_query), chunk):
        D = x_norms - 2.0 * (X_query[s : s + chunk] @ X_train.T)
        start = time.perf_counter()
        np.argpartition(D, k - 1, axis=1)
        total += time.perf_counter() - start
    return total


def _python_query_time(model, X_query, n=20) -> float:
    """Seconds per query of the KD-tree search executed by the Python interpreter."""
    tree = model._tree
    Q = np.ascontiguousarray(X_query[:n])
    dist, ind, counts = np.empty((n, 5)), np.empty((n, 5), dtype=np.intp), np.empty(n, dtype=np.intp)
    start = time.perf_counter()
    kd._query.py_func(Q, tree._points, tree.idx_array, tree.node_start, tree.node_end, tree.node_bounds,
                      tree.p, dist, ind, counts)  # fmt: skip
    return (time.perf_counter() - start) / n


def main() -> list[dict]:
    results = []
    for algorithm, n_features in (("brute", 50), ("kd_tree", 8)):
        X_train, y_train, X_query = _data(n_features)
        for threads in (1, 2):
            ours = KNeighborsClassifier(algorithm=algorithm, n_jobs=threads).fit(X_train, y_train)
            ref = SkKNeighborsClassifier(algorithm=algorithm, n_jobs=threads).fit(X_train, y_train)
            with threadpool_limits(limits=threads):
                ours.predict(X_query[:10])  # compile (or load the cached kernels) outside the timing
                quality = {
                    "predictions_equal": float(np.mean(ours.predict(X_query) == ref.predict(X_query))),
                    "indices_equal": float(
                        np.mean(ours.kneighbors(X_query)[1] == ref.kneighbors(X_query)[1])
                    ),
                }
                if threads == 1:
                    if algorithm == "brute":
                        quality["numpy_argpartition_alone_s"] = _argpartition_time(X_train, X_query)
                    else:
                        quality["python_loop_s_per_query"] = _python_query_time(ours, X_query)
                        quality["mean_distances_per_query"] = float(
                            ours._tree.query(X_query, k=5, return_n_distances=True)[2].mean()
                        )
                results.append(
                    bench.compare(
                        f"knn_{algorithm}_predict_50000x{n_features}_{threads}thread",
                        lambda ours=ours, Q=X_query: ours.predict(Q),
                        lambda ref=ref, Q=X_query: ref.predict(Q),
                        data_shape=X_train.shape,
                        target_ratio=1.5,
                        repeats=5,
                        quality=quality,
                        notes=f"5 000 queries, k=5, uniform weights; BLAS/OpenMP limited to {threads} "
                        f"thread(s), n_jobs={threads} on both sides",
                    )
                )
            print(quality)
    return results


if __name__ == "__main__":
    main()
