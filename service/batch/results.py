"""Where distributed batch results live: the `batch_jobs` and `batch_results` tables of the
service database (PostgreSQL in production, NEWSDESK_DATABASE_URL; SQLite by default).

The tables are the review store's models (service/store/models.py, `BatchJob`, `BatchResult`)
and its Alembic history (migration 0003); opening this store brings the schema to head, as the
service does at start.

One row per (job, article): the primary key is what makes every article exactly once, whatever
the queue delivers twice. A row carries the hash of the request it was queued for; a task for
another hash (an earlier submit of a since-edited article) changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, func, select, text, tuple_, update
from sqlalchemy.sql.elements import ColumnElement

from service.store.models import BatchJob, BatchResult, utcnow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUSES = (QUEUED, RUNNING, DONE, FAILED)

batch_jobs: Table = BatchJob.__table__  # type: ignore[assignment]
batch_results: Table = BatchResult.__table__  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Pending:
    """An article a submit wants done."""

    article_id: str
    seq: int
    content_hash: str


@dataclass(frozen=True, slots=True)
class JobCounts:
    job_id: str
    input: str
    articles: int
    submitted: datetime
    complete: bool
    counts: dict[str, int]

    @property
    def finished(self) -> bool:
        return self.complete and self.counts.get(DONE, 0) == self.articles


class BatchResults:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> BatchResults:
        from service.store import db

        engine = db.make_engine(url)
        db.upgrade(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------------------- submit

    def start_job(self, job_id: str, input_name: str) -> None:
        now = utcnow()
        with self.engine.begin() as conn:
            found = conn.execute(
                select(batch_jobs.c.job_id).where(batch_jobs.c.job_id == job_id)
            ).first()
            if found is None:
                conn.execute(
                    batch_jobs.insert().values(
                        job_id=job_id, input=input_name, articles=0, submitted=now, complete=False
                    )
                )
            else:
                conn.execute(
                    update(batch_jobs)
                    .where(batch_jobs.c.job_id == job_id)
                    .values(input=input_name, submitted=now, complete=False)
                )

    def finish_job(self, job_id: str, articles: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(batch_jobs)
                .where(batch_jobs.c.job_id == job_id)
                .values(articles=articles, complete=True)
            )

    def queue(self, job_id: str, items: Sequence[Pending]) -> list[Pending]:
        """Record `items` as wanted; returns those that need a task (not done for this hash).

        New articles are inserted as queued; an article whose content changed is reset to
        queued; queued and failed ones are sent again (a lost message costs nothing extra,
        since tasks are idempotent); done and running ones are left alone.
        """
        if not items:
            return []
        now = utcnow()
        ids = [p.article_id for p in items]
        send: list[Pending] = []
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(
                    batch_results.c.article_id,
                    batch_results.c.content_hash,
                    batch_results.c.status,
                    batch_results.c.seq,
                ).where(and_(batch_results.c.job_id == job_id, batch_results.c.article_id.in_(ids)))
            ).all()
            existing = {r.article_id: r for r in rows}
            new_rows: list[dict[str, Any]] = []
            for p in items:
                row = existing.get(p.article_id)
                if row is None:
                    new_rows.append(
                        {
                            "job_id": job_id,
                            "article_id": p.article_id,
                            "seq": p.seq,
                            "content_hash": p.content_hash,
                            "status": QUEUED,
                            "attempts": 0,
                            "updated": now,
                        }
                    )
                    send.append(p)
                elif row.content_hash != p.content_hash:
                    conn.execute(
                        self._row(job_id, p.article_id).values(
                            seq=p.seq,
                            content_hash=p.content_hash,
                            status=QUEUED,
                            attempts=0,
                            response=None,
                            error=None,
                            updated=now,
                        )
                    )
                    send.append(p)
                else:
                    if row.seq != p.seq:
                        conn.execute(self._row(job_id, p.article_id).values(seq=p.seq))
                    if row.status in (QUEUED, FAILED):
                        send.append(p)
            if new_rows:
                conn.execute(batch_results.insert(), new_rows)
        return send

    @staticmethod
    def _row(job_id: str, article_id: str) -> Any:
        return update(batch_results).where(
            and_(batch_results.c.job_id == job_id, batch_results.c.article_id == article_id)
        )

    # -------------------------------------------------------------------------------- tasks

    def claim(self, job_id: str, article_id: str, content_hash: str) -> bool:
        """Mark the article running (one more attempt); False if there is nothing to do.

        Nothing to do: already done (a duplicate or re-delivered task), or the row now wants
        another version of the article. A row left running by a killed worker is claimable.
        """
        with self.engine.begin() as conn:
            self._no_commit_wait(conn)
            result = conn.execute(
                update(batch_results)
                .where(_open_row(job_id, article_id, content_hash))
                .values(status=RUNNING, attempts=batch_results.c.attempts + 1, updated=utcnow())
            )
            return bool(result.rowcount)

    @staticmethod
    def _no_commit_wait(conn: Connection) -> None:
        """PostgreSQL: do not wait for this transaction's WAL flush. For bookkeeping a crash may
        lose (the running mark, an attempt count) without harm: the task itself is only
        acknowledged after `complete`, which does wait."""
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL synchronous_commit TO OFF"))

    def complete(self, job_id: str, article_id: str, content_hash: str, response: str) -> bool:
        """Store the result unless another delivery of the same task stored it first."""
        return self._set(
            job_id, article_id, content_hash, status=DONE, response=response, error=None
        )

    def fail(self, job_id: str, article_id: str, content_hash: str, error: str) -> bool:
        return self._set(job_id, article_id, content_hash, status=FAILED, error=error)

    def retrying(self, job_id: str, article_id: str, content_hash: str, error: str) -> bool:
        return self._set(job_id, article_id, content_hash, status=QUEUED, error=error)

    def _set(self, job_id: str, article_id: str, content_hash: str, **values: Any) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(batch_results)
                .where(_open_row(job_id, article_id, content_hash))
                .values(updated=utcnow(), **values)
            )
            return bool(result.rowcount)

    # ------------------------------------------------------------------------ status/export

    def jobs(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(batch_jobs.c.job_id).order_by(batch_jobs.c.submitted)).all()
        return [r.job_id for r in rows]

    def counts(self, job_id: str) -> JobCounts | None:
        with self.engine.connect() as conn:
            job = conn.execute(select(batch_jobs).where(batch_jobs.c.job_id == job_id)).first()
            if job is None:
                return None
            rows = conn.execute(
                select(batch_results.c.status, func.count())
                .where(batch_results.c.job_id == job_id)
                .group_by(batch_results.c.status)
            ).all()
        counts = dict.fromkeys(STATUSES, 0)
        counts.update((str(status), int(n)) for status, n in rows)
        articles = job.articles if job.complete else sum(counts.values())
        return JobCounts(job_id, job.input, articles, job.submitted, bool(job.complete), counts)

    def failures(self, job_id: str, limit: int = 20) -> list[tuple[str, int, str | None]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(batch_results.c.article_id, batch_results.c.attempts, batch_results.c.error)
                .where(and_(batch_results.c.job_id == job_id, batch_results.c.status == FAILED))
                .order_by(batch_results.c.seq)
                .limit(limit)
            ).all()
        return [(r.article_id, r.attempts, r.error) for r in rows]

    def responses(self, job_id: str, batch: int = 500) -> Iterator[str]:
        """Every done article's response JSON, in input order, a page at a time."""
        last: tuple[int, str] = (-1, "")
        key = tuple_(batch_results.c.seq, batch_results.c.article_id)
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(
                        batch_results.c.seq, batch_results.c.article_id, batch_results.c.response
                    )
                    .where(
                        and_(
                            batch_results.c.job_id == job_id,
                            batch_results.c.status == DONE,
                            key > tuple_(*last),
                        )
                    )
                    .order_by(batch_results.c.seq, batch_results.c.article_id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            for row in rows:
                yield row.response
            last = (rows[-1].seq, rows[-1].article_id)


def _open_row(job_id: str, article_id: str, content_hash: str) -> ColumnElement[bool]:
    """This version of the article in this job, unless it is done: a done row never changes."""
    return and_(
        batch_results.c.job_id == job_id,
        batch_results.c.article_id == article_id,
        batch_results.c.content_hash == content_hash,
        batch_results.c.status != DONE,
    )
