"""Free texts: `translate_lines` (the chunked path of `newsdesk translate --lines`) and
`summarize_text` (/v1/summarize, `newsdesk summarize`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from service.config import Settings
from service.errors import TextTooLong, TooManySentences
from service.pipeline.article import ArticlePipeline
from service.pipeline.protect import GlossaryFile
from service.pipeline.text import summarize_text, translate_document, translate_lines
from service.runtime import Runtime
from service.schemas import ArticleRequest
from service.store.articles import TransientArticles
from tests.conftest import fake_registry, pivot_registry
from tests.helpers.fakes import FakeTranslator, FlakyCache

NAMES = "Alder Birch Cedar Dogwood Elm Fir Gum Hazel Ivy Juniper".split()


def _lines(count: int) -> Iterator[str]:
    for i in range(count):
        yield "" if i % 7 == 3 else f"The {NAMES[i % 10]} {NAMES[i // 10]} council met. It voted."


def test_chunks_give_the_same_lines_as_one_pass_in_order(runtime: Runtime) -> None:
    engine: FakeTranslator = runtime.registry.translators[("en", "es")]  # type: ignore[assignment]
    chunked = list(translate_lines(runtime.pipeline, _lines(26), "en", "es", "text", chunk_lines=4))
    assert engine.calls == 7  # one engine call per chunk of 4 lines
    assert len(engine.sentences) == 22 + 1  # 22 non-empty lines, "It voted." once
    whole = list(translate_lines(runtime.pipeline, _lines(26), "en", "es", "text"))
    assert engine.calls == 7  # the second pass is all cache
    assert chunked == whole == list(_lines(26))  # the fake engine translates to the same text


def test_the_input_is_read_a_chunk_at_a_time(runtime: Runtime) -> None:
    read: list[int] = []

    def source() -> Iterator[str]:
        for i in range(10):
            read.append(i)
            yield f"Line {NAMES[i]}."

    output = translate_lines(runtime.pipeline, source(), "en", "es", "text", chunk_lines=3)
    assert next(output) == "Line Alder." and len(read) == 3  # out before line 4 is read
    assert len(list(output)) == 9 and len(read) == 10


def test_auto_is_decided_on_the_first_chunk(runtime: Runtime) -> None:
    spanish: FakeTranslator = runtime.registry.translators[("es", "en")]  # type: ignore[assignment]
    lines = [
        "El gobierno anunció hoy un nuevo plan de vivienda para la ciudad.",
        "Los vecinos del barrio esperan la decisión del ayuntamiento.",
        "The council will vote on the housing plan next week.",
    ]
    out = list(translate_lines(runtime.pipeline, iter(lines), "auto", "en", "text", chunk_lines=2))
    # The English line in the second chunk goes through es→en like the rest (a per-chunk
    # decision would have made it en→en and failed).
    assert out == lines and spanish.sentences[-1] == lines[2]


@pytest.fixture
def capped(settings: Settings) -> Iterator[Runtime]:
    small = settings.model_copy(update={"max_text_chars": 300, "max_sentences_per_request": 5})
    rt = Runtime.open(small, fake_registry())
    yield rt
    rt.close()


def test_a_request_over_the_character_cap_is_refused_before_parsing(capped: Runtime) -> None:
    engine: FakeTranslator = capped.registry.translators[("en", "es")]  # type: ignore[assignment]
    at_cap = ["x" * 150, "y" * 150]
    assert translate_document(capped.pipeline, at_cap, "en", "es", "text").texts == at_cap
    with pytest.raises(TextTooLong) as caught:
        translate_document(capped.pipeline, at_cap + ["z"], "en", "es", "html")
    assert caught.value.status_code == 413
    assert caught.value.message == "text is longer than 300 characters"
    assert engine.calls == 1


def test_a_request_over_the_sentence_cap_is_refused_before_the_engine(capped: Runtime) -> None:
    engine: FakeTranslator = capped.registry.translators[("en", "es")]  # type: ignore[assignment]
    five = ["One. Two. Three.", "<p>Four.</p><p>Five.</p>"]
    assert len(engine.sentences) == 0
    translate_document(capped.pipeline, five[:1], "en", "es", "text")
    translate_document(capped.pipeline, five[1:], "en", "es", "html")
    with pytest.raises(TooManySentences) as caught:
        translate_document(capped.pipeline, [five[0], "Six. " + five[1]], "en", "es", "html")
    assert caught.value.status_code == 413
    assert caught.value.message == "request has more than 5 sentences"
    assert len(engine.sentences) == 5


def test_an_article_over_the_sentence_cap_is_refused(capped: Runtime) -> None:
    # The batch runner goes through the same pipeline as POST /v1/articles.
    body = "".join(f"<p>Sentence number {i}.</p>" for i in range(6))
    request = ArticleRequest(title="A title", body=body, source_lang="en", summary=False)
    with pytest.raises(TooManySentences) as caught:
        capped.pipeline.process(request)
    assert caught.value.message == "request has more than 5 sentences"
    small = ArticleRequest(title="A title", body=body[:60], source_lang="en", summary=False)
    assert capped.pipeline.process(small).versions["es"].title == "A title"


def test_translate_lines_goes_through_inputs_far_over_the_caps(capped: Runtime) -> None:
    engine: FakeTranslator = capped.registry.translators[("en", "es")]  # type: ignore[assignment]
    lines = [f"Line {NAMES[i % 10]} {NAMES[i // 10]} begins. It goes on." for i in range(60)]
    lines.append(" ".join(f"Sentence {name} of a line over the cap." for name in NAMES * 2))
    out = list(translate_lines(capped.pipeline, iter(lines), "en", "es", "text"))
    assert out == lines  # the fake engine translates to the same text
    # One engine call a chunk: 8 chunks of lines within 300 characters, then the long line.
    assert engine.calls == 9


SPANISH = "El Gobierno aprobó la ley el lunes. La oposición votó en contra.\n\nHabrá un recurso."


class _Memory:
    """Approved translations of the es->en pair (an `ApprovedMemory`)."""

    def __init__(self, approved: dict[str, str]) -> None:
        self.approved = approved

    def lookup(self, source: str, target: str, sentences: Sequence[str]) -> dict[str, str]:
        if (source, target) != ("es", "en"):
            return {}
        return {s: self.approved[s] for s in sentences if s in self.approved}

    def memory_stamp(self, source: str, target: str) -> str:
        return str(len(self.approved))


def _pivot_pipeline(
    settings: Settings, memory: _Memory | None = None
) -> tuple[ArticlePipeline, FakeTranslator, FakeTranslator]:
    registry, es_en, en_es = pivot_registry()
    glossary = GlossaryFile(settings.glossary_file)
    pipeline = ArticlePipeline(
        settings, registry, FlakyCache(), TransientArticles(), glossary, memory=memory
    )
    return pipeline, es_en, en_es


def test_a_text_summarized_through_english_is_translated_through_the_cache(
    settings: Settings,
) -> None:
    pipeline, es_en, en_es = _pivot_pipeline(settings)
    first = summarize_text(pipeline, SPANISH, "es", 40)
    assert sorted(es_en.sentences) == [
        "El Gobierno aprobó la ley el lunes.",
        "Habrá un recurso.",
        "La oposición votó en contra.",
    ]
    # The English summarizer read the English translation (its first paragraph); its summary
    # came back in Spanish.
    english = "EN[El Gobierno aprobó la ley el lunes.] EN[La oposición votó en contra.]"
    assert first.summary == f"ES[{english}]"
    assert first.info == pipeline.registry.summarizer("es").info
    # A second time, nothing reaches either engine: both directions are cached.
    asked = (len(es_en.sentences), len(en_es.sentences))
    assert summarize_text(pipeline, SPANISH, "es", 40) == first
    assert (len(es_en.sentences), len(en_es.sentences)) == asked


def test_approved_translations_serve_a_summary_through_english(settings: Settings) -> None:
    memory = _Memory({"Habrá un recurso.": "There will be an appeal."})
    pipeline, es_en, _ = _pivot_pipeline(settings, memory)
    # The first paragraph is summarized: make it the approved one.
    summary = summarize_text(pipeline, "Habrá un recurso.\n\nOtra frase.", "es", 40).summary
    assert summary == "ES[There will be an appeal.]"
    assert es_en.sentences == ["Otra frase."]


def test_a_language_summarized_directly_needs_no_translator(settings: Settings) -> None:
    pipeline, es_en, en_es = _pivot_pipeline(settings)
    result = summarize_text(pipeline, "One two three.\n\nFour.", "en", 40)
    assert result.summary == "One two three." and result.info.model == "first-sentence-en"
    assert es_en.sentences == en_es.sentences == []
