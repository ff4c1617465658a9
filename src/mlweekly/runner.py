"""Run lessons headlessly as notebooks and collect their parity records.

Each lesson (a jupytext percent script) is converted to a notebook and executed by nbclient in its
own kernel, ``workers`` lessons at a time (one process each, so both cores are used). The kernel
gets ``MLWEEKLY_LESSON`` and ``MLWEEKLY_PARITY_FILE`` in its environment, so every
:func:`mlweekly.parity.check` lands in a file that survives a cell that raises later. The executed
notebook is kept for the journal; the verdicts are merged into ``<journal>/results.json`` (the latest
result of every lesson ever run), which :mod:`mlweekly.curriculum` turns into the plan's marks.
"""

from __future__ import annotations

import json
import os
import platform
import re
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from mlweekly import parity
from mlweekly.curriculum import FAILING, REPO_ROOT, SKIPPED, VERIFIED, Item

RESULTS_FILE = "results.json"
NOTEBOOK_DIR = "notebooks"
_VERSIONED = ("mlweekly", "numpy", "scipy", "pandas", "scikit-learn", "statsmodels", "matplotlib", "torch")


def default_journal_dir() -> Path:
    """``$MLWEEKLY_JOURNAL`` if set, else ``journal/`` in the repository."""
    return Path(os.environ.get("MLWEEKLY_JOURNAL", REPO_ROOT / "journal"))


@dataclass
class LessonJob:
    """What a worker process needs to run one lesson (plain data, so it pickles)."""

    id: str
    title: str
    area: str
    lesson_path: str
    journal_dir: str
    timeout: int
    threads: int = 0  # BLAS/OpenMP threads for the kernel; 0 leaves the libraries' default


THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")


#: Modules that come with an optional extra: a lesson that cannot import one is skipped, not failed.
EXTRA_OF_MODULE = {
    "statsmodels": "stats",
    "torch": "deep",
    **dict.fromkeys(
        ["mlflow", "fastapi", "uvicorn", "pandera", "evidently", "prefect", "dvc", "yaml", "dockerfile_parse",
         "prometheus_client"],
        "mlops",
    ),
    **dict.fromkeys(["optuna", "xgboost", "lightgbm", "catboost", "shap"], "garden"),
    **dict.fromkeys(["streamlit", "plotly"], "apps"),
    **dict.fromkeys(["fairlearn", "lime"], "ethics"),
}


def _missing_extra(exc: BaseException) -> str | None:
    """The extra to install when a cell failed on ``import <module of an extra>``."""
    if getattr(exc, "ename", None) != "ModuleNotFoundError":
        return None
    found = re.search(r"No module named '([^'.]+)", getattr(exc, "evalue", ""))
    return EXTRA_OF_MODULE.get(found.group(1)) if found else None


def _error_text(exc: BaseException) -> str:
    """One readable paragraph for a failed lesson: the exception a cell raised, not nbclient's frame."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if isinstance(exc, CellExecutionError):
        return f"a cell raised {exc.ename}: {exc.evalue}"
    if isinstance(exc, CellTimeoutError):
        return f"a cell ran past the timeout: {str(exc).splitlines()[0]}"
    if isinstance(exc, DeadKernelError):
        return f"the kernel died: {exc}"
    return f"{type(exc).__name__}: {exc}"


def run_lesson(job: LessonJob) -> dict[str, Any]:
    """Execute one lesson as a notebook; return its result (never raises for lesson errors)."""
    import jupytext
    import nbformat
    from nbclient import NotebookClient

    journal_dir = Path(job.journal_dir)
    nb_rel = f"{NOTEBOOK_DIR}/{job.id}.ipynb"
    nb_path = journal_dir / nb_rel
    nb_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    error: str | None = None
    records: list[parity.ParityRecord] = []
    with tempfile.TemporaryDirectory(prefix=f"mlweekly-{job.id}-") as work:
        parity_file = Path(work) / "parity.jsonl"
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # the kernel's inline backend must capture figures
        env.update({parity.ENV_LESSON: job.id, parity.ENV_FILE: str(parity_file), "PYTHONHASHSEED": "0"})
        if job.threads:
            # Lessons running side by side share the cores: without a cap each kernel's BLAS would
            # start one thread per core and they thrash. A user's own setting wins.
            env.update({var: str(job.threads) for var in THREAD_VARS if var not in os.environ})
        nb = None
        skipped = None
        try:
            nb = jupytext.read(job.lesson_path)
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            client = NotebookClient(
                nb,
                timeout=job.timeout,
                kernel_name="python3",
                resources={"metadata": {"path": work}},
            )
            # The kernel's own chatter (and any crash report) goes to a log, not over the progress bar.
            with open(Path(work) / "kernel.log", "w", encoding="utf-8") as log:
                client.execute(env=env, stderr=log)
        except Exception as exc:  # a lesson's failure is a verdict, not a crash of the run
            error = _error_text(exc)
            extra = _missing_extra(exc)
            if extra:
                skipped = f"needs the `{extra}` extra: pip install -c constraints.txt -e '.[{extra}]'"
            log = Path(work) / "kernel.log"
            if not hasattr(exc, "ename") and log.exists():
                error += "\n" + "\n".join(log.read_text(encoding="utf-8").splitlines()[-10:])
        if nb is not None:
            nbformat.write(nb, nb_path)
        if parity_file.exists():
            records = parity.read_file(parity_file)
    failed = [r for r in records if not r.passed]
    if error is None and not records:
        error = "the lesson made no parity checks"
    if error is None and failed:
        error = f"{len(failed)} of {len(records)} parity checks failed: " + "; ".join(
            f"{r.quantity} ({r.detail})" for r in failed
        )
    return {
        "id": job.id,
        "title": job.title,
        "area": job.area,
        "lesson_path": _rel(job.lesson_path),
        "status": SKIPPED if skipped else VERIFIED if error is None else FAILING,
        "error": skipped or error,
        "duration": time.perf_counter() - started,
        "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "notebook": nb_rel if nb_path.exists() else None,
        "records": [r.to_dict() for r in records],
    }


def _rel(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def load_results(journal_dir: Path) -> dict[str, Any]:
    """The stored results (``{"lessons": {}}`` when nothing has run yet)."""
    path = Path(journal_dir) / RESULTS_FILE
    if not path.exists():
        return {"updated": None, "versions": {}, "lessons": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def save_results(journal_dir: Path, new: list[dict[str, Any]]) -> dict[str, Any]:
    """Merge the new lesson results into ``results.json`` (latest result per lesson wins)."""
    journal_dir = Path(journal_dir)
    journal_dir.mkdir(parents=True, exist_ok=True)
    results = load_results(journal_dir)
    for result in new:
        results["lessons"][result["id"]] = result
    results["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    results["versions"] = versions()
    (journal_dir / RESULTS_FILE).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


def run(
    items: list[Item],
    journal_dir: Path,
    *,
    workers: int = 2,
    timeout: int = 600,
    progress: Any = None,
) -> list[dict[str, Any]]:
    """Run lessons in ``workers`` processes; return their results in plan order.

    ``progress`` is an optional callable ``progress(result)`` called as each lesson finishes.
    """
    workers = max(1, min(workers, len(items)))
    threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else 0
    jobs = [
        LessonJob(i.id, i.title, i.area, str(i.lesson_path), str(journal_dir), timeout, threads)
        for i in items
    ]
    results: dict[str, dict[str, Any]] = {}
    if workers == 1:
        for job in jobs:
            results[job.id] = run_lesson(job)
            if progress:
                progress(results[job.id])
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(run_lesson, job): job for job in jobs}
            for fut in as_completed(futures):
                result = fut.result()
                results[result["id"]] = result
                if progress:
                    progress(result)
    return [results[job.id] for job in jobs]
