"""Editors' review: the queue, a version's view and history, saves (merged when they do
not overlap), approval and rejection."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session, aliased

from service.document.sanitize import safe_body, safe_text
from service.store.checked import Confirmed
from service.store.checks import QaCheck
from service.store.diff import RevisionDiff, diff_revisions
from service.store.merge import Conflicts
from service.store.models import (
    Article,
    ReviewEvent,
    Revision,
    utcnow,
)
from service.store.models import Version as VersionRow
from service.store.review.errors import (
    AlreadyApproved,
    MergeConflict,
    NothingToSave,
    RevisionNotFound,
    StaleRevision,
)
from service.store.review.memory import MemoryStore
from service.store.review.records import (
    MARKUP_REMOVED,
    EditOutcome,
    EventInfo,
    Queue,
    QueueItem,
    RegeneratedSummary,
    ReviewView,
    RevisionInfo,
    VersionInfo,
)
from service.store.review.rules import (
    human_provenance,
    merged_edit,
    qa_input,
    revision_info,
    summary_after_edit,
    version_info,
)
from service.store.triage import revision_number_of, state_label, word_count


class Workflow(MemoryStore):
    """Editors' review: the queue, a version's view and history, saves (merged when they do"""

    def queue(
        self,
        state: str | None = None,
        lang: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Queue:
        """Translated versions, newest article first in a stable order (an edit does not move a
        row, so the queue an editor walks stays put); counts per state under the same lang/date
        filter."""
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
            source_row, source = aliased(VersionRow), aliased(Revision)
            rows = session.execute(
                select(
                    VersionRow,
                    Article,
                    Revision,
                    source.title,
                    source.body,
                    revision_number_of(VersionRow.id, VersionRow.head_revision_id),
                    revision_number_of(VersionRow.id, VersionRow.approved_revision_id),
                )
                .join(Article, Article.id == VersionRow.article_id)
                .join(Revision, Revision.id == VersionRow.head_revision_id)
                .outerjoin(
                    source_row,
                    and_(
                        source_row.article_id == VersionRow.article_id,
                        source_row.is_source.is_(True),
                    ),
                )
                .outerjoin(source, source.id == source_row.head_revision_id)
                .where(*filters)
                .order_by(Article.created.desc(), Article.id, VersionRow.id)
                .limit(limit)
                .offset(offset)
            ).all()
            items = [
                QueueItem(
                    version_info(v, a),
                    r.title,
                    r.author,
                    r.kind,
                    qa_count=len(r.qa or []),
                    source_title=source_title or "",
                    received=a.created,
                    words=word_count(source_title or "", source_body or "", a.format),
                    head_number=int(head_number or 0),
                    approved_number=int(approved_number) if approved_number else None,
                    state_label=state_label(
                        v.state, v.approved_revision_id is not None, v.newer_machine_draft
                    ),
                )
                for v, a, r, source_title, source_body, head_number, approved_number in rows
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
                revision_info(r, number)
                for number, r in enumerate(
                    session.scalars(
                        select(Revision).where(Revision.version_id == row.id).order_by(Revision.id)
                    ),
                    start=1,
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
                version=version_info(row, article),
                source=revision_info(source),
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
                revision_info(r, number)
                for number, r in enumerate(
                    session.scalars(
                        select(Revision).where(Revision.version_id == row.id).order_by(Revision.id)
                    ),
                    start=1,
                )
            ]

    def revision(self, article_id: str, lang: str, revision_id: int) -> RevisionInfo:
        with self._read() as session:
            _, row = self._version_row(session, article_id, lang)
            found = session.get(Revision, revision_id)
            if found is None or found.version_id != row.id:
                raise RevisionNotFound(revision_id, article_id, lang)
            return revision_info(found, self._revision_number(session, found))

    def diff(self, article_id: str, lang: str, old: int, new: int) -> RevisionDiff:
        with self._read() as session:
            article, _ = self._version_row(session, article_id, lang)
            fmt = article.format
        a = self.revision(article_id, lang, old)
        b = self.revision(article_id, lang, new)
        return diff_revisions(a.texts(), b.texts(), fmt, (f"r{a.number}", f"r{b.number}"))

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

        `regenerated`: the summary made from the edited body (see `summary_after_edit`);
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
                onto, conflicts = merged_edit(base, head_now, clean, article.format)
                if not conflicts:
                    base, clean, merged_with = head_now, onto, head_now.id
                    expected_revision = head_now.id
            new_title = clean["title"] if clean["title"] is not None else base.title
            new_body = clean["body"] if clean["body"] is not None else base.body
            provenance = human_provenance(base, new_body, new_title, article.format, author)
            if merged_with is not None:
                provenance["merged"] = {"based_on": based_on, "with": merged_with}
            new_summary = summary_after_edit(
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
                revision.qa = qa(qa_input(article, lang, source, base, revision))
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
                revision_info(revision, self._revision_number(session, revision)),
                version_info(row, article),
                merged_with,
                removed,
            )
        if stale is not None:
            raise stale
        return outcome

    def _decidable(
        self, session: Session, article_id: str, lang: str, expected_revision: int | None
    ) -> tuple[Article, VersionRow, int]:
        """The version an approval or rejection decides on, and its head revision; 409 when the
        editor decided on an older revision (someone saved since)."""
        article, row = self._reviewable(session, article_id, lang)
        head_id = row.head_revision_id
        assert head_id is not None
        if expected_revision is not None and expected_revision != head_id:
            self._check_revision(session, row, article_id, lang, expected_revision)
            head, saver = self._stale(session, row.id, expected_revision)
            raise StaleRevision(expected_revision, head, saver)
        return article, row, head_id

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
            article, row, head_id = self._decidable(session, article_id, lang, expected_revision)
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
            return version_info(row, article), learned

    def reject(
        self,
        article_id: str,
        lang: str,
        author: str,
        comment: str,
        expected_revision: int | None = None,
    ) -> VersionInfo:
        with self._write() as session:
            article, row, head_id = self._decidable(session, article_id, lang, expected_revision)
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
            return version_info(row, article)

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
            provenance=human_provenance(revision, body, title, article.format, author),
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
