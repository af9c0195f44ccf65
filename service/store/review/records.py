"""What the review store hands out: plain records of versions, revisions, the queue,
users and keys, and the texts its messages use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

OTHER = {"en": "es", "es": "en"}
MARKUP_REMOVED = "markup its source does not have was removed"
TEXT_FIELDS = ("title", "lede", "body", "summary")
# The kind of a revision a client suggested (LibreTranslate's /suggest): a draft for editors,
# written by no editor, never served or learned before one approves it.
SUGGESTION = "suggestion"
# Kinds whose revision at the head is work for an editor to look at, which a machine run
# must not push aside.
REVIEW_WORK = ("human", SUGGESTION)
# Memory entries read for one version's suggestions (newest first): bounds the time they take.
SUGGESTION_ROWS = 5000


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
    # Its place among the version's revisions (r1, r2, ...); `id` stays the API's handle.
    number: int = 0

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
    # Triage (service/store/triage.py): what an editor weighs before opening a draft.
    source_title: str = ""
    received: datetime | None = None  # when the article first reached the service
    words: int = 0  # in the source's title and body
    head_number: int = 0
    approved_number: int | None = None
    state_label: str = ""


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
    origin: str = "editor"  # of the memory entry: editor | import | archive


@dataclass(frozen=True)
class SuggestionOutcome:
    """A client's suggestion as the store kept it: a revision of kind `suggestion`."""

    revision: RevisionInfo
    version: VersionInfo
    # False: an editor's unapproved revision is the head, and the suggestion waits beside it.
    became_head: bool


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
