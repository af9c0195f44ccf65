"""A client's suggested translation of a segment (LibreTranslate's /suggest) made into a draft
for editors: the segment becomes an article of its own, translated by the pipeline like any
article so that the editor sees what the engine wrote, and the suggestion a revision on top of
that machine draft (`service.store.review.suggestions`).

One article per segment and direction, whoever suggests: its id is a hash of the languages and
the segment's text with its whitespace tidied, so the same segment suggested again (by this
client or another) adds a revision to the same article, and the editor weighs the proposals
side by side. The text is plain text (`format` text): /suggest has no format field, and a
text body is shown escaped, so markup in a suggestion is inert.
"""

from __future__ import annotations

import hashlib
import re

from service.errors import NewsdeskError
from service.pipeline.article import ArticlePipeline
from service.pipeline.detect import detect_language
from service.pipeline.limits import check_text_chars
from service.schemas import ArticleRequest
from service.store.review import OTHER, ReviewStore, SuggestionOutcome

ID_PREFIX = "suggest-"
# The author of a suggestion sent without a key (where keys are not required).
ANONYMOUS = "libretranslate-client"
_BLANK_LINES = re.compile(r"\n{3,}")


class InvalidSuggestion(NewsdeskError):
    """A suggestion the route cannot take (400, in LibreTranslate's words where it has them)."""


def tidy(text: str) -> str:
    """The text with each line's whitespace runs made one space, runs of blank lines one blank
    line (a paragraph break), and no whitespace around it: the same segment typed twice with
    other spacing is the same segment."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def suggestion_id(source: str, target: str, segment: str) -> str:
    """The id of the article that holds the suggestions for `segment` (tidied) from source to
    target."""
    key = f"{source}>{target}\n{segment}".encode()
    return ID_PREFIX + hashlib.sha256(key).hexdigest()[:32]


def languages(pipeline: ArticlePipeline, segment: str, source: str, target: str) -> str:
    """The segment's language: `source`, or detected where it is "auto"; 400 unless it and
    `target` are a pair the service translates."""
    if source == "auto":
        source = detect_language(segment)
    for code in (source, target):
        if code not in OTHER:
            raise InvalidSuggestion(f"{code} is not supported")
    if source == target:
        raise InvalidSuggestion("Invalid request: source and target languages are the same")
    if (source, target) not in pipeline.registry.translators:
        raise InvalidSuggestion(f"{target} is not available as a target language from {source}")
    return source


def submit_suggestion(
    pipeline: ArticlePipeline,
    store: ReviewStore,
    original: str,
    suggested: str,
    source: str,
    target: str,
    author: str,
) -> SuggestionOutcome:
    """Stores `suggested` as a draft translation of `original` for editors to review.

    The machine draft is made first, through the pipeline (memory, cache, glossary): it is what
    the editor compares the suggestion with, and what readers of the segment get until an
    editor approves. A repeat is an article-cache hit and stores nothing new."""
    segment, proposal = tidy(original), tidy(suggested)
    if not segment:
        raise InvalidSuggestion("Invalid request: missing q parameter")
    if not proposal:
        raise InvalidSuggestion("Invalid request: missing s parameter")
    check_text_chars([segment], pipeline.settings.max_text_chars)
    check_text_chars([proposal], pipeline.settings.max_text_chars)
    source = languages(pipeline, segment, source, target)
    article_id = suggestion_id(source, target, segment)
    request = ArticleRequest(
        id=article_id, title="", body=segment, format="text", source_lang=source, summary=False
    )
    pipeline.process(request)
    return store.suggest(article_id, target, proposal, author, qa=pipeline.check_edit)
