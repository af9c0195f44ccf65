"""What every format module is given and raises: a leaf, so the formats import nothing else of
the pipeline and can be tested with a fake translation."""

from __future__ import annotations

from collections.abc import Callable

# Texts and their format ("text" or "html") → their translations, in order.
TranslateTexts = Callable[[list[str], str], list[str]]


class UnreadableFile(ValueError):
    """The bytes are not a file of the format their name says."""
