"""The drift monitor: verdicts, summaries, config, errors, performance and the Evidently report."""

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st

from mlweekly.mlops_pipeline.monitoring import (
    MonitorConfig,
    MonitoringError,
    drift_report,
    evidently_report,
    load_monitor_config,
    performance_report,
)


@pytest.fixture(scope="module")
def frames():
    rng = np.random.default_rng(0)
    n, m = 600, 500
    ref = pd.DataFrame({"x": rng.normal(size=n), "y": rng.exponential(size=n),
                        "c": pd.Categorical(rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]))})  # fmt: skip
    cur = pd.DataFrame({"x": rng.normal(size=m), "y": rng.exponential(size=m),
                        "c": pd.Categorical(rng.choice(["a", "b", "c"], m, p=[0.5, 0.3, 0.2]))})  # fmt: skip
    return ref, cur


def test_no_drift_on_same_distribution(frames):
    summary = drift_report(*frames)
    assert summary.drifted_columns == [] and summary.exit_code == 0
    assert summary.alpha_per_column == pytest.approx(0.05 / 3)
    assert "0 of 3 columns drifted" in str(summary)


def test_shift_and_mix_change_are_flagged_with_reasons(frames):
    ref, cur = frames
    cur = cur.assign(x=cur["x"] + 1.0, c=pd.Categorical(np.where(np.arange(len(cur)) % 2, "c", cur["c"])))
    summary = drift_report(ref, cur)
    assert summary.drifted_columns == ["x", "c"] and summary.exit_code == 1
    table = summary.to_frame()
    assert table.loc["x", "test"] == "ks" and table.loc["c", "test"] == "chi2"
    assert "ks p=" in table.loc["x", "reasons"] and "PSI" in table.loc["x", "reasons"]
    assert "x:" in str(summary) and "c:" in str(summary)
    # the numbers in the summary are scipy's
    ref_ks = st.ks_2samp(ref["x"], cur["x"])
    assert table.loc["x", "pvalue"] == pytest.approx(ref_ks.pvalue, rel=1e-10)


def test_rule_and_threshold_come_from_config(frames):
    ref, cur = frames
    cur = cur.assign(x=cur["x"] + 0.4)  # significant, but PSI (about 0.4² = 0.16) below 0.25
    by_any = drift_report(ref, cur, {"rule": "any"})
    by_psi = drift_report(ref, cur, {"rule": "psi"})
    assert "x" in by_any.drifted_columns and by_psi.drifted_columns == []
    assert by_any.to_frame().loc["x", "psi"] < 0.25


def test_config_from_yaml_section(tmp_path):
    path = tmp_path / "cfg.yaml"
    path.write_text("monitoring:\n  alpha: 0.01\n  psi_threshold: 0.2\n  correction: none\n")
    cfg = load_monitor_config(path)
    assert (cfg.alpha, cfg.psi_threshold, cfg.correction) == (0.01, 0.2, "none")


def test_config_rejects_unknown_and_bad_keys():
    with pytest.raises(MonitoringError, match="alpah"):
        MonitorConfig.from_dict({"alpah": 0.05})
    with pytest.raises(MonitoringError, match="alpha"):
        MonitorConfig.from_dict({"alpha": 2})


def test_missing_column_is_named(frames):
    ref, cur = frames
    with pytest.raises(MonitoringError, match=r"current frame lacks column\(s\) \['y'\]"):
        drift_report(ref, cur.drop(columns="y"))


def test_mismatched_dtype_is_named(frames):
    ref, cur = frames
    with pytest.raises(MonitoringError, match="mismatched dtypes: x"):
        drift_report(ref, cur.assign(x=cur["x"].astype(str)))


def test_empty_frame_is_rejected(frames):
    ref, cur = frames
    with pytest.raises(MonitoringError, match="current frame is empty"):
        drift_report(ref, cur.iloc[:0])


def test_missing_values_are_dropped_and_counted(frames):
    ref, cur = frames
    cur = cur.copy()
    cur.loc[:9, "x"] = np.nan
    row = drift_report(ref, cur).to_frame().loc["x"]
    assert row["dropped_missing"] == 10 and row["n_current"] == len(cur) - 10


def test_performance_degradation_is_flagged():
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 400)
    good = np.clip(0.8 * y + 0.1 + rng.normal(0, 0.05, 400), 0, 1)
    flipped = np.where(np.arange(400) < 150, 1 - y, y)  # a segment whose labels changed: concept drift
    same = performance_report(y, good, y, good)
    worse = performance_report(y, good, flipped, good)
    assert not same.degraded and worse.degraded
    assert any(r.startswith("accuracy") for r in worse.reasons)
    assert worse.current["roc_auc"] < worse.reference["roc_auc"]


def test_performance_rejects_single_class():
    with pytest.raises(MonitoringError, match="single class"):
        performance_report([0, 0], [0.1, 0.2], [0, 1], [0.1, 0.9])


def test_labels_enter_the_summary(frames):
    y = np.array([0, 1] * 50)
    p = np.where(y == 1, 0.9, 0.1)
    summary = drift_report(*frames, labels={"reference": (y, p), "current": (1 - y, p)})
    assert summary.performance.degraded and summary.exit_code == 1
    assert "performance degraded" in str(summary)


def test_evidently_report_agrees_and_writes_html(frames, tmp_path, monkeypatch):
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    ref, cur = frames
    cur = cur.assign(x=cur["x"] + 1.0)
    path = tmp_path / "drift.html"
    ours = drift_report(ref, cur, {"correction": "none"}, html_path=path)
    assert path.stat().st_size > 0 and "<html" in path.read_text(encoding="utf-8")[:2000].lower()
    theirs = evidently_report(ref, cur)
    assert theirs["x"]["method"] == "ks" and theirs["c"]["method"] == "chisquare"
    assert theirs["x"]["value"] == pytest.approx(ours.to_frame().loc["x", "pvalue"], rel=1e-10)
    assert {c for c, r in theirs.items() if r["drifted"]} == set(ours.drifted_columns)
