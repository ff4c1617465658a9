"""The data contract as a pandera ``DataFrameSchema``, built from the config's column contracts.

Numeric features are coerced to their dtype (float64 unless the config says otherwise) and checked
against ``[min, max]``; categorical features must take one of ``allowed``; every column is
non-nullable unless the config says ``nullable: true``; the index (the id column) must be unique and
complete. Extra columns are allowed (the pipeline selects its features), missing ones are not.

Examples
--------
>>> from mlweekly.mlops_pipeline import config, schemas
>>> cfg = config.load_config(config.CONFIG_DIR / "telco_churn.yaml")
>>> schemas.build_schema(cfg).name
'telco_churn'
"""

from __future__ import annotations

import pandera.pandas as pa

from mlweekly.mlops_pipeline.config import ColumnContract, PipelineConfig

__all__ = ["build_schema", "column_schema"]


def column_schema(contract: ColumnContract, *, numeric: bool) -> pa.Column:
    """One column's pandera rules from its :class:`ColumnContract`."""
    checks = []
    if contract.min is not None or contract.max is not None:
        lo = -float("inf") if contract.min is None else contract.min
        hi = float("inf") if contract.max is None else contract.max
        checks.append(pa.Check.in_range(lo, hi))
    if contract.allowed is not None:
        checks.append(pa.Check.isin(contract.allowed))
    dtype = contract.dtype or ("float64" if numeric else None)
    return pa.Column(dtype, checks, nullable=contract.nullable, coerce=dtype is not None)


def build_schema(cfg: PipelineConfig) -> pa.DataFrameSchema:
    """The pandera schema of a data set: its features, its target and its id index.

    Parameters
    ----------
    cfg : PipelineConfig

    Returns
    -------
    pandera.DataFrameSchema
        Validates a frame shaped like ``mlweekly.datasets.load(cfg.dataset).frame``.
    """
    columns = {name: column_schema(c, numeric=True) for name, c in cfg.numeric.items()}
    columns |= {name: column_schema(c, numeric=False) for name, c in cfg.categorical.items()}
    target = cfg.target.model_copy(update={"nullable": False})  # a row without a label cannot be used
    columns[cfg.target.name] = column_schema(
        target, numeric=cfg.task == "regression" or target.dtype is not None
    )
    index = pa.Index(str, unique=True, nullable=False, name=cfg.id_column) if cfg.id_column else None
    return pa.DataFrameSchema(columns, index=index, name=cfg.dataset, strict=False)
