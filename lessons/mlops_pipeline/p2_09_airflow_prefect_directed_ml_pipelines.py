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
# # P2.09 · Airflow or Prefect: directed ML pipelines
#
# The pipeline of P1.24 is a chain of function calls and P1.23 wraps it in an MLflow run. That is
# enough on a laptop. In production the same chain must survive a flaky disk or a busy tracking
# server, must not refit a model nobody changed, and must leave a record of what ran when and how
# it ended. Workflow orchestrators — Apache Airflow, Prefect, Dagster, Kubeflow Pipelines — give
# exactly that, by making the pipeline a **directed acyclic graph (DAG)** of **tasks**. This lesson
# turns the project's pipeline into a Prefect 3 flow (`mlweekly.mlops_pipeline.flow`) and runs it on
# the IBM Telco churn data.
#
# ## DAGs: tasks and dependencies
#
# A task is a function with declared inputs and outputs; an edge $u \to v$ means $v$ consumes what
# $u$ produced. The graph must be acyclic so that a **topological order** exists — an order in which
# every task runs after all its parents — and an orchestrator runs tasks in such an order (tasks with
# no path between them may run in parallel). Ours:
#
# ```
#  load_data ──► fingerprint ────────────────────┐ (data version)
#      │                                         ▼
#      └──────► validate_data ──► split_data ──► fit_model ──► evaluate_model ──► write_outputs
#                   │ (quarantine.csv)               │                                  │
#                   └────────────────────────────────┴──────────► log_run (MLflow) ◄────┘
#                                                                     │
#                                                                     ▼
#                                                               register_model (champion rule)
# ```
#
# In Prefect the edges are not declared separately: a flow is ordinary Python, and passing one
# task's result into another *is* the edge (Prefect records it as the task run's inputs).
#
# ## Retries
#
# Some failures are **transient** — a file system that hiccups, a tracking server restarting, a
# locked SQLite file — and some are **deterministic** — bad data, a bug. Retrying the first kind is
# cheap insurance: if one attempt fails independently with probability $p$, a task allowed $r$
# retries fails only with probability $p^{r+1}$ ($p = 0.05$, $r = 2$: $1.25 \times 10^{-4}$).
# Retrying the second kind only delays the error, so retries go on the **I/O-bound** tasks
# (`load_data`, `log_run`, `register_model`: 2 retries, 1 s apart) and not on validation or fitting.
#
# ## Caching
#
# A task is **cacheable** when it is a pure function of a key: the same key must always give the
# same output. Prefect computes the key from a **cache policy**; ours for `fit_model` is
#
# $$\text{key} = h\big(\text{config},\ \text{data version},\ \text{scikit-learn version},\ \text{source of the task}\big),$$
#
# `(INPUTS - "X_train" - "y_train") + TASK_SOURCE` with an expiry of 14 days. The training rows are
# left out of the key because they are themselves a function of the config's split and the data
# version (the sha256 of the table, P1.23), so hashing 5 600 rows again would add cost, not
# information. The library version is in the key because a model fitted by another scikit-learn is
# not the same model; the task's source is, so editing the task invalidates old entries (editing a
# function it *calls* does not — a known limit of source hashing). Tasks with side effects (writing
# files, logging to MLflow) are never cached: a cache hit would skip the side effect.
#
# Where cached results live matters for safety. By default Prefect **pickles** results, and
# unpickling a file runs whatever code it names. Here the cached model is serialised with **skops**
# (the format MLflow stores it in) into `<output_dir>/prefect-results/`, and loaded back with an
# allow-list of types. Prefect decodes a record with the serializer named *inside the record*, so the
# flow first checks that every record in that folder names the skops serializer and refuses to run
# otherwise — a planted pickle is never opened.
#
# ## Idempotence
#
# A task is **idempotent** if running it twice has the same effect as running it once — the property
# that makes retries and re-runs safe. Writing `metrics.json` is idempotent (it is overwritten);
# registering a model is not (each call adds a version), so `register_model` first looks for a
# version already registered from the same MLflow run and reuses it. `log_run` cannot be made
# idempotent cheaply: a retry starts a new MLflow run and the failed attempt stays marked FAILED —
# visible, never promoted.
#
# ## Airflow or Prefect?
#
# **Airflow** (Airbnb, 2014) is the incumbent: DAGs are declared as Python modules that a long-running
# scheduler parses, tasks are operators that exchange small values through XComs, and it needs a
# metadata database, a scheduler and a web server to run at all — strong at scheduled batch ETL
# with hundreds of integrations (Airflow 2's TaskFlow API and 3's assets soften the boilerplate).
# **Prefect** lets any Python function become a flow or task with a decorator, builds the graph at
# run time from the calls (so loops and branches are plain Python), passes real objects between
# tasks, and runs a flow with no infrastructure: with no API configured it starts a temporary local
# server for the process. Retries, caching, result persistence and state hooks are task options in
# both, but first-class in Prefect. For a small ML system that must start with one command, Prefect's
# "just run the script" model wins; for a data platform with many scheduled jobs and teams, Airflow's
# ecosystem often does.
#
# **Pitfalls.** Caching a task that is not a pure function of its key (it reads the clock, a global
# or a file not in the key) — stale results served silently; caching side effects; retrying bugs;
# non-idempotent retried tasks (duplicate registrations, double-sent emails); pickled results read
# from a shared folder; putting large data through the orchestrator's database.
#
# **References.** Prefect 3 docs, "Tasks", "Caching", "Results", "State change hooks"; Apache
# Airflow docs, "Core concepts: DAGs, Tasks, XComs"; Kleppmann, *Designing Data-Intensive
# Applications* (2017), ch. 10 (batch workflows); Sculley et al., *Hidden technical debt in ML
# systems* (NeurIPS 2015); Huyen, *Designing Machine Learning Systems* (2022), ch. 10.

# %%
import os
import tempfile
import time
from pathlib import Path

root = Path(tempfile.mkdtemp(prefix="p2_09_"))  # outputs, MLflow store and Prefect's home: never the repo
os.environ["PREFECT_HOME"] = str(root / "prefect-home")  # before prefect is imported: a fresh database
os.environ.pop("PREFECT_API_URL", None)  # no server configured: Prefect starts a temporary one
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # telemetry off before mlflow/prefect import
os.environ.setdefault("DO_NOT_TRACK", "1")

import matplotlib.pyplot as plt  # noqa: E402
import mlflow  # noqa: E402
import numpy as np  # noqa: E402

from mlweekly import parity  # noqa: E402
from mlweekly.mlops_pipeline import load_config, pipeline  # noqa: E402
from mlweekly.mlops_pipeline.config import CONFIG_DIR  # noqa: E402
from mlweekly.mlops_pipeline.flow import (  # noqa: E402
    FLOW_RUN_TAG,
    IO_RETRIES,
    RESULTS_DIR,
    pipeline_flow,
    reporting,
    task_runs,
)

uri = f"sqlite:///{root / 'mlflow.db'}"
cfg = load_config(CONFIG_DIR / "telco_churn.yaml", output_dir=root / "run")
seen = []  # (run, task, state) as our state hook saw them, in this process


def run(label, cfg):
    """One flow run: its TrackedRun and the task runs Prefect's API recorded for it."""
    with reporting(lambda name, state, seconds: seen.append((label, name, state))):
        tracked = pipeline_flow(cfg, tracking_uri=uri, model_name="telco_churn")
    # The MLflow run carries the id of the Prefect flow run that made it: tracking store -> orchestrator.
    flow_run_id = mlflow.MlflowClient(uri).get_run(tracked.run_id).data.tags[FLOW_RUN_TAG]
    return tracked, task_runs(flow_run_id)


# %% [markdown]
# ## Run 1: the flow on Telco, from nothing
#
# No Prefect server is running and `PREFECT_HOME` is an empty folder: the first call starts a
# temporary local server (and creates its SQLite database), then runs the nine tasks.

# %%
start = time.perf_counter()
first, runs1 = run("run 1", cfg)
took1 = time.perf_counter() - start
print(f"run 1 (incl. the temporary server's start): {took1:.1f} s")
print(runs1[["task", "state", "seconds", "run_count"]].to_string(index=False))
d = first.decision
print(f"\nroc_auc={d.score:.6f}: v{d.version} -> {d.alias}")

# %% [markdown]
# ## Run 2: same inputs — the fitted model comes from the cache
#
# Same config, same data: `fit_model`'s key is unchanged, so Prefect returns the stored model (state
# **Cached**) instead of fitting. Everything with side effects runs again — a new MLflow run and a new
# registered version, which ties with the champion and so becomes challenger.

# %%
start = time.perf_counter()
second, runs2 = run("run 2", cfg)
print(f"run 2: {time.perf_counter() - start:.1f} s (the server is already up)")
print(runs2[["task", "state", "seconds"]].to_string(index=False))
print(f"v{second.decision.version} -> {second.decision.alias}")
print("cache folder:", sorted(p.name for p in (cfg.output_dir / RESULTS_DIR).iterdir()))

# %% [markdown]
# ## Run 3: a new hyper-parameter and a flaky disk
#
# $C = 0.05$ changes the config, hence the key: `fit_model` runs. And reading the data fails twice
# before it works (the loader is wrapped so its first two calls raise `OSError`): Prefect retries
# `load_data` (2 retries allowed) and the flow finishes.

# %%
from unittest import mock  # noqa: E402

frame = pipeline.load_frame(cfg)
failures = [OSError("disk briefly unavailable")] * 2
model = cfg.model.model_copy(update={"params": {**cfg.model.params, "C": 0.05}})
stronger = cfg.model_copy(update={"model": model})
with mock.patch.object(pipeline, "load_frame", side_effect=[*failures, frame]) as flaky:
    third, runs3 = run("run 3", stronger)
print(f"load_frame called {flaky.call_count} times")
print(runs3[["task", "state", "seconds", "run_count"]].to_string(index=False))
print(f"C=0.05: roc_auc={third.decision.score:.6f} vs champion {third.decision.previous_score:.6f} "
      f"-> {third.decision.alias}")  # fmt: skip

# %% [markdown]
# ## The runs as Prefect recorded them
#
# A Gantt chart of the task runs read back from Prefect's API: one bar per task from its start to
# its end, coloured by final state. In run 2 `fit_model` is a sliver (a cache read); in run 3
# `load_data` spans the two failed attempts and the 1 s delays between them. In run 1, the longest
# bar is `log_run`: creating MLflow's SQLite database the first time. The gap after `fit_model` in
# run 1 is the cache being written (skops serialisation) — on Telco, fitting a logistic regression
# takes a fraction of a second, so the cache barely pays for itself here. It does for models that
# take minutes to fit; the pattern, not this data set, is the point.

# %%
colors = {"Completed": "tab:blue", "Cached": "tab:green", "Failed": "tab:red"}
fig, axes = plt.subplots(3, 1, figsize=(10, 7.5), sharex=True)
for ax, (label, runs) in zip(axes, (("run 1", runs1), ("run 2 (same inputs)", runs2),
                                    ("run 3 (C=0.05, 2 injected read failures)", runs3)), strict=True):  # fmt: skip
    t0 = runs["start"].min()
    left = (runs["start"] - t0).dt.total_seconds()
    width = (runs["end"] - runs["start"]).dt.total_seconds().clip(lower=0.01)
    ax.barh(runs["task"], width, left=left, color=[colors.get(s, "grey") for s in runs["state"]])
    for y, (x, w, n) in enumerate(zip(left, width, runs["run_count"], strict=True)):
        if n > 1:
            ax.text(x + w, y, f"  {n} attempts", va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_title(label, fontsize=10)
axes[-1].set_xlabel("seconds since the first task started")
handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colors.values()]
fig.legend(handles, colors, loc="upper right")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Parity checks
#
# - The flow is an orchestration of the same stages, so its holdout metrics must equal a direct
#   `pipeline.run` on the same config — same split, same solver — exactly (`atol = 0`).
# - The cached model (run 2, skops round trip) must predict exactly like the model fitted in run 1.
# - What the flow saw in-process (the state hook) must match what Prefect's server recorded, task by
#   task; and every task but `fit_model` in run 2 must be Completed (the cache hit is the only
#   Cached one).
# - The retries Prefect recorded (`run_count - 1`, summed over run 3's tasks) must equal the
#   failures we injected, and stay within the allowed retries.
# - The metrics the flow returned must equal those MLflow stored for its run.

# %%
direct = pipeline.run(load_config(CONFIG_DIR / "telco_churn.yaml", output_dir=root / "direct"))
names = list(first.result.metrics)
parity.check("holdout metrics: flow (run 1) vs direct pipeline.run",
             ours=np.array([first.result.metrics[k] for k in names]),
             reference=np.array([direct.metrics[k] for k in names]), atol=0.0,
             why="the same deterministic stages on the same data and split: bit-identical")  # fmt: skip

X_test = direct.split.X_test
parity.check("predict_proba: cached model (run 2) vs model fitted in run 1",
             ours=lambda: second.result.model.predict_proba(X_test),
             reference=lambda: first.result.model.predict_proba(X_test), atol=0.0,
             why="skops stores the float64 coefficients losslessly")  # fmt: skip

codes = {"Completed": 0, "Cached": 1, "Failed": 2}
recorded = [codes[s] for runs in (runs1, runs2, runs3) for s in runs.sort_values("task")["state"]]
hooked = [codes[s] for label in ("run 1", "run 2", "run 3")
          for _, s in sorted((n, s) for r, n, s in seen if r == label)]  # fmt: skip
parity.check("task states: in-process state hook vs Prefect API (3 runs x 9 tasks)",
             ours=np.array(hooked), reference=np.array(recorded), atol=0,
             why="the same state transitions, seen from the engine and stored by the server")  # fmt: skip
parity.check("run 2: which tasks were served from the cache (Prefect) vs only fit_model",
             ours=(runs2["state"] == "Cached").to_numpy(), reference=(runs2["task"] == "fit_model").to_numpy(),
             atol=0, why="booleans; the only cached task is the one with a cache policy")  # fmt: skip

retries = int((runs3["run_count"] - 1).clip(lower=0).sum())
parity.check("run 3: retries Prefect recorded vs failures injected",
             ours=retries, reference=len(failures), atol=0,
             why=f"integers; each transient failure costs one retry (at most {IO_RETRIES} per task)")  # fmt: skip

client = mlflow.MlflowClient(uri)
parity.check("metrics of 3 runs: flow's return value vs MLflow's stored run",
             ours=np.array([[t.result.metrics[k] for k in names] for t in (first, second, third)]),
             reference=np.array([[client.get_run(t.run_id).data.metrics[k] for k in names]
                                 for t in (first, second, third)]),
             atol=0.0, why="the same float64 numbers, logged losslessly")  # fmt: skip
print(f"run 1 end to end, temporary server included: {took1:.1f} s")

# %%
parity.table()
