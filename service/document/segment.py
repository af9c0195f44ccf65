"""Sentences of a paragraph, and the form a sentence is looked up by.

The splitter itself lives in the leaf module `service.segmentation`, so that engines (the
extractive and seq2seq summarizers) split the same way as the pipeline without importing it.
"""

from __future__ import annotations

import re
import unicodedata

from service.segmentation import split_sentences as split_sentences

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The form a sentence is looked up by: NFC, single spaces, no outer spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
