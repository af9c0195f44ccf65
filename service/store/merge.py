"""Three-way merge of an editor's save with the saves made since the revision it started from.

Two editors on one draft usually fix different paragraphs; refusing the second save (as a
plain optimistic lock does) throws away work that does not conflict with anything. Here each
paragraph of the body (and the title, lede and summary) is merged on its own: what only one
side changed is taken from that side, what both changed the same way is kept, and what both
changed differently is a conflict, named so that the editor can choose between the two.

The body's markup outside its paragraphs (blocks, image attributes such as alt text) is its
"frame": a frame only one side changed is taken from that side; frames both changed, or a
change of the paragraph count together with paragraph edits on the other side, conflict as
the field "body".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service.document.paragraphs import paragraph_markup, replace_paragraphs

MERGED_FIELDS = ("title", "lede", "summary")
# Stands in for every paragraph when the frames are compared; not text an editor writes.
_SLOT = "\u2063"


@dataclass(frozen=True)
class Sides:
    """One revision's texts, as the merge sees them."""

    title: str
    lede: str | None
    body: str
    summary: str | None


@dataclass(frozen=True)
class Conflicts:
    paragraphs: tuple[int, ...] = ()  # body paragraph indices, from 0
    fields: tuple[str, ...] = ()  # title, lede, summary, or body (its frame)

    def __bool__(self) -> bool:
        return bool(self.paragraphs or self.fields)


@dataclass(frozen=True)
class Merge:
    """The merged texts (where a part conflicts, theirs stands in it) and the conflicts."""

    texts: Sides
    conflicts: Conflicts = field(default_factory=Conflicts)


def _pick(base: str | None, theirs: str | None, mine: str | None) -> tuple[str | None, bool]:
    """The merged value and whether the two sides conflict."""
    if mine == base or mine == theirs:
        return theirs, False
    if theirs == base:
        return mine, False
    return theirs, True


def _frame(body: str, fmt: str, count: int) -> str:
    return replace_paragraphs(body, fmt, [_SLOT] * count) if count else body


def merge_body(base: str, theirs: str, mine: str, fmt: str) -> tuple[str, tuple[int, ...], bool]:
    """(merged body, conflicting paragraph indices, whether the frames conflict)."""
    if mine == base or mine == theirs:
        return theirs, (), False
    if theirs == base:
        return mine, (), False
    paragraphs = [paragraph_markup(text, fmt) for text in (base, theirs, mine)]
    b, t, m = paragraphs
    frames = [
        _frame(text, fmt, len(p)) for text, p in zip((base, theirs, mine), paragraphs, strict=True)
    ]
    if frames[1] == frames[0]:
        frame = mine
    elif frames[2] in (frames[0], frames[1]):
        frame = theirs
    else:
        return theirs, (), True
    if not len(b) == len(t) == len(m):
        # One side added or removed paragraphs: positions no longer pair up, so the other side
        # must have left every paragraph as it was.
        if frame == mine and t == b:
            return mine, (), False
        if frame == theirs and m == b:
            return theirs, (), False
        return theirs, (), True
    merged: list[str] = []
    conflicts: list[int] = []
    for index, (old, their, my) in enumerate(zip(b, t, m, strict=True)):
        value, clash = _pick(old, their, my)
        if clash:
            conflicts.append(index)
        merged.append(value or "")
    return replace_paragraphs(frame, fmt, merged), tuple(conflicts), False


def merge(base: Sides, theirs: Sides, mine: Sides, fmt: str) -> Merge:
    """Mine merged onto theirs, both descending from base."""
    fields: list[str] = []
    values: dict[str, str | None] = {}
    for name in MERGED_FIELDS:
        value, clash = _pick(getattr(base, name), getattr(theirs, name), getattr(mine, name))
        values[name] = value
        if clash:
            fields.append(name)
    body, paragraphs, frame_clash = merge_body(base.body, theirs.body, mine.body, fmt)
    if frame_clash:
        fields.append("body")
    texts = Sides(
        title=values["title"] or "",
        lede=values["lede"],
        body=body,
        summary=values["summary"],
    )
    return Merge(texts, Conflicts(paragraphs, tuple(fields)))


def mine_in_conflicts(result: Merge, mine: Sides, fmt: str) -> Sides:
    """The merged texts with mine, not theirs, in each conflicting part: what the review page
    puts in the form after a conflict, for the editor to keep or to swap for theirs."""
    texts = result.texts
    conflicts = result.conflicts
    body = texts.body
    if "body" in conflicts.fields:
        body = mine.body
    elif conflicts.paragraphs:
        mine_paragraphs = paragraph_markup(mine.body, fmt)
        body = replace_paragraphs(
            body,
            fmt,
            [
                mine_paragraphs[index] if index in conflicts.paragraphs else None
                for index in range(len(mine_paragraphs))
            ],
        )
    return Sides(
        title=mine.title if "title" in conflicts.fields else texts.title,
        lede=mine.lede if "lede" in conflicts.fields else texts.lede,
        body=body,
        summary=mine.summary if "summary" in conflicts.fields else texts.summary,
    )
