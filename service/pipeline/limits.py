"""The caps on one request: how much text, and how many sentences, the pipeline takes on at once.

Checked in the pipeline rather than in each route, so that the HTTP API, the LibreTranslate
routes and the batch runner all hold to them; cheap checks, made before the costly work they
guard (characters before parsing, sentences before any engine runs).
"""

from __future__ import annotations

from collections.abc import Sequence

from service.errors import TextTooLong, TooManySentences


def check_text_chars(texts: Sequence[str], limit: int | None) -> None:
    """413 when `texts` hold more than `limit` characters together (None: no cap)."""
    if limit is not None and sum(len(text) for text in texts) > limit:
        raise TextTooLong(limit)


def check_sentences(count: int, limit: int | None) -> None:
    """413 when a request would translate more than `limit` sentences (None: no cap)."""
    if limit is not None and count > limit:
        raise TooManySentences(limit)
