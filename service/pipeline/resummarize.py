"""The summary of a version an editor edits: made again from the edited body by the
pipeline's summarizer for the version's language, for the review store to keep as a draft.

Done when the body is saved, not when it is approved: the editor then sees the new summary
beside the body they just changed and corrects it before approving, so one approval covers
both, and an approved version never goes out with a summary of a body it no longer has. The
store decides what is kept (an editor's own summary edit always wins, flagged stale); this
module only computes, since the store sits below the pipeline and cannot summarize.
"""

from __future__ import annotations

from service.document.markup import parse
from service.document.sanitize import safe_body, safe_text
from service.engines.base import EngineError
from service.errors import NewsdeskError
from service.pipeline.article import ArticlePipeline
from service.pipeline.text import summarize_text
from service.store.merge import merge_body
from service.store.review import (
    EditOutcome,
    RegeneratedSummary,
    ReviewStore,
    editor_wrote_summary,
)


def save_edit(
    pipeline: ArticlePipeline,
    store: ReviewStore,
    article_id: str,
    lang: str,
    expected_revision: int,
    editor: str,
    *,
    title: str | None = None,
    lede: str | None = None,
    body: str | None = None,
    summary: str | None = None,
) -> EditOutcome:
    """An editor's save, as the review page and the API make it: a changed body gets its
    summary made again (`summary_for_edit`), and the saved text its QA flags."""
    regenerated = summary_for_edit(
        pipeline, store, article_id, lang, expected_revision, lede=lede, body=body, summary=summary
    )
    return store.edit(
        article_id,
        lang,
        expected_revision,
        editor,
        title=title,
        lede=lede,
        body=body,
        summary=summary,
        regenerated=regenerated,
        qa=pipeline.check_edit,
    )


def summary_for_edit(
    pipeline: ArticlePipeline,
    store: ReviewStore,
    article_id: str,
    lang: str,
    expected_revision: int,
    *,
    lede: str | None = None,
    body: str | None = None,
    summary: str | None = None,
) -> RegeneratedSummary | None:
    """The summary of the body an editor's save will store; None when none is to be made: the
    body is unchanged, an editor wrote the summary (in this save or before: the store keeps
    theirs), or the version has no summary. Errors finding the version are left to the save."""
    if body is None:
        return None
    try:
        view = store.view(article_id, lang)
        base = store.revision(article_id, lang, expected_revision)
    except NewsdeskError:
        return None  # the save answers it (404, 409), with its own fixed message
    source, fmt = view.source, view.version.format
    # What the store will keep: the same functions on the same text give the same body.
    new_body = safe_body(source.body, fmt, body)
    if view.head.id != base.id:
        # Others saved since: the store merges this edit onto theirs (store/merge.py), so the
        # summary is of the merged body; a conflict saves nothing, so nothing is made.
        merged, conflicts, frame_clash = merge_body(base.body, view.head.body, new_body, fmt)
        if conflicts or frame_clash:
            return None
        base, new_body = view.head, merged
    if new_body == base.body or base.summary is None:
        return None
    if summary is not None and safe_text(source.summary, summary) != base.summary:
        return None
    if editor_wrote_summary(base.provenance):
        return None  # an editor's summary stays (the store flags it stale)
    new_lede = base.lede if lede is None else safe_text(source.lede, lede)
    # A summary that cannot be made never fails the save: the store flags the old one stale.
    try:
        body_text = parse(new_body, fmt).plain_text()
        text = "\n\n".join(p for p in [new_lede or "", body_text] if p)
        result = summarize_text(pipeline, text, lang, capped=False)
    except NewsdeskError as exc:
        return RegeneratedSummary(new_body, None, reason=f"no summarizer could run: {exc.message}")
    except EngineError:
        return RegeneratedSummary(new_body, None, reason="no summarizer could run: it failed")
    if not result.summary:
        return RegeneratedSummary(new_body, None, reason="the summarizer gave no summary")
    return RegeneratedSummary(new_body, result.summary, result.info.as_dict())
