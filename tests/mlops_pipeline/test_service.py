"""The FastAPI model service against one registry prepared per session (TestClient runs the lifespan)."""

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

from mlweekly.mlops_pipeline.service import ModelNotFoundError, create_app, read_request_log  # noqa: E402
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
