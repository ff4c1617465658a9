"""The `mlweekly` command end to end: plan, run, lesson, unknown ids, data list."""

import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

from mlweekly import cli as cli_module
from mlweekly import curriculum
from mlweekly.cli import app

from .conftest import FAILING_CHECK

cli = CliRunner()


@pytest.fixture(autouse=True)
def _wide_consoles(monkeypatch):
    """Rich folds table cells to the terminal width; a fixed wide console keeps the text whole."""
    monkeypatch.setattr(cli_module, "console", Console(width=250))
    monkeypatch.setattr(cli_module, "err", Console(width=250, stderr=True))


def test_plan_text_lists_every_phase_and_item(tmp_path):
    out = cli.invoke(app, ["plan", "--journal", str(tmp_path)])
    assert out.exit_code == 0, out.output
    for phase in ("Foundations", "Phase I", "Phase II", "Projects", "Portfolio"):
        assert phase in out.output
    assert "P1.01" in out.output and "Graph ML" in out.output and "PF5" in out.output


def test_plan_json(tmp_path):
    out = cli.invoke(app, ["plan", "--json", "--journal", str(tmp_path)])
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert len(data["items"]) == 67
    assert data["items"][4]["id"] == "P1.01"
    assert set(data["counts"]) == {"Foundations", "Phase I", "Phase II", "Projects", "Portfolio"}
    assert sum(data["counts"]["Phase I"].values()) == 30


def test_run_one_lesson_then_plan_marks_it_verified(fake_lessons, tmp_path):
    fake_lessons("P1.01")
    journal = tmp_path / "journal"
    out = cli.invoke(app, ["run", "P1.01", "--journal", str(journal)])
    assert out.exit_code == 0, out.output
    assert "mean of 0..9" in out.output and "verified" in out.output
    assert (journal / "results.json").exists() and (journal / "index.html").exists()
    plan = json.loads(cli.invoke(app, ["plan", "--json", "--journal", str(journal)]).stdout)
    marks = {item["id"]: item["mark"] for item in plan["items"]}
    assert marks["P1.01"] == "verified"


def test_failing_lesson_exits_non_zero_and_says_why(fake_lessons, tmp_path):
    fake_lessons("P1.02", FAILING_CHECK)
    out = cli.invoke(app, ["run", "P1.02", "--journal", str(tmp_path)])
    assert out.exit_code == 1
    assert "P1.02" in out.output and "parity checks failed: mean of 0..9" in out.output


def test_lesson_command_prints_its_page(fake_lessons, tmp_path):
    fake_lessons("P1.03")
    out = cli.invoke(app, ["lesson", "p1.03", "--journal", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert "Lesson page:" in out.output and "P1.03.html" in out.output
    assert (tmp_path / "lessons" / "P1.03.html").exists()


def test_unknown_id_lists_closest(tmp_path):
    out = cli.invoke(app, ["run", "P1.011", "--journal", str(tmp_path)])
    assert out.exit_code == 2
    assert "Unknown plan id" in out.output and "P1.01" in out.output


def test_data_list_shows_bundled_and_vendored_sets():
    out = cli.invoke(app, ["data", "list"])
    assert out.exit_code == 0, out.output
    for name in ("iris", "diabetes", "california_housing", "telco_churn", "adult", "compas", "mnist"):
        assert name in out.output


def test_lesson_missing_an_extra_is_skipped_not_failed(fake_lessons, tmp_path, monkeypatch):
    from mlweekly import runner

    monkeypatch.setitem(runner.EXTRA_OF_MODULE, "mlweekly_absent_module_for_tests", "deep")
    fake_lessons("P1.17", "# %%\nimport mlweekly_absent_module_for_tests\n")
    out = cli.invoke(app, ["run", "P1.17", "--journal", str(tmp_path)], catch_exceptions=False)
    assert out.exit_code == 0
    assert "P1.17" in out.output and "skipped" in out.output and "`deep` extra" in out.output
    plan = json.loads(cli.invoke(app, ["plan", "--json", "--journal", str(tmp_path)]).stdout)
    assert {i["id"]: i["mark"] for i in plan["items"]}["P1.17"] == "not run"


def test_pipeline_run_bad_config_names_the_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    src = (curriculum.REPO_ROOT / "configs" / "telco_churn.yaml").read_text(encoding="utf-8")
    bad.write_text(src.replace("test_size: 0.2", "test_size: 2.0"), encoding="utf-8")
    assert "test_size: 2.0" in bad.read_text(encoding="utf-8")
    out = cli.invoke(app, ["pipeline", "run", "--config", str(bad)])
    assert out.exit_code == 2
    assert "split.test_size" in out.output


def test_pipeline_run_missing_config_is_a_usage_error(tmp_path):
    out = cli.invoke(app, ["pipeline", "run", "--config", str(tmp_path / "nope.yaml")])
    assert out.exit_code == 2 and "does not exist" in out.output
