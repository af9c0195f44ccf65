"""API keys and roles: 401 without a key, 403 with too small a role; stable messages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers.review_helpers import (
    ARTICLE,
    Keys,
    auth,
    make_keys,
    open_client,
    secured_settings,
    store_of,
)

MISSING = {"detail": "missing API key: send it in the X-API-Key header"}
INVALID = {"detail": "invalid or revoked API key"}
NEEDS_EDITOR = {"detail": "this action needs the editor role"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from open_client(secured_settings(tmp_path))


@pytest.fixture
def keys(client: TestClient) -> Keys:
    return make_keys(client)


WRITES = [
    ("/v1/articles", ARTICLE),
    ("/v1/translate", {"text": "Hello.", "source": "en", "target": "es"}),
    ("/v1/summarize", {"text": "One. Two.", "lang": "en"}),
]


@pytest.mark.parametrize(("path", "payload"), WRITES)
def test_write_endpoints_without_a_key_get_401(
    client: TestClient, keys: Keys, path: str, payload: dict[str, object]
) -> None:
    response = client.post(path, json=payload)
    assert (response.status_code, response.json()) == (401, MISSING)
    response = client.post(path, json=payload, headers=auth("nd_not-a-key"))
    assert (response.status_code, response.json()) == (401, INVALID)
    assert client.post(path, json=payload, headers=auth(keys.client)).status_code == 200


def test_libretranslate_route_takes_the_key_in_the_body_or_header(
    client: TestClient, keys: Keys
) -> None:
    query = {"q": "Hello.", "source": "en", "target": "es"}
    # Refused as LibreTranslate refuses: 400 without a key, 403 with a wrong one.
    response = client.post("/translate", json=query)
    assert (response.status_code, response.json()) == (
        400,
        {"error": "Please contact the server operator to get an API key"},
    )
    wrong = client.post("/translate", json={**query, "api_key": "nd_not-a-key"})
    assert (wrong.status_code, wrong.json()) == (403, {"error": "Invalid API key"})
    header = client.post("/translate", json=query, headers=auth("nd_not-a-key"))
    assert (header.status_code, header.json()) == (403, {"error": "Invalid API key"})
    assert client.post("/translate", json={**query, "api_key": keys.client}).json() == {
        "translatedText": "HELLO."
    }
    form = client.post("/translate", data={**query, "api_key": keys.client})
    assert form.status_code == 200 and form.json()["translatedText"] == "HELLO."
    assert client.post("/translate", json=query, headers=auth(keys.client)).status_code == 200


def test_article_reads_need_a_client_key(client: TestClient, keys: Keys) -> None:
    # Stored articles are unpublished drafts: reading one needs a key like writing one.
    client.post("/v1/articles", json=ARTICLE, headers=auth(keys.client))
    anonymous = client.get("/v1/articles/paris-talks")
    assert (anonymous.status_code, anonymous.json()) == (401, MISSING)
    wrong = client.get("/v1/articles/paris-talks", headers=auth("nd_not-a-key"))
    assert (wrong.status_code, wrong.json()) == (401, INVALID)
    read = client.get("/v1/articles/paris-talks", headers=auth(keys.client))
    assert read.status_code == 200 and read.json()["id"] == "paris-talks"
    missing = client.get("/v1/articles/nothing-here")
    assert missing.status_code == 401  # no key, no telling which ids exist


def test_health_and_languages_stay_open(client: TestClient, keys: Keys) -> None:
    assert client.get("/healthz").status_code == 200
    languages = client.get("/languages")
    assert languages.status_code == 200 and {
        "code": "en",
        "name": "English",
        "targets": ["es"],
    } in (languages.json())


def test_review_writes_need_an_editor(client: TestClient, keys: Keys) -> None:
    client.post("/v1/articles", json=ARTICLE, headers=auth(keys.client))
    head = store_of(client).view("paris-talks", "es").head.id
    base = "/v1/articles/paris-talks/versions/es"
    calls = [
        ("PATCH", base, {"expected_revision": head, "title": "Hola"}),
        ("POST", base + "/approve", {}),
        ("POST", base + "/reject", {"comment": "no"}),
    ]
    for method, url, payload in calls:
        anonymous = client.request(method, url, json=payload)
        assert (anonymous.status_code, anonymous.json()) == (401, MISSING), url
        as_client = client.request(method, url, json=payload, headers=auth(keys.client))
        assert (as_client.status_code, as_client.json()) == (403, NEEDS_EDITOR), url
    assert store_of(client).view("paris-talks", "es").version.state == "machine_draft"
    approved = client.post(base + "/approve", json={}, headers=auth(keys.admin))
    assert approved.status_code == 200 and approved.json()["state"] == "approved"


def test_review_reads_need_an_editor_too(client: TestClient, keys: Keys) -> None:
    assert client.get("/v1/reviews").status_code == 401
    assert client.get("/v1/reviews", headers=auth(keys.client)).status_code == 403
    assert client.get("/v1/reviews", headers=auth(keys.editor)).status_code == 200


def test_revoked_key_is_refused(client: TestClient, keys: Keys) -> None:
    store = store_of(client)
    key, info = store.create_key("client", "old cms")
    assert client.post("/v1/translate", json=WRITES[1][1], headers=auth(key)).status_code == 200
    store.revoke_key(info.id)
    response = client.post("/v1/translate", json=WRITES[1][1], headers=auth(key))
    assert (response.status_code, response.json()) == (401, INVALID)


def test_keys_are_optional_for_clients_when_switched_off(tmp_path: Path) -> None:
    settings = secured_settings(tmp_path).model_copy(update={"require_client_key": False})
    for client in open_client(settings):
        assert client.post("/v1/articles", json=ARTICLE).status_code == 200
        # ...but review writes still need an editor.
        response = client.post("/v1/articles/paris-talks/versions/es/approve", json={})
        assert (response.status_code, response.json()) == (401, MISSING)
