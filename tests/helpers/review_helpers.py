"""Shared pieces of the review tests: an app with keys required, keys of each role, an article."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from service.app import create_app
from service.config import Settings
from service.runtime import Runtime
from service.store.review import ReviewStore
from tests.conftest import fake_registry
from tests.helpers.fakes import FakeTranslator
from tests.helpers.services import postgres_schema

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


def open_client_on(backend: str, tmp_path: Path) -> Iterator[TestClient]:
    """The review API with keys required, on SQLite or on PostgreSQL (a schema of its own)."""
    settings = secured_settings(tmp_path)
    if backend == "sqlite":
        yield from open_client(settings)
        return
    with postgres_schema() as url:
        yield from open_client(settings.model_copy(update={"database_url": url}))


def posted(client: TestClient) -> Keys:
    """Keys of each role, and ARTICLE posted (its Spanish draft is the fake's upper case)."""
    keys = make_keys(client)
    assert client.post("/v1/articles", json=ARTICLE, headers=auth(keys.client)).status_code == 200
    return keys


def page_csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def page_login(client: TestClient, name: str = "ana") -> str:
    """Logs `name` in on the review page; the CSRF token its forms carry."""
    token = page_csrf(client.get("/review/login").text)
    response = client.post(
        "/review/login",
        data={"csrf_token": token, "name": name, "password": EDITOR_PASSWORD, "next": "/review"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return page_csrf(client.get("/review").text)


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


def open_store_runtime(
    tmp_path: Path,
    database_url: str,
    translate: Callable[[str], str] = str.upper,
    name: str = "fake",
    **settings: Any,
) -> Runtime:
    """The real pipeline and review store on `database_url`, with an en→es fake engine that
    writes `translate(sentence)`; `settings` override the test defaults (SQLite cache, no
    client key)."""
    defaults: dict[str, Any] = {"cache_backend": "sqlite", "require_client_key": False}
    config = Settings(
        data_dir=tmp_path / "var",
        models_dir=tmp_path / "models",
        database_url=database_url,
        **{**defaults, **settings},
    )
    forward = FakeTranslator("en", "es", translate, name=name)
    return Runtime.open(config, fake_registry(forward=forward))
