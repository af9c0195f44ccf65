"""The HTTP contract through TestClient, with fake engines (dependency: the registry)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.config import Settings
from service.pipeline.detect import language_confidences
from tests.conftest import fake_registry, pivot_registry
from tests.helpers.fakes import FakeTranslator

ARTICLE = {
    "id": "paris-talks",
    "title": "Talks open in Paris",
    "body": "<p>The talks begin on <a href='https://example.org/a'>Monday</a>. Ministers attend.</p>",
    "format": "html",
    "source_lang": "en",
}


@pytest.fixture
def engines() -> tuple[FakeTranslator, FakeTranslator]:
    return FakeTranslator("en", "es", fn=str.upper), FakeTranslator("es", "en", fn=str.lower)


@pytest.fixture
def client(
    settings: Settings, engines: tuple[FakeTranslator, FakeTranslator]
) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"max_body_bytes": 5000}), fake_registry(*engines))
    with TestClient(app) as test_client:
        yield test_client


def test_article_gets_both_versions_with_summaries_and_provenance(client: TestClient) -> None:
    response = client.post("/v1/articles", json=ARTICLE)
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == "paris-talks" and data["source_lang"] == "en" and data["cached"] is False
    es = data["versions"]["es"]
    assert es["title"] == "TALKS OPEN IN PARIS"
    assert es["body"] == (
        '<p>THE TALKS BEGIN ON <a href="https://example.org/a">MONDAY</a>. MINISTERS ATTEND.</p>'
    )
    assert es["summary"] and data["versions"]["en"]["summary"]
    assert es["provenance"]["translation"] == {"engine": "fake", "model": "fake", "revision": "1"}
    assert es["provenance"]["sentences"] == {"engine": 3}
    assert data["versions"]["en"]["provenance"]["original"] is True
    again = client.post("/v1/articles", json=ARTICLE).json()
    assert again["cached"] is True and again["versions"]["es"] == es
    stored = client.get("/v1/articles/paris-talks")
    assert stored.status_code == 200 and stored.json()["versions"]["es"]["title"] == es["title"]


def test_a_translation_has_exactly_the_markup_of_its_source(client: TestClient) -> None:
    """A client's own embeds, handlers and javascript: links stay in its translation as they
    are (README: they pass through); an engine's output cannot turn into markup."""
    body = (
        '<p>Read <a href="javascript:share()" onclick="track()">this</a>.</p>'
        '<script>embed()</script><p><img src="/a.jpg" onerror="fallback()"> Photo.</p>'
    )
    translated = (
        '<p>READ <a href="javascript:share()" onclick="track()">THIS</a>.</p>'
        '<script>embed()</script><p><img src="/a.jpg" onerror="fallback()"> PHOTO.</p>'
    )
    article = {**ARTICLE, "id": "own-markup", "body": body}
    assert client.post("/v1/articles", json=article).json()["versions"]["es"]["body"] == translated
    assert client.get("/v1/articles/own-markup").json()["versions"]["es"]["body"] == translated
    request = {"text": body, "source": "en", "target": "es", "format": "html"}
    assert client.post("/v1/translate", json=request).json()["translation"] == translated
    libre = {"q": body, "source": "en", "target": "es", "format": "html"}
    assert client.post("/translate", json=libre).json()["translatedText"] == translated


def test_an_engine_cannot_write_markup_into_a_translation(settings: Settings) -> None:
    inject = FakeTranslator("en", "es", fn=lambda s: s + ' <img src=x onerror="alert(1)">')
    with TestClient(create_app(settings, fake_registry(inject))) as client:
        out = client.post("/v1/articles", json=ARTICLE).json()["versions"]["es"]
        request = {"text": ARTICLE["body"], "source": "en", "target": "es", "format": "html"}
        translation = client.post("/v1/translate", json=request).json()["translation"]
    for html in (out["body"], translation):
        assert "<img" not in html and "&lt;img src=x onerror=" in html
    assert "<img" not in out["title"]


def test_language_is_detected_when_auto(client: TestClient) -> None:
    spanish = {
        "title": "El Gobierno aprueba el presupuesto",
        "body": "El Gobierno aprobó ayer el presupuesto para el próximo año, que incluye más "
        "dinero para la sanidad y la educación.",
        "format": "text",
    }
    data = client.post("/v1/articles", json=spanish).json()
    assert data["source_lang"] == "es"
    assert data["versions"]["en"]["title"] == "el gobierno aprueba el presupuesto"


@pytest.mark.parametrize(
    ("payload", "status", "detail"),
    [
        ({"title": "", "body": "  "}, 422, "article has neither title nor body"),
        ({"title": "Hi", "body": "x", "source_lang": "fr"}, 400, "unsupported language: fr"),
        ({"title": "Hi", "body": "x" * 6000}, 413, "article body is larger than 5000 bytes"),
        ({"title": 3, "body": "x"}, 422, "title: Input should be a valid string"),
    ],
)
def test_bad_articles_are_refused_with_a_message(
    client: TestClient,
    engines: tuple[FakeTranslator, FakeTranslator],
    payload: dict[str, object],
    status: int,
    detail: str,
) -> None:
    response = client.post("/v1/articles", json=payload)
    assert (response.status_code, response.json()["detail"]) == (status, detail)
    assert engines[0].calls == 0 and engines[1].calls == 0


def test_bodies_that_are_not_json_are_refused(client: TestClient) -> None:
    cases = [
        (b"{not json", "application/json", 400, "request body is not valid JSON"),
        (b'{"title": "\xff\xfe"}', "application/json", 400, "request body is not valid JSON"),
        (
            b"title=x",
            "application/x-www-form-urlencoded",
            415,
            "content type must be application/json",
        ),
    ]
    for body, content_type, status, detail in cases:
        response = client.post("/v1/articles", content=body, headers={"content-type": content_type})
        assert (response.status_code, response.json()["detail"]) == (status, detail)
    huge = client.post(
        "/v1/articles", content=b"x" * 80_000, headers={"content-type": "application/json"}
    )
    assert huge.status_code == 413


def test_unknown_article_is_404(client: TestClient) -> None:
    response = client.get("/v1/articles/nope")
    assert (response.status_code, response.json()["detail"]) == (404, "article not found: nope")


def test_translate_one_text_or_a_list(client: TestClient) -> None:
    one = client.post(
        "/v1/translate", json={"text": "Hello there.", "source": "en", "target": "es"}
    )
    assert one.json()["translation"] == "HELLO THERE."
    many = client.post(
        "/v1/translate",
        json={
            "text": ["<p>A <b>b</b>.</p>", "C."],
            "source": "en",
            "target": "es",
            "format": "html",
        },
    ).json()
    assert many["translation"] == ["<p>A <b>B</b>.</p>", "C."]
    assert many["provenance"]["translation"]["engine"] == "fake"


def test_unsupported_pairs_get_400(client: TestClient) -> None:
    for source, target in [("en", "fr"), ("de", "es"), ("en", "en")]:
        response = client.post(
            "/v1/translate", json={"text": "x", "source": source, "target": target}
        )
        assert (response.status_code, response.json()["detail"]) == (
            400,
            f"unsupported language pair: {source}→{target}",
        )


def test_summarize_route(client: TestClient) -> None:
    response = client.post("/v1/summarize", json={"text": "One two three.\n\nFour.", "lang": "en"})
    assert response.json() == {
        "summary": "One two three.",
        "provenance": {"engine": "fake-summary", "model": "first-sentence-en", "revision": "1"},
    }
    bad = client.post("/v1/summarize", json={"text": "x", "lang": "de"})
    assert (bad.status_code, bad.json()["detail"]) == (400, "unsupported language: de")


def test_summaries_through_english_translate_through_the_cache(settings: Settings) -> None:
    registry, es_en, _ = pivot_registry()
    text = "El Gobierno aprobó la ley. La oposición votó en contra.\n\nHabrá un recurso."
    with TestClient(create_app(settings, registry)) as client:
        first = client.post("/v1/summarize", json={"text": text, "lang": "es"})
        again = client.post("/v1/summarize", json={"text": text, "lang": "es"})
    assert first.status_code == 200 and again.json() == first.json()
    assert first.json()["summary"].startswith("ES[EN[El Gobierno aprobó la ley.]")
    assert first.json()["provenance"]["model"] == "first-sentence-en+fake+fake"
    # Each Spanish sentence reached the es->en engine once: the second request was all cache.
    assert len(es_en.sentences) == 3 == len(set(es_en.sentences))


def test_libretranslate_compatible_routes(client: TestClient) -> None:
    json_call = client.post("/translate", json={"q": "Hola.", "source": "es", "target": "en"})
    assert json_call.json() == {"translatedText": "hola."}
    form_call = client.post("/translate", data={"q": "Good day.", "source": "auto", "target": "es"})
    # The detector's own confidence, not a constant.
    assert form_call.json() == {
        "translatedText": "GOOD DAY.",
        "detectedLanguage": {
            "confidence": dict(language_confidences("Good day."))["en"],
            "language": "en",
        },
    }
    listed = client.post("/translate", json={"q": ["A.", "B."], "source": "en", "target": "es"})
    assert listed.json() == {"translatedText": ["A.", "B."]}
    missing = client.post("/translate", json={"source": "en", "target": "es"})
    assert missing.status_code == 400 and "error" in missing.json()
    assert client.get("/languages").json() == [
        {"code": "en", "name": "English", "targets": ["es"]},
        {"code": "es", "name": "Spanish", "targets": ["en"]},
    ]


def test_health_readiness_metrics_and_docs(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["ready"] is True and ready["pairs"]["en-es"]["engine"] == "fake"
    client.post("/v1/articles", json=ARTICLE)
    metrics = client.get("/metrics").text
    assert 'newsdesk_sentences_translated_total{engine="fake",pair="en-es"}' in metrics
    assert "newsdesk_request_seconds_bucket" in metrics
    assert 'newsdesk_cache_total{level="sentence",result="miss"}' in metrics
    schema = client.get("/openapi.json").json()
    assert "/v1/articles" in schema["paths"] and "/translate" in schema["paths"]
    assert client.get("/docs").status_code == 200


def test_readyz_is_503_when_a_pair_has_no_engine(settings: Settings) -> None:
    registry = fake_registry()
    registry.choices[-1].engine = None
    with TestClient(create_app(settings, registry)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["pairs"]["es-en"]["engine"] is None
    assert response.json()["status"] == "not_ready"
    assert response.json()["reasons"] == ["no engine for es-en: test"]
