# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # P1.25 · Deploy a model using FastAPI
#
# A fitted pipeline in a registry answers nobody. A *service* puts it behind HTTP: a client sends a
# customer as JSON and gets back the probability of churn. The project's service
# (`mlweekly.mlops_pipeline.service.create_app`, run by `mlweekly serve`) is a FastAPI app with
# `POST /predict` (one record or a batch), `GET /health`, `GET /model`, `GET /metrics` and
# `POST /admin/reload`. This lesson walks from the model to the service and checks every step.
#
# ```
#  client ──JSON──▶ uvicorn ──▶ FastAPI ──▶ pydantic Record (422 if bad) ──▶ scorer ──▶ JSON
#                                 │  lifespan: load models:/telco_churn@champion once      │
#                                 └─ middleware: Prometheus counters      request log ◀───┘
# ```
#
# ## 1. The request contract is generated from the data contract
#
# The config (`configs/telco_churn.yaml`) already states what a customer looks like: numeric
# features with `min`/`max`, categorical ones with their allowed values, nullability. The service
# does not restate it; `record_model(cfg)` builds a pydantic model from it with `create_model`:
#
# * numeric $\to$ `Annotated[float, Field(ge=min, le=max, strict=True, allow_inf_nan=False)]` —
#   strict, so `"12"` or `true` is a type error and not silently a number;
# * categorical $\to$ `Literal["Month-to-month", "One year", "Two year"]`;
# * nullable $\to$ `... | None`, but still *required* (a missing field and a `null` are different);
# * `ConfigDict(extra="forbid")`: an unknown field is an error, not ignored.
#
# FastAPI turns the model into the OpenAPI schema (so clients and fuzzers such as schemathesis know
# the contract) and validates every body against it *before* the endpoint runs.
#
# ## 2. Why validate at the edge
#
# A scikit-learn pipeline accepts garbage quietly: `OneHotEncoder(handle_unknown="ignore")` maps an
# unknown contract type to all zeros, `StandardScaler` happily standardises a tenure of $-50$
# months, and out comes a probability that looks like any other. The caller never learns their
# request was wrong. Validation at the edge answers **422 Unprocessable Entity** with the field
# named (`loc = ["body", "one", "Contract"]`, or `["body", "batch", 3, "tenure"]` in a batch) and
# never touches the model; a malformed request can never become a 5xx.
#
# ## 3. Load once: the lifespan
#
# Loading from the registry (MLflow store, model files, run metrics) takes about a second; scoring a
# record takes microseconds. So the model is loaded once, in the app's *lifespan* (an async context
# manager FastAPI enters at startup and leaves at shutdown), and every request reads it from the
# app's state. A missing registry or alias stops startup with a message saying how to train one.
# `POST /admin/reload` swaps in the model the alias now points to, without a restart.
#
# ## 4. `def` or `async def`: the event loop and the thread pool
#
# uvicorn runs one event loop per worker. An `async def` endpoint runs *on* the loop: while it
# computes, no other request on that worker makes progress. A plain `def` endpoint runs in a thread
# pool (AnyIO's, 40 threads by default), so the loop keeps accepting and answering. Hence the rule:
# blocking or CPU-heavy work (scikit-learn on a frame: about a millisecond) goes to the pool, via
# `def` or `run_in_threadpool`; work of a few microseconds may run on the loop, where the thread hop
# would cost more than the work. (Python threads share the GIL, so the pool buys concurrency for
# waiting, not parallel arithmetic; more cores means more uvicorn workers.)
#
# ## 5. The compiled linear scorer
#
# The pipeline is median-impute $\to$ standardise for numeric features, mode-impute $\to$ one-hot for
# categorical ones, then logistic regression. Each step is linear in the raw record, so the whole
# pipeline folds into per-feature weights (`mlweekly.mlops_pipeline.scoring.compile_linear`). With
# $\tilde x_j = x_j$ or the imputer's median $m_j$ when missing, scaler mean $\mu_j$ and scale
# $\sigma_j$, and $w$ the model's coefficients on the transformed columns,
#
# $$ z = b + \sum_{j \in \text{num}} w_j \,\frac{\tilde x_j - \mu_j}{\sigma_j}
#        + \sum_{k \in \text{cat}} \sum_{c} w_{k,c}\,[x_k = c]
#      = b + \sum_{j} w_j \,\frac{\tilde x_j - \mu_j}{\sigma_j} + \sum_{k} w_{k,\,x_k}, $$
#
# because a one-hot block has exactly one 1 (the record's category; a missing one is imputed with
# the mode, an unseen one is all zeros, weight 0). Then $p = \sigma(z) = 1/(1+e^{-z})$, computed
# as $e^{z}/(1+e^{z})$ when $z<0$ so the exponent never overflows. One dictionary lookup per
# categorical feature and one multiply-add per numeric one: microseconds in pure Python, against
# about a millisecond for a one-row DataFrame through `ColumnTransformer` (pandas indexing, input
# validation, column dispatch). The scorer keeps $(\tilde x_j-\mu_j)/\sigma_j$ in the same order of
# operations as scikit-learn, so the two agree to rounding ($10^{-16}$), not just approximately.
#
# ## 6. Observability: Prometheus metrics and the request log
#
# `GET /metrics` exposes counters and histograms in Prometheus' text format (requests by method,
# path and status; latency per path; predicted probabilities; predictions per label). A Prometheus
# server scrapes it; here we parse it back with `prometheus_client.parser`. Every scored record is
# also appended to a JSONL request log (time, request, prediction, model version, id) — the input
# of `mlweekly monitor` (P2.10) and, joined on `id` with outcomes, of performance monitoring.
#
# References: FastAPI docs, *Lifespan Events*, *Concurrency and async / await*, *Handling Errors*
# (RequestValidationError); pydantic docs, *Dynamic model creation* and *Strict mode*; Prometheus,
# *Exposition formats*; Sculley et al. (2015), *Hidden Technical Debt in Machine Learning Systems*.

# %%
import os

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # before mlflow is imported
os.environ.setdefault("DO_NOT_TRACK", "1")

import contextlib
import inspect
import json
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import mlflow
import numpy as np
import pandas as pd
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError

from mlweekly import parity
from mlweekly.mlops_pipeline import load_config
from mlweekly.mlops_pipeline.config import CONFIG_DIR
from mlweekly.mlops_pipeline.scoring import compile_linear
from mlweekly.mlops_pipeline.service import create_app, read_request_log, record_model
from mlweekly.mlops_pipeline.tracking import model_input, tracked_run

# %% [markdown]
# ## Train and register a champion in a temporary registry

# %%
work = Path(tempfile.mkdtemp(prefix="p1_25_"))
uri = f"sqlite:///{work / 'mlflow.db'}"
cfg = load_config(CONFIG_DIR / "telco_churn.yaml", output_dir=work / "run")
tracked = tracked_run(cfg, tracking_uri=uri)
print(f"models:/{tracked.decision.name}@{tracked.decision.alias} = v{tracked.decision.version}, "
      f"holdout {cfg.metric.name} {tracked.result.metrics[cfg.metric.name]:.4f}")
mlflow.set_tracking_uri(uri)
model = mlflow.sklearn.load_model(f"models:/{cfg.dataset}@champion")  # what the service will load
X = tracked.result.split.X_test
rows = json.loads(X.astype(object).to_json(orient="records"))  # the holdout as JSON records (NaN -> null)

# %% [markdown]
# ## The generated request contract

# %%
Record = record_model(cfg)
properties = Record.model_json_schema()["properties"]
for field in ("tenure", "TotalCharges", "Contract"):
    print(f"{field:13} {json.dumps(properties[field])}")
print("required:", len(Record.model_json_schema()["required"]), "fields; additionalProperties:",
      Record.model_json_schema().get("additionalProperties"))

# %% [markdown]
# ## Garbage in, garbage out — unless the edge says no
#
# The pipeline itself scores impossible customers without complaint:

# %%
garbage = X.head(1).assign(Contract="Three year", tenure=-50.0)
print("sklearn on an unknown contract and tenure -50:", model.predict_proba(garbage)[0, 1].round(4))

# %% [markdown]
# ## The service, in process
#
# `TestClient` drives the ASGI app without a socket; entering it runs the lifespan (the model loads
# once, here). Every request goes through `send` so we can count them for the Prometheus check.

# %%
stack = contextlib.ExitStack()
app = create_app(cfg, tracking_uri=uri, request_log=work / "requests.jsonl")
start = time.perf_counter()
client = stack.enter_context(TestClient(app))
print(f"lifespan startup (registry -> model -> compiled scorer): {time.perf_counter() - start:.2f} s")
sent = Counter()


def send(method, path, **kwargs):
    response = client.request(method, path, **kwargs)
    sent[method, path, response.status_code] += 1
    return response


print("GET /health ->", send("GET", "/health").json())
info = send("GET", "/model").json()
print("GET /model  ->", {k: info[k] for k in ("name", "version", "alias", "compiled")})
for route in app.routes:
    if getattr(route, "methods", None) and route.path in ("/predict", "/health", "/model", "/metrics"):
        kind = "async def (event loop)" if inspect.iscoroutinefunction(route.endpoint) else "def (thread pool)"
        print(f"{sorted(route.methods)[0]:5} {route.path:9} {kind}")

# %%
one = send("POST", "/predict", json=rows[0]).json()
print(json.dumps(one, indent=1))
batch = send("POST", "/predict", json=rows).json()["predictions"]
print(f"batch of {len(batch)} holdout records scored")

# %% [markdown]
# ## Bad requests: 422 with the field named
#
# Each bad record goes to the service and, separately, to pydantic's own validation of the same
# generated model. The service's error locations are pydantic's, prefixed by where the record sat
# in the body.

# %%
bad_records = {
    "missing tenure": {k: v for k, v in rows[0].items() if k != "tenure"},
    "extra field": rows[0] | {"favourite_colour": "blue"},
    "string for a number": rows[0] | {"MonthlyCharges": "lots"},
    "bool for a number": rows[0] | {"SeniorCitizen": True},
    "tenure below min": rows[0] | {"tenure": -50},
    "unknown contract": rows[0] | {"Contract": "Three year"},
    "null gender": rows[0] | {"gender": None},
    "two things wrong": rows[0] | {"tenure": 500, "PaymentMethod": "cash"},
}
served_locs, pydantic_locs = [], []
for what, record in bad_records.items():
    response = send("POST", "/predict", json=record)
    locs = [tuple(e["loc"][2:]) for e in response.json()["detail"]]  # drop "body", "one"
    try:
        Record.model_validate_json(json.dumps(record))  # JSON mode, as the service parses a body
        expected = []
    except ValidationError as err:
        expected = [tuple(e["loc"]) for e in err.errors()]
    served_locs.append(locs)
    pydantic_locs.append(expected)
    print(f"{what:20} -> {response.status_code} {[e['loc'] for e in response.json()['detail']]}")
in_batch = send("POST", "/predict", json=[rows[0], bad_records["unknown contract"]])
print("in a batch          ->", in_batch.status_code, [e["loc"] for e in in_batch.json()["detail"]])

# %% [markdown]
# ## Latency: the compiled scorer vs scikit-learn, one record at a time
#
# The same 300 holdout records scored three ways, in process: the folded weights
# (`LinearScorer.predict_one` on a dict), the pipeline's `predict_proba` on a one-row DataFrame,
# and the whole HTTP round trip through `TestClient` (validation, scoring, logging, JSON).

# %%
scorer = compile_linear(model)
print(f"folded: {len(scorer.numeric)} numeric weights, "
      f"{sum(len(w) for _, w, _ in scorer.categorical)} category weights, intercept {scorer.intercept:.4f}")
n_timed = 300
one_row = [X.iloc[[i]] for i in range(n_timed)]


def per_call(fn, items):
    times = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - t0)
    return np.array(times) * 1e6  # microseconds


t_compiled = per_call(scorer.predict_one, rows[:n_timed])
t_sklearn = per_call(model.predict_proba, one_row)
t_http = per_call(lambda r: send("POST", "/predict", json=r), rows[:n_timed])
latency = pd.DataFrame({name: np.percentile(t, [50, 99]) for name, t in
                        (("compiled scorer", t_compiled), ("sklearn predict_proba", t_sklearn),
                         ("HTTP via TestClient", t_http))}, index=["p50 µs", "p99 µs"]).T
print(latency.round(1))
print(f"compiled scorer is {np.median(t_sklearn) / np.median(t_compiled):.0f}x faster than sklearn per record")

fig, ax = plt.subplots(figsize=(7, 3.2))
bins = np.logspace(np.log10(min(t_compiled.min(), 1.0)), np.log10(max(t_http.max(), t_sklearn.max())), 60)
for t, name, colour in ((t_compiled, "compiled scorer", "tab:green"), (t_sklearn, "sklearn predict_proba", "tab:blue"),
                        (t_http, "HTTP via TestClient", "tab:gray")):
    ax.hist(t, bins=bins, alpha=0.7, label=f"{name} (p50 {np.median(t):.0f} µs)", color=colour)
ax.set_xscale("log")
ax.set_xlabel("time per record (µs, log scale)")
ax.set_ylabel("records")
ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Prometheus metrics, read back

# %%
text = client.get("/metrics").text  # not counted in its own answer: a request is counted once answered
reported = Counter({(s.labels["method"], s.labels["path"], int(s.labels["status"])): int(s.value)
                    for f in text_string_to_metric_families(text) for s in f.samples
                    if s.name == "mlweekly_http_requests_total"})
print(pd.Series({f"{m} {p} {s}": n for (m, p, s), n in sorted(reported.items())}, name="requests").to_string())
histogram = {s.labels["le"]: s.value for f in text_string_to_metric_families(text) for s in f.samples
             if s.name == "mlweekly_predicted_probability_bucket"}
print("P(churn) histogram (cumulative):", {k: int(v) for k, v in histogram.items()})

# %% [markdown]
# ## The request log

# %%
log = read_request_log(work / "requests.jsonl")
print(f"{len(log)} logged records; columns: request fields + {[c for c in log.columns if c not in cfg.features]}")
print(log[["time", "version", "id", "probability", "prediction", "tenure", "Contract"]].tail(3).to_string())

# %%
stack.close()  # leave the lifespan: the request log is closed, the model released

# %% [markdown]
# ## Parity checks
#
# - **compiled scorer vs the pipeline's `predict_proba`, every holdout row** (atol 1e-12): the folded
#   sum performs the same float64 operations as impute → standardise → one-hot → logistic, in a
#   different order only for the final sum, so they differ by rounding ($\sim 10^{-16}$).
# - **served `/predict` vs the model loaded from the registry** (atol 1e-12 for probabilities via
#   `mlflow.sklearn` and `mlflow.pyfunc`, exact for labels): JSON carries floats with 17 significant
#   digits, so a probability survives the round trip exactly.
# - **Prometheus request counts vs requests sent** (exact, per method, path and status).
# - **422 error locations vs pydantic's own validation of the same record** (exact): the service
#   adds only the body prefix; fields are encoded as their index in a shared vocabulary.
# - **request log vs responses** (exact): one line per scored record, with the probability returned.

# %%
proba = model.predict_proba(X)[:, 1]
parity.check("compiled linear scorer vs sklearn Pipeline.predict_proba, all holdout rows",
             ours=lambda: [scorer.predict_one(r)[0] for r in rows], reference=lambda: model.predict_proba(X)[:, 1],
             atol=1e-12, why="same float64 arithmetic, only the summation order differs")
parity.check("served /predict P(churn), batch of the holdout vs mlflow.sklearn model from the registry",
             ours=[p["probability"] for p in batch], reference=proba, atol=1e-12,
             why="JSON round-trips float64 exactly; the service scores with the compiled weights")
pyfunc = mlflow.pyfunc.load_model(f"models:/{cfg.dataset}@champion")  # logged with predict_fn=predict_proba
parity.check("served /predict P(churn) vs mlflow.pyfunc predict from the registry",
             ours=[p["probability"] for p in batch], reference=np.asarray(pyfunc.predict(model_input(X)))[:, 1],
             atol=1e-12, why="pyfunc enforces the logged signature (categories as strings), then the same model")
parity.check("served /predict labels vs mlflow.sklearn predict", ours=[p["prediction"] for p in batch],
             reference=model.predict(X), atol=0, why="labels are exact")
keys = sorted(set(sent) | set(reported))
parity.check("Prometheus mlweekly_http_requests_total vs requests sent, per method/path/status",
             ours=[reported[k] for k in keys], reference=[sent[k] for k in keys], atol=0,
             why="the middleware counts every answered request once")
parity.check("Prometheus predicted-probability count vs records scored", ours=histogram["+Inf"],
             reference=len(log), atol=0, why="one observation per scored record")
vocab = sorted({str(part) for locs in served_locs + pydantic_locs for loc in locs for part in loc})
encode = lambda locs: [[vocab.index(str(part)) for part in loc] for loc in locs]  # noqa: E731
parity.check("422 error locations vs pydantic validation of the same records (field index)",
             ours=[i for locs in served_locs for loc in encode(locs) for i in [*loc, -1]],
             reference=[i for locs in pydantic_locs for loc in encode(locs) for i in [*loc, -1]], atol=0,
             why="the service validates with the same generated model; -1 separates errors")
parity.check("request log rows and probabilities vs /predict responses (batch)",
             ours=log["probability"].iloc[1:1 + len(batch)].to_numpy(),
             reference=[p["probability"] for p in batch], atol=0, why="the log stores what was returned")

# %%
shutil.rmtree(work, ignore_errors=True)  # the temporary registry, artifacts and request log
parity.table()
