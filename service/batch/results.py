"""Where distributed batch results live: two tables in the service database (PostgreSQL in
production, NEWSDESK_DATABASE_URL; SQLite by default).

Migrations: the review store (service/store/) owns the Alembic history. Until it includes these
two tables, `BatchResults.open` creates them with `create_all` (a no-op once they exist), from
this module's own MetaData so that nothing here depends on the review store's models. When a
migration for them lands after the review store's head, the `create_all` here can go.

One row per (job, article): the primary key is what makes every article exactly once, whatever
the queue delivers twice. A row carries the hash of the request it was queued for; a task for
another hash (an earlier submit of a since-edited article) changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    func,
    select,
    tuple_,
    update,
)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUSES = (QUEUED, RUNNING, DONE, FAILED)

metadata = MetaData()

batch_jobs = Table(
    "batch_jobs",
    metadata,
    Column("job_id", String(200), primary_key=True),
    Column("input", Text, nullable=False),
    Column("articles", Integer, nullable=False, default=0),  # selected by the latest submit
    Column("submitted", Float, nullable=False),
    Column("complete", Integer, nullable=False, default=0),  # 1 once a submit read all input
)

batch_results = Table(
    "batch_results",
    metadata,
    Column("job_id", String(200), primary_key=True),
    Column("article_id", String(200), primary_key=True),
    Column("seq", Integer, nullable=False),  # place in the input, for export order
    Column("content_hash", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("response", Text, nullable=True),  # the POST /v1/articles response JSON
    Column("error", Text, nullable=True),
    Column("updated", Float, nullable=False),
    Index("ix_batch_results_job_seq", "job_id", "seq"),
    Index("ix_batch_results_job_status", "job_id", "status"),
)


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
    submitted: float
    complete: bool
    counts: dict[str, int]

    @property
    def finished(self) -> bool:
        return self.complete and self.counts.get(DONE, 0) == self.articles


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Several worker processes write one file: wait for the lock rather than fail.
        return create_engine(url, connect_args={"timeout": 30})
    return create_engine(url, pool_pre_ping=True)


class BatchResults:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> BatchResults:
        engine = make_engine(url)
        metadata.create_all(engine)  # see the module docstring: until the Alembic migration
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------------------- submit

    def start_job(self, job_id: str, input_name: str) -> None:
        now = time.time()
        with self.engine.begin() as conn:
            found = conn.execute(
                select(batch_jobs.c.job_id).where(batch_jobs.c.job_id == job_id)
            ).first()
            if found is None:
                conn.execute(
                    batch_jobs.insert().values(
                        job_id=job_id, input=input_name, articles=0, submitted=now, complete=0
                    )
                )
            else:
                conn.execute(
                    update(batch_jobs)
                    .where(batch_jobs.c.job_id == job_id)
                    .values(input=input_name, submitted=now, complete=0)
                )

    def finish_job(self, job_id: str, articles: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(batch_jobs)
                .where(batch_jobs.c.job_id == job_id)
                .values(articles=articles, complete=1)
            )

    def queue(self, job_id: str, items: Sequence[Pending]) -> list[Pending]:
        """Record `items` as wanted; returns those that need a task (not done for this hash).

        New articles are inserted as queued; an article whose content changed is reset to
        queued; queued and failed ones are sent again (a lost message costs nothing extra,
        since tasks are idempotent); done and running ones are left alone.
        """
        if not items:
            return []
        now = time.time()
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
            result = conn.execute(
                update(batch_results)
                .where(
                    and_(
                        batch_results.c.job_id == job_id,
                        batch_results.c.article_id == article_id,
                        batch_results.c.content_hash == content_hash,
                        batch_results.c.status != DONE,
                    )
                )
                .values(status=RUNNING, attempts=batch_results.c.attempts + 1, updated=time.time())
            )
            return bool(result.rowcount)

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
                .where(
                    and_(
                        batch_results.c.job_id == job_id,
                        batch_results.c.article_id == article_id,
                        batch_results.c.content_hash == content_hash,
                        batch_results.c.status != DONE,
                    )
                )
                .values(updated=time.time(), **values)
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
