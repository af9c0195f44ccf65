"""The LibreTranslate-compatible routes beyond /translate and /languages (those are in
test_api.py) and /suggest (test_libretranslate_suggest.py): /detect, alternatives (from an
engine with an n-best, and none from one without), /frontend/settings, /translate_file and
/download_file, their error shapes and their keys, with fake engines."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from docx import Document
from fastapi.testclient import TestClient

from service.app import create_app
from service.config import Settings
from service.store.review import ReviewStore
from tests.conftest import fake_registry
from tests.helpers.fakes import FakeTranslator, NBestFakeTranslator
from tests.helpers.office_documents import (
    build_docx,
    build_docx_with_stories,
    build_odp,
    build_odt,
    build_pptx,
    docx_story_members,
    docx_story_runs,
    odt_styled_spans,
    odt_text,
    pptx_styled_runs,
    pptx_text,
    skeleton,
)

SRT = "1\n00:00:01,000 --> 00:00:02,500\nThe mayor spoke.\n"


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    engines = FakeTranslator("en", "es", fn=str.upper), FakeTranslator("es", "en", fn=str.lower)
    with TestClient(create_app(settings, fake_registry(*engines))) as test_client:
        yield test_client


def _upload(client: TestClient, name: str, data: bytes, **fields: str) -> dict[str, object]:
    response = client.post(
        "/translate_file", files={"file": (name, data)}, data={"target": "es", **fields}
    )
    return {"status": response.status_code, **response.json()}


def test_detect_answers_each_language_with_the_detectors_confidence(client: TestClient) -> None:
    found = client.post("/detect", data={"q": "The council approved the budget on Tuesday."})
    assert found.status_code == 200
    (first, second) = found.json()
    assert first["language"] == "en" and second["language"] == "es"
    assert 50 < first["confidence"] <= 100 and first["confidence"] > second["confidence"]
    spanish = client.post("/detect", json={"q": "El ayuntamiento aprobó el presupuesto."})
    assert spanish.json()[0]["language"] == "es"
    missing = client.post("/detect", data={"q": ""})
    assert (missing.status_code, missing.json()) == (
        400,
        {"error": "Invalid request: missing q parameter"},
    )


def test_alternatives_are_empty_lists_from_an_engine_without_nbest(client: TestClient) -> None:
    one = client.post(
        "/translate", json={"q": "Hi.", "source": "en", "target": "es", "alternatives": 3}
    )
    assert one.json() == {"translatedText": "HI.", "alternatives": []}
    many = client.post(
        "/translate", json={"q": ["A.", "B."], "source": "en", "target": "es", "alternatives": 2}
    )
    assert many.json() == {"translatedText": ["A.", "B."], "alternatives": [[], []]}
    # As LibreTranslate: asked for none (or fewer than none), the key is left out.
    for none in (0, -2):
        plain = client.post(
            "/translate", data={"q": "Hi.", "source": "en", "target": "es", "alternatives": none}
        )
        assert plain.json() == {"translatedText": "HI."}


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("x", "Invalid request: alternatives parameter is not a number"),
        ([1], "Invalid request: alternatives parameter is not a number"),
        (4, "Invalid request: alternatives parameter must be <= 3"),
    ],
)
def test_a_bad_number_of_alternatives_gets_libretranslates_error(
    client: TestClient, value: object, error: str
) -> None:
    bad = client.post("/translate", json={"q": "Hi.", "target": "es", "alternatives": value})
    assert (bad.status_code, bad.json()) == (400, {"error": error})


def test_alternatives_from_an_engine_with_nbest(settings: Settings) -> None:
    engines = (
        NBestFakeTranslator("en", "es", fn=str.upper),
        NBestFakeTranslator("es", "en", fn=str.lower),
    )
    with TestClient(create_app(settings, fake_registry(*engines))) as client:
        one = client.post(
            "/translate",
            data={"q": "The mayor spoke.", "source": "en", "target": "es", "alternatives": "2"},
        )
        assert one.json() == {
            "translatedText": "THE MAYOR SPOKE.",
            "alternatives": ["THE MAYOR SPOKE. (1)", "THE MAYOR SPOKE. (2)"],
        }
        many = client.post(
            "/translate",
            json={"q": ["Uno.", "Dos. Tres."], "source": "es", "target": "en", "alternatives": 3},
        )
        assert many.json() == {
            "translatedText": ["uno.", "dos. tres."],
            "alternatives": [
                ["uno. (1)", "uno. (2)", "uno. (3)"],
                ["dos. (1) tres. (1)", "dos. (2) tres. (2)", "dos. (3) tres. (3)"],
            ],
        }
        detected = client.post(
            "/translate", json={"q": "Hello there.", "target": "es", "alternatives": 1}
        ).json()
        assert detected["alternatives"] == ["HELLO THERE. (1)"]
        assert detected["detectedLanguage"]["language"] == "en"


def test_frontend_settings_has_libretranslates_fields(client: TestClient) -> None:
    found = client.get("/frontend/settings").json()
    assert found == {
        "charLimit": 100_000,
        "frontendTimeout": 500,
        "apiKeys": True,
        "keyRequired": False,
        "suggestions": True,
        "filesTranslation": True,
        "supportedFilesFormat": [
            ".docx",
            ".html",
            ".md",
            ".odp",
            ".odt",
            ".pptx",
            ".srt",
            ".txt",
        ],
        "language": {
            "source": {"code": "auto", "name": "Auto Detect"},
            "target": {"code": "es", "name": "Spanish"},
        },
    }


def test_a_translated_file_is_downloaded_from_the_url_given(client: TestClient) -> None:
    answer = _upload(client, "talk.srt", SRT.encode(), source="en")
    assert answer["status"] == 200
    url = str(answer["translatedFileUrl"])
    assert url.startswith("http://testserver/download_file/") and url.endswith(".talk.srt")
    download = client.get(url)
    assert download.status_code == 200
    assert download.text == "1\n00:00:01,000 --> 00:00:02,500\nTHE MAYOR SPOKE.\n"
    assert 'filename="talk.srt"' in download.headers["content-disposition"]
    gone = client.get("/download_file/" + "0" * 32 + ".talk.srt")
    assert (gone.status_code, gone.json()) == (
        404,
        {"error": "Invalid request: file not found or expired"},
    )


def test_a_docx_goes_through_the_file_route(client: TestClient) -> None:
    document = Document()
    document.add_paragraph("The mayor spoke.")
    data = io.BytesIO()
    document.save(data)
    answer = _upload(client, "note.docx", data.getvalue())
    translated = Document(io.BytesIO(client.get(str(answer["translatedFileUrl"])).content))
    assert [p.text for p in translated.paragraphs] == ["THE MAYOR SPOKE."]


def test_a_docx_comes_back_with_its_headers_footers_and_footnotes_translated(
    client: TestClient,
) -> None:
    source = build_docx_with_stories()
    answer = _upload(client, "note.docx", source, source="en")
    translated = client.get(str(answer["translatedFileUrl"])).content
    members = docx_story_members(source)
    for member in [*members, "word/document.xml"]:
        assert skeleton(translated, member) == skeleton(source, member)
    for member in members:
        before, after = docx_story_runs(source, member), docx_story_runs(translated, member)
        assert [style for style, _ in after] == [style for style, _ in before]
        assert (
            "".join(text for _, text in after).strip()
            == "".join(text.upper() for _, text in before).strip()
        )


def test_an_odp_keeps_its_slides_structure_and_styles(client: TestClient) -> None:
    source = build_odp()
    answer = _upload(client, "talk.odp", source)
    translated = client.get(str(answer["translatedFileUrl"])).content
    for member in ("content.xml", "styles.xml"):
        assert skeleton(translated, member) == skeleton(source, member)
    assert odt_text(translated) == [
        "THE CITY BUDGET",
        "THE MAYOR SPOKE.",
        "THE COUNCIL SAID THAT THE NEW PARK WILL OPEN NEXT WEEK.",
        "NAME",
        "BUDGET",
        "THE BIG HOUSE",
        "TEN MILLION DOLLARS",
        "SPEAK SLOWLY.",
    ]
    # The pipeline may move a space across a run's edge: the words are what each run keeps.
    assert [(style, text.strip()) for style, text in odt_styled_spans(translated)] == [
        ("Bold", "THE NEW PARK"),
        ("Italic", "NEXT WEEK"),
    ]


def test_a_pptx_keeps_its_slides_structure_and_styles(client: TestClient) -> None:
    source = build_pptx()
    answer = _upload(client, "talk.pptx", source)
    translated = client.get(str(answer["translatedFileUrl"])).content
    for member in ("ppt/slides/slide1.xml", "ppt/notesSlides/notesSlide1.xml"):
        assert skeleton(translated, member) == skeleton(source, member)
    assert pptx_text(translated) == [
        "THE CITY BUDGET",
        "THE MAYOR SPOKE.",
        "THE COUNCIL SAID THAT THE NEW PARK WILL OPEN NEXT WEEK.",
        "CITY NEWS",
        "NAME",
        "BUDGET",
        "THE BIG HOUSE",
        "TEN MILLION DOLLARS",
        "SPEAK SLOWLY.",
    ]
    assert [(style, text.strip()) for style, text in pptx_styled_runs(translated)] == [
        ("bold", "THE NEW PARK"),
        ("italic", "NEXT WEEK"),
    ]


@pytest.mark.parametrize(
    ("name", "build"),
    [("a.odp", build_odt), ("a.pptx", build_docx), ("a.odt", build_pptx), ("a.docx", build_odp)],
)
def test_an_office_file_named_as_another_kind_is_refused(
    client: TestClient, name: str, build: object
) -> None:
    assert (
        _upload(client, name, build())
        == {  # type: ignore[operator]
            "status": 400,
            "error": f"Invalid request: the file is not a readable {name[1:]} file",
        }
    )


@pytest.mark.parametrize(
    ("name", "data", "fields", "status", "error"),
    [
        ("a.pdf", b"%PDF-1.4", {}, 400, "Invalid request: file format not supported"),
        ("a.epub", b"PK\x03\x04", {}, 400, "Invalid request: file format not supported"),
        ("a.txt", b"", {}, 400, "Invalid request: empty file"),
        ("a.docx", b"not a zip", {}, 400, "Invalid request: the file is not a readable .docx file"),
        (
            "a.pptx",
            b"PK\x03\x04",
            {},
            400,
            "Invalid request: the file is not a readable .pptx file",
        ),
        ("a.odp", b"not a zip", {}, 400, "Invalid request: the file is not a readable .odp file"),
        ("a.txt", b"Hi.", {"source": "de"}, 400, "unsupported language pair: de→es"),
    ],
)
def test_files_that_cannot_be_translated_get_libretranslates_error_shape(
    client: TestClient, name: str, data: bytes, fields: dict[str, str], status: int, error: str
) -> None:
    assert _upload(client, name, data, **fields) == {"status": status, "error": error}


def test_file_routes_refuse_a_missing_file_or_target(client: TestClient) -> None:
    no_file = client.post("/translate_file", data={"target": "es"})
    assert no_file.json() == {"error": "Invalid request: missing file parameter"}
    no_target = client.post("/translate_file", files={"file": ("a.txt", b"Hi.")})
    assert no_target.json() == {"error": "Invalid request: missing target parameter"}


def test_files_over_the_cap_or_switched_off_are_refused(settings: Settings) -> None:
    small = settings.model_copy(update={"max_file_bytes": 10})
    with TestClient(create_app(small, fake_registry())) as client:
        assert _upload(client, "a.txt", b"x" * 11) == {
            "status": 413,
            "error": "file is larger than 10 bytes",
        }
    off = settings.model_copy(update={"files_translation": False})
    with TestClient(create_app(off, fake_registry())) as client:
        assert _upload(client, "a.txt", b"Hi.") == {
            "status": 403,
            "error": "Files translation are disabled on this server.",
        }
        assert client.get("/frontend/settings").json()["supportedFilesFormat"] == []


@pytest.mark.parametrize("name", ["a.docx", "a.pptx", "a.odt", "a.odp"])
def test_an_office_file_that_unpacks_past_the_cap_is_refused_before_parsing(
    settings: Settings, name: str
) -> None:
    build = {"a.docx": build_docx, "a.pptx": build_pptx, "a.odt": build_odt, "a.odp": build_odp}
    real = build[name]()
    small = settings.model_copy(update={"max_file_bytes": 100_000, "max_unpacked_bytes": 2_000_000})
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(real)) as source, zipfile.ZipFile(bomb, "w") as packed:
        for part in source.infolist():
            packed.writestr(part, source.read(part))
        # 3 MB of one byte: a few kilobytes packed, under the upload cap.
        packed.writestr("padding.xml", b" " * 3_000_000, zipfile.ZIP_DEFLATED)
    assert len(bomb.getvalue()) < 100_000
    with TestClient(create_app(small, fake_registry())) as client:
        assert _upload(client, name, bomb.getvalue()) == {
            "status": 413,
            "error": "file unpacks to more than 2000000 bytes",
        }
        # The real document, well under the ratio, goes through.
        assert _upload(client, name, real)["status"] == 200


def test_the_new_routes_take_the_key_in_the_body_like_translate(settings: Settings) -> None:
    keyed = settings.model_copy(update={"require_client_key": True})
    with TestClient(create_app(keyed, fake_registry())) as client:
        store: ReviewStore = client.app.state.runtime.review  # type: ignore[attr-defined]
        key, _ = store.create_key("client", "cms")
        refused = client.post("/detect", data={"q": "Hello there."})
        assert (refused.status_code, refused.json()) == (
            400,
            {"error": "Please contact the server operator to get an API key"},
        )
        invalid = _upload(client, "a.srt", SRT.encode(), api_key="nd_not-a-key")
        assert invalid == {"status": 403, "error": "Invalid API key"}
        assert client.post("/detect", data={"q": "Hello there.", "api_key": key}).status_code == 200
        answer = _upload(client, "a.srt", SRT.encode(), api_key=key, source="en")
        assert answer["status"] == 200
        # The download's random name is its key, as in LibreTranslate.
        assert client.get(str(answer["translatedFileUrl"])).status_code == 200
        assert client.get("/frontend/settings").json()["keyRequired"] is True
