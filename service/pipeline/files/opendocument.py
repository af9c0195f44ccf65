"""OpenDocument texts (.odt) and presentations (.odp), odfpy: every paragraph and heading
(`text:p`, `text:h`) of the body and of the master pages is translated text node by text node
(`runs`), so styled spans, links (`text:a`), lists, headings and tables keep their elements and
only the text changes. In a text that takes in table cells, frames, notes (`text:note-body`)
and the page headers and footers (`style:header`, `style:footer` and their first-page and
left-page variants in styles.xml); in a presentation, every slide's frames (titles, outlines,
text boxes, tables, grouped shapes) and its speaker notes (`presentation:notes`), and the footer
and header texts declared for the slides. Charts and other embedded objects are left as they
are."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.parsers.expat import ExpatError

from odf.element import Node
from odf.namespaces import PRESENTATIONNS, TEXTNS
from odf.opendocument import OpenDocument, load

from service.pipeline.files.base import TranslateTexts, UnreadableFile
from service.pipeline.files.runs import translate_in_place

_PARAGRAPHS = {
    (TEXTNS, "p"),
    (TEXTNS, "h"),
    # A presentation's footer and header texts, shown on the slides that use them.
    (PRESENTATIONNS, "footer-decl"),
    (PRESENTATIONNS, "header-decl"),
}
# A note's citation is a number the application keeps; its body's paragraphs go on their own.
_SKIPPED = {(TEXTNS, "note")}
_TEXT = "application/vnd.oasis.opendocument.text"
_PRESENTATION = "application/vnd.oasis.opendocument.presentation"


def _text_nodes(paragraph: Any) -> list[Any]:
    """The paragraph's text nodes in reading order, not those of a paragraph nested in it (a
    frame) nor of a note in it."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        for child in node.childNodes:
            if child.nodeType == Node.TEXT_NODE:
                found.append(child)
            elif child.nodeType == Node.ELEMENT_NODE and child.qname not in _PARAGRAPHS | _SKIPPED:
                walk(child)

    walk(paragraph)
    return found


def _node_text(node: Any) -> str:
    return str(node.data)


def _set_node_text(node: Any, text: str) -> None:
    node.data = text


def _paragraphs(root: Any) -> list[list[Any]]:
    """Each paragraph's text nodes, in document order, nested paragraphs after their parent."""
    found: list[list[Any]] = []

    def visit(node: Any) -> None:
        for child in node.childNodes:
            if child.nodeType == Node.ELEMENT_NODE:
                if child.qname in _PARAGRAPHS:
                    found.append(_text_nodes(child))
                visit(child)

    visit(root)
    return found


def _load(data: bytes, mimetype: str, what: str) -> OpenDocument:
    """The document, if it is an OpenDocument of that kind: an .odt named .odp is refused like
    any other file that is not what its name says."""
    try:
        document = load(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, IndexError, ExpatError, ValueError) as exc:
        raise UnreadableFile(f"not an OpenDocument {what}") from exc
    if document.mimetype != mimetype:
        raise UnreadableFile(f"not an OpenDocument {what}: {document.mimetype}")
    return document


def _translate(document: OpenDocument, translate: TranslateTexts) -> bytes:
    paragraphs = _paragraphs(document.masterstyles) + _paragraphs(document.body)
    translate_in_place(paragraphs, _node_text, _set_node_text, translate)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def translate_odt(data: bytes, translate: TranslateTexts) -> bytes:
    return _translate(_load(data, _TEXT, "text"), translate)


def translate_odp(data: bytes, translate: TranslateTexts) -> bytes:
    return _translate(_load(data, _PRESENTATION, "presentation"), translate)
