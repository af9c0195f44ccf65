"""Review: the queue of drafts, the revisions of a version, diffs, editor saves, approve, reject.

Every route here needs an editor key (X-API-Key): drafts are unpublished work."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from service.api.auth import EditorDep, StoreDep
from service.api.deps import PipelineDep
from service.pipeline.resummarize import save_edit
from service.schemas import MAX_ROW_ID, QaFlag, RevisionNumber, SummaryReview
from service.store.diff import TextDiff
from service.store.review import QueueItem, RevisionInfo, VersionInfo, summary_review

State = Literal["machine_draft", "in_review", "approved", "rejected"]
# More paragraphs than any article has; bounds the confirm list a client can send.
MAX_PARAGRAPH = 10_000

router = APIRouter(prefix="/v1/reviews", tags=["review"])
versions_router = APIRouter(prefix="/v1/articles/{article_id}/versions", tags=["review"])


# -- models -----------------------------------------------------------------------------------


class ReviewItemResponse(BaseModel):
    article_id: str
    lang: str
    source_lang: str
    title: str
    state: str
    newer_machine_draft: bool
    head_revision: int | None
    approved_revision: int | None
    head_author: str
    head_kind: str
    updated: datetime
    qa_count: int = Field(default=0, description="QA flags of the head revision")
    source_title: str = Field(default="", description="The article's title in its own language")
    received: datetime | None = Field(
        default=None, description="When the article first reached the service (the queue order)"
    )
    words: int = Field(default=0, description="Words in the source's title and body")
    head_revision_number: int = Field(
        default=0, description="The head's number within this version (r1, r2, ...)"
    )
    approved_revision_number: int | None = Field(
        default=None, description="The approved revision's number within this version"
    )
    state_label: str = Field(
        default="",
        description="The state in words, e.g. 'Approved (rejected draft newer)' where an "
        "approved revision is live under a newer draft",
    )


class ReviewQueueResponse(BaseModel):
    items: list[ReviewItemResponse]
    counts: dict[str, int] = Field(description="Versions per state under the lang/date filters")
    total: int = Field(description="Versions matching every filter")
    limit: int
    offset: int


class RevisionResponse(BaseModel):
    id: int
    number: int = Field(default=0, description="Its number within this version (r1, r2, ...)")
    kind: str = Field(
        description="source, machine, human, or suggestion (a client's, from /suggest)"
    )
    author: str = Field(description="Editor name, or engine:model@revision for machine drafts")
    created: datetime
    parent: int | None
    stale: bool = Field(description="Saved against an outdated revision: kept, not applied")
    title: str
    lede: str | None
    body: str
    summary: str | None
    provenance: dict[str, Any]
    qa: list[QaFlag] = Field(default_factory=list, description="QA flags stored with it")


class SuggestionResponse(BaseModel):
    field: Literal["title", "lede", "body"]
    paragraph: int | None = Field(description="Body paragraph index, from 0")
    source: str = Field(description="The article's source sentence")
    match: str = Field(description="The memory's source sentence it resembles")
    target: str = Field(description="The memory's approved translation of `match`")
    score: float = Field(description="Similarity, 0.75 to 1")
    origin: Literal["editor", "import", "archive"] = Field(
        "editor",
        description="Where the memory entry came from; archive pairs (aligned from the "
        "outlet's published translations) are offered for the editor to check",
    )


class RevisionListResponse(BaseModel):
    article_id: str
    lang: str
    state: str
    head_revision: int | None
    approved_revision: int | None
    revisions: list[RevisionResponse]
    suggestions: list[SuggestionResponse] = Field(
        default_factory=list,
        description="Near matches (>= 75% similar) in the translation memory for source "
        "sentences the head does not translate that way: for the editor, never applied",
    )


class DiffChunkResponse(BaseModel):
    op: Literal["equal", "insert", "delete", "replace"]
    old: str
    new: str


class DiffResponse(BaseModel):
    article_id: str
    lang: str
    old_revision: int
    new_revision: int
    changed: bool
    title: list[DiffChunkResponse]
    lede: list[DiffChunkResponse]
    summary: list[DiffChunkResponse]
    body: list[list[DiffChunkResponse]] = Field(description="One chunk list per paragraph")
    unified: str


class EditRequest(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [{"expected_revision": 2, "title": "EE UU celebrará conversaciones"}]
        }
    }

    expected_revision: RevisionNumber = Field(
        description="The revision this edit starts from (the head)"
    )
    title: str | None = None
    lede: str | None = None
    body: str | None = None
    summary: str | None = None


class EditResponse(BaseModel):
    revision: RevisionResponse
    state: str
    head_revision: int | None
    summary_review: SummaryReview | None = Field(
        default=None, description="The saved summary, when the body changed: regenerated or stale"
    )
    markup_removed: bool = Field(
        default=False,
        description="Markup the source does not have (script, on* attributes, javascript: "
        "links, ...) was removed from the saved text",
    )
    merged: bool = Field(
        default=False,
        description="The edit started from an older revision and was merged with the "
        "revisions saved since (they changed other paragraphs): both are in this revision",
    )
    merged_with: int | None = Field(
        default=None, description="The revision saved since that this edit was merged with"
    )


class ApproveRequest(BaseModel):
    comment: str | None = Field(default=None, max_length=5000)
    expected_revision: RevisionNumber | None = Field(
        default=None, description="Refuse (409) unless this is still the revision to approve"
    )
    confirm: Literal["all"] | list[Annotated[int, Field(ge=0, le=MAX_PARAGRAPH)]] = Field(
        default_factory=list,
        max_length=MAX_PARAGRAPH,
        description="Paragraphs (indices from 0) whose unchanged machine sentences a person "
        'checked, or "all" (title and lede too): the memory learns those besides the '
        "sentences an editor changed, and nothing else",
    )


class RejectRequest(BaseModel):
    comment: str = Field(min_length=1, max_length=5000, description="Why (required)")
    expected_revision: RevisionNumber | None = None


class ReviewActionResponse(BaseModel):
    article_id: str
    lang: str
    state: str
    head_revision: int | None
    approved_revision: int | None
    newer_machine_draft: bool
    memory_entries: int = Field(default=0, description="Sentences the approval taught the memory")


# -- conversions ------------------------------------------------------------------------------


def _revision(info: RevisionInfo) -> RevisionResponse:
    return RevisionResponse(
        id=info.id,
        number=info.number,
        kind=info.kind,
        author=info.author,
        created=info.created,
        parent=info.parent_id,
        stale=info.stale,
        title=info.title,
        lede=info.lede,
        body=info.body,
        summary=info.summary,
        provenance=info.provenance,
        qa=[QaFlag.model_validate(flag) for flag in info.qa],
    )


def _item(item: QueueItem) -> ReviewItemResponse:
    v = item.version
    return ReviewItemResponse(
        article_id=v.article_id,
        lang=v.lang,
        source_lang=v.source_lang,
        title=item.title,
        state=v.state,
        newer_machine_draft=v.newer_machine_draft,
        head_revision=v.head_revision_id,
        approved_revision=v.approved_revision_id,
        head_author=item.head_author,
        head_kind=item.head_kind,
        updated=v.updated,
        qa_count=item.qa_count,
        source_title=item.source_title,
        received=item.received,
        words=item.words,
        head_revision_number=item.head_number,
        approved_revision_number=item.approved_number,
        state_label=item.state_label,
    )


def _chunks(diff: TextDiff) -> list[DiffChunkResponse]:
    return [DiffChunkResponse(op=c.op, old=c.a, new=c.b) for c in diff.chunks]


def _action(version: VersionInfo, learned: int = 0) -> ReviewActionResponse:
    return ReviewActionResponse(
        article_id=version.article_id,
        lang=version.lang,
        state=version.state,
        head_revision=version.head_revision_id,
        approved_revision=version.approved_revision_id,
        newer_machine_draft=version.newer_machine_draft,
        memory_entries=learned,
    )


# -- routes -----------------------------------------------------------------------------------


@router.get("", response_model=ReviewQueueResponse)
def review_queue(
    store: StoreDep,
    editor: EditorDep,
    state: State | None = None,
    lang: Literal["en", "es"] | None = None,
    since: datetime | None = Query(default=None, description="Updated at or after (ISO date)"),
    until: datetime | None = Query(default=None, description="Updated before (ISO date)"),
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0, le=MAX_ROW_ID),
) -> ReviewQueueResponse:
    """Translated versions to review, newest article first (stable), with counts per state."""
    queue = store.queue(state, lang, since, until, limit, offset)
    return ReviewQueueResponse(
        items=[_item(i) for i in queue.items],
        counts=queue.counts,
        total=queue.total,
        limit=limit,
        offset=offset,
    )


@versions_router.get("/{lang}/revisions", response_model=RevisionListResponse)
def list_revisions(
    article_id: str, lang: str, store: StoreDep, editor: EditorDep
) -> RevisionListResponse:
    """Every revision of one language version, oldest first (machine, human and stale), and
    the memory's near matches for its source sentences."""
    revisions = store.revisions(article_id, lang)
    view = None if not revisions or revisions[0].kind == "source" else store.view(article_id, lang)
    suggestions = store.memory_suggestions(article_id, lang) if view else []
    return RevisionListResponse(
        article_id=article_id,
        lang=lang,
        state=view.version.state if view else "source",
        head_revision=view.version.head_revision_id if view else revisions[-1].id,
        approved_revision=view.version.approved_revision_id if view else None,
        revisions=[_revision(r) for r in revisions],
        suggestions=[
            SuggestionResponse.model_validate(s, from_attributes=True) for s in suggestions
        ],
    )


@versions_router.get("/{lang}/revisions/{revision_id}", response_model=RevisionResponse)
def get_revision(
    article_id: str,
    lang: str,
    revision_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)],
    store: StoreDep,
    editor: EditorDep,
) -> RevisionResponse:
    """One revision's full text and provenance."""
    return _revision(store.revision(article_id, lang, revision_id))


@versions_router.get("/{lang}/diff", response_model=DiffResponse)
def diff_revisions(
    article_id: str,
    lang: str,
    store: StoreDep,
    editor: EditorDep,
    old: int | None = Query(
        default=None, alias="from", ge=1, le=MAX_ROW_ID, description="Default: the machine draft"
    ),
    new: int | None = Query(
        default=None, alias="to", ge=1, le=MAX_ROW_ID, description="Default: the head revision"
    ),
) -> DiffResponse:
    """Word-level and unified diff between two revisions (default: machine draft → head)."""
    if old is None or new is None:
        view = store.view(article_id, lang)
        base = view.base_machine or view.machine or view.head
        old = base.id if old is None else old
        new = view.head.id if new is None else new
    diff = store.diff(article_id, lang, old, new)
    return DiffResponse(
        article_id=article_id,
        lang=lang,
        old_revision=old,
        new_revision=new,
        changed=diff.changed,
        title=_chunks(diff.title),
        lede=_chunks(diff.lede),
        summary=_chunks(diff.summary),
        body=[_chunks(p) for p in diff.body],
        unified=diff.unified,
    )


@versions_router.patch("/{lang}", response_model=EditResponse)
def edit_version(
    article_id: str,
    lang: str,
    request: EditRequest,
    store: StoreDep,
    editor: EditorDep,
    pipeline: PipelineDep,
) -> EditResponse:
    """Save an editor's text as a new revision. Based on an older revision, it is merged with
    the saves since (`merged`), or 409 naming the paragraphs and fields both changed. A
    changed body gets its summary made again (a draft to review), unless the same save edits
    the summary: that is kept, and flagged stale."""
    outcome = save_edit(
        pipeline,
        store,
        article_id,
        lang,
        request.expected_revision,
        editor.name,
        title=request.title,
        lede=request.lede,
        body=request.body,
        summary=request.summary,
    )
    return EditResponse(
        revision=_revision(outcome.revision),
        state=outcome.version.state,
        head_revision=outcome.version.head_revision_id,
        summary_review=summary_review(outcome.revision.provenance),
        markup_removed=outcome.markup_removed,
        merged=outcome.merged_with is not None,
        merged_with=outcome.merged_with,
    )


@versions_router.post("/{lang}/approve", response_model=ReviewActionResponse)
def approve_version(
    article_id: str, lang: str, request: ApproveRequest, store: StoreDep, editor: EditorDep
) -> ReviewActionResponse:
    """Approve the head revision; the sentences an editor changed or confirmed go into the
    translation memory."""
    version, learned = store.approve(
        article_id,
        lang,
        editor.name,
        request.comment,
        request.expected_revision,
        request.confirm or None,
    )
    return _action(version, learned)


@versions_router.post("/{lang}/reject", response_model=ReviewActionResponse)
def reject_version(
    article_id: str, lang: str, request: RejectRequest, store: StoreDep, editor: EditorDep
) -> ReviewActionResponse:
    """Reject the head revision, with a comment saying why."""
    return _action(
        store.reject(article_id, lang, editor.name, request.comment, request.expected_revision)
    )
