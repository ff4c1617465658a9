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
# # P2.08 · MLflow Model Registry / DVC Pipelines
#
# P1.23 logged runs to MLflow; P1.26 saved models and hashed data. This lesson puts the two tools
# together: **DVC** describes how a result is *made* (a pipeline of stages whose inputs and outputs
# are hashed), the **MLflow Model Registry** decides which result is *live*.
#
# ## The DVC pipeline: a DAG of stages
#
# `dvc.yaml` declares three stages, each a command (`python -m mlweekly.mlops_pipeline.stages
# <stage> --params params.yaml`) with
#
# - **deps**: files it reads (the vendored data, the config = data contract, the code, the previous
#   stage's outputs),
# - **params**: keys of `params.yaml` it depends on (`split`, `model`),
# - **outs / metrics / plots**: files it writes (cached by DVC; `metrics.json` is read by
#   `dvc metrics show`).
#
# An edge $a \to b$ exists when an out of $a$ is a dep of $b$; DVC refuses cycles, so the stages form
# a DAG: `validate → train → evaluate` (and `validate → evaluate` for the holdout rows).
#
# ## Reproducibility: `dvc.lock`
#
# After a run DVC writes `dvc.lock`: for every stage the MD5 of each dep and out and the value of
# each param. `dvc repro` recomputes the hashes and reruns a stage $s$ iff
#
# $$ \exists\, d \in \mathrm{deps}(s) \cup \mathrm{params}(s):\ h(d) \ne h_{\text{lock}}(d) \quad\text{or an out is missing,} $$
#
# and then everything downstream whose deps change in turn. A new $C$ in `params.yaml` therefore
# reruns train and evaluate but not validate. The stages are deterministic (fixed split seed, a
# convex model solved to `tol=1e-8`), so the data, metrics and predictions are bit-identical run to
# run — which is why `dvc.lock` is committed: it is the receipt tying a `metrics.json` to the exact
# data, code and params. (The model folder's own bytes are *not* identical between runs: skops names
# its arrays by object id and MLflow stamps a time and a uuid in `MLmodel`; its predictions are.)
#
# ## The registry lifecycle
#
# ```
# run (params, metrics, data_version tag) ──log_model──▶ model ──register──▶ NAME v1, v2, ...
#                                                                   │
#                       alias champion ◀── promote: beats champion on the config's metric?
#                       alias challenger ◀─ otherwise (the champion stays)
# serving: models:/NAME@champion  ──▶ always the current champion, never a version number
# ```
#
# Each version points at its run, and the run carries the **data version** tag — the same sha256
# the DVC validate stage writes to `data_version`. That tag is the bridge: from the champion in the
# registry back to the exact data (and, through `dvc.lock`, to the file hashes and params).
#
# **Pitfalls.** Stages that read files they do not declare (DVC cannot see the change); params read
# from the config but not declared (changing them does not rerun anything); non-deterministic stages
# (unseeded splits) that make `dvc.lock` churn; comparing a challenger with a champion trained on
# other data; moving aliases by hand without the metric rule.
#
# **References.** DVC docs, "Pipelines", `dvc.yaml` and `dvc.lock` files, `dvc repro`, `dvc dag`;
# MLflow docs, "Model Registry" (versions, aliases); Sculley et al., *Hidden technical debt in ML
# systems* (NeurIPS 2015).

# %%
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # telemetry off before mlflow is imported
os.environ.setdefault("DO_NOT_TRACK", "1")

import matplotlib.pyplot as plt  # noqa: E402
import mlflow  # noqa: E402
import numpy as np  # noqa: E402
import yaml  # noqa: E402

from mlweekly import parity  # noqa: E402
from mlweekly.mlops_pipeline.config import CONFIG_DIR  # noqa: E402
from mlweekly.mlops_pipeline.registry import beats  # noqa: E402
from mlweekly.mlops_pipeline.stages import load_params, stage_config  # noqa: E402
from mlweekly.mlops_pipeline.tracking import tracked_run  # noqa: E402

REPO = CONFIG_DIR.parent
work = Path(tempfile.mkdtemp(prefix="p2_08_"))  # a copy of the pipeline: DVC runs here, never in the repo
stages_yaml = yaml.safe_load((REPO / "dvc.yaml").read_text())["stages"]
for name in ("dvc.yaml", "params.yaml"):
    shutil.copy(REPO / name, work / name)
shutil.copytree(REPO / "configs", work / "configs")
for dep in {d for s in stages_yaml.values() for d in s["deps"] if not d.startswith("${")}:
    (work / dep).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / dep, work / dep)

BIN = Path(sys.executable).parent  # dvc runs the stages with the venv's python: its bin goes on PATH
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "DVC_NO_ANALYTICS": "1"}


def dvc(*args: str) -> str:
    done = subprocess.run([str(BIN / "dvc"), *args], cwd=work, env=ENV, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"dvc {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


dvc("init", "--no-scm", "-q")
dvc("config", "core.analytics", "false")
dvc("config", "core.site_cache_dir", str(work / ".site_cache"))
print(dvc("dag"))

# %% [markdown]
# ## `dvc repro`, twice
#
# The first call runs the three stages; the second finds every hash equal to `dvc.lock` and runs
# nothing.

# %%
first = dvc("repro")
print("\n".join(line for line in first.splitlines() if line.startswith(("Running", "> "))))
print(dvc("repro"))
print(dvc("metrics", "show"))
lock = yaml.safe_load((work / "dvc.lock").read_text())["stages"]
metrics_dvc = json.loads((work / "artifacts/dvc/evaluate/metrics.json").read_text())
version_dvc = (work / "artifacts/dvc/validate/data_version").read_text().strip()

# %% [markdown]
# ## Change a hyper-parameter: what reruns
#
# We set $C = 0.001$ in `params.yaml`; the recorded params of train no longer match (`dvc status`
# says so), and `dvc repro` reruns it and then evaluate, whose dep (the model) changed in turn —
# not validate. (`dvc repro --dry` would list only train: it cannot know yet that the model changes.)

# %%
params_file = work / "params.yaml"
raw = yaml.safe_load(params_file.read_text())
raw["model"]["params"]["C"] = 0.001
params_file.write_text(yaml.safe_dump(raw))
again = dvc("repro")
would_run = [s for s in stages_yaml if f"Running stage '{s}'" in again]
print("ran:", would_run)

# %% [markdown]
# ## The registry: two candidates, one champion
#
# The same two settings ($C = 1$ from the DVC run's params, then $C = 0.001$) as tracked MLflow runs
# in a local SQLite store. The first becomes champion; the second must beat it on ROC AUC.

# %%
uri = f"sqlite:///{work / 'mlflow.db'}"
NAME = "telco_churn_p2_08"
runs = []
for C in (1.0, 0.001):
    model = {**raw["model"], "params": {**raw["model"]["params"], "C": C}}
    knobs = {**raw, "model": model, "config": str(work / raw["config"]), "out_dir": str(work / f"mlflow_C{C}")}
    cfg = stage_config(load_params(knobs))
    runs.append(tracked_run(cfg, tracking_uri=uri, model_name=NAME, run_name=f"C={C}"))
    d = runs[-1].decision
    print(f"C={C}: v{d.version} roc_auc={d.score:.6f} -> {d.alias}")

client = mlflow.MlflowClient(tracking_uri=uri)
champion = client.get_model_version_by_alias(NAME, "champion")
champion_run = client.get_run(champion.run_id)
print("champion:", f"v{champion.version}", "run", champion.run_id[:8], "data_version",
      champion_run.data.tags["data_version"][:12], "| DVC data_version", version_dvc[:12])  # fmt: skip

fig, ax = plt.subplots(figsize=(6, 3.4))
names = ["DVC repro (C=1)"]
names += [f"MLflow v{r.decision.version} (C={C})" for r, C in zip(runs, (1.0, 0.001), strict=True)]
values = [metrics_dvc["roc_auc"]] + [r.decision.score for r in runs]
colors = ["tab:gray"] + ["tab:orange" if r.decision.promoted else "tab:blue" for r in runs]
ax.bar(names, values, color=colors)
ax.set(ylabel="holdout ROC AUC", ylim=(min(values) - 0.01, max(values) + 0.005),
       title="same data version, same split: comparable numbers")  # fmt: skip
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Parity checks
#
# 1. The MD5 that `dvc.lock` records for the vendored data file equals `hashlib.md5` of its bytes
#    (exact; first 15 hex digits as an integer).
# 2. The metrics of the DVC run equal those of the MLflow run with the same params (exact: two
#    independent executions of deterministic stages).
# 3. The data version the DVC validate stage wrote equals the `data_version` tag of the champion's
#    MLflow run (exact): the bridge from the registry to the data.
# 4. The stages DVC reruns after a param change are exactly the stages downstream of a stage
#    that declares that param (computed here from `dvc.yaml` as a graph walk).
# 5. MLflow's alias lookup (champion and challenger versions) equals a replay of the promotion rule
#    (`registry.beats`) over the logged metrics (exact integers).

# %%
data_dep = next(d for d in lock["validate"]["deps"] if d["path"].endswith(".csv.gz"))
parity.check("dvc.lock md5 of the vendored data vs hashlib.md5 (first 15 hex digits)",
             ours=int(data_dep["md5"][:15], 16),
             reference=int(hashlib.md5((work / data_dep["path"]).read_bytes()).hexdigest()[:15], 16), atol=0,
             why="DVC 3 records the md5 of the file's raw bytes")  # fmt: skip
keys = sorted(metrics_dvc)
parity.check("holdout metrics: DVC run vs the MLflow run with the same params",
             ours=np.array([metrics_dvc[k] for k in keys]),
             reference=np.array([client.get_run(runs[0].run_id).data.metrics[k] for k in keys]), atol=0,
             why="deterministic stages: same rows, split and solver give the same floats")  # fmt: skip
parity.check("data version: DVC's data_version file vs the champion run's MLflow tag (first 15 hex digits)",
             ours=int(version_dvc[:15], 16), reference=int(champion_run.data.tags["data_version"][:15], 16),
             atol=0, why="the same sha256 of the same table")  # fmt: skip

outs = {s: {o if isinstance(o, str) else next(iter(o)) for o in v.get("outs", [])}
        for s, v in stages_yaml.items()}  # fmt: skip
downstream = {s for s, v in stages_yaml.items() if "model" in v.get("params", [])}
for _ in stages_yaml:  # close under "reads an out of a stage already in the set"
    downstream |= {s for s, v in stages_yaml.items()
                   if any(d in outs[u] for u in downstream for d in v["deps"])}  # fmt: skip
order = list(stages_yaml)
parity.check("stages rerun after changing model.params.C: dvc repro vs a walk of dvc.yaml's DAG",
             ours=np.array([s in would_run for s in order]), reference=np.array([s in downstream for s in order]),
             atol=0, why="booleans per stage (validate, train, evaluate)")  # fmt: skip

champ, challenger = None, 0
for r in runs:  # replay the rule in version order on the scores read back from the store
    score = client.get_run(r.run_id).data.metrics["roc_auc"]
    if champ is None or beats(score, champ[1], "maximize"):
        champ = (int(r.decision.version), score)
    else:
        challenger = int(r.decision.version)
aliases = {a: int(v) for a, v in client.get_registered_model(NAME).aliases.items()}
parity.check("registry aliases (champion, challenger) vs replaying registry.promote's rule",
             ours=np.array([aliases["champion"], aliases.get("challenger", 0)]),
             reference=np.array([champ[0], challenger]), atol=0,
             why="integers; the rule is deterministic given the logged metrics")  # fmt: skip

# %%
parity.table()
