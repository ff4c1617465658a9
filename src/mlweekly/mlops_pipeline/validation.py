"""Validate a frame against its data contract: clean rows out, bad rows reported and quarantined.

Nothing is dropped silently: every rejected row is listed by row and column in the report (pandera's
lazy ``failure_cases``: which check failed on which value) and written, with its reasons, to a
quarantine CSV. A run may tolerate a few bad rows (``max_bad_fraction``); above that, or when the
frame is broken as a whole (a missing column), :class:`DataContractError` stops it.

Examples
--------
>>> from mlweekly import datasets
>>> from mlweekly.mlops_pipeline import config, schemas, validation
>>> cfg = config.load_config(config.CONFIG_DIR / "telco_churn.yaml")
>>> result = validation.validate(datasets.load("telco_churn").frame, schemas.build_schema(cfg), 0.01)
>>> result.n_bad, len(result.clean)
(0, 7043)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

__all__ = ["DataContractError", "ValidationResult", "validate"]

_REPORT_COLUMNS = ["index", "column", "check", "failure_case"]


class DataContractError(ValueError):
    """The data breaks its contract beyond what the run tolerates; ``failures`` holds the cases."""

    def __init__(self, message: str, failures: pd.DataFrame):
        super().__init__(message)
        self.failures = failures


@dataclass
class ValidationResult:
    """What :func:`validate` found.

    Attributes
    ----------
    clean : DataFrame
        The rows that pass, coerced to the contract's dtypes.
    bad : DataFrame
        The rejected rows as they came in, plus a ``reason`` column ("column: check (value); ...").
    failures : DataFrame
        One line per failed check: ``index`` (row label), ``column``, ``check``, ``failure_case``.
    n_rows : int
        Rows in the input.
    quarantine_path : Path or None
        Where ``bad`` was written.
    """

    clean: pd.DataFrame
    bad: pd.DataFrame
    failures: pd.DataFrame
    n_rows: int
    quarantine_path: Path | None = None

    @property
    def n_bad(self) -> int:
        return len(self.bad)

    @property
    def bad_fraction(self) -> float:
        return self.n_bad / self.n_rows if self.n_rows else 0.0

    def summary(self) -> dict:
        """A JSON-ready report: counts, fraction, and failures per (column, check)."""
        counts = self.failures.groupby(["column", "check"], dropna=False).size()
        return {
            "n_rows": self.n_rows, "n_clean": len(self.clean), "n_bad": self.n_bad,
            "bad_fraction": self.bad_fraction,
            "failures": [{"column": c, "check": k, "count": int(n)} for (c, k), n in counts.items()],
            "quarantine_path": None if self.quarantine_path is None else str(self.quarantine_path),
        }  # fmt: skip


def _failure_cases(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """pandera's lazy failure cases, or an empty table when the frame passes."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        return err.failure_cases[_REPORT_COLUMNS].copy()
    return pd.DataFrame(columns=_REPORT_COLUMNS)


def _row_failures(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Failures tied to rows, and those tied to the frame as a whole (no row label).

    A value that cannot be coerced (``"abc"`` in a numeric column) makes pandera's later checks on
    that column fail as a whole (comparing str with float), hiding every other bad value in it. So
    a second pass validates the frame with those cells blanked, and the blanked cells' own
    ``not_nullable`` cases are dropped: each bad cell is reported once per failed check.
    """
    first = _failure_cases(frame, schema)
    coerce = first[
        first["index"].notna() & first["check"].astype(str).str.startswith(("coerce_dtype", "dtype("))
    ]
    if coerce.empty:
        return first[first["index"].notna()], first[first["index"].isna()]
    blanked = frame.astype({c: object for c in coerce["column"].unique()})
    for col, idx in coerce.groupby("column")["index"]:
        blanked.loc[blanked.index.isin(idx), col] = None
        if pd.api.types.is_numeric_dtype(schema.columns[col].dtype.type):  # "1" -> 1 once "ten" is gone
            blanked[col] = pd.to_numeric(blanked[col])
    second = _failure_cases(blanked, schema)
    cells = set(zip(coerce["index"], coerce["column"], strict=True))
    again = [(i, c) in cells for i, c in zip(second["index"], second["column"], strict=True)]
    second = second[~pd.Series(again, index=second.index, dtype=bool)]
    rows = pd.concat([coerce, second[second["index"].notna()]], ignore_index=True)
    return rows, second[second["index"].isna()]


def _reasons(failures: pd.DataFrame) -> pd.Series:
    text = failures["column"].astype(str) + ": " + failures["check"].astype(str) + " (" + \
        failures["failure_case"].astype(str) + ")"  # fmt: skip
    return text.groupby(failures["index"]).agg("; ".join)


def validate(
    frame: pd.DataFrame,
    schema: pa.DataFrameSchema,
    max_bad_fraction: float = 0.0,
    quarantine_path: str | Path | None = None,
) -> ValidationResult:
    """Split ``frame`` into rows that meet ``schema`` and rows that do not.

    Parameters
    ----------
    frame : DataFrame
        The data, indexed by a unique row id (``customerID`` for Telco). Rows are reported by it.
    schema : pandera.DataFrameSchema
        The contract, e.g. :func:`mlweekly.mlops_pipeline.schemas.build_schema`.
    max_bad_fraction : float, default=0.0
        Largest tolerated share of bad rows; more raises :class:`DataContractError`.
    quarantine_path : str or Path, optional
        CSV file to write the bad rows to (with a ``reason`` column); written even when empty, so
        its existence proves the check ran, and before any error is raised.

    Returns
    -------
    ValidationResult

    Raises
    ------
    DataContractError
        A frame-level failure (missing column, duplicated or missing id) or too many bad rows; the
        message names the columns, checks and the first offending rows.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"validate expects a pandas DataFrame, got {type(frame).__name__}")
    if not frame.index.is_unique:
        dup = frame.index[frame.index.duplicated()].unique()[:5].tolist()
        raise DataContractError(
            f"row ids are not unique (e.g. {dup}); bad rows could not be reported by row",
            pd.DataFrame(columns=_REPORT_COLUMNS),
        )
    rows, whole = _row_failures(frame, schema)
    if not whole.empty:
        what = "; ".join(f"{c}: {k} ({v})" for c, k, v in whole[["column", "check", "failure_case"]].values)
        raise DataContractError(f"{schema.name}: the frame breaks its contract as a whole: {what}", whole)
    is_bad = frame.index.isin(rows["index"])
    bad = frame[is_bad].copy()
    bad["reason"] = _reasons(rows).reindex(bad.index)
    clean = schema.validate(frame[~is_bad])  # coerces dtypes; must pass now
    result = ValidationResult(clean, bad, rows.reset_index(drop=True), len(frame))
    if quarantine_path is not None:
        result.quarantine_path = Path(quarantine_path)
        result.quarantine_path.parent.mkdir(parents=True, exist_ok=True)
        bad.to_csv(result.quarantine_path)
    if result.bad_fraction > max_bad_fraction:
        head = "; ".join(f"row {i!r}: {r}" for i, r in bad["reason"].head(5).items())
        raise DataContractError(
            f"{schema.name}: {result.n_bad} of {result.n_rows} rows ({result.bad_fraction:.2%}) break the "
            f"contract, more than max_bad_fraction={max_bad_fraction:g}. First: {head}"
            + (f". All bad rows: {result.quarantine_path}" if quarantine_path is not None else ""),
            result.failures,
        )
    return result
