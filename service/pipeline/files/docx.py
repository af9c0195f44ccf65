"""Word documents (.docx, python-docx): every paragraph of the body, table cells and text boxes
included, and of every header, footer (first-page and even-page ones too), footnote and endnote,
is translated run by run (`runs`), so bold and italic runs, hyperlinks (runs inside
`w:hyperlink`), heading and table structure keep their XML and only the text of `w:t` elements
changes. Comments, charts and SmartArt are parts of their own and are left as they are."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import PartFactory, XmlPart
from docx.oxml.ns import qn
from lxml import etree

from service.pipeline.files.base import TranslateTexts, UnreadableFile
from service.pipeline.files.runs import translate_in_place

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The parts besides the body whose text a reader sees on the page. Each header and footer
# variant (default, first page, even pages) is a part of its own, shared by the sections that
# link to it, so going by part translates each once.
_STORIES = {CT.WML_HEADER, CT.WML_FOOTER, CT.WML_FOOTNOTES, CT.WML_ENDNOTES}
# python-docx has no class for notes and keeps them as bytes; as an XmlPart they are parsed on
# load and written back from their tree on save, like headers.
_NOTES = (CT.WML_FOOTNOTES, CT.WML_ENDNOTES)


def _load(data: bytes) -> DocumentObject:
    for content_type in _NOTES:
        PartFactory.part_type_for.setdefault(content_type, XmlPart)
    try:
        return Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile("not a Word document") from exc
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile("a part of the document is not XML") from exc


def _stories(document: DocumentObject) -> list[etree._Element]:
    """The body, then each header, footer and notes part once, in the package's order."""
    found: list[etree._Element] = [document.element.body]
    for part in document.part.package.iter_parts():
        if part.content_type in _STORIES and isinstance(part, XmlPart):
            found.append(part.element)
    return found


def _own_runs(paragraph: etree._Element) -> list[etree._Element]:
    """The paragraph's runs, not those of a paragraph nested in it (a text box)."""
    return [
        run
        for run in paragraph.iter(qn("w:r"))
        if next(run.iterancestors(qn("w:p")), None) is paragraph and run.find(qn("w:t")) is not None
    ]


def _run_text(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.findall(qn("w:t")))


def _set_run_text(run: etree._Element, text: str) -> None:
    texts = run.findall(qn("w:t"))
    texts[0].text = text
    texts[0].set(_XML_SPACE, "preserve")
    for extra in texts[1:]:
        extra.text = ""


def translate_docx(data: bytes, translate: TranslateTexts) -> bytes:
    document = _load(data)
    paragraphs = [_own_runs(p) for story in _stories(document) for p in story.iter(qn("w:p"))]
    translate_in_place(paragraphs, _run_text, _set_run_text, translate)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
