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
# # P2.07 · Dockerized Model Services + FastAPI
#
# A model is useful once something can call it. The project's service (`mlweekly serve`,
# `mlweekly.mlops_pipeline.service`) is a FastAPI app: `POST /predict` with a request model
# *generated from the data contract* (so a bad field is a 422 naming it, never a 5xx), `GET /health`,
# `GET /model`; the model is loaded once, in the app's lifespan, from `models:/telco_churn@champion`.
# The endpoints are plain `def`: inference is CPU-bound, so FastAPI runs them in its thread pool and
# the event loop stays free.
#
# ## Images, layers, stages
#
# A Docker **image** is a stack of read-only **layers**, one per filesystem-changing instruction
# (`RUN`, `COPY`); a build reuses a cached layer while its instruction and inputs are unchanged and
# rebuilds everything after the first change. So the Dockerfile orders instructions from the
# least to the most often changed: dependencies (pyproject + pins) before code, code before
# configs and training.
#
# A **multi-stage** build uses one stage to build (pip, the training run, caches) and copies only
# the results into a fresh final stage: the runtime image holds the venv and the artifacts, not the
# build's leftovers.
#
# ```
#  builder (python:3.11-slim)                          runtime (python:3.11-slim)
#  ├─ venv /opt/venv  ← pip install -c constraints ".[mlops]"  ──COPY──▶ /opt/venv
#  ├─ src ─ pip install --no-deps .                              /app/configs
#  └─ mlweekly pipeline run → artifacts/ (MLflow store + champion) ─▶ /app/artifacts (owned by uid 10001)
#                                                                 USER 10001 · EXPOSE 8000 · HEALTHCHECK
#                                                                 ENTRYPOINT mlweekly serve ...
# ```
#
# **Non-root**: the service runs as an unprivileged numeric uid that owns only `artifacts/` (where
# it appends its request log), so a compromised process cannot rewrite the code or the venv.
# **HEALTHCHECK**: the engine runs a command every 30 s; exit 0 = healthy. Slim images have no curl,
# so it is Python's `urllib` (`docker/healthcheck.py`) against `/health`. Compose (`compose.yaml`)
# starts the service and an MLflow UI on the same SQLite store through a shared volume.
#
# No Docker engine runs here, so below we parse the Dockerfile and run *its* commands as written —
# the builder's training `RUN`, the image's `ENTRYPOINT` + `CMD`, the `HEALTHCHECK` — in a temporary
# folder laid out like the image's `/app` (only the port moves to a free loopback one).
#
# ## Latency
#
# A request's latency is HTTP parsing + validation (pydantic) + a one-row DataFrame + the sklearn
# pipeline + JSON. We measure single-record requests sequentially over loopback and plot the
# histogram; the load benchmark with concurrency lives in `benchmarks/`.
#
# References: Docker docs, *Multi-stage builds* and *Dockerfile best practices*; FastAPI docs,
# *Lifespan events* and *Concurrency and async/await*; hadolint's rule list (DL3002: last USER root).

# %%
import os

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # before mlflow is imported
os.environ.setdefault("DO_NOT_TRACK", "1")

import json
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import matplotlib.pyplot as plt
import numpy as np
from dockerfile_parse import DockerfileParser
from mlflow import MlflowClient

from mlweekly import parity
from mlweekly.curriculum import REPO_ROOT
from mlweekly.mlops_pipeline import load_config, pipeline

# %% [markdown]
# ## The Dockerfile, parsed

# %%
structure = [i for i in DockerfileParser(path=str(REPO_ROOT / "Dockerfile")).structure if i["instruction"] != "COMMENT"]
stages, stage = [], None
for item in structure:
    if item["instruction"] == "FROM":
        stage = {"from": item["value"], "steps": []}
        stages.append(stage)
    else:
        stage["steps"].append((item["instruction"], " ".join(item["value"].split())))
for s in stages:
    print(f"FROM {s['from']}")
    for instruction, value in s["steps"]:
        print(f"  {instruction:11} {value[:96]}{'…' if len(value) > 96 else ''}")
builder, runtime = stages[0]["steps"], stages[-1]["steps"]
final = dict(runtime)  # the last value of each instruction in the runtime stage
layers = [sum(i in ("RUN", "COPY") for i, _ in s["steps"]) for s in stages]
print(f"\n{len(stages)} stages; filesystem layers per stage {layers}; runtime runs as USER {final['USER']}")

# %% [markdown]
# ## The image's commands, run outside Docker
#
# The builder's training `RUN` in a folder laid out like `/app` (configs copied in), then the
# `ENTRYPOINT` + `CMD` with `--host 127.0.0.1` and a free port.

# %%
app = Path(tempfile.mkdtemp(prefix="p2_07_app_"))
shutil.copytree(REPO_ROOT / "configs", app / "configs")
env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
train_cmd = next(v for i, v in builder if i == "RUN" and v.startswith("mlweekly "))
train = subprocess.run(train_cmd, shell=True, cwd=app, env=env, capture_output=True, text=True)
print("$", train_cmd, "\n" + train.stdout)

with socket.socket() as sock:
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
argv = json.loads(final["ENTRYPOINT"]) + json.loads(final["CMD"])
argv[argv.index("--host") + 1], argv[argv.index("--port") + 1] = "127.0.0.1", str(port)
argv[0] = shutil.which(argv[0], path=env["PATH"])
server = subprocess.Popen(argv, cwd=app, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}"
deadline = time.monotonic() + 120
while server.poll() is None and time.monotonic() < deadline:
    try:
        if httpx.get(f"{base}/health", timeout=2).status_code == 200:
            break
    except httpx.TransportError:
        time.sleep(0.25)
print("$", shlex.join(["mlweekly", *argv[1:]]))
print("GET /health ->", httpx.get(f"{base}/health").json())

# %% [markdown]
# ## The HEALTHCHECK, as the engine would run it

# %%
options, _, command = final["HEALTHCHECK"].partition("CMD ")
health_argv = json.loads(command)
script = next(v.split()[0] for i, v in runtime if i == "COPY" and v.split()[-1] == health_argv[1])
exposed = final["EXPOSE"]
check_argv = [sys.executable, str(REPO_ROOT / script), health_argv[2].replace(f":{exposed}/", f":{port}/")]
health_up = subprocess.run(check_argv, capture_output=True, text=True).returncode
print(f"HEALTHCHECK {options.strip()} -> exit {health_up} (server up)")

# %% [markdown]
# ## Requests with httpx, and their latency
#
# The holdout rows of the same config and split the build trained on, as JSON records.

# %%
cfg = load_config(app / "configs" / "telco_churn.yaml", output_dir=app / "artifacts" / "inmemory")
result = pipeline.run(cfg)  # the same data, split and hyper-parameters, fitted in this process
X = result.split.X_test
rows = json.loads(X.astype(object).to_json(orient="records"))
info = httpx.get(f"{base}/model").json()
print({k: info[k] for k in ("name", "version", "alias", "run_id")})

with httpx.Client(base_url=base) as client:
    batch = client.post("/predict", json=rows).json()
    latencies, single = [], []
    for row in rows[:300]:
        start = time.perf_counter()
        response = client.post("/predict", json=row)
        latencies.append((time.perf_counter() - start) * 1e3)
        single.append(response.json()["predictions"][0]["probability"])
    bad = rows[0] | {"Contract": "Three year"}
    rejected = client.post("/predict", json=bad)
print("bad field ->", rejected.status_code, rejected.json()["detail"][0]["loc"])
lat = np.array(latencies)
p50, p99 = np.percentile(lat, [50, 99])
print(f"{len(lat)} sequential single-record requests: p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
      f"{1e3 / lat.mean():.0f} req/s on one connection")

fig, ax = plt.subplots(figsize=(6, 3))
ax.hist(lat, bins=40, color="tab:blue")
for q, v in (("p50", p50), ("p99", p99)):
    ax.axvline(v, color="k", ls="--", lw=1)
    ax.text(v, ax.get_ylim()[1] * 0.9, f" {q} {v:.1f} ms")
ax.set_xlabel("latency of POST /predict, one record (ms)")
ax.set_ylabel("requests")
plt.tight_layout()
plt.show()

# %%
server.terminate()
server.wait(timeout=30)
health_down = subprocess.run(check_argv, capture_output=True, text=True)
print(f"HEALTHCHECK after stop -> exit {health_down.returncode}: {health_down.stderr.strip()}")

# %% [markdown]
# ## Parity checks
#
# - **served vs in-memory probabilities** (atol 1e-12): the container's model went through MLflow's
#   skops format and HTTP/JSON; the same pipeline fitted here in float64 must give the same
#   `predict_proba` (JSON carries floats with 17 significant digits, so round-trips are exact).
# - **`/model` metrics vs MLflow's run metrics** (exact): the service reports what the run logged.
# - **healthcheck exit codes** (exact): 0 while serving, 1 once stopped; the served port is EXPOSE.

# %%
reference = result.model.predict_proba(X)[:, 1]
parity.check("served P(churn), batch of the holdout vs in-memory sklearn predict_proba",
             ours=[p["probability"] for p in batch["predictions"]], reference=reference, atol=1e-12,
             why="same data, split and hyper-parameters; float64 end to end, JSON round-trips floats exactly")
parity.check("served P(churn), single-record requests vs in-memory predict_proba",
             ours=single, reference=reference[: len(single)], atol=1e-12, why="as above, one row per request")
run_metrics = MlflowClient(f"sqlite:///{app / 'artifacts' / 'telco_churn' / 'mlflow.db'}").get_run(info["run_id"]).data.metrics
parity.check("/model metrics vs MLflow run metrics", ours=[info["metrics"][k] for k in sorted(run_metrics)],
             reference=[run_metrics[k] for k in sorted(run_metrics)], atol=0,
             why="the service reads them from the run; nothing recomputed")
parity.check("HEALTHCHECK exit code: serving, stopped", ours=[health_up, health_down.returncode],
             reference=[0, 1], atol=0, why="Docker's contract: 0 healthy, 1 unhealthy")
argv_cmd = json.loads(final["CMD"])
parity.check("CMD's --port vs EXPOSE", ours=int(argv_cmd[argv_cmd.index("--port") + 1]), reference=int(exposed), atol=0,
             why="the image documents the port the service listens on")

# %%
shutil.rmtree(app, ignore_errors=True)  # the temporary /app: store, artifacts, request log
parity.table()
