"""Plain text (.txt) and HTML (.html) files: the text pipeline takes them whole."""

from __future__ import annotations

from service.pipeline.files.base import TranslateTexts, UnreadableFile


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("not UTF-8") from exc


def translate_txt(data: bytes, translate: TranslateTexts) -> bytes:
    return translate([_decode(data)], "text")[0].encode("utf-8")


def translate_html(data: bytes, translate: TranslateTexts) -> bytes:
    return translate([_decode(data)], "html")[0].encode("utf-8")
