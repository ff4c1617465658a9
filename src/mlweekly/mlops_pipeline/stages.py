"""The DVC pipeline's stages: validate -> train -> evaluate, each a function and a command.

``dvc.yaml`` at the repository root runs them as ``python -m mlweekly.mlops_pipeline.stages <stage>
--params params.yaml``; each stage reads only files the previous one wrote, so DVC can hash the
inputs and outputs of each and rerun only what changed (``dvc repro``).

What lives where:

- ``configs/<dataset>.yaml`` is the **data contract** (data set, target, features with their types,
  ranges and categories, bad-row limit, holdout metric) and the defaults of ``mlweekly pipeline run``;
- ``params.yaml`` holds the **experiment knobs** DVC tracks per stage: which config, the split, the
  model and its hyper-parameters, and where outputs go. They override the config's ``split`` and
  ``model`` (``load_config``'s overrides), so a hyper-parameter change reruns train and evaluate
  but not validate, while a contract change reruns everything.

Outputs, under ``out_dir`` (``artifacts/dvc``, ignored by git):

- ``validate/``: ``validated.csv`` (the clean rows), ``data_version`` (sha256 of the table as loaded,
  :func:`mlweekly.mlops_pipeline.tracking.data_version`, the same value a tracked run tags in
  MLflow), ``quarantine.csv`` and ``validation.json``;
- ``train/model/``: the fitted pipeline in MLflow's model format, serialised with skops (never
  pickle), with signature, input example and pinned requirements;
- ``evaluate/``: ``metrics.json`` (read by ``dvc metrics show``), ``predictions.csv`` and the plots.

Examples
--------
>>> from mlweekly.mlops_pipeline import stages
>>> params = stages.load_params("params.yaml")  # doctest: +SKIP
>>> stages.validate_stage(params)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from pydantic import BaseModel, ConfigDict

from mlweekly.mlops_pipeline import pipeline, tracking
from mlweekly.mlops_pipeline.config import (
    ConfigError,
    ModelConfig,
    PipelineConfig,
    SplitConfig,
    load_config,
    read_model,
)
from mlweekly.mlops_pipeline.evaluation import Evaluation, evaluate, write_artifacts
from mlweekly.mlops_pipeline.schemas import build_schema
from mlweekly.mlops_pipeline.validation import DataContractError, ValidationResult

__all__ = [
    "StageParams", "app", "evaluate_stage", "load_model", "load_params", "read_validated", "save_model",
    "stage_config", "train_stage", "validate_stage",
]  # fmt: skip


class StageParams(BaseModel):
    """``params.yaml``: the config file, output folder, and the split and model overriding the config's."""

    model_config = ConfigDict(extra="forbid", frozen=True)  # a misspelt knob is an error, not a default

    config: Path
    out_dir: Path = Path("artifacts/dvc")
    split: SplitConfig = SplitConfig()
    model: ModelConfig

    @property
    def validate_dir(self) -> Path:
        return self.out_dir / "validate"

    @property
    def model_dir(self) -> Path:
        return self.out_dir / "train" / "model"

    @property
    def evaluate_dir(self) -> Path:
        return self.out_dir / "evaluate"


def load_params(path: str | Path | dict) -> StageParams:
    """Read ``params.yaml`` (or its parsed dict); a bad file raises :class:`ConfigError` naming the key."""
    return read_model(path, StageParams, "params")


def stage_config(params: StageParams) -> PipelineConfig:
    """The config file with ``params``' split, model and output folder in place of its own."""
    return load_config(
        params.config, split=params.split.model_dump(), model=params.model.model_dump(),
        output_dir=params.out_dir,
    )  # fmt: skip


def read_validated(cfg: PipelineConfig, path: str | Path) -> pd.DataFrame:
    """``validated.csv`` read back and re-checked against the contract (which also restores its dtypes)."""
    return build_schema(cfg).validate(pipeline.load_frame(cfg, path))


def validate_stage(params: StageParams, data: str | Path | None = None) -> ValidationResult:
    """Stage 1: check the raw table against the contract; write the clean rows and the data version.

    Parameters
    ----------
    params : StageParams
    data : str or Path, optional
        A CSV shaped like the data set's frame; default ``mlweekly.datasets.load(cfg.dataset)``
        (whose vendored bytes are checked against their sha256 on load).

    Returns
    -------
    ValidationResult

    Raises
    ------
    DataContractError
        Too many bad rows, or the table is broken as a whole; the message names rows, columns and
        checks, and ``quarantine.csv`` is written first.
    """
    cfg, out = stage_config(params), params.validate_dir
    frame = pipeline.load_frame(cfg, data)
    version = tracking.data_version(frame)  # of the table as loaded, as tracking.tracked_run tags it
    checked = pipeline.clean(frame, cfg, out / "quarantine.csv")
    checked.clean.to_csv(out / "validated.csv")  # floats written with repr: they read back exactly
    (out / "data_version").write_text(version + "\n", encoding="utf-8")
    (out / "validation.json").write_text(json.dumps(checked.summary(), indent=2) + "\n", encoding="utf-8")
    return checked


def save_model(model, X: pd.DataFrame, path: str | Path) -> Path:
    """Save a fitted pipeline in MLflow's model format, serialised with skops (no pickle).

    The folder holds ``MLmodel`` (flavours, signature, skops' trusted types), ``model.skops``, the
    input example and pinned requirements; an existing folder is replaced (a stage rewrites its outs).
    """
    import shutil

    import mlflow.sklearn
    import numpy as np
    import sklearn
    import skops
    from mlflow.models import infer_signature

    path = Path(path)
    if path.exists():
        shutil.rmtree(path)
    example = tracking.model_input(X.head(5))
    proba = hasattr(model, "predict_proba")
    out = model.predict_proba(example) if proba else model.predict(example)
    reqs = [f"{m.__name__.replace('sklearn', 'scikit-learn')}=={m.__version__}"
            for m in (sklearn, pd, np, skops)]  # fmt: skip
    mlflow.sklearn.save_model(
        model, str(path), signature=infer_signature(example, out), input_example=example,
        pip_requirements=reqs, serialization_format="skops", skops_trusted_types=tracking.TRUSTED_TYPES,
        pyfunc_predict_fn="predict_proba" if proba else "predict",
    )  # fmt: skip
    return path


def load_model(path: str | Path):
    """Load a model saved by :func:`save_model`: skops rebuilds only the types its MLmodel trusts."""
    import mlflow.sklearn

    path = Path(path)
    if not (path / "MLmodel").is_file():
        raise FileNotFoundError(f"no MLflow model at {path} (missing MLmodel); run the train stage first")
    return mlflow.sklearn.load_model(str(path))


def train_stage(params: StageParams):
    """Stage 2: split the validated rows, fit the pipeline on the training part and save it.

    Returns
    -------
    sklearn.pipeline.Pipeline
        The fitted pipeline (also saved to ``params.model_dir``).
    """
    cfg = stage_config(params)
    parts = pipeline.split(read_validated(cfg, params.validate_dir / "validated.csv"), cfg)
    model = pipeline.train(cfg, parts.X_train, parts.y_train)
    params.model_dir.parent.mkdir(parents=True, exist_ok=True)
    save_model(model, parts.X_train, params.model_dir)
    return model


def evaluate_stage(params: StageParams) -> Evaluation:
    """Stage 3: score the *saved* model on the holdout rows; write metrics, predictions and plots.

    The split is recomputed from the validated rows and the same ``split`` params, so it is the
    split the train stage used (``train_test_split`` with a fixed ``random_state``).
    """
    cfg = stage_config(params)
    parts = pipeline.split(read_validated(cfg, params.validate_dir / "validated.csv"), cfg)
    model = load_model(params.model_dir)
    ev = evaluate(model, parts.X_test, parts.y_test, cfg.task)
    write_artifacts(ev, params.evaluate_dir)
    return ev


# ---------------------------------------------------------------------------------------------- CLI
app = typer.Typer(help="DVC stages of the Telco pipeline (see dvc.yaml).", add_completion=False,
                  no_args_is_help=True)  # fmt: skip
ParamsOption = Annotated[Path, typer.Option("--params", help="The stage parameters (params.yaml).")]


def _run(stage: Callable[[], Any]) -> None:
    # Bad input ends in one clear line and exit code 1, never a traceback (DVC shows it as the cause).
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    try:
        stage()
    except (ConfigError, DataContractError, FileNotFoundError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None


@app.command("validate")
def _validate(
    params: ParamsOption = Path("params.yaml"),
    data: Annotated[Path | None, typer.Option(help="A CSV shaped like the data set's frame.")] = None,
) -> None:
    """Check the data against its contract; write validated.csv, data_version and the quarantine."""
    _run(lambda: validate_stage(load_params(params), data))


@app.command("train")
def _train(params: ParamsOption = Path("params.yaml")) -> None:
    """Fit the pipeline on the training split; save it in MLflow's format (skops)."""
    _run(lambda: train_stage(load_params(params)))


@app.command("evaluate")
def _evaluate(params: ParamsOption = Path("params.yaml")) -> None:
    """Score the saved model on the holdout split; write metrics.json, predictions and plots."""
    _run(lambda: evaluate_stage(load_params(params)))


if __name__ == "__main__":
    app()
