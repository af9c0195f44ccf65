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

- a client's suggestion (LibreTranslate's /suggest) is a revision of kind `suggestion` on top
  of the machine draft: a proposal in the queue, served, cached or learned only once an editor
  approves it, and never put over an editor's unapproved save (`suggestions.py`).

One module per role (drafts, memory, workflow, suggestions, accounts) over one base of sessions;
`ReviewStore` is all of them."""

from __future__ import annotations

from service.store.review.accounts import (
    Accounts,
)
from service.store.review.base import (
    StoreBase,
)
from service.store.review.drafts import (
    DraftStore,
)
from service.store.review.errors import (
    AlreadyApproved,
    MergeConflict,
    NegativeLimit,
    NothingToSave,
    NotReviewable,
    RevisionNotFound,
    StaleRevision,
    UnknownRole,
    UserExists,
    VersionNotFound,
)
from service.store.review.memory import (
    MemoryStore,
)
from service.store.review.records import (
    MARKUP_REMOVED,
    OTHER,
    REVIEW_WORK,
    SUGGESTION,
    SUGGESTION_ROWS,
    SUMMARY_EDITED_WITH_BODY,
    SUMMARY_EDITORS,
    SUMMARY_NOT_REGENERATED,
    SUMMARY_REGENERATED,
    TEXT_FIELDS,
    EditOutcome,
    EventInfo,
    KeyInfo,
    MemorySuggestion,
    Principal,
    Queue,
    QueueItem,
    RegeneratedSummary,
    ReviewView,
    RevisionInfo,
    SuggestionOutcome,
    UserInfo,
    VersionInfo,
)
from service.store.review.rules import (
    editor_wrote_summary,
    summary_review,
)
from service.store.review.suggestions import (
    Suggestions,
)
from service.store.review.workflow import (
    Workflow,
)


class ReviewStore(DraftStore, Workflow, Suggestions, Accounts):
    """SQLAlchemy-backed ArticleStore and ApprovedMemory; also users, keys, review and
    clients' suggestions."""


__all__ = [
    "Accounts",
    "AlreadyApproved",
    "DraftStore",
    "EditOutcome",
    "EventInfo",
    "KeyInfo",
    "MARKUP_REMOVED",
    "MemoryStore",
    "MemorySuggestion",
    "MergeConflict",
    "NegativeLimit",
    "NotReviewable",
    "NothingToSave",
    "OTHER",
    "Principal",
    "Queue",
    "QueueItem",
    "RegeneratedSummary",
    "ReviewStore",
    "ReviewView",
    "RevisionInfo",
    "REVIEW_WORK",
    "RevisionNotFound",
    "SUGGESTION",
    "SUGGESTION_ROWS",
    "SUMMARY_EDITED_WITH_BODY",
    "SUMMARY_EDITORS",
    "SUMMARY_NOT_REGENERATED",
    "SUMMARY_REGENERATED",
    "StaleRevision",
    "StoreBase",
    "SuggestionOutcome",
    "Suggestions",
    "TEXT_FIELDS",
    "UnknownRole",
    "UserExists",
    "UserInfo",
    "VersionInfo",
    "VersionNotFound",
    "Workflow",
    "editor_wrote_summary",
    "summary_review",
]
