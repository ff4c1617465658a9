"""PCA.fit: ours vs scikit-learn, exact SVD on 20 000 × 200 and randomized (k = 20) on 50 000 × 500.

Same data, same solver, same ``random_state`` on both sides. Both exact fits call LAPACK's SVD of
the centred data; the randomized fits run the same Halko–Martinsson–Tropp algorithm (our own
range finder), so the quality numbers — largest difference of the components and of the
explained variances — show equal work (they are zero when both sides agree bit for bit).
"""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA as SkPCA

from mlweekly import bench
from mlweekly.ml_algorithms import PCA


def _data(n: int, d: int, seed: int) -> np.ndarray:
    """Gaussian data with a geometric spectrum (like real data: a few strong directions) and a mean."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)) * 0.97 ** np.arange(d) + rng.normal(size=d)


def _quality(ours, ref) -> dict:
    return {
        "max_abs_components_diff": float(np.abs(ours.components_ - ref.components_).max()),
        "max_rel_explained_variance_diff": float(
            np.abs(ours.explained_variance_ / ref.explained_variance_ - 1).max()
        ),
    }


def main() -> list[dict]:
    results = []
    cases = [
        ("pca_fit_full_20000x200", _data(20_000, 200, 0), dict(svd_solver="full"), 5),
        (
            "pca_fit_randomized_k20_50000x500",
            _data(50_000, 500, 1),
            dict(n_components=20, svd_solver="randomized", random_state=0),
            5,
        ),
    ]
    for name, X, params, repeats in cases:
        ours, ref = PCA(**params), SkPCA(**params)
        ours.fit(X)
        ref.fit(X)
        quality = _quality(ours, ref)
        results.append(
            bench.compare(
                name,
                lambda ours=ours, X=X: ours.fit(X),
                lambda ref=ref, X=X: ref.fit(X),
                data_shape=X.shape,
                target_ratio=1.5,
                repeats=repeats,
                quality=quality,
                notes=f"both PCA({params}); float64",
            )
        )
        print(quality)
    return results


if __name__ == "__main__":
    main()
