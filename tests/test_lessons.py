"""Every lesson runs as a notebook and every one of its parity checks passes."""

import pytest

from mlweekly import curriculum, runner
from mlweekly.curriculum import VERIFIED

LESSONS = [item for item in curriculum.ITEMS if item.has_lesson]


def test_weeks_1_2_have_lessons():
    assert {"P1.01", "P1.02", "P1.03", "P1.04"} <= {item.id for item in LESSONS}


@pytest.mark.slow
@pytest.mark.parametrize("item", LESSONS, ids=[item.id for item in LESSONS])
def test_lesson_is_verified(item, tmp_path):
    result = runner.run([item], tmp_path, workers=1, timeout=600)[0]
    failed = [f"{r['quantity']}: {r['detail']}" for r in result["records"] if not r["passed"]]
    assert not failed, f"{item.id} parity checks failed: {failed}"
    assert result["error"] is None, f"{item.id}: {result['error']}"
    assert result["status"] == VERIFIED
    assert len(result["records"]) >= 3, f"{item.id} should prove itself with several checks"
