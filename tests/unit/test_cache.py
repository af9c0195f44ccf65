"""Sentence and article caching, proven with a counting fake engine."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from service.config import Settings
from service.engines.base import EngineInfo
from service.errors import UnsupportedLanguage
from service.pipeline import article, postedit
from service.pipeline.article import ArticlePipeline
from service.runtime import Runtime
from service.schemas import ArticleRequest
from service.store.articles import TransientArticles
from tests.conftest import fake_registry
from tests.helpers.fakes import FakeTranslator

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


def _auto(body: str = BODY, **extra: object) -> ArticleRequest:
    return ArticleRequest(title="Talks open in Paris", body=body, **extra)


def test_a_repeat_is_answered_without_parsing_or_detecting(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[str] = Counter()

    def counted(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(article, "parse", counted("parse", article.parse))
    monkeypatch.setattr(article, "detect_language", counted("detect", article.detect_language))
    first = runtime.pipeline.process(_auto())
    assert first.source_lang == "en" and calls["detect"] == 1 and calls["parse"] >= 1
    calls.clear()
    second = runtime.pipeline.process(_auto())
    assert calls == Counter()
    assert second.cached is True and second.source_lang == "en"
    assert second.versions == first.versions


def test_one_article_under_two_ids_shares_one_entry_and_keeps_its_derived_id(
    runtime: Runtime,
) -> None:
    engine: FakeTranslator = runtime.registry.translators[("en", "es")]  # type: ignore[assignment]
    first = runtime.pipeline.process(_auto())
    assert first.id.startswith("a-") and first.cached is False
    calls = engine.calls
    named = runtime.pipeline.process(_auto(id="talks-paris"))
    again = runtime.pipeline.process(_auto())
    assert (named.id, named.cached) == ("talks-paris", True)
    assert (again.id, again.cached) == (first.id, True)
    assert named.versions["es"].body == first.versions["es"].body
    assert engine.calls == calls


def test_a_glossary_edit_misses_the_article_cache(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    settings.glossary_file.write_text('[en-es]\n"Paris" = "París"\n', encoding="utf-8")
    rt = Runtime.open(settings, fake_registry())
    try:
        assert rt.pipeline.process(_auto()).cached is False
        assert rt.pipeline.process(_auto()).cached is True
        # A longer file: its version changes even where mtime has a coarse clock.
        settings.glossary_file.write_text('[en-es]\n"Paris" = "la ciudad de París"\n', "utf-8")
        edited = rt.pipeline.process(_auto())
        assert edited.cached is False and "la ciudad de París" in edited.versions["es"].body
    finally:
        rt.close()


def test_another_engine_revision_misses_the_article_cache(settings: Settings) -> None:
    rt = Runtime.open(settings, fake_registry())
    rt.pipeline.process(_auto())
    rt.close()
    other = FakeTranslator(name="other-model")
    rt = Runtime.open(settings, fake_registry(forward=other))
    try:
        again = rt.pipeline.process(_auto())
        assert again.cached is False
        assert again.versions["es"].provenance.translation is not None
        assert again.versions["es"].provenance.translation.model == "other-model"
    finally:
        rt.close()


class SteppingMemory:
    """An approved memory that knows no sentence but whose version a test moves on."""

    def __init__(self) -> None:
        self.step = 0

    def lookup(self, source: str, target: str, sentences: Sequence[str]) -> dict[str, str]:
        return {}

    def memory_stamp(self, source: str, target: str) -> str:
        return f"{source}-{target}:{self.step}"


def test_a_memory_change_misses_the_article_cache(runtime: Runtime) -> None:
    memory = SteppingMemory()
    pipeline = ArticlePipeline(
        runtime.settings,
        runtime.registry,
        runtime.cache,
        TransientArticles(),
        runtime.glossary,
        memory=memory,
    )
    assert pipeline.process(_auto()).cached is False
    assert pipeline.process(_auto()).cached is True
    memory.step += 1
    assert pipeline.process(_auto()).cached is False
    assert pipeline.process(_auto()).cached is True


def test_an_unreadable_cache_entry_is_made_again(runtime: Runtime) -> None:
    request = _auto()
    runtime.cache.put_many({runtime.pipeline._request_key(request): '{"not": "an entry"}'})
    first = runtime.pipeline.process(request)
    assert first.cached is False and first.versions["es"].body
    assert runtime.pipeline.process(request).cached is True


def test_an_unsupported_source_language_is_refused_before_the_cache(runtime: Runtime) -> None:
    with pytest.raises(UnsupportedLanguage) as refused:
        runtime.pipeline.process(_auto(source_lang="fr"))
    assert refused.value.message == "unsupported language: fr"


def test_numbers_are_written_after_the_cache_in_the_current_house_style(
    settings: Settings,
) -> None:
    # The cache holds the engine's answer to the text it was given; the house style applies
    # after it, so a change of style reuses the entry and never serves the old style.
    rt = Runtime.open(settings, fake_registry())
    first = rt.pipeline.translator("en", "es").translate(["Some 12,000 people, 3.5%."])
    rt.close()
    engine = FakeTranslator()
    mexico = settings.model_copy(update={"house_style": "es-MX"})
    rt = Runtime.open(mexico, fake_registry(forward=engine))
    second = rt.pipeline.translator("en", "es").translate(["Some 12,000 people, 3.5%."])
    rt.close()
    assert [s.text for s in first] == ["Some 12.000 people, 3,5 %."]
    assert [(s.text, s.origin) for s in second] == [("Some 12,000 people, 3.5%.", "cache")]
    assert engine.sentences == []


def test_a_number_the_engine_drops_is_reported_not_appended(settings: Settings) -> None:
    dropping = FakeTranslator(fn=lambda text: text.replace(" ZZ1ZZ", ""))
    rt = Runtime.open(settings, fake_registry(forward=dropping))
    try:
        segments = rt.pipeline.translator("en", "es").translate(["It cost 35 dollars and 40."])
        assert segments[0].text == "It cost 35 dollars and." and segments[0].missing == ("40",)
        result = rt.pipeline.process(_request("<p>It cost 35 dollars and 40.</p>"))
        assert result.versions["es"].provenance.missing == 1
        assert result.versions["en"].provenance.missing == 0
    finally:
        rt.close()


def test_a_new_house_style_misses_the_article_cache(settings: Settings) -> None:
    rt = Runtime.open(settings, fake_registry())
    assert rt.pipeline.process(_request("<p>About 12,000 came.</p>")).cached is False
    rt.close()
    mexico = settings.model_copy(update={"house_style": "es-MX"})
    rt = Runtime.open(mexico, fake_registry())
    try:
        again = rt.pipeline.process(_request("<p>About 12,000 came.</p>"))
        assert again.cached is False and "12,000" in again.versions["es"].body
    finally:
        rt.close()


def test_new_post_editing_rules_are_not_served_from_the_article_cache(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Post-editing runs after the sentence cache, but the article cache keeps finished text:
    its key holds the rules' revision for engines that are post-edited (Apertium)."""
    engine = FakeTranslator("en", "es")
    engine.info = EngineInfo("apertium", "fake-apertium", "1")
    rt = Runtime.open(settings, fake_registry(forward=engine))
    try:
        assert rt.pipeline.process(_request()).cached is False
        assert rt.pipeline.process(_request()).cached is True
        monkeypatch.setattr(postedit, "REVISION", postedit.REVISION + "-next")
        assert rt.pipeline.process(_request()).cached is False
    finally:
        rt.close()
