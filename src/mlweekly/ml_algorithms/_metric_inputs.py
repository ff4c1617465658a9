"""Input checks shared by the metrics: shapes, lengths, label types, scores, weights, classes.

Every check raises a ``ValueError`` that names the argument and the problem, so a metric never
fails deep inside NumPy. They mirror what scikit-learn's ``_check_targets`` and
``_check_pos_label_consistency`` accept, with cheaper code paths for integer labels.
"""

from __future__ import annotations

import numpy as np

_STRING_KINDS = "OUS"


def column(y, name: str) -> np.ndarray:
    """``y`` as a 1-D array; a single column ``(n, 1)`` is flattened."""
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D of shape (n_samples,), got shape {arr.shape}")
    return arr


def check_lengths(**arrays) -> int:
    """All given arrays (``None`` skipped) have the same length; return it, refuse empty input."""
    sizes = {name: len(a) for name, a in arrays.items() if a is not None}
    if len(set(sizes.values())) > 1:
        listed = " and ".join(f"{name} has {n}" for name, n in sizes.items())
        raise ValueError(f"inconsistent numbers of samples: {listed}")
    n = next(iter(sizes.values()))
    if n == 0:
        raise ValueError(f"{' and '.join(sizes)} are empty: at least one sample is needed")
    return n


def check_scores(s, name: str, ndim: tuple[int, ...] = (1,)) -> np.ndarray:
    """Numeric scores or probabilities without NaN or infinity."""
    arr = np.asarray(s)
    if arr.ndim == 2 and arr.shape[1] == 1 and 1 in ndim:
        arr = arr[:, 0]
    if arr.ndim not in ndim:
        want = " or ".join(f"{d}-D" for d in ndim)
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if arr.dtype.kind == "b":
        arr = arr.astype(np.float64)
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be numeric, got dtype {arr.dtype}")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        what = "NaN" if np.isnan(arr).any() else "infinity"
        raise ValueError(f"{name} contains {what}: scores must be finite")
    return arr


def check_sample_weight(sample_weight, n: int) -> np.ndarray | None:
    """``None``, or finite non-negative weights of shape ``(n,)`` (a scalar is broadcast)."""
    if sample_weight is None:
        return None
    sw = np.asarray(sample_weight)
    if sw.ndim == 0:
        sw = np.full(n, sw.item())
    if sw.shape != (n,):
        raise ValueError(f"sample_weight must have shape ({n},), got {sw.shape}")
    if sw.dtype.kind not in "biuf":
        raise ValueError(f"sample_weight must be numeric, got dtype {sw.dtype}")
    if sw.dtype.kind == "f" and not np.isfinite(sw).all():
        raise ValueError("sample_weight contains NaN or infinity")
    if (sw < 0).any():
        raise ValueError("sample_weight must be non-negative")
    if not sw.any():
        raise ValueError("sample_weight is zero everywhere: at least one weight must be positive")
    return sw


def check_labels(y, name: str) -> None:
    """Class labels, not continuous values: integral floats are fine, NaN and 0.5 are not."""
    if y.dtype.kind == "f":
        if not np.isfinite(y).all():
            raise ValueError(f"{name} contains NaN or infinity: class labels must be finite")
        if (y != np.floor(y)).any():
            raise ValueError(
                f"{name} contains non-integer floats (continuous values): classification "
                "metrics need class labels"
            )
    elif y.dtype.kind == "c":
        raise ValueError(f"{name} is complex: classification metrics need class labels")


def classes(y, name: str = "y") -> np.ndarray:
    """Sorted distinct labels of ``y`` (a bincount instead of a sort for small-range integers)."""
    if y.dtype.kind in "iub" and y.size:
        lo, hi = int(y.min()), int(y.max())
        if hi - lo <= 4 * y.size + 1024:
            present = np.flatnonzero(np.bincount((y - lo).astype(np.intp) if lo else y.astype(np.intp)))
            return (present + lo).astype(y.dtype)
    try:
        return np.unique(y)
    except TypeError as exc:  # object arrays mixing str and numbers cannot be sorted
        raise ValueError(f"{name} mixes label types (string and number): {exc}") from None


def union_classes(y_true, y_pred) -> np.ndarray:
    """Sorted labels present in either array; refuses a mix of string and numeric labels."""
    kinds = {_kind(y_true), _kind(y_pred)}
    if len(kinds) > 1:
        raise ValueError(
            f"y_true and y_pred mix label types (string and number): dtypes {y_true.dtype} and {y_pred.dtype}"
        )
    if y_true.dtype.kind in "iub" and y_pred.dtype.kind in "iub":
        both = np.concatenate([classes(y_true), classes(y_pred)])
        return np.unique(both)
    return classes(np.concatenate([y_true, y_pred]), "y_true and y_pred")


def _kind(y) -> str:
    if y.dtype.kind in "US" or (y.dtype.kind == "O" and y.size and isinstance(y[0], str)):
        return "string"
    return "number"


def encode(y, labels: np.ndarray) -> np.ndarray:
    """Index of each entry of ``y`` in ``labels`` (any order), ``len(labels)`` where absent."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    pos = np.searchsorted(sorted_labels, y)
    pos_c = np.minimum(pos, len(labels) - 1)
    found = sorted_labels[pos_c] == y
    return np.where(found, order[pos_c], len(labels))


def resolve_pos_label(pos_label, present: np.ndarray):
    """scikit-learn's rule: without ``pos_label``, y must be in {0, 1} or {-1, 1}; then it is 1."""
    if pos_label is not None:
        return pos_label
    ok = present.dtype.kind not in _STRING_KINDS and any(
        np.array_equal(present, c) for c in ([0, 1], [-1, 1], [0], [-1], [1])
    )
    if not ok:
        shown = ", ".join(repr(c) for c in present.tolist())
        raise ValueError(
            f"y_true takes value in {{{shown}}} and pos_label is not specified: either make y_true "
            "take value in {0, 1} or {-1, 1} or pass pos_label explicitly."
        )
    return 1
