"""The Full-Stack ML Pipeline: config -> data contract -> pipeline stages -> artifacts (see DESIGN.md).

- :mod:`.config`: ``load_config(path) -> PipelineConfig`` (YAML in ``configs/``);
- :mod:`.schemas`: ``build_schema(cfg) -> pandera.DataFrameSchema``;
- :mod:`.validation`: ``validate(frame, schema, max_bad_fraction, quarantine_path) -> ValidationResult``;
- :mod:`.tracking` and :mod:`.registry`: each run as an MLflow run (SQLite by default), the model
  registered and promoted to ``champion`` only when it beats the champion on the config's metric;
- :mod:`.drift` and :mod:`.monitoring`: PSI, KS and chi-square drift statistics from scratch,
  ``drift_report(reference, current, config) -> DriftSummary`` and Evidently's HTML report;
- :mod:`.pipeline`: the stages ``load_frame``, ``clean``, ``split``, ``build_pipeline``, ``train`` and
  ``run(cfg) -> RunResult``; :mod:`.evaluation`: ``evaluate`` and ``write_artifacts``;
- :mod:`.stages`: the same stages as DVC stages (``dvc.yaml``, ``params.yaml``);
- :mod:`.flow`: the same stages as a Prefect flow with retries and caching (``mlweekly pipeline run``);
- :mod:`.service` and :mod:`.scoring`: the FastAPI model service (``mlweekly serve``) and the compiled
  linear scorer it uses; :mod:`.monitor`: ``mlweekly monitor`` over the service's request log.

The modules that import MLflow, Prefect, DVC or FastAPI are not imported here: import them by name.
"""

from mlweekly.mlops_pipeline.config import ConfigError, PipelineConfig, load_config
from mlweekly.mlops_pipeline.evaluation import Evaluation, evaluate, write_artifacts
from mlweekly.mlops_pipeline.monitoring import DriftSummary, MonitorConfig, drift_report, load_monitor_config
from mlweekly.mlops_pipeline.pipeline import (
    RunResult,
    Split,
    build_pipeline,
    clean,
    load_frame,
    make_model,
    run,
    split,
    train,
)
from mlweekly.mlops_pipeline.schemas import build_schema
from mlweekly.mlops_pipeline.validation import DataContractError, ValidationResult, validate

__all__ = [
    "ConfigError", "DataContractError", "DriftSummary", "Evaluation", "MonitorConfig", "drift_report",
    "load_monitor_config", "PipelineConfig", "RunResult", "Split",
    "ValidationResult", "build_pipeline", "build_schema", "clean", "evaluate", "load_config",
    "load_frame", "make_model", "run", "split", "train", "validate", "write_artifacts",
]  # fmt: skip
