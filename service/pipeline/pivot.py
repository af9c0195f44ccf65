"""Summaries through another language on the pipeline's own translators.

A `PivotSummarizer` (engines) carries raw translators: called as it is, it would translate a
Spanish text into English past the approved memory and the cache, and an article's body a
second time after the pipeline had just translated it. So the pipeline uses only its inner
summarizer and does the translating itself, through `CachedTranslator`s; engines cannot do
this, since they never import the pipeline.
"""

from __future__ import annotations

from service.document.markup import plain
from service.engines.base import Summarizer
from service.engines.seq2seq_common import trim_to_words
from service.engines.seq2seq_loader import PivotSummarizer
from service.pipeline.cached import CachedTranslator
from service.pipeline.translate import translate_flows


def through(summarizer: Summarizer | None, lang: str | None = None) -> PivotSummarizer | None:
    """The summarizer when it summarizes through another language (`lang`, when given)."""
    if isinstance(summarizer, PivotSummarizer) and lang in (None, summarizer.pivot):
        return summarizer
    return None


def summarize_translated(
    pivot: PivotSummarizer, text: str, back: CachedTranslator, max_words: int
) -> tuple[str | None, str | None]:
    """(summary in the pivot language, its translation by `back`) of `text`, which is already
    in the pivot language. The budget holds for both: a translation may run longer than the
    summary (Spanish is about a fifth longer than English)."""
    summary = pivot.summarizer.summarize(text, max_words)
    if not summary:
        return None, None
    translated = translate_flows([summary], back)[0]
    return summary, trim_to_words(plain(translated.text), max_words, back.target) or None
