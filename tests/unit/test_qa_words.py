"""QA: source-language words left in a translation."""

from __future__ import annotations

from service.pipeline.qa.flags import QaContext
from service.pipeline.qa.words import check_month_names, check_untranslated

EN_ES = QaContext("en", "es", terms={"Kyiv": "Kyiv"})


def _sources(found: list) -> list[str]:  # type: ignore[type-arg]
    return [f.source for f in found]


def test_english_words_copied_into_spanish_are_flagged() -> None:
    source = "The museum hosted a nightly screening."
    target = "El museo hosted una proyección nightly."
    assert _sources(check_untranslated(source, target, EN_ES)) == ["hosted", "nightly"]


def test_a_translated_sentence_has_no_untranslated_word() -> None:
    source = "The museum hosted a screening."
    assert check_untranslated(source, "El museo acogió una proyección.", EN_ES) == []


def test_names_glossary_terms_and_shared_words_are_not_flagged() -> None:
    source = "Smith flew to Kyiv with internet access and a radio."
    target = "Smith voló a Kyiv con acceso a internet y una radio."
    assert check_untranslated(source, target, EN_ES) == []


def test_spanish_words_left_in_english_are_flagged() -> None:
    found = check_untranslated(
        "La elección fue rápida.", "The elección was quick.", QaContext("es", "en")
    )
    assert _sources(found) == ["elección"]


def test_source_month_and_day_names_in_the_translation() -> None:
    found = check_month_names(
        "x", "El jueves, March 12, se reunió; el Thursday siguiente no.", EN_ES
    )
    assert _sources(found) == ["March", "Thursday"]
    assert check_month_names("x", "El jueves 12 de marzo se reunió.", EN_ES) == []
    assert _sources(check_month_names("x", "It met on jueves.", QaContext("es", "en"))) == [
        "jueves"
    ]


def test_words_of_urls_and_addresses_are_not_words_left_untranslated() -> None:
    source = "Write to press@example.org or see https://example.org/hosted-events."
    target = "Escriba a press@example.org o vea https://example.org/hosted-events."
    assert check_untranslated(source, target, EN_ES) == []


def test_domains_short_words_and_names_like_may_are_not_flagged() -> None:
    source = "Data from weather.com shows the storm."
    assert check_untranslated(source, "Los datos de weather.com muestran la tormenta.", EN_ES) == []
    assert check_month_names("x", "Llega Theresa May a Berlín.", EN_ES) == []


def test_month_and_day_names_inside_names_are_not_flagged() -> None:
    target = "Dijo a The Sunday Telegraph que irá a Saturday Night Live."
    assert check_month_names("x", target, EN_ES) == []
