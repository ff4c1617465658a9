"""Drift and performance monitoring: compare what the model sees now with what it was trained on.

:func:`drift_report` checks every shared column of a *current* frame (e.g. logged requests) against
the *reference* frame (the training data): numeric columns with the two-sample KS test and PSI over
reference deciles, categorical ones with the chi-square homogeneity test and PSI over categories
(all from :mod:`mlweekly.mlops_pipeline.drift`). A column *drifts* when its p-value falls below the
(Bonferroni-adjusted) ``alpha`` or its PSI reaches ``psi_threshold``; :class:`DriftSummary` says
which columns drifted and why, and ``exit_code`` is 1 when any did (for ``mlweekly monitor``).
Thresholds come from :class:`MonitorConfig`, loaded from a dict or a YAML file.
:func:`performance_report` compares accuracy, ROC AUC and log-loss on labelled current data with the
reference's, and :func:`evidently_report` writes Evidently's ``DataDriftPreset`` HTML report.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"x": rng.normal(size=400), "c": rng.choice(["a", "b"], 400)})
>>> cur = pd.DataFrame({"x": rng.normal(1.0, 1, size=300), "c": rng.choice(["a", "b"], 300)})
>>> summary = drift_report(ref, cur)
>>> summary.drifted_columns, summary.exit_code
(['x'], 1)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mlweekly.mlops_pipeline import drift

__all__ = [
    "MonitorConfig", "ColumnDrift", "DriftSummary", "PerformanceSummary", "MonitoringError",
    "load_monitor_config", "column_kinds", "drift_report", "performance_report", "evidently_report",
]  # fmt: skip


class MonitoringError(ValueError):
    """The frames cannot be compared (missing column, mismatched dtype, empty frame, bad config)."""


class MonitorConfig(BaseModel):
    """Thresholds of the monitor; every field has a default, unknown keys are errors.

    ``alpha`` is the family-wise significance level: with ``correction='bonferroni'`` each of the
    ``m`` tested columns uses ``alpha / m``. ``rule`` says what makes a column drift: a small
    p-value, a large PSI, either (``'any'``) or both.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    alpha: float = Field(0.05, gt=0, lt=1)
    correction: Literal["bonferroni", "none"] = "bonferroni"
    psi_threshold: float = Field(0.25, gt=0)
    psi_warning: float = Field(0.1, gt=0)
    psi_bins: int = Field(10, ge=2)
    psi_eps: float = Field(drift.PSI_EPS, gt=0, lt=1)
    rule: Literal["any", "both", "pvalue", "psi"] = "any"
    columns: list[str] | None = None
    categorical: list[str] = []
    max_accuracy_drop: float = Field(0.05, ge=0)
    max_auc_drop: float = Field(0.05, ge=0)
    max_log_loss_increase: float = Field(0.1, ge=0)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> MonitorConfig:
        try:
            return cls(**(data or {}))
        except ValidationError as exc:
            raise MonitoringError(f"bad monitor config: {exc}") from exc


def load_monitor_config(path: str | Path, section: str | None = "monitoring") -> MonitorConfig:
    """Read a :class:`MonitorConfig` from YAML: the ``section`` mapping if present, else the whole file."""
    path = Path(path)
    if not path.is_file():
        raise MonitoringError(f"monitor config {path} does not exist")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise MonitoringError(f"monitor config {path} must be a YAML mapping")
    if section and isinstance(data.get(section), dict):
        data = data[section]
    return MonitorConfig.from_dict(data)


@dataclass
class ColumnDrift:
    """The verdict on one column: its tests, PSI and the reasons it drifted (empty if it did not)."""

    column: str
    kind: str  # 'numeric' or 'categorical'
    test: str  # 'ks' or 'chi2'
    statistic: float
    pvalue: float
    psi: float
    n_reference: int
    n_current: int
    dropped_missing: int
    drifted: bool
    reasons: list[str] = field(default_factory=list)


@dataclass
class PerformanceSummary:
    """Metrics on the reference and the current labelled data and whether they degraded."""

    reference: dict[str, float]
    current: dict[str, float]
    degraded: bool
    reasons: list[str] = field(default_factory=list)


@dataclass
class DriftSummary:
    """The monitor's verdict: per-column results, the per-column alpha used, optional performance."""

    columns: list[ColumnDrift]
    alpha_per_column: float
    n_reference: int
    n_current: int
    performance: PerformanceSummary | None = None

    @property
    def drifted_columns(self) -> list[str]:
        return [c.column for c in self.columns if c.drifted]

    @property
    def drifted(self) -> bool:
        return bool(self.drifted_columns) or bool(self.performance and self.performance.degraded)

    @property
    def exit_code(self) -> int:
        """1 when any column drifted or performance degraded, else 0 (for a CLI)."""
        return int(self.drifted)

    def to_frame(self) -> pd.DataFrame:
        rows = [{**asdict(c), "reasons": "; ".join(c.reasons)} for c in self.columns]
        return pd.DataFrame(rows).set_index("column")

    def to_dict(self) -> dict[str, Any]:
        return {
            "drifted": self.drifted, "drifted_columns": self.drifted_columns,
            "alpha_per_column": self.alpha_per_column, "n_reference": self.n_reference,
            "n_current": self.n_current, "columns": [asdict(c) for c in self.columns],
            "performance": asdict(self.performance) if self.performance else None,
        }  # fmt: skip

    def __str__(self) -> str:
        head = (f"drift check: {len(self.drifted_columns)} of {len(self.columns)} columns drifted "
                f"({self.n_reference} reference rows, {self.n_current} current rows, "
                f"alpha per column {self.alpha_per_column:.3g})")
        lines = [head] + [f"  {c.column}: " + "; ".join(c.reasons) for c in self.columns if c.drifted]
        if self.performance is not None:
            p = self.performance
            state = "degraded: " + "; ".join(p.reasons) if p.degraded else "within limits"
            lines.append(f"  performance {state}")
        return "\n".join(lines)


def column_kinds(frame: pd.DataFrame, categorical: list[str] = ()) -> dict[str, str]:
    """'numeric' for int/float columns, 'categorical' for the rest (category, object, bool, string)
    and for every name in ``categorical``."""
    kinds = {}
    for name, dtype in frame.dtypes.items():
        numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
        kinds[name] = "categorical" if (name in categorical or not numeric) else "numeric"
    return kinds


def _check_frames(reference, current, config: MonitorConfig) -> tuple[list[str], dict[str, str]]:
    for name, frame in (("reference", reference), ("current", current)):
        if not isinstance(frame, pd.DataFrame):
            raise MonitoringError(f"{name} must be a pandas DataFrame; got {type(frame).__name__}")
        if frame.empty:
            raise MonitoringError(f"{name} frame is empty ({frame.shape[0]} rows, {frame.shape[1]} columns)")
    columns = list(config.columns) if config.columns is not None else list(reference.columns)
    for name, frame in (("reference", reference), ("current", current)):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise MonitoringError(f"{name} frame lacks column(s) {missing}")
    ref_kinds = column_kinds(reference[columns], config.categorical)
    cur_kinds = column_kinds(current[columns], config.categorical)
    bad = [f"{c} (reference {reference[c].dtype}, current {current[c].dtype})"
           for c in columns if ref_kinds[c] != cur_kinds[c]]  # fmt: skip
    if bad:
        raise MonitoringError(f"mismatched dtypes: {', '.join(bad)}")
    return columns, ref_kinds


def _one_column(name: str, kind: str, ref: pd.Series, cur: pd.Series, alpha: float,
                config: MonitorConfig) -> ColumnDrift:  # fmt: skip
    dropped = int(ref.isna().sum() + cur.isna().sum())
    ref, cur = ref.dropna(), cur.dropna()
    if ref.empty or cur.empty:
        raise MonitoringError(f"column {name!r} has no non-missing values in the "
                              f"{'reference' if ref.empty else 'current'} frame")  # fmt: skip
    if kind == "numeric":
        res = drift.ks_2samp(ref.to_numpy(np.float64), cur.to_numpy(np.float64))
        value = drift.psi(ref.to_numpy(np.float64), cur.to_numpy(np.float64), config.psi_bins, config.psi_eps)
        test, stat = "ks", res.statistic
    else:
        r, c = ref.astype(str).to_numpy(), cur.astype(str).to_numpy()
        res = drift.chi2_homogeneity(r, c)
        value = drift.psi_categorical(r, c, config.psi_eps)
        test, stat = "chi2", res.statistic
    by_p, by_psi = res.pvalue < alpha, value >= config.psi_threshold
    reasons = []
    if by_p:
        reasons.append(f"{test} p={res.pvalue:.3g} < {alpha:.3g}")
    if by_psi:
        reasons.append(f"PSI {value:.3f} >= {config.psi_threshold:g}")
    verdict = {"any": by_p or by_psi, "both": by_p and by_psi, "pvalue": by_p, "psi": by_psi}[config.rule]
    return ColumnDrift(name, kind, test, float(stat), float(res.pvalue), float(value), int(ref.size),
                       int(cur.size), dropped, bool(verdict), reasons if verdict else [])  # fmt: skip


def drift_report(reference: pd.DataFrame, current: pd.DataFrame,
                 config: MonitorConfig | dict | None = None, *, labels: dict | None = None,
                 html_path: str | Path | None = None) -> DriftSummary:  # fmt: skip
    """Compare ``current`` with ``reference`` column by column and say which columns drifted and why.

    Parameters
    ----------
    reference, current : DataFrame
        The training data and the data seen now; ``config.columns`` (default: all of reference's)
        must be in both, with the same kind (numeric vs categorical) in both.
    config : MonitorConfig or dict, optional
        Thresholds (defaults: alpha 0.05 Bonferroni-corrected, PSI 0.25, 10 bins).
    labels : dict, optional
        ``{"reference": (y_true, proba), "current": (y_true, proba)}`` to add performance monitoring.
    html_path : path, optional
        Also write Evidently's data-drift HTML report there.

    Returns
    -------
    DriftSummary
        ``drifted``, ``drifted_columns``, ``exit_code``, ``to_frame()``, ``str()`` for a summary.
    """
    config = config if isinstance(config, MonitorConfig) else MonitorConfig.from_dict(config)
    columns, kinds = _check_frames(reference, current, config)
    if not columns:
        raise MonitoringError("no columns to compare")
    alpha = config.alpha / len(columns) if config.correction == "bonferroni" else config.alpha
    results = [_one_column(c, kinds[c], reference[c], current[c], alpha, config) for c in columns]
    perf = None
    if labels is not None:
        missing = {"reference", "current"} - set(labels)
        if missing:
            raise MonitoringError(f"labels needs keys 'reference' and 'current'; missing {sorted(missing)}")
        perf = performance_report(*labels["reference"], *labels["current"], config=config)
    if html_path is not None:
        evidently_report(reference, current, html_path, columns=columns, kinds=kinds)
    return DriftSummary(results, alpha, len(reference), len(current), perf)


def _metrics(y, proba, name: str) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

    y, p = np.asarray(y), np.asarray(proba, dtype=np.float64)
    if y.ndim != 1 or p.ndim != 1 or y.size != p.size or y.size == 0:
        raise MonitoringError(f"{name}: y_true and proba must be 1-d, non-empty and of equal length; "
                              f"got shapes {y.shape} and {p.shape}")  # fmt: skip
    if not np.isfinite(p).all() or (p < 0).any() or (p > 1).any():
        raise MonitoringError(f"{name}: proba must be probabilities of the positive class in [0, 1]")
    if not np.isin(y, [0, 1]).all():
        raise MonitoringError(f"{name}: y_true must hold 0/1 labels")
    if np.unique(y).size < 2:
        raise MonitoringError(f"{name}: y_true has a single class; AUC needs both")
    return {"accuracy": float(accuracy_score(y, p >= 0.5)), "roc_auc": float(roc_auc_score(y, p)),
            "log_loss": float(log_loss(y, p, labels=[0, 1]))}  # fmt: skip


def performance_report(ref_y, ref_proba, cur_y, cur_proba, config: MonitorConfig | dict | None = None
                       ) -> PerformanceSummary:  # fmt: skip
    """Accuracy, ROC AUC and log-loss of a binary classifier on reference and current labelled data.

    Performance *degrades* when accuracy or AUC fall by more than ``max_accuracy_drop`` /
    ``max_auc_drop`` or log-loss rises by more than ``max_log_loss_increase`` (absolute).
    """
    config = config if isinstance(config, MonitorConfig) else MonitorConfig.from_dict(config)
    ref, cur = _metrics(ref_y, ref_proba, "reference"), _metrics(cur_y, cur_proba, "current")
    reasons = []
    for key, limit, sign in (("accuracy", config.max_accuracy_drop, 1), ("roc_auc", config.max_auc_drop, 1),
                             ("log_loss", config.max_log_loss_increase, -1)):  # fmt: skip
        change = sign * (ref[key] - cur[key])  # positive = worse
        if change > limit:
            reasons.append(f"{key} {ref[key]:.3f} -> {cur[key]:.3f} (limit {limit:g})")
    return PerformanceSummary(ref, cur, bool(reasons), reasons)


def evidently_report(reference: pd.DataFrame, current: pd.DataFrame, path: str | Path | None = None, *,
                     columns: list[str] | None = None, kinds: dict[str, str] | None = None,
                     num_method: str = "ks", cat_method: str = "chisquare",
                     threshold: float | None = None) -> dict[str, dict[str, Any]]:  # fmt: skip
    """Run Evidently's ``DataDriftPreset`` and return its per-column results; write HTML to ``path``.

    Column kinds are passed explicitly (Evidently would otherwise guess them from cardinality) and
    the index is dropped (Evidently reads a non-numeric index as time). Returns
    ``{column: {"method", "threshold", "value", "drifted"}}`` where ``value`` is the p-value for
    tests (drift when below the threshold; ``<=`` for KS) and the distance for PSI/Wasserstein
    (drift when at or above it).
    """
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    columns = list(columns) if columns is not None else list(reference.columns)
    kinds = kinds or column_kinds(reference[columns])
    num = [c for c in columns if kinds[c] == "numeric"]
    cat = [c for c in columns if kinds[c] != "numeric"]
    definition = DataDefinition(numerical_columns=num, categorical_columns=cat)

    def dataset(frame):
        return Dataset.from_pandas(frame[columns].reset_index(drop=True), data_definition=definition)

    preset = DataDriftPreset(columns=columns, num_method=num_method, cat_method=cat_method,
                             threshold=threshold)
    snapshot = Report([preset]).run(current_data=dataset(current), reference_data=dataset(reference))
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        snapshot.save_html(str(path))
    out = {}
    for metric in snapshot.dict()["metrics"]:
        cfg = metric["config"]
        if cfg.get("type", "").endswith("ValueDrift"):
            method, thr, value = cfg["method"], cfg["threshold"], float(metric["value"])
            is_test = method in ("ks", "chisquare", "z", "fisher_exact", "t_test", "mannw", "anderson",
                                 "cramer_von_mises", "g_test", "epps_singleton", "es")  # fmt: skip
            hit = (value <= thr if method == "ks" else value < thr) if is_test else value >= thr
            out[cfg["column"]] = {"method": method, "threshold": thr, "value": value, "drifted": bool(hit)}
    return out
