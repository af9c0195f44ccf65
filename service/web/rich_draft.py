"""A draft paragraph as the review page's editor shows it: the text editable, each inline tag
an intact, non-editable token (a "chip" carrying the tag's exact markup), so an editor changes
words without typing or breaking HTML. static/review.js turns the chips back into the tags on
save; the server sanitizes the result as it does any edit (document/sanitize.py)."""

from __future__ import annotations

import html
import re

from markupsafe import Markup

TAG = re.compile(r"<[^<>]*>")
TAG_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")
NAMES = {
    "a": "link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "img": "image",
    "br": "line break",
    "sub": "subscript",
    "sup": "superscript",
}


def _chip(raw: str) -> str:
    found = TAG_NAME.match(raw)
    closing, tag = (found.group(1), found.group(2).lower()) if found else ("", "tag")
    name = NAMES.get(tag, tag)
    label = f"⟨/{name}⟩" if closing else f"⟨{name}⟩"
    return (
        f'<span class="chip" contenteditable="false" data-tag="{html.escape(tag)}" '
        f'data-raw="{html.escape(raw, quote=True)}">{html.escape(label)}</span>'
    )


def editable_html(markup: str) -> Markup:
    """`markup` (a paragraph's inline HTML from document/paragraphs.py, its text escaped) with
    every tag replaced by a chip."""
    out: list[str] = []
    position = 0
    for found in TAG.finditer(markup):
        out.append(markup[position : found.start()])
        out.append(_chip(found.group(0)))
        position = found.end()
    out.append(markup[position:])
    return Markup("".join(out))  # noqa: S704 - escaped text and escaped chip attributes
