"""The run's configuration: one YAML file per data set, loaded into a typed, validated object.

Everything a run needs that is a *choice* rather than code lives in the file — the data set, the
target, the features and their data contract (type, range, allowed values, nullability), the model
and its hyper-parameters, the split, the bad-row limit, the holdout metric and where artifacts go —
so a new data set or model is a new file, not a code change. :func:`load_config` turns the YAML
into :class:`PipelineConfig` (pydantic v2); a bad file raises :class:`ConfigError` naming the key.

Examples
--------
>>> from mlweekly.mlops_pipeline import config
>>> cfg = config.load_config(config.CONFIG_DIR / "telco_churn.yaml")
>>> cfg.dataset, cfg.target.name, cfg.metric.name
('telco_churn', 'Churn', 'roc_auc')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mlweekly.mlops_pipeline.monitoring import MonitorConfig

__all__ = [
    "CLASSIFIERS", "CONFIG_DIR", "METRICS", "REGRESSORS", "ColumnContract", "ConfigError", "MetricConfig",
    "ModelConfig", "PipelineConfig", "SplitConfig", "TargetConfig", "ValidationConfig", "load_config",
    "read_model",
]  # fmt: skip

# The repository's configs/ folder (src/mlweekly/mlops_pipeline/config.py -> ../../../configs).
CONFIG_DIR = Path(__file__).resolve().parents[3] / "configs"

# Model names a config may use, per task (the factory lives in pipeline.py).
CLASSIFIERS = ("logistic_regression", "mlweekly_logistic_regression")
REGRESSORS = ("ridge", "hist_gradient_boosting")
# Holdout metrics per task and the direction in which they improve.
METRICS = {
    "classification": {
        "roc_auc": "maximize",
        "accuracy": "maximize",
        "log_loss": "minimize",
        "brier": "minimize",
    },
    "regression": {"rmse": "minimize", "mae": "minimize", "r2": "maximize"},
}


class ConfigError(ValueError):
    """The configuration file is missing, not YAML, or breaks a rule; the message names the key."""


class _Strict(BaseModel):
    # Unknown keys are errors: a typo ("max_bad_fractoin") must not silently fall back to a default.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnContract(_Strict):
    """The data contract of one column: type, range, allowed values, nullability."""

    dtype: str | None = None  # pandas dtype to coerce to; None: float64 for numerics, as-is for categoricals
    min: float | None = None
    max: float | None = None
    allowed: list[Any] | None = None
    nullable: bool = False

    @model_validator(mode="after")
    def _range(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self


class TargetConfig(ColumnContract):
    """The target column: its name plus its contract (never nullable)."""

    name: str


class ModelConfig(_Strict):
    name: str
    params: dict[str, Any] = Field(default_factory=dict)


class SplitConfig(_Strict):
    test_size: float = Field(0.2, gt=0, lt=1)
    random_state: int = 0
    stratify: bool = True


class ValidationConfig(_Strict):
    max_bad_fraction: float = Field(0.01, ge=0, le=1)


class MetricConfig(_Strict):
    name: str
    direction: Literal["maximize", "minimize"]


class PipelineConfig(_Strict):
    """A whole run. ``numeric``/``categorical`` map each feature to its :class:`ColumnContract`."""

    dataset: str
    task: Literal["classification", "regression"]
    target: TargetConfig
    id_column: str | None = None
    numeric: dict[str, ColumnContract] = Field(default_factory=dict)
    categorical: dict[str, ColumnContract] = Field(default_factory=dict)
    model: ModelConfig
    split: SplitConfig = SplitConfig()
    validation: ValidationConfig = ValidationConfig()
    metric: MetricConfig
    output_dir: Path = Path("artifacts")
    monitoring: MonitorConfig = MonitorConfig()  # drift thresholds for `mlweekly monitor`

    @property
    def features(self) -> list[str]:
        """Numeric then categorical feature names, the order the pipeline sees them."""
        return [*self.numeric, *self.categorical]

    @model_validator(mode="after")
    def _consistent(self):
        if not self.features:
            raise ValueError("numeric and categorical are both empty: the model needs at least one feature")
        both = set(self.numeric) & set(self.categorical)
        if both:
            raise ValueError(f"features listed as both numeric and categorical: {sorted(both)}")
        if self.target.name in self.features:
            raise ValueError(f"target {self.target.name!r} is also listed as a feature (leakage)")
        models = CLASSIFIERS if self.task == "classification" else REGRESSORS
        if self.model.name not in models:
            raise ValueError(
                f"model.name {self.model.name!r} is not a {self.task} model; choose one of {models}"
            )
        metrics = METRICS[self.task]
        if self.metric.name not in metrics:
            raise ValueError(
                f"metric.name {self.metric.name!r} is not a {self.task} metric; choose one of "
                f"{sorted(metrics)}"
            )
        if self.metric.direction != metrics[self.metric.name]:
            raise ValueError(f"metric.direction for {self.metric.name} must be {metrics[self.metric.name]!r}")
        for name, col in self.categorical.items():
            if not col.allowed:
                raise ValueError(f"categorical.{name}.allowed must list the allowed categories")
        return self


def load_config(path: str | Path | dict, **overrides: Any) -> PipelineConfig:
    """Read a YAML config (or a dict) into a validated :class:`PipelineConfig`.

    Parameters
    ----------
    path : str, Path or dict
        The YAML file, or its already parsed content.
    **overrides
        Top-level keys to replace after reading (e.g. ``output_dir=tmp_path``).

    Returns
    -------
    PipelineConfig

    Raises
    ------
    ConfigError
        The file is missing or not a YAML mapping, or a key is missing, unknown or invalid; the
        message names each offending key as a dotted path (``split.test_size``).
    """
    return read_model(path, PipelineConfig, "config", **overrides)


def read_model(path: str | Path | dict, cls: type[BaseModel], what: str, /, **overrides: Any):
    """Read a YAML file (or its parsed dict) into the pydantic model ``cls``; ``overrides`` replace its keys.

    Raises
    ------
    ConfigError
        The file is missing or not a YAML mapping, or keys are invalid: each named as a dotted path.
    """
    if isinstance(path, dict):
        raw, where = dict(path), what
    else:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"{what} file not found: {path}")
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            raise ConfigError(f"{path} is not valid YAML: {err}") from None
        where = str(path)
        if not isinstance(raw, dict):
            raise ConfigError(f"{path} must hold a YAML mapping of keys, got {type(raw).__name__}")
    raw.update(overrides)
    try:
        return cls.model_validate(raw)
    except ValidationError as err:
        lines = [f"  {'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in err.errors()]
        raise ConfigError(f"invalid {what} {where}:\n" + "\n".join(lines)) from None
