"""The model service: a FastAPI app that serves the registry's ``champion`` behind a typed contract.

:func:`create_app` builds the app from a pipeline config. The request model is *generated* from the
config's data contract (:func:`record_model`): numeric features are strict floats bounded by the
contract's ``min``/``max``, categorical ones a ``Literal`` of the allowed values, nullable ones may be
``null`` but must be present, and unknown fields are forbidden — so a missing, extra, mistyped or
out-of-range field is a 422 naming the field, decided before the model is touched (never a 5xx).

The model is loaded once, in the app's lifespan, from ``models:/NAME@alias`` (the scikit-learn flavour,
so ``predict_proba`` and ``predict`` are both at hand); a missing store, model or alias stops startup
with :class:`ModelNotFoundError` saying how to train one. Endpoints are plain ``def`` functions:
inference is CPU-bound, so FastAPI runs them in its thread pool instead of blocking the event loop.

- ``POST /predict``: one record (a JSON object) or a batch (a list of them); returns per record the
  positive-class probability (classification) and the prediction, with the model's name and version;
  every record is appended to a JSONL request log (time, request, prediction, model version) that
  :func:`read_request_log` turns back into a frame for monitoring.
- ``GET /health``: liveness plus the served version.
- ``GET /model``: name, version, alias, run id, the run's holdout metrics and its data version tag.
- ``GET /metrics``: Prometheus text (``prometheus_client``, one registry per app): requests by method,
  path and status, a latency histogram per path, and the prediction distribution (probability
  histogram and count per label for a classifier, a summary for a regressor).
- ``POST /admin/reload``: re-reads the alias from the registry (after ``pipeline run`` moved it) and
  swaps the model in without a restart; needs header ``X-Admin-Token`` equal to
  ``$MLWEEKLY_ADMIN_TOKEN`` (403 when no token is configured, 401 when it does not match, 409 when
  the alias cannot be loaded — the old model keeps serving).

Scoring: a linear pipeline is compiled once at load time (:func:`.scoring.compile_linear`) and a
record is scored in microseconds; any other model is scored through scikit-learn.

Examples
--------
>>> from fastapi.testclient import TestClient  # doctest: +SKIP
>>> app = create_app("configs/telco_churn.yaml")  # doctest: +SKIP
>>> with TestClient(app) as client:  # doctest: +SKIP
...     client.get("/model").json()["alias"]
'champion'
"""

# No `from __future__ import annotations`: FastAPI must see the endpoint types built in create_app.
import gc
import itertools
import json
import os
import secrets
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from fastapi import Body, FastAPI, HTTPException, Response, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, create_model

from mlweekly.mlops_pipeline import tracking
from mlweekly.mlops_pipeline.config import PipelineConfig, load_config
from mlweekly.mlops_pipeline.scoring import LinearScorer, compile_linear

__all__ = [
    "ADMIN_TOKEN_ENV", "MAX_BATCH", "ModelNotFoundError", "Served", "create_app", "load_served",
    "read_request_log", "record_model", "serve_command",
]  # fmt: skip

MAX_BATCH = 10_000  # records per request: bounds the memory one request can take
ADMIN_TOKEN_ENV = "MLWEEKLY_ADMIN_TOKEN"
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class ModelNotFoundError(RuntimeError):
    """The tracking store, the registered model or its alias is missing; the message says how to train."""


@dataclass(frozen=True)
class Served:
    """The model loaded at startup and where it came from."""

    model: Any  # a fitted scikit-learn Pipeline
    name: str
    version: str
    alias: str
    run_id: str
    metrics: dict[str, float]
    data_version: str | None
    columns: list[str]  # feature order the model was fitted with (a config may list them in another)
    scorer: LinearScorer | None  # the compiled fast path, None when the model is not linear


def record_model(cfg: PipelineConfig) -> type[BaseModel]:
    """One request record as a pydantic model generated from the config's feature contract."""
    fields: dict[str, Any] = {}
    for name, col in cfg.numeric.items():
        # strict: "12" or true is a type error, not silently a number; JSON ints are still floats.
        number = Annotated[float, Field(ge=col.min, le=col.max, strict=True, allow_inf_nan=False)]
        fields[name] = (number | None if col.nullable else number, ...)
    for name, col in cfg.categorical.items():
        choice = Literal[tuple(col.allowed)]
        fields[name] = (choice | None if col.nullable else choice, ...)
    return create_model("Record", __config__=ConfigDict(extra="forbid"), **fields)


class Prediction(BaseModel):
    id: str = Field(description="request id: report the outcome under it for performance monitoring")
    probability: float | None = Field(description="P(positive class); null for regression")
    prediction: int | float | str


class PredictResponse(BaseModel):
    name: str
    version: str
    predictions: list[Prediction]


def load_served(cfg: PipelineConfig, tracking_uri: str | None, alias: str, name: str) -> Served:
    """Load ``models:/NAME@alias`` and its run's metrics and data version from the tracking store.

    Raises
    ------
    ModelNotFoundError
        No local store, no such registered model or no such alias; says which and how to train.
    """
    uri = tracking.tracking_uri_for(cfg, tracking_uri)
    how = (f"train and register one first: `mlweekly pipeline run --config <your config>` "
           f"(tracking store {uri})")  # fmt: skip
    # A missing SQLite file would otherwise be created (and migrated) empty: say so instead.
    if uri.startswith("sqlite:///") and not Path(uri.removeprefix("sqlite:///")).is_file():
        raise ModelNotFoundError(f"no model registry at {uri}; {how}")
    tracking.configure(cfg, uri)
    import mlflow
    from mlflow.exceptions import MlflowException

    client = mlflow.MlflowClient(uri)
    try:
        version = client.get_model_version_by_alias(name, alias)
    except MlflowException:
        raise ModelNotFoundError(f"no model version models:/{name}@{alias} in the registry; {how}") from None
    # By the version the alias named just now: /model must describe the model actually loaded, even if
    # the alias moves in between.
    model = mlflow.sklearn.load_model(f"models:/{name}/{version.version}")
    expected = getattr(model, "feature_names_in_", None)
    columns = cfg.features if expected is None else [str(c) for c in expected]
    if sorted(columns) != sorted(cfg.features):
        raise ModelNotFoundError(
            f"models:/{name}@{alias} (v{version.version}) was trained on features {list(expected)}, "
            f"but the config lists {cfg.features}; serve it with the config it was trained with"
        )
    run = client.get_run(version.run_id)
    return Served(model, name, str(version.version), alias, version.run_id, dict(run.data.metrics),
                  run.data.tags.get("data_version"), columns, compile_linear(model))  # fmt: skip


def _frame(cfg: PipelineConfig, records: list[BaseModel], columns: list[str]) -> pd.DataFrame:
    """The records as the frame the pipeline was fitted on: its column order, float64 numerics, object
    categoricals."""
    frame = pd.DataFrame([r.model_dump() for r in records], columns=columns)
    frame = frame.astype({c: np.float64 for c in cfg.numeric})
    # None -> NaN so the pipeline's imputer sees a missing category as missing.
    return frame.astype({c: object for c in cfg.categorical}).fillna({c: np.nan for c in cfg.categorical})


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _score(cfg: PipelineConfig, served: Served, records: list[BaseModel], ids) -> list[Prediction]:
    """Predictions for validated records: the compiled scorer when there is one, else scikit-learn."""
    if served.scorer is not None:
        pairs = [served.scorer.predict_one(r.__dict__) for r in records]
    else:
        X = _frame(cfg, records, served.columns)
        labels = served.model.predict(X)
        proba = served.model.predict_proba(X)[:, 1] if cfg.task == "classification" else [None] * len(X)
        pairs = zip(proba, labels, strict=True)
    return [Prediction(id=next(ids), probability=_plain(p), prediction=_plain(y)) for p, y in pairs]


class _Metrics:
    """The app's Prometheus metrics, in a registry of its own (several apps may live in one process)."""

    def __init__(self, task: str, paths: set[str]):
        from prometheus_client import CollectorRegistry, Counter, Histogram, Summary

        self.registry = CollectorRegistry()
        self.paths = paths
        self.requests = Counter("mlweekly_http_requests", "HTTP requests by method, path and status.",
                                ["method", "path", "status"], registry=self.registry)  # fmt: skip
        self.latency = Histogram("mlweekly_http_request_duration_seconds", "Time to answer, by path.",
                                 ["path"], buckets=LATENCY_BUCKETS, registry=self.registry)  # fmt: skip
        self.predictions = Counter("mlweekly_predictions", "Records scored, by model version and label.",
                                   ["version", "label"], registry=self.registry)  # fmt: skip
        self.distribution = (
            Histogram("mlweekly_predicted_probability", "P(positive class) of the scored records.",
                      buckets=[k / 10 for k in range(1, 11)], registry=self.registry)
            if task == "classification"
            else Summary("mlweekly_predicted_value", "Predicted values of the scored records.",
                         registry=self.registry)
        )  # fmt: skip

    def observe(self, version: str, predictions: list[Prediction]) -> None:
        for p in predictions:
            classified = p.probability is not None
            self.predictions.labels(version, str(p.prediction) if classified else "value").inc()
            self.distribution.observe(p.probability if classified else p.prediction)

    def middleware(self, app):
        """Pure ASGI middleware counting and timing every request (Starlette's BaseHTTPMiddleware
        would cost more than scoring the record)."""

        async def asgi(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            start, status = time.perf_counter(), 500

            async def send_status(message):
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            try:
                await app(scope, receive, send_status)
            finally:  # unknown paths share one label: a fuzzer must not grow the label set
                path = scope["path"] if scope["path"] in self.paths else "other"
                self.requests.labels(scope["method"], path, str(status)).inc()
                self.latency.labels(path).observe(time.perf_counter() - start)

        return asgi


def _freeze_heap() -> None:
    """Move everything alive now (the libraries, the model) out of the cyclic GC's sight.

    The service imports MLflow, pandas and scikit-learn: hundreds of thousands of long-lived objects
    that every full collection would walk again. Under load those pauses were the p99 (200–240 ms at 64
    clients, against 20–36 ms frozen; see benchmarks/bench_service.py). Frozen objects are still freed
    by reference counting, so a replaced model's memory is returned as usual.
    """
    gc.collect()
    gc.freeze()


class ReloadResponse(BaseModel):
    previous_version: str
    version: str
    reloaded: bool = Field(description="whether the alias now points at another version")


def create_app(
    config_path_or_cfg: str | Path | PipelineConfig,
    *,
    tracking_uri: str | None = None,
    alias: str = "champion",
    request_log: str | Path | None = None,
    model_name: str | None = None,
    admin_token: str | None = None,
    served: Served | None = None,
) -> FastAPI:
    """The FastAPI app serving ``models:/NAME@alias`` under the config's data contract.

    Parameters
    ----------
    config_path_or_cfg : str, Path or PipelineConfig
        The pipeline config (YAML path or loaded) the model was trained with.
    tracking_uri : str, optional
        As in :func:`mlweekly.mlops_pipeline.tracking.tracking_uri_for` (argument, env, local SQLite).
    alias : str, default "champion"
    request_log : str or Path, optional
        JSONL file each prediction is appended to; default ``<output_dir>/requests.jsonl``.
    model_name : str, optional
        Registered model name; default ``cfg.dataset`` (as :func:`tracking.tracked_run` registers it).
    admin_token : str, optional
        Token ``POST /admin/reload`` requires; default ``$MLWEEKLY_ADMIN_TOKEN`` (unset: reload disabled).
    served : Served, optional
        The model already loaded by :func:`load_served` (as ``mlweekly serve`` does to fail early);
        default: the lifespan loads it.

    Returns
    -------
    FastAPI
        Startup (the lifespan) raises :class:`ModelNotFoundError` when the model cannot be found.
    """
    cfg = config_path_or_cfg
    if not isinstance(cfg, PipelineConfig):
        cfg = load_config(cfg)
    name = model_name or cfg.dataset
    token = admin_token if admin_token is not None else os.environ.get(ADMIN_TOKEN_ENV) or None
    log_path = Path(request_log) if request_log is not None else Path(cfg.output_dir) / "requests.jsonl"
    Record = record_model(cfg)
    Batch = Annotated[list[Record], Field(min_length=1, max_length=MAX_BATCH)]
    # Tagged by shape, so a bad field is reported once, at body.one.<field> or body.batch.<i>.<field>.
    Payload = Annotated[
        Annotated[Record, Tag("one")] | Annotated[Batch, Tag("batch")],
        Discriminator(lambda v: "batch" if isinstance(v, list) else "one"),
    ]
    state: dict[str, Any] = {}
    # Request ids: this app's random prefix and a counter (unique across restarts, cheaper than uuid4).
    ids = map(f"{uuid.uuid4().hex[:12]}-{{}}".format, itertools.count(1))
    metrics = _Metrics(cfg.task, {"/predict", "/health", "/model", "/metrics", "/admin/reload"})

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        state["served"] = served or load_served(cfg, tracking_uri, alias, name)
        _freeze_heap()
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("a", encoding="utf-8") as log:
            state["log"] = log
            yield
        state.clear()

    app = FastAPI(title=f"mlweekly {name} model service", lifespan=lifespan)
    app.add_middleware(metrics.middleware)

    # 400: FastAPI's answer to a body it cannot decode (not UTF-8); 422 (documented by FastAPI): any
    # record that breaks the contract.
    @app.post("/predict", response_model=PredictResponse,
              responses={400: {"description": "the body is not UTF-8 encoded JSON"}})  # fmt: skip
    async def predict(payload: Annotated[Payload, Body()]) -> PredictResponse:
        served = state["served"]  # one read: a concurrent reload cannot mix two versions in a response
        records = payload if isinstance(payload, list) else [payload]
        # The compiled scorer takes microseconds: run it on the event loop. scikit-learn takes
        # milliseconds: off to the thread pool, so /health keeps answering meanwhile.
        if served.scorer is not None:
            out = _score(cfg, served, records, ids)
        else:
            out = await run_in_threadpool(_score, cfg, served, records, ids)
        now = datetime.now(UTC).isoformat()
        meta = {"time": now, "name": served.name, "version": served.version, "alias": alias}
        # The validated fields are plain JSON values already: no model_dump round trip per record.
        lines = "".join(json.dumps({**meta, "request": r.__dict__, "id": o.id, "probability": o.probability,
                                    "prediction": o.prediction}) + "\n"
                        for r, o in zip(records, out, strict=True))  # fmt: skip
        state["log"].write(lines)  # on the event loop: one writer, lines never interleave
        state["log"].flush()
        metrics.observe(served.version, out)
        return PredictResponse(name=served.name, version=served.version, predictions=out)

    @app.get("/health")
    def health() -> dict[str, Any]:
        served = state.get("served")
        return {"status": "ok" if served else "starting", "version": served and served.version}

    @app.get("/model")
    def model_info() -> dict[str, Any]:
        s = state["served"]
        return {"name": s.name, "version": s.version, "alias": s.alias, "run_id": s.run_id,
                "metrics": s.metrics, "data_version": s.data_version, "features": cfg.features,
                "compiled": s.scorer is not None}  # fmt: skip

    @app.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
    def prometheus() -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    admin_header = APIKeyHeader(name="X-Admin-Token", auto_error=False,
                                description=f"must equal ${ADMIN_TOKEN_ENV} of the service")  # fmt: skip

    refusals = {401: {"description": "missing or wrong token"},
                403: {"description": "reload disabled (no token configured)"},
                409: {"description": "the alias cannot be loaded; the old model keeps serving"}}

    @app.post("/admin/reload", response_model=ReloadResponse, responses=refusals)
    def reload(given: Annotated[str | None, Security(admin_header)] = None) -> ReloadResponse:
        if token is None:
            raise HTTPException(403, f"reload is disabled: start the service with {ADMIN_TOKEN_ENV} set")
        if given is None or not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong X-Admin-Token header")
        old = state["served"]
        try:
            new = load_served(cfg, tracking_uri, alias, name)
        except ModelNotFoundError as err:
            raise HTTPException(409, str(err)) from None
        state["served"] = new
        _freeze_heap()
        return ReloadResponse(previous_version=old.version, version=new.version,
                              reloaded=new.version != old.version)  # fmt: skip

    return app


def read_request_log(path: str | Path) -> pd.DataFrame:
    """The JSONL request log as a frame: one row per record, request fields as columns."""
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
    if not rows:
        return pd.DataFrame()
    meta = pd.DataFrame([{k: v for k, v in r.items() if k != "request"} for r in rows])
    return pd.concat([pd.DataFrame([r["request"] for r in rows]), meta], axis=1)


def serve_command(config_path: Path, host: str, port: int, alias: str, tracking_uri: str | None) -> int:
    """Body of ``mlweekly serve``: check the model exists, then run uvicorn; returns the exit code.

    1: no registry, model or alias (the message says how to train one); 2: the config is invalid.
    """
    import uvicorn

    from mlweekly.mlops_pipeline.config import ConfigError

    try:
        cfg = load_config(config_path)
    except ConfigError as err:
        print(f"error: {err}")
        return 2
    try:  # fail before uvicorn starts, with our message rather than a lifespan traceback
        served = load_served(cfg, tracking_uri, alias, cfg.dataset)
    except ModelNotFoundError as err:
        print(f"error: {err}")
        return 1
    print(f"serving models:/{served.name}@{alias} (v{served.version}) on http://{host}:{port}")
    # No access log: /metrics counts requests and the request log keeps every prediction; a log line
    # per request would cost more than scoring it.
    app = create_app(cfg, tracking_uri=tracking_uri, alias=alias, served=served)  # loaded once
    uvicorn.run(app, host=host, port=port, access_log=False)
    return 0
