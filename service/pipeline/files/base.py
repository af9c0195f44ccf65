"""What every format module is given and raises: a leaf, so the formats import nothing else of
the pipeline and can be tested with a fake translation."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from service.errors import NewsdeskError

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


class UnpacksTooLarge(NewsdeskError):
    status_code = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"file unpacks to more than {limit} bytes")


def check_unpacked(data: bytes, limit: int) -> None:
    """413 before any parsing when a zip's parts together declare more than `limit` bytes.

    Word, OpenDocument and PowerPoint files are zips, and deflate packs repetitive XML a
    thousand to one: an 81 KB upload held 30 MB of XML, which python-docx took 11 s and 1.8 GB
    to parse. The declared sizes are what counts: zipfile never reads more of a part than it
    declares."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableFile("not a zip") from exc
    if sum(part.file_size for part in parts) > limit:
        raise UnpacksTooLarge(limit)
