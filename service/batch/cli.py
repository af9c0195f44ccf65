"""`newsdesk batch run|submit|status|export` and `newsdesk worker` (mounted by service/cli.py).

Nothing heavy is imported here at module level: `newsdesk translate` imports this module too.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from service.cli_common import ProgressOption, fail, show_progress
from service.config import Settings

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console

    from service.batch.results import BatchResults
    from service.batch.runner import RunStats

batch_app = typer.Typer(
    help="Archive batches: one resumable run here, or many workers through Celery + Redis.",
    no_args_is_help=True,
)

InputArg = Annotated[
    Path,
    typer.Argument(
        help="A .jsonl (or .jsonl.gz) file of articles, or a WordPress WXR export (.xml)",
        exists=True,
        dir_okay=False,
        readable=True,
    ),
]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", min=1, help="Only the first N articles (after --since)")
]
SinceOpt = Annotated[
    str | None, typer.Option("--since", help="Only articles dated on or after this ISO date")
]
JobArg = Annotated[
    str | None, typer.Argument(help="Job id (default: the only job, or all for status)")
]


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _since(value: str | None) -> date | None:
    from service.batch.articles import parse_since

    if value is None:
        return None
    try:
        return parse_since(value)
    except ValueError as exc:
        raise fail(f"--since: not an ISO date: {value!r}") from exc


def _interrupt_on_signals() -> None:
    """SIGINT and SIGTERM end a run cleanly: files closed, summary printed, exit 130 (kill -9
    needs nothing). SIGINT too, because a shell starts background jobs with it ignored."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-:--:--"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _rates(stats: RunStats) -> str:
    ratio = stats.hit_ratio
    hits = "-" if ratio is None else f"{ratio:.0%}"
    return (
        f"{stats.articles_per_s:.1f} articles/s · {stats.sentences_per_s:.0f} sentences/s · "
        f"cache {hits}"
    )


@batch_app.command("run")
def run(
    input_path: InputArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Results, one JSON object a line")],
    limit: LimitOpt = None,
    since: SinceOpt = None,
    errors: Annotated[
        Path | None,
        typer.Option("--errors", help="Failed and unreadable items (default: OUT.errors.jsonl)"),
    ] = None,
    progress: ProgressOption = None,
) -> None:
    """Translate and summarize an archive on this machine; run it again to resume.

    Each line of OUT is the POST /v1/articles response of one article. Articles already in OUT
    are skipped, so after Ctrl-C or kill -9 the same command finishes the job and OUT holds every
    article exactly once. Exit status: 0 all done, 1 some items failed or were unreadable
    (see the errors file), 130 interrupted.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from service.batch.readers import count_items
    from service.batch.runner import OutputCorrupt, run_batch
    from service.errors import NewsdeskError
    from service.runtime import Runtime

    console = _stderr()
    settings = Settings()
    since_date = _since(since)
    errors_path = errors or out.with_name(out.name.removesuffix(".jsonl") + ".errors.jsonl")
    try:
        total = count_items(input_path)
    except ValueError as exc:
        raise fail(str(exc)) from exc
    if total is not None and limit is not None:
        total = min(total, limit)
    show = show_progress(progress, console, settings)
    try:
        runtime = Runtime.open(settings)
    except NewsdeskError as exc:
        raise fail(exc.message) from exc
    _interrupt_on_signals()
    bar = Progress(
        TextColumn("[bold]batch[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rates]}"),
        TextColumn("ETA {task.fields[eta]}"),
        console=console,
        disable=not show,
        transient=False,
    )
    task = bar.add_task("batch", total=total, rates="", eta=_duration(None))
    last = 0.0

    def on_progress(stats: RunStats) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < 0.1 and stats.read != stats.total:
            return
        last = now
        bar.update(task, completed=stats.read, rates=_rates(stats), eta=_duration(stats.eta_s()))

    try:
        with bar:
            stats = run_batch(
                runtime.pipeline,
                input_path,
                out,
                errors_path,
                limit=limit,
                since=since_date,
                total=total,
                on_progress=on_progress,
            )
            if not stats.interrupted:  # a WXR count includes pages and attachments: settle
                bar.update(task, total=stats.read, completed=stats.read)
    except OutputCorrupt as exc:
        raise fail(exc.message) from exc
    finally:
        runtime.close()
    _print_summary(console, stats, out, errors_path)
    if stats.interrupted:
        raise typer.Exit(130)
    if stats.failed or stats.read_errors or stats.duplicates:
        raise typer.Exit(1)


def _print_summary(console: Console, stats: RunStats, out: Path, errors_path: Path) -> None:
    from rich.table import Table

    title = "batch run interrupted" if stats.interrupted else "batch run"
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("read (input items)", str(stats.read))
    table.add_row("done now", str(stats.done))
    table.add_row("skipped (already done)", str(stats.skipped))
    table.add_row("failed", str(stats.failed))
    table.add_row("unreadable items", str(stats.read_errors))
    if stats.duplicates:
        table.add_row("duplicate ids", str(stats.duplicates))
    if stats.filtered:
        table.add_row("left out by --since", str(stats.filtered))
    if stats.truncated_bytes:
        table.add_row("torn last line cut (bytes)", str(stats.truncated_bytes))
    table.add_row("time", f"{stats.elapsed:.1f} s")
    table.add_row("articles/s", f"{stats.articles_per_s:.2f}")
    table.add_row("sentences/s", f"{stats.sentences_per_s:.1f}")
    ratio = stats.hit_ratio
    table.add_row("cache hit ratio", "-" if ratio is None else f"{ratio:.1%}")
    table.add_row("output", str(out))
    if stats.failed or stats.read_errors or stats.duplicates:
        table.add_row("errors", str(errors_path))
    console.print(table)


def _results(settings: Settings) -> BatchResults:
    from service.batch.results import BatchResults

    return BatchResults.open(settings.resolved_database_url)


@batch_app.command("submit")
def submit_cmd(
    input_path: InputArg,
    job: Annotated[
        str | None, typer.Option("--job", help="Job id (default: the input's file name)")
    ] = None,
    limit: LimitOpt = None,
    since: SinceOpt = None,
) -> None:
    """Queue one Celery task per article (NEWSDESK_REDIS_URL); `newsdesk worker`s do them.

    Submitting the same input again queues only what is not done, and never doubles a result.
    """
    from service.batch.celery_app import create_celery
    from service.batch.distributed import default_job_id, submit
    from service.errors import NewsdeskError

    console = _stderr()
    settings = Settings()
    since_date = _since(since)
    job_id = job or default_job_id(input_path)
    try:
        app = create_celery(settings)
    except NewsdeskError as exc:
        raise fail(exc.message) from exc
    results = _results(settings)
    try:
        stats = submit(app, results, input_path, job_id, limit=limit, since=since_date)
    finally:
        results.close()
    for position, article_id, message in stats.problems:
        where = f"item {position}" + (f" ({article_id})" if article_id else "")
        console.print(f"{where}: {message}", markup=False, highlight=False)
    console.print(
        f"job {job_id}: {stats.articles} articles, {stats.sent} queued now, "
        f"{stats.skipped} done or running already, {stats.invalid} invalid, "
        f"{stats.read_errors} unreadable, {stats.duplicates} duplicate ids",
        markup=False,
        highlight=False,
    )


@batch_app.command("status")
def status_cmd(job: JobArg = None) -> None:
    """Progress of one job (or of every job): queued, running, done and failed articles."""
    from rich.table import Table

    settings = Settings()
    results = _results(settings)
    try:
        jobs = [job] if job else results.jobs()
        table = Table(title="batch jobs", title_justify="left")
        for name in ("job", "articles", "queued", "running", "done", "failed", "state"):
            table.add_column(name, justify="left" if name in ("job", "state") else "right")
        failures: list[tuple[str, int, str | None]] = []
        for name in jobs:
            counts = results.counts(name)
            if counts is None:
                raise fail(f"no such job: {name}")
            c = counts.counts
            state = (
                "finished"
                if counts.finished
                else "submitting"
                if not counts.complete
                else "failed items"
                if c["failed"] and not (c["queued"] or c["running"])
                else "in progress"
            )
            table.add_row(
                name,
                str(counts.articles),
                str(c["queued"]),
                str(c["running"]),
                str(c["done"]),
                str(c["failed"]),
                state,
            )
            if job:
                failures = results.failures(name)
    finally:
        results.close()
    from rich.console import Console

    out = Console()
    out.print(table)
    for article_id, attempts, error in failures:
        out.print(f"failed: {article_id} after {attempts} attempts: {error}", markup=False)


@batch_app.command("export")
def export_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="Results, one JSON object a line")],
    job: JobArg = None,
    partial: Annotated[
        bool, typer.Option("--partial", help="Export what is done even if the job is not")
    ] = False,
) -> None:
    """Write every article of a finished job exactly once, in input order."""
    from service.batch.distributed import export, resolve_job
    from service.errors import NewsdeskError

    settings = Settings()
    results = _results(settings)
    try:
        job_id = resolve_job(results, job)
        written = export(results, job_id, out, partial=partial)
    except NewsdeskError as exc:
        raise fail(exc.message) from exc
    finally:
        results.close()
    _stderr().print(f"job {job_id}: {written} articles written to {out}", markup=False)


def worker(
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, help="Pool processes, each with engines")
    ] = 1,
    loglevel: Annotated[str, typer.Option("--loglevel", help="Celery log level")] = "INFO",
) -> None:
    """Run a Celery worker for `batch submit` jobs; each pool process loads its engines once.

    One process per machine is usually right for the embedded engines: one Apertium pipeline
    already runs its stages on several cores.
    """
    import logging

    from service.batch.celery_app import connect_worker_signals, create_celery
    from service.errors import NewsdeskError

    settings = Settings()
    try:
        app = create_celery(settings)
    except NewsdeskError as exc:
        raise fail(exc.message) from exc
    logging.getLogger().setLevel(loglevel.upper())
    connect_worker_signals()
    app.worker_main(
        [
            "worker",
            f"--concurrency={concurrency}",
            f"--loglevel={loglevel}",
            "--pool=prefork",
            f"--queues={settings.batch_queue}",
            f"--hostname=newsdesk-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ]
    )
