"""The request boundary: hostile bytes are cleaned or refused with a message, never a 500; bodies
are capped with or without Content-Length; a crash still answers JSON and is counted."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.config import Settings
from tests.conftest import fake_registry
from tests.helpers.fakes import FakeTranslator
from tests.helpers.review_helpers import (
    ARTICLE,
    Keys,
    auth,
    make_keys,
    open_client,
    secured_settings,
)

CONTROLS = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\x7f\x85\x9f"
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")


@pytest.fixture
def engine() -> FakeTranslator:
    return FakeTranslator("en", "es", fn=str.upper)


@pytest.fixture
def client(settings: Settings, engine: FakeTranslator) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"max_body_bytes": 5000}), fake_registry(engine))
    with TestClient(app) as test_client:
        yield test_client


def _raw(client: TestClient, path: str, body: str) -> dict[str, object]:
    """POSTs a JSON text as written (json= would refuse lone surrogates)."""
    response = client.post(
        path,
        content=body.encode("utf-8", "surrogatepass"),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    data: dict[str, object] = response.json()
    return data


def test_lone_surrogates_are_replaced_on_every_json_endpoint(
    client: TestClient, engine: FakeTranslator
) -> None:
    article = _raw(
        client,
        "/v1/articles",
        '{"title": "Talks \\ud800 open", "body": "<p>They met \\udfff today.</p>", "source_lang": "en"}',
    )
    es = article["versions"]["es"]  # type: ignore[index]
    assert es["title"] == "TALKS \ufffd OPEN"  # type: ignore[index]
    translated = _raw(
        client, "/v1/translate", '{"text": "Hello \\ud800", "source": "en", "target": "es"}'
    )
    assert translated["translation"] == "HELLO \ufffd"
    libre = _raw(client, "/translate", '{"q": "Hello \\ud800", "source": "en", "target": "es"}')
    assert libre["translatedText"] == "HELLO \ufffd"
    summary = _raw(client, "/v1/summarize", '{"text": "One \\ud800 sentence here.", "lang": "en"}')
    assert "\ufffd" in str(summary["summary"])
    assert all(NOT_TEXT.search(s) is None for s in engine.sentences)


@pytest.mark.parametrize("fmt", ["html", "text"])
def test_control_characters_never_reach_the_engine(
    client: TestClient, engine: FakeTranslator, fmt: str
) -> None:
    text = f"<p>Hello{CONTROLS} world. The mayor\x00 spoke.</p>"
    responses = [
        client.post(
            "/v1/articles",
            json={"title": "A\x01\x0b", "body": text, "format": fmt, "source_lang": "en"},
        ),
        client.post(
            "/v1/translate", json={"text": text, "source": "en", "target": "es", "format": fmt}
        ),
        client.post("/translate", json={"q": text, "source": "en", "target": "es", "format": fmt}),
        client.post("/translate", data={"q": text, "source": "en", "target": "es", "format": fmt}),
        client.post("/v1/summarize", json={"text": text, "lang": "en"}),
    ]
    for response in responses:
        assert response.status_code == 200, response.text
        assert NOT_TEXT.search(response.text.encode().decode("unicode_escape", "ignore")) is None
    assert engine.sentences and all(NOT_TEXT.search(s) is None for s in engine.sentences)
    assert (
        "HELLO WORLD."
        in client.post(
            "/v1/translate", json={"text": text, "source": "en", "target": "es", "format": fmt}
        ).json()["translation"]
    )


def test_private_use_markers_cannot_be_forged(client: TestClient) -> None:
    # U+E000.. are the pipeline's own inline-markup markers.
    body = "<p>Hello \ue000world\ue400 and \ue800 more.</p>"
    response = client.post(
        "/v1/translate", json={"text": body, "source": "en", "target": "es", "format": "html"}
    )
    assert response.status_code == 200
    assert response.json()["translation"] == "<p>HELLO WORLD AND MORE.</p>"


def test_body_is_capped_without_content_length(client: TestClient, engine: FakeTranslator) -> None:
    limit = 2 * 5000 + 65536

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(200):
            yield b"word " * 200
        yield b'", "source": "en", "target": "es"}'

    response = client.post(
        "/v1/translate", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": f"request is larger than {limit} bytes"}
    assert engine.calls == 0
    big = {"text": "word " * 20000, "source": "en", "target": "es"}
    response = client.post("/v1/summarize", json=big)
    assert response.status_code == 413
    assert response.json() == {"detail": f"request is larger than {limit} bytes"}
    libre = client.post("/translate", json={"q": "word " * 20000, "target": "es"})
    assert libre.status_code == 413
    assert libre.json() == {"error": f"request is larger than {limit} bytes"}


def test_deeply_nested_json_is_refused(client: TestClient) -> None:
    body = '{"text": ' + "[" * 20_000 + "]" * 20_000 + ', "target": "es"}'
    response = client.post(
        "/v1/translate", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "request body is nested too deeply"}


def test_invalid_utf8_in_a_form_is_refused(client: TestClient) -> None:
    response = client.post(
        "/translate",
        content=b"q=caf%C3&target=es",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert response.json() == {"error": "request body is not valid UTF-8"}


def _multipart(*parts: tuple[str, str | None, bytes]) -> bytes:
    body = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--xx\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
    return body + b"--xx--\r\n"


@pytest.mark.parametrize("path", ["/translate", "/detect", "/translate_file"])
def test_invalid_utf8_in_a_multipart_form_field_is_refused(client: TestClient, path: str) -> None:
    # Starlette would read these bytes as Latin-1 ("ÿþ") and translate them.
    body = _multipart(("q", None, b"\xff\xfecaf"), ("target", None, b"es"))
    response = client.post(
        path, content=body, headers={"content-type": "multipart/form-data; boundary=xx"}
    )
    assert (response.status_code, response.json()) == (
        400,
        {"error": "request body is not valid UTF-8"},
    )


def test_a_file_part_may_hold_any_bytes(client: TestClient) -> None:
    body = _multipart(("file", "a.docx", b"\xff\xfe not a zip"), ("target", None, b"es"))
    response = client.post(
        "/translate_file",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=xx"},
    )
    # Past the boundary: the route reads the file and finds it is not a Word document.
    assert response.json() == {"error": "Invalid request: the file is not a readable .docx file"}


def test_control_characters_in_paths_and_queries_are_refused(client: TestClient) -> None:
    for url in ("/v1/articles/a%00b", "/v1/articles/x%01", "/v1/reviews?state=%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json() == {"detail": "request path or query contains control characters"}


def test_an_unexpected_error_answers_json_and_is_counted(settings: Settings) -> None:
    def crash(text: str) -> str:
        raise KeyError(text)

    app = create_app(settings, fake_registry(FakeTranslator("en", "es", fn=crash)))
    with TestClient(app) as client:
        response = client.post(
            "/v1/translate", json={"text": "Hello.", "source": "en", "target": "es"}
        )
        assert response.status_code == 500
        assert response.json() == {"detail": "internal server error"}
        metrics = client.get("/metrics").text
    assert re.search(
        r'newsdesk_requests_total\{method="POST",route="/v1/translate",status="500"\} [1-9]',
        metrics,
    )


# -- integer bounds on the review API ----------------------------------------------------------


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[tuple[TestClient, Keys]]:
    for client in open_client(secured_settings(tmp_path)):
        keys = make_keys(client)
        assert (
            client.post("/v1/articles", json=ARTICLE, headers=auth(keys.client)).status_code == 200
        )
        yield client, keys


HUGE = 2**63 + 5


def test_integers_beyond_row_ids_are_422_not_500(secured: tuple[TestClient, Keys]) -> None:
    client, keys = secured
    editor = auth(keys.editor)
    base = "/v1/articles/paris-talks/versions/es"
    responses = [
        client.patch(base, json={"expected_revision": HUGE, "title": "x"}, headers=editor),
        client.patch(base, json={"expected_revision": -HUGE, "title": "x"}, headers=editor),
        client.get(f"{base}/diff?from={HUGE}&to=1", headers=editor),
        client.get(f"{base}/revisions/{HUGE}", headers=editor),
        client.get(f"/v1/reviews?offset={HUGE}", headers=editor),
        client.get(f"/v1/reviews?limit={HUGE}", headers=editor),
        client.post(
            f"{base}/reject", json={"comment": "no", "expected_revision": HUGE}, headers=editor
        ),
        client.post(f"{base}/approve", json={"expected_revision": HUGE}, headers=editor),
    ]
    for response in responses:
        assert response.status_code == 422, (response.request.url, response.text)
        assert "detail" in response.json()


def test_json_body_cleaning_keeps_clean_bodies_byte_for_byte(client: TestClient) -> None:
    # A clean body reaches the route untouched: numbers keep their JSON spelling, for one.
    payload = json.dumps({"text": ["Uno.", "Dos."], "source": "en", "target": "es"})
    response = client.post(
        "/v1/translate", content=payload, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert response.json()["translation"] == ["UNO.", "DOS."]


def test_an_html_reference_of_thousands_of_digits_is_text(client: TestClient) -> None:
    body = "<p>Hello &#" + "1" * 5000 + "; world.</p>"
    response = client.post(
        "/v1/translate", json={"text": body, "source": "en", "target": "es", "format": "html"}
    )
    assert response.status_code == 200, response.text
