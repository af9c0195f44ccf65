"""Word documents (.docx, python-docx): every paragraph of the body, table cells included, is
translated run by run (`runs`), so bold and italic runs, hyperlinks (runs inside `w:hyperlink`),
heading and table structure keep their XML and only the text of `w:t` elements changes."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from service.pipeline.files.base import TranslateTexts, UnreadableFile
from service.pipeline.files.runs import translate_runs

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


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
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile("not a Word document") from exc
    paragraphs = [_own_runs(p) for p in document.element.body.iter(qn("w:p"))]
    translated = translate_runs([[_run_text(r) for r in runs] for runs in paragraphs], translate)
    for runs, texts in zip(paragraphs, translated, strict=True):
        for run, text in zip(runs, texts, strict=True):
            _set_run_text(run, text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
