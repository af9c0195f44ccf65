"""PowerPoint presentations (.pptx, python-pptx): every paragraph of every shape's text on every
slide (titles, placeholders, text boxes, autoshapes, shapes inside groups, table cells) and of
the slide's speaker notes is translated run by run (`runs`, as Word runs are), so a run's bold,
italic, colour or link stays with its share of the translation and only the text of `a:t`
elements changes. Fields (slide numbers, dates), charts, SmartArt and the layouts and masters
the slides are built on are left as they are."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

from lxml import etree
from pptx import Presentation
from pptx.exc import PackageNotFoundError
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationObject
from pptx.shapes.autoshape import Shape
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.group import GroupShape
from pptx.text.text import TextFrame, _Run

from service.pipeline.files.base import TranslateTexts, UnreadableFile
from service.pipeline.files.runs import translate_in_place


def _load(data: bytes) -> PresentationObject:
    try:
        return Presentation(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile("not a PowerPoint presentation") from exc
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile("a part of the presentation is not XML") from exc


def _frames(shapes: Iterable[BaseShape]) -> Iterator[TextFrame]:
    """Each text frame of the shapes, a group's shapes and a table's cells included."""
    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _frames(shape.shapes)
        elif isinstance(shape, GraphicFrame) and shape.has_table:
            yield from (cell.text_frame for cell in shape.table.iter_cells())
        elif isinstance(shape, Shape) and shape.element.find(qn("p:txBody")) is not None:
            # Autoshapes, text boxes, placeholders; `text_frame` would give a shape with no
            # text (a notes page's slide image) an empty one, changing the file's XML.
            yield shape.text_frame


def _slide_frames(presentation: PresentationObject) -> Iterator[TextFrame]:
    for slide in presentation.slides:
        yield from _frames(slide.shapes)
        if slide.has_notes_slide:
            yield from _frames(slide.notes_slide.shapes)


def _run_text(run: _Run) -> str:
    return run.text


def _set_run_text(run: _Run, text: str) -> None:
    run.text = text


def translate_pptx(data: bytes, translate: TranslateTexts) -> bytes:
    presentation = _load(data)
    paragraphs = [
        list(paragraph.runs)
        for frame in _slide_frames(presentation)
        for paragraph in frame.paragraphs
    ]
    translate_in_place(paragraphs, _run_text, _set_run_text, translate)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()
