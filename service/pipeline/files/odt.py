"""OpenDocument texts (.odt, odfpy): every paragraph and heading (`text:p`, `text:h`), table
cells included, is translated text node by text node (`runs`), so styled spans, links
(`text:a`), headings and tables keep their elements and only the text changes."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.parsers.expat import ExpatError

from odf import opendocument, text
from odf.element import Node
from odf.namespaces import TEXTNS

from service.pipeline.files.base import TranslateTexts, UnreadableFile
from service.pipeline.files.runs import translate_runs

_PARAGRAPHS = ((TEXTNS, "p"), (TEXTNS, "h"))


def _text_nodes(paragraph: Any) -> list[Any]:
    """The paragraph's text nodes in reading order, not those of a paragraph nested in it (a
    note, a frame)."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        for child in node.childNodes:
            if child.nodeType == Node.TEXT_NODE:
                found.append(child)
            elif child.nodeType == Node.ELEMENT_NODE and child.qname not in _PARAGRAPHS:
                walk(child)

    walk(paragraph)
    return found


def translate_odt(data: bytes, translate: TranslateTexts) -> bytes:
    try:
        document = opendocument.load(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ExpatError, ValueError) as exc:
        raise UnreadableFile("not an OpenDocument text") from exc
    paragraphs = [
        _text_nodes(p)
        for p in document.text.getElementsByType(text.P) + document.text.getElementsByType(text.H)
    ]
    translated = translate_runs([[str(n.data) for n in nodes] for nodes in paragraphs], translate)
    for nodes, texts in zip(paragraphs, translated, strict=True):
        for node, new_text in zip(nodes, texts, strict=True):
            node.data = new_text
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()
