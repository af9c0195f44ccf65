"""What every format module is given and raises: a leaf, so the formats import nothing else of
the pipeline and can be tested with a fake translation."""

from __future__ import annotations

from collections.abc import Callable

# Texts and their format ("text" or "html") → their translations, in order.
TranslateTexts = Callable[[list[str], str], list[str]]


class UnreadableFile(ValueError):
    """The bytes are not a file of the format their name says."""


def decode_text(data: bytes) -> str:
    """A text format's bytes as text: UTF-8, a byte-order mark dropped; anything else is not a
    file of that format."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("not UTF-8") from exc
