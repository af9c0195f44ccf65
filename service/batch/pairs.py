"""The outlet's bilingual archive as article pairs, for `newsdesk tm align`: the English and
the Spanish version of one story, as JSONL lines or as the posts of a WordPress export that
a multilingual plugin links as translations of each other.

JSONL, one pair a line: `{"id": ..., "en": {"title", "lede", "body"}, "es": {...}}` (body
HTML or plain text; lede optional). WXR: posts grouped by Polylang's `post_translations` term
or WPML's translation group (service/batch/readers.py reads both, with each post's language);
a group with exactly one English and one Spanish post is a pair, any other group is skipped
and reported. A translation may come anywhere in the export, so WXR pairs come out once the
whole file is read, each post held as text meanwhile (not as its markup tree).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from service.batch.readers import ArchiveArticle, ReadError, count_items, read_archive
from service.cleaning import clean_text
from service.pipeline.align import FIELDS

LANGS = ("en", "es")


@dataclass(frozen=True)
class ArticlePair:
    """One story in both languages; each side's title, lede and body (possibly empty)."""

    id: str
    english: dict[str, str]
    spanish: dict[str, str]


@dataclass(frozen=True)
class SkippedPair:
    """An input item that yields no pair, and why (reported, never fatal)."""

    where: str  # "line 12", "post 345", "group pll:abc"
    reason: str


def read_pairs(path: Path) -> Iterator[ArticlePair | SkippedPair]:
    """The pairs of a `.jsonl` or WXR `.xml` file, in input order (WXR: at the end)."""
    name = path.name.lower()
    if name.endswith(".jsonl"):
        return _jsonl_pairs(path)
    if name.endswith(".xml"):
        return _wxr_pairs(path)
    raise ValueError(
        f"cannot read {path.name!r}: expected a .jsonl file of article pairs or a WordPress "
        "WXR export (.xml) whose posts are linked as translations (WPML or Polylang)"
    )


def count_pairs(path: Path) -> int | None:
    """The number of JSONL lines, counted as `batch run` counts its items (a progress bar's
    total); None for WXR (known at the end)."""
    return count_items(path) if path.name.lower().endswith(".jsonl") else None


def _side(value: object) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    side: dict[str, str] = {}
    for field in FIELDS:
        text = value.get(field)
        if text is None:
            continue
        if not isinstance(text, str):
            return None
        side[field] = clean_text(text)
    return side if any(t.strip() for t in side.values()) else None


def _jsonl_pairs(path: Path) -> Iterator[ArticlePair | SkippedPair]:
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            where = f"line {lineno}"
            try:
                obj = json.loads(raw)
            except RecursionError:
                yield SkippedPair(where, "JSON nested too deeply")
                continue
            except ValueError:
                yield SkippedPair(where, "not a JSON line in UTF-8")
                continue
            if not isinstance(obj, dict):
                yield SkippedPair(where, "not a JSON object")
                continue
            raw_id = obj.get("id")
            if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or raw_id == "":
                yield SkippedPair(where, "missing id (a string or an integer)")
                continue
            english, spanish = _side(obj.get("en")), _side(obj.get("es"))
            if english is None or spanish is None:
                yield SkippedPair(
                    where, 'needs "en" and "es" objects with a text title, lede or body'
                )
                continue
            yield ArticlePair(clean_text(str(raw_id)), english, spanish)


def _wxr_side(article: ArchiveArticle) -> dict[str, str]:
    """Cleaned like a JSONL side: XML allows private-use characters, which the splitter and the
    engines reserve for their own marks."""
    texts = {"title": article.title, "lede": article.excerpt or "", "body": article.body}
    return {field: clean_text(text) for field, text in texts.items()}


def _wxr_pairs(path: Path) -> Iterator[ArticlePair | SkippedPair]:
    groups: dict[str, dict[str, ArchiveArticle | None]] = {}
    for item in read_archive(path):
        if isinstance(item, ReadError):
            yield SkippedPair(f"item {item.position}", item.message)
            continue
        if item.translation_group is None:
            yield SkippedPair(f"post {item.id}", "not linked to a translation (WPML, Polylang)")
            continue
        if item.source_lang not in LANGS:
            yield SkippedPair(f"post {item.id}", "its language is neither en nor es")
            continue
        group = groups.setdefault(item.translation_group, {})
        if item.source_lang in group:
            group[item.source_lang] = None  # two posts in one language: which one is unknown
            continue
        group[item.source_lang] = item
    for key, group in groups.items():
        english, spanish = group.get("en"), group.get("es")
        if english is None or spanish is None:
            if "en" in group and "es" in group:
                reason = "more than one post in one language"
            else:
                reason = "no post in the other language"
            yield SkippedPair(f"group {key}", reason)
            continue
        yield ArticlePair(f"{english.id}+{spanish.id}", _wxr_side(english), _wxr_side(spanish))
