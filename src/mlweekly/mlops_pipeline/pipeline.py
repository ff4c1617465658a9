"""The pipeline pattern: load -> clean (validate) -> split -> features + model -> evaluate, as stages.

Each stage is a small function with plain inputs and outputs, so a later orchestrator (Prefect,
DVC) can wrap, cache and retry them one by one; :func:`run` chains them for one config. The model
is a scikit-learn ``Pipeline``: a ``ColumnTransformer`` (median-impute + standardise numerics,
most-frequent-impute + one-hot categoricals with ``handle_unknown="ignore"``) then the estimator the
config names. Because preprocessing sits *inside* the pipeline, it is fitted on training rows only
— in cross-validation too — which is what prevents leakage.

Examples
--------
>>> from mlweekly.mlops_pipeline import load_config, run
>>> result = run(load_config("configs/telco_churn.yaml", output_dir="/tmp/telco"))  # doctest: +SKIP
>>> result.metrics["roc_auc"]  # doctest: +SKIP
0.86...
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from sklearn import linear_model
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mlweekly import datasets
from mlweekly.ml_algorithms import LogisticRegression as OurLogisticRegression
from mlweekly.mlops_pipeline.config import PipelineConfig
from mlweekly.mlops_pipeline.evaluation import Evaluation, evaluate, write_artifacts
from mlweekly.mlops_pipeline.schemas import build_schema
from mlweekly.mlops_pipeline.validation import ValidationResult, validate

__all__ = [
    "MODELS",
    "RunResult",
    "Split",
    "build_pipeline",
    "clean",
    "load_frame",
    "make_model",
    "run",
    "split",
    "train",
    "write_outputs",
]

# Model factories by config name; hyper-parameters come from the config's model.params.
MODELS = {
    "logistic_regression": linear_model.LogisticRegression,
    "mlweekly_logistic_regression": OurLogisticRegression,
    "ridge": linear_model.Ridge,
    "hist_gradient_boosting": HistGradientBoostingRegressor,
}


class Split(NamedTuple):
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series


@dataclass
class RunResult:
    """What :func:`run` produced: holdout metrics, artifact paths, the fitted model and the data report."""

    metrics: dict[str, float]
    paths: dict[str, Path]
    model: Pipeline
    validation: ValidationResult
    evaluation: Evaluation
    split: Split


def load_frame(cfg: PipelineConfig, path: str | Path | None = None) -> pd.DataFrame:
    """The raw table: ``mlweekly.datasets.load(cfg.dataset).frame``, or a CSV file in the same shape."""
    if path is None:
        return datasets.load(cfg.dataset).frame
    return pd.read_csv(path, index_col=cfg.id_column, float_precision="round_trip")


def clean(
    frame: pd.DataFrame, cfg: PipelineConfig, quarantine_path: str | Path | None = None
) -> ValidationResult:
    """Validate against the config's data contract; bad rows go to ``quarantine_path``."""
    return validate(frame, build_schema(cfg), cfg.validation.max_bad_fraction, quarantine_path)


def split(frame: pd.DataFrame, cfg: PipelineConfig) -> Split:
    """Holdout split of the clean rows (stratified on the target for classification when asked)."""
    X, y = frame[cfg.features], frame[cfg.target.name]
    strat = y if cfg.task == "classification" and cfg.split.stratify else None
    return Split(*train_test_split(X, y, test_size=cfg.split.test_size, random_state=cfg.split.random_state,
                                   stratify=strat))  # fmt: skip


def make_model(cfg: PipelineConfig):
    """The estimator the config names, with its hyper-parameters."""
    try:
        return MODELS[cfg.model.name](**cfg.model.params)
    except TypeError as err:  # an unknown hyper-parameter: name it with the model
        raise ValueError(f"model.params for {cfg.model.name}: {err}") from None


def build_pipeline(cfg: PipelineConfig, model=None) -> Pipeline:
    """Preprocessing (``features``) and the model (``model``) as one unfitted scikit-learn Pipeline.

    Parameters
    ----------
    cfg : PipelineConfig
    model : estimator, optional
        Replaces the config's model (e.g. to compare two models on identical preprocessing).
    """
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    categorical = make_pipeline(SimpleImputer(strategy="most_frequent"),
                                OneHotEncoder(handle_unknown="ignore", sparse_output=False))  # fmt: skip
    features = ColumnTransformer(
        [("numeric", numeric, list(cfg.numeric)), ("categorical", categorical, list(cfg.categorical))],
        remainder="drop", verbose_feature_names_out=False,
    )  # fmt: skip
    return Pipeline([("features", features), ("model", make_model(cfg) if model is None else model)])


def train(cfg: PipelineConfig, X_train: pd.DataFrame, y_train: pd.Series, model=None) -> Pipeline:
    """Fit :func:`build_pipeline` on the training rows."""
    return build_pipeline(cfg, model).fit(X_train, y_train)


def run(cfg: PipelineConfig, data: pd.DataFrame | str | Path | None = None) -> RunResult:
    """Run every stage for one config and write the artifacts to ``cfg.output_dir``.

    Parameters
    ----------
    cfg : PipelineConfig
    data : DataFrame, str or Path, optional
        The raw table (or a CSV file of it); default: ``mlweekly.datasets.load(cfg.dataset).frame``.

    Returns
    -------
    RunResult
        ``paths`` holds ``metrics`` (JSON), ``predictions`` (CSV), ``validation`` (JSON report),
        ``quarantine`` (CSV of bad rows with reasons) and one PNG per plot.

    Raises
    ------
    DataContractError
        The data breaks its contract beyond ``validation.max_bad_fraction``; the quarantine file is
        written first.
    """
    out = Path(cfg.output_dir)
    frame = data if isinstance(data, pd.DataFrame) else load_frame(cfg, data)
    checked = clean(frame, cfg, out / "quarantine.csv")
    parts = split(checked.clean, cfg)
    model = train(cfg, parts.X_train, parts.y_train)
    ev = evaluate(model, parts.X_test, parts.y_test, cfg.task)
    return RunResult(ev.metrics, write_outputs(ev, checked, out), model, checked, ev, parts)


def write_outputs(ev: Evaluation, checked: ValidationResult, out: str | Path) -> dict[str, Path]:
    """The evaluation's artifacts (:func:`.evaluation.write_artifacts`) plus ``validation.json``; their paths
    by name, with ``quarantine`` (the bad rows' CSV, or None)."""
    out = Path(out)
    paths = write_artifacts(ev, out)
    paths["quarantine"] = checked.quarantine_path
    paths["validation"] = out / "validation.json"
    paths["validation"].write_text(json.dumps(checked.summary(), indent=2) + "\n", encoding="utf-8")
    return paths
