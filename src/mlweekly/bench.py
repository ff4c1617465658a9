"""Benchmark harness: time ours against the reference on the same data, in one process.

A benchmark is a script ``benchmarks/bench_<name>.py`` that builds its data and calls
:func:`compare` once per case; ``mlweekly bench`` (or ``make bench``) runs every script and each
case writes ``benchmarks/results/<case>.json`` with the median times, the ratio ours/reference,
the target ratio, the data shape, any quality numbers (e.g. accuracy of both sides) and the
library versions. Timings live here, never in tests: a noisy machine must not turn CI red.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mlweekly.curriculum import REPO_ROOT
from mlweekly.runner import versions

BENCH_DIR = REPO_ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"


def median_time(fn: Callable[[], Any], repeats: int) -> tuple[float, list[float]]:
    """Call ``fn`` ``repeats`` times after one warm-up call; return the median and all times."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def compare(
    name: str,
    ours: Callable[[], Any],
    reference: Callable[[], Any],
    *,
    data_shape: tuple[int, ...],
    target_ratio: float,
    repeats: int = 5,
    quality: dict[str, float] | None = None,
    notes: str = "",
    results_dir: Path | None = None,
) -> dict[str, Any]:
    """Time both sides (median of ``repeats``, interleaved warm-up) and write the result file.

    Parameters
    ----------
    name : str
        Case name; the file is ``<results_dir>/<name>.json``.
    ours, reference : callable
        Zero-argument callables doing the same work on the same data.
    data_shape : tuple of int
        Shape of the data the case uses.
    target_ratio : float
        The ratio ours/reference the project aims for; the file says whether it is met.
    quality : dict, optional
        Numbers showing both sides did equal work (e.g. ``{"ours_accuracy": .., "ref_accuracy": ..}``).
    """
    ours_median, ours_times = median_time(ours, repeats)
    ref_median, ref_times = median_time(reference, repeats)
    ratio = ours_median / ref_median
    result = {
        "name": name,
        "data_shape": list(data_shape),
        "repeats": repeats,
        "ours_median_s": ours_median,
        "reference_median_s": ref_median,
        "ratio": ratio,
        "target_ratio": target_ratio,
        "target_met": ratio <= target_ratio,
        "ours_times_s": ours_times,
        "reference_times_s": ref_times,
        "quality": quality or {},
        "notes": notes,
        "versions": versions(),
        "machine": {"processor": platform.processor(), "system": platform.system()},
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    out_dir = results_dir or RESULTS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    met = "met" if result["target_met"] else "NOT met"
    print(
        f"{name}: ours {ours_median:.4f}s, reference {ref_median:.4f}s, "
        f"ratio {ratio:.2f} (target ≤ {target_ratio}, {met})"
    )
    return result


def scripts() -> list[Path]:
    """Every benchmark script, sorted."""
    return sorted(BENCH_DIR.glob("bench_*.py"))
