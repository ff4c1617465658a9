"""The FastAPI model service against one registry prepared per session (TestClient runs the lifespan)."""

import dataclasses
import json
import os

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # before mlflow is imported anywhere
os.environ.setdefault("DO_NOT_TRACK", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mlweekly.mlops_pipeline import load_config  # noqa: E402
from mlweekly.mlops_pipeline.config import CONFIG_DIR  # noqa: E402

pytest.importorskip("mlflow")
pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402

from mlweekly.mlops_pipeline.service import (  # noqa: E402
    ModelNotFoundError,
    create_app,
    read_request_log,
    record_model,
)
from mlweekly.mlops_pipeline.tracking import tracked_run  # noqa: E402

NAME = "telco_service_test"


@pytest.fixture(scope="session")
def registry(tmp_path_factory):
    """One tracked Telco run registered as champion; the config, the store and the in-memory model."""
    out = tmp_path_factory.mktemp("service")
    uri = f"sqlite:///{out / 'mlflow.db'}"
    cfg = load_config(CONFIG_DIR / "telco_churn.yaml", output_dir=out / "run")
    tracked = tracked_run(cfg, tracking_uri=uri, model_name=NAME)
    assert tracked.decision.alias == "champion"
    return {"cfg": cfg, "uri": uri, "tracked": tracked, "log": out / "requests.jsonl"}


@pytest.fixture(scope="session")
def client(registry):
    app = create_app(
        registry["cfg"], tracking_uri=registry["uri"], model_name=NAME, request_log=registry["log"]
    )
    with TestClient(app) as client:
        yield client


def records(registry, n):
    """The first n holdout rows as JSON records (NaN -> null)."""
    X = registry["tracked"].result.split.X_test.head(n)
    return X, json.loads(X.astype(object).to_json(orient="records"))


def test_single_and_batch_match_the_in_memory_pipeline(registry, client):
    X, rows = records(registry, 50)
    model = registry["tracked"].result.model
    one = client.post("/predict", json=rows[0])
    assert one.status_code == 200, one.text
    body = one.json()
    assert body["name"] == NAME and body["version"] == registry["tracked"].decision.version
    assert len(body["predictions"]) == 1
    assert abs(body["predictions"][0]["probability"] - model.predict_proba(X.head(1))[0, 1]) <= 1e-12
    batch = client.post("/predict", json=rows)
    assert batch.status_code == 200, batch.text
    got = batch.json()["predictions"]
    np.testing.assert_allclose(
        [p["probability"] for p in got], model.predict_proba(X)[:, 1], rtol=0, atol=1e-12
    )
    assert [p["prediction"] for p in got] == model.predict(X).tolist()


def test_health_and_model_info(registry, client):
    tracked = registry["tracked"]
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "version": tracked.decision.version}
    info = client.get("/model").json()
    assert info["name"] == NAME and info["alias"] == "champion"
    assert info["version"] == tracked.decision.version and info["run_id"] == tracked.run_id
    assert info["metrics"] == tracked.result.metrics
    assert info["data_version"] == tracked.data_version
    assert info["features"] == registry["cfg"].features


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda r: r.pop("tenure"), "tenure"),  # missing
        (lambda r: r.update(favourite_colour="blue"), "favourite_colour"),  # extra
        (lambda r: r.update(MonthlyCharges="lots"), "MonthlyCharges"),  # wrong type
        (lambda r: r.update(SeniorCitizen=True), "SeniorCitizen"),  # a bool is not a number
        (lambda r: r.update(tenure=-1), "tenure"),  # below min
        (lambda r: r.update(MonthlyCharges=1e6), "MonthlyCharges"),  # above max
        (lambda r: r.update(Contract="Three year"), "Contract"),  # unknown category
        (lambda r: r.update(gender=None), "gender"),  # null where the contract forbids it
    ],
)
def test_bad_records_are_422_naming_the_field(registry, client, change, field):
    _, rows = records(registry, 2)
    change(rows[1])
    for payload, where in ((rows[1], ["body", "one"]), (rows, ["body", "batch", 1])):
        response = client.post("/predict", json=payload)
        assert response.status_code == 422, response.text
        locs = [e["loc"] for e in response.json()["detail"]]
        assert [*where, field] in locs, locs


@pytest.mark.parametrize("payload", [[], "hello", 3, None])
def test_malformed_bodies_are_422(client, payload):
    assert client.post("/predict", json=payload).status_code == 422


def test_not_json_is_422(client):
    response = client.post("/predict", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_nullable_field_accepts_null(registry, client):
    _, rows = records(registry, 1)
    rows[0]["TotalCharges"] = None  # the contract allows it; the pipeline's imputer fills it
    assert client.post("/predict", json=rows[0]).status_code == 200


def test_every_prediction_is_logged(registry, client):
    before = len(read_request_log(registry["log"])) if registry["log"].is_file() else 0
    _, rows = records(registry, 3)
    got = client.post("/predict", json=rows).json()["predictions"]
    log = read_request_log(registry["log"])
    assert len(log) == before + 3
    new = log.tail(3)
    assert new["probability"].tolist() == [p["probability"] for p in got]
    assert (new["version"] == registry["tracked"].decision.version).all()
    assert new["tenure"].tolist() == [r["tenure"] for r in rows]
    assert new["time"].notna().all()
    assert new["id"].tolist() == [p["id"] for p in got] and log["id"].is_unique  # outcomes join on it


def test_missing_alias_stops_startup_saying_how_to_train(registry):
    app = create_app(registry["cfg"], tracking_uri=registry["uri"], model_name=NAME, alias="nobody")
    with pytest.raises(ModelNotFoundError, match="mlweekly pipeline run"):
        with TestClient(app):
            pass


def test_missing_registry_stops_startup_without_creating_one(registry, tmp_path):
    uri = f"sqlite:///{tmp_path / 'absent.db'}"
    app = create_app(registry["cfg"], tracking_uri=uri, model_name=NAME)
    with pytest.raises(ModelNotFoundError, match="mlweekly pipeline run"):
        with TestClient(app):
            pass
    assert not (tmp_path / "absent.db").exists()


def test_openapi_schema_lists_the_contract(registry, client):
    schema = client.get("/openapi.json").json()
    record = schema["components"]["schemas"]["Record"]
    assert record["additionalProperties"] is False
    assert set(record["required"]) == set(registry["cfg"].features)
    assert record["properties"]["tenure"]["minimum"] == 0 and record["properties"]["tenure"]["maximum"] == 120
    assert record["properties"]["Contract"]["enum"] == ["Month-to-month", "One year", "Two year"]


def test_serve_command_without_a_registry_exits_1_saying_how_to_train(tmp_path, capsys):
    from mlweekly.mlops_pipeline.service import serve_command

    uri = f"sqlite:///{tmp_path / 'absent.db'}"
    assert serve_command(CONFIG_DIR / "telco_churn.yaml", "127.0.0.1", 8000, "champion", uri) == 1
    assert "mlweekly pipeline run --config" in capsys.readouterr().out
    assert serve_command(tmp_path / "missing.yaml", "127.0.0.1", 8000, "champion", uri) == 2


def test_config_order_does_not_matter_but_its_features_must_match(registry):
    cfg = registry["cfg"]
    shuffled = load_config(
        CONFIG_DIR / "telco_churn.yaml",
        output_dir=cfg.output_dir,
        numeric=dict(reversed(cfg.model_dump()["numeric"].items())),
        categorical=dict(reversed(cfg.model_dump()["categorical"].items())),
    )
    X, rows = records(registry, 5)
    with TestClient(create_app(shuffled, tracking_uri=registry["uri"], model_name=NAME)) as client:
        got = [p["probability"] for p in client.post("/predict", json=rows).json()["predictions"]]
    model = registry["tracked"].result.model
    np.testing.assert_allclose(got, model.predict_proba(X)[:, 1], rtol=0, atol=1e-12)
    fewer = load_config(CONFIG_DIR / "telco_churn.yaml", output_dir=cfg.output_dir, numeric={})
    with pytest.raises(ModelNotFoundError, match="trained on features"):
        with TestClient(create_app(fewer, tracking_uri=registry["uri"], model_name=NAME)):
            pass


def test_compiled_and_sklearn_paths_agree(registry):
    from mlweekly.mlops_pipeline.service import _score, load_served

    cfg = registry["cfg"]
    served = load_served(cfg, registry["uri"], "champion", NAME)
    assert served.scorer is not None  # the Telco logistic pipeline folds into weights
    _, rows = records(registry, 40)
    Record = record_model(cfg)
    validated = [Record(**r) for r in rows]
    ids = map(str, range(10**6))
    fast = _score(cfg, served, validated, ids)
    slow = _score(cfg, dataclasses.replace(served, scorer=None), validated, ids)
    fast_p, slow_p = [p.probability for p in fast], [p.probability for p in slow]
    np.testing.assert_allclose(fast_p, slow_p, rtol=0, atol=1e-12)
    assert [p.prediction for p in fast] == [p.prediction for p in slow]


def metric(text: str, name: str, **labels) -> float:
    """The value of one sample in Prometheus text exposition format."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    raise AssertionError(f"no sample {name}{labels} in /metrics")


def test_metrics_count_requests_latency_and_predictions(registry):
    app = create_app(registry["cfg"], tracking_uri=registry["uri"], model_name=NAME,
                     request_log=registry["log"])  # fmt: skip
    version = registry["tracked"].decision.version
    with TestClient(app) as client:
        _, rows = records(registry, 7)
        got = client.post("/predict", json=rows).json()["predictions"]
        client.post("/predict", json=rows[0])
        client.post("/predict", json={"tenure": 1})  # 422
        client.get("/no/such/path")
        response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert metric(text, "mlweekly_http_requests_total", method="POST", path="/predict", status="200") == 2
    assert metric(text, "mlweekly_http_requests_total", method="POST", path="/predict", status="422") == 1
    assert metric(text, "mlweekly_http_requests_total", method="GET", path="other", status="404") == 1
    assert metric(text, "mlweekly_http_request_duration_seconds_count", path="/predict") == 3
    churners = sum(p["prediction"] == 1 for p in got) + (got[0]["prediction"] == 1)
    assert metric(text, "mlweekly_predictions_total", version=version, label="1") == churners
    assert metric(text, "mlweekly_predictions_total", version=version, label="0") == 8 - churners
    assert metric(text, "mlweekly_predicted_probability_count") == 8
    below_half = sum(p["probability"] <= 0.5 for p in got) + (got[0]["probability"] <= 0.5)
    assert metric(text, "mlweekly_predicted_probability_bucket", le="0.5") == below_half


@pytest.fixture()
def two_versions(registry):
    """A model name of its own with versions 1 and 2 of the same run; champion -> v1."""
    import mlflow

    name = f"{NAME}_reload_{os.getpid()}"
    client = mlflow.MlflowClient(registry["uri"])
    for _ in range(2):
        mlflow.register_model(registry["tracked"].model_uri, name)
    client.set_registered_model_alias(name, "champion", "1")
    return name, client


def test_reload_needs_the_token_and_follows_the_alias(registry, two_versions):
    name, mlflow_client = two_versions
    app = create_app(registry["cfg"], tracking_uri=registry["uri"], model_name=name, admin_token="s3cret",
                     request_log=registry["log"])  # fmt: skip
    _, rows = records(registry, 1)
    with TestClient(app) as client:
        assert client.post("/admin/reload").status_code == 401
        assert client.post("/admin/reload", headers={"X-Admin-Token": "guess"}).status_code == 401
        same = client.post("/admin/reload", headers={"X-Admin-Token": "s3cret"})
        assert same.status_code == 200 and same.json() == {"previous_version": "1", "version": "1",
                                                          "reloaded": False}  # fmt: skip
        mlflow_client.set_registered_model_alias(name, "champion", "2")
        assert client.post("/predict", json=rows[0]).json()["version"] == "1"  # not until reloaded
        moved = client.post("/admin/reload", headers={"X-Admin-Token": "s3cret"}).json()
        assert moved == {"previous_version": "1", "version": "2", "reloaded": True}
        assert client.post("/predict", json=rows[0]).json()["version"] == "2"
        assert client.get("/model").json()["version"] == "2"
        mlflow_client.delete_registered_model_alias(name, "champion")
        gone = client.post("/admin/reload", headers={"X-Admin-Token": "s3cret"})
        assert gone.status_code == 409 and "mlweekly pipeline run" in gone.json()["detail"]
        assert client.post("/predict", json=rows[0]).json()["version"] == "2"  # still serving


def test_reload_is_disabled_without_a_configured_token(registry, monkeypatch):
    monkeypatch.delenv("MLWEEKLY_ADMIN_TOKEN", raising=False)
    app = create_app(registry["cfg"], tracking_uri=registry["uri"], model_name=NAME,
                     request_log=registry["log"])  # fmt: skip
    with TestClient(app) as client:
        refused = client.post("/admin/reload", headers={"X-Admin-Token": ""})
        assert refused.status_code == 403 and "MLWEEKLY_ADMIN_TOKEN" in refused.json()["detail"]
