"""Naive Bayes fit + predict: ours vs scikit-learn, on the same data in the same process.

Cases (each writes benchmarks/results/<case>.json):

* ``gaussian_nb_fit_predict_200000x50``: GaussianNB on 200 000 × 50 dense float64, 3 classes;
* ``multinomial_nb_fit_predict_100000x5000``: MultinomialNB on a synthetic sparse (CSR) count
  matrix 100 000 × 5 000, ~0.75 % non-zero (Zipf-like word frequencies), 4 classes;
* ``bernoulli_nb_fit_predict_100000x5000``: BernoulliNB on the same matrix.

Each side fits on the whole matrix and predicts ``predict_log_proba`` of all rows. Equal work is
shown by the quality numbers: the largest difference of the log-posteriors and the agreement of the
predicted labels. Target: ratio ours/sklearn ≤ 1.5.

Run: ``python benchmarks/bench_naive_bayes.py`` or ``mlweekly bench naive_bayes``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn import naive_bayes as sk

from mlweekly import bench
from mlweekly.ml_algorithms import BernoulliNB, GaussianNB, MultinomialNB

SEED = 0


def gaussian_data(n=200_000, d=50, K=3):
    rng = np.random.default_rng(SEED)
    y = rng.integers(0, K, n)
    X = (rng.standard_normal((n, d)) + rng.normal(0.0, 0.5, (K, d))[y]) * rng.uniform(0.5, 5.0, d)
    return X, y


def count_data(n=100_000, d=5_000, K=4, density=0.01):
    """CSR word counts: each row has ~density·d distinct words drawn from a class-tilted Zipf law."""
    rng = np.random.default_rng(SEED)
    y = rng.integers(0, K, n)
    zipf = 1.0 / np.arange(1, d + 1)
    per_row = rng.poisson(density * d, n) + 1
    probs = zipf * rng.lognormal(0.0, 1.0, (K, d))  # each class tilts the shared word frequencies
    probs /= probs.sum(axis=1, keepdims=True)
    cols = np.concatenate([rng.choice(d, size=m, p=probs[k]) for m, k in zip(per_row, y, strict=True)])
    rows = np.repeat(np.arange(n), per_row)
    X = sp.csr_matrix((np.ones(cols.size), (rows, cols)), shape=(n, d))  # duplicates add up: counts
    X.sum_duplicates()
    return X, y


def case(name, ours, ref, X, y, notes):
    def run(model):
        return lambda: model.fit(X, y).predict_log_proba(X)

    ours_lp, ref_lp = run(ours)(), run(ref)()
    quality = {
        "max_abs_log_proba_diff": float(np.abs(ours_lp - ref_lp).max()),
        "label_agreement": float(np.mean(ours_lp.argmax(axis=1) == ref_lp.argmax(axis=1))),
    }
    if sp.issparse(X):
        quality["nnz"] = int(X.nnz)
    shape = X.shape
    result = bench.compare(name, run(ours), run(ref), data_shape=shape, target_ratio=1.5, repeats=7,
                           quality=quality, notes=notes)  # fmt: skip
    print(quality)
    return result


def main() -> list[dict]:
    X, y = gaussian_data()
    results = [
        case(
            "gaussian_nb_fit_predict_200000x50",
            GaussianNB(),
            sk.GaussianNB(),
            X,
            y,
            "fit (one-hot matmuls for class means and variances, Chan merge) + predict_log_proba "
            "(one pass over X per class)",
        )
    ]
    del X
    X, y = count_data()
    for ours, ref in [(MultinomialNB(), sk.MultinomialNB()), (BernoulliNB(), sk.BernoulliNB())]:
        name = f"{type(ours).__name__.lower().replace('nb', '_nb')}_fit_predict_100000x5000"
        notes = "sparse CSR counts; fit (Xᵀ·Y) + predict_log_proba (X·Wᵀ)"
        results.append(case(name, ours, ref, X, y, notes))
    return results


if __name__ == "__main__":
    main()
