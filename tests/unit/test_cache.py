"""Sentence and article caching, proven with a counting fake engine."""

from __future__ import annotations

from pathlib import Path

from service.config import Settings
from service.runtime import Runtime
from service.schemas import ArticleRequest
from tests.conftest import fake_registry
from tests.fakes import FakeTranslator

BODY = (
    "<p>The talks begin in Paris on Monday. Ministers from five countries attend.</p>"
    "<p>The envoy will brief them on the meeting. A statement is expected later.</p>"
)


def _request(body: str = BODY, **extra: object) -> ArticleRequest:
    return ArticleRequest(title="Talks open in Paris", body=body, source_lang="en", **extra)


def test_repeat_article_is_served_from_cache_without_engine_call(runtime: Runtime) -> None:
    engine: FakeTranslator = runtime.registry.translators[("en", "es")]  # type: ignore[assignment]
    first = runtime.pipeline.process(_request())
    calls, sentences = engine.calls, len(engine.sentences)
    assert calls >= 1 and first.cached is False
    second = runtime.pipeline.process(_request())
    assert second.cached is True
    assert (engine.calls, len(engine.sentences)) == (calls, sentences)
    assert second.versions["es"] == first.versions["es"]


def test_one_edited_sentence_is_the_only_one_translated_again(runtime: Runtime) -> None:
    engine: FakeTranslator = runtime.registry.translators[("en", "es")]  # type: ignore[assignment]
    runtime.pipeline.process(_request())
    engine.sentences.clear()
    edited = BODY.replace("A statement is expected later.", "A statement came at noon.")
    result = runtime.pipeline.process(_request(edited))
    assert engine.sentences == ["A statement came at noon."]
    provenance = result.versions["es"].provenance
    assert provenance.sentences == {"cache": 4, "engine": 1}  # title + 3 unchanged


def test_cache_survives_a_restart(settings: Settings, tmp_path: Path) -> None:
    engine = FakeTranslator()
    rt = Runtime.open(settings, fake_registry(forward=engine))
    rt.pipeline.process(_request())
    rt.close()
    again = FakeTranslator()
    rt = Runtime.open(settings, fake_registry(forward=again))
    assert rt.pipeline.process(_request()).cached is True
    assert rt.pipeline.process(_request(summary=False)).cached is False
    assert again.sentences == []  # every sentence came from the sentence cache
    rt.close()


def test_numbers_share_one_cache_entry(runtime: Runtime) -> None:
    engine: FakeTranslator = runtime.registry.translators[("en", "es")]  # type: ignore[assignment]
    translator = runtime.pipeline.translator("en", "es")
    first = translator.translate(["It cost 35 dollars."])
    second = translator.translate(["It cost 40 dollars."])
    assert [s.text for s in first + second] == ["It cost 35 dollars.", "It cost 40 dollars."]
    assert [s.origin for s in first + second] == ["engine", "cache"]
    assert engine.sentences == ["It cost ZZ0ZZ dollars."]


def test_different_engine_revision_does_not_reuse_the_cache(settings: Settings) -> None:
    rt = Runtime.open(settings, fake_registry())
    rt.pipeline.translator("en", "es").translate(["Hello there."])
    rt.close()
    other = FakeTranslator(name="other-model")
    rt = Runtime.open(settings, fake_registry(forward=other))
    segments = rt.pipeline.translator("en", "es").translate(["Hello there."])
    assert segments[0].origin == "engine" and other.sentences == ["Hello there."]
    rt.close()
