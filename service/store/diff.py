"""Diffs between two revisions, computed on the server with difflib: word by word inside each
field, paragraph by paragraph for the body, plus a unified diff of the raw fields.

The body is compared on each paragraph's inline markup with every tag one token, so a changed
link target, emphasis or image alt text shows as the tag that changed (a link swapped for a
phishing address is a change, not "no differences"); tags that did not change are left out of
the chunks, so the editor reads text, not HTML."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from service.document.paragraphs import paragraph_markup, paragraph_texts

Op = Literal["equal", "insert", "delete", "replace"]
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_MARKUP_TOKENS = re.compile(r"<[^<>]*>|\s+|\w+|[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Chunk:
    op: Op
    a: str
    b: str


@dataclass
class TextDiff:
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.op != "equal" for c in self.chunks)


def _merge(chunks: list[Chunk]) -> list[Chunk]:
    """Joins changes separated only by spaces, so a rewritten phrase reads as one change."""
    out: list[Chunk] = []
    for chunk in chunks:
        if out and chunk.op != "equal" and out[-1].op != "equal":
            last = out.pop()
            out.append(Chunk("replace", last.a + chunk.a, last.b + chunk.b))
            continue
        if (
            chunk.op != "equal"
            and len(out) >= 2
            and out[-1].op == "equal"
            and not out[-1].a.strip()
            and out[-2].op != "equal"
        ):
            space = out.pop()
            last = out.pop()
            out.append(Chunk("replace", last.a + space.a + chunk.a, last.b + space.b + chunk.b))
            continue
        out.append(chunk)
    return [
        Chunk("insert" if not c.a else "delete" if not c.b else c.op, c.a, c.b)
        if c.op == "replace"
        else c
        for c in out
    ]


def word_diff(a: str, b: str) -> TextDiff:
    left, right = _TOKENS.findall(a), _TOKENS.findall(b)
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    chunks = [
        Chunk(op, "".join(left[i1:i2]), "".join(right[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    return TextDiff(_merge(chunks))


def _shown(tokens: list[str], keep_tags: bool) -> str:
    """Markup tokens as the diff shows them: text unescaped, tags only where they changed."""
    return html.unescape("".join(t for t in tokens if keep_tags or not t.startswith("<")))


def markup_diff(a: str, b: str) -> TextDiff:
    """Word diff of two paragraphs' inline HTML, each tag one token (see the module's note)."""
    left, right = _MARKUP_TOKENS.findall(a), _MARKUP_TOKENS.findall(b)
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    chunks = [
        Chunk(op, _shown(left[i1:i2], op != "equal"), _shown(right[j1:j2], op != "equal"))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    return TextDiff(_merge([c for c in chunks if c.a or c.b]))


def _plain(markup: str) -> str:
    return _shown(_MARKUP_TOKENS.findall(markup), keep_tags=False)


def _as_is(text: str) -> str:
    return text


def paragraphs_diff(
    a: list[str],
    b: list[str],
    differ: Callable[[str, str], TextDiff] = word_diff,
    plain: Callable[[str], str] = _as_is,
) -> list[TextDiff]:
    """One word diff per paragraph, paragraphs matched by difflib so that an inserted or
    removed paragraph shows as such instead of shifting every later one. `plain`: how an
    unchanged paragraph is shown (markup paragraphs without their tags)."""
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out: list[TextDiff] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(TextDiff([Chunk("equal", plain(p), plain(p))]) for p in a[i1:i2])
            continue
        left, right = a[i1:i2], b[j1:j2]
        for k in range(max(len(left), len(right))):
            old = left[k] if k < len(left) else None
            new = right[k] if k < len(right) else None
            if old is None:
                out.append(TextDiff([Chunk("insert", "", _shown([new or ""], True))]))
            elif new is None:
                out.append(TextDiff([Chunk("delete", _shown([old], True), "")]))
            else:
                out.append(differ(old, new))
    return out


@dataclass
class RevisionDiff:
    title: TextDiff
    lede: TextDiff
    summary: TextDiff
    body: list[TextDiff]
    unified: str

    @property
    def changed(self) -> bool:
        parts = [self.title, self.lede, self.summary, *self.body]
        return any(part.changed for part in parts)


_BLOCK_END = re.compile(
    r"(</(?:p|h[1-6]|li|ul|ol|figure|figcaption|blockquote|div|tr|table)>)", re.I
)


def _lines(value: str | None) -> list[str]:
    # An HTML body is often one long line: break it after block ends so the diff reads well.
    return _BLOCK_END.sub("\\1\n", value or "").splitlines(keepends=False)


def diff_revisions(
    old: dict[str, str | None], new: dict[str, str | None], fmt: str, names: tuple[str, str]
) -> RevisionDiff:
    """`old`/`new`: title, lede, body, summary of two revisions."""
    unified: list[str] = []
    for name in ("title", "lede", "body", "summary"):
        unified.extend(
            difflib.unified_diff(
                _lines(old.get(name)),
                _lines(new.get(name)),
                f"{names[0]}/{name}",
                f"{names[1]}/{name}",
                lineterm="",
            )
        )
    return RevisionDiff(
        title=word_diff(old.get("title") or "", new.get("title") or ""),
        lede=word_diff(old.get("lede") or "", new.get("lede") or ""),
        summary=word_diff(old.get("summary") or "", new.get("summary") or ""),
        body=_body_diff(old.get("body") or "", new.get("body") or "", fmt),
        unified="\n".join(unified),
    )


def _body_diff(old: str, new: str, fmt: str) -> list[TextDiff]:
    if fmt != "html":
        return paragraphs_diff(paragraph_texts(old, fmt), paragraph_texts(new, fmt))
    marked = [[_SPACE.sub(" ", p).strip() for p in paragraph_markup(b, fmt)] for b in (old, new)]
    return paragraphs_diff(marked[0], marked[1], markup_diff, _plain)
