"""Streaming readers for archive inputs: JSONL (optionally gzipped) and WordPress WXR exports.

Both readers hold one article at a time, so memory stays flat however large the input is.
A malformed item becomes a `ReadError` carrying its position (JSONL: 1-based line number;
WXR: 1-based index of the `<item>` in the document) and reading goes on with the next item.

WXR and broken XML: lxml's `recover=True` was tried and rejected. On an unclosed tag it
silently nests every later item inside the broken one (they come out late and out of order),
and it drops bad characters without reporting anything. The reader instead parses strictly
and, on a fatal `XMLSyntaxError`, reports the item where parsing stopped (message with the
file's line and column), finds the next `<item` in the raw bytes after the error and parses
again from there behind a synthetic `<rss><channel>` header declaring the same namespaces.
Reading stops only when no later `<item` exists. An error outside any item (header, trailer)
skips nothing and is reported with the index of the item before it (0 before the first).
Recoverable errors (an undefined namespace prefix) are not reported: libxml2 parses on and
every item comes out whole. What cannot be told apart: an item missing `</item>` swallows
the items after it (they are read, numbered one lower, and the error surfaces at
`</channel>`); an unterminated CDATA merges its item with the next one, still well-formed.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Literal, cast
from xml.sax.saxutils import quoteattr

from lxml import etree

Format = Literal["html", "text"]
SourceLang = Literal["auto", "en", "es"]


@dataclass(frozen=True, slots=True)
class ArchiveArticle:
    """One article read from an archive, before any processing."""

    id: str
    title: str
    body: str
    format: Format
    source_lang: SourceLang
    date: str | None
    url: str | None
    excerpt: str | None
    position: int  # 1-based line number (JSONL) or item index (WXR), for error reports
    # WXR: the group of posts that translate each other (Polylang's `post_translations` term,
    # WPML's translation group meta), for `newsdesk tm align`; None when the export has none.
    translation_group: str | None = None


@dataclass(frozen=True, slots=True)
class ReadError:
    """An input item that could not be read; the reader skipped it and went on."""

    position: int
    message: str


ReadResult = ArchiveArticle | ReadError

# Fixed messages (asserted word for word in tests).
ERR_JSON_INVALID = "invalid JSON"
ERR_JSON_UTF8 = "line is not valid UTF-8"
ERR_JSON_NOT_OBJECT = "line is not a JSON object"
ERR_MISSING_ID = "missing id"
ERR_ID_TYPE = "id must be a string or an integer"
ERR_MISSING_TEXT = "missing both title and body"
ERR_FORMAT = 'format must be "html" or "text"'
ERR_SOURCE_LANG = 'source_lang must be "auto", "en" or "es"'
ERR_WXR_MISSING_ID = "missing wp:post_id"
ERR_WXR_MISSING_TEXT = "missing both title and content:encoded"
ERR_XML_ITEM = "malformed XML at line {line}, column {column}: item skipped"
ERR_XML_OUTSIDE = "malformed XML at line {line}, column {column}, outside any item"
ERR_XML_UNKNOWN = "malformed XML at an unknown place: reading stopped"


def _field_type_error(name: str) -> str:
    return f"{name} must be a string"


def _unsupported(path: Path) -> str:
    return (
        f"cannot read {path.name!r}: expected a .jsonl or .jsonl.gz file of articles "
        "or a WordPress WXR export (.xml)"
    )


def _kind(path: Path) -> Literal["jsonl", "jsonl.gz", "wxr"] | None:
    name = path.name.lower()
    if name.endswith(".jsonl.gz"):
        return "jsonl.gz"
    if name.endswith(".jsonl"):
        return "jsonl"
    if name.endswith(".xml"):
        return "wxr"
    return None


def read_archive(
    path: Path, *, include_pages: bool = False, include_attachments: bool = False
) -> Iterator[ArchiveArticle | ReadError]:
    """Stream the articles of `path` (`.jsonl`, `.jsonl.gz` or WXR `.xml`), in input order.

    The suffix is checked here, eagerly, so a wrong input fails before any work starts;
    the file itself is opened on the first `next()`. `include_pages`/`include_attachments`
    only matter for WXR, whose pages and attachments are skipped by default.
    """
    path = Path(path)
    kind = _kind(path)
    if kind is None:
        raise ValueError(_unsupported(path))
    if kind == "wxr":
        return _read_wxr(path, include_pages=include_pages, include_attachments=include_attachments)
    return _read_jsonl(path, gzipped=kind == "jsonl.gz")


def count_items(path: Path) -> int | None:
    """Quick count of the items in `path`, for a progress bar's total.

    JSONL: non-blank lines. WXR: `<item` start tags found in the raw bytes (a literal
    `<item>` inside CDATA would be counted too; good enough for a progress bar).
    `.jsonl.gz`: None, since counting would mean decompressing the whole input first.
    """
    path = Path(path)
    kind = _kind(path)
    if kind is None:
        raise ValueError(_unsupported(path))
    if kind == "jsonl.gz":
        return None
    if kind == "jsonl":
        with path.open("rb") as f:
            return sum(1 for line in f if line.strip())
    count = 0
    with path.open("rb") as f:
        for _ in _item_starts(f, 0):
            count += 1
    return count


# --------------------------------------------------------------------------------------- JSONL

_FORMATS: dict[str | None, Format] = {None: "html", "html": "html", "text": "text"}
_LANGS: dict[str | None, SourceLang] = {None: "auto", "auto": "auto", "en": "en", "es": "es"}


def _read_jsonl(path: Path, *, gzipped: bool) -> Iterator[ArchiveArticle | ReadError]:
    f = cast(IO[bytes], gzip.open(path, "rb")) if gzipped else path.open("rb")
    with f:
        for lineno, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            yield _jsonl_article(raw, lineno)


def _jsonl_article(raw: bytes, lineno: int) -> ArchiveArticle | ReadError:
    try:
        obj = json.loads(raw)
    except UnicodeDecodeError:
        return ReadError(lineno, ERR_JSON_UTF8)
    except (ValueError, RecursionError):
        return ReadError(lineno, ERR_JSON_INVALID)
    if not isinstance(obj, dict):
        return ReadError(lineno, ERR_JSON_NOT_OBJECT)

    raw_id = obj.get("id")
    if raw_id is None or raw_id == "":
        return ReadError(lineno, ERR_MISSING_ID)
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        return ReadError(lineno, ERR_ID_TYPE)
    article_id = str(raw_id)
    if not article_id.strip():
        return ReadError(lineno, ERR_MISSING_ID)

    texts: dict[str, str | None] = {}
    for name in ("title", "body", "date", "url", "excerpt"):
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            return ReadError(lineno, _field_type_error(name))
        texts[name] = value
    title = (texts["title"] or "").strip()
    body = texts["body"] or ""
    if not title and not body.strip():
        return ReadError(lineno, ERR_MISSING_TEXT)

    raw_format = obj.get("format")
    fmt = _FORMATS.get(raw_format) if raw_format is None or isinstance(raw_format, str) else None
    if fmt is None:
        return ReadError(lineno, ERR_FORMAT)
    raw_lang = obj.get("source_lang")
    lang = _LANGS.get(raw_lang) if raw_lang is None or isinstance(raw_lang, str) else None
    if lang is None:
        return ReadError(lineno, ERR_SOURCE_LANG)

    return ArchiveArticle(
        id=article_id,
        title=title,
        body=body,
        format=fmt,
        source_lang=lang,
        date=texts["date"] or None,
        url=texts["url"] or None,
        excerpt=(texts["excerpt"] or "").strip() or None,
        position=lineno,
    )


# ----------------------------------------------------------------------------------------- WXR

_NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_WP_VERSIONS = ("1.2", "1.1", "1.0")
_NS_WP = frozenset(f"http://wordpress.org/export/{v}/" for v in _WP_VERSIONS)
_NS_EXCERPT = frozenset(f"http://wordpress.org/export/{v}/excerpt/" for v in _WP_VERSIONS)
# Used for the synthetic header after a syntax error when no item was parsed yet to copy from.
_DEFAULT_NSMAP: dict[str | None, str] = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": _NS_CONTENT,
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
_LANG_CATEGORY_DOMAINS = frozenset({"language", "wpml_language"})
# Polylang files each post under a `post_translations` term shared by its translations; WPML's
# Export and Import add-on writes the group (its `trid`) as post meta.
_POLYLANG_GROUPS = "post_translations"
_WPML_GROUP_KEYS = frozenset({"_wpml_import_translation_group", "_wpml_translation_group", "trid"})
_CHUNK = 1 << 20
_ITEM_START = re.compile(rb"<item[\s>]")
_UTF8_CONTINUATION = bytes(range(0x80, 0xC0))
_EMPTY_WP_DATE = "0000-00-00 00:00:00"


def _read_wxr(
    path: Path, *, include_pages: bool, include_attachments: bool
) -> Iterator[ArchiveArticle | ReadError]:
    wanted = {"post"}
    if include_pages:
        wanted.add("page")
    if include_attachments:
        wanted.add("attachment")

    with path.open("rb") as f:
        # Where the current parse started in the file, the file's line/column there, and the
        # synthetic header parsed before it (empty for the first parse of the whole file).
        start, base_line, base_col, header = 0, 1, 1, b""
        index = 0  # items before the current parse
        nsmap: dict[str | None, str] | None = None
        encoding: str | None = None
        while True:
            f.seek(start)
            parsed = 0
            events = etree.iterparse(
                _PrefixedReader(header, f),
                events=("end",),
                tag="item",
                huge_tree=True,  # bodies with inline base64 images exceed libxml2's 10 MB text cap
                resolve_entities=False,  # with huge_tree, no entity expansion at all
                no_network=True,
                remove_comments=True,
            )
            try:
                for _, item in events:
                    parsed += 1
                    if nsmap is None:
                        nsmap = dict(item.nsmap)
                        encoding = item.getroottree().docinfo.encoding
                    result = _wxr_item(item, index + parsed, wanted)
                    # Free what was parsed so far: this item and every earlier sibling.
                    item.clear()
                    parent = item.getparent()
                    if parent is not None:
                        while item.getprevious() is not None:
                            del parent[0]
                    if result is not None:
                        yield result
                return
            except etree.XMLSyntaxError as exc:
                # The exception's own error_log is lxml's thread-wide log, which also holds the
                # errors of earlier parses; the parser's log holds this parse's only.
                log = list(events.error_log)
                if _only_recoverable(log):
                    # e.g. an undefined namespace prefix: libxml2 parsed on to the end, every
                    # item was delivered, and lxml raises only when the document is closed.
                    return
                where = _error_position(exc, log)
            del events

            if where is None:
                yield ReadError(index + parsed + 1, ERR_XML_UNKNOWN)
                return
            line, col = _file_position(where, base_line, base_col, len(header))
            error_at = _find_offset(f, start, base_line, base_col, line, col)
            begun = 0
            for offset in _item_starts(f, start):
                if offset >= error_at:
                    break
                begun += 1
            if begun > parsed:
                # Parsing stopped inside an item that had begun but not ended: skip that item.
                yield ReadError(index + parsed + 1, ERR_XML_ITEM.format(line=line, column=col))
                index += parsed + 1
            else:
                # In the header, between two items or after the last one; position = the item
                # before it (0 before the first).
                yield ReadError(index + parsed, ERR_XML_OUTSIDE.format(line=line, column=col))
                index += parsed
            resume = next(_item_starts(f, error_at), None)
            if resume is None or resume <= start:
                return
            base_line, base_col = _scan_position(f, start, resume, base_line, base_col)
            start = resume
            header = _synthetic_header(nsmap or _DEFAULT_NSMAP, encoding)


def _wxr_item(item: etree._Element, position: int, wanted: set[str]) -> ReadResult | None:
    """The article of one `<item>`, a ReadError, or None for an item that is not read."""
    title = body = excerpt = link = pub_date = ""
    post_id = post_date = post_date_gmt = status = ""
    post_type = "post"
    category_lang: str | None = None
    meta_lang: str | None = None
    group: str | None = None
    for child in item:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        ns, _, local = tag[1:].partition("}") if tag[0] == "{" else ("", "", tag)
        if not ns:
            if local == "title":
                title = _text(child)
            elif local == "link":
                link = _text(child)
            elif local == "pubDate":
                pub_date = _text(child)
            elif local == "category" and category_lang is None:
                if child.get("domain") in _LANG_CATEGORY_DOMAINS:
                    category_lang = _lang_code(child.get("nicename") or _text(child))
            elif local == "category" and child.get("domain") == _POLYLANG_GROUPS:
                group = group or f"pll:{(child.get('nicename') or _text(child)).strip()}"
        elif ns == _NS_CONTENT and local == "encoded":
            body = _text(child)
        elif ns in _NS_EXCERPT and local == "encoded":
            excerpt = _text(child)
        elif ns in _NS_WP:
            if local == "post_id":
                post_id = _text(child).strip()
            elif local == "post_type":
                post_type = _text(child).strip() or "post"
            elif local == "status":
                status = _text(child).strip()
            elif local == "post_date":
                post_date = _text(child).strip()
            elif local == "post_date_gmt":
                post_date_gmt = _text(child).strip()
            elif local == "postmeta":
                key, value = _postmeta(child)
                if meta_lang is None and "language" in key and "source" not in key:
                    # WPML: `_wpml_language`, `wpml_language`, `_wpml_import_language_code`;
                    # not the source language a translation was made from.
                    meta_lang = _lang_code(value)
                if group is None and key in _WPML_GROUP_KEYS and value.strip():
                    group = f"wpml:{value.strip()}"

    if post_type not in wanted or status == "trash":
        return None
    if not post_id:
        return ReadError(position, ERR_WXR_MISSING_ID)
    title = title.strip()
    if not title and not body.strip():
        return ReadError(position, ERR_WXR_MISSING_TEXT)
    lang = category_lang or meta_lang or "auto"
    return ArchiveArticle(
        id=post_id,
        title=title,
        body=body,
        format="html",
        source_lang=cast(SourceLang, lang),
        date=_wxr_date(post_date, post_date_gmt, pub_date),
        url=link.strip() or None,
        excerpt=excerpt.strip() or None,
        position=position,
        translation_group=group,
    )


def _text(elem: etree._Element) -> str:
    text = elem.text or ""
    if len(elem):
        # Markup written as XML rather than inside CDATA: keep it as markup.
        text += "".join(etree.tostring(c, encoding="unicode", with_tail=True) for c in elem)
    return text


def _postmeta(meta: etree._Element) -> tuple[str, str]:
    """(meta_key lower-cased, meta_value) of one `wp:postmeta`."""
    key = value = ""
    for child in meta:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        local = tag.rpartition("}")[2]
        if local == "meta_key":
            key = _text(child)
        elif local == "meta_value":
            value = _text(child)
    return key.strip().lower(), value


def _lang_code(value: str) -> Literal["en", "es"] | None:
    """`en`, `en_US`, `es-ES`, `ES` -> en/es; anything else -> None (detected later)."""
    head = value.strip().lower().replace("-", "_").partition("_")[0]
    if head == "en":
        return "en"
    if head == "es":
        return "es"
    return None


def _wxr_date(post_date: str, post_date_gmt: str, pub_date: str) -> str | None:
    """ISO 8601 (`YYYY-MM-DDTHH:MM:SS`, local site time as WordPress stores it), or None."""
    for value in (post_date, post_date_gmt):
        if value and value != _EMPTY_WP_DATE:
            return value.replace(" ", "T", 1)
    # WordPress writes its zero date into pubDate as "Mon, 30 Nov -0001 00:00:00 +0000".
    if pub_date and "-0001" not in pub_date:
        try:
            return parsedate_to_datetime(pub_date).isoformat()
        except (TypeError, ValueError, IndexError):
            return None
    return None


class _PrefixedReader:
    """The file-like object iterparse reads: `prefix`, then `f` from its current offset."""

    def __init__(self, prefix: bytes, f: IO[bytes]) -> None:
        self._prefix = prefix
        self._f = f

    def read(self, size: int = -1) -> bytes:
        if self._prefix:
            data, self._prefix = self._prefix, b""
            return data
        return self._f.read(size)


def _synthetic_header(nsmap: dict[str | None, str], encoding: str | None) -> bytes:
    # No newline in it: it shifts only the columns of the first line, which is accounted for.
    decls = "".join(
        f" xmlns={quoteattr(uri)}" if prefix is None else f" xmlns:{prefix}={quoteattr(uri)}"
        for prefix, uri in nsmap.items()
    )
    enc = encoding or "UTF-8"
    return f'<?xml version="1.0" encoding="{enc}"?><rss version="2.0"{decls}><channel>'.encode(
        "ascii"
    )


def _only_recoverable(log: list[etree._LogEntry]) -> bool:
    return bool(log) and all(e.level != etree.ErrorLevels.FATAL for e in log)


def _error_position(
    exc: etree.XMLSyntaxError, log: list[etree._LogEntry]
) -> tuple[int, int] | None:
    """Line and column (1-based) where parsing stopped, if known.

    The exception's own message and position are those of the *first* error in the log, which
    may be a recoverable one far earlier; parsing stopped at the last fatal one.
    """
    for entry in reversed(log):
        if entry.level == etree.ErrorLevels.FATAL and entry.line > 0:
            return entry.line, max(entry.column, 1)
    # With resolve_entities=False lxml can raise "no element found (line 0)"; then the log
    # above was the only source, and without it the place is unknown.
    if exc.lineno and exc.lineno > 0:
        line, col = exc.position
        return line, max(col, 1)
    return None


def _file_position(
    where: tuple[int, int], base_line: int, base_col: int, header_len: int
) -> tuple[int, int]:
    """Map a position in the parsed stream (header + file from `start`) to the file's."""
    line, col = where
    if line == 1:
        return base_line, base_col + max(col - 1 - header_len, 0)
    return base_line + line - 1, col


def _chars(data: bytes) -> int:
    """Characters in UTF-8 `data` (libxml2 counts columns in characters, not bytes)."""
    return len(data.translate(None, _UTF8_CONTINUATION))


def _scan_position(f: IO[bytes], start: int, end: int, line: int, col: int) -> tuple[int, int]:
    """Line and column of byte offset `end`, knowing those of `start`."""
    f.seek(start)
    remaining = end - start
    while remaining > 0:
        chunk = f.read(min(remaining, _CHUNK))
        if not chunk:
            break
        remaining -= len(chunk)
        last_nl = chunk.rfind(b"\n")
        if last_nl >= 0:
            line += chunk.count(b"\n")
            col = 1 + _chars(chunk[last_nl + 1 :])
        else:
            col += _chars(chunk)
    return line, col


def _find_offset(
    f: IO[bytes], start: int, line: int, col: int, target_line: int, target_col: int
) -> int:
    """Byte offset of (`target_line`, `target_col`), knowing `start` is at (`line`, `col`)."""
    f.seek(start)
    pos = start
    while line < target_line:
        chunk = f.read(_CHUNK)
        if not chunk:
            return pos
        i = 0
        while line < target_line:
            nl = chunk.find(b"\n", i)
            if nl < 0:
                break
            line += 1
            i = nl + 1
        if line == target_line:
            pos += i
            col = 1
            break
        pos += len(chunk)
    f.seek(pos)
    chars = target_col - col
    while chars > 0:
        chunk = f.read(64 * 1024)
        if not chunk:
            break
        n = _chars(chunk)
        if n <= chars:
            chars -= n
            pos += len(chunk)
            continue
        for i, byte in enumerate(chunk):
            if not 0x80 <= byte < 0xC0:
                if chars == 0:
                    return pos + i
                chars -= 1
        pos += len(chunk)  # pragma: no cover - unreachable: the loop returns first
    return pos


def _item_starts(f: IO[bytes], start: int) -> Iterator[int]:
    """Byte offsets of the `<item` start tags at or after `start`, found in the raw bytes."""
    f.seek(start)
    pos = start  # file offset of buf[0]
    buf = b""
    keep = len(b"<item")  # a match is 6 bytes, so it can never lie wholly inside the kept tail
    while True:
        chunk = f.read(_CHUNK)
        if not chunk:
            return
        buf += chunk
        offsets = [pos + m.start() for m in _ITEM_START.finditer(buf)]
        tail = max(len(buf) - keep, 0)
        pos += tail
        buf = buf[tail:]
        for offset in offsets:
            # Generators may be resumed after the caller seeks elsewhere: restore position.
            here = f.tell()
            yield offset
            f.seek(here)
