"""Sentence splitting with pysbd, with the fixes a news text needs."""

from __future__ import annotations

import re
import threading
import unicodedata

import pysbd

# A sentence end followed by the start of another one. Lines without such a spot are one
# sentence, and pysbd (the slow part of the CLI path) is not asked about them.
_POSSIBLE_BOUNDARY = re.compile(r"[.!?…。][\"'”’»)\]]*\s+[\"'“‘«(\[¿¡]*[A-ZÁÉÍÓÚÑÜ0-9]")
_HAS_WORD = re.compile(r"\w")
_SPACES = re.compile(r"\s+")


# A pysbd Segmenter keeps the text it works on in its own attributes: two threads sharing one
# get each other's sentences. Each thread keeps its own (the service translates in a pool).
_local = threading.local()


def _segmenter(lang: str) -> pysbd.Segmenter:
    segmenters: dict[str, pysbd.Segmenter] = _local.__dict__.setdefault("segmenters", {})
    if lang not in segmenters:
        segmenters[lang] = pysbd.Segmenter(language=lang, clean=False, char_span=True)
    return segmenters[lang]


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, leading/trailing spaces excluded."""
    spans: list[tuple[int, int]] = []
    if not text.strip():
        return spans
    if _POSSIBLE_BOUNDARY.search(text) is None:
        raw = [(0, len(text))]
    else:
        raw = [(s.start, s.end) for s in _segmenter(lang).segment(text)]
    for start, end in raw:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        # pysbd splits a closing quote off as a sentence of its own: glue such pieces back.
        if spans and _HAS_WORD.search(text[start:end]) is None:
            spans[-1] = (spans[-1][0], end)
            continue
        spans.append((start, end))
    return spans


def normalize(text: str) -> str:
    """The form a sentence is looked up by: NFC, single spaces, no outer spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
