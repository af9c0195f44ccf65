"""The review store: articles, their language versions and every revision of them, editors'
review (machine_draft → in_review → approved | rejected), users and API keys, and the
translation memory that approved edits teach.

Rules kept here, whoever calls (API, review page, pipeline, batch):
- a machine run never overwrites human work: where a version is approved or edited, the new
  machine revision is stored beside it and the version is flagged `newer_machine_draft`;
- every editor save is a new revision (author, time, parent); a save names the revision it
  edits, and a save against an outdated revision is kept as a *stale* revision and refused
  with 409 naming who saved in between, so nothing is lost;
- approving aligns the approved sentences a person checked (changed, or confirmed: see
  `checked.py`) with their source sentences into `tm_entries`, which the pipeline consults
  before its cache (this class is its `ApprovedMemory`);
- a save that changes the body takes the summary the caller made again from that body (a
  machine draft to review, `RegeneratedSummary`), unless the editor changed the summary in the
  same save: theirs is kept and flagged stale, as is the old summary when none could be made.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from service.config import Settings
from service.document.paragraphs import (
    body_flow_texts,
    paragraph_markup,
    paragraph_texts,
    sentence_texts,
)
from service.document.sanitize import safe_body, safe_text, safe_version
from service.document.segment import normalize
from service.errors import NewsdeskError, NotFound
from service.schemas import (
    ArticleRequest,
    ArticleResponse,
    Provenance,
    QaFlag,
    ReviewInfo,
    SummaryReview,
    Version,
)
from service.security import (
    ROLE_RANK,
    burn_password_check,
    hash_api_key,
    hash_password,
    new_api_key,
    new_session_id,
    verify_password,
)
from service.store import db
from service.store.articles import DraftOrigins
from service.store.checked import Confirmed, Texts, checked_pairs
from service.store.checks import QaCheck, QaInput
from service.store.diff import RevisionDiff, diff_revisions
from service.store.fuzzy import best_matches, length_window
from service.store.memory_records import ImportCounts, MemoryPair, MemoryRecord
from service.store.merge import Conflicts, Sides, merge
from service.store.models import (
    ApiKey,
    Article,
    ReviewEvent,
    ReviewSession,
    Revision,
    TmEntry,
    User,
    utcnow,
)
from service.store.models import Version as VersionRow

log = logging.getLogger(__name__)

OTHER = {"en": "es", "es": "en"}
MARKUP_REMOVED = "markup its source does not have was removed"
TEXT_FIELDS = ("title", "lede", "body", "summary")
# Memory entries read for one version's suggestions (newest first): bounds the time they take.
SUGGESTION_ROWS = 5000


# -- errors (fixed messages; the API maps them to status codes) ------------------------------


class VersionNotFound(NotFound):
    def __init__(self, article_id: str, lang: str) -> None:
        super().__init__(f"no {lang} version of article {article_id}")


class RevisionNotFound(NotFound):
    def __init__(self, revision: int, article_id: str, lang: str) -> None:
        super().__init__(f"revision {revision} is not a revision of {article_id}/{lang}")


class NotReviewable(NewsdeskError):
    status_code = 409

    def __init__(self, article_id: str, lang: str) -> None:
        super().__init__(
            f"{lang} is the source language of article {article_id}: only translations are reviewed"
        )


class StaleRevision(NewsdeskError):
    """A save or approval named a revision that is no longer the version's head."""

    status_code = 409

    def __init__(self, expected: int, head: int, author: str, kept: int | None = None) -> None:
        message = f"revision {expected} is out of date: {author} saved revision {head} in between"
        if kept is not None:
            message += f"; your text is kept as revision {kept}"
        super().__init__(message)
        self.expected, self.head, self.author, self.kept = expected, head, author, kept


class MergeConflict(StaleRevision):
    """A save on an outdated revision changed parts that were changed differently since."""

    def __init__(self, expected: int, head: int, author: str, kept: int, conflicts: Conflicts):
        super().__init__(expected, head, author, kept)
        parts = [f"paragraph {i}" for i in conflicts.paragraphs] + list(conflicts.fields)
        self.message = (
            f"revision {expected} is out of date: {author} saved revision {head} in between "
            f"and changed what you changed ({', '.join(parts)}); "
            f"your text is kept as revision {kept}"
        )
        self.args = (self.message,)
        self.conflicts = conflicts
        self.extra = {
            "conflicts": {
                "paragraphs": list(conflicts.paragraphs),
                "fields": list(conflicts.fields),
            },
            "head_revision": head,
            "kept_revision": kept,
        }


class AlreadyApproved(NewsdeskError):
    status_code = 409

    def __init__(self, revision: int) -> None:
        super().__init__(f"revision {revision} is already approved")


class NothingToSave(NewsdeskError):
    def __init__(self) -> None:
        super().__init__("nothing to save: give at least one of title, lede, body, summary")


class UserExists(NewsdeskError):
    status_code = 409

    def __init__(self, name: str) -> None:
        super().__init__(f"user already exists: {name}")


class UnknownRole(NewsdeskError):
    def __init__(self, role: str) -> None:
        super().__init__(f"unknown role: {role} (client, editor or admin)")


class NegativeLimit(NewsdeskError):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} must be 0 (unlimited) or more")


# -- what the store hands out -----------------------------------------------------------------


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user (review page) or an API key."""

    name: str
    role: str
    user_id: int | None = None
    key_id: int | None = None
    # A key's own limits on the client endpoints; None: the configured default, 0: unlimited.
    rpm: int | None = None
    chars_per_day: int | None = None


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str
    role: str
    created: datetime


@dataclass(frozen=True)
class KeyInfo:
    id: int
    prefix: str
    role: str
    name: str
    user: str | None
    created: datetime
    revoked: datetime | None
    rpm: int | None = None
    chars_per_day: int | None = None


@dataclass(frozen=True)
class RevisionInfo:
    id: int
    kind: str
    author: str
    created: datetime
    title: str
    lede: str | None
    body: str
    summary: str | None
    provenance: dict[str, Any]
    parent_id: int | None
    stale: bool
    # QA flags stored with the revision (service.pipeline.qa); empty when never checked.
    qa: list[dict[str, Any]] = field(default_factory=list)

    def texts(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in TEXT_FIELDS}

    @property
    def paragraphs(self) -> list[dict[str, Any]]:
        found = self.provenance.get("paragraphs")
        return found if isinstance(found, list) else []


@dataclass(frozen=True)
class EventInfo:
    id: int
    action: str
    author: str
    comment: str | None
    revision_id: int | None
    created: datetime


@dataclass(frozen=True)
class VersionInfo:
    article_id: str
    lang: str
    source_lang: str
    format: str
    state: str
    head_revision_id: int | None
    approved_revision_id: int | None
    machine_revision_id: int | None
    newer_machine_draft: bool
    updated: datetime


@dataclass(frozen=True)
class QueueItem:
    version: VersionInfo
    title: str
    head_author: str
    head_kind: str
    qa_count: int = 0  # the head revision's QA flags


@dataclass
class Queue:
    items: list[QueueItem]
    counts: dict[str, int]
    total: int


@dataclass
class ReviewView:
    """Everything the review page shows for one version."""

    version: VersionInfo
    source: RevisionInfo
    head: RevisionInfo
    approved: RevisionInfo | None
    machine: RevisionInfo | None  # the newest machine revision
    base_machine: RevisionInfo | None  # the machine revision the head descends from
    revisions: list[RevisionInfo]
    events: list[EventInfo] = field(default_factory=list)


@dataclass(frozen=True)
class MemorySuggestion:
    """A near match in the memory for one source sentence, for the editor to consider."""

    field: str  # title | lede | body
    paragraph: int | None  # body paragraph index, from 0
    source: str  # the article's source sentence
    match: str  # the memory's source sentence
    target: str  # its approved translation
    score: float  # 0.75..1


@dataclass
class EditOutcome:
    revision: RevisionInfo
    version: VersionInfo
    # The revision saved since the one the edit started from, merged with it (None: not merged).
    merged_with: int | None = None
    markup_removed: bool = False  # the sanitizer removed markup from what the editor sent


@dataclass(frozen=True)
class RegeneratedSummary:
    """A summary the pipeline made from an edited body, handed to `ReviewStore.edit` (the store
    sits below the pipeline and cannot summarize). `text` None: no summarizer could run, and
    `reason` says why."""

    body: str  # the (sanitized) body it summarizes: used only if the save stores this body
    text: str | None
    engine: dict[str, str] | None = None
    reason: str | None = None


SUMMARY_REGENERATED = "made again from the edited body; review it"
SUMMARY_EDITED_WITH_BODY = "the editor changed the body and the summary in the same save"
SUMMARY_EDITORS = "the body changed; the summary is an editor's and is kept as written"
SUMMARY_NOT_REGENERATED = "the body changed and no summarizer ran on it"


# -- helpers ----------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Imported text with its whitespace runs made single spaces, as sentences reach lookup."""
    return " ".join(text.split())


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _revision_info(row: Revision) -> RevisionInfo:
    return RevisionInfo(
        id=row.id,
        kind=row.kind,
        author=row.author,
        created=row.created,
        title=row.title,
        lede=row.lede,
        body=row.body,
        summary=row.summary,
        provenance=dict(row.provenance or {}),
        parent_id=row.parent_id,
        stale=row.stale,
        qa=list(row.qa or []),
    )


def _texts(row: Revision) -> Texts:
    return Texts(row.title, row.lede, row.body)


def _version_info(row: VersionRow, article: Article) -> VersionInfo:
    return VersionInfo(
        article_id=row.article_id,
        lang=row.lang,
        source_lang=article.source_lang,
        format=article.format,
        state=row.state,
        head_revision_id=row.head_revision_id,
        approved_revision_id=row.approved_revision_id,
        machine_revision_id=row.machine_revision_id,
        newer_machine_draft=row.newer_machine_draft,
        updated=row.updated,
    )


def _same_text(row: Revision, version: Version) -> bool:
    return (row.title, row.lede, row.body, row.summary) == (
        version.title,
        version.lede,
        version.body,
        version.summary,
    )


def _machine_provenance(
    version: Version, origins: DraftOrigins | None, paragraphs: int, cached: bool
) -> dict[str, Any]:
    provenance = version.provenance.model_dump(mode="json")
    engine = provenance.get("translation")
    if origins is None:
        # An article-cache hit: every part is exactly what the cache held.
        counts: list[dict[str, int]] = [{"cache": 1} if cached else {} for _ in range(paragraphs)]
        title: dict[str, int] = {"cache": 1} if cached else {}
    else:
        counts = list(origins.body)[:paragraphs]
        counts += [{} for _ in range(paragraphs - len(counts))]
        title = dict(origins.title)
    provenance["parts"] = {"title": {"sentences": title, "engine": engine}}
    provenance["paragraphs"] = [{"sentences": dict(c), "engine": engine} for c in counts]
    return provenance


def _human_provenance(
    base: Revision, new_body: str, new_title: str, fmt: str, author: str
) -> dict[str, Any]:
    """The base revision's provenance, with every paragraph the editor changed marked as theirs."""
    provenance = dict(base.provenance or {})
    old = paragraph_markup(base.body, fmt)
    new = paragraph_markup(new_body, fmt)
    inherited = provenance.get("paragraphs") or []
    paragraphs: list[dict[str, Any]] = []
    for index, text in enumerate(new):
        same = index < len(old) and old[index] == text and len(old) == len(new)
        if same and index < len(inherited):
            paragraphs.append(inherited[index])
        else:
            paragraphs.append({"editor": author})
    provenance["paragraphs"] = paragraphs
    parts = dict(provenance.get("parts") or {})
    if new_title != base.title:
        parts["title"] = {"editor": author}
    provenance["parts"] = parts
    return provenance


def _sides(row: Revision) -> Sides:
    return Sides(row.title, row.lede, row.body, row.summary)


def _merged_edit(
    base: Revision, head: Revision, clean: dict[str, str | None], fmt: str
) -> tuple[dict[str, str | None], Conflicts]:
    """An edit of `base` (its sanitized fields, None: unchanged) merged onto `head`: as an edit
    of `head` (None where the merge leaves head's value), and the conflicts."""
    ours = _sides(base)
    mine = Sides(
        title=ours.title if clean["title"] is None else clean["title"],
        lede=ours.lede if clean["lede"] is None else clean["lede"],
        body=ours.body if clean["body"] is None else clean["body"],
        summary=ours.summary if clean["summary"] is None else clean["summary"],
    )
    result = merge(ours, _sides(head), mine, fmt)
    merged = result.texts
    onto: dict[str, str | None] = {
        name: None if getattr(merged, name) == getattr(head, name) else getattr(merged, name)
        for name in ("title", "lede", "body", "summary")
    }
    return onto, result.conflicts


def editor_wrote_summary(provenance: dict[str, Any]) -> bool:
    """Whether an editor wrote the summary of the revision with this provenance."""
    part = (provenance.get("parts") or {}).get("summary")
    return isinstance(part, dict) and "editor" in part


def _summary_after_edit(
    base: Revision,
    new_body: str,
    summary: str | None,
    regenerated: RegeneratedSummary | None,
    provenance: dict[str, Any],
    author: str,
) -> str | None:
    """The summary a save stores. `provenance` (the new revision's) is updated to say where it
    comes from: `parts.summary` (an editor, or the engine that made it again) and, after a
    body change, `summary_review`; a regenerated summary is also the `summary` engine."""
    edited = summary is not None and summary != base.summary
    parts = dict(provenance.get("parts") or {})
    provenance["parts"] = parts
    if edited:
        parts["summary"] = {"editor": author}
    if new_body == base.body:
        if edited:
            # Written by the editor against this very body: nothing is stale any more.
            provenance.pop("summary_review", None)
        return summary if edited else base.summary
    if base.summary is None and not edited:
        return None  # the article was stored without summaries: none is made for it now
    if edited or editor_wrote_summary(base.provenance or {}):
        # An editor's summary is never replaced by a machine one: kept, flagged for a look.
        reason = SUMMARY_EDITED_WITH_BODY if edited else SUMMARY_EDITORS
        provenance["summary_review"] = {"state": "stale", "reason": reason}
        return summary if edited else base.summary
    if regenerated is not None and regenerated.text and regenerated.body == new_body:
        parts["summary"] = {"engine": regenerated.engine}
        provenance["summary"] = regenerated.engine
        provenance["summary_review"] = {
            "state": "regenerated",
            "engine": regenerated.engine,
            "reason": SUMMARY_REGENERATED,
        }
        return regenerated.text
    reason = (regenerated.reason if regenerated is not None else None) or SUMMARY_NOT_REGENERATED
    provenance["summary_review"] = {"state": "stale", "reason": reason}
    return base.summary


def _fields(row: Revision) -> dict[str, str | None]:
    """The revision's four texts by field name, as the QA checks read them."""
    return {"title": row.title, "lede": row.lede, "body": row.body, "summary": row.summary}


def _qa_input(
    article: Article, lang: str, source: Revision, base: Revision, revision: Revision
) -> QaInput:
    return QaInput(
        source_lang=article.source_lang,
        target_lang=lang,
        format=article.format,
        source=_fields(source),
        target=_fields(revision),
        base=_fields(base),
        base_flags=list(base.qa or []),
    )


def summary_review(provenance: dict[str, Any]) -> SummaryReview | None:
    """What a revision's provenance says of its summary after a body edit (None: nothing)."""
    found = provenance.get("summary_review")
    return SummaryReview.model_validate(found) if isinstance(found, dict) else None


class ReviewStore:
    """SQLAlchemy-backed ArticleStore and ApprovedMemory; also users, keys and review."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # SQLite has one writer anyway; serializing this process's writes avoids busy retries.
        self._write_lock = threading.RLock() if engine.dialect.name == "sqlite" else None

    @classmethod
    def open(cls, settings: Settings) -> ReviewStore:
        engine = db.make_engine(settings.resolved_database_url)
        db.upgrade(engine)
        return cls(engine)

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

    # -- ArticleStore -------------------------------------------------------------------------

    def save(
        self,
        request: ArticleRequest,
        response: ArticleResponse,
        origins: DraftOrigins | None = None,
    ) -> ArticleResponse:
        # A repeat (a cache hit, a re-post) usually has nothing new to store: then a read, and
        # no write transaction for every other writer to queue behind.
        for attempt in (1, 2):
            if self._unchanged(request, response):
                break
            try:
                with self._write() as session:
                    self._save(session, request, response, origins)
                break
            except IntegrityError:
                # Two first saves of one article raced; the second try finds the rows.
                if attempt == 2:
                    raise
        found = self.get(response.id)
        assert found is not None
        return found.model_copy(update={"cached": response.cached})

    def _unchanged(self, request: ArticleRequest, response: ArticleResponse) -> bool:
        """True when `_save` would store nothing (its own rule): the article exists in this
        language and format, and each version's newest machine revision has this text from
        this engine."""
        with self._read() as session:
            rows = session.execute(
                select(
                    VersionRow.lang,
                    Article.source_lang,
                    Article.format,
                    Revision.title,
                    Revision.lede,
                    Revision.body,
                    Revision.summary,
                    Revision.provenance,
                )
                .join(Article, Article.id == VersionRow.article_id)
                .join(Revision, Revision.id == VersionRow.machine_revision_id)
                .where(VersionRow.article_id == response.id)
            ).all()
        stored = {row.lang: row for row in rows}
        for lang, version in response.versions.items():
            found = stored.get(lang)
            if found is None:
                return False
            engine = version.provenance.translation
            have = (found.source_lang, found.format, found.title, found.lede, found.body)
            want = (response.source_lang, request.format, version.title, version.lede, version.body)
            if (
                have != want
                or found.summary != version.summary
                or found.provenance.get("translation")
                != (engine.model_dump(mode="json") if engine else None)
            ):
                return False
        return bool(response.versions)

    def _save(
        self,
        session: Session,
        request: ArticleRequest,
        response: ArticleResponse,
        origins: DraftOrigins | None,
    ) -> None:
        now = utcnow()
        article = session.get(Article, response.id)
        if article is None:
            article = Article(
                id=response.id,
                source_lang=response.source_lang,
                format=request.format,
                created=now,
                updated=now,
            )
            session.add(article)
            session.flush()
        else:
            article.source_lang = response.source_lang
            article.format = request.format
            article.updated = now
        for lang, version in response.versions.items():
            is_source = lang == response.source_lang
            row = session.scalars(
                select(VersionRow).where(
                    VersionRow.article_id == article.id, VersionRow.lang == lang
                )
            ).one_or_none()
            if row is None:
                row = VersionRow(
                    article_id=article.id,
                    lang=lang,
                    is_source=is_source,
                    state="source" if is_source else "machine_draft",
                    newer_machine_draft=False,
                    updated=now,
                )
                session.add(row)
                session.flush()
            previous = (
                session.get(Revision, row.machine_revision_id) if row.machine_revision_id else None
            )
            if is_source:
                provenance = version.provenance.model_dump(mode="json")
                kind, author = "source", "source"
            else:
                paragraphs = len(body_flow_texts(version.body, request.format))
                provenance = _machine_provenance(version, origins, paragraphs, response.cached)
                ref = version.provenance.translation
                kind = "machine"
                author = f"{ref.engine}:{ref.model}@{ref.revision}" if ref else "machine"
            if (
                previous is not None
                and _same_text(previous, version)
                and previous.provenance.get("translation") == provenance.get("translation")
            ):
                continue  # the same draft again (a cache hit, a re-post): nothing new to keep
            revision = Revision(
                version_id=row.id,
                kind=kind,
                author=author,
                created=now,
                title=version.title,
                lede=version.lede,
                body=version.body,
                summary=version.summary,
                provenance=provenance,
                parent_id=row.machine_revision_id,
                stale=False,
                qa=[flag.model_dump(mode="json") for flag in version.qa],
            )
            session.add(revision)
            session.flush()
            self._place_machine_revision(session, row, revision, is_source, now)

    def _place_machine_revision(
        self, session: Session, row: VersionRow, revision: Revision, is_source: bool, now: datetime
    ) -> None:
        head = session.get(Revision, row.head_revision_id) if row.head_revision_id else None
        human_work = row.approved_revision_id is not None or (
            head is not None and head.kind == "human"
        )
        if is_source:
            session.execute(
                update(VersionRow)
                .where(VersionRow.id == row.id)
                .values(head_revision_id=revision.id, machine_revision_id=revision.id, updated=now)
                .execution_options(synchronize_session=False)
            )
            return
        if not human_work:
            # Conditional on the head we looked at: an editor saving meanwhile wins.
            moved = session.execute(
                update(VersionRow)
                .where(
                    VersionRow.id == row.id,
                    VersionRow.head_revision_id.is_(None)
                    if row.head_revision_id is None
                    else VersionRow.head_revision_id == row.head_revision_id,
                )
                .values(
                    head_revision_id=revision.id,
                    machine_revision_id=revision.id,
                    state="machine_draft",
                    newer_machine_draft=False,
                    updated=now,
                )
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
            if moved:
                session.add(
                    ReviewEvent(
                        version_id=row.id,
                        revision_id=revision.id,
                        action="machine",
                        author=revision.author,
                        created=now,
                    )
                )
                return
        session.execute(
            update(VersionRow)
            .where(VersionRow.id == row.id)
            .values(machine_revision_id=revision.id, newer_machine_draft=True, updated=now)
            .execution_options(synchronize_session=False)
        )
        session.add(
            ReviewEvent(
                version_id=row.id,
                revision_id=revision.id,
                action="machine",
                author=revision.author,
                comment="newer machine draft stored beside the editors' text",
                created=now,
            )
        )

    def get(self, article_id: str) -> ArticleResponse | None:
        with self._read() as session:
            article = session.get(Article, article_id)
            if article is None:
                return None
            rows = session.scalars(
                select(VersionRow).where(VersionRow.article_id == article_id)
            ).all()
            versions: dict[str, Version] = {}
            for row in sorted(rows, key=lambda r: (not r.is_source, r.lang)):
                current_id = row.approved_revision_id or row.head_revision_id
                if current_id is None:
                    continue
                revision = session.get(Revision, current_id)
                assert revision is not None
                approval = None
                if row.approved_revision_id is not None:
                    approval = session.scalars(
                        select(ReviewEvent)
                        .where(
                            ReviewEvent.version_id == row.id,
                            ReviewEvent.action == "approve",
                            ReviewEvent.revision_id == row.approved_revision_id,
                        )
                        .order_by(ReviewEvent.id.desc())
                        .limit(1)
                    ).one_or_none()
                version = Version(
                    title=revision.title,
                    lede=revision.lede,
                    body=revision.body,
                    summary=revision.summary,
                    provenance=Provenance.model_validate(revision.provenance),
                    qa=[QaFlag.model_validate(flag) for flag in revision.qa or []],
                    review=ReviewInfo(
                        state=row.state,
                        revision=revision.id,
                        head_revision=row.head_revision_id,
                        approved_by=approval.author if approval else None,
                        approved_at=approval.created if approval else None,
                        newer_machine_draft=row.newer_machine_draft,
                        summary_review=summary_review(revision.provenance or {}),
                    ),
                )
                source = versions.get(article.source_lang)
                if not row.is_source:
                    # Served held to the source's markup, whenever and however it was stored.
                    version = safe_version(
                        source or Version(title="", body="", provenance=version.provenance),
                        article.format,
                        version,
                    )
                versions[row.lang] = version
            return ArticleResponse(
                id=article.id,
                source_lang=article.source_lang,  # type: ignore[arg-type]
                versions=versions,
                cached=False,
            )

    # -- ApprovedMemory -----------------------------------------------------------------------

    def lookup(self, source: str, target: str, sentences: Sequence[str]) -> dict[str, str]:
        by_hash = {_hash(s): s for s in sentences if s}
        if not by_hash:
            return {}
        found: dict[str, str] = {}
        hashes = list(by_hash)
        with self._read() as session:
            for start in range(0, len(hashes), 500):
                rows = session.execute(
                    select(TmEntry.source_hash, TmEntry.target).where(
                        TmEntry.source_lang == source,
                        TmEntry.target_lang == target,
                        TmEntry.source_hash.in_(hashes[start : start + 500]),
                    )
                )
                for source_hash, text in rows:
                    found[by_hash[source_hash]] = text
        return found

    def memory_stamp(self, source: str, target: str) -> str:
        """Changes whenever the memory for the pair changes (part of the article cache key).
        The newest `created` is part of it because SQLite gives a replaced newest entry its
        old id again (no AUTOINCREMENT), which would leave count and last id as they were."""
        with self._read() as session:
            count, last, newest = session.execute(
                select(
                    func.count(TmEntry.id), func.max(TmEntry.id), func.max(TmEntry.created)
                ).where(TmEntry.source_lang == source, TmEntry.target_lang == target)
            ).one()
        return f"{count}.{last}.{newest}" if count else "0.0"

    def tm_entries(self, source: str, target: str) -> list[tuple[str, str, str]]:
        """(source, target, editor) of the pair, oldest first."""
        with self._read() as session:
            rows = session.execute(
                select(TmEntry.source, TmEntry.target, TmEntry.editor)
                .where(TmEntry.source_lang == source, TmEntry.target_lang == target)
                .order_by(TmEntry.id)
            )
            return [(s, t, e) for s, t, e in rows]

    # -- memory in and out (service/tm_cli.py, service/api/memory.py) ------------------------

    def import_memory(self, pairs: Sequence[MemoryPair], editor: str) -> ImportCounts:
        """Adds file or archive pairs to the memory. A source already there with the same
        translation is left alone (no new id, so cached articles stay valid); with another
        translation it is replaced, the way an approval replaces it."""
        added = replaced = unchanged = 0
        with self._write() as session:
            for pair in pairs:
                source_text, target_text = _one_line(pair.source), _one_line(pair.target)
                if not source_text or not target_text:
                    continue
                key = _hash(source_text)
                existing = session.scalars(
                    select(TmEntry).where(
                        TmEntry.source_lang == pair.source_lang,
                        TmEntry.target_lang == pair.target_lang,
                        TmEntry.source_hash == key,
                    )
                ).one_or_none()
                if existing is not None:
                    if existing.target == target_text:
                        unchanged += 1
                        continue
                    session.delete(existing)
                    session.flush()
                    replaced += 1
                else:
                    added += 1
                session.add(
                    TmEntry(
                        source_lang=pair.source_lang,
                        target_lang=pair.target_lang,
                        source_hash=key,
                        source=source_text,
                        target=target_text,
                        editor=editor,
                        origin=pair.origin,
                    )
                )
        return ImportCounts(added, replaced, unchanged)

    def memory_records(
        self,
        source: str | None = None,
        target: str | None = None,
        origin: str | None = None,
        limit: int | None = None,
    ) -> list[MemoryRecord]:
        """Stored entries, oldest first, optionally of one pair and one origin."""
        query = select(TmEntry).order_by(TmEntry.id)
        if source is not None:
            query = query.where(TmEntry.source_lang == source)
        if target is not None:
            query = query.where(TmEntry.target_lang == target)
        if origin is not None:
            query = query.where(TmEntry.origin == origin)
        if limit is not None:
            query = query.limit(limit)
        with self._read() as session:
            return [
                MemoryRecord(
                    row.id,
                    row.source_lang,
                    row.target_lang,
                    row.source,
                    row.target,
                    row.origin,
                    row.editor,
                    row.created,
                )
                for row in session.scalars(query)
            ]

    def delete_memory(self, ids: Sequence[int]) -> int:
        """Removes entries by id; returns how many there were."""
        if not ids:
            return 0
        with self._write() as session:
            result = session.execute(delete(TmEntry).where(TmEntry.id.in_(list(ids))))
        return int(getattr(result, "rowcount", 0) or 0)

    def memory_suggestions(self, article_id: str, lang: str) -> list[MemorySuggestion]:
        """Near matches (>= 75% similar) in the memory for the source sentences of a version,
        where its head does not already have that translation: shown to the editor, never
        applied (fuzzy.py). Reads at most SUGGESTION_ROWS entries, newest first."""
        with self._read() as session:
            article, row = self._reviewable(session, article_id, lang)
            source = self._source_revision(session, article_id)
            head = session.get(Revision, row.head_revision_id)
            assert head is not None
            units: list[tuple[str, int | None, str, str]] = [
                ("title", None, source.title, head.title)
            ]
            if source.lede:
                units.append(("lede", None, source.lede, head.lede or ""))
            drafts = paragraph_texts(head.body, article.format)
            for index, flow in enumerate(body_flow_texts(source.body, article.format)):
                units.append(("body", index, flow, drafts[index] if index < len(drafts) else ""))
            wanted = [
                (field_name, index, sentence, draft)
                for field_name, index, text, draft in units
                for sentence in sentence_texts(text, article.source_lang)
                if sentence
            ]
            if not wanted:
                return []
            lengths = [len(sentence) for _, _, sentence, _ in wanted]
            low, high = length_window(min(lengths))[0], length_window(max(lengths))[1]
            rows = session.execute(
                select(TmEntry.source, TmEntry.target)
                .where(
                    TmEntry.source_lang == article.source_lang,
                    TmEntry.target_lang == lang,
                    func.length(TmEntry.source).between(low, high),
                )
                .order_by(TmEntry.id.desc())
                .limit(SUGGESTION_ROWS)
            ).all()
        matches = best_matches([w[2] for w in wanted], [(s, t) for s, t in rows])
        found: list[MemorySuggestion] = []
        for field_name, paragraph, sentence, draft in wanted:
            match = matches.get(sentence)
            if match is None or match.target in normalize(draft):
                continue
            found.append(
                MemorySuggestion(
                    field_name, paragraph, sentence, match.source, match.target, match.score
                )
            )
        return found

    def _learn(
        self,
        session: Session,
        article: Article,
        target_lang: str,
        source: Revision,
        approved: Revision,
        editor: str,
        now: datetime,
        confirmed: Confirmed = None,
    ) -> int:
        """Teaches the memory the approved sentences a person checked (`checked_pairs`)."""
        source_flows = body_flow_texts(source.body, article.format)
        target_flows = body_flow_texts(approved.body, article.format)
        if len(source_flows) != len(target_flows):
            log.info(
                "%s/%s: %d source and %d approved paragraphs; body not aligned",
                article.id,
                target_lang,
                len(source_flows),
                len(target_flows),
            )
        machine = self._base_machine(session, approved)
        pairs = checked_pairs(
            _texts(source),
            _texts(approved),
            None if machine is None else _texts(machine),
            article.format,
            article.source_lang,
            target_lang,
            confirmed,
        )
        learned = 0
        for source_text, target_text in pairs:
            key = _hash(source_text)
            existing = session.scalars(
                select(TmEntry).where(
                    TmEntry.source_lang == article.source_lang,
                    TmEntry.target_lang == target_lang,
                    TmEntry.source_hash == key,
                )
            ).one_or_none()
            if existing is not None:
                if existing.target == target_text:
                    continue
                # Replaced, not updated: a new id is what tells the article cache to move on.
                session.delete(existing)
                session.flush()
            session.add(
                TmEntry(
                    source_lang=article.source_lang,
                    target_lang=target_lang,
                    source_hash=key,
                    source=source_text,
                    target=target_text,
                    article_id=article.id,
                    revision_id=approved.id,
                    editor=editor,
                    created=now,
                )
            )
            learned += 1
        return learned

    def _base_machine(self, session: Session, revision: Revision) -> Revision | None:
        """The machine revision `revision` descends from (None: none, a person wrote it all)."""
        found: Revision | None = revision
        while found is not None and found.kind != "machine":
            found = session.get(Revision, found.parent_id) if found.parent_id else None
        return found

    # -- review -------------------------------------------------------------------------------

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

    def queue(
        self,
        state: str | None = None,
        lang: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Queue:
        """Translated versions, newest first; counts per state under the same lang/date filter."""
        filters: list[Any] = [VersionRow.is_source.is_(False)]
        if lang:
            filters.append(VersionRow.lang == lang)
        if since is not None:
            filters.append(VersionRow.updated >= since)
        if until is not None:
            filters.append(VersionRow.updated < until)
        with self._read() as session:
            counts = dict.fromkeys(("machine_draft", "in_review", "approved", "rejected"), 0)
            for name, count in session.execute(
                select(VersionRow.state, func.count(VersionRow.id))
                .where(*filters)
                .group_by(VersionRow.state)
            ):
                counts[name] = int(count)
            if state:
                filters.append(VersionRow.state == state)
            total = session.execute(select(func.count(VersionRow.id)).where(*filters)).scalar_one()
            rows = session.execute(
                select(VersionRow, Article, Revision)
                .join(Article, Article.id == VersionRow.article_id)
                .join(Revision, Revision.id == VersionRow.head_revision_id)
                .where(*filters)
                .order_by(VersionRow.updated.desc(), VersionRow.id.desc())
                .limit(limit)
                .offset(offset)
            ).all()
            items = [
                QueueItem(_version_info(v, a), r.title, r.author, r.kind, len(r.qa or []))
                for v, a, r in rows
            ]
        return Queue(items=items, counts=counts, total=int(total))

    def view(self, article_id: str, lang: str) -> ReviewView:
        with self._read() as session:
            article, row = self._reviewable(session, article_id, lang)
            source_row = session.scalars(
                select(VersionRow).where(
                    VersionRow.article_id == article_id, VersionRow.is_source.is_(True)
                )
            ).one()
            revisions = [
                _revision_info(r)
                for r in session.scalars(
                    select(Revision).where(Revision.version_id == row.id).order_by(Revision.id)
                )
            ]
            by_id = {r.id: r for r in revisions}
            source = session.get(Revision, source_row.head_revision_id)
            assert source is not None and row.head_revision_id is not None
            head = by_id[row.head_revision_id]
            base: RevisionInfo | None = head
            while base is not None and base.kind != "machine":
                base = by_id.get(base.parent_id) if base.parent_id else None
            events = [
                EventInfo(e.id, e.action, e.author, e.comment, e.revision_id, e.created)
                for e in session.scalars(
                    select(ReviewEvent)
                    .where(ReviewEvent.version_id == row.id)
                    .order_by(ReviewEvent.id)
                )
            ]
            return ReviewView(
                version=_version_info(row, article),
                source=_revision_info(source),
                head=head,
                approved=by_id.get(row.approved_revision_id) if row.approved_revision_id else None,
                machine=by_id.get(row.machine_revision_id) if row.machine_revision_id else None,
                base_machine=base,
                revisions=revisions,
                events=events,
            )

    def revisions(self, article_id: str, lang: str) -> list[RevisionInfo]:
        with self._read() as session:
            _, row = self._version_row(session, article_id, lang)
            return [
                _revision_info(r)
                for r in session.scalars(
                    select(Revision).where(Revision.version_id == row.id).order_by(Revision.id)
                )
            ]

    def revision(self, article_id: str, lang: str, revision_id: int) -> RevisionInfo:
        with self._read() as session:
            _, row = self._version_row(session, article_id, lang)
            found = session.get(Revision, revision_id)
            if found is None or found.version_id != row.id:
                raise RevisionNotFound(revision_id, article_id, lang)
            return _revision_info(found)

    def diff(self, article_id: str, lang: str, old: int, new: int) -> RevisionDiff:
        with self._read() as session:
            article, _ = self._version_row(session, article_id, lang)
            fmt = article.format
        a = self.revision(article_id, lang, old)
        b = self.revision(article_id, lang, new)
        return diff_revisions(a.texts(), b.texts(), fmt, (f"r{a.id}", f"r{b.id}"))

    def edit(
        self,
        article_id: str,
        lang: str,
        expected_revision: int,
        author: str,
        title: str | None = None,
        lede: str | None = None,
        body: str | None = None,
        summary: str | None = None,
        regenerated: RegeneratedSummary | None = None,
        qa: QaCheck | None = None,
    ) -> EditOutcome:
        """A new human revision on top of `expected_revision`. When others saved since, the
        edit is merged with their revisions paragraph by paragraph (`merge.py`); parts both
        changed differently answer 409 naming them (MergeConflict, the text kept as a stale
        revision).

        `regenerated`: the summary made from the edited body (see `_summary_after_edit`);
        `qa`: the checks whose flags are stored with the new revision."""
        if title is None and lede is None and body is None and summary is None:
            raise NothingToSave()
        stale: StaleRevision | None = None
        with self._write() as session:
            article, row = self._reviewable(session, article_id, lang)
            base = session.get(Revision, expected_revision)
            if base is None or base.version_id != row.id:
                raise RevisionNotFound(expected_revision, article_id, lang)
            now = utcnow()
            # An editor can remove markup, never add what the source does not have (sanitize).
            source = self._source_revision(session, article_id)
            sent = {"title": title, "lede": lede, "body": body, "summary": summary}
            clean = {
                "title": None if title is None else safe_text(source.title, title),
                "lede": None if lede is None else safe_text(source.lede, lede),
                "body": None if body is None else safe_body(source.body, article.format, body),
                "summary": None if summary is None else safe_text(source.summary, summary),
            }
            removed = any(v is not None and clean[k] != v for k, v in sent.items())
            conflicts: Conflicts | None = None
            merged_with: int | None = None
            based_on = expected_revision
            head_now = session.get(Revision, row.head_revision_id) if row.head_revision_id else None
            if head_now is not None and head_now.id != base.id and not head_now.stale:
                onto, conflicts = _merged_edit(base, head_now, clean, article.format)
                if not conflicts:
                    base, clean, merged_with = head_now, onto, head_now.id
                    expected_revision = head_now.id
            new_title = clean["title"] if clean["title"] is not None else base.title
            new_body = clean["body"] if clean["body"] is not None else base.body
            provenance = _human_provenance(base, new_body, new_title, article.format, author)
            if merged_with is not None:
                provenance["merged"] = {"based_on": based_on, "with": merged_with}
            new_summary = _summary_after_edit(
                base, new_body, clean["summary"], regenerated, provenance, author
            )
            revision = Revision(
                version_id=row.id,
                kind="human",
                author=author,
                created=now,
                title=new_title,
                lede=clean["lede"] if clean["lede"] is not None else base.lede,
                body=new_body,
                summary=new_summary,
                provenance=provenance,
                parent_id=base.id,
                stale=False,
            )
            if qa is not None:
                revision.qa = qa(_qa_input(article, lang, source, base, revision))
            session.add(revision)
            session.flush()
            moved = session.execute(
                update(VersionRow)
                .where(VersionRow.id == row.id, VersionRow.head_revision_id == expected_revision)
                .values(head_revision_id=revision.id, state="in_review", updated=now)
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
            if moved:
                session.add(
                    ReviewEvent(
                        version_id=row.id,
                        revision_id=revision.id,
                        action="edit",
                        author=author,
                        comment=None
                        if merged_with is None
                        else f"based on revision {based_on}; merged with revision {merged_with}",
                        created=now,
                    )
                )
            else:
                revision.stale = True
                head, saver = self._stale(session, row.id, based_on)
                session.add(
                    ReviewEvent(
                        version_id=row.id,
                        revision_id=revision.id,
                        action="stale_save",
                        author=author,
                        comment=f"based on revision {based_on}; head was {head}",
                        created=now,
                    )
                )
                stale = (
                    MergeConflict(based_on, head, saver, revision.id, conflicts)
                    if conflicts and merged_with is None
                    else StaleRevision(based_on, head, saver, kept=revision.id)
                )
            session.flush()
            session.refresh(row)
            outcome = EditOutcome(
                _revision_info(revision), _version_info(row, article), merged_with, removed
            )
        if stale is not None:
            raise stale
        return outcome

    def approve(
        self,
        article_id: str,
        lang: str,
        author: str,
        comment: str | None = None,
        expected_revision: int | None = None,
        confirmed: Confirmed = None,
    ) -> tuple[VersionInfo, int]:
        """Approves the head revision; returns the version and how many TM entries it taught:
        the sentences an editor changed, and those of the `confirmed` paragraphs."""
        with self._write() as session:
            article, row = self._reviewable(session, article_id, lang)
            head_id = row.head_revision_id
            assert head_id is not None
            if expected_revision is not None and expected_revision != head_id:
                self._check_revision(session, row, article_id, lang, expected_revision)
                head, saver = self._stale(session, row.id, expected_revision)
                raise StaleRevision(expected_revision, head, saver)
            if row.state == "approved" and row.approved_revision_id == head_id:
                raise AlreadyApproved(head_id)
            now = utcnow()
            source = self._source_revision(session, article_id)
            approved = session.get(Revision, head_id)
            assert approved is not None
            # Every save is sanitized already; a head stored before that rule is approved as a
            # sanitized copy, so nothing unsafe is published or taught to the memory.
            cleaned = self._sanitized_copy(session, article, row, source, approved, author, now)
            if cleaned is not None:
                approved = cleaned
            moved = session.execute(
                update(VersionRow)
                .where(VersionRow.id == row.id, VersionRow.head_revision_id == head_id)
                .values(
                    state="approved",
                    head_revision_id=approved.id,
                    approved_revision_id=approved.id,
                    newer_machine_draft=False,
                    updated=now,
                )
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
            if not moved:
                head, saver = self._stale(session, row.id, head_id)
                raise StaleRevision(head_id, head, saver)
            session.add(
                ReviewEvent(
                    version_id=row.id,
                    revision_id=approved.id,
                    action="approve",
                    author=author,
                    comment=comment or None,
                    created=now,
                )
            )
            learned = self._learn(session, article, lang, source, approved, author, now, confirmed)
            session.flush()
            session.refresh(row)
            return _version_info(row, article), learned

    def reject(
        self,
        article_id: str,
        lang: str,
        author: str,
        comment: str,
        expected_revision: int | None = None,
    ) -> VersionInfo:
        with self._write() as session:
            article, row = self._reviewable(session, article_id, lang)
            head_id = row.head_revision_id
            assert head_id is not None
            if expected_revision is not None and expected_revision != head_id:
                self._check_revision(session, row, article_id, lang, expected_revision)
                head, saver = self._stale(session, row.id, expected_revision)
                raise StaleRevision(expected_revision, head, saver)
            now = utcnow()
            session.execute(
                update(VersionRow)
                .where(VersionRow.id == row.id)
                .values(state="rejected", updated=now)
                .execution_options(synchronize_session=False)
            )
            session.add(
                ReviewEvent(
                    version_id=row.id,
                    revision_id=head_id,
                    action="reject",
                    author=author,
                    comment=comment,
                    created=now,
                )
            )
            session.flush()
            session.refresh(row)
            return _version_info(row, article)

    def _sanitized_copy(
        self,
        session: Session,
        article: Article,
        row: VersionRow,
        source: Revision,
        revision: Revision,
        author: str,
        now: datetime,
    ) -> Revision | None:
        """A new revision of `revision` held to the source's markup; None when it already is."""
        title = safe_text(source.title, revision.title)
        lede = None if revision.lede is None else safe_text(source.lede, revision.lede)
        body = safe_body(source.body, article.format, revision.body)
        summary = None if revision.summary is None else safe_text(source.summary, revision.summary)
        if (title, lede, body, summary) == (
            revision.title,
            revision.lede,
            revision.body,
            revision.summary,
        ):
            return None
        cleaned = Revision(
            version_id=row.id,
            kind="human",
            author=author,
            created=now,
            title=title,
            lede=lede,
            body=body,
            summary=summary,
            provenance=_human_provenance(revision, body, title, article.format, author),
            parent_id=revision.id,
            stale=False,
            # Only markup the source lacks went: the flags of what the editor saved still hold.
            qa=revision.qa,
        )
        session.add(cleaned)
        session.flush()
        session.add(
            ReviewEvent(
                version_id=row.id,
                revision_id=cleaned.id,
                action="edit",
                author=author,
                comment=MARKUP_REMOVED,
                created=now,
            )
        )
        return cleaned

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

    # -- users and keys -----------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str) -> UserInfo:
        if role not in ROLE_RANK:
            raise UnknownRole(role)
        name = name.strip()
        if not name:
            raise NewsdeskError("user name is empty")
        if len(password) < 8:
            raise NewsdeskError("password is shorter than 8 characters")
        try:
            with self._write() as session:
                if session.scalars(select(User).where(User.name == name)).first() is not None:
                    raise UserExists(name)
                user = User(name=name, role=role, password_hash=hash_password(password))
                session.add(user)
                session.flush()
                return UserInfo(user.id, user.name, user.role, user.created)
        except IntegrityError as exc:
            raise UserExists(name) from exc

    def set_password(self, name: str, password: str) -> None:
        if len(password) < 8:
            raise NewsdeskError("password is shorter than 8 characters")
        with self._write() as session:
            user = session.scalars(select(User).where(User.name == name)).one_or_none()
            if user is None:
                raise NotFound(f"user not found: {name}")
            user.password_hash = hash_password(password)
            # Whoever knew the old password may hold a session: a new password ends them all.
            session.execute(delete(ReviewSession).where(ReviewSession.user_id == user.id))

    def users(self) -> list[UserInfo]:
        with self._read() as session:
            return [
                UserInfo(u.id, u.name, u.role, u.created)
                for u in session.scalars(select(User).order_by(User.id))
            ]

    def count_users(self, role: str | None = None) -> int:
        with self._read() as session:
            query = select(func.count(User.id))
            if role:
                query = query.where(User.role == role)
            return int(session.execute(query).scalar_one())

    def user(self, user_id: int) -> Principal | None:
        with self._read() as session:
            found = session.get(User, user_id)
            return None if found is None else Principal(found.name, found.role, user_id=found.id)

    def authenticate(self, name: str, password: str) -> Principal | None:
        with self._read() as session:
            found = session.scalars(select(User).where(User.name == name.strip())).one_or_none()
            if found is None:
                burn_password_check(password)
                return None
            if not verify_password(found.password_hash, password):
                return None
            return Principal(found.name, found.role, user_id=found.id)

    def create_key(
        self,
        role: str,
        name: str | None = None,
        user: str | None = None,
        rpm: int | None = None,
        chars_per_day: int | None = None,
    ) -> tuple[str, KeyInfo]:
        """A new API key: the key itself (shown once, never stored) and its record. `rpm` and
        `chars_per_day` are its own limits (None: the configured default, 0: unlimited)."""
        if role not in ROLE_RANK:
            raise UnknownRole(role)
        if rpm is not None and rpm < 0:
            raise NegativeLimit("rpm")
        if chars_per_day is not None and chars_per_day < 0:
            raise NegativeLimit("chars per day")
        key = new_api_key()
        with self._write() as session:
            user_id = None
            if user:
                found = session.scalars(select(User).where(User.name == user)).one_or_none()
                if found is None:
                    raise NotFound(f"user not found: {user}")
                user_id = found.id
            row = ApiKey(
                key_hash=hash_api_key(key),
                prefix=key[:10],
                role=role,
                name=name or user or f"{role} key",
                user_id=user_id,
                rpm=rpm,
                chars_per_day=chars_per_day,
            )
            session.add(row)
            session.flush()
            return key, KeyInfo(
                row.id, row.prefix, row.role, row.name, user, row.created, None, rpm, chars_per_day
            )

    def keys(self) -> list[KeyInfo]:
        with self._read() as session:
            rows = session.execute(
                select(ApiKey, User.name)
                .outerjoin(User, User.id == ApiKey.user_id)
                .order_by(ApiKey.id)
            ).all()
            return [
                KeyInfo(
                    k.id, k.prefix, k.role, k.name, u, k.created, k.revoked, k.rpm, k.chars_per_day
                )
                for k, u in rows
            ]

    def revoke_key(self, key_id: int) -> None:
        with self._write() as session:
            row = session.get(ApiKey, key_id)
            if row is None:
                raise NotFound(f"API key not found: {key_id}")
            row.revoked = row.revoked or utcnow()

    def principal_for_key(self, key: str) -> Principal | None:
        with self._read() as session:
            row = session.execute(
                select(ApiKey, User.name)
                .outerjoin(User, User.id == ApiKey.user_id)
                .where(ApiKey.key_hash == hash_api_key(key), ApiKey.revoked.is_(None))
            ).one_or_none()
            if row is None:
                return None
            key_row, user_name = row
            return Principal(
                user_name or key_row.name,
                key_row.role,
                user_id=key_row.user_id,
                key_id=key_row.id,
                rpm=key_row.rpm,
                chars_per_day=key_row.chars_per_day,
            )

    # -- review-page sessions -----------------------------------------------------------------

    def start_session(self, user_id: int, max_age_s: int) -> str:
        """A new log-in session for the user; returns the id the cookie carries (only its hash
        is stored). Expired sessions are swept here, so the table stays small."""
        token = new_session_id()
        now = utcnow()
        with self._write() as session:
            session.execute(delete(ReviewSession).where(ReviewSession.expires <= now))
            session.add(
                ReviewSession(
                    id_hash=_hash(token),
                    user_id=user_id,
                    created=now,
                    expires=now + timedelta(seconds=max_age_s),
                )
            )
        return token

    def session_user(self, token: str) -> Principal | None:
        """The user of a live session: None once it is ended, expired, or its user is gone."""
        with self._read() as session:
            found = session.execute(
                select(User)
                .join(ReviewSession, ReviewSession.user_id == User.id)
                .where(ReviewSession.id_hash == _hash(token), ReviewSession.expires > utcnow())
            ).scalar_one_or_none()
            return None if found is None else Principal(found.name, found.role, user_id=found.id)

    def end_session(self, token: str) -> None:
        with self._write() as session:
            session.execute(delete(ReviewSession).where(ReviewSession.id_hash == _hash(token)))

    # -- maintenance --------------------------------------------------------------------------

    def clear_memory(self, source: str, target: str) -> int:
        with self._write() as session:
            return int(
                session.execute(
                    delete(TmEntry).where(
                        TmEntry.source_lang == source, TmEntry.target_lang == target
                    )
                ).rowcount  # type: ignore[attr-defined]
            )
