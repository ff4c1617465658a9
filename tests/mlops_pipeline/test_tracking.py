"""MLflow tracking and the champion/challenger registry, on one local SQLite store per test session."""

import json
import os

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # before mlflow is imported anywhere
os.environ.setdefault("DO_NOT_TRACK", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mlweekly import datasets  # noqa: E402
from mlweekly.mlops_pipeline import load_config, pipeline  # noqa: E402
from mlweekly.mlops_pipeline.config import CONFIG_DIR  # noqa: E402
from mlweekly.mlops_pipeline.registry import beats  # noqa: E402
from mlweekly.mlops_pipeline.tracking import data_version, model_input, tracked_run  # noqa: E402

mlflow = pytest.importorskip("mlflow")

TELCO = CONFIG_DIR / "telco_churn.yaml"
NAME = "telco_test"
# A deliberately weak model: two near-useless features (ROC AUC far below the full model's).
WEAK = {
    "numeric": {"SeniorCitizen": {"min": 0, "max": 1}},
    "categorical": {"gender": {"allowed": ["Female", "Male"]}},
}


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    """One registry for the file: weak (v1), full (v2), weak again (v3), then a run that fails mid-way."""
    out = tmp_path_factory.mktemp("mlflow")
    uri = f"sqlite:///{out / 'mlflow.db'}"
    weak = load_config(TELCO, output_dir=out / "weak", **WEAK)
    full = load_config(TELCO, output_dir=out / "full")
    runs = [tracked_run(cfg, tracking_uri=uri, model_name=NAME) for cfg in (weak, full, weak)]
    return {"uri": uri, "runs": runs, "full": full, "client": mlflow.MlflowClient(uri)}


def test_run_logs_params_metrics_artifacts_and_model(store):
    tracked = store["runs"][1]
    run = store["client"].get_run(tracked.run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params["model.params.C"] == "1.0" and run.data.params["metric.name"] == "roc_auc"
    assert run.data.params["numeric"] == "SeniorCitizen,tenure,MonthlyCharges,TotalCharges"
    assert run.data.metrics == tracked.result.metrics
    assert run.data.metrics == json.loads(tracked.result.paths["metrics"].read_text())
    logged = {a.path for a in store["client"].list_artifacts(tracked.run_id, "pipeline")}
    files = (
        "metrics.json",
        "predictions.csv",
        "validation.json",
        "quarantine.csv",
        "roc.png",
        "calibration.png",
    )
    expected = {f"pipeline/{n}" for n in (*files, "confusion.png")}
    assert expected <= logged
    model = mlflow.models.get_model_info(tracked.model_uri)
    assert model.signature.inputs.input_names() == store["full"].features
    assert model.saved_input_example_info is not None


def test_data_version_tag_equals_recomputed_hash(store):
    tracked = store["runs"][1]
    run = store["client"].get_run(tracked.run_id)
    expected = data_version(datasets.load("telco_churn").frame)
    assert run.data.tags["data_version"] == expected == run.data.params["data_version"]
    changed = datasets.load("telco_churn").frame
    changed.iloc[0, changed.columns.get_loc("tenure")] += 1
    assert data_version(changed) != expected


def test_champion_loads_back_and_predicts_like_the_pipeline(store):
    mlflow.set_tracking_uri(store["uri"])
    tracked = store["runs"][1]
    X = tracked.result.split.X_test
    served = mlflow.pyfunc.load_model(f"models:/{NAME}@champion").predict(model_input(X))
    np.testing.assert_allclose(np.asarray(served), tracked.result.model.predict_proba(X), rtol=0, atol=1e-12)


def test_better_candidate_becomes_champion_worse_becomes_challenger(store):
    weak, full, weak_again = (t.decision for t in store["runs"])
    assert full.score > weak.score  # the premise: two features cannot match the full model
    assert (weak.alias, weak.previous_champion) == ("champion", None)
    assert (full.alias, full.previous_champion, full.previous_score) == ("champion", "1", weak.score)
    assert (weak_again.alias, weak_again.previous_champion) == ("challenger", "2")
    client = store["client"]
    assert str(client.get_model_version_by_alias(NAME, "champion").version) == "2"
    assert str(client.get_model_version_by_alias(NAME, "challenger").version) == "3"


def test_failed_training_leaves_champion_unchanged(store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("training died mid-way")

    monkeypatch.setattr(pipeline, "train", broken)
    client = store["client"]
    with pytest.raises(RuntimeError, match="training died"):
        tracked_run(store["full"], tracking_uri=store["uri"], model_name=NAME)
    assert str(client.get_model_version_by_alias(NAME, "champion").version) == "2"
    assert len(client.search_model_versions(f"name='{NAME}'")) == 3
    failed = client.search_runs([client.get_experiment_by_name("telco_churn").experiment_id],
                                order_by=["attributes.start_time DESC"], max_results=1)[0]  # fmt: skip
    assert failed.info.status == "FAILED" and "roc_auc" not in failed.data.metrics


@pytest.mark.parametrize(("score", "incumbent", "direction", "expected"), [
    (0.8, None, "maximize", True), (0.8, 0.8, "maximize", False), (0.81, 0.8, "maximize", True),
    (0.2, 0.3, "minimize", True), (0.3, 0.2, "minimize", False),
])  # fmt: skip
def test_beats_is_strict_in_the_configured_direction(score, incumbent, direction, expected):
    assert beats(score, incumbent, direction) is expected


def test_beats_names_a_bad_direction():
    with pytest.raises(ValueError, match="direction must be"):
        beats(1.0, 0.5, "up")
