"""`pivot`: which summarizers go through another language, and the summary step the article
and free-text paths share (their translations are tested in test_article_summaries/test_text)."""

from __future__ import annotations

from service.config import Settings
from service.pipeline.cached import CachedTranslator
from service.pipeline.pivot import summarize_translated, through
from service.pipeline.protect import GlossaryFile
from tests.conftest import pivot_registry
from tests.helpers.fakes import FakeSummarizer, FakeTranslator, FlakyCache


def test_only_a_summarizer_through_that_language_is_a_pivot() -> None:
    registry, _, _ = pivot_registry()
    spanish = registry.summarizer("es")
    assert through(spanish) is spanish and through(spanish, "en") is spanish
    assert through(spanish, "es") is None
    assert through(FakeSummarizer("en")) is None and through(None) is None


def test_the_summary_and_its_translation_keep_the_budget(settings: Settings) -> None:
    registry, _, _ = pivot_registry()
    pivot = through(registry.summarizer("es"))
    assert pivot is not None
    # A translation longer than its source, as Spanish is.
    longer = FakeTranslator("en", "es", lambda text: f"{text} y algo más")
    back = CachedTranslator(longer, FlakyCache(), GlossaryFile(settings.glossary_file))
    text = "one two three four five six seven eight\n\nnine ten"
    summary, translated = summarize_translated(pivot, text, back, 6)
    assert summary == "one two three four five six"
    assert translated is not None and len(translated.split()) <= 6
    assert translated.startswith("one two three four five")
    assert summarize_translated(pivot, "", back, 6) == (None, None)
