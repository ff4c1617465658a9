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
# # P1.23 · Introduction to DVC or MLflow: experiment tracking and a model registry
#
# The pipeline of P1.24 writes its metrics, plots and model into a folder. Run it ten times with
# different hyper-parameters and the folders tell you nothing about *which* code, config and data
# produced which number, or which model is the one in production. Experiment tracking and a model
# registry answer exactly those two questions. This lesson wires [MLflow](https://mlflow.org) into
# the project's pipeline (`mlweekly.mlops_pipeline.tracking` and `.registry`) and runs it on the
# IBM Telco churn data.
#
# ## Experiment tracking: runs, params, metrics, artifacts
#
# A **run** is one execution of the pipeline. It records
#
# - **params**: the inputs that were *chosen* — here the whole YAML config, flattened to keys such
#   as `model.params.C`, plus the config itself as `config.json`;
# - **metrics**: numbers *measured* on the holdout — ROC AUC, accuracy, log-loss, Brier score;
# - **artifacts**: files — `metrics.json`, `predictions.csv`, the ROC/calibration/confusion plots,
#   the validation report and the quarantine of bad rows, and the **model** itself;
# - **tags**: facts about the run, above all the **data version**: the sha256 of the table as
#   loaded. Two runs with equal params but different data hashes are *not* comparable.
#
# Runs live in an **experiment** (one per data set here) inside a **tracking store**. We use a local
# SQLite file plus an artifact folder — no server — placed in the config's `output_dir`; setting
# `MLFLOW_TRACKING_URI` points the same code at any MLflow server. Comparing runs is then a query
# (`mlflow.search_runs`) instead of a hunt through folders.
#
# ## Model registry: versions and aliases
#
# Logging a model stores it with its **signature** (input columns and types, output shape) and an
# **input example**, so a consumer knows what to feed it. *Registering* it under a name gives it a
# **version** number $v = 1, 2, \dots$ that points back to the run (and so to its params, metrics and
# data version). An **alias** is a movable, named pointer to one version: serving code loads
# `models:/telco_churn@champion` and never hard-codes a version.
#
# ## Champion / challenger
#
# Let $m(v)$ be version $v$'s holdout metric and $s = +1$ if the config says `maximize`, $-1$ for
# `minimize`. A new version $v$ becomes champion only if it is strictly better than the current one,
#
# $$\text{champion} \leftarrow v \iff \text{no champion yet} \ \lor\ s\,m(v) > s\,m(\text{champion}),$$
#
# otherwise it gets the alias **challenger** (kept for inspection, A/B tests or shadow traffic) and
# the champion stays. Ties keep the incumbent: a change must earn its place. A run whose stage
# raises is marked FAILED and registers nothing, so it can move neither alias. The comparison is
# only fair on the same holdout rows — same data version and split — which is why both are logged.
#
# ## What DVC adds
#
# MLflow versions *runs and models*. [DVC](https://dvc.org) versions *data and pipelines*: it keeps
# large files out of git (git stores a small `.dvc` pointer with the file's hash; the bytes live in a
# cache or remote) and describes the pipeline as stages with declared inputs and outputs
# (`dvc.yaml`), so `dvc repro` reruns only the stages whose inputs changed and `dvc.lock` pins the
# exact hashes that produced a result. The two complement each other: DVC answers "which data and
# code made this", MLflow "how good was it and which one is live". This project's data sets are
# small and vendored with sha256 checksums in `mlweekly.datasets`, so the run's data-version tag
# plays DVC's role for now.
#
# ## Model format, not pickles
#
# `pickle.load` of a file runs whatever code the file asks for, so a model from an untrusted path
# is remote code execution. The project never unpickles such files: models are stored in MLflow's
# format (an `MLmodel` descriptor with flavour, signature, requirements) and the scikit-learn model
# inside is serialised with **skops**, which rebuilds only an allow-list of types
# (`tracking.TRUSTED_TYPES` beside scikit-learn's own) and refuses anything else.
#
# **Pitfalls.** Comparing runs on different data or splits; a champion chosen by a metric the config
# does not name, or in the wrong direction; promoting on ties; letting a crashed run register a
# half-trained model; serving by version number instead of alias; writing the tracking store into
# the repository; a signature built from `category` columns that the served model then refuses.
#
# **References.** Zaharia et al., *Accelerating the machine learning lifecycle with MLflow* (IEEE
# Data Eng. Bull. 2018); MLflow docs, "Tracking" and "Model Registry"; DVC docs, "Data versioning"
# and "Pipelines"; Sculley et al., *Hidden technical debt in ML systems* (NeurIPS 2015); skops docs,
# "Secure persistence".

# %%
import json
import os
import tempfile
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # telemetry off before mlflow is imported
os.environ.setdefault("DO_NOT_TRACK", "1")

import matplotlib.pyplot as plt  # noqa: E402
import mlflow  # noqa: E402
import numpy as np  # noqa: E402

from mlweekly import datasets, parity  # noqa: E402
from mlweekly.mlops_pipeline import load_config  # noqa: E402
from mlweekly.mlops_pipeline.config import CONFIG_DIR  # noqa: E402
from mlweekly.mlops_pipeline.registry import beats  # noqa: E402
from mlweekly.mlops_pipeline.tracking import data_version, model_input, tracked_run  # noqa: E402

root = Path(tempfile.mkdtemp(prefix="p1_23_"))  # MLflow's DB and artifacts go here, never the repo
uri = f"sqlite:///{root / 'mlflow.db'}"
NAME = "telco_churn"

# %% [markdown]
# ## Three runs, three candidates
#
# The same config with a strongly regularised logistic regression ($C = 10^{-3}$), the default
# $C = 1$, and the project's own from-scratch logistic regression ($C = 10^{-2}$). Each run goes through
# the whole pipeline, is logged, registered, and judged by the rule above on ROC AUC.

# %%
candidates = {
    "sklearn C=0.001": {"name": "logistic_regression", "params": {"C": 1e-3, "tol": 1e-8, "max_iter": 1000}},
    "sklearn C=1": {"name": "logistic_regression", "params": {"C": 1.0, "tol": 1e-8, "max_iter": 1000}},
    "ours C=0.01": {"name": "mlweekly_logistic_regression", "params": {"C": 1e-2, "tol": 1e-10}},
}
tracked = {}
for label, model in candidates.items():
    cfg = load_config(CONFIG_DIR / "telco_churn.yaml", output_dir=root / label.replace(" ", "_"), model=model)
    tracked[label] = tracked_run(cfg, tracking_uri=uri, model_name=NAME, run_name=label)
    d = tracked[label].decision
    print(f"{label:>16}: v{d.version} roc_auc={d.score:.6f} vs champion "
          f"{'-' if d.previous_champion is None else f'v{d.previous_champion} ({d.previous_score:.6f})'}"
          f" -> {d.alias}")  # fmt: skip

# %% [markdown]
# ## Comparing runs from the tracking store
#
# `mlflow.search_runs` returns one row per run with `params.*`, `metrics.*` and `tags.*` columns:
# the comparison below is read back from the store, not from Python variables.

# %%
mlflow.set_tracking_uri(uri)
runs = mlflow.search_runs(experiment_names=[NAME], order_by=["attributes.start_time ASC"])
print(runs[["tags.mlflow.runName", "params.model.name", "params.model.params.C", "metrics.roc_auc",
            "metrics.log_loss", "metrics.brier", "tags.data_version"]].to_string(index=False))  # fmt: skip

client = mlflow.MlflowClient()
champion = client.get_model_version_by_alias(NAME, "champion")
fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
for ax, metric in zip(axes, ("roc_auc", "log_loss", "brier"), strict=True):
    colors = ["tab:orange" if r == champion.run_id else "tab:blue" for r in runs["run_id"]]
    ax.bar(runs["tags.mlflow.runName"], runs[f"metrics.{metric}"], color=colors)
    lo, hi = runs[f"metrics.{metric}"].min(), runs[f"metrics.{metric}"].max()
    ax.set(title=metric, ylim=(lo - 0.2 * (hi - lo + 1e-3), hi + 0.2 * (hi - lo + 1e-3)))
    ax.tick_params(axis="x", rotation=20)
fig.suptitle(f"Telco holdout metrics per run (orange: champion v{champion.version})")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Loading the champion
#
# A consumer needs only the alias. The pyfunc model enforces the logged signature (19 columns; the
# categoricals as strings — `model_input` converts pandas `category` columns, which MLflow's schema
# types do not include) and returns the positive-class probabilities' matrix, because the model was
# logged with `pyfunc_predict_fn="predict_proba"`.

# %%
served = mlflow.pyfunc.load_model(f"models:/{NAME}@champion")
by_run = {t.run_id: t for t in tracked.values()}
best = by_run[champion.run_id]
X_test = best.result.split.X_test
print(served.metadata.get_input_schema().input_names()[:5], "...")
print(
    "champion probabilities, first 5 holdout customers:",
    np.round(np.asarray(served.predict(model_input(X_test)))[:5, 1], 4),
)

# %% [markdown]
# ## Parity checks
#
# 1. Every metric read back from MLflow equals the run's own `metrics.json` (exact: both are the
#    same float64, stored as a double in SQLite).
# 2. The champion, loaded from the registry through skops and the pyfunc layer, predicts the same
#    probabilities as the in-memory pipeline (1e-12; same estimator, same arithmetic, so in practice 0).
# 3. The logged data version equals the sha256 recomputed from a fresh load (exact, compared as the
#    integer of its first 15 hex digits).
# 4. The registry state — number of versions and the versions the two aliases point to — equals a
#    replay of the promotion rule over the logged metrics in plain Python (exact).

# %%
stored = [
    client.get_run(t.run_id).data.metrics[k] for t in tracked.values() for k in sorted(t.result.metrics)
]
saved = [
    json.loads(t.result.paths["metrics"].read_text())[k]
    for t in tracked.values()
    for k in sorted(t.result.metrics)
]
parity.check("holdout metrics of 3 runs: read back from MLflow vs each run's metrics.json",
             ours=np.array(stored), reference=np.array(saved), atol=0.0,
             why="the same float64 numbers, logged and saved losslessly")  # fmt: skip

parity.check("champion predictions: pyfunc from models:/telco_churn@champion vs in-memory predict_proba",
             ours=lambda: np.asarray(served.predict(model_input(X_test))),
             reference=lambda: best.result.model.predict_proba(X_test), atol=1e-12,
             why="the same fitted estimator after a skops round trip; only float rounding could differ")  # fmt: skip

logged = client.get_run(best.run_id).data.tags["data_version"]
recomputed = data_version(datasets.load("telco_churn").frame)
parity.check("data version: logged tag vs sha256 of a fresh load (first 15 hex digits as an integer)",
             ours=int(logged[:15], 16), reference=int(recomputed[:15], 16), atol=0,
             why="a hash: any difference means different data")  # fmt: skip

champ, challenger, versions = None, 0, 0  # replay the rule on the logged scores, in version order
for t in tracked.values():
    versions += 1
    score = client.get_run(t.run_id).data.metrics["roc_auc"]
    if champ is None or beats(score, champ[1], "maximize"):
        champ = (versions, score)
    else:
        challenger = versions
aliases = {a: int(v) for a, v in client.get_registered_model(NAME).aliases.items()}
registry_state = [
    len(client.search_model_versions(f"name='{NAME}'")),
    aliases["champion"],
    aliases.get("challenger", 0),
]
print(
    "registry (versions, champion, challenger):", registry_state, " replay:", [versions, champ[0], challenger]
)
parity.check("registry: #versions, champion and challenger versions vs replaying the promotion rule",
             ours=np.array(registry_state), reference=np.array([versions, champ[0], challenger]), atol=0,
             why="integers; the rule is deterministic given the logged metrics")  # fmt: skip

# %%
parity.table()
