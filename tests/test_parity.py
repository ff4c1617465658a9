"""The parity contract: verdicts, tolerances, timing, records on file."""

import json
import math

import numpy as np
import pytest

from mlweekly import parity


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    parity.clear()
    monkeypatch.delenv(parity.ENV_FILE, raising=False)
    monkeypatch.setenv(parity.ENV_LESSON, "T1")
    yield
    parity.clear()


def test_pass_within_absolute_tolerance():
    rec = parity.check("x", ours=np.array([1.0, 2.0]), reference=np.array([1.0, 2.0 + 1e-9]), atol=1e-8)
    assert rec.passed and rec.lesson == "T1"
    assert rec.max_abs_err == pytest.approx(1e-9, rel=1e-3)


def test_fail_outside_tolerance_is_recorded_not_raised():
    rec = parity.check("x", ours=[1.0, 2.0], reference=[1.0, 2.1], atol=1e-8)
    assert not rec.passed
    assert "1 of 2 elements" in rec.detail and "2.1" in rec.detail
    assert parity.records() == [rec]


def test_relative_tolerance_scales_with_reference():
    assert parity.check("big", ours=1e6 + 1, reference=1e6, rtol=1e-5).passed
    assert not parity.check("small", ours=1.0 + 1, reference=1.0, rtol=1e-5).passed


def test_exact_by_default():
    assert parity.check("ints", ours=[1, 2, 3], reference=[1, 2, 3]).passed
    assert not parity.check("ints", ours=[1, 2, 3], reference=[1, 2, 4]).passed


def test_shape_mismatch_fails_with_reason():
    rec = parity.check("shape", ours=np.zeros(3), reference=np.zeros((3, 1)), atol=1.0)
    assert not rec.passed and "shapes differ" in rec.detail and math.isnan(rec.max_abs_err)


def test_nan_must_match_positions():
    assert parity.check("nan", ours=[np.nan, 1.0], reference=[np.nan, 1.0]).passed
    rec = parity.check("nan", ours=[np.nan, 1.0], reference=[0.0, 1.0], atol=10)
    assert not rec.passed and "NaN" in rec.detail


def test_infinities_equal_only_with_same_sign():
    assert parity.check("inf", ours=[np.inf], reference=[np.inf]).passed
    assert not parity.check("inf", ours=[np.inf], reference=[-np.inf], atol=1e300).passed


def test_callables_are_timed_and_ratio_recorded():
    rec = parity.check("timed", ours=lambda: 2.0, reference=lambda: 2.0, repeat=3)
    assert rec.ours_time is not None and rec.reference_time is not None
    assert rec.time_ratio == pytest.approx(rec.ours_time / rec.reference_time)
    assert parity.check("plain", ours=2.0, reference=2.0).time_ratio is None


def test_records_appended_to_file(tmp_path, monkeypatch):
    path = tmp_path / "p.jsonl"
    monkeypatch.setenv(parity.ENV_FILE, str(path))
    parity.check("a", ours=1, reference=1)
    parity.check("b", ours=1, reference=2)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(d["quantity"], d["passed"]) for d in lines] == [("a", True), ("b", False)]
    assert [r.quantity for r in parity.read_file(path)] == ["a", "b"]


@pytest.mark.parametrize("bad", [{"atol": -1.0}, {"rtol": math.nan}, {"atol": math.inf}])
def test_invalid_tolerance(bad):
    with pytest.raises(ValueError, match="atol and rtol"):
        parity.check("x", ours=1, reference=1, **bad)


def test_non_numeric_side_is_a_clear_error():
    with pytest.raises(TypeError, match="reference must be numeric"):
        parity.check("x", ours=[1.0], reference=["a"])


def test_table_lists_every_record():
    parity.check("a", ours=1, reference=1)
    parity.check("b", ours=1, reference=2)
    frame = parity.table()
    assert list(frame["quantity"]) == ["a", "b"]
    assert list(frame["pass"]) == ["✔", "✘"]
    assert "<table" in parity.table(html=True)
