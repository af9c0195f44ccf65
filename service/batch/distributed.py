"""`batch submit` and `batch export`: the parts of the distributed batch that run on the
machine holding the input; the workers (service/batch/celery_app.py) do the rest."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from service.batch.articles import (
    ERR_DUPLICATE,
    Filtered,
    Selected,
    content_hash,
    error_message,
    select,
    to_request,
)
from service.batch.readers import ReadError
from service.batch.results import BatchResults, JobCounts, Pending
from service.errors import NewsdeskError

if TYPE_CHECKING:
    from celery import Celery

CHUNK = 200


class JobError(NewsdeskError):
    pass


def default_job_id(input_path: Path) -> str:
    """The input's file name without its suffixes: `archive-2019.jsonl.gz` -> `archive-2019`."""
    name = input_path.name
    for suffix in (".gz", ".jsonl", ".xml"):
        name = name.removesuffix(suffix)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "job"


@dataclass
class SubmitStats:
    job_id: str
    read: int = 0
    articles: int = 0  # selected
    sent: int = 0  # tasks sent now
    skipped: int = 0  # done (or running) already
    invalid: int = 0  # requests the service would refuse; listed in `problems`
    read_errors: int = 0
    filtered: int = 0
    duplicates: int = 0
    problems: list[tuple[int, str | None, str]] = field(default_factory=list)


def submit(
    app: Celery,
    results: BatchResults,
    input_path: Path,
    job_id: str,
    *,
    limit: int | None = None,
    since: date | None = None,
    on_progress: Callable[[SubmitStats], None] | None = None,
) -> SubmitStats:
    """Queue one task per selected article not done yet; safe to run again (nothing doubles).

    Unreadable items, duplicates and invalid requests are reported, not queued (the first 1000
    are kept in `problems`: position, id, message).
    """
    from service.batch.celery_app import TASK_NAME, task_id

    task = app.tasks[TASK_NAME]
    stats = SubmitStats(job_id)
    results.start_job(job_id, str(input_path))
    seen: set[str] = set()
    chunk: list[tuple[Pending, str]] = []

    def problem(position: int, article_id: str | None, message: str) -> None:
        if len(stats.problems) < 1000:
            stats.problems.append((position, article_id, message))

    def flush() -> None:
        requests = {p.article_id: body for p, body in chunk}
        for pending in results.queue(job_id, [p for p, _ in chunk]):
            body = requests[pending.article_id]
            task.apply_async(
                args=[job_id, pending.article_id, pending.content_hash, body],
                task_id=task_id(pending.article_id, pending.content_hash),
            )
            stats.sent += 1
        stats.skipped = stats.articles - stats.invalid - stats.sent
        chunk.clear()
        if on_progress is not None:
            on_progress(stats)

    for item in select(input_path, limit=limit, since=since):
        stats.read += 1
        if isinstance(item, ReadError):
            stats.read_errors += 1
            problem(item.position, None, item.message)
        elif isinstance(item, Filtered):
            stats.filtered += 1
        elif isinstance(item, Selected):
            article = item.article
            if article.id in seen:
                stats.duplicates += 1
                problem(article.position, article.id, ERR_DUPLICATE)
                continue
            seen.add(article.id)
            stats.articles += 1
            try:
                request = to_request(article)
            except Exception as exc:
                stats.invalid += 1
                problem(article.position, article.id, error_message(exc))
                continue
            body = request.model_dump_json()
            chunk.append((Pending(article.id, item.seq, content_hash(request)), body))
            if len(chunk) >= CHUNK:
                flush()
    flush()
    results.finish_job(job_id, stats.articles - stats.invalid)
    return stats


def resolve_job(results: BatchResults, job_id: str | None) -> str:
    jobs = results.jobs()
    if job_id is not None:
        if job_id not in jobs:
            raise JobError(f"no such job: {job_id}")
        return job_id
    if not jobs:
        raise JobError("no batch jobs yet: run `newsdesk batch submit INPUT` first")
    if len(jobs) > 1:
        raise JobError("several jobs exist; name one: " + ", ".join(jobs))
    return jobs[0]


def export(results: BatchResults, job_id: str, out_path: Path, *, partial: bool = False) -> int:
    """Write every done article of the job, in input order, one response per line; returns how
    many. Refuses an unfinished job unless `partial`. Written to a temporary file, then renamed,
    so OUT is never half-written."""
    counts = results.counts(job_id)
    assert counts is not None
    if not partial and not counts.finished:
        raise JobError(unfinished_message(counts))
    tmp = out_path.with_name(out_path.name + ".part")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with tmp.open("w", encoding="utf-8", newline="\n") as f:
        for response in results.responses(job_id):
            f.write(response)
            f.write("\n")
            written += 1
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, out_path)
    return written


def unfinished_message(counts: JobCounts) -> str:
    c = counts.counts
    state = "submitted" if counts.complete else "still being submitted"
    return (
        f"job {counts.job_id} is not finished ({state}; {c['done']} of {counts.articles} done, "
        f"{c['queued']} queued, {c['running']} running, {c['failed']} failed); "
        "use --partial to export what is done"
    )
