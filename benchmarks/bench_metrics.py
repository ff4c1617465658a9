"""Classification metrics on 1 000 000 samples: ours vs sklearn.metrics, target ratio ≤ 1.5.

Binary labels (prevalence ½), continuous scores ``N(y, 1)`` (all distinct: the worst case for the
number of thresholds), and hard predictions ``score > 0.5`` for the counting metrics. Equal work
is shown by the quality numbers: the largest difference between ours and scikit-learn's results.

Where the time goes: the curves and areas are one sort of the scores plus O(n) passes. Our
unweighted path uses NumPy's default (introsort, SIMD) argsort instead of a stable one — tied
scores form one threshold whatever their order, so the counts are identical; scikit-learn's
stable descending argsort and its target-type checks (several ``np.unique`` calls) cost more.
"""

from __future__ import annotations

import numpy as np
import sklearn.metrics as skm

from mlweekly import bench
from mlweekly.ml_algorithms import metrics

N = 1_000_000


def _max_diff(a, b) -> float:
    """Largest |ours - sklearn| over all returned arrays (equal infinities count as 0)."""
    a = np.concatenate([np.ravel(x) for x in (a if isinstance(a, tuple) else (a,))]).astype(float)
    b = np.concatenate([np.ravel(x) for x in (b if isinstance(b, tuple) else (b,))]).astype(float)
    if a.shape != b.shape:
        return float("inf")
    with np.errstate(invalid="ignore"):
        return float(np.max(np.where(a == b, 0.0, np.abs(a - b))))


def main() -> list[dict]:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, N)
    score = rng.normal(size=N) + y
    y_pred = (score > 0.5).astype(np.int64)
    cases = [
        ("roc_auc_score", (y, score)),
        ("roc_curve", (y, score)),
        ("precision_recall_curve", (y, score)),
        ("average_precision_score", (y, score)),
        ("confusion_matrix", (y, y_pred)),
        ("f1_score", (y, y_pred)),
    ]
    results = []
    for name, args in cases:
        ours, ref = getattr(metrics, name), getattr(skm, name)
        quality = {"max_abs_diff_vs_sklearn": _max_diff(ours(*args), ref(*args))}
        results.append(
            bench.compare(
                f"metrics_{name}_1e6",
                lambda ours=ours, args=args: ours(*args),
                lambda ref=ref, args=args: ref(*args),
                data_shape=(N,),
                target_ratio=1.5,
                repeats=7,
                quality=quality,
                notes="binary labels, N(y, 1) scores (all distinct); hard predictions score > 0.5",
            )
        )
    return results


if __name__ == "__main__":
    main()
