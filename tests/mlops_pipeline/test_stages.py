"""The DVC stages: each stage function, the saved model, a corrupt data file, and `dvc repro` end to end."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # before mlflow is imported anywhere
os.environ.setdefault("DO_NOT_TRACK", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from mlweekly.mlops_pipeline import load_config, load_frame, run, split  # noqa: E402
from mlweekly.mlops_pipeline.config import CONFIG_DIR, ConfigError  # noqa: E402
from mlweekly.mlops_pipeline.stages import (  # noqa: E402
    app,
    evaluate_stage,
    load_model,
    load_params,
    read_validated,
    stage_config,
    train_stage,
    validate_stage,
)
from mlweekly.mlops_pipeline.tracking import data_version  # noqa: E402
from mlweekly.mlops_pipeline.validation import DataContractError  # noqa: E402

pytest.importorskip("mlflow")
ROOT = CONFIG_DIR.parent
PARAMS = ROOT / "params.yaml"


def params_for(out_dir, **changes):
    raw = yaml.safe_load(PARAMS.read_text())
    raw.update(config=str(ROOT / raw["config"]), out_dir=str(out_dir), **changes)
    return load_params(raw)


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    """The three stages run in-process into a tmp folder, once per module."""
    params = params_for(tmp_path_factory.mktemp("stages"))
    checked = validate_stage(params)
    model = train_stage(params)
    ev = evaluate_stage(params)
    return {"params": params, "checked": checked, "model": model, "ev": ev}


# ------------------------------------------------------------------------------------- code tests
def test_params_file_is_valid_and_overrides_the_config():
    params = load_params(PARAMS)
    cfg = load_config(ROOT / params.config)
    assert stage_config(params.model_copy(update={"config": ROOT / params.config})).model == params.model
    assert cfg.dataset == "telco_churn" and params.out_dir == Path("artifacts/dvc")


def test_params_errors_name_the_key(tmp_path):
    with pytest.raises(ConfigError, match="modle"):
        load_params({"config": "configs/telco_churn.yaml", "model": {"name": "ridge"}, "modle": {}})
    with pytest.raises(ConfigError, match="split.test_size"):
        load_params({"config": "c.yaml", "model": {"name": "x"}, "split": {"test_size": 2}})
    with pytest.raises(ConfigError, match="not found"):
        load_params(tmp_path / "missing.yaml")


def test_validate_writes_clean_rows_and_the_data_version(staged):
    p = staged["params"]
    out = p.validate_dir
    files = {"validated.csv", "data_version", "quarantine.csv", "validation.json"}
    assert {f.name for f in out.iterdir()} == files
    cfg = stage_config(p)
    raw = load_frame(cfg)
    assert (out / "data_version").read_text().strip() == data_version(raw)
    back = read_validated(cfg, out / "validated.csv")
    assert back.shape == (7043, 20) and back.index.is_unique
    assert json.loads((out / "validation.json").read_text())["n_bad"] == 0
    np.testing.assert_array_equal(back["TotalCharges"], staged["checked"].clean["TotalCharges"])


def test_stages_reproduce_the_in_memory_pipeline_run(staged, tmp_path):
    cfg = stage_config(staged["params"])
    ref = run(cfg.model_copy(update={"output_dir": tmp_path}))
    assert staged["ev"].metrics == ref.metrics  # same rows, split, model: the same floats
    written = json.loads((staged["params"].evaluate_dir / "metrics.json").read_text())
    assert written == ref.metrics


def test_saved_model_predicts_like_the_in_memory_one(staged):
    p = staged["params"]
    cfg = stage_config(p)
    X_test = split(read_validated(cfg, p.validate_dir / "validated.csv"), cfg).X_test
    loaded = load_model(p.model_dir)
    assert (p.model_dir / "model.skops").is_file() and not list(p.model_dir.glob("*.pkl"))
    np.testing.assert_allclose(loaded.predict_proba(X_test), staged["model"].predict_proba(X_test),
                               rtol=0, atol=1e-12)  # fmt: skip
    mlmodel = yaml.safe_load((p.model_dir / "MLmodel").read_text())
    assert mlmodel["flavors"]["sklearn"]["serialization_format"] == "skops"


def test_load_model_refuses_a_folder_without_mlmodel(tmp_path):
    with pytest.raises(FileNotFoundError, match="MLmodel"):
        load_model(tmp_path)


# ------------------------------------------------------------------------------------- fault tests
def corrupt_csv(staged, path):
    """The validated rows truncated to 200, with a text and a negative tenure and an unknown category.

    3 bad rows of 200 are 1.5 %, above the config's 1 % limit.
    """
    frame = read_validated(stage_config(staged["params"]), staged["params"].validate_dir / "validated.csv")
    frame = frame.head(200).astype({"tenure": object, "Contract": object})
    frame.iloc[3, frame.columns.get_loc("tenure")] = "ten"
    frame.iloc[7, frame.columns.get_loc("Contract")] = "Weekly"
    frame.iloc[9, frame.columns.get_loc("tenure")] = -5
    frame.to_csv(path)
    return frame.index[[3, 7, 9]].tolist()


def test_corrupt_data_fails_validate_naming_rows_and_columns(staged, tmp_path):
    bad_ids = corrupt_csv(staged, tmp_path / "bad.csv")
    params = params_for(tmp_path / "out")
    with pytest.raises(DataContractError) as err:
        validate_stage(params, tmp_path / "bad.csv")
    message = str(err.value)
    assert all(i in message for i in bad_ids) and "tenure" in message and "Contract" in message
    quarantine = (params.validate_dir / "quarantine.csv").read_text()
    assert all(i in quarantine for i in bad_ids)
    assert not (params.validate_dir / "validated.csv").exists()  # nothing for train to pick up


def test_cli_reports_bad_data_in_one_line_and_exit_1(staged, tmp_path):
    bad_ids = corrupt_csv(staged, tmp_path / "bad.csv")
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump(params_for(tmp_path / "out").model_dump(mode="json")))
    args = ["validate", "--params", str(params), "--data", str(tmp_path / "bad.csv")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert result.output.startswith("error: telco_churn:") and bad_ids[0] in result.output
    assert "Traceback" not in result.output
    missing = CliRunner().invoke(app, ["train", "--params", str(params)])
    assert missing.exit_code == 1 and "validated.csv" in missing.output


# ------------------------------------------------------------------------------------- dvc repro
def dvc(cwd, *args):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "DVC_NO_ANALYTICS": "1"}  # fmt: skip
    done = subprocess.run([Path(sys.executable).parent / "dvc", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def ran(output):
    return [s for s in ("validate", "train", "evaluate") if f"Running stage '{s}'" in output]


@pytest.mark.slow
def test_dvc_repro_reproduces_and_reruns_only_what_changed(tmp_path):
    for name in ("dvc.yaml", "params.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    for dep in {d for s in stages.values() for d in s["deps"] if not d.startswith("${")}:
        (tmp_path / dep).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / dep, tmp_path / dep)  # the code and data the stages declare, hashed by DVC
    dvc(tmp_path, "init", "--no-scm", "-q")
    dvc(tmp_path, "config", "core.analytics", "false")
    dvc(tmp_path, "config", "core.site_cache_dir", str(tmp_path / ".site_cache"))

    assert ran(dvc(tmp_path, "repro")) == ["validate", "train", "evaluate"]
    out = tmp_path / "artifacts" / "dvc"
    first = json.loads((out / "evaluate" / "metrics.json").read_text())
    shown = json.loads(dvc(tmp_path, "metrics", "show", "--json"))
    assert next(iter(shown.values()))["data"]["artifacts/dvc/evaluate/metrics.json"]["data"] == first
    ref = run(load_config(ROOT / "configs" / "telco_churn.yaml", output_dir=tmp_path / "ref"))
    assert first == ref.metrics
    lock = yaml.safe_load((tmp_path / "dvc.lock").read_text())["stages"]
    data = next(d for d in lock["validate"]["deps"] if d["path"].endswith(".csv.gz"))
    assert data["md5"] == hashlib.md5((tmp_path / data["path"]).read_bytes()).hexdigest()

    assert ran(dvc(tmp_path, "repro")) == []  # nothing changed: nothing runs

    params = yaml.safe_load((tmp_path / "params.yaml").read_text())
    params["model"]["params"]["C"] = 0.01
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params))
    assert ran(dvc(tmp_path, "repro")) == ["train", "evaluate"]
    second = json.loads((out / "evaluate" / "metrics.json").read_text())
    assert second["roc_auc"] != first["roc_auc"]
