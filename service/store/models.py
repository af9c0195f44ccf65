"""The review store's tables (SQLAlchemy 2, typed). Alembic migrations under
`service/store/migrations` create exactly these; a test compares the two."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES: tuple[str, ...] = ("client", "editor", "admin")
STATES: tuple[str, ...] = ("machine_draft", "in_review", "approved", "rejected")
# "source" is the article's own text as the CMS sent it: neither a machine draft nor an edit.
KINDS: tuple[str, ...] = ("source", "machine", "human")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite hands back naive ones otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # sha256 of the key: keys are long random strings, so a fast hash is safe and allows lookup.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # This key's limits on the client endpoints; None: the settings' default, 0: unlimited.
    rpm: Mapped[int | None] = mapped_column(Integer, nullable=True)
    chars_per_day: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class ReviewSession(Base):
    """A log-in on the review page. The signed cookie carries a random id and only its sha256
    is stored; log-out deletes the row, so a copy of the cookie taken before opens nothing."""

    __tablename__ = "review_sessions"
    __table_args__ = (Index("ix_review_sessions_user", "user_id"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires: Mapped[datetime] = mapped_column(UTCDateTime())


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    source_lang: Mapped[str] = mapped_column(String(8))
    format: Mapped[str] = mapped_column(String(8))
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Version(Base):
    """One language of an article. Revision pointers are plain ids (no foreign key) because
    revisions point back at their version."""

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("article_id", "lang", name="uq_versions_article_lang"),
        Index("ix_versions_state_updated", "state", "updated"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    is_source: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="machine_draft")
    # The revision editors work on (what a save must name).
    head_revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved_revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    machine_revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    newer_machine_draft: Mapped[bool] = mapped_column(Boolean, default=False)
    updated: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Revision(Base):
    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_version", "version_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    title: Mapped[str] = mapped_column(Text)
    lede: Mapped[str | None] = mapped_column(Text, nullable=True)
    body: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Engine provenance as the API reports it, plus "paragraphs": one entry per body paragraph.
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON)
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # A save that named an outdated revision: kept, but not the version's head.
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    # QA flags (service.pipeline.qa) as the API reports them; None: stored before the checks.
    qa: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)


class ReviewEvent(Base):
    __tablename__ = "review_events"
    __table_args__ = (Index("ix_review_events_version", "version_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TmEntry(Base):
    __tablename__ = "tm_entries"
    __table_args__ = (
        UniqueConstraint("source_lang", "target_lang", "source_hash", name="uq_tm_pair_source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_lang: Mapped[str] = mapped_column(String(8))
    target_lang: Mapped[str] = mapped_column(String(8))
    # sha256 of the normalized source: sentences can be longer than an index allows.
    source_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    article_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    editor: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # "editor" (approved in review), "import" (a TMX/CSV file) or "archive" (aligned pairs).
    origin: Mapped[str] = mapped_column(String(16), server_default="editor")
    # Archive entries: the editor who confirmed the pair, and when (None: not confirmed, so
    # offered as a suggestion and reused only where NEWSDESK_ARCHIVE_MEMORY opts in).
    confirmed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class BatchJob(Base):
    """A distributed archive batch (`newsdesk batch submit`); service/batch/results.py."""

    __tablename__ = "batch_jobs"

    job_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    input: Mapped[str] = mapped_column(Text)
    # Articles the latest submit selected; final once `complete` (the submit read all input).
    articles: Mapped[int] = mapped_column(Integer, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BatchResult(Base):
    """One article of a batch job. The primary key makes each article exactly once however
    often the queue delivers its task; `content_hash` names the request it was queued for."""

    __tablename__ = "batch_results"
    __table_args__ = (
        Index("ix_batch_results_job_seq", "job_id", "seq"),
        Index("ix_batch_results_job_status", "job_id", "status"),
    )

    job_id: Mapped[str] = mapped_column(
        ForeignKey("batch_jobs.job_id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)  # place in the input: export order
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # queued | running | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    response: Mapped[str | None] = mapped_column(Text, nullable=True)  # POST /v1/articles JSON
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
