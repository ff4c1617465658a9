"""The plan as data: ids, titles in PLAN.md's words and order, computed marks."""

import re
from pathlib import Path

import pytest

from mlweekly import curriculum
from mlweekly.curriculum import FAILING, NO_LESSON, NOT_RUN, VERIFIED

PLAN = Path(curriculum.REPO_ROOT, "docs", "PLAN.md").read_text(encoding="utf-8")


def test_ids_in_plan_order():
    expected = (
        [f"F{k}" for k in range(1, 5)]
        + [f"P1.{k:02d}" for k in range(1, 31)]
        + [f"P2.{k:02d}" for k in range(1, 24)]
        + [f"PJ{k}" for k in range(1, 6)]
        + [f"PF{k}" for k in range(1, 6)]
    )
    assert [item.id for item in curriculum.ITEMS] == expected


def test_topic_titles_are_plan_md_words_in_order():
    checkbox = re.findall(r"^- \[[^\]]*\] (.+?)\s*$", PLAN, flags=re.M)
    topics = [t for t in checkbox if not t.startswith("✅")]
    goals = [t for t in checkbox if t.startswith("✅")]
    ours = [i.title for i in curriculum.ITEMS if i.id.startswith(("P1.", "P2."))]
    assert ours == topics
    assert [i.title for i in curriculum.ITEMS if i.id.startswith("PF")] == goals
    projects = re.findall(r"\*\*“(.+?)”\*\*", PLAN)
    assert [i.title for i in curriculum.ITEMS if i.id.startswith("PJ")] == projects


@pytest.mark.parametrize(
    ("item_id", "title"),
    [
        ("P1.01", "Linear Regression (theory + from scratch)"),
        ("P1.30", "First research paper summary (e.g., dropout, attention)"),
        ("P2.01", "Regularization (L1, L2, ElasticNet, early stopping)"),
        ("P2.23", "Graph ML (node2vec, GNNs intro)"),
        ("PJ1", "Model Garden"),
        ("PJ5", "Special Topics Sandbox"),
    ],
)
def test_anchor_titles(item_id, title):
    assert curriculum.get(item_id).title == title


def test_every_item_has_area_and_lesson_path():
    for item in curriculum.ITEMS:
        assert item.area in curriculum.AREAS
        if item.id.startswith("PF"):
            assert item.lesson_path is None and item.depends_on
        else:
            assert item.lesson_path.parent.name == item.area
            assert item.lesson_path.name.startswith(item.id.lower().replace(".", "_") + "_")
    assert len({i.slug for i in curriculum.ITEMS if i.slug}) == 62


def test_get_is_case_insensitive_and_unknown_lists_closest():
    assert curriculum.get("p1.01").id == "P1.01"
    with pytest.raises(curriculum.UnknownItemError, match=r"Closest: .*P1\.01") as info:
        curriculum.get("P1.011")
    assert "mlweekly plan" in str(info.value)


def test_select_by_area_only_takes_existing_lessons():
    chosen = curriculum.select(["ml_algorithms"])
    assert all(i.area == "ml_algorithms" and i.has_lesson for i in chosen)


def test_select_item_without_lesson_is_an_error():
    with pytest.raises(curriculum.UnknownItemError, match="has no lesson yet"):
        curriculum.select(["P2.23"])


def _with_lesson(monkeypatch, ids):
    monkeypatch.setattr(curriculum.Item, "has_lesson", property(lambda self: self.id in ids))


def test_marks(monkeypatch):
    _with_lesson(monkeypatch, {"P1.01", "P1.02", "P1.03", "P1.30"})
    results = {"P1.01": {"status": VERIFIED}, "P1.02": {"status": FAILING}, "P1.30": {"status": VERIFIED}}
    marks = curriculum.marks(results)
    assert marks["P1.01"] == VERIFIED
    assert marks["P1.02"] == FAILING
    assert marks["P1.03"] == NOT_RUN
    assert marks["P1.04"] == NO_LESSON
    assert marks["PF3"] == VERIFIED  # ticked by P1.30
    assert marks["PF5"] == NOT_RUN  # PJ2 has not run


def test_portfolio_goal_with_threshold(monkeypatch):
    ids = {f"P2.{k:02d}" for k in range(1, 24)} | {"PJ2"}
    _with_lesson(monkeypatch, ids)
    four = {f"P2.{k:02d}": {"status": VERIFIED} for k in range(1, 5)}
    assert curriculum.marks(four)["PF4"] == NOT_RUN
    five = four | {"P2.05": {"status": VERIFIED}, "PJ2": {"status": VERIFIED}}
    marks = curriculum.marks(five)
    assert marks["PF4"] == VERIFIED
    assert marks["PF1"] == marks["PF5"] == VERIFIED
