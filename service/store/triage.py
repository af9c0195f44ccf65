"""What an editor needs to pick the next draft from the queue, computed from stored rows: the
source's length in words, a state that says what readers get, and revision numbers counted per
version (r1, r2, ...) rather than the table's global row ids, which jump between articles."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import QueryableAttribute, aliased

from service.store.models import Revision

# Block tags part words ("Late news</h2><p>The"); inline ones do not ("<a>talks</a>.").
BLOCK_TAG = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|div|blockquote|figure|figcaption|table|tr|td|th|br|hr)\b[^<>]*>",
    re.I,
)
TAG = re.compile(r"<[^<>]*>")

STATE_NAMES = {
    "machine_draft": "Machine draft",
    "in_review": "In review",
    "approved": "Approved",
    "rejected": "Rejected",
}
# Where an approved revision is live and a newer draft is in another state, the plain state
# would hide what readers get ("Rejected" while approved r7 is published).
LIVE_APPROVED_NAMES = {
    "machine_draft": "Approved (newer machine draft)",
    "in_review": "Approved (newer draft in review)",
    "rejected": "Approved (rejected draft newer)",
}


def word_count(title: str, body: str, fmt: str) -> int:
    """Words (space-separated runs) in the source's title and body: the size of the job, as an
    editor reckons it. Tags are dropped by pattern rather than by a parser: the queue counts up
    to a few hundred bodies per page, and this is a length for triage, not a statistic."""
    text = TAG.sub("", BLOCK_TAG.sub(" ", body)) if fmt == "html" else body
    return len(title.split()) + len(text.split())


def state_label(state: str, approved: bool, newer_machine_draft: bool) -> str:
    """The state in words, honest about a live approved revision under a newer draft."""
    if approved and state in LIVE_APPROVED_NAMES:
        return LIVE_APPROVED_NAMES[state]
    if state == "approved" and newer_machine_draft:
        return LIVE_APPROVED_NAMES["machine_draft"]
    return STATE_NAMES.get(state, state)


def revision_number_of(
    version_id: QueryableAttribute[int], revision_id: QueryableAttribute[Any]
) -> ScalarSelect[int]:
    """A scalar subquery: the revision's place among its version's revisions, from 1 (0 where
    `revision_id` is NULL). Counts over an alias, so the outer query may select revisions too."""
    other = aliased(Revision)
    return (
        select(func.count(other.id))
        .where(other.version_id == version_id, other.id <= revision_id)
        .scalar_subquery()
    )
