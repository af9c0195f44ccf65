"""Machine drafts: articles as the pipeline made them, stored beside human work and never
over it, and an article's current text for clients."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.document.paragraphs import (
    body_flow_texts,
)
from service.document.sanitize import safe_version
from service.schemas import (
    ArticleRequest,
    ArticleResponse,
    Provenance,
    QaFlag,
    ReviewInfo,
    Version,
)
from service.store.articles import DraftOrigins
from service.store.models import (
    Article,
    ReviewEvent,
    Revision,
    utcnow,
)
from service.store.models import Version as VersionRow
from service.store.review.base import StoreBase
from service.store.review.records import REVIEW_WORK, SUGGESTION
from service.store.review.rules import machine_provenance, same_text, summary_review


class DraftStore(StoreBase):
    """Machine drafts: articles as the pipeline made them, stored beside human work and never"""

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
                provenance = machine_provenance(version, origins, paragraphs, response.cached)
                ref = version.provenance.translation
                kind = "machine"
                author = f"{ref.engine}:{ref.model}@{ref.revision}" if ref else "machine"
            if (
                previous is not None
                and same_text(previous, version)
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
        # A client's suggestion at the head waits for an editor like an editor's save does.
        human_work = row.approved_revision_id is not None or (
            head is not None and head.kind in REVIEW_WORK
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
                unapproved = row.approved_revision_id is None
                if unapproved and revision.kind == SUGGESTION and row.machine_revision_id:
                    # A client's suggestion is nobody's text until an editor approves it.
                    revision = session.get(Revision, row.machine_revision_id)
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
