"""Input checks shared by the estimators (what sklearn's validate_data does not cover)."""

import numpy as np


def _check_sample_weight(sample_weight, n_samples: int) -> np.ndarray:
    """Sample weights as a float64 vector of length ``n_samples``: finite, non-negative, not all zero."""
    if sample_weight is None:
        return np.ones(n_samples)
    sw = np.asarray(sample_weight, dtype=np.float64)
    if sw.ndim == 0:
        sw = np.full(n_samples, float(sw))
    if sw.shape != (n_samples,):
        raise ValueError(f"sample_weight must have shape ({n_samples},), got {sw.shape}")
    if not np.all(np.isfinite(sw)) or np.any(sw < 0):
        raise ValueError("sample_weight must be finite and non-negative")
    if not np.any(sw > 0):
        raise ValueError("sample_weight is zero everywhere: at least one weight must be positive")
    return sw
