"""The translation memory: approved sentences a person checked, looked up by the pipeline
before its cache (ApprovedMemory), near matches offered to editors, imports and exports."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from service.document.paragraphs import (
    body_flow_texts,
    paragraph_texts,
    sentence_texts,
)
from service.document.segment import normalize
from service.store.checked import Confirmed, checked_pairs
from service.store.fuzzy import best_matches, length_window
from service.store.memory_records import ImportCounts, MemoryPair, MemoryRecord
from service.store.models import (
    Article,
    Revision,
    TmEntry,
    utcnow,
)
from service.store.review.base import StoreBase
from service.store.review.records import SUGGESTION_ROWS, MemorySuggestion
from service.store.review.rules import digest, one_line, revision_texts

log = logging.getLogger(__name__)

# What _store_entry did with an entry.
Stored = Literal["added", "replaced", "unchanged", "kept", "confirmed"]


class MemoryStore(StoreBase):
    """The translation memory: approved sentences a person checked, looked up by the pipeline"""

    def _reusable(self) -> ColumnElement[bool]:
        """Entries the pipeline may reuse exactly: all but unconfirmed archive pairs, unless
        the outlet opted in to its archive (Settings.archive_memory)."""
        if self.archive_memory:
            return TmEntry.id.is_not(None)
        return or_(TmEntry.origin != "archive", TmEntry.confirmed_by.is_not(None))

    def lookup(self, source: str, target: str, sentences: Sequence[str]) -> dict[str, str]:
        by_hash = {digest(s): s for s in sentences if s}
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
                        self._reusable(),
                    )
                )
                for source_hash, text in rows:
                    found[by_hash[source_hash]] = text
        return found

    def memory_stamp(self, source: str, target: str) -> str:
        """Changes whenever the memory for the pair changes (part of the article cache key).
        The newest `created` is part of it because SQLite gives a replaced newest entry its
        old id again (no AUTOINCREMENT), which would leave count and last id as they were;
        the newest confirmation and the archive setting because they change what is reused."""
        with self._read() as session:
            count, last, newest, confirmed = session.execute(
                select(
                    func.count(TmEntry.id),
                    func.max(TmEntry.id),
                    func.max(TmEntry.created),
                    func.max(TmEntry.confirmed_at),
                ).where(TmEntry.source_lang == source, TmEntry.target_lang == target)
            ).one()
        if not count:
            return "0.0"
        archive = ".archive" if self.archive_memory else ""
        return f"{count}.{last}.{newest}.{confirmed}{archive}"

    def tm_entries(self, source: str, target: str) -> list[tuple[str, str, str]]:
        """(source, target, editor) of the pair, oldest first."""
        with self._read() as session:
            rows = session.execute(
                select(TmEntry.source, TmEntry.target, TmEntry.editor)
                .where(TmEntry.source_lang == source, TmEntry.target_lang == target)
                .order_by(TmEntry.id)
            )
            return [(s, t, e) for s, t, e in rows]

    def import_memory(self, pairs: Sequence[MemoryPair], editor: str) -> ImportCounts:
        """Adds file or archive pairs to the memory. A source already there with the same
        translation is left alone (no new id, so cached articles stay valid); with another
        translation it is replaced, the way an approval replaces it, except by an archive
        pair: an alignment never overrides what an editor approved or a file brought."""
        counts: Counter[Stored] = Counter()
        with self._write() as session:
            for pair in pairs:
                source_text, target_text = one_line(pair.source), one_line(pair.target)
                if not source_text or not target_text:
                    continue
                entry = TmEntry(
                    source_lang=pair.source_lang,
                    target_lang=pair.target_lang,
                    source_hash=digest(source_text),
                    source=source_text,
                    target=target_text,
                    editor=editor,
                    origin=pair.origin,
                )
                counts[_store_entry(session, entry)] += 1
        return ImportCounts(
            counts["added"], counts["replaced"], counts["unchanged"], counts["kept"]
        )

    def memory_records(
        self,
        source: str | None = None,
        target: str | None = None,
        origin: str | None = None,
        limit: int | None = None,
        unconfirmed: bool = False,
    ) -> list[MemoryRecord]:
        """Stored entries, oldest first, optionally of one pair and one origin, or only the
        archive entries no editor has confirmed yet."""
        query = select(TmEntry).order_by(TmEntry.id)
        if source is not None:
            query = query.where(TmEntry.source_lang == source)
        if target is not None:
            query = query.where(TmEntry.target_lang == target)
        if origin is not None:
            query = query.where(TmEntry.origin == origin)
        if unconfirmed:
            query = query.where(TmEntry.origin == "archive", TmEntry.confirmed_by.is_(None))
        if limit is not None:
            query = query.limit(limit)
        with self._read() as session:
            return [_record(row) for row in session.scalars(query)]

    def memory_entry(self, entry_id: int) -> MemoryRecord | None:
        with self._read() as session:
            row = session.get(TmEntry, entry_id)
            return None if row is None else _record(row)

    def confirm_memory(self, ids: Sequence[int], editor: str) -> int:
        """Marks unconfirmed archive entries as confirmed by `editor`, so that the pipeline
        reuses them; returns how many were confirmed (other ids are left as they are)."""
        if not ids:
            return 0
        with self._write() as session:
            result = session.execute(
                update(TmEntry)
                .where(
                    TmEntry.id.in_(list(ids)),
                    TmEntry.origin == "archive",
                    TmEntry.confirmed_by.is_(None),
                )
                .values(confirmed_by=editor, confirmed_at=utcnow())
            )
        return int(getattr(result, "rowcount", 0) or 0)

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
                select(TmEntry.source, TmEntry.target, TmEntry.origin)
                .where(
                    TmEntry.source_lang == article.source_lang,
                    TmEntry.target_lang == lang,
                    func.length(TmEntry.source).between(low, high),
                )
                .order_by(TmEntry.id.desc())
                .limit(SUGGESTION_ROWS)
            ).all()
        matches = best_matches([w[2] for w in wanted], [(s, t) for s, t, _ in rows])
        # An archive pair says so: the editor is asked to check it before it is reused.
        origins = {(s, t): o for s, t, o in rows}
        found: list[MemorySuggestion] = []
        for field_name, paragraph, sentence, draft in wanted:
            match = matches.get(sentence)
            if match is None or match.target in normalize(draft):
                continue
            found.append(
                MemorySuggestion(
                    field_name,
                    paragraph,
                    sentence,
                    match.source,
                    match.target,
                    match.score,
                    origins.get((match.source, match.target), "editor"),
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
            revision_texts(source),
            revision_texts(approved),
            None if machine is None else revision_texts(machine),
            article.format,
            article.source_lang,
            target_lang,
            confirmed,
        )
        learned = 0
        for source_text, target_text in pairs:
            entry = TmEntry(
                source_lang=article.source_lang,
                target_lang=target_lang,
                source_hash=digest(source_text),
                source=source_text,
                target=target_text,
                article_id=article.id,
                revision_id=approved.id,
                editor=editor,
                created=now,
            )
            if _store_entry(session, entry, approval=True) != "unchanged":
                learned += 1
        return learned

    def _base_machine(self, session: Session, revision: Revision) -> Revision | None:
        """The machine revision `revision` descends from (None: none, a person wrote it all)."""
        found: Revision | None = revision
        while found is not None and found.kind != "machine":
            found = session.get(Revision, found.parent_id) if found.parent_id else None
        return found

    def clear_memory(self, source: str, target: str) -> int:
        with self._write() as session:
            return int(
                session.execute(
                    delete(TmEntry).where(
                        TmEntry.source_lang == source, TmEntry.target_lang == target
                    )
                ).rowcount  # type: ignore[attr-defined]
            )


def _store_entry(session: Session, entry: TmEntry, approval: bool = False) -> Stored:
    """Puts `entry` in the memory in place of the entry for the same source: the one rule
    for approvals and imports. The same translation is left alone (no new id, so cached
    articles stay valid), except that an `approval` of an unconfirmed archive entry's
    translation confirms it (by `entry.editor`, at `entry.created`). An archive pair never
    replaces an entry an editor approved or a file brought ("kept"). Anything else is
    replaced, not updated: a new id is what tells the article cache to move on."""
    existing = session.scalars(
        select(TmEntry).where(
            TmEntry.source_lang == entry.source_lang,
            TmEntry.target_lang == entry.target_lang,
            TmEntry.source_hash == entry.source_hash,
        )
    ).one_or_none()
    if existing is None:
        session.add(entry)
        return "added"
    if existing.target == entry.target:
        if approval and existing.origin == "archive" and existing.confirmed_by is None:
            existing.confirmed_by, existing.confirmed_at = entry.editor, entry.created
            return "confirmed"
        return "unchanged"
    if entry.origin == "archive" and existing.origin != "archive":
        return "kept"
    session.delete(existing)
    session.flush()
    session.add(entry)
    return "replaced"


def _record(row: TmEntry) -> MemoryRecord:
    return MemoryRecord(
        row.id,
        row.source_lang,
        row.target_lang,
        row.source,
        row.target,
        row.origin,
        row.editor,
        row.created,
        row.confirmed_by,
    )
