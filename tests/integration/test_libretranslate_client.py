"""LibreTranslate clients against a real `newsdesk serve` with Apertium: the `libretranslatepy`
client from the package index translates, detects and lists languages with an API key; files
(.docx and .odt with their headers, footer and footnote; .odp and .pptx slides with their
tables, groups and notes; .srt, .md) go through /translate_file and come back from their
download URL with the same structure and styles and Spanish text. That client has no file or
suggest method, so files and suggestions also go up as LibreTranslate's web page sends them, as
forms; and libretranslate-aio, which has both, calls every route as it is."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError

import httpx
import pytest
from libretranslate_aio import LibreTranslate
from libretranslatepy import LibreTranslateAPI

from service.pipeline.detect import detect_language
from tests.helpers.apertium_marks import needs_apertium
from tests.helpers.office_documents import (
    LINK,
    build_docx,
    build_docx_with_stories,
    build_odp,
    build_odt,
    build_odt_with_stories,
    build_pptx,
    docx_story_members,
    docx_story_runs,
    docx_styled_runs,
    docx_text,
    odt_styled_spans,
    odt_text,
    pptx_styled_runs,
    pptx_text,
    skeleton,
)
from tests.helpers.server import newsdesk, start_serve, stop

pytestmark = [needs_apertium, pytest.mark.apertium]

SRT = (
    "1\n00:00:01,000 --> 00:00:03,500\nThe mayor opened\nthe new park.\n\n"
    "2\n00:00:04,000 --> 00:00:06,250\nIt rained all day.\n"
)

# A slide's title and list in Spanish (Apertium), the last cell of its table, its notes.
SLIDE = [
    "El presupuesto de ciudad",
    "El alcalde habló.",
    "El consejo dijo que el parque nuevo abrirá la semana que viene.",
]
WEEK = "la semana que viene"
DOLLARS = "Diez millones de dólares"
NOTES = "Habla despacio."


@dataclass
class Server:
    url: str
    key: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = dict(os.environ, NEWSDESK_DATA_DIR=str(tmp_path_factory.mktemp("var")))
    env.pop("NEWSDESK_REDIS_URL", None)
    key = newsdesk(env, "keys", "create", "--role", "client", "--name", "cms").strip()
    process, url = start_serve(env)
    yield Server(url, key)
    stop(process)


def _translate_file(server: Server, name: str, data: bytes) -> bytes:
    answer = httpx.post(
        server.url + "/translate_file",
        files={"file": (name, data)},
        data={"source": "auto", "target": "es", "api_key": server.key},
        timeout=120,
    )
    assert answer.status_code == 200, answer.text
    download = httpx.get(answer.json()["translatedFileUrl"], timeout=30)
    assert download.status_code == 200
    return download.content


def test_the_client_library_translates_detects_and_lists_languages(server: Server) -> None:
    client = LibreTranslateAPI(server.url, api_key=server.key)
    assert client.translate("The mayor spoke today.", "en", "es") == "El alcalde habló hoy."
    detected = client.detect("The city council approved the budget on Tuesday.")
    assert detected[0]["language"] == "en" and 50 < detected[0]["confidence"] <= 100
    codes = {language["code"]: language["targets"] for language in client.languages()}
    assert codes == {"en": ["es"], "es": ["en"]}


def test_apertium_has_no_alternatives_to_give(server: Server) -> None:
    # The client library has no `alternatives` argument: the form LibreTranslate's page sends.
    answer = httpx.post(
        server.url + "/translate",
        data={
            "q": "The mayor spoke today.",
            "source": "en",
            "target": "es",
            "alternatives": "3",
            "api_key": server.key,
        },
        timeout=30,
    )
    assert answer.json() == {"translatedText": "El alcalde habló hoy.", "alternatives": []}


def test_the_client_library_without_a_key_or_with_a_wrong_one_is_refused(server: Server) -> None:
    # LibreTranslate's codes: 400 without a key where one is required, 403 for a wrong one.
    with pytest.raises(HTTPError) as refused:
        LibreTranslateAPI(server.url).translate("The mayor spoke today.", "en", "es")
    assert refused.value.code == 400
    with pytest.raises(HTTPError) as wrong:
        LibreTranslateAPI(server.url, api_key="nd_not-a-key").translate("Hi.", "en", "es")
    assert wrong.value.code == 403


def test_a_suggestion_is_taken_and_not_applied(server: Server) -> None:
    # libretranslatepy has no suggest method: sent as LibreTranslate's web page sends it.
    client = LibreTranslateAPI(server.url, api_key=server.key)
    machine = client.translate("The mayor spoke yesterday.", "en", "es")
    form = {
        "q": "The mayor spoke yesterday.",
        "s": "La alcaldesa habló ayer.",
        "source": "en",
        "target": "es",
        "api_key": server.key,
    }
    answer = httpx.post(server.url + "/suggest", data=form, timeout=60)
    assert (answer.status_code, answer.json()) == (200, {"success": True})
    # A draft for editors: clients keep getting the machine's translation until one approves.
    assert client.translate("The mayor spoke yesterday.", "en", "es") == machine


def test_a_docx_keeps_its_structure_and_styles_in_spanish(server: Server) -> None:
    source = build_docx()
    translated = _translate_file(server, "release.docx", source)
    assert skeleton(translated, "word/document.xml") == skeleton(source, "word/document.xml")
    styled = docx_styled_runs(translated)
    assert [style for style, _ in styled] == ["bold", "italic", "link " + LINK]
    assert all(text.strip() for _, text in styled)
    paragraphs = docx_text(translated)
    assert paragraphs[0] == "El ayuntamiento cumple"
    assert paragraphs[2:] == ["Nombre", "Presupuesto", "La casa grande", "Diez millones de dólares"]
    assert detect_language(" ".join(paragraphs)) == "es"


def test_a_docxs_headers_footer_and_footnote_come_back_in_spanish_with_their_styles(
    server: Server,
) -> None:
    source = build_docx_with_stories()
    translated = _translate_file(server, "release.docx", source)
    for member in docx_story_members(source):
        assert skeleton(translated, member) == skeleton(source, member)
    assert {
        member: docx_story_runs(translated, member) for member in docx_story_members(source)
    } == {
        "word/footer1.xml": [("plain", "Imprimido "), ("bold", "en la ciudad")],
        "word/footnotes.xml": [
            ("plain", " El informe fue "),
            ("italic", "publicado "),
            ("plain", "el lunes."),
        ],
        "word/header1.xml": [("plain", "La ciudad noticiosa")],
        "word/header2.xml": [("plain", "La edición de mañana")],
    }


def test_an_odt_keeps_its_structure_and_styles_in_spanish(server: Server) -> None:
    source = build_odt()
    translated = _translate_file(server, "release.odt", source)
    assert skeleton(translated, "content.xml") == skeleton(source, "content.xml")
    styled = odt_styled_spans(translated)
    assert [style for style, _ in styled] == ["Bold", "Italic", "link " + LINK]
    assert all(text.strip() for _, text in styled)
    paragraphs = odt_text(translated)
    assert paragraphs[0] == "El ayuntamiento cumple"
    assert paragraphs[2:] == ["Nombre", "Presupuesto", "La casa grande", "Diez millones de dólares"]
    assert detect_language(" ".join(paragraphs)) == "es"


def test_an_odts_headers_footer_and_note_come_back_in_spanish(server: Server) -> None:
    source = build_odt_with_stories()
    translated = _translate_file(server, "release.odt", source)
    for member in ("content.xml", "styles.xml"):
        assert skeleton(translated, member) == skeleton(source, member)
    assert odt_text(translated, "styles.xml") == [
        "La ciudad noticiosa",
        "La edición de mañana",
        "Imprimido en la ciudad",
    ]
    assert odt_styled_spans(translated, "styles.xml") == [("HeaderBold", "noticiosa")]
    paragraphs = odt_text(translated)
    assert paragraphs[1].endswith(".1El informe fue publicado el lunes.")
    assert paragraphs[2] == "El informe fue publicado el lunes."


def test_an_odp_keeps_its_slides_structure_and_styles_in_spanish(server: Server) -> None:
    source = build_odp()
    translated = _translate_file(server, "talk.odp", source)
    assert skeleton(translated, "content.xml") == skeleton(source, "content.xml")
    assert odt_text(translated) == [
        *SLIDE,
        "Nombre",
        "Presupuesto",
        "La casa grande",
        DOLLARS,
        NOTES,
    ]
    assert odt_styled_spans(translated) == [("Bold", "el parque nuevo "), ("Italic", WEEK)]


def test_a_pptx_keeps_its_slides_structure_and_styles_in_spanish(server: Server) -> None:
    source = build_pptx()
    translated = _translate_file(server, "talk.pptx", source)
    for member in ("ppt/slides/slide1.xml", "ppt/notesSlides/notesSlide1.xml"):
        assert skeleton(translated, member) == skeleton(source, member)
    assert pptx_text(translated) == [
        *SLIDE,
        "La ciudad noticiosa",  # the text box in a group
        "Nombre",
        "Presupuesto",
        "La casa grande",
        DOLLARS,
        NOTES,
    ]
    assert pptx_styled_runs(translated) == [("bold", "el parque nuevo "), ("italic", WEEK)]


def test_an_srt_keeps_its_numbers_and_timings(server: Server) -> None:
    translated = _translate_file(server, "talk.srt", SRT.encode()).decode()
    assert translated == (
        "1\n00:00:01,000 --> 00:00:03,500\nEl alcalde abrió el parque nuevo.\n\n"
        "2\n00:00:04,000 --> 00:00:06,250\nLlovió todo el día.\n"
    )


def test_markdown_keeps_its_markers_links_and_code(server: Server) -> None:
    source = "# The city council\n\nThe mayor said **the park** will open. See [the report](https://x.org/a).\n\n```\nkeep me\n```\n"
    translated = _translate_file(server, "note.md", source.encode()).decode()
    assert translated.startswith("# El ayuntamiento\n\nEl alcalde dijo que **el parque** abrirá.")
    assert "[el informe](https://x.org/a)" in translated
    assert translated.endswith("```\nkeep me\n```\n")


def test_a_client_with_every_route_works_unchanged(server: Server, tmp_path: Path) -> None:
    """libretranslate-aio, a client from the package index that calls every route: text,
    detection, languages, settings, a .docx and a suggestion, as it sends them."""
    with LibreTranslate(base_url=server.url, api_key=server.key, timeout=120) as client:
        assert client.translate("The mayor spoke today.", "en", "es").translated_text == (
            "El alcalde habló hoy."
        )
        assert client.detect("El ayuntamiento aprobó el presupuesto.")[0].language == "es"
        assert {language.code for language in client.languages()} == {"en", "es"}
        settings = client.frontend_settings()
        assert (settings.key_required, settings.suggestions) == (True, True)
        source = build_docx()
        (tmp_path / "release.docx").write_bytes(source)
        done = client.translate_file(tmp_path / "release.docx", "en", "es")
        translated = httpx.get(done.translated_file_url, timeout=30).content
        assert skeleton(translated, "word/document.xml") == skeleton(source, "word/document.xml")
        assert docx_text(translated)[0] == "El ayuntamiento cumple"
        assert client.suggest("The mayor spoke today.", "La alcaldesa habló hoy.", "en", "es")
