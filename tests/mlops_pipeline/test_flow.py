"""The Prefect flow: same answer as the pipeline, retries, caching, faults and exit codes.

One Prefect test server (``prefect_test_harness``) and one MLflow store serve the whole session;
each flow run after the server is up costs about a second.
"""

import base64
import json
import os
import pickle
import tempfile

# Before prefect or mlflow is imported: a throwaway Prefect home, no telemetry.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="mlweekly-prefect-home-")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

pytest.importorskip("prefect")
mlflow = pytest.importorskip("mlflow")

from prefect.testing.utilities import prefect_test_harness  # noqa: E402

from mlweekly.mlops_pipeline import load_config, pipeline  # noqa: E402
from mlweekly.mlops_pipeline.config import CONFIG_DIR  # noqa: E402
from mlweekly.mlops_pipeline.flow import (  # noqa: E402
    FLOW_RUN_TAG,
    RESULTS_DIR,
    SkopsSerializer,
    UnsafeResultStoreError,
    check_result_store,
    pipeline_command,
    pipeline_flow,
    register_model,
    task_runs,
)

TELCO = CONFIG_DIR / "telco_churn.yaml"
NAME = "telco_flow_test"


def run_flow(cfg, uri):
    """The flow's TrackedRun and the task runs Prefect recorded for it, by task name."""
    tracked = pipeline_flow(cfg, tracking_uri=uri, model_name=NAME)
    flow_run_id = mlflow.MlflowClient(uri).get_run(tracked.run_id).data.tags[FLOW_RUN_TAG]
    return tracked, task_runs(flow_run_id).set_index("task")


@pytest.fixture(scope="session")
def harness():
    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture(scope="session")
def store(harness, tmp_path_factory):
    """Two runs of the Telco config into one output folder: the second should come from the cache."""
    out = tmp_path_factory.mktemp("flow")
    uri = f"sqlite:///{out / 'mlflow.db'}"
    cfg = load_config(TELCO, output_dir=out / "run")
    first, second = run_flow(cfg, uri), run_flow(cfg, uri)
    return {"uri": uri, "cfg": cfg, "out": out, "first": first, "second": second,
            "client": mlflow.MlflowClient(uri)}  # fmt: skip


def test_flow_matches_a_direct_pipeline_run(store, tmp_path):
    tracked, runs = store["first"]
    direct = pipeline.run(load_config(TELCO, output_dir=tmp_path))
    assert tracked.result.metrics == direct.metrics
    assert tracked.result.validation.n_bad == direct.validation.n_bad == 0
    assert (tracked.decision.alias, tracked.decision.version) == ("champion", "1")
    run = store["client"].get_run(tracked.run_id)
    assert run.info.status == "FINISHED" and run.data.metrics == tracked.result.metrics
    assert run.data.tags["data_version"] == tracked.data_version
    expected = {"load_data", "fingerprint", "validate_data", "split_data", "fit_model", "evaluate_model",
                "write_outputs", "log_run", "register_model"}  # fmt: skip
    assert set(runs.index) == expected and (runs["state"] == "Completed").all()


def test_second_run_reuses_the_fitted_model_and_a_new_hyper_parameter_does_not(store):
    first, _ = store["first"]
    second, runs = store["second"]
    assert runs.loc["fit_model", "state"] == "Cached"
    assert (runs.drop(index="fit_model")["state"] == "Completed").all()
    assert second.result.metrics == first.result.metrics
    # Equal metrics on an equal model: the rule keeps the incumbent (ties do not promote).
    assert (second.decision.alias, second.decision.previous_champion) == ("challenger", "1")
    model = {"name": "logistic_regression", "params": {"C": 0.5, "tol": 1e-8, "max_iter": 1000}}
    changed = store["cfg"].model_copy(update={"model": type(store["cfg"].model).model_validate(model)})
    third, runs = run_flow(changed, store["uri"])
    assert runs.loc["fit_model", "state"] == "Completed"
    assert third.result.metrics != first.result.metrics


def test_cached_models_are_stored_with_skops_and_a_planted_pickle_is_refused(store, tmp_path):
    first = store["first"][0]
    store_dir = store["cfg"].output_dir.resolve() / RESULTS_DIR
    assert check_result_store(store_dir) >= 1
    records = [json.loads(p.read_text()) for p in store_dir.iterdir()]
    assert {r["metadata"]["serializer"]["type"] for r in records} == {"mlweekly-skops"}
    X = first.result.split.X_test
    reference = first.result.model.predict_proba(X)
    restored = [SkopsSerializer().loads(r["result"].encode()) for r in records]
    assert any(np.array_equal(m.predict_proba(X), reference) for m in restored)
    planted = tmp_path / RESULTS_DIR
    planted.mkdir()
    record = {"metadata": {"serializer": {"type": "pickle", "picklelib": "cloudpickle"}},
              "result": base64.b64encode(pickle.dumps(object())).decode()}  # fmt: skip
    (planted / "0123abcd").write_text(json.dumps(record))
    with pytest.raises(UnsafeResultStoreError, match="'pickle'"):
        check_result_store(planted)
    cfg = store["cfg"].model_copy(update={"output_dir": tmp_path})
    with pytest.raises(UnsafeResultStoreError):
        pipeline_flow(cfg, tracking_uri=store["uri"], model_name=NAME)


def test_a_failed_read_is_retried(store, monkeypatch):
    calls = []
    real = pipeline.load_frame

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk briefly unavailable")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "load_frame", flaky)
    tracked, runs = run_flow(store["cfg"], store["uri"])
    assert len(calls) == 2
    assert runs.loc["load_data", "run_count"] == 2 and runs.loc["load_data", "state"] == "Completed"
    assert (runs.drop(index="load_data")["run_count"] <= 1).all()
    assert tracked.result.metrics == store["first"][0].result.metrics


def test_training_that_raises_leaves_the_champion_unchanged(store, monkeypatch, tmp_path):
    client = store["client"]
    champion = client.get_model_version_by_alias(NAME, "champion").version
    versions = len(client.search_model_versions(f"name='{NAME}'"))

    def broken(*args, **kwargs):
        raise RuntimeError("training died mid-way")

    monkeypatch.setattr(pipeline, "train", broken)
    cfg = store["cfg"].model_copy(update={"output_dir": tmp_path})  # its own, empty, cache
    with pytest.raises(RuntimeError, match="training died"):
        pipeline_flow(cfg, tracking_uri=store["uri"], model_name=NAME)
    assert client.get_model_version_by_alias(NAME, "champion").version == champion
    assert len(client.search_model_versions(f"name='{NAME}'")) == versions
    # Registering is idempotent: a retried registration of the same run reuses its version.
    tracked = store["first"][0]
    again = register_model.fn(store["cfg"], store["uri"], tracked.run_id, tracked.model_uri, NAME)
    assert again.version == tracked.decision.version
    assert len(client.search_model_versions(f"name='{NAME}'")) == versions


def test_pipeline_command_exit_codes(store, tmp_path, capsys):
    raw = yaml.safe_load(TELCO.read_text())
    raw["output_dir"] = str(tmp_path / "ok")
    (tmp_path / "ok.yaml").write_text(yaml.safe_dump(raw))
    assert pipeline_command(tmp_path / "ok.yaml", store["uri"]) == 0
    out = capsys.readouterr().out
    assert "fit_model" in out and "model telco_churn v1: roc_auc=" in out and "-> champion" in out
    raw["numeric"]["tenure"]["max"] = 10  # most customers stayed longer: the contract breaks
    raw["output_dir"] = str(tmp_path / "bad_data")
    (tmp_path / "bad_data.yaml").write_text(yaml.safe_dump(raw))
    assert pipeline_command(tmp_path / "bad_data.yaml", store["uri"]) == 1
    out = capsys.readouterr().out
    assert "tenure" in out and "quarantine.csv" in out
    planted = tmp_path / "ok" / RESULTS_DIR / "0123abcd"
    planted.write_text(json.dumps({"metadata": {"serializer": {"type": "pickle"}}, "result": ""}))
    assert pipeline_command(tmp_path / "ok.yaml", store["uri"]) == 2
    assert "0123abcd" in capsys.readouterr().out
    raw["split"] = {"test_size": 2.0}
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(raw))
    assert pipeline_command(tmp_path / "bad.yaml", store["uri"]) == 2
    assert "split.test_size" in capsys.readouterr().out
