"""The pipeline post-edits real Apertium output, and only Apertium's: after the sentence cache
(which keeps what the engine wrote) and before protected spans are restored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.engines.apertium import ApertiumTranslator
from service.pipeline import postedit
from service.pipeline.cached import CachedTranslator
from service.pipeline.protect import DEFAULT_GLOSSARY, GlossaryFile
from tests.helpers.apertium_marks import apertium_client, needs_apertium
from tests.helpers.fakes import FakeTranslator, FlakyCache

DATA = Path("/usr/share/apertium")
# Apertium writes "encima martes", "estuvo aplazado" and straight quotes for these.
ENGLISH = 'The minister said: "The vote was postponed on Tuesday."'
SPANISH = "“El voto fue aplazado el martes”, dijo el ministro."


@pytest.fixture(scope="module")
def en_es() -> Iterator[ApertiumTranslator]:
    engine = ApertiumTranslator("en", "es", DATA)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def es_en() -> Iterator[ApertiumTranslator]:
    engine = ApertiumTranslator("es", "en", DATA)
    yield engine
    engine.close()


def _cached(engine: object, cache: FlakyCache) -> CachedTranslator:
    return CachedTranslator(engine, cache, GlossaryFile(DEFAULT_GLOSSARY))  # type: ignore[arg-type]


@needs_apertium
@pytest.mark.apertium
def test_apertium_output_is_post_edited_and_the_cache_keeps_the_engines(
    en_es: ApertiumTranslator,
) -> None:
    raw = en_es.translate_batch([ENGLISH])[0]
    assert '"' in raw and "encima martes" in raw and "estuvo aplazado" in raw
    cache = FlakyCache()
    translator = _cached(en_es, cache)
    first = translator.translate([ENGLISH])[0]
    assert first.origin == "engine"
    assert first.text == postedit.apply(postedit.rules_for("apertium", "en", "es"), raw)
    assert "“" in first.text and "el martes" in first.text and "fue aplazado" in first.text
    assert list(cache.data.values()) == [raw]
    again = translator.translate([ENGLISH])[0]
    assert (again.origin, again.text) == ("cache", first.text)


@needs_apertium
@pytest.mark.apertium
def test_spanish_to_english_is_post_edited(es_en: ApertiumTranslator) -> None:
    raw = es_en.translate_batch([SPANISH])[0]
    assert "“" in raw and "the Tuesday" in raw
    out = _cached(es_en, FlakyCache()).translate([SPANISH])[0].text
    assert out == postedit.apply(postedit.rules_for("apertium", "es", "en"), raw)
    assert '"' in out and "“" not in out and "on Tuesday" in out


@needs_apertium
@pytest.mark.apertium
def test_protected_spans_are_restored_unedited(en_es: ApertiumTranslator) -> None:
    """A number and a URL go to the engine as placeholders: the rules never see their text."""
    sentence = 'He said "see https://example.org/a" on Tuesday, 12 times.'
    out = _cached(en_es, FlakyCache()).translate([sentence])[0].text
    assert "https://example.org/a" in out and "12" in out
    assert "“" in out and "el martes" in out


def test_other_engines_output_is_left_as_it_is() -> None:
    """The same Apertium-like faults from another engine pass through untouched."""
    faulty = 'Dijo: "el voto estuvo aplazado encima martes."'
    engine = FakeTranslator("en", "es", lambda text: faulty)
    out = _cached(engine, FlakyCache()).translate(["Anything."])[0]
    assert out.text == faulty


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from apertium_client(tmp_path_factory.mktemp("var"))


@needs_apertium
@pytest.mark.apertium
@pytest.mark.parametrize(
    ("source", "target", "html", "wanted", "unwanted"),
    [
        (
            "en",
            "es",
            '<p>He said: "<b>The vote</b> was postponed on Tuesday." Then: "<i>Never</i>."</p>',
            ["“<b>", "el martes”.", "fue aplazado", "“<i>"],
            ['"', "encima"],
        ),
        (
            "es",
            "en",
            "<p>Dijo: “<b>la votación</b> se aplazó al domingo”. Añadió: «<i>nunca</i>».</p>",
            ['"<b>', 'Sunday."', '"<i>'],
            ["“", "”", "«", "»", "the Sunday"],
        ),
    ],
)
def test_html_keeps_its_markup_around_post_edited_quotes(
    client: TestClient,
    source: str,
    target: str,
    html: str,
    wanted: list[str],
    unwanted: list[str],
) -> None:
    response = client.post(
        "/v1/translate", json={"text": html, "source": source, "target": target, "format": "html"}
    )
    assert response.status_code == 200
    out = response.json()["translation"]
    assert out.count("<b>") == out.count("</b>") == 1 and out.count("<i>") == 1
    for piece in wanted:
        assert piece in out, (piece, out)
    for piece in unwanted:
        assert piece not in out, (piece, out)
