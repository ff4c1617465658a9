"""LinearRegression.fit on 200 000 × 50 float64: ours (Householder QR of [X̃ | ỹ]) vs scikit-learn (SVD lstsq).

Run: ``python benchmarks/bench_linear_regression.py``; writes benchmarks/results/linear_regression_fit.json.
"""

import numpy as np
from sklearn.linear_model import LinearRegression as SkLinearRegression

from mlweekly.bench import compare
from mlweekly.ml_algorithms import LinearRegression

N_SAMPLES, N_FEATURES, SEED = 200_000, 50, 0


def main() -> dict:
    rng = np.random.default_rng(SEED)
    X = rng.standard_normal((N_SAMPLES, N_FEATURES)) * rng.uniform(0.5, 5.0, N_FEATURES) + rng.normal(
        0.0, 3.0, N_FEATURES
    )
    y = X @ rng.standard_normal(N_FEATURES) + 2.0 + rng.standard_normal(N_SAMPLES)
    ours, ref = LinearRegression(), SkLinearRegression()
    ours.fit(X, y)
    ref.fit(X, y)
    quality = {
        "max_abs_coef_diff": float(np.max(np.abs(ours.coef_ - ref.coef_))),
        "abs_intercept_diff": float(abs(ours.intercept_ - ref.intercept_)),
    }
    return compare(
        "linear_regression_fit",
        lambda: ours.fit(X, y),
        lambda: ref.fit(X, y),
        data_shape=X.shape,
        target_ratio=1.5,
        quality=quality,
        notes="ours: solver='qr' (one in-place geqrf of the centred [X | y], inference included); "
        "sklearn: centring copy + scipy.linalg.lstsq (gelsd)",
    )


if __name__ == "__main__":
    main()
