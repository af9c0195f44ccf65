"""Markup: turns an HTML or plain-text body into translatable flows and puts translations back.

A *flow* is the run of text that a block element (p, li, h2, figcaption, td, ...) shows between
its block children. Inline elements inside a flow (a, em, strong, span, ...) become pairs of
marker characters from Unicode's private use area around their words, so that the translated
text can carry them back to the right words; void elements (br, img) and untranslatable inline
elements (code, translate="no", class notranslate) become single object characters that the
protection step passes through verbatim. Attribute texts (alt, title) are flows of their own.
Script, style, code, pre and anything marked translate="no" are never touched.
"""

from __future__ import annotations

import copy
import html as html_lib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from service.cleaning import clean_text
from service.errors import NewsdeskError

OPEN_BASE = 0xE000
CLOSE_BASE = 0xE400
OBJECT_BASE = 0xE800
_SPAN = 0x400  # markers per kind and flow

INLINE_TAGS = frozenset(
    "a abbr acronym b bdi bdo big cite data del dfn em font i ins label mark q s small span "
    "strike strong sub sup time tt u".split()
)
VOID_TAGS = frozenset("br img wbr input".split())
# Never translated, wherever they stand (their text, their attributes, their children).
OPAQUE_TAGS = frozenset(
    "script style code pre kbd samp var svg math textarea template iframe object noscript".split()
)
TRANSLATED_ATTRIBUTES = ("alt", "title")
# libxml2 silently drops whatever is nested deeper than 255 levels, and the walks below recurse
# once per level: a body nested deeper than this is refused rather than half translated.
MAX_DEPTH = 100
_MARKER = re.compile(f"[{chr(OPEN_BASE)}-{chr(OBJECT_BASE + _SPAN - 1)}]")
INLINE_MARKER = re.compile(f"[{chr(OPEN_BASE)}-{chr(OBJECT_BASE - 1)}]")  # open and close
_SPACES = re.compile(r"\s+")


def is_open(char: str) -> bool:
    return OPEN_BASE <= ord(char) < CLOSE_BASE


def is_close(char: str) -> bool:
    return CLOSE_BASE <= ord(char) < OBJECT_BASE


def is_object(char: str) -> bool:
    return OBJECT_BASE <= ord(char) < OBJECT_BASE + _SPAN


def strip_markers(text: str) -> str:
    """The text without inline markers; object characters stay."""
    return INLINE_MARKER.sub("", text)


def plain(text: str) -> str:
    """Readable text of a flow: no markers, no objects."""
    return _MARKER.sub("", text)


class MarkupTooDeep(NewsdeskError):
    def __init__(self) -> None:
        super().__init__(f"markup is nested deeper than {MAX_DEPTH} levels")


class TooManyInlineElements(NewsdeskError):
    def __init__(self) -> None:
        super().__init__(f"a paragraph has more than {_SPAN} inline elements")


class MarkupUnreadable(NewsdeskError):
    def __init__(self) -> None:
        super().__init__("markup could not be parsed")


def check_inline_paragraph(root: etree._Element) -> None:
    """An editor's paragraph (inline HTML under `root`) within the limits a parsed body has."""
    if _depth(root) > MAX_DEPTH:
        raise MarkupTooDeep()
    if sum(1 for _ in root.iterdescendants()) >= _SPAN:
        raise TooManyInlineElements()


def _depth(root: etree._Element) -> int:
    """How deeply elements nest under `root` (its children are at depth 1); iterative."""
    deepest = 0
    stack = [(child, 1) for child in root]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


# lxml refuses a str that declares its encoding; the text is already decoded, so it goes.
_XML_DECLARATION = re.compile(r"\s*<\?xml[^>]*>")


def _parse_html(body: str, full_document: bool) -> etree._Element:
    declaration = _XML_DECLARATION.match(body)
    if declaration:
        body = body[declaration.end() :]
    try:
        if full_document:
            return lxml.html.document_fromstring(body)
        return lxml.html.fragment_fromstring(body, create_parent="div")
    except (etree.LxmlError, ValueError, AssertionError, IndexError) as exc:
        # lxml says "Document is empty" of a document that is only a comment or a stray tag,
        # and asserts (IndexError under -O) when a fragment leaves it no body to take.
        raise MarkupUnreadable() from exc


def _is_opaque(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return True  # comments, processing instructions
    if element.tag in OPAQUE_TAGS:
        return True
    if (element.get("translate") or "").strip().lower() == "no":
        return True
    return "notranslate" in (element.get("class") or "").split()


def _is_simple_inline(element: etree._Element) -> bool:
    """An inline element whose whole subtree can live inside one flow."""
    if not isinstance(element.tag, str) or element.tag not in INLINE_TAGS:
        return False
    return all(
        _is_opaque(child) or child.tag in VOID_TAGS or _is_simple_inline(child) for child in element
    )


def _in_flow(element: etree._Element) -> bool:
    return _is_opaque(element) or element.tag in VOID_TAGS or _is_simple_inline(element)


@dataclass
class Flow:
    """One translatable run of text. `text` holds markers; `elements[k]` is marker k's element."""

    text: str
    elements: list[etree._Element] = field(default_factory=list)
    translation: str | None = None


@dataclass
class _Slot:
    """Where a flow lives in the tree: the text slot before it and the children it spans."""

    container: etree._Element
    anchor: etree._Element | None  # None: container.text, else anchor.tail
    children: list[etree._Element]
    flow: Flow


@dataclass
class _AttrUnit:
    element: etree._Element
    name: str
    flow: Flow


class Document:
    """A parsed body: its flows (to translate) and how to render the translations back."""

    def __init__(self, body: str, fmt: str) -> None:
        self.format = fmt
        self._slots: list[_Slot] = []
        self._attrs: list[_AttrUnit] = []
        self._lines: list[str] = []
        self._line_flows: dict[int, Flow] = {}
        if fmt == "text":
            self._lines = body.split("\n")
            for index, line in enumerate(self._lines):
                if line.strip():
                    self._line_flows[index] = Flow(line)
            return
        self._full_document = bool(re.search(r"<html[\s>]|<body[\s>]", body[:2000], re.I))
        self._root = _parse_html(body, self._full_document)
        if _depth(self._root) > MAX_DEPTH:
            raise MarkupTooDeep()
        self._collect(self._root)

    @property
    def flows(self) -> list[Flow]:
        """Every flow, in document order (attribute texts last)."""
        if self.format == "text":
            return list(self._line_flows.values())
        return [slot.flow for slot in self._slots] + [unit.flow for unit in self._attrs]

    @property
    def body_flows(self) -> list[Flow]:
        """The flows that make up the readable body (no attribute texts)."""
        if self.format == "text":
            return list(self._line_flows.values())
        return [slot.flow for slot in self._slots]

    @property
    def body_containers(self) -> list[etree._Element | None]:
        """The element each body flow sits in (None for a text body's lines): the review page
        shows a paragraph as the heading, list item, quote or caption it is."""
        if self.format == "text":
            return [None for _ in self._line_flows]
        return [slot.container for slot in self._slots]

    def plain_text(self) -> str:
        """The body as plain text, one block per paragraph, for summaries and detection."""
        return "\n\n".join(
            _SPACES.sub(" ", plain(flow.text)).strip()
            for flow in self.body_flows
            if plain(flow.text).strip()
        )

    # -- parsing ---------------------------------------------------------------------------

    def _collect(self, container: etree._Element) -> None:
        if _is_opaque(container):
            return
        self._collect_attributes(container)
        children = list(container)
        anchor: etree._Element | None = None
        run: list[etree._Element] = []
        for child in children:
            if _in_flow(child):
                run.append(child)
                continue
            self._add_slot(container, anchor, run)
            self._collect(child)
            anchor, run = child, []
        self._add_slot(container, anchor, run)

    def _collect_attributes(self, element: etree._Element) -> None:
        for name in TRANSLATED_ATTRIBUTES:
            value = element.get(name)
            if value and value.strip():
                self._attrs.append(_AttrUnit(element, name, Flow(value)))

    def _add_slot(
        self,
        container: etree._Element,
        anchor: etree._Element | None,
        run: list[etree._Element],
    ) -> None:
        head = (container.text if anchor is None else anchor.tail) or ""
        flow = Flow("")
        parts = [head]
        for child in run:
            parts.append(self._flatten(child, flow))
            parts.append(child.tail or "")
        flow.text = "".join(parts)
        if not plain(flow.text).strip() and not run:
            return
        if not plain(flow.text).strip() and all(_is_opaque(c) or c.tag in VOID_TAGS for c in run):
            return  # nothing to translate: leave the markup exactly as it was
        self._slots.append(_Slot(container, anchor, run, flow))

    def _flatten(self, element: etree._Element, flow: Flow) -> str:
        index = len(flow.elements)
        if index >= _SPAN:
            raise TooManyInlineElements()
        flow.elements.append(element)
        if _is_opaque(element) or element.tag in VOID_TAGS:
            if not _is_opaque(element):
                self._collect_attributes(element)
            return chr(OBJECT_BASE + index)
        self._collect_attributes(element)
        parts = [chr(OPEN_BASE + index), element.text or ""]
        for child in element:
            parts.append(self._flatten(child, flow))
            parts.append(child.tail or "")
        parts.append(chr(CLOSE_BASE + index))
        return "".join(parts)

    # -- rendering -------------------------------------------------------------------------

    def render(self) -> str:
        """The body with every flow's `translation` in place of its text."""
        if self.format == "text":
            lines = list(self._lines)
            for index, flow in self._line_flows.items():
                if flow.translation is not None:
                    lines[index] = flow.translation
            return "\n".join(lines)
        # Attributes first: inline elements are rebuilt as copies of the originals.
        for unit in self._attrs:
            if unit.flow.translation is not None:
                unit.element.set(unit.name, plain(unit.flow.translation))
        for slot in self._slots:
            if slot.flow.translation is not None:
                self._render_slot(slot, slot.flow.translation)
        if self._full_document:
            return str(
                lxml.html.tostring(self._root, encoding="unicode", doctype="<!DOCTYPE html>")
            )
        head = html_lib.escape(self._root.text or "", quote=False)
        return head + "".join(lxml.html.tostring(child, encoding="unicode") for child in self._root)

    def _render_slot(self, slot: _Slot, text: str) -> None:
        container = slot.container
        for child in slot.children:
            container.remove(child)
        nodes = _build_nodes(text, slot.flow.elements)
        head = nodes.pop(0) if nodes and isinstance(nodes[0], str) else ""
        if slot.anchor is None:
            container.text = head
        else:
            slot.anchor.tail = head
        # Each node goes right after the one before it (after the anchor's tail, for the
        # first): no position is looked up, which would cost the container's length per slot.
        last: etree._Element | None = None
        for node in nodes:
            if isinstance(node, str):
                assert last is not None
                last.tail = (last.tail or "") + node
                continue
            if last is not None:
                last.addnext(node)
            elif slot.anchor is not None:
                slot.anchor.addnext(node)
            else:
                container.insert(0, node)
            last = node


def _build_nodes(text: str, elements: list[etree._Element]) -> list[str | etree._Element]:
    """Rebuilds inline elements from a marked text: copies of the originals, same attributes."""
    top: list[str | etree._Element] = []
    stack: list[etree._Element] = []

    def append_text(value: str) -> None:
        if not value:
            return
        if stack:
            parent = stack[-1]
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + value
            else:
                parent.text = (parent.text or "") + value
        elif top and isinstance(top[-1], str):
            top[-1] += value
        else:
            top.append(value)

    def append_element(element: etree._Element) -> None:
        if stack:
            stack[-1].append(element)
        else:
            top.append(element)

    buffer: list[str] = []
    for char in text:
        if not (is_open(char) or is_close(char) or is_object(char)):
            buffer.append(char)
            continue
        append_text("".join(buffer))
        buffer = []
        code = ord(char)
        if is_object(char):
            original = elements[code - OBJECT_BASE]
            clone = copy.deepcopy(original)
            clone.tail = None
            append_element(clone)
        elif is_open(char):
            original = elements[code - OPEN_BASE]
            shell = etree.Element(original.tag, dict(original.attrib))
            append_element(shell)
            stack.append(shell)
        else:
            original = elements[code - CLOSE_BASE]
            if any(e.tag == original.tag for e in stack):
                while stack:
                    if stack.pop().tag == original.tag:
                        break
    append_text("".join(buffer))
    return top


def iter_marker_pairs(text: str) -> Iterator[tuple[int, int]]:
    """(open index, close index) for each inline element in a marked text."""
    opened: dict[int, int] = {}
    for position, char in enumerate(text):
        if is_open(char):
            opened[ord(char) - OPEN_BASE] = position
        elif is_close(char):
            start = opened.pop(ord(char) - CLOSE_BASE, None)
            if start is not None:
                yield start, position


def parse(body: str, fmt: str) -> Document:
    # The marker characters are private use characters: a body that carries its own (the API
    # cleans requests, but not every body comes through it) would forge markers.
    return Document(clean_text(body), fmt)


def map_flows(document: Document, translate: Callable[[list[str]], list[str]]) -> str:
    """Translates every flow with `translate` (marked texts in, marked texts out) and renders."""
    flows = document.flows
    for flow, translation in zip(flows, translate([f.text for f in flows]), strict=True):
        flow.translation = translation
    return document.render()
