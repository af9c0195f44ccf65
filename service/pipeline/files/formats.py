"""The formats /translate_file takes, by file extension, and the one call that translates a
file: the text pipeline (`pipeline.text`) with the source language decided once per file."""

from __future__ import annotations

from collections.abc import Callable

from service.pipeline.article import ArticlePipeline
from service.pipeline.files.base import TranslateTexts, check_unpacked
from service.pipeline.files.docx import translate_docx
from service.pipeline.files.markdown import translate_markdown
from service.pipeline.files.opendocument import translate_odp, translate_odt
from service.pipeline.files.plain import translate_html, translate_txt
from service.pipeline.files.pptx import translate_pptx
from service.pipeline.files.srt import translate_srt
from service.pipeline.limits import check_text_chars
from service.pipeline.text import translate_document

FORMATS: dict[str, Callable[[bytes, TranslateTexts], bytes]] = {
    ".txt": translate_txt,
    ".html": translate_html,
    ".htm": translate_html,
    ".md": translate_markdown,
    ".docx": translate_docx,
    ".odt": translate_odt,
    ".odp": translate_odp,
    ".pptx": translate_pptx,
    ".srt": translate_srt,
}
# The formats that are zips of XML parts.
ZIPPED = frozenset({".docx", ".odt", ".odp", ".pptx"})


def translate_file(
    pipeline: ArticlePipeline, extension: str, data: bytes, source: str, target: str
) -> tuple[bytes, str]:
    """The translated file and its source language (`auto` detected on the file's first text
    batch). Its texts together are held to the request cap on characters; sentences are not
    capped, a document being one request however many paragraphs it has."""
    decided = source

    def translate(texts: list[str], fmt: str) -> list[str]:
        nonlocal decided
        check_text_chars(texts, pipeline.settings.max_text_chars)
        result = translate_document(pipeline, texts, decided, target, fmt, capped=False)
        decided = result.source
        return result.texts

    if extension in ZIPPED:
        check_unpacked(data, pipeline.settings.max_unpacked_bytes)
    translated = FORMATS[extension](data, translate)
    return translated, decided
