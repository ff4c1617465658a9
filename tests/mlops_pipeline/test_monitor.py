"""`mlweekly monitor`: request logs (written as the service writes them) against the training split."""

import json

import numpy as np
import pytest

from mlweekly import datasets
from mlweekly.mlops_pipeline import load_config, run
from mlweekly.mlops_pipeline.config import CONFIG_DIR
from mlweekly.mlops_pipeline.monitor import monitor_command

pytest.importorskip("evidently")


def config_file(cfg, path, **monitoring):
    """The config as a file (JSON is YAML), with monitoring thresholds replaced."""
    data = cfg.model_dump(mode="json")
    data["monitoring"].update(monitoring)
    path.write_text(json.dumps(data))
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A pipeline run (its holdout predictions.csv is the performance reference) and its config file."""
    out = tmp_path_factory.mktemp("monitor")
    cfg = load_config(CONFIG_DIR / "telco_churn.yaml", output_dir=out)
    return cfg, run(cfg), config_file(cfg, out / "config.yaml")


def write_log(path, X, proba):
    """Request-log lines in the service's format, one per row; returns the ids."""
    ids = [f"r{i}" for i in range(len(X))]
    rows = json.loads(X.astype(object).to_json(orient="records"))
    with path.open("w") as fh:
        for i, row, p in zip(ids, rows, proba, strict=True):
            fh.write(json.dumps({"time": "2026-11-25T00:00:00+00:00", "name": "telco_churn", "version": "1",
                                 "alias": "champion", "request": row, "id": i, "probability": float(p),
                                 "prediction": int(p > 0.5)}) + "\n")  # fmt: skip
    return ids


def holdout(trained):
    _, result, _ = trained
    X, y = result.split.X_test, result.split.y_test
    return X, y, result.model.predict_proba(X)[:, 1]


def population(trained, n=1500):
    """Requests drawn from the same population as the training data."""
    cfg, result, _ = trained
    X = datasets.load(cfg.dataset).frame[cfg.features].sample(n, random_state=3)
    return X, result.model.predict_proba(X)[:, 1]


def test_traffic_like_the_training_data_does_not_drift(trained, tmp_path, capsys):
    X, proba = population(trained)
    write_log(tmp_path / "log.jsonl", X, proba)
    report = tmp_path / "report.html"
    assert monitor_command(trained[2], tmp_path / "log.jsonl", None, report) == 0
    out = capsys.readouterr().out
    assert "0 of 19 columns drifted" in out
    assert report.is_file() and "MonthlyCharges" in report.read_text()  # Evidently's per-column table
    assert json.loads(report.with_suffix(".json").read_text())["drifted"] is False


def test_shifted_traffic_drifts_and_exits_1_naming_the_column(trained, tmp_path, capsys):
    X, proba = population(trained)
    X = X.assign(MonthlyCharges=X["MonthlyCharges"] * 1.2)
    write_log(tmp_path / "log.jsonl", X, proba)
    assert monitor_command(trained[2], tmp_path / "log.jsonl", None, tmp_path / "r.html") == 1
    out = capsys.readouterr().out
    assert "MonthlyCharges: ks p=" in out and "1 of 19 columns drifted" in out


def test_labels_add_performance_monitoring(trained, tmp_path, capsys):
    X, y, proba = holdout(trained)
    ids = write_log(tmp_path / "log.jsonl", X, proba)
    labels = tmp_path / "labels.csv"
    labels.write_text("id,Churn\n" + "".join(f"{i},{t}\n" for i, t in zip(ids, y, strict=True)))
    # This holdout's TechSupport mix differs from the training split's at chi-square p = 0.0014 (a
    # chance imbalance of the random split that Bonferroni's alpha/19 flags): judge drift by PSI here.
    cfg = config_file(trained[0], tmp_path / "config.yaml", rule="psi")
    assert monitor_command(cfg, tmp_path / "log.jsonl", labels, tmp_path / "r.html") == 0
    assert "roc_auc 0.852 -> 0.852" in capsys.readouterr().out  # the holdout itself: identical
    # The same inputs with the outcomes flipped: the model is now worse than chance.
    labels.write_text("id,Churn\n" + "".join(f"{i},{1 - t}\n" for i, t in zip(ids, y, strict=True)))
    assert monitor_command(cfg, tmp_path / "log.jsonl", labels, tmp_path / "r.html") == 1
    assert "performance degraded: accuracy" in capsys.readouterr().out


@pytest.mark.parametrize(
    "labels_text, message",
    [("id,label\nr0,1\n", "needs columns 'id' and 'Churn'"),
     ("id,Churn\nnope,1\nr0,1\n", "1 id(s) not in the request log"),
     ("id,Churn\nr0,1\nr0,0\n", "duplicated ids ['r0']")],
)  # fmt: skip
def test_bad_labels_exit_2_saying_why(trained, tmp_path, capsys, labels_text, message):
    X, _, proba = holdout(trained)
    write_log(tmp_path / "log.jsonl", X, proba)
    (tmp_path / "labels.csv").write_text(labels_text)
    assert monitor_command(trained[2], tmp_path / "log.jsonl", tmp_path / "labels.csv", None) == 2
    assert message in capsys.readouterr().out


def test_missing_or_short_log_exits_2(trained, tmp_path, capsys):
    assert monitor_command(trained[2], tmp_path / "none.jsonl", None, None) == 2
    assert "start `mlweekly serve`" in capsys.readouterr().out
    X, _, proba = holdout(trained)
    write_log(tmp_path / "log.jsonl", X.head(5), proba[:5])
    assert monitor_command(trained[2], tmp_path / "log.jsonl", None, None) == 2
    assert "5 logged request(s)" in capsys.readouterr().out
    assert monitor_command(tmp_path / "missing.yaml", None, None, None) == 2


def test_log_from_another_config_is_refused(trained, tmp_path, capsys):
    X, _, proba = holdout(trained)
    write_log(tmp_path / "log.jsonl", X.drop(columns=["tenure"]), proba)
    assert monitor_command(trained[2], tmp_path / "log.jsonl", None, None) == 2
    assert "lacks the config's features ['tenure']" in capsys.readouterr().out
    assert np.isfinite(proba).all()
