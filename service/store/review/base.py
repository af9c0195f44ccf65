"""The store's engine, sessions and write lock, and the look-ups every role shares."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from service.config import Settings
from service.store import db
from service.store.models import (
    Article,
    Revision,
)
from service.store.models import Version as VersionRow
from service.store.review.errors import NotReviewable, RevisionNotFound, VersionNotFound
from service.store.triage import revision_number_of


class StoreBase:
    """The store's engine, sessions and write lock, and the look-ups every role shares."""

    def __init__(self, engine: Engine, archive_memory: bool = False) -> None:
        self.engine = engine
        # Whether unconfirmed archive pairs are reused exactly (Settings.archive_memory).
        self.archive_memory = archive_memory
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # SQLite has one writer anyway; serializing this process's writes avoids busy retries.
        self._write_lock = threading.RLock() if engine.dialect.name == "sqlite" else None

    @classmethod
    def open(cls, settings: Settings) -> Self:
        engine = db.make_engine(settings.resolved_database_url)
        db.upgrade(engine)
        return cls(engine, settings.archive_memory)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        if self._write_lock is not None:
            self._write_lock.acquire()
        try:
            with self._sessions() as session, session.begin():
                yield session
        finally:
            if self._write_lock is not None:
                self._write_lock.release()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def _version_row(
        self, session: Session, article_id: str, lang: str
    ) -> tuple[Article, VersionRow]:
        article = session.get(Article, article_id)
        row = (
            session.scalars(
                select(VersionRow).where(
                    VersionRow.article_id == article_id, VersionRow.lang == lang
                )
            ).one_or_none()
            if article is not None
            else None
        )
        if article is None or row is None or row.head_revision_id is None:
            raise VersionNotFound(article_id, lang)
        return article, row

    def _reviewable(
        self, session: Session, article_id: str, lang: str
    ) -> tuple[Article, VersionRow]:
        article, row = self._version_row(session, article_id, lang)
        if row.is_source:
            raise NotReviewable(article_id, lang)
        return article, row

    def _stale(self, session: Session, version_id: int, expected: int) -> tuple[int, str]:
        """The current head of a version and who wrote it (read after losing a race)."""
        head_id = session.execute(
            select(VersionRow.head_revision_id).where(VersionRow.id == version_id)
        ).scalar_one()
        head = session.get(Revision, head_id)
        author = head.author if head is not None else "someone"
        # Name the first saver after the expected revision when the line moved on several times.
        later = session.scalars(
            select(Revision)
            .where(
                Revision.version_id == version_id,
                Revision.id > expected,
                Revision.kind == "human",
                Revision.stale.is_(False),
            )
            .order_by(Revision.id)
            .limit(1)
        ).one_or_none()
        if later is not None:
            author = later.author
        return int(head_id or 0), author

    def _revision_number(self, session: Session, revision: Revision) -> int:
        """The revision's place among its version's revisions (r1, r2, ...)."""
        number = session.execute(
            select(revision_number_of(Revision.version_id, Revision.id)).where(
                Revision.id == revision.id
            )
        ).scalar_one()
        return int(number)

    def _source_revision(self, session: Session, article_id: str) -> Revision:
        source_row = session.scalars(
            select(VersionRow).where(
                VersionRow.article_id == article_id, VersionRow.is_source.is_(True)
            )
        ).one()
        source = session.get(Revision, source_row.head_revision_id)
        assert source is not None
        return source

    def _check_revision(
        self, session: Session, row: VersionRow, article_id: str, lang: str, revision_id: int
    ) -> None:
        found = session.get(Revision, revision_id)
        if found is None or found.version_id != row.id:
            raise RevisionNotFound(revision_id, article_id, lang)
