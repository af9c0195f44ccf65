"""Paragraph-level views of an article body for review: the editable markup of each paragraph,
putting edited paragraphs back without touching the others, and aligning approved sentences to
their source sentences for the translation memory.

A paragraph is one of the body's flows (see `markup`): the text a block element shows, with its
inline elements (links, emphasis) written out as ordinary inline HTML for the editor.
"""

from __future__ import annotations

import copy
import html as html_lib
from collections.abc import Sequence

import lxml.html
from lxml import etree

from service.document.inline import plan_flow
from service.document.markup import (
    CLOSE_BASE,
    INLINE_TAGS,
    OBJECT_BASE,
    OPEN_BASE,
    Document,
    Flow,
    _is_opaque,
    check_inline_paragraph,
    is_close,
    is_object,
    is_open,
    parse,
    plain,
)
from service.document.segment import normalize


def paragraph_texts(body: str, fmt: str) -> list[str]:
    """The readable text of each body paragraph."""
    return _texts(parse(body, fmt))


def _texts(document: Document) -> list[str]:
    return [normalize(plain(flow.text)) for flow in document.body_flows]


BLOCK_KINDS = {
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "heading"),
    "li": "list item",
    "figcaption": "caption",
    "caption": "caption",
    "td": "table cell",
    "th": "table cell",
}


def paragraph_blocks(body: str, fmt: str) -> list[str]:
    """What each body paragraph is on the page: heading, list item, quote, caption, table
    cell or paragraph (a quote is any flow inside a blockquote)."""
    return _blocks(parse(body, fmt))


def _blocks(document: Document) -> list[str]:
    kinds: list[str] = []
    for container in document.body_containers:
        if container is None:
            kinds.append("paragraph")
            continue
        tags = [container.tag, *(a.tag for a in container.iterancestors())]
        kind = BLOCK_KINDS.get(str(container.tag), "paragraph")
        kinds.append("quote" if kind == "paragraph" and "blockquote" in tags else kind)
    return kinds


def _start_tag(element: etree._Element) -> str:
    attrs = "".join(
        f' {name}="{html_lib.escape(str(value), quote=True)}"'
        for name, value in element.attrib.items()
    )
    return f"<{element.tag}{attrs}>"


def flow_markup(flow: Flow, fmt: str) -> str:
    """A paragraph as the editor sees it: inline HTML (or the plain line of a text body)."""
    if fmt == "text":
        return flow.text
    out: list[str] = []
    for char in flow.text:
        if is_open(char):
            out.append(_start_tag(flow.elements[ord(char) - OPEN_BASE]))
        elif is_close(char):
            out.append(f"</{flow.elements[ord(char) - CLOSE_BASE].tag}>")
        elif is_object(char):
            element = copy.deepcopy(flow.elements[ord(char) - OBJECT_BASE])
            element.tail = None
            out.append(lxml.html.tostring(element, encoding="unicode"))
        else:
            out.append(html_lib.escape(char, quote=False))
    return "".join(out).strip()


def paragraph_markup(body: str, fmt: str) -> list[str]:
    return _markup(parse(body, fmt), fmt)


def _markup(document: Document, fmt: str) -> list[str]:
    return [flow_markup(flow, fmt) for flow in document.body_flows]


def paragraph_views(body: str, fmt: str) -> tuple[list[str], list[str], list[str]]:
    """`paragraph_texts`, `paragraph_markup` and `paragraph_blocks` of one body, from one
    parse (the review page shows all three for the source of every article it opens)."""
    document = parse(body, fmt)
    return _texts(document), _markup(document, fmt), _blocks(document)


def _marked(markup: str, flow: Flow) -> str:
    """Edited inline HTML as a marked flow text; its elements are appended to `flow.elements`."""
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    # Each element gets a marker of its own, and `walk` recurses: both have limits.
    check_inline_paragraph(root)
    parts: list[str] = [root.text or ""]

    def walk(element: etree._Element) -> None:
        index = len(flow.elements)
        flow.elements.append(element)
        inline = isinstance(element.tag, str) and element.tag in INLINE_TAGS
        if inline and not _is_opaque(element):
            parts.append(chr(OPEN_BASE + index))
            parts.append(element.text or "")
            for child in element:
                walk(child)
            parts.append(chr(CLOSE_BASE + index))
        else:
            parts.append(chr(OBJECT_BASE + index))
        parts.append(element.tail or "")

    for child in root:
        walk(child)
    return "".join(parts)


def replace_paragraphs(body: str, fmt: str, edited: Sequence[str | None]) -> str:
    """The body with paragraph i replaced by `edited[i]` (None or unchanged: left exactly as is).

    Block structure stays: an editor changes the words and inline markup of paragraphs, while
    whole-body edits go through the API's `body`."""
    document = parse(body, fmt)
    flows = document.body_flows
    if len(edited) != len(flows):
        raise ValueError(f"expected {len(flows)} paragraphs, got {len(edited)}")
    changed = False
    for flow, new in zip(flows, edited, strict=True):
        if new is None or new.strip() == flow_markup(flow, fmt):
            continue
        changed = True
        if fmt == "text":
            flow.translation = " ".join(new.split())
        else:
            flow.translation = _marked(new.strip(), flow)
    return document.render() if changed else body


def sentence_texts(text: str, lang: str) -> list[str]:
    """The normalized plain sentences of one flow text, as the memory keys and stores them."""
    return [normalize(s.plain) for s in plan_flow(text, lang).sentences]


def _clean(sentence: str) -> bool:
    # Object characters (images, code) are numbered per document; they cannot be reused.
    return bool(sentence) and not any(is_object(c) for c in sentence)


def align_sentences(
    source: Sequence[str], target: Sequence[str], source_lang: str, target_lang: str
) -> list[tuple[str, str]]:
    """(source sentence, approved sentence) pairs of aligned paragraphs (flow texts).

    Paragraphs pair by position; within a pair, sentences pair one to one when both sides have
    as many, and a one-sentence source paragraph pairs with the whole translated paragraph.
    Anything else is skipped rather than guessed."""
    pairs: list[tuple[str, str]] = []
    for source_flow, target_flow in zip(source, target, strict=False):
        source_sentences = sentence_texts(source_flow, source_lang)
        target_sentences = sentence_texts(target_flow, target_lang)
        if not source_sentences or not target_sentences:
            continue
        if len(source_sentences) == len(target_sentences):
            candidates = list(zip(source_sentences, target_sentences, strict=True))
        elif len(source_sentences) == 1:
            candidates = [(source_sentences[0], " ".join(target_sentences))]
        else:
            continue
        pairs.extend((s, t) for s, t in candidates if _clean(s) and _clean(t))
    return pairs


def body_flow_texts(body: str, fmt: str) -> list[str]:
    return [flow.text for flow in parse(body, fmt).body_flows]
