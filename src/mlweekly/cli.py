"""The ``mlweekly`` command: the plan, running lessons, the journal, data sets and benchmarks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mlweekly import curriculum, runner
from mlweekly.curriculum import FAILING, NO_LESSON, NOT_RUN, SKIPPED, VERIFIED

app = typer.Typer(
    help="ml_learning_weekly: a machine-learning curriculum that runs and proves itself.",
    no_args_is_help=True,
    add_completion=False,
)
data_app = typer.Typer(help="Data sets by name.", no_args_is_help=True)
app.add_typer(data_app, name="data")
pipeline_app = typer.Typer(
    help="The Full-Stack ML Pipeline (a Prefect flow tracked with MLflow).", no_args_is_help=True
)
app.add_typer(pipeline_app, name="pipeline")

console = Console()
err = Console(stderr=True)

MARK_STYLE = {
    VERIFIED: ("✔", "green"),
    FAILING: ("✘", "red"),
    NOT_RUN: ("○", "yellow"),
    NO_LESSON: ("·", "dim"),
    SKIPPED: ("○", "yellow"),
}

JournalOpt = Annotated[
    Path | None,
    typer.Option("--journal", help="Journal folder (default: $MLWEEKLY_JOURNAL or ./journal)."),
]


def _journal(path: Path | None) -> Path:
    return path if path is not None else runner.default_journal_dir()


# ---------------------------------------------------------------------------------------------- plan
@app.command()
def plan(
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    journal: JournalOpt = None,
) -> None:
    """Print the plan with a computed mark per item: verified, failing, not run, or no lesson."""
    lessons = runner.load_results(_journal(journal))["lessons"]
    marks = curriculum.marks(lessons)
    if as_json:
        items = [
            {
                "id": it.id,
                "title": it.title,
                "phase": it.phase,
                "group": it.group,
                "area": it.area,
                "lesson_path": it.lesson_file,
                "depends_on": list(it.depends_on),
                "mark": marks[it.id],
                "error": (lessons.get(it.id) or {}).get("error"),
            }
            for it in curriculum.ITEMS
        ]
        counts = {ph: _counts(ph, marks) for ph in curriculum.PHASES}
        print(json.dumps({"items": items, "counts": counts}, indent=1, ensure_ascii=False))
        return
    for phase in curriculum.PHASES:
        counts = _counts(phase, marks)
        summary = ", ".join(f"{n} {m}" for m, n in counts.items() if n)
        console.rule(f"[bold]{phase}[/] — {summary}")
        group = None
        for it in curriculum.ITEMS:
            if it.phase != phase:
                continue
            if it.group != group:
                group = it.group
                console.print(f"  [bold cyan]{group}[/]")
            icon, style = MARK_STYLE[marks[it.id]]
            console.print(f"    [{style}]{icon} {it.id:<6}[/] {it.title}  [dim]({marks[it.id]})[/]")
    total = _counts(None, marks)
    line = "  ".join(f"[{MARK_STYLE[m][1]}]{MARK_STYLE[m][0]} {n} {m}[/]" for m, n in total.items())
    console.print("\n" + line)


def _counts(phase: str | None, marks: dict[str, str]) -> dict[str, int]:
    counts = dict.fromkeys(curriculum.MARKS, 0)
    for it in curriculum.ITEMS:
        if phase is None or it.phase == phase:
            counts[marks[it.id]] += 1
    return counts


# ----------------------------------------------------------------------------------------------- run
def _tolerance(rec: dict[str, Any]) -> str:
    parts = [f"{name} {rec[name]:.3g}" for name in ("atol", "rtol") if rec[name]]
    return ", ".join(parts) or "exact"


def _parity_table(results: list[dict[str, Any]], width: int) -> Table:
    """One row per check. Array summaries are long: on a narrow terminal the ours/reference columns
    give way to the quantity (the journal always shows them)."""
    wide = width >= 120
    caption = None if wide else "ours / reference values: see the journal, or widen the terminal"
    table = Table(title="Parity checks", caption=caption, header_style="bold")
    table.add_column("lesson", no_wrap=True)
    table.add_column("quantity", overflow="fold", min_width=20)
    if wide:
        for side in ("ours", "reference"):
            table.add_column(side, no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("max |Δ|", justify="right", no_wrap=True)
    table.add_column("tolerance", overflow="fold", max_width=14)
    table.add_column("pass", no_wrap=True)
    table.add_column("time ratio", justify="right", no_wrap=True)
    for res in results:
        for rec in res["records"]:
            ratio = rec.get("time_ratio")
            sides = [rec["ours"], rec["reference"]] if wide else []
            table.add_row(
                res["id"],
                rec["quantity"],
                *sides,
                f"{rec['max_abs_err']:.2g}",
                _tolerance(rec),
                "[green]✔[/]" if rec["passed"] else "[red]✘[/]",
                f"{ratio:.2f}" if ratio is not None else "",
            )
    return table


def _execute(selectors: list[str], journal: Path | None, workers: int, timeout: int) -> list[dict[str, Any]]:
    try:
        items = curriculum.select(selectors)
    except curriculum.UnknownItemError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    if not items:
        err.print("[yellow]No lessons to run.[/]")
        raise typer.Exit(2)
    journal_dir = _journal(journal)
    with Progress(
        TextColumn("[bold]lessons"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
    ) as bar:
        used = max(1, min(workers, len(items)))
        task = bar.add_task(f"running {len(items)} lesson(s) on {used} worker(s)", total=len(items))

        def done(result: dict[str, Any]) -> None:
            icon, style = MARK_STYLE[result["status"]]
            bar.console.print(
                f"[{style}]{icon}[/] {result['id']} {result['title']} "
                f"[dim]({result['duration']:.1f}s, {len(result['records'])} checks)[/]"
            )
            bar.advance(task)

        results = runner.run(items, journal_dir, workers=workers, timeout=timeout, progress=done)
    runner.save_results(journal_dir, results)
    from mlweekly import journal as site

    index = site.build(journal_dir)
    if any(r["records"] for r in results):
        console.print(_parity_table(results, console.width))
    console.print(f"Journal: {index}")
    for r in results:
        if r["status"] == SKIPPED:
            err.print(f"[yellow]○ {r['id']} {r['title']} skipped[/]: {r['error']}")
    failing = [r for r in results if r["status"] == FAILING]
    if failing:
        for r in failing:
            err.print(f"[red]✘ {r['id']} {r['title']}[/]: {r['error']}")
        raise typer.Exit(1)
    verified = sum(r["status"] == VERIFIED for r in results)
    console.print(f"[green]{verified} of {len(results)} lesson(s) verified.[/]")
    return results


@app.command()
def run(
    selectors: Annotated[
        list[str] | None, typer.Argument(help="Plan ids (P1.01) or area names; all lessons if none.")
    ] = None,
    journal: JournalOpt = None,
    workers: Annotated[int, typer.Option(help="Lessons run at once (one kernel each).")] = 2,
    timeout: Annotated[int, typer.Option(help="Seconds a single cell may run.")] = 600,
) -> None:
    """Run lessons headlessly, print the parity table, store results and write the journal."""
    _execute(selectors or [], journal, workers, timeout)


@app.command()
def lesson(
    item_id: Annotated[str, typer.Argument(help="Plan id of the lesson, e.g. P1.01.")],
    journal: JournalOpt = None,
    timeout: Annotated[int, typer.Option(help="Seconds a single cell may run.")] = 600,
) -> None:
    """Run one lesson and print where its journal page is."""
    try:
        _execute([item_id], journal, 1, timeout)
    finally:
        page = _journal(journal) / "lessons" / f"{curriculum.get(item_id).id}.html"
        if page.exists():
            console.print(f"Lesson page: {page}")


@app.command("journal")
def journal_cmd(journal: JournalOpt = None) -> None:
    """Rebuild the journal from the stored results without running anything."""
    from mlweekly import journal as site

    console.print(f"Journal: {site.build(_journal(journal))}")


# ---------------------------------------------------------------------------------------------- data
@data_app.command("list")
def data_list() -> None:
    """Show every data set: name, rows, columns, task, source, licence and where it comes from."""
    from mlweekly import datasets

    table = Table(title="Data sets", header_style="bold")
    cols = ("name", "rows", "columns", "task", "source", "licence", "origin", "available", "where")
    for col in cols:
        table.add_column(col, overflow="fold")
    for row in datasets.catalogue():
        cells = {**row, "available": "yes" if row.get("available") else "no"}
        table.add_row(*(str(cells.get(col, "")) for col in cols))
    console.print(table)


@data_app.command("download")
def data_download(
    name: Annotated[str, typer.Argument(help="Data set to download into the cache (e.g. mnist).")],
) -> None:
    """Download a data set into the cache folder ($MLWEEKLY_DATA), verifying checksums."""
    from mlweekly import datasets

    try:
        where = datasets.download(name)
    except (KeyError, ValueError, OSError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    console.print(f"{name}: {where}")


ConfigOpt = Annotated[
    Path, typer.Option("--config", exists=True, dir_okay=False, help="YAML config (default: Telco churn).")
]
TrackingOpt = Annotated[
    str | None,
    typer.Option(help="MLflow tracking URI; default $MLFLOW_TRACKING_URI, else sqlite:///<output_dir>/mlflow.db."),
]
DEFAULT_CONFIG = curriculum.REPO_ROOT / "configs" / "telco_churn.yaml"


# ------------------------------------------------------------------------------------------ pipeline
@pipeline_app.command("run")
def pipeline_run(config: ConfigOpt = DEFAULT_CONFIG, tracking_uri: TrackingOpt = None) -> None:
    """Validate, train and evaluate (a Prefect flow, tracked in MLflow); register; promote the champion."""
    from mlweekly.mlops_pipeline.flow import pipeline_command  # prefect and mlflow load only when needed

    raise typer.Exit(pipeline_command(config, tracking_uri))


# ------------------------------------------------------------------------------------------- serve
@app.command()
def serve(
    config: ConfigOpt = DEFAULT_CONFIG,
    host: Annotated[str, typer.Option(help="Interface to bind (0.0.0.0 inside a container).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    alias: Annotated[str, typer.Option(help="Registry alias to serve.")] = "champion",
    tracking_uri: TrackingOpt = None,
) -> None:
    """Serve the registry's model over HTTP (FastAPI + uvicorn): /predict, /health, /model, /metrics.

    POST /admin/reload (header X-Admin-Token = $MLWEEKLY_ADMIN_TOKEN) reloads the alias.
    """
    from mlweekly.mlops_pipeline.service import serve_command

    raise typer.Exit(serve_command(config, host, port, alias, tracking_uri))


# ----------------------------------------------------------------------------------------- monitor
@app.command()
def monitor(
    config: ConfigOpt = DEFAULT_CONFIG,
    requests: Annotated[
        Path | None, typer.Option(dir_okay=False, help="Request log (default: <output_dir>/requests.jsonl).")
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="CSV of outcomes: columns id and the target."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(dir_okay=False, help="Evidently HTML (default: <output_dir>/drift_report.html)."),
    ] = None,
) -> None:
    """Compare the served requests with the training data: drift per column (+ performance with labels).

    Exit code 1 when drift or degraded performance crosses the config's monitoring thresholds.
    """
    from mlweekly.mlops_pipeline.monitor import monitor_command

    raise typer.Exit(monitor_command(config, requests, labels, report))


# --------------------------------------------------------------------------------------------- bench
@app.command()
def bench(
    names: Annotated[
        list[str] | None, typer.Argument(help="Benchmark names (bench_<name>.py); all if none.")
    ] = None,
) -> None:
    """Run the benchmarks (ours vs the reference) and write benchmarks/results/*.json."""
    from mlweekly import bench as harness

    scripts = harness.scripts()
    if names:
        wanted = {n.removeprefix("bench_").removesuffix(".py") for n in names}
        unknown = wanted - {s.stem.removeprefix("bench_") for s in scripts}
        if unknown:
            err.print(f"[red]error:[/] unknown benchmark(s) {sorted(unknown)}; "
                      f"known: {[s.stem.removeprefix('bench_') for s in scripts]}")
            raise typer.Exit(2)
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    failed = []
    for script in scripts:
        console.rule(script.stem)
        if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
            failed.append(script.stem)
    if failed:
        err.print(f"[red]benchmark(s) crashed:[/] {', '.join(failed)}")
        raise typer.Exit(1)
    console.print(f"Results in {harness.RESULTS_DIR}")


if __name__ == "__main__":
    app()
