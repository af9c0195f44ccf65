"""The distributed batch on Celery: one task per article, Redis as broker and result backend.

`create_celery(settings)` builds the app (nothing happens at import). Delivery guarantees:

- `acks_late` + `task_reject_on_worker_lost`: a message is acknowledged only after its article
  is stored; if the worker's pool process dies, the message goes back to the queue at once; if
  the whole worker dies (kill -9, a lost machine), Redis hands the unacknowledged message out
  again after `batch_visibility_timeout_s` (a live worker sweeps every
  `batch_restore_interval_s`).
- `worker_prefetch_multiplier=1`: a worker holds one message per pool process, so a dead worker
  strands at most that many and a busy one does not hoard work the others could do.
- Idempotent tasks: a task's id is the article id plus its content hash, and the results table's
  primary key (job, article) plus the hash check in `claim`/`complete` make a duplicate or
  re-delivered task a no-op (at worst it computes once more, and its result is not stored twice).
- Engine failures are retried with exponential backoff (`batch_retry_backoff_s` doubling up to
  `batch_retry_backoff_max_s`, `batch_max_retries` times); a request the service would refuse
  (invalid, unsupported language) fails at once. Either way the row records the error.

Each pool process opens its Runtime (engines, cache, store) and its database connection once, in
`worker_process_init`, after the fork: Apertium pipes, SQLite handles and Redis sockets are not
shared across processes.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from service.config import Settings
from service.errors import EngineFailed, NewsdeskError

if TYPE_CHECKING:
    from celery import Celery

    from service.batch.results import BatchResults
    from service.runtime import Runtime

log = logging.getLogger(__name__)

TASK_NAME = "newsdesk.batch.translate_article"
ERR_NO_REDIS = "NEWSDESK_REDIS_URL is not set: the distributed batch needs Redis"


class NoBroker(NewsdeskError):
    def __init__(self) -> None:
        super().__init__(ERR_NO_REDIS)


def task_id(article_id: str, content_hash: str) -> str:
    return f"{article_id}@{content_hash}"


def create_celery(settings: Settings) -> Celery:
    from celery import Celery

    if not settings.redis_url:
        raise NoBroker()
    app = Celery("newsdesk", broker=settings.redis_url, backend=settings.redis_url)
    transport = {
        "visibility_timeout": settings.batch_visibility_timeout_s,
        "unacked_restore_interval": settings.batch_restore_interval_s,
        # Scan on every sweep: one ZRANGE on a small sorted set, and the interval is the knob.
        "unacked_restore_throttle": 1,
    }
    app.conf.update(
        task_default_queue=settings.batch_queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options=transport,
        result_backend_transport_options={
            "visibility_timeout": settings.batch_visibility_timeout_s
        },
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=24 * 3600,
        broker_connection_retry_on_startup=True,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )
    # The outcome lives in the results table; a result-backend entry per article would only
    # fill Redis (the backend stays configured for ad-hoc tasks and inspection).
    app.task(bind=True, name=TASK_NAME, max_retries=settings.batch_max_retries, ignore_result=True)(
        translate_article
    )
    return app


@dataclass
class WorkerState:
    """What one worker process holds: the service runtime and the results store."""

    settings: Settings
    runtime: Runtime
    results: BatchResults

    @classmethod
    def open(cls, settings: Settings) -> WorkerState:
        from service.batch.results import BatchResults
        from service.runtime import Runtime

        runtime = Runtime.open(settings)
        results = BatchResults.open(settings.resolved_database_url)
        return cls(settings, runtime, results)

    def close(self) -> None:
        self.runtime.close()
        self.results.close()


_state: WorkerState | None = None


def worker_state() -> WorkerState:
    """This process's state; opened on first use where no worker_process_init ran (solo pool)."""
    global _state
    if _state is None:
        _state = WorkerState.open(Settings())
    return _state


def _open_state(**_: Any) -> None:
    global _state
    _state = WorkerState.open(Settings())
    for choice in _state.runtime.registry.choices:
        log.info("%s served by %s (%s)", choice.key, choice.engine, choice.reason)


def _close_state(**_: Any) -> None:
    global _state
    if _state is not None:
        _state.close()
        _state = None


def connect_worker_signals() -> None:
    from celery.signals import worker_process_init, worker_process_shutdown

    worker_process_init.connect(_open_state, weak=False)
    worker_process_shutdown.connect(_close_state, weak=False)


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, ValidationError):
        return False
    if isinstance(exc, NewsdeskError):
        return isinstance(exc, EngineFailed)
    return True  # engines, database, Redis: transient until proven otherwise


def translate_article(
    task: Any, job_id: str, article_id: str, content_hash: str, request_json: str
) -> dict[str, str]:
    """One article of a batch job (the Celery task; `task` is the bound task instance)."""
    from service.batch.articles import error_message
    from service.schemas import ArticleRequest

    state = worker_state()
    if not state.results.claim(job_id, article_id, content_hash):
        return {"status": "skipped"}
    try:
        request = ArticleRequest.model_validate_json(request_json)
        response = state.runtime.pipeline.process(request)
    except Exception as exc:
        message = error_message(exc)
        retries = task.request.retries
        if not _retryable(exc) or retries >= task.max_retries:
            state.results.fail(job_id, article_id, content_hash, message)
            log.warning("%s/%s failed for good: %s", job_id, article_id, message)
            return {"status": "failed"}
        settings = state.settings
        backoff = min(
            settings.batch_retry_backoff_max_s, settings.batch_retry_backoff_s * 2**retries
        )
        countdown = backoff * (0.5 + random.random() / 2)  # jitter: failures do not resync
        state.results.retrying(job_id, article_id, content_hash, message)
        log.warning(
            "%s/%s: %s; retry %d in %.1fs", job_id, article_id, message, retries + 1, countdown
        )
        raise task.retry(exc=exc, countdown=countdown) from exc
    state.results.complete(job_id, article_id, content_hash, response.model_dump_json())
    return {"status": "done"}
