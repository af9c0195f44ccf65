"""Rules on revisions shared by the store's roles: rows as records, provenance of machine
and human revisions, merged edits, and the summary kept after an edit."""

from __future__ import annotations

import hashlib
from typing import Any

from service.document.paragraphs import (
    paragraph_markup,
)
from service.schemas import (
    SummaryReview,
    Version,
)
from service.store.articles import DraftOrigins
from service.store.checked import Texts
from service.store.checks import QaInput
from service.store.merge import Conflicts, Sides, merge
from service.store.models import (
    Article,
    Revision,
)
from service.store.models import Version as VersionRow
from service.store.review.records import (
    SUMMARY_EDITED_WITH_BODY,
    SUMMARY_EDITORS,
    SUMMARY_NOT_REGENERATED,
    SUMMARY_REGENERATED,
    RegeneratedSummary,
    RevisionInfo,
    VersionInfo,
)

# -- helpers ----------------------------------------------------------------------------------


def one_line(text: str) -> str:
    """Imported text with its whitespace runs made single spaces, as sentences reach lookup."""
    return " ".join(text.split())


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def revision_info(row: Revision, number: int = 0) -> RevisionInfo:
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
        number=number,
    )


def revision_texts(row: Revision) -> Texts:
    return Texts(row.title, row.lede, row.body)


def version_info(row: VersionRow, article: Article) -> VersionInfo:
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


def same_text(row: Revision, version: Version) -> bool:
    return (row.title, row.lede, row.body, row.summary) == (
        version.title,
        version.lede,
        version.body,
        version.summary,
    )


def machine_provenance(
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


def human_provenance(
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


def revision_sides(row: Revision) -> Sides:
    return Sides(row.title, row.lede, row.body, row.summary)


def merged_edit(
    base: Revision, head: Revision, clean: dict[str, str | None], fmt: str
) -> tuple[dict[str, str | None], Conflicts]:
    """An edit of `base` (its sanitized fields, None: unchanged) merged onto `head`: as an edit
    of `head` (None where the merge leaves head's value), and the conflicts."""
    ours = revision_sides(base)
    mine = Sides(
        title=ours.title if clean["title"] is None else clean["title"],
        lede=ours.lede if clean["lede"] is None else clean["lede"],
        body=ours.body if clean["body"] is None else clean["body"],
        summary=ours.summary if clean["summary"] is None else clean["summary"],
    )
    result = merge(ours, revision_sides(head), mine, fmt)
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


def summary_after_edit(
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


def revision_fields(row: Revision) -> dict[str, str | None]:
    """The revision's four texts by field name, as the QA checks read them."""
    return {"title": row.title, "lede": row.lede, "body": row.body, "summary": row.summary}


def qa_input(
    article: Article, lang: str, source: Revision, base: Revision, revision: Revision
) -> QaInput:
    return QaInput(
        source_lang=article.source_lang,
        target_lang=lang,
        format=article.format,
        source=revision_fields(source),
        target=revision_fields(revision),
        base=revision_fields(base),
        base_flags=list(base.qa or []),
    )


def summary_review(provenance: dict[str, Any]) -> SummaryReview | None:
    """What a revision's provenance says of its summary after a body edit (None: nothing)."""
    found = provenance.get("summary_review")
    return SummaryReview.model_validate(found) if isinstance(found, dict) else None
