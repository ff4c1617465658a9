"""Property-based fuzzing of the model service's HTTP API with schemathesis, against its own OpenAPI schema.

schemathesis turns each operation of ``/openapi.json`` into a Hypothesis strategy: *positive* cases
satisfy the schema (one record or a batch, any allowed category, any number in range, ``null`` where
nullable), *negative* cases break it (a wrong type, an out-of-range number, a missing or extra field,
a body that is not JSON). Every response is checked; the run is derandomised (a fixed seed) and keeps
no example database, so CI sees the same requests every time.
"""

import os

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # before mlflow is imported anywhere
os.environ.setdefault("DO_NOT_TRACK", "1")

from collections import Counter  # noqa: E402

import pytest  # noqa: E402

pytest.importorskip("mlflow")
pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")

from fastapi.exception_handlers import request_validation_exception_handler  # noqa: E402
from fastapi.exceptions import RequestValidationError  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.failures import FailureGroup  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from mlweekly.mlops_pipeline import load_config  # noqa: E402
from mlweekly.mlops_pipeline.config import CONFIG_DIR  # noqa: E402
from mlweekly.mlops_pipeline.service import create_app  # noqa: E402
from mlweekly.mlops_pipeline.tracking import tracked_run  # noqa: E402

NAME = "telco_fuzz_test"
# Examples per operation and mode; the GET endpoints take no input, so they have one case each.
EXAMPLES = {"POST /predict": 250, "POST /admin/reload": 60}
MIN_REQUESTS = 500

# Positive cases must be answered 2xx, with the documented status, media type and body schema.
POSITIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
                   response_schema_conformance, positive_data_acceptance]  # fmt: skip
# Negative cases must be rejected with a documented 4xx (a body that is not UTF-8, e.g. b"\x1f\x8b", is
# FastAPI's 400, which the schema of POST /predict lists).
NEGATIVE_CHECKS = [not_a_server_error, negative_data_rejection, status_code_conformance,
                   content_type_conformance, response_schema_conformance]  # fmt: skip


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    """One tracked Telco run registered as champion in a store of its own."""
    out = tmp_path_factory.mktemp("fuzz")
    uri = f"sqlite:///{out / 'mlflow.db'}"
    cfg = load_config(CONFIG_DIR / "telco_churn.yaml", output_dir=out / "run")
    assert tracked_run(cfg, tracking_uri=uri, model_name=NAME).decision.alias == "champion"
    return {"cfg": cfg, "uri": uri, "log": out / "requests.jsonl"}


def make_app(registry):
    return create_app(registry["cfg"], tracking_uri=registry["uri"], model_name=NAME,
                      admin_token="fuzz-token", request_log=registry["log"])  # fmt: skip


def sender(operation, mode, settings_, sent):
    """A Hypothesis test sending ``operation``'s cases of one generation mode and checking each answer."""
    checks = POSITIVE_CHECKS if mode.is_positive else NEGATIVE_CHECKS

    @settings_
    @given(case=operation.as_strategy(generation_mode=mode))
    def send(case):
        response = case.call()
        sent[operation.label, mode.value, response.status_code] += 1
        case.validate_response(response, checks=checks)

    return send


def fuzz(app, examples, modes=(GenerationMode.POSITIVE, GenerationMode.NEGATIVE), phases=tuple(Phase)):
    """Send schemathesis's cases for every operation and mode, validating each response.

    Loading the schema through the ASGI client starts the app's lifespan (the model loads once);
    schemathesis's pytest plugin ends it when the test finishes. Returns the requests sent, counted
    by (operation, mode, status); raises schemathesis's failure on the first response that fails a check.
    """
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    sent = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in modes:
            if mode.is_negative and not operation.body and not operation.headers:
                continue  # nothing to negate: GET /health, /model and /metrics take no input
            fixed = settings(max_examples=examples.get(operation.label, 1), derandomize=True, database=None,
                             deadline=None, phases=phases, report_multiple_bugs=False,
                             suppress_health_check=list(HealthCheck))  # fmt: skip
            sender(operation, mode, fixed, sent)()
    return sent


def prometheus_requests(app) -> Counter:
    """Requests by (method, path, status) as the app's /metrics reports them (a /metrics request is
    counted once it has answered, so this read does not count itself)."""
    text = TestClient(app).get("/metrics").text
    return Counter({(s.labels["method"], s.labels["path"], int(s.labels["status"])): int(s.value)
                    for f in text_string_to_metric_families(text) for s in f.samples
                    if s.name == "mlweekly_http_requests_total"})  # fmt: skip


def test_fuzzing_finds_no_server_error_and_responses_match_the_schema(registry):
    app = make_app(registry)
    sent = fuzz(app, EXAMPLES)
    total = sum(sent.values())
    assert total >= MIN_REQUESTS, sent
    assert not [key for key in sent if key[2] >= 500], sent
    statuses = {mode: {s for (op, m, s) in sent if op == "POST /predict" and m == mode}
                for mode in ("positive", "negative")}  # fmt: skip
    assert statuses["positive"] == {200}, sent  # every record the schema allows is scored
    assert statuses["negative"] <= {400, 422} and 422 in statuses["negative"], sent
    assert {s for (op, _, s) in sent if op == "POST /admin/reload"} == {401}, sent  # no guessed token
    # The service counted every request the fuzzer sent, plus schemathesis's GET /openapi.json.
    expected = Counter({("GET", "other", 200): 1})
    for (label, _, status), n in sent.items():
        expected[(*label.split(" "), status)] += n
    assert prometheus_requests(app) == expected


def test_a_planted_server_error_turns_the_fuzz_red(registry):
    """The fuzz can fail: a service that crashes on a malformed ``tenure`` must be caught."""
    app = make_app(registry)

    async def crash_on_tenure(request, exc):
        if any("tenure" in error["loc"] for error in exc.errors()):
            return JSONResponse({"detail": "internal error"}, status_code=500)
        return await request_validation_exception_handler(request, exc)

    app.add_exception_handler(RequestValidationError, crash_on_tenure)
    no_shrinking = (Phase.explicit, Phase.generate)
    with pytest.raises(FailureGroup, match="Server error") as failure:
        fuzz(app, {"POST /predict": 200}, modes=(GenerationMode.NEGATIVE,), phases=no_shrinking)
    assert "500" in str(failure.value) and "/predict" in str(failure.value)
