"""The parity contract: compare ours with the reference library and record the verdict.

A lesson proves its from-scratch code right with calls like::

    from mlweekly import parity

    parity.check(
        "coef_ (diabetes, standardised)",
        ours=lambda: ours.fit(X, y).coef_,
        reference=lambda: sk.fit(X, y).coef_,
        atol=1e-8,
        why="both solve the same normal equations in float64",
    )

Each side may be a value or a zero-argument callable; callables are timed (best of ``repeat``
runs) so the record carries the time ratio. The comparison is element-wise
``|ours - reference| <= atol + rtol * |reference|`` (NumPy's ``isclose``), after checking that the
shapes agree; NaNs must sit in the same places. The verdict is recorded whether it passes or fails:
a failing check never raises inside the lesson, it marks the lesson *failing* in the run.

When the environment variable ``MLWEEKLY_PARITY_FILE`` is set (the lesson runner sets it), every
record is appended to that file as one JSON line, so records survive a lesson that later raises.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

__all__ = ["ParityRecord", "check", "records", "clear", "table"]

ENV_FILE = "MLWEEKLY_PARITY_FILE"
ENV_LESSON = "MLWEEKLY_LESSON"


@dataclass
class ParityRecord:
    """One comparison of ours with a reference.

    Attributes
    ----------
    lesson : str
        Plan id of the lesson that made the check (``""`` outside a run).
    quantity : str
        What is compared, in words (``"coef_ on diabetes"``).
    ours, reference : str
        Short text of each side (the value for scalars, a summary for arrays).
    atol, rtol : float
        The tolerance: element-wise ``|ours - ref| <= atol + rtol * |ref|``.
    passed : bool
        The verdict.
    max_abs_err, max_rel_err : float
        Largest absolute and relative difference (``nan`` when shapes differ).
    ours_time, reference_time : float or None
        Seconds per call of each side when given as callables.
    why : str
        Why this tolerance (or any remark the lesson wants beside the verdict).
    detail : str
        Why it failed when it failed (shape mismatch, NaN pattern, worst element).
    """

    lesson: str
    quantity: str
    ours: str
    reference: str
    atol: float
    rtol: float
    passed: bool
    max_abs_err: float
    max_rel_err: float
    ours_time: float | None = None
    reference_time: float | None = None
    why: str = ""
    detail: str = ""

    @property
    def time_ratio(self) -> float | None:
        """Our time divided by the reference's (``None`` if either side was not timed)."""
        if not self.ours_time or not self.reference_time:
            return None
        return self.ours_time / self.reference_time

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["time_ratio"] = self.time_ratio
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParityRecord:
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in fields})

    def _repr_html_(self) -> str:
        return table([self], html=True)

    def __str__(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        ratio = self.time_ratio
        speed = f", time ratio {ratio:.2f}" if ratio is not None else ""
        extra = f" — {self.detail}" if self.detail else ""
        return (
            f"[{verdict}] {self.quantity}: max|Δ|={self.max_abs_err:.3g} "
            f"(atol={self.atol:g}, rtol={self.rtol:g}){speed}{extra}"
        )


_RECORDS: list[ParityRecord] = []


def _timed(side: Any, repeat: int) -> tuple[Any, float | None]:
    if not callable(side):
        return side, None
    best = math.inf
    value = None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        value = side()
        best = min(best, time.perf_counter() - start)
    return value, best


def _summary(value: np.ndarray) -> str:
    if value.ndim == 0:
        return _fmt(value.item())
    flat = value.ravel()
    head = ", ".join(_fmt(v) for v in flat[:3])
    more = ", …" if flat.size > 3 else ""
    return f"{value.dtype.kind}{list(value.shape)} [{head}{more}]"


def _fmt(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.10g}"
    return str(v)


def _as_array(value: Any, side: str, quantity: str) -> np.ndarray:
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"parity.check({quantity!r}): {side} is not array-like: {exc}") from exc
    if arr.dtype.kind not in "biufc":
        raise TypeError(
            f"parity.check({quantity!r}): {side} must be numeric or boolean, got dtype {arr.dtype}"
        )
    return arr


def compare(ours: Any, reference: Any, *, atol: float, rtol: float) -> tuple[bool, float, float, str]:
    """Compare two array-likes; return ``(passed, max_abs_err, max_rel_err, detail)``."""
    a, b = np.asarray(ours), np.asarray(reference)
    if a.shape != b.shape:
        return False, math.nan, math.nan, f"shapes differ: ours {a.shape}, reference {b.shape}"
    if a.size == 0:
        return True, 0.0, 0.0, ""
    a = a.astype(np.complex128 if np.iscomplexobj(a) or np.iscomplexobj(b) else np.float64)
    b = b.astype(a.dtype)
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    if not np.array_equal(nan_a, nan_b):
        return False, math.nan, math.nan, "NaNs in different places"
    ok = ~nan_a
    a, b = a[ok], b[ok]
    if a.size == 0:
        return True, 0.0, 0.0, ""
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = np.abs(a - b)
        same_inf = np.isinf(a) & (a == b)
        diff[same_inf] = 0.0
        rel = np.where(np.abs(b) > 0, diff / np.abs(b), np.where(diff > 0, np.inf, 0.0))
        close = (diff <= atol + rtol * np.abs(b)) | same_inf
    passed = bool(np.all(close))
    detail = ""
    if not passed:
        worst = int(np.argmax(np.where(close, -np.inf, diff)))
        detail = (
            f"{int((~close).sum())} of {close.size} elements outside tolerance; "
            f"worst: ours {_fmt(a[worst])} vs reference {_fmt(b[worst])}"
        )
    return passed, float(diff.max()), float(rel.max()), detail


def check(
    quantity: str,
    ours: Any,
    reference: Any,
    *,
    atol: float = 0.0,
    rtol: float = 0.0,
    why: str = "",
    repeat: int = 1,
    lesson: str | None = None,
) -> ParityRecord:
    """Compare ours with the reference and record the verdict.

    Parameters
    ----------
    quantity : str
        What is compared, in words; it names the row of the parity table.
    ours, reference : array-like or callable
        The two sides. A zero-argument callable is called (``repeat`` times, best time kept)
        and its result compared; its time goes into the record.
    atol, rtol : float, default=0.0
        Absolute and relative tolerance; at least one must be stated (both zero means exact).
    why : str, default=""
        Why the tolerance is what it is; shown beside the verdict in the journal.
    repeat : int, default=1
        Number of timed calls of each callable side.
    lesson : str, optional
        Plan id of the lesson; defaults to the ``MLWEEKLY_LESSON`` environment variable.

    Returns
    -------
    ParityRecord
        The record (also kept in :func:`records` and appended to ``$MLWEEKLY_PARITY_FILE``).
    """
    if atol < 0 or rtol < 0 or not (math.isfinite(atol) and math.isfinite(rtol)):
        raise ValueError(f"parity.check({quantity!r}): atol and rtol must be finite and >= 0")
    ours_value, ours_time = _timed(ours, repeat)
    ref_value, ref_time = _timed(reference, repeat)
    a = _as_array(ours_value, "ours", quantity)
    b = _as_array(ref_value, "reference", quantity)
    passed, max_abs, max_rel, detail = compare(a, b, atol=atol, rtol=rtol)
    record = ParityRecord(
        lesson=lesson if lesson is not None else os.environ.get(ENV_LESSON, ""),
        quantity=quantity,
        ours=_summary(a),
        reference=_summary(b),
        atol=float(atol),
        rtol=float(rtol),
        passed=passed,
        max_abs_err=max_abs,
        max_rel_err=max_rel,
        ours_time=ours_time,
        reference_time=ref_time,
        why=why,
        detail=detail,
    )
    _RECORDS.append(record)
    path = os.environ.get(ENV_FILE)
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record.to_dict()) + "\n")
    return record


def records() -> list[ParityRecord]:
    """All records made in this process, in order."""
    return list(_RECORDS)


def clear() -> None:
    """Forget the records made in this process (the file, if any, is left alone)."""
    _RECORDS.clear()


def read_file(path: str | os.PathLike) -> list[ParityRecord]:
    """Read the records a lesson appended to a parity file."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(ParityRecord.from_dict(json.loads(line)))
    return out


def table(recs: list[ParityRecord] | None = None, *, html: bool = False) -> Any:
    """The parity table: a pandas DataFrame, or its HTML when ``html=True``.

    In a lesson, end with ``parity.table()`` so the notebook shows every verdict it made.
    """
    import pandas as pd

    recs = records() if recs is None else recs
    rows = [
        {
            "quantity": r.quantity,
            "ours": r.ours,
            "reference": r.reference,
            "max |Δ|": r.max_abs_err,
            "atol": r.atol,
            "rtol": r.rtol,
            "pass": "✔" if r.passed else "✘",
            "time ratio": r.time_ratio,
        }
        for r in recs
    ]
    frame = pd.DataFrame(rows)
    return frame.to_html(index=False, classes="parity", na_rep="") if html else frame
