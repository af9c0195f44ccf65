"""The distributed batch's bookkeeping without a broker: results table (SQLite), submit with a
recording stand-in for the Celery task, and the task body with in-process state."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from service.batch import celery_app
from service.batch.celery_app import TASK_NAME, WorkerState, task_id, translate_article
from service.batch.distributed import JobError, default_job_id, export, resolve_job, submit
from service.batch.results import DONE, FAILED, QUEUED, BatchResults, Pending
from service.config import Settings
from service.errors import UnsupportedLanguage
from service.runtime import Runtime
from tests.conftest import fake_registry
from tests.helpers.fakes import FakeTranslator
from tests.helpers.fixtures_wxr import make_jsonl


@dataclass
class Sent:
    args: list[Any]
    task_id: str


@dataclass
class RecordingTask:
    sent: list[Sent] = field(default_factory=list)

    def apply_async(self, args: list[Any], task_id: str) -> None:
        self.sent.append(Sent(args, task_id))


@dataclass
class FakeApp:
    task: RecordingTask = field(default_factory=RecordingTask)

    @property
    def tasks(self) -> dict[str, RecordingTask]:
        return {TASK_NAME: self.task}


class Retry(Exception):
    pass


@dataclass
class BoundTask:
    """What Celery passes as `self` to a bound task."""

    retries: int = 0
    max_retries: int = 2
    retried: list[float] = field(default_factory=list)

    @property
    def request(self) -> BoundTask:
        return self

    def retry(self, exc: BaseException, countdown: float) -> Retry:
        self.retried.append(countdown)
        return Retry(str(exc))


@pytest.fixture
def results(tmp_path: Path) -> BatchResults:
    store = BatchResults.open(f"sqlite:///{tmp_path / 'batch.sqlite3'}")
    yield store
    store.close()


@pytest.fixture
def worker(settings: Settings, results: BatchResults) -> WorkerState:
    runtime = Runtime.open(settings, fake_registry())
    state = WorkerState(settings, runtime, results)
    celery_app._state = state
    yield state
    celery_app._state = None
    runtime.close()


def _run_sent(app: FakeApp, task: BoundTask | None = None) -> list[dict[str, str]]:
    out = [translate_article(task or BoundTask(), *s.args) for s in app.task.sent]
    app.task.sent.clear()
    return out


def test_submit_work_export_in_input_order(
    results: BatchResults, worker: WorkerState, tmp_path: Path
) -> None:
    path = tmp_path / "archive-2019.jsonl"
    make_jsonl(path, 7)
    job = default_job_id(path)
    assert job == "archive-2019"
    app = FakeApp()
    stats = submit(app, results, path, job)  # type: ignore[arg-type]
    assert (stats.articles, stats.sent) == (7, 7)
    first = app.task.sent[0]
    assert first.task_id == task_id("a000000", first.args[2]) == f"a000000@{first.args[2]}"
    with pytest.raises(JobError, match="job archive-2019 is not finished"):
        export(results, job, tmp_path / "early.jsonl")
    # Workers take tasks in any order.
    app.task.sent.reverse()
    assert {r["status"] for r in _run_sent(app)} == {"done"}
    counts = results.counts(job)
    assert counts is not None and counts.finished and counts.counts[DONE] == 7
    out = tmp_path / "out.jsonl"
    assert export(results, resolve_job(results, None), out) == 7
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"a{i:06d}" for i in range(7)]
    # Submitting again queues nothing; a duplicate delivery stores nothing twice.
    again = submit(app, results, path, job)  # type: ignore[arg-type]
    assert (again.sent, again.skipped) == (0, 7)
    body = json.loads(json.dumps(first.args))
    assert translate_article(BoundTask(), *body) == {"status": "skipped"}
    assert export(results, job, out) == 7


def test_edited_article_is_queued_again_and_a_stale_task_is_ignored(
    results: BatchResults, worker: WorkerState, tmp_path: Path
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "x", "title": "Old title", "body": "Body."}) + "\n")
    app = FakeApp()
    submit(app, results, path, "job")  # type: ignore[arg-type]
    stale = app.task.sent.pop()
    path.write_text(json.dumps({"id": "x", "title": "New title", "body": "Body."}) + "\n")
    submit(app, results, path, "job")  # type: ignore[arg-type]
    assert translate_article(BoundTask(), *stale.args) == {"status": "skipped"}
    assert _run_sent(app) == [{"status": "done"}]
    out = tmp_path / "out.jsonl"
    export(results, "job", out)
    assert json.loads(out.read_text())["versions"]["en"]["title"] == "New title"


def test_claim_is_refused_once_done_and_for_another_hash(results: BatchResults) -> None:
    results.start_job("j", "in.jsonl")
    assert results.queue("j", [Pending("a", 0, "h1")]) == [Pending("a", 0, "h1")]
    assert results.claim("j", "a", "h2") is False
    assert results.claim("j", "a", "h1") is True
    assert results.claim("j", "a", "h1") is True  # a killed worker's task, delivered again
    assert results.complete("j", "a", "h1", '{"id": "a"}') is True
    assert results.complete("j", "a", "h1", '{"id": "a", "twice": true}') is False
    assert results.claim("j", "a", "h1") is False
    results.finish_job("j", 1)
    assert list(results.responses("j")) == ['{"id": "a"}']
    counts = results.counts("j")
    assert counts is not None and counts.counts == {QUEUED: 0, "running": 0, DONE: 1, FAILED: 0}


def test_engine_failures_retry_with_backoff_then_fail(
    settings: Settings, results: BatchResults, tmp_path: Path
) -> None:
    def broken(text: str) -> str:
        raise RuntimeError("engine down")

    runtime = Runtime.open(settings, fake_registry(FakeTranslator(fn=broken)))
    celery_app._state = WorkerState(settings, runtime, results)
    try:
        path = tmp_path / "in.jsonl"
        path.write_text(
            json.dumps({"id": "x", "title": "Title", "body": "B.", "source_lang": "en"})
        )
        app = FakeApp()
        submit(app, results, path, "job")  # type: ignore[arg-type]
        sent = app.task.sent[0]
        task = BoundTask(max_retries=2)
        for attempt in range(2):
            task.retries = attempt
            with pytest.raises(Retry):
                translate_article(task, *sent.args)
            counts = results.counts("job")
            assert counts is not None and counts.counts[QUEUED] == 1
        # Exponential: base 2 s, 4 s, with jitter in [50%, 100%].
        assert 1.0 <= task.retried[0] <= 2.0 and 2.0 <= task.retried[1] <= 4.0
        task.retries = 2
        assert translate_article(task, *sent.args) == {"status": "failed"}
        assert results.failures("job") == [("x", 3, "RuntimeError: engine down")]
    finally:
        celery_app._state = None
        runtime.close()


def test_a_request_the_service_refuses_fails_without_retry(
    results: BatchResults, worker: WorkerState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unsupported(request: object) -> None:
        raise UnsupportedLanguage("fr")

    monkeypatch.setattr(worker.runtime.pipeline, "process", unsupported)
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "x", "title": "Titre", "body": "Corps."}))
    app = FakeApp()
    submit(app, results, path, "job")  # type: ignore[arg-type]
    task = BoundTask()
    assert _run_sent(app, task) == [{"status": "failed"}]
    assert task.retried == []
    assert results.failures("job") == [("x", 1, "unsupported language: fr")]


def test_resolve_job_names(results: BatchResults) -> None:
    with pytest.raises(JobError, match="no batch jobs yet"):
        resolve_job(results, None)
    results.start_job("one", "a.jsonl")
    results.start_job("two", "b.jsonl")
    with pytest.raises(JobError, match="several jobs exist; name one: one, two"):
        resolve_job(results, None)
    with pytest.raises(JobError, match="no such job: three"):
        resolve_job(results, "three")
    assert resolve_job(results, "two") == "two"
