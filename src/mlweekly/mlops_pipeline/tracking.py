"""Experiment tracking with MLflow: one pipeline run = one MLflow run, its model registered and judged.

:func:`tracked_run` wraps :func:`mlweekly.mlops_pipeline.pipeline.run`: it logs the config (flattened
params plus ``config.json``), the data version (sha256 of the frame as loaded, a tag and a param),
the holdout metrics, every artifact the pipeline wrote (metrics.json, predictions, plots, validation
report, quarantine) and the fitted model in MLflow's format with a signature and an input example;
then it registers the model and applies the champion/challenger rule of :mod:`.registry`. A stage
that raises ends the MLflow run as FAILED and registers nothing, so the champion cannot move.

Where things go (a config/env decision): the tracking URI is, in order, the ``tracking_uri``
argument, the ``MLFLOW_TRACKING_URI`` environment variable (any MLflow server), else a local SQLite
file ``<output_dir>/mlflow.db`` with artifacts in ``<output_dir>/mlartifacts`` — no server, and
nothing outside the config's ``output_dir``. The sklearn model is saved with ``skops`` (MLflow's
default), not pickle: loading it cannot run arbitrary code, only the types listed in
:data:`TRUSTED_TYPES`.

Examples
--------
>>> from mlweekly.mlops_pipeline import load_config, tracking
>>> cfg = load_config("configs/telco_churn.yaml", output_dir="/tmp/telco")  # doctest: +SKIP
>>> tracked = tracking.tracked_run(cfg)  # doctest: +SKIP
>>> tracked.decision.alias  # doctest: +SKIP
'champion'
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mlweekly.mlops_pipeline import pipeline
from mlweekly.mlops_pipeline.config import PipelineConfig
from mlweekly.mlops_pipeline.registry import Decision, promote

__all__ = [
    "TRUSTED_TYPES", "TrackedRun", "config_params", "configure", "data_version", "experiment_id",
    "log_inputs", "log_outputs", "model_input", "summary_lines", "tracked_run",
    "tracking_uri_for",
]  # fmt: skip

DB_FILE, ARTIFACT_DIR = "mlflow.db", "mlartifacts"
# Types skops may rebuild when loading a model besides scikit-learn's own (ours is a plain estimator).
TRUSTED_TYPES = ["numpy.dtype", "mlweekly.ml_algorithms.logistic_regression.LogisticRegression"]


@dataclass
class TrackedRun:
    """A tracked pipeline run: the MLflow run id, the pipeline's result and what the registry did."""

    run_id: str
    result: pipeline.RunResult
    data_version: str
    model_uri: str
    model_name: str
    decision: Decision


def tracking_uri_for(cfg: PipelineConfig, tracking_uri: str | None = None) -> str:
    """The argument, else ``$MLFLOW_TRACKING_URI``, else ``sqlite:///<output_dir>/mlflow.db``."""
    uri = tracking_uri or os.environ.get("MLFLOW_TRACKING_URI")
    return uri or f"sqlite:///{(Path(cfg.output_dir) / DB_FILE).resolve()}"


def configure(cfg: PipelineConfig, tracking_uri: str | None = None) -> str:
    """Point MLflow at the run's tracking store, telemetry off; returns the tracking URI."""
    # Set before mlflow is imported: its telemetry client reads these at import time.
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    import mlflow

    uri = tracking_uri_for(cfg, tracking_uri)
    if uri.startswith("sqlite:"):
        Path(cfg.output_dir).mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(uri)
    return uri


def experiment_id(cfg: PipelineConfig, uri: str) -> str:
    """The experiment named after the data set; with a local store its artifacts go beside the DB."""
    import mlflow

    found = mlflow.get_experiment_by_name(cfg.dataset)
    if found is not None:
        return found.experiment_id
    local = uri.startswith(("sqlite:", "file:"))  # a server chooses its own artifact root
    where = (Path(cfg.output_dir) / ARTIFACT_DIR).resolve().as_uri() if local else None
    return mlflow.create_experiment(cfg.dataset, artifact_location=where)


def data_version(frame: pd.DataFrame) -> str:
    """sha256 (hex) of a frame's column names, dtypes, index and values, as loaded.

    ``pd.util.hash_pandas_object`` gives one stable 64-bit hash per row (index included); the digest
    of those plus the schema changes when any value, row, column or dtype changes.
    """
    digest = hashlib.sha256()
    digest.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def config_params(cfg: PipelineConfig) -> dict[str, str]:
    """The config as flat MLflow params (``model.params.C`` ...); feature contracts as name lists."""
    raw = cfg.model_dump(mode="json")
    flat: dict[str, str] = {"numeric": ",".join(cfg.numeric), "categorical": ",".join(cfg.categorical)}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict) and value:
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else key, sub)
        else:
            flat[prefix] = str(value)

    walk("", {k: v for k, v in raw.items() if k not in ("numeric", "categorical")})
    return flat


def model_input(X: pd.DataFrame) -> pd.DataFrame:
    """``X`` with categorical columns as plain strings, the column type MLflow signatures know."""
    cats = X.select_dtypes("category").columns
    return X.astype({c: object for c in cats})


def _log_model(model, X: pd.DataFrame):
    import mlflow
    import numpy as np
    import sklearn
    import skops
    from mlflow.models import infer_signature

    example = model_input(X.head(5))
    proba = hasattr(model, "predict_proba")
    out = model.predict_proba(example) if proba else model.predict(example)
    # Pinning the requirements skips MLflow's 8-15 s subprocess that infers them.
    reqs = [f"{m.__name__.replace('sklearn', 'scikit-learn')}=={m.__version__}"
            for m in (sklearn, pd, np, skops)]  # fmt: skip
    return mlflow.sklearn.log_model(
        model, name="model", signature=infer_signature(example, out), input_example=example,
        pip_requirements=reqs, serialization_format="skops", skops_trusted_types=TRUSTED_TYPES,
        pyfunc_predict_fn="predict_proba" if proba else "predict",
    )  # fmt: skip


def tracked_run(
    cfg: PipelineConfig,
    data: pd.DataFrame | str | Path | None = None,
    *,
    tracking_uri: str | None = None,
    model_name: str | None = None,
    run_name: str | None = None,
) -> TrackedRun:
    """Run the pipeline as an MLflow run, register its model and apply the champion rule.

    Parameters
    ----------
    cfg : PipelineConfig
    data : DataFrame, str or Path, optional
        The raw table or a CSV of it; default ``mlweekly.datasets.load(cfg.dataset).frame``.
    tracking_uri : str, optional
        Overrides ``$MLFLOW_TRACKING_URI`` and the local SQLite default (see the module notes).
    model_name : str, optional
        Registered model name; default ``cfg.dataset``.
    run_name : str, optional

    Returns
    -------
    TrackedRun

    Raises
    ------
    DataContractError, or whatever a stage raises
        The MLflow run is then marked FAILED and no version is registered.
    """
    import mlflow

    uri = configure(cfg, tracking_uri)
    name = model_name or cfg.dataset
    frame = data if isinstance(data, pd.DataFrame) else pipeline.load_frame(cfg, data)
    version = data_version(frame)
    with mlflow.start_run(experiment_id=experiment_id(cfg, uri), run_name=run_name) as active:
        log_inputs(cfg, version)
        result = pipeline.run(cfg, frame)  # a stage raising here ends the run as FAILED
        info = log_outputs(result)
    registered = mlflow.register_model(info.model_uri, name)
    decision = promote(mlflow.MlflowClient(), name, registered.version, cfg.metric.name, cfg.metric.direction)
    return TrackedRun(active.info.run_id, result, version, info.model_uri, name, decision)


def log_inputs(cfg: PipelineConfig, version: str, tags: dict[str, str] | None = None) -> None:
    """Into the active MLflow run: the data version (tag and param), the flattened config, config.json."""
    import mlflow

    tags = {"data_version": version, "dataset": cfg.dataset, "model": cfg.model.name, **(tags or {})}
    mlflow.set_tags(tags)
    mlflow.log_params({**config_params(cfg), "data_version": version})
    mlflow.log_dict(cfg.model_dump(mode="json"), "config.json")


def log_outputs(result: pipeline.RunResult):
    """Into the active MLflow run: the holdout metrics, every artifact file and the model; its ModelInfo."""
    import mlflow

    mlflow.log_metrics(result.metrics)
    for path in result.paths.values():
        if path is not None and Path(path).is_file():
            mlflow.log_artifact(str(path), artifact_path="pipeline")
    return _log_model(result.model, result.split.X_test)


def summary_lines(cfg: PipelineConfig, tracked: TrackedRun, tracking_uri: str | None) -> list[str]:
    """What a finished run reports: the store, run, data version, metrics and the champion decision."""
    d = tracked.decision
    before = "none" if d.previous_champion is None else f"v{d.previous_champion} ({d.previous_score:.6g})"
    return [
        f"tracking: {tracking_uri_for(cfg, tracking_uri)}",
        f"run: {tracked.run_id}  data version: {tracked.data_version[:12]}",
        "metrics: " + ", ".join(f"{k}={v:.6g}" for k, v in tracked.result.metrics.items()),
        f"model {d.name} v{d.version}: {cfg.metric.name}={d.score:.6g} vs champion {before} -> {d.alias}",
    ]
