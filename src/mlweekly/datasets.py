"""Every data set the project uses, by name.

``load(name)`` returns a :class:`sklearn.utils.Bunch` with ``frame`` (the whole table as a pandas
DataFrame), ``data`` (features, DataFrame), ``target`` (Series), ``feature_names``, ``target_name``,
``task`` (``"classification"`` or ``"regression"``) and ``DESCR``. ``load_xy(name)`` returns
``(X, y)`` as NumPy arrays of the numeric features, the shape most lessons want.

(Stub: bundled scikit-learn sets only; vendored sets, IDX reader and downloader follow.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn import datasets as skd
from sklearn.utils import Bunch


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    task: str
    source: str
    licence: str
    origin: str  # "bundled" | "vendored" | "download"


_SKLEARN = {
    "iris": (skd.load_iris, "classification", "Fisher (1936), UCI"),
    "wine": (skd.load_wine, "classification", "UCI Wine"),
    "breast_cancer": (skd.load_breast_cancer, "classification", "UCI Breast Cancer Wisconsin"),
    "digits": (skd.load_digits, "classification", "UCI Optical Recognition of Handwritten Digits"),
    "diabetes": (skd.load_diabetes, "regression", "Efron et al. (2004), LARS paper"),
}

REGISTRY: dict[str, DatasetInfo] = {
    name: DatasetInfo(name, task, source, "BSD-3-Clause (scikit-learn)", "bundled")
    for name, (_, task, source) in _SKLEARN.items()
}


def names() -> list[str]:
    """Names of every data set."""
    return sorted(REGISTRY)


def load(name: str) -> Bunch:
    """Load a data set by name (see :func:`names`)."""
    if name not in REGISTRY:
        raise KeyError(f"Unknown data set {name!r}; known: {', '.join(names())}")
    loader, task, _ = _SKLEARN[name]
    raw = loader(as_frame=True)
    frame: pd.DataFrame = raw.frame
    target_name = raw.target.name
    return Bunch(
        frame=frame,
        data=frame.drop(columns=[target_name]),
        target=frame[target_name],
        feature_names=list(raw.feature_names),
        target_name=target_name,
        target_names=list(getattr(raw, "target_names", [])),
        task=task,
        DESCR=raw.DESCR,
    )


def load_xy(name: str) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` as NumPy arrays: the numeric feature columns (float64) and the target."""
    bunch = load(name)
    X = bunch.data.select_dtypes("number").to_numpy(dtype=np.float64)
    return X, bunch.target.to_numpy()
