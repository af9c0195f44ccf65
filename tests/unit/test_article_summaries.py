"""Summaries in the article pipeline when a language is summarized through the other one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.config import Settings
from service.runtime import Runtime
from service.schemas import ArticleRequest
from tests.conftest import pivot_registry
from tests.helpers.fakes import FakeTranslator

BODY = "El Gobierno aprobó la ley el lunes. La oposición votó en contra.\n\nHabrá un recurso."


@pytest.fixture
def pivot_runtime(settings: Settings) -> Iterator[tuple[Runtime, FakeTranslator]]:
    registry, es_en, _ = pivot_registry()
    runtime = Runtime.open(settings, registry)
    yield runtime, es_en
    runtime.close()


def test_a_spanish_article_is_translated_once_and_its_english_summary_is_not_a_round_trip(
    pivot_runtime: tuple[Runtime, FakeTranslator],
) -> None:
    runtime, es_en = pivot_runtime
    answer = runtime.pipeline.process(
        ArticleRequest(title="Ley aprobada", body=BODY, source_lang="es", max_words=40)
    )
    # Every body sentence went es->en once: the summary reused the article's translation.
    assert sorted(es_en.sentences) == sorted(set(es_en.sentences))
    english = answer.versions["en"]
    # The English summary is the English summarizer's output on the English translation...
    assert english.summary is not None
    assert english.summary.startswith("EN[El Gobierno aprobó la ley el lunes.]")
    assert "ES[" not in english.summary
    # ...and the Spanish one its translation, not the other way round.
    assert answer.versions["es"].summary == f"ES[{english.summary}]"
