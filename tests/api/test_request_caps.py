"""The pipeline's request caps as clients see them: 413 with the fixed message, 400 for markup."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.config import Settings
from tests.conftest import fake_registry


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    capped = settings.model_copy(update={"max_text_chars": 400, "max_sentences_per_request": 4})
    with TestClient(create_app(capped, fake_registry())) as test_client:
        yield test_client


def test_translate_over_the_caps_is_413(client: TestClient) -> None:
    ok = client.post("/v1/translate", json={"text": ["One. Two.", "Three."], "target": "es"})
    assert ok.status_code == 200
    long = client.post("/v1/translate", json={"text": ["x" * 300, "y" * 101], "target": "es"})
    assert long.status_code == 413
    assert long.json() == {"detail": "text is longer than 400 characters"}
    many = client.post(
        "/v1/translate", json={"text": "One. Two. Three. Four. Five.", "target": "es"}
    )
    assert many.status_code == 413
    assert many.json() == {"detail": "request has more than 4 sentences"}


def test_libretranslate_over_the_caps_is_413_in_its_error_shape(client: TestClient) -> None:
    body = {"q": "One. Two. Three. Four. Five.", "source": "en", "target": "es"}
    response = client.post("/translate", json=body)
    assert response.status_code == 413
    assert response.json() == {"error": "request has more than 4 sentences"}


def test_articles_over_the_sentence_cap_are_413(client: TestClient) -> None:
    article = {"title": "Title", "body": "<p>One. Two.</p><p>Three. Four.</p>", "source_lang": "en"}
    response = client.post("/v1/articles", json={**article, "summary": False})
    assert response.status_code == 413
    assert response.json() == {"detail": "request has more than 4 sentences"}


def test_markup_too_deep_is_400(client: TestClient) -> None:
    html = "<b>" * 101 + "text"
    response = client.post(
        "/v1/translate", json={"text": html, "source": "en", "target": "es", "format": "html"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "markup is nested deeper than 100 levels"}
