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
# # P2.06 · CI/CD for ML (GitHub Actions + Pytest)
#
# **Continuous integration** runs every check on every change, on a clean machine, so "it works on my
# laptop" becomes "it works from a fresh clone". **Continuous delivery** turns a green build into
# something shippable (here: a Docker image with the champion inside, lesson P2.07). An ML system
# needs more than a web app's CI because three things change, not one:
#
# | what changes | what can break | test kind (examples in `tests/mlops_pipeline/`) |
# |---|---|---|
# | code | a stage's logic, an API contract | **code tests**: unit tests per stage (`test_pipeline.py`, `test_service.py`) |
# | data | a column, a range, a label, leakage | **data tests**: the contract on the real set (`test_validation.py`) |
# | model | quality, behaviour, fairness | **model tests**: minimum quality, invariance, directional expectations |
#
# The *test pyramid* of an ML system: many fast code tests at the bottom, data tests on the real
# set in the middle, a few slower behavioural model tests and one end-to-end run at the top. And one
# check that is not a test of the code at all — the **model gate**: a newly trained model is
# promoted only if it beats the champion on the holdout metric the config names.
#
# ## The chain CI runs
#
# ```
# push / pull request ─▶ .github/workflows/ci.yml ─▶ bash .ci/run ─▶ make test ─▶ pytest -n 2
#                            (ubuntu, Python 3.11)     (chromium,      (venv +       (code, data,
#                                                       no telemetry)   constraints)   model tests)
# ```
#
# One rule keeps CI honest: **CI runs the same command a person runs** (the README's `make test`),
# so a green badge means the documented command passes. `tests/test_ci.py` asserts it; below we
# parse the files and check it again.
#
# ## Behavioural tests, and why a logistic model passes the directional one by construction
#
# The directional test says: switching a customer from a two-year contract to month-to-month, all
# else equal, never lowers the predicted churn risk. For a logistic model on one-hot features the
# switch changes the logit by one constant,
#
# $$\operatorname{logit} p(x') - \operatorname{logit} p(x) = \beta_{\text{Month-to-month}} - \beta_{\text{Two year}} =: \Delta,$$
#
# the same for every customer, so the claim holds for *all* rows iff $\Delta \ge 0$, and
# $p(x') = \sigma(\operatorname{logit} p(x) + \Delta)$ exactly. A tree ensemble has no such guarantee,
# which is why the test checks rows, not coefficients. We verify the identity against sklearn's
# `predict_proba` below.
#
# ## The model gate
#
# `registry.beats(score, incumbent, direction)` is strict: a tie does not replace the champion (a
# re-run of the same model must not churn the alias), and a failed run registers nothing. The
# decision reads the champion's score from its MLflow run, not from memory.
#
# References: Breck et al., *The ML Test Score: A Rubric for ML Production Readiness* (2017);
# Ribeiro et al., *Beyond Accuracy: Behavioral Testing of NLP Models with CheckList* (ACL 2020);
# Sculley et al., *Hidden Technical Debt in Machine Learning Systems* (NeurIPS 2015).

# %%
import os

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # before mlflow is imported
os.environ.setdefault("DO_NOT_TRACK", "1")

import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import yaml
from mlflow import MlflowClient
from scipy.special import expit, logit
from sklearn.metrics import roc_auc_score

from mlweekly import parity
from mlweekly.curriculum import REPO_ROOT
from mlweekly.mlops_pipeline import load_config, registry
from mlweekly.mlops_pipeline.config import CONFIG_DIR
from mlweekly.mlops_pipeline.tracking import tracked_run

# %% [markdown]
# ## What CI runs: the workflow, the script, the Makefile, the README

# %%
workflow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "ci.yml").read_text())
steps = workflow["jobs"]["test"]["steps"]
ci_script = (REPO_ROOT / ".ci" / "run").read_text()
makefile = (REPO_ROOT / "Makefile").read_text()
readme = (REPO_ROOT / "README.md").read_text()

workflow_runs = [s["run"] for s in steps if "run" in s]
script_path = workflow_runs[0].split()[-1]  # `bash .ci/run`
script_cmds = [ln for ln in ci_script.splitlines() if ln and not ln.startswith(("#", " ", "$", "if", "fi"))]
ci_command = [c for c in script_cmds if c.startswith("make ")][-1]
readme_command = re.search(r"^(make test)\b", readme, flags=re.M).group(1)
recipe = re.search(r"^test:.*\n\t(.+)$", makefile, flags=re.M).group(1)
print("workflow steps :", [s.get("uses") or s.get("run") for s in steps])
print("python-version :", next(s for s in steps if "setup-python" in s.get("uses", ""))["with"]["python-version"])
exports = re.findall(r"export (\w+)", ci_script)
print(f"{script_path:14} : {ci_command}   (exports: {exports})")
print("make test      :", recipe)
print("README shows   :", readme_command)

# %% [markdown]
# ## The test pyramid, live: data and model tests of the pipeline
#
# A small selection runs here exactly as CI runs it (a `pytest` subprocess), with a JUnit XML
# report — the format CI services display. Data tests: the Telco contract, ranges and labels, no
# leakage between train and test, corrupt and truncated files rejected. Model tests: minimum
# quality, invariance to id and row order, the directional contract test, easy cases.

# %%
selection = ["tests/mlops_pipeline/test_validation.py", "tests/mlops_pipeline/test_pipeline.py",
             "-k", "telco or leakage or corrupt or truncated or minimum or invariant or month or easy"]
with tempfile.TemporaryDirectory() as tmp:
    report = Path(tmp) / "junit.xml"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           f"--junitxml={report}", *selection],
                          cwd=REPO_ROOT, capture_output=True, text=True)
    if proc.returncode not in (0, 1):  # 0 all passed, 1 some failed; anything else: pytest did not run
        raise RuntimeError(f"pytest could not run the selection (exit {proc.returncode}):\n"
                           f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")  # fmt: skip
    suite = ET.parse(report).getroot().find("testsuite")
    cases = [(c.get("classname").rsplit(".", 1)[-1], c.get("name"),
              "failed" if c.find("failure") is not None or c.find("error") is not None
              else "skipped" if c.find("skipped") is not None else "passed")
             for c in suite.iter("testcase")]
summary = proc.stdout.strip().splitlines()[-1]
print(summary, "| exit code", proc.returncode)
for module, name, outcome in cases:
    print(f"  {outcome:7} {module}::{name}")

# %%
kinds = {"data (test_validation)": "test_validation", "model (test_pipeline)": "test_pipeline"}
counts = {k: sum(1 for m, _, o in cases if m == v and o == "passed") for k, v in kinds.items()}
fig, ax = plt.subplots(figsize=(6, 2.2))
ax.barh(list(counts), list(counts.values()), color=["tab:blue", "tab:orange"])
ax.set_xlabel("tests passed")
ax.set_title(f"pytest selection: {summary}")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Behavioural test, opened up: the directional claim on real rows
#
# We fit the pipeline once (the tracked run below registers it too) and compute the month-to-month
# probabilities two ways: from the two-year probabilities and the coefficient gap $\Delta$ (the
# identity above), and with sklearn's `predict_proba` on the switched rows.
#
# ## The model gate, live
#
# Two candidates go through the registry of a temporary MLflow store: the config's model (it becomes
# champion: there is none) and a heavily regularised one ($C = 10^{-3}$). The gate must keep the
# better one, whatever the order they arrive in.

# %%
store = Path(tempfile.mkdtemp(prefix="p2_06_"))
uri = f"sqlite:///{store / 'mlflow.db'}"
base = load_config(CONFIG_DIR / "telco_churn.yaml", output_dir=store / "champion")
weak_model = {**base.model.model_dump(), "params": {**base.model.params, "C": 1e-3}}
weak = load_config(CONFIG_DIR / "telco_churn.yaml", output_dir=store / "weak", model=weak_model)
first = tracked_run(base, tracking_uri=uri, model_name="p2_06_churn")
second = tracked_run(weak, tracking_uri=uri, model_name="p2_06_churn")
for t in (first, second):
    d = t.decision
    prev = "none" if d.previous_score is None else f"{d.previous_score:.6f}"
    print(f"v{d.version}: roc_auc={d.score:.6f} vs champion {prev} -> {d.alias}")

# %%
model = first.result.model
X = first.result.split.X_test.astype({"Contract": object})
two_year, monthly = X.assign(Contract="Two year"), X.assign(Contract="Month-to-month")
p_two, p_month = (model.predict_proba(x)[:, 1] for x in (two_year, monthly))
names = list(model.named_steps["features"].get_feature_names_out())
coef = model.named_steps["model"].coef_.ravel()
delta = coef[names.index("Contract_Month-to-month")] - coef[names.index("Contract_Two year")]
print(f"Δ = β(Month-to-month) − β(Two year) = {delta:.4f}  (>= 0: the claim holds for every row)")
print(f"mean risk increase {np.mean(p_month - p_two):.3f} on {len(X)} holdout customers")

fig, ax = plt.subplots(figsize=(5, 4))
ax.scatter(p_two, p_month, s=6, alpha=0.5)
ax.plot([0, 1], [0, 1], "k--", lw=1, label="no change")
grid = np.linspace(1e-3, 1 - 1e-3, 200)
ax.plot(grid, expit(logit(grid) + delta), "r", lw=1, label=r"$\sigma(\mathrm{logit}\,p + \Delta)$")
ax.set_xlabel("P(churn) on a two-year contract")
ax.set_ylabel("P(churn), same customer, month-to-month")
ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Parity checks
#
# - **CI runs the README's command** (exact): the workflow's step runs the script, the script's
#   `make` line is the README's test command. 1 = same, 0 = different.
# - **pytest's two reports agree** (exact): passed/failed counts parsed from the JUnit XML vs the
#   terminal summary line of the same run; and the gate on the selection: 0 failures.
# - **directional identity** (atol 1e-12): $\sigma(\operatorname{logit} p_{\text{two}} + \Delta)$ vs
#   sklearn's `predict_proba` on the switched rows; float64 rounding through logit/expit is ~1e-15.
# - **the claim itself** (exact): fraction of rows where month-to-month risk ≥ two-year risk is 1.
# - **the gate** (exact): `registry.promote`'s decisions vs a direct comparison of the `roc_auc`
#   metrics read back from MLflow; and the logged metric vs sklearn's `roc_auc_score` recomputed on
#   the holdout (atol 1e-12: the same float64 computation).

# %%
parity.check(f"CI chain reaches `{ci_command}` = README's `{readme_command}`",
             ours=float(workflow_runs == [f"bash {script_path}"] and ci_command == readme_command),
             reference=1.0, atol=0, why="the badge must mean the documented command passes")
passed = sum(o == "passed" for *_, o in cases)
failed = sum(o == "failed" for *_, o in cases)
said = {k: int(n) for n, k in re.findall(r"(\d+) (passed|failed)", summary)}
parity.check("pytest: passed, failed (JUnit XML vs terminal summary)",
             ours=[passed, failed], reference=[said.get("passed", 0), said.get("failed", 0)], atol=0,
             why="two reports of one run must count the same tests")
parity.check("pytest gate: failures + errors in the selection", ours=int(suite.get("failures")) + int(suite.get("errors")),
             reference=0, atol=0, why="CI is red on any failure")
parity.check("P(churn | month-to-month): σ(logit p_two + Δ) vs sklearn predict_proba",
             ours=lambda: expit(logit(p_two) + delta), reference=lambda: model.predict_proba(monthly)[:, 1],
             atol=1e-12, why="exact identity for a logistic model on one-hot features; float64 rounding only")
parity.check("fraction of rows where month-to-month risk >= two-year risk", ours=np.mean(p_month >= p_two),
             reference=1.0, atol=0, why="the behavioural test's claim, on all holdout rows")
client = MlflowClient(uri)
logged = [client.get_run(t.run_id).data.metrics["roc_auc"] for t in (first, second)]
parity.check("gate decisions (promoted?) vs direct comparison of MLflow's roc_auc",
             ours=[first.decision.promoted, second.decision.promoted],
             reference=[True, logged[1] > logged[0]], atol=0,
             why="strictly better than the champion's logged metric, or no promotion")
parity.check("registry.beats vs `>` on the logged metrics",
             ours=registry.beats(logged[1], logged[0], "maximize"), reference=logged[1] > logged[0], atol=0,
             why="the rule, on the numbers MLflow stored")
parity.check("logged roc_auc vs sklearn roc_auc_score on the holdout",
             ours=logged[0],
             reference=roc_auc_score(first.result.split.y_test, model.predict_proba(first.result.split.X_test)[:, 1]),
             atol=1e-12, why="the metric the gate compares is the metric sklearn computes")

# %%
shutil.rmtree(store, ignore_errors=True)  # the temporary MLflow store of the gate demo
parity.table()
