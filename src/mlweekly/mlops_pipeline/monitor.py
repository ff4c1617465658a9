"""``mlweekly monitor``: the service's logged requests against the data the model was trained on.

The *reference* is the training split of the config's data set (the same split the pipeline fits on,
so the monitor needs no stored copy of it); the *current* data are the records in the service's
request log (``<output_dir>/requests.jsonl`` by default). :func:`.monitoring.drift_report` compares
them column by column with our KS, chi-square and PSI, under the thresholds of the config's
``monitoring`` block, and Evidently writes its HTML data-drift report beside them.

Outcomes arrive later than predictions. A labels CSV with the columns ``id`` (the id ``/predict``
returned for the record) and the target adds performance monitoring: the labelled requests' accuracy,
ROC AUC and log-loss against the pipeline's holdout (``<output_dir>/predictions.csv``).

Exit codes: 0 no drift, 1 drift or degraded performance (a scheduler or CI step fails on it),
2 the inputs cannot be compared (no log, too few requests, a bad labels file, an invalid config).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlweekly.mlops_pipeline import pipeline
from mlweekly.mlops_pipeline.config import ConfigError, PipelineConfig, load_config
from mlweekly.mlops_pipeline.monitoring import DriftSummary, MonitoringError, drift_report

__all__ = ["MIN_REQUESTS", "current_frame", "labelled", "monitor", "monitor_command", "reference_frame"]

MIN_REQUESTS = 30  # fewer records cannot show drift with any power; say so instead of passing


def reference_frame(cfg: PipelineConfig) -> pd.DataFrame:
    """The training split's features: what the model learned from."""
    checked = pipeline.clean(pipeline.load_frame(cfg), cfg)
    return pipeline.split(checked.clean, cfg).X_train


def current_frame(cfg: PipelineConfig, log: pd.DataFrame) -> pd.DataFrame:
    """The logged records' features, typed as the reference (null numbers -> NaN)."""
    missing = [c for c in cfg.features if c not in log.columns]
    if missing:
        raise MonitoringError(f"the request log lacks the config's features {missing}: was it written by "
                              f"a service with another config?")  # fmt: skip
    frame = log[cfg.features].copy()
    return frame.astype({c: np.float64 for c in cfg.numeric})


def labelled(cfg: PipelineConfig, log: pd.DataFrame, labels_path: Path) -> dict:
    """``{"reference": (y, proba), "current": (y, proba)}`` for :func:`drift_report`'s ``labels``."""
    if cfg.task != "classification":
        raise MonitoringError("performance monitoring with labels supports classification configs only")
    holdout = Path(cfg.output_dir) / "predictions.csv"
    if not holdout.is_file():
        raise MonitoringError(f"no holdout predictions at {holdout}: run `mlweekly pipeline run` first")
    try:
        labels = pd.read_csv(labels_path, dtype={"id": str})
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise MonitoringError(f"cannot read labels {labels_path}: {err}") from None
    target = cfg.target.name
    if not {"id", target} <= set(labels.columns):
        raise MonitoringError(f"labels {labels_path} needs columns 'id' and {target!r}; "
                              f"it has {list(labels.columns)}")  # fmt: skip
    if labels["id"].duplicated().any():
        twice = labels["id"][labels["id"].duplicated()].head(5).tolist()
        raise MonitoringError(f"labels {labels_path}: duplicated ids {twice}")
    unknown = sorted(set(labels["id"]) - set(log["id"]))
    if unknown:
        raise MonitoringError(f"labels {labels_path}: {len(unknown)} id(s) not in the request log, "
                              f"e.g. {unknown[:5]}")  # fmt: skip
    joined = log[["id", "probability"]].merge(labels[["id", target]], on="id", how="inner")
    ref = pd.read_csv(holdout)
    current = (joined[target].to_numpy(), joined["probability"].to_numpy(dtype=np.float64))
    return {"reference": (ref["y_true"].to_numpy(), ref["y_score"].to_numpy()), "current": current}


def monitor(cfg: PipelineConfig, requests_path: Path, *, labels_path: Path | None = None,
            report_path: Path | None = None, min_requests: int = MIN_REQUESTS) -> DriftSummary:  # fmt: skip
    """Drift (and, with labels, performance) of the logged requests; writes the Evidently report.

    Raises
    ------
    MonitoringError
        No log, fewer than ``min_requests`` records, or labels that do not fit the log.
    """
    from mlweekly.mlops_pipeline.service import read_request_log

    if not Path(requests_path).is_file():
        raise MonitoringError(f"no request log at {requests_path}: start `mlweekly serve` and send it "
                              f"requests first")  # fmt: skip
    log = read_request_log(requests_path)
    if len(log) < min_requests:
        raise MonitoringError(f"{len(log)} logged request(s) in {requests_path}; at least {min_requests} "
                              f"are needed to test for drift")  # fmt: skip
    config = cfg.monitoring.model_copy(
        update={"columns": cfg.monitoring.columns or cfg.features, "categorical": list(cfg.categorical)}
    )
    labels = labelled(cfg, log, Path(labels_path)) if labels_path is not None else None
    return drift_report(reference_frame(cfg), current_frame(cfg, log), config, labels=labels,
                        html_path=report_path)  # fmt: skip


def monitor_command(config_path: Path, requests_path: Path | None, labels_path: Path | None,
                    report_path: Path | None) -> int:  # fmt: skip
    """Body of ``mlweekly monitor``: print the verdict, write the reports; returns the exit code."""
    try:
        cfg = load_config(config_path)
    except ConfigError as err:
        print(f"error: {err}")
        return 2
    out = Path(cfg.output_dir)
    requests_path = requests_path or out / "requests.jsonl"
    report_path = report_path or out / "drift_report.html"
    try:
        summary = monitor(cfg, requests_path, labels_path=labels_path, report_path=report_path)
    except MonitoringError as err:
        print(f"error: {err}")
        return 2
    table = summary.to_frame()[["kind", "test", "pvalue", "psi", "drifted"]]
    print(summary)
    print(table.to_string(float_format=lambda v: f"{v:.3g}"))
    if summary.performance is not None:
        ref, cur = summary.performance.reference, summary.performance.current
        print("performance (holdout -> labelled requests): "
              + ", ".join(f"{k} {ref[k]:.3f} -> {cur[k]:.3f}" for k in ref))  # fmt: skip
    summary_path = report_path.with_suffix(".json")
    summary_path.write_text(json.dumps(summary.to_dict(), indent=2, default=float) + "\n", encoding="utf-8")
    print(f"reports: {report_path} (Evidently), {summary_path}")
    return summary.exit_code
