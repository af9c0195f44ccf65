"""From an archive article to the request the pipeline takes, and which articles a run selects.

Shared by `batch run` and `batch submit`, so that one machine and many workers select the same
articles, send the same requests, and so produce the same results.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from service.batch.readers import ArchiveArticle, ReadError, read_archive
from service.errors import NewsdeskError
from service.schemas import ArticleRequest

ERR_DUPLICATE = "duplicate id: an earlier item of the input has the same id"


def to_request(article: ArchiveArticle) -> ArticleRequest:
    """The POST /v1/articles request for an archive article (a WordPress excerpt is the lede).

    Raises pydantic's ValidationError for what the API would refuse (e.g. an id over 200
    characters).
    """
    return ArticleRequest(
        id=article.id,
        title=article.title,
        lede=article.excerpt,
        body=article.body,
        format=article.format,
        source_lang=article.source_lang,
        summary=True,
    )


def content_hash(request: ArticleRequest) -> str:
    """sha256 of everything in the request that the result depends on."""
    return hashlib.sha256(request.model_dump_json().encode("utf-8")).hexdigest()


def parse_since(value: str) -> date:
    """`2019-05-01` (or any ISO date/datetime) -> date; ValueError otherwise."""
    return datetime.fromisoformat(value.strip()).date()


def article_date(article: ArchiveArticle) -> date | None:
    if not article.date:
        return None
    try:
        return parse_since(article.date)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Selected:
    """An article a run works on; `seq` is its 0-based place among the selected articles."""

    seq: int
    article: ArchiveArticle


@dataclass(frozen=True, slots=True)
class Filtered:
    """An article left out by --since: dated before it, or with no readable date."""

    article: ArchiveArticle


Item = Selected | Filtered | ReadError


def select(path: Path, *, limit: int | None = None, since: date | None = None) -> Iterator[Item]:
    """Stream the input: every article the run selects, in input order, and what it left out.

    `limit` counts selected articles (after --since), whether or not an earlier run already did
    them, so the same command always names the same articles. Reading stops at the limit.
    """
    seq = 0
    if limit is not None and limit <= 0:
        return
    for item in read_archive(path):
        if isinstance(item, ReadError):
            yield item
            continue
        if since is not None:
            when = article_date(item)
            if when is None or when < since:
                yield Filtered(item)
                continue
        yield Selected(seq, item)
        seq += 1
        if limit is not None and seq >= limit:
            return


def error_message(exc: BaseException) -> str:
    """A one-line reason for the errors file / results table."""
    if isinstance(exc, NewsdeskError):
        return exc.message
    if isinstance(exc, ValidationError):
        parts = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()))
            message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
            parts.append(f"{where}: {message}" if where else message)
        return "invalid article: " + "; ".join(parts)
    return f"{type(exc).__name__}: {exc}"
