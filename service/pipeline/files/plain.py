"""Plain text (.txt) and HTML (.html) files: the text pipeline takes them whole."""

from __future__ import annotations

from service.pipeline.files.base import TranslateTexts, decode_text


def translate_txt(data: bytes, translate: TranslateTexts) -> bytes:
    return translate([decode_text(data)], "text")[0].encode("utf-8")


def translate_html(data: bytes, translate: TranslateTexts) -> bytes:
    return translate([decode_text(data)], "html")[0].encode("utf-8")
