"""End to end, through the real CLI: ``pipeline run`` -> registry -> ``serve`` on loopback -> ``monitor``.

Each step is the ``mlweekly`` executable in a subprocess, as a user would run it, in a temporary folder
with a copy of ``configs/telco_churn.yaml`` whose ``output_dir`` (MLflow store, artifacts, request
log, drift report) lives there too.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from mlweekly import datasets
from mlweekly.mlops_pipeline import load_config
from mlweekly.mlops_pipeline.config import CONFIG_DIR

pytest.importorskip("mlflow")
pytest.importorskip("fastapi")
pytest.importorskip("evidently")
httpx = pytest.importorskip("httpx")

# The end-to-end test: the whole CLI, three subprocesses and a server.
pytestmark = [pytest.mark.slow, pytest.mark.e2e]

MLWEEKLY = str(Path(sys.executable).parent / "mlweekly")
STARTUP_S = 120  # a cold start imports mlflow and loads the model: generous on a busy two-core machine


def environment() -> dict[str, str]:
    """This environment with telemetry off and no inherited tracking server or admin token."""
    env = {k: v for k, v in os.environ.items() if k not in ("MLFLOW_TRACKING_URI", "MLWEEKLY_ADMIN_TOKEN")}
    env.update(MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def mlweekly(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([MLWEEKLY, *map(str, args)], cwd=cwd, env=environment(), capture_output=True,
                          text=True, timeout=300)  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def records(X) -> list[dict]:
    """Rows as JSON records (NaN -> null), as a client would send them."""
    return json.loads(X.astype(object).to_json(orient="records"))


def post_all(client, rows, size=250) -> None:
    for start in range(0, len(rows), size):
        response = client.post("/predict", json=rows[start : start + size])
        assert response.status_code == 200, response.text


def wait_until_healthy(server, base, log) -> dict:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        assert server.poll() is None, f"mlweekly serve exited {server.returncode}:\n{log.read_text()}"
        try:
            response = httpx.get(f"{base}/health", timeout=2)
            if response.status_code == 200:
                return response.json()
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"mlweekly serve not healthy after {STARTUP_S} s:\n{log.read_text()}")


def test_pipeline_registry_service_monitor(tmp_path):
    import mlflow

    out = tmp_path / "artifacts"
    config = tmp_path / "telco_churn.yaml"
    data = yaml.safe_load((CONFIG_DIR / "telco_churn.yaml").read_text())
    config.write_text(yaml.safe_dump({**data, "output_dir": str(out)}))
    cfg = load_config(config)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"

    # 1. Train, track and register: the first model of a new registry becomes champion.
    trained = mlweekly("pipeline", "run", "--config", config, "--tracking-uri", uri, cwd=tmp_path)
    assert trained.returncode == 0, trained.stdout + trained.stderr
    assert "-> champion" in trained.stdout, trained.stdout

    # 2. The registry holds it; load it as MLflow would hand it to anyone.
    version = str(mlflow.MlflowClient(uri).get_model_version_by_alias(cfg.dataset, "champion").version)
    previous_uri = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(uri)
    try:
        model = mlflow.sklearn.load_model(f"models:/{cfg.dataset}@champion")
    finally:
        mlflow.set_tracking_uri(previous_uri)

    # 3. Serve it on a free loopback port.
    port, server_log = free_port(), tmp_path / "serve.log"
    base = f"http://127.0.0.1:{port}"
    with server_log.open("w") as log:
        server = subprocess.Popen(
            [MLWEEKLY, "serve", "--config", str(config), "--host", "127.0.0.1", "--port", str(port),
             "--tracking-uri", uri],
            cwd=tmp_path, env=environment(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        assert wait_until_healthy(server, base, server_log) == {"status": "ok", "version": version}
        # Traffic drawn like the training data. (The holdout of random_state 0 is not used: its
        # TechSupport mix differs from the training split's at chi-square p = 0.0014 by chance.)
        X = datasets.load(cfg.dataset).frame[cfg.features].sample(1500, random_state=3)
        rows = records(X)
        with httpx.Client(base_url=base, timeout=30) as client:
            one = client.post("/predict", json=rows[0])
            assert one.status_code == 200, one.text
            got = one.json()
            assert (got["name"], got["version"]) == (cfg.dataset, version)
            assert abs(got["predictions"][0]["probability"] - model.predict_proba(X.head(1))[0, 1]) <= 1e-12
            batch = client.post("/predict", json=rows[1:50])
            assert batch.status_code == 200, batch.text
            predictions = batch.json()["predictions"]
            expected = model.predict_proba(X.iloc[1:50])[:, 1]
            np.testing.assert_allclose([p["probability"] for p in predictions], expected, rtol=0, atol=1e-12)
            assert [p["prediction"] for p in predictions] == model.predict(X.iloc[1:50]).tolist()
            assert len({p["id"] for p in predictions}) == 49  # one id per record, for the labels later

            for bad, where in (
                (rows[0] | {"Contract": "Three year"}, ["body", "one", "Contract"]),
                ({k: v for k, v in rows[0].items() if k != "tenure"}, ["body", "one", "tenure"]),
                (rows[0] | {"favourite_colour": "blue"}, ["body", "one", "favourite_colour"]),
                ([rows[0], rows[1] | {"MonthlyCharges": "lots"}], ["body", "batch", 1, "MonthlyCharges"]),
            ):
                rejected = client.post("/predict", json=bad)
                assert rejected.status_code == 422, rejected.text
                assert where in [e["loc"] for e in rejected.json()["detail"]], rejected.text

            post_all(client, rows[50:])
            # 4. The monitor on the logged requests: traffic like the training data does not drift...
            calm = mlweekly("monitor", "--config", config, "--report", tmp_path / "calm.html", cwd=tmp_path)
            assert calm.returncode == 0, calm.stdout + calm.stderr
            assert "0 of 19 columns drifted" in calm.stdout, calm.stdout
            assert json.loads((tmp_path / "calm.json").read_text())["drifted_columns"] == []

            # ...then 1500 more customers, all on a month-to-month contract, do. (A fresh sample: sending
            # the same rows twice would double the counts, and the power, of every test.)
            moved = datasets.load(cfg.dataset).frame[cfg.features].sample(1500, random_state=4)
            post_all(client, records(moved.assign(Contract="Month-to-month")))
        drifted = mlweekly("monitor", "--config", config, "--report", tmp_path / "drift.html", cwd=tmp_path)
        assert drifted.returncode == 1, drifted.stdout + drifted.stderr
        assert "1 of 19 columns drifted" in drifted.stdout, drifted.stdout
        assert "  Contract: " in drifted.stdout, drifted.stdout
        assert json.loads((tmp_path / "drift.json").read_text())["drifted_columns"] == ["Contract"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    logged = (out / "requests.jsonl").read_text().splitlines()
    assert len(logged) == 3000  # every scored record, none of the rejected ones


def test_serve_without_a_registry_exits_1_saying_how_to_train(tmp_path):
    config = tmp_path / "telco_churn.yaml"
    data = yaml.safe_load((CONFIG_DIR / "telco_churn.yaml").read_text())
    config.write_text(yaml.safe_dump({**data, "output_dir": str(tmp_path / "artifacts")}))
    absent = tmp_path / "absent.db"
    served = mlweekly("serve", "--config", config, "--port", free_port(), "--tracking-uri", f"sqlite:///{absent}",
                      cwd=tmp_path)  # fmt: skip
    assert served.returncode == 1, served.stdout + served.stderr
    assert "mlweekly pipeline run --config" in served.stdout, served.stdout
    assert not absent.exists()  # no empty registry created on the way
