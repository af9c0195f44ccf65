"""Cleaning of text that comes from outside (clients, files, editors) before anything reads it.

Every string a client sends ends up in an engine's stream, a cache other clients read and HTML
a CMS publishes, so the service accepts only characters that are text: lone surrogates (which
JSON can carry but UTF-8 cannot encode) become U+FFFD; C0 and C1 control characters other than
tab, line feed and carriage return are removed; so are the Unicode noncharacters and the
private use area of the Basic Multilingual Plane, which the pipeline uses for its own markup
markers (`service.document.markup`) and engine streams (`service.engines.apertium`), and which
a client must not be able to forge. Zero-width characters and bidirectional marks are text and
stay.

This module is a leaf: the API cleans requests with it at the boundary, and engines clean
their own input with it again, so no path can hand an engine a raw byte.
"""

from __future__ import annotations

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls except \t \n \r; DEL and C1 controls; BMP private use; noncharacters.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff]"
)
# Same, plus the three layout controls: for text that must stay on one line (engine streams).
_UNWANTED_INLINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff\u2028\u2029]"
)


def clean_text(text: str) -> str:
    """`text` with lone surrogates replaced by U+FFFD and non-text characters removed."""
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return _UNWANTED.sub("", text)


def clean_line(text: str) -> str:
    """Like `clean_text`, and tabs and line breaks become spaces: one line of plain text."""
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return _UNWANTED_INLINE.sub(lambda m: " " if m.group() in "\t\n\r\u2028\u2029" else "", text)


def clean_json(value: Any) -> Any:
    """A decoded JSON value with every string in it (keys too) passed through `clean_text`."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(key)): clean_json(item) for key, item in value.items()}
    return value


def is_clean(text: str) -> bool:
    """True when `clean_text` would leave `text` unchanged."""
    return not _SURROGATE.search(text) and not _UNWANTED.search(text)
