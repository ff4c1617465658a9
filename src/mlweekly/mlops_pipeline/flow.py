"""The pipeline as a Prefect 3 flow: the same stages as tasks, with retries, caching and a run history.

:func:`pipeline_flow` chains the stages of :mod:`.pipeline` and the tracking pieces of :mod:`.tracking`
as Prefect tasks and returns the same :class:`~.tracking.TrackedRun` as
:func:`~.tracking.tracked_run`, with the same champion/challenger rule::

    load_data -> fingerprint -> validate_data -> split_data -> fit_model -> evaluate_model
              -> write_outputs -> log_run -> register_model

- **Retries** on the I/O-bound tasks: reading the data (``load_data``) and talking to the tracking
  store (``log_run``, ``register_model``), each twice after a short delay. ``register_model`` is
  idempotent: a retry reuses the version already registered for the run instead of adding one.
- **Caching** of the one expensive deterministic task, ``fit_model``: its key is the config, the
  data version (sha256 of the frame), the scikit-learn version and the task's source
  (``INPUTS - X_train - y_train + TASK_SOURCE``; the training rows themselves are a function of the
  config's split and the data version, so hashing them again adds nothing). A re-run with the same
  inputs within :data:`CACHE_EXPIRATION` reuses the fitted model; a changed hyper-parameter, data
  set or library misses. The other stages are cheap, or have side effects (files, MLflow) that a
  cache would skip, so they always run.
- **Where results go**: cached models are stored under ``<output_dir>/prefect-results`` — beside the
  run's other artifacts, never in ``~/.prefect`` — serialised with skops (:class:`SkopsSerializer`),
  not pickle, and loaded back with the same allow-list as MLflow's copy
  (:data:`~.tracking.TRUSTED_TYPES`). Prefect reads back a record with the serializer named *in the
  record*, so before each run :func:`check_result_store` refuses a store holding any record written
  by another serializer (a planted pickle would otherwise be unpickled). Nothing else is persisted:
  every other task has ``persist_result=False``.
- **No server to start**: with no ``PREFECT_API_URL`` Prefect starts a temporary local server for
  the run (~20 s the first time, when it also creates its SQLite database under ``PREFECT_HOME``,
  default ``~/.prefect``). Telemetry is off (``DO_NOT_TRACK``, ``PREFECT_SERVER_ANALYTICS_ENABLED``).

Examples
--------
>>> from mlweekly.mlops_pipeline import load_config
>>> from mlweekly.mlops_pipeline.flow import pipeline_flow
>>> tracked = pipeline_flow(load_config("configs/telco_churn.yaml", output_dir="/tmp/t"))  # doctest: +SKIP
>>> tracked.decision.alias  # doctest: +SKIP
'champion'
"""

from __future__ import annotations

import base64
import json
import logging
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

# Read by Prefect and MLflow when they are imported, so set before the imports below.
for _key, _value in {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",  # first start migrates a new database
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "MLFLOW_DISABLE_TELEMETRY": "true",
}.items():
    os.environ.setdefault(_key, _value)

import pandas as pd  # noqa: E402
from prefect import flow, task  # noqa: E402
from prefect.cache_policies import INPUTS, NO_CACHE, TASK_SOURCE  # noqa: E402
from prefect.serializers import Serializer  # noqa: E402

from mlweekly.mlops_pipeline import pipeline, tracking  # noqa: E402
from mlweekly.mlops_pipeline.config import PipelineConfig  # noqa: E402
from mlweekly.mlops_pipeline.evaluation import Evaluation, evaluate  # noqa: E402
from mlweekly.mlops_pipeline.registry import Decision, promote  # noqa: E402
from mlweekly.mlops_pipeline.validation import ValidationResult  # noqa: E402

__all__ = [
    "CACHE_EXPIRATION", "FLOW_RUN_TAG", "RESULTS_DIR", "SkopsSerializer", "UnsafeResultStoreError",
    "check_result_store", "pipeline_command", "pipeline_flow", "reporting", "task_runs",
]  # fmt: skip

RESULTS_DIR = "prefect-results"  # under the config's output_dir
FLOW_RUN_TAG = "prefect.flow_run_id"  # MLflow tag on each run: the Prefect flow run that made it
# A cached model older than this is refitted: long enough to iterate on a pipeline for a week or two,
# short enough that a forgotten cache does not outlive the library versions it was fitted with.
CACHE_EXPIRATION = timedelta(days=14)
IO_RETRIES, IO_RETRY_DELAY = 2, 1.0  # seconds; the failures retried are transient (a locked DB, a busy FS)
SAFE_SERIALIZERS = ("mlweekly-skops",)

# Called as each task finishes with (task name, state name, seconds); set by pipeline_command.
_progress: Callable[[str, str, float], None] | None = None


class UnsafeResultStoreError(RuntimeError):
    """The result store holds a record Prefect would decode with an unsafe serializer (e.g. pickle)."""


class SkopsSerializer(Serializer):
    """Prefect serializer for fitted scikit-learn models through skops: no pickle on either side.

    ``loads`` rebuilds scikit-learn's own types plus :data:`~.tracking.TRUSTED_TYPES` and refuses
    anything else, so a tampered file cannot run code.
    """

    type: str = "mlweekly-skops"

    def dumps(self, obj) -> bytes:
        import skops.io

        return base64.b64encode(skops.io.dumps(obj))  # Prefect stores records as JSON text

    def loads(self, blob: bytes):
        import skops.io

        return skops.io.loads(base64.b64decode(blob), trusted=tracking.TRUSTED_TYPES)


def check_result_store(path: str | Path) -> int:
    """Refuse a result store with a record that names another serializer; returns the record count.

    Raises
    ------
    UnsafeResultStoreError
        A file is not a Prefect result record, or its serializer is not in :data:`SAFE_SERIALIZERS`.
    """
    files = [p for p in Path(path).rglob("*") if p.is_file()] if Path(path).is_dir() else []
    for file in files:
        try:
            kind = json.loads(file.read_bytes())["metadata"]["serializer"]["type"]
        except (ValueError, KeyError, TypeError):
            kind = None
        if kind not in SAFE_SERIALIZERS:
            raise UnsafeResultStoreError(
                f"{file} is not a result this pipeline wrote (serializer {kind!r}); it would be decoded "
                f"unsafely, so the run stops. Delete {Path(path)} to start with an empty cache."
            )
    return len(files)


@contextmanager
def reporting(callback: Callable[[str, str, float], None]):
    """Call ``callback(task name, state name, seconds)`` as each task of a flow run in this block ends.

    The state is Prefect's (``Completed``, ``Cached``, ``Failed``); a retried task reports once, at
    the end. Used by :func:`pipeline_command` for its progress lines.
    """
    global _progress
    before, _progress = _progress, callback
    try:
        yield
    finally:
        _progress = before


def _report(tsk, task_run, state) -> None:
    if _progress is not None:
        took = (task_run.end_time - task_run.start_time).total_seconds() if task_run.start_time and \
            task_run.end_time else 0.0  # fmt: skip
        _progress(tsk.name, state.name, took)


# Tasks with no cache persist nothing (Prefect would otherwise pickle their results into ~/.prefect).
_plain = dict(cache_policy=NO_CACHE, persist_result=False, on_completion=[_report], on_failure=[_report])
_io = dict(_plain, retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY)


@task(**_io)
def load_data(cfg: PipelineConfig, path: str | None = None) -> pd.DataFrame:
    """The raw table (:func:`.pipeline.load_frame`); retried, as reading a file or a URL can fail briefly."""
    return pipeline.load_frame(cfg, path)


@task(**_plain)
def fingerprint(frame: pd.DataFrame) -> str:
    """The data version: sha256 of the frame as loaded (:func:`.tracking.data_version`)."""
    return tracking.data_version(frame)


@task(**_plain)
def validate_data(frame: pd.DataFrame, cfg: PipelineConfig) -> ValidationResult:
    """The data contract (:func:`.pipeline.clean`); bad rows go to ``<output_dir>/quarantine.csv``."""
    return pipeline.clean(frame, cfg, Path(cfg.output_dir) / "quarantine.csv")


@task(**_plain)
def split_data(clean: pd.DataFrame, cfg: PipelineConfig) -> pipeline.Split:
    return pipeline.split(clean, cfg)


@task(
    cache_policy=(INPUTS - "X_train" - "y_train") + TASK_SOURCE,
    cache_expiration=CACHE_EXPIRATION,
    persist_result=True,
    result_serializer=SkopsSerializer(),
    on_completion=[_report],
    on_failure=[_report],
)
def fit_model(cfg: PipelineConfig, data_version: str, library: str, X_train: pd.DataFrame,
              y_train: pd.Series):  # fmt: skip
    """Fit the config's pipeline (:func:`.pipeline.train`); cached on config, data version and library."""
    return pipeline.train(cfg, X_train, y_train)


@task(**_plain)
def evaluate_model(model, parts: pipeline.Split, cfg: PipelineConfig) -> Evaluation:
    return evaluate(model, parts.X_test, parts.y_test, cfg.task)


@task(**_plain)
def write_outputs(ev: Evaluation, checked: ValidationResult, cfg: PipelineConfig) -> dict[str, Path]:
    """metrics.json, predictions.csv, plots and validation.json, as :func:`.pipeline.run` writes them."""
    return pipeline.write_outputs(ev, checked, cfg.output_dir)


@task(**_io)
def log_run(cfg: PipelineConfig, uri: str, result: pipeline.RunResult, version: str,
            run_name: str | None) -> tuple[str, str]:  # fmt: skip
    """One MLflow run with the params, data version, metrics, artifacts and model, as tracked_run logs them.

    A failure inside marks that MLflow run FAILED; the retry starts a fresh run.
    """
    import mlflow
    from prefect.runtime import flow_run

    mlflow.set_tracking_uri(uri)
    with mlflow.start_run(experiment_id=tracking.experiment_id(cfg, uri), run_name=run_name) as active:
        # The flow run's id links the MLflow run to its task runs in Prefect (see task_runs).
        tracking.log_inputs(cfg, version, tags={FLOW_RUN_TAG: str(flow_run.id)})
        info = tracking.log_outputs(result)
    return active.info.run_id, info.model_uri


@task(**_io)
def register_model(cfg: PipelineConfig, uri: str, run_id: str, model_uri: str, name: str) -> Decision:
    """Register the run's model (once: a retry reuses the version) and apply the champion rule."""
    import mlflow

    client = mlflow.MlflowClient(uri)
    mine = client.search_model_versions(f"name='{name}' and run_id='{run_id}'")
    version = mine[0].version if mine else mlflow.register_model(model_uri, name).version
    return promote(client, name, version, cfg.metric.name, cfg.metric.direction)


@flow(name="mlweekly-pipeline", persist_result=False, log_prints=False)
def pipeline_flow(
    cfg: PipelineConfig,
    data: str | None = None,
    tracking_uri: str | None = None,
    model_name: str | None = None,
    run_name: str | None = None,
) -> tracking.TrackedRun:
    """Run the pipeline as a Prefect flow: stages as tasks, then the MLflow run and the champion rule.

    Parameters
    ----------
    cfg : PipelineConfig
    data : str, optional
        A CSV of the raw table; default ``mlweekly.datasets.load(cfg.dataset).frame``.
    tracking_uri, model_name, run_name : str, optional
        As for :func:`.tracking.tracked_run`.

    Returns
    -------
    TrackedRun
        As :func:`.tracking.tracked_run` returns it.

    Raises
    ------
    DataContractError, UnsafeResultStoreError, or whatever a stage raises
        Nothing is then logged or registered, so the champion cannot move.
    """
    import sklearn

    store = Path(cfg.output_dir).resolve() / RESULTS_DIR
    check_result_store(store)
    uri = tracking.configure(cfg, tracking_uri)
    frame = load_data(cfg, data)
    version = fingerprint(frame)
    checked = validate_data(frame, cfg)
    parts = split_data(checked.clean, cfg)
    fit = fit_model.with_options(result_storage=store)  # a Path: a local folder, no block to save
    model = fit(cfg, version, f"scikit-learn=={sklearn.__version__}", parts.X_train, parts.y_train)
    ev = evaluate_model(model, parts, cfg)
    paths = write_outputs(ev, checked, cfg)
    result = pipeline.RunResult(ev.metrics, paths, model, checked, ev, parts)
    run_id, model_uri = log_run(cfg, uri, result, version, run_name)
    name = model_name or cfg.dataset
    decision = register_model(cfg, uri, run_id, model_uri, name)
    return tracking.TrackedRun(run_id, result, version, model_uri, name, decision)


def task_runs(flow_run_id) -> pd.DataFrame:
    """The task runs Prefect recorded for one flow run: name, state, start, end, seconds, run count.

    Read back from Prefect's API (the temporary server or any configured one), ordered by start.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    rows = [{
        "task": r.task_key.rsplit("-", 1)[0] if r.task_key else r.name, "state": r.state_name,
        "start": r.start_time, "end": r.end_time, "seconds": r.total_run_time.total_seconds(),
        "run_count": r.run_count,
    } for r in runs]  # fmt: skip
    return pd.DataFrame(rows).sort_values("start", na_position="last", ignore_index=True)


def pipeline_command(config_path: Path, tracking_uri: str | None) -> int:
    """Body of ``mlweekly pipeline run --config FILE``: the flow with a line per finished task.

    Returns the exit code: 0 the run finished and its model was
    registered (champion or challenger); 1 the data broke its contract; 2 the config is invalid, or
    its ``output_dir`` holds a cached result this pipeline did not write (:func:`check_result_store`).
    """
    from rich.console import Console

    from mlweekly.mlops_pipeline.config import ConfigError, load_config
    from mlweekly.mlops_pipeline.validation import DataContractError

    console = Console(highlight=False, soft_wrap=True)  # paths stay whole, not wrapped
    try:
        cfg = load_config(config_path)
    except ConfigError as err:
        console.print(f"error: {err}", markup=False)
        return 2
    marks = {"Completed": "[green]done[/]", "Cached": "[cyan]cached[/]", "Failed": "[red]failed[/]"}

    def show(name: str, state: str, seconds: float) -> None:
        console.print(f"  {marks.get(state, state):>16} {name:<16} {seconds:6.2f} s")

    import mlflow  # noqa: F401  (imported first: it sets its loggers' levels on import)

    # Our lines replace their logs; a failed task is one "failed" line, its error is printed below.
    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs", "mlflow"):
        logging.getLogger(name).setLevel(logging.CRITICAL if name.startswith("prefect") else logging.WARNING)
    console.print(f"flow mlweekly-pipeline on {config_path} (Prefect starts a temporary local server)")
    start = time.perf_counter()
    try:
        with reporting(show):
            tracked = pipeline_flow(cfg, tracking_uri=tracking_uri)
    except DataContractError as err:
        console.print(f"error: {err}\nbad rows: {Path(cfg.output_dir) / 'quarantine.csv'}", markup=False)
        return 1
    except UnsafeResultStoreError as err:  # the config's output_dir holds files we did not write
        console.print(f"error: {err}", markup=False)
        return 2
    took = f"finished in {time.perf_counter() - start:.1f} s"
    console.print("\n".join([*tracking.summary_lines(cfg, tracked, tracking_uri), took]), markup=False)
    return 0
