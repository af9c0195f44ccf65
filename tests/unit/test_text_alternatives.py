"""Other translations of a text (`text_alternatives`, LibreTranslate's `alternatives`) from an
engine with an n-best, through the caching wrapper (`CachedTranslator.alternatives`) and the
flows (`flow_alternatives`), with fake engines."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pytest

from service.config import Settings
from service.pipeline.article import ArticlePipeline
from service.pipeline.protect import GlossaryFile
from service.pipeline.text import text_alternatives, translate_document
from service.store.articles import TransientArticles
from tests.conftest import fake_registry
from tests.helpers.fakes import FakeTranslator, FlakyCache, NBestFakeTranslator


class _Memory:
    """Approved en->es sentence translations (an `ApprovedMemory`)."""

    def __init__(self, approved: dict[str, str]) -> None:
        self.approved = approved

    def lookup(self, source: str, target: str, sentences: Sequence[str]) -> dict[str, str]:
        if (source, target) != ("en", "es"):
            return {}
        return {s: self.approved[s] for s in sentences if s in self.approved}

    def memory_stamp(self, source: str, target: str) -> str:
        return str(len(self.approved))


def _pipeline(
    settings: Settings,
    engine: FakeTranslator,
    memory: _Memory | None = None,
    cache: FlakyCache | None = None,
) -> ArticlePipeline:
    return ArticlePipeline(
        settings,
        fake_registry(forward=engine),
        cache or FlakyCache(),
        TransientArticles(),
        GlossaryFile(settings.glossary_file),
        memory=memory,
    )


def _alternatives(
    pipeline: ArticlePipeline, texts: list[str], count: int, fmt: str = "text"
) -> tuple[list[str], list[list[str]]]:
    """(the translations, their alternatives), as the LibreTranslate route asks for them."""
    result = translate_document(pipeline, texts, "en", "es", fmt)
    return result.texts, text_alternatives(pipeline, texts, result, "es", fmt, count)


def _table(others: dict[str, list[str]]) -> Callable[[str], list[str]]:
    return lambda text: others.get(text, [])


def test_the_kth_alternative_puts_each_sentences_kth_hypothesis_in_the_text(
    settings: Settings,
) -> None:
    engine = NBestFakeTranslator(
        fn=str.upper,
        others=_table({"One.": ["UNO.", "UNO!", "UNO?"], "Two.": ["DOS."]}),
    )
    main, found = _alternatives(_pipeline(settings, engine), ["One. Two."], 3)
    assert main == ["ONE. TWO."]
    # A sentence with fewer alternatives keeps its translation in the later ones.
    assert found == [["UNO. DOS.", "UNO! TWO.", "UNO? TWO."]]
    assert _alternatives(_pipeline(settings, engine), ["One. Two."], 1)[1] == [["UNO. DOS."]]


def test_alternatives_repeat_neither_each_other_nor_the_translation(settings: Settings) -> None:
    # Placeholders written with spaces restore to the same text: two hypotheses of the engine,
    # one sentence for the reader.
    others = {
        "ZZ0ZZ ministers.": ["ZZ 0 ZZ ministers.", "ZZ0ZZ ministros.", "ZZ 0ZZ ministros."],
        "Two.": ["Two."],
    }
    engine = NBestFakeTranslator(others=_table(others))
    main, found = _alternatives(_pipeline(settings, engine), ["3 ministers.", "Two."], 3)
    assert main == ["3 ministers.", "Two."]
    assert found == [["3 ministros."], []]  # "Two." has only its translation: that text gets []


def test_protected_spans_are_restored_and_a_hypothesis_that_drops_one_is_left_out(
    settings: Settings,
) -> None:
    def others(text: str) -> list[str]:
        # The engine sees placeholders for the name and the number.
        assert "Zelenskyy" not in text and "3" not in text
        return [f"{text} (1)", re.sub(r"ZZ\d+ZZ", "", text) + " (2)", f"{text} (3)"]

    engine = NBestFakeTranslator(others=others)
    main, found = _alternatives(_pipeline(settings, engine), ["Zelenskyy met 3 ministers."], 3)
    assert main == ["Zelenskyy met 3 ministers."]
    assert found == [["Zelenskyy met 3 ministers. (1)", "Zelenskyy met 3 ministers. (3)"]]


def test_a_sentence_approved_memory_answers_keeps_its_translation_in_every_alternative(
    settings: Settings,
) -> None:
    engine = NBestFakeTranslator(fn=str.upper)
    memory = _Memory({"The mayor spoke.": "La alcaldesa habló."})
    pipeline = _pipeline(settings, engine, memory)
    main, found = _alternatives(pipeline, ["The mayor spoke. It rained."], 2)
    assert main == ["La alcaldesa habló. IT RAINED."]
    assert found == [["La alcaldesa habló. IT RAINED. (1)", "La alcaldesa habló. IT RAINED. (2)"]]
    assert [texts for texts, _ in engine.asked] == [["It rained."]]
    # A text memory answers whole has none, and the engine is not asked.
    assert _alternatives(pipeline, ["The mayor spoke."], 2)[1] == [[]]
    assert len(engine.asked) == 1


def test_an_engine_without_nbest_gives_none(settings: Settings) -> None:
    pipeline = _pipeline(settings, FakeTranslator(fn=str.upper))
    assert _alternatives(pipeline, ["One.", "Two. Three."], 3)[1] == [[], []]


def test_none_are_asked_for_zero(settings: Settings) -> None:
    engine = NBestFakeTranslator(fn=str.upper)
    assert _alternatives(_pipeline(settings, engine), ["One."], 0)[1] == [[]]
    assert engine.asked == []


def test_alternatives_leave_the_cache_as_it_was(settings: Settings) -> None:
    engine = NBestFakeTranslator(fn=str.upper)
    cache = FlakyCache()
    pipeline = _pipeline(settings, engine, cache=cache)
    main = translate_document(pipeline, ["One. Two."], "en", "es", "text")
    cached = dict(cache.data)
    found = text_alternatives(pipeline, ["One. Two."], main, "es", "text", 3)
    assert found == [["ONE. (1) TWO. (1)", "ONE. (2) TWO. (2)", "ONE. (3) TWO. (3)"]]
    assert cache.data == cached
    assert engine.sentences == ["One.", "Two."]  # the translation only: no engine call after
    assert translate_document(pipeline, ["One. Two."], "en", "es", "text").texts == main.texts


@pytest.mark.parametrize("count", [1, 2])
def test_markup_is_placed_in_each_alternative_as_in_the_translation(
    settings: Settings, count: int
) -> None:
    engine = NBestFakeTranslator(fn=str.upper)
    html = '<p>The <b>mayor</b> spoke at <a href="https://x.org">the hall</a>.</p>'
    main, found = _alternatives(_pipeline(settings, engine), [html], count, "html")
    assert main == ['<p>THE <b>MAYOR</b> SPOKE AT <a href="https://x.org">THE HALL</a>.</p>']
    assert found == [
        [
            f'<p>THE <b>MAYOR</b> SPOKE AT <a href="https://x.org">THE HALL</a>. ({k})</p>'
            for k in range(1, count + 1)
        ]
    ]
