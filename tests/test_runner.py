"""Executing lessons as notebooks: verdicts, errors and the stored results."""

import json
import os

import nbformat
import pytest

from mlweekly import curriculum, runner
from mlweekly.curriculum import FAILING, SKIPPED, VERIFIED

from .conftest import FAILING_CHECK, NO_CHECKS, RAISING


def _run(write, tmp_path, source=None, item_id="P1.01"):
    if source is None:
        write(item_id)
    else:
        write(item_id, source)
    return runner.run([curriculum.get(item_id)], tmp_path / "journal", workers=1, timeout=60)[0]


def test_passing_lesson_is_verified_and_notebook_kept(fake_lessons, tmp_path):
    result = _run(fake_lessons, tmp_path)
    assert result["status"] == VERIFIED and result["error"] is None
    assert [r["quantity"] for r in result["records"]] == ["mean of 0..9"]
    assert result["records"][0]["lesson"] == "P1.01"
    nb = nbformat.read(tmp_path / "journal" / result["notebook"], as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the figure must be captured"


def test_failed_check_fails_the_lesson_and_names_it(fake_lessons, tmp_path):
    result = _run(fake_lessons, tmp_path, FAILING_CHECK)
    assert result["status"] == FAILING
    assert "1 of 1 parity checks failed: mean of 0..9" in result["error"]


def test_raising_cell_fails_with_the_exception(fake_lessons, tmp_path):
    result = _run(fake_lessons, tmp_path, RAISING)
    assert result["status"] == FAILING
    assert result["error"] == "a cell raised ValueError: boom in the lesson"
    assert len(result["records"]) == 1, "checks made before the error are kept"


def test_lesson_without_checks_is_not_verified(fake_lessons, tmp_path):
    result = _run(fake_lessons, tmp_path, NO_CHECKS)
    assert result["status"] == FAILING and "no parity checks" in result["error"]


NEEDS_EXTRA = "# %%\nimport mlweekly_absent_module_for_tests\n"


def test_lesson_missing_an_extra_is_skipped_naming_it(fake_lessons, tmp_path, monkeypatch):
    monkeypatch.setitem(runner.EXTRA_OF_MODULE, "mlweekly_absent_module_for_tests", "deep")
    result = _run(fake_lessons, tmp_path, NEEDS_EXTRA)
    assert result["status"] == SKIPPED
    assert "needs the `deep` extra" in result["error"] and ".[deep]" in result["error"]
    assert curriculum.result_mark(result) == curriculum.NOT_RUN


def test_missing_module_of_no_extra_is_a_failure(fake_lessons, tmp_path):
    result = _run(fake_lessons, tmp_path, NEEDS_EXTRA)
    assert result["status"] == FAILING
    assert "ModuleNotFoundError" in result["error"]


def test_two_workers_keep_plan_order(fake_lessons, tmp_path):
    fake_lessons("P1.02")
    fake_lessons("P1.01", FAILING_CHECK)
    items = [curriculum.get("P1.02"), curriculum.get("P1.01")]
    results = runner.run(items, tmp_path / "j", workers=2, timeout=60)
    assert [(r["id"], r["status"]) for r in results] == [("P1.02", VERIFIED), ("P1.01", FAILING)]


THREADS_LESSON = """\
# %%
import os

from mlweekly import parity

parity.check("OMP_NUM_THREADS", ours=int(os.environ.get("OMP_NUM_THREADS", "0")), reference={expected})
"""


def test_lessons_side_by_side_share_the_cores(fake_lessons, tmp_path, monkeypatch):
    for var in runner.THREAD_VARS:
        monkeypatch.delenv(var, raising=False)
    expected = max(1, (os.cpu_count() or 1) // 2)
    fake_lessons("P1.01", THREADS_LESSON.format(expected=expected))
    fake_lessons("P1.02", THREADS_LESSON.format(expected=expected))
    items = [curriculum.get("P1.01"), curriculum.get("P1.02")]
    results = runner.run(items, tmp_path / "j", workers=2, timeout=60)
    assert [r["status"] for r in results] == [VERIFIED, VERIFIED], [r["error"] for r in results]


def test_save_results_merges_latest_per_lesson(tmp_path):
    runner.save_results(tmp_path, [{"id": "P1.01", "status": FAILING}, {"id": "P1.02", "status": VERIFIED}])
    runner.save_results(tmp_path, [{"id": "P1.01", "status": VERIFIED}])
    stored = json.loads((tmp_path / "results.json").read_text())
    assert {k: v["status"] for k, v in stored["lessons"].items()} == {"P1.01": VERIFIED, "P1.02": VERIFIED}
    assert "numpy" in stored["versions"]


def test_missing_results_is_empty(tmp_path):
    assert runner.load_results(tmp_path / "nothing")["lessons"] == {}


@pytest.mark.parametrize("env_value", ["custom-journal"])
def test_journal_dir_from_environment(monkeypatch, tmp_path, env_value):
    monkeypatch.setenv("MLWEEKLY_JOURNAL", str(tmp_path / env_value))
    assert runner.default_journal_dir() == tmp_path / env_value
