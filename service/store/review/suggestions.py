"""Clients' suggestions (LibreTranslate's /suggest): each one a draft revision of kind
`suggestion` in the review queue, kept until an editor decides on it.

Why a revision and not a memory entry: a suggestion comes from whoever holds a client key, so
it is a proposal, never a translation. It reaches readers, the memory and the cache only the
way an editor's save does, through approval (`Workflow.approve`, which then teaches the memory
the sentences that differ from the machine draft). Every suggestion is a revision of its own,
so a second suggestion for the same segment, or a hundred at once, add revisions and replace
nothing. Its parent is the machine draft it proposes instead of, so the page diffs the two.

It becomes the version's head (state in_review) unless the head is an editor's revision
that is not the approved one: that is an editor's work in progress, which no client may push
aside, and the suggestion is stored beside it (history and events show it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from service.document.sanitize import safe_body
from service.store.checks import QaCheck
from service.store.models import ReviewEvent, Revision, utcnow
from service.store.models import Version as VersionRow
from service.store.review.base import StoreBase
from service.store.review.records import SUGGESTION, SuggestionOutcome
from service.store.review.rules import human_provenance, qa_input, revision_info, version_info

# Two suggestions racing for the head: the loser looks again this many times (each retry
# means another suggestion just became the head, which it may take over in turn).
HEAD_ATTEMPTS = 5


def suggestion_provenance(machine: Revision, body: str, fmt: str, author: str) -> dict[str, Any]:
    """The machine draft's provenance with each paragraph the suggestion changed marked as the
    client's (`{"suggestion": author}`) rather than an editor's."""
    provenance = human_provenance(machine, body, machine.title, fmt, author)
    provenance["paragraphs"] = [
        {"suggestion": author} if entry == {"editor": author} else entry
        for entry in provenance.get("paragraphs") or []
    ]
    provenance["suggestion"] = {"client": author}
    return provenance


class Suggestions(StoreBase):
    """Clients' suggestions: each one a draft revision of kind `suggestion`."""

    def suggest(
        self,
        article_id: str,
        lang: str,
        body: str,
        author: str,
        qa: QaCheck | None = None,
    ) -> SuggestionOutcome:
        """Stores `body` as a suggested translation of the article's `lang` version (its other
        fields are the machine draft's); see the module docstring for where it goes."""
        with self._write() as session:
            article, row = self._reviewable(session, article_id, lang)
            source = self._source_revision(session, article_id)
            machine = session.get(Revision, row.machine_revision_id or row.head_revision_id)
            assert machine is not None
            # Text bodies come back as they are; an HTML one keeps only its source's markup.
            body = safe_body(source.body, article.format, body)
            now = utcnow()
            revision = Revision(
                version_id=row.id,
                kind=SUGGESTION,
                author=author,
                created=now,
                title=machine.title,
                lede=machine.lede,
                body=body,
                summary=machine.summary,
                provenance=suggestion_provenance(machine, body, article.format, author),
                parent_id=machine.id,
                stale=False,
            )
            if qa is not None:
                revision.qa = qa(qa_input(article, lang, source, machine, revision))
            session.add(revision)
            session.flush()
            became_head, beside_editor, head_id = False, False, None
            for _ in range(HEAD_ATTEMPTS):
                # Read afresh each time (not from the session): another writer may have moved it.
                head_id, approved_id = session.execute(
                    select(VersionRow.head_revision_id, VersionRow.approved_revision_id).where(
                        VersionRow.id == row.id
                    )
                ).one()
                head_kind = session.execute(
                    select(Revision.kind).where(Revision.id == head_id)
                ).scalar_one()
                if head_kind == "human" and head_id != approved_id:
                    beside_editor = True  # an editor's work in progress: stored beside it
                    break
                became_head = bool(
                    session.execute(
                        update(VersionRow)
                        .where(VersionRow.id == row.id, VersionRow.head_revision_id == head_id)
                        .values(head_revision_id=revision.id, state="in_review", updated=now)
                        .execution_options(synchronize_session=False)
                    ).rowcount  # type: ignore[attr-defined]
                )
                if became_head:
                    break
            session.add(
                ReviewEvent(
                    version_id=row.id,
                    revision_id=revision.id,
                    action="suggest",
                    author=author,
                    comment=None
                    if became_head
                    else f"stored beside revision {head_id}, an editor's unapproved save"
                    if beside_editor
                    else f"stored beside revision {head_id}: other suggestions kept arriving",
                    created=now,
                )
            )
            session.flush()
            session.refresh(row)
            return SuggestionOutcome(
                revision_info(revision, self._revision_number(session, revision)),
                version_info(row, article),
                became_head,
            )
