"""Shared pieces of the review tests: an app with keys required, keys of each role, an article."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from service.app import create_app
from service.config import Settings
from service.store.review import ReviewStore
from tests.conftest import fake_registry
from tests.helpers.fakes import FakeTranslator

ARTICLE = {
    "id": "paris-talks",
    "title": "Talks open in Paris",
    "body": "<p>The talks begin in Paris on Monday. Ministers from five countries attend.</p>"
    "<p>The envoy will brief them on the <a href='https://example.org/m'>meeting</a>.</p>",
    "format": "html",
    "source_lang": "en",
}
EDITOR_PASSWORD = "correct horse battery"


@dataclass
class Keys:
    client: str
    editor: str
    admin: str
    editor2: str


def secured_settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        models_dir=tmp_path / "models",
        pairs="en-es,es-en",
        require_client_key=True,
        secret_key="test-secret",
    )


def open_client(settings: Settings) -> Iterator[TestClient]:
    registry = fake_registry(FakeTranslator("en", "es", fn=str.upper))
    with TestClient(create_app(settings, registry)) as client:
        yield client


def store_of(client: TestClient) -> ReviewStore:
    store: ReviewStore = client.app.state.runtime.review  # type: ignore[attr-defined]
    return store


def make_keys(client: TestClient) -> Keys:
    store = store_of(client)
    store.add_user("ana", "editor", EDITOR_PASSWORD)
    store.add_user("ben", "editor", EDITOR_PASSWORD)
    return Keys(
        client=store.create_key("client", "cms")[0],
        editor=store.create_key("editor", user="ana")[0],
        admin=store.create_key("admin", "ops")[0],
        editor2=store.create_key("editor", user="ben")[0],
    )


def auth(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


# An article FlawedTranslator translates with one flaw in each of its first three paragraphs.
QA_ARTICLE = {
    "id": "lab-fair",
    "title": "Lab opens to the public",
    "body": "<p>The lab hosted the fair.</p><p>It had 45 visitors.</p>"
    "<p>Details at https://example.org/lab today.</p><p>The staff met.</p>",
    "format": "html",
    "source_lang": "en",
    "summary": False,
}
