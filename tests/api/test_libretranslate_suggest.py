"""LibreTranslate's `POST /suggest`: a client's suggested translation becomes a draft revision in
the review queue, seen by editors through the review API and page, applied to nothing (memory,
cache, readers) before an editor approves it; refusals in LibreTranslate's shape, and the keys
and limits of the other LibreTranslate routes. On SQLite and PostgreSQL where it matters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.pipeline.suggest import suggestion_id
from tests.helpers.review_helpers import (
    Keys,
    auth,
    make_keys,
    open_client,
    open_client_on,
    page_login,
    secured_settings,
    store_of,
)

SEGMENT = "The mayor spoke on Monday."
SUGGESTED = "La alcaldesa habló el lunes."
ARTICLE_ID = suggestion_id("en", "es", SEGMENT)
VERSION = f"/v1/articles/{ARTICLE_ID}/versions/es"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    yield from open_client_on(request.param, tmp_path)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from open_client(secured_settings(tmp_path))


def _suggest(client: TestClient, key: str | None, **fields: Any) -> tuple[int, Any]:
    body = {"q": SEGMENT, "s": SUGGESTED, "source": "en", "target": "es", **fields}
    if key is not None:
        body["api_key"] = key
    response = client.post("/suggest", json=body)
    return response.status_code, response.json()


def _revisions(client: TestClient, keys: Keys, version: str = VERSION) -> dict[str, Any]:
    listing = client.get(version + "/revisions", headers=auth(keys.editor))
    assert listing.status_code == 200, listing.text
    found: dict[str, Any] = listing.json()
    return found


def test_a_suggestion_is_a_draft_in_the_review_queue(db_client: TestClient) -> None:
    keys = make_keys(db_client)
    assert _suggest(db_client, keys.client) == (200, {"success": True})
    queue = db_client.get("/v1/reviews", headers=auth(keys.editor)).json()
    (item,) = queue["items"]
    assert (item["article_id"], item["lang"], item["source_lang"]) == (ARTICLE_ID, "es", "en")
    assert (item["state"], item["head_kind"], item["head_author"]) == (
        "in_review",
        "suggestion",
        "cms",
    )
    listing = _revisions(db_client, keys)
    machine, suggestion = listing["revisions"]
    # The editor sees what the engine wrote (the fake's upper case) and, on it, the suggestion.
    assert (machine["kind"], machine["body"]) == ("machine", SEGMENT.upper())
    assert (suggestion["kind"], suggestion["author"], suggestion["body"]) == (
        "suggestion",
        "cms",
        SUGGESTED,
    )
    assert suggestion["parent"] == machine["id"] == listing["revisions"][0]["id"]
    assert listing["head_revision"] == suggestion["id"]
    diff = db_client.get(VERSION + "/diff", headers=auth(keys.editor)).json()
    assert (diff["old_revision"], diff["new_revision"]) == (machine["id"], suggestion["id"])


def test_nothing_is_applied_before_an_editor_approves(db_client: TestClient) -> None:
    keys = make_keys(db_client)
    query = {"q": SEGMENT, "source": "en", "target": "es", "api_key": keys.client}
    assert db_client.post("/translate", json=query).json() == {"translatedText": SEGMENT.upper()}
    assert _suggest(db_client, keys.client)[0] == 200
    # Neither the memory, nor the cache, nor a reader of the segment's article gets it.
    assert db_client.post("/translate", json=query).json() == {"translatedText": SEGMENT.upper()}
    assert store_of(db_client).tm_entries("en", "es") == []
    read = db_client.get(f"/v1/articles/{ARTICLE_ID}", headers=auth(keys.client)).json()
    assert read["versions"]["es"]["body"] == SEGMENT.upper()
    approved = db_client.post(VERSION + "/approve", json={}, headers=auth(keys.editor))
    assert approved.status_code == 200 and approved.json()["memory_entries"] == 1
    assert store_of(db_client).tm_entries("en", "es") == [(SEGMENT, SUGGESTED, "ana")]
    assert db_client.post("/translate", json=query).json() == {"translatedText": SUGGESTED}


def test_a_second_suggestion_adds_a_revision_and_never_replaces_an_editors_save(
    db_client: TestClient,
) -> None:
    keys = make_keys(db_client)
    assert _suggest(db_client, keys.client)[0] == 200
    # The same segment with other spacing is the same segment: one article.
    spaced = "  The mayor   spoke\ton Monday.  "
    assert _suggest(db_client, keys.client, q=spaced, s="El alcalde habló el lunes.")[0] == 200
    listing = _revisions(db_client, keys)
    assert [r["kind"] for r in listing["revisions"]] == ["machine", "suggestion", "suggestion"]
    head = listing["head_revision"]
    saved = db_client.patch(
        VERSION,
        json={"expected_revision": head, "body": "El alcalde habló el lunes por la tarde."},
        headers=auth(keys.editor),
    )
    assert saved.status_code == 200
    assert _suggest(db_client, keys.client, s="Habló el alcalde.")[0] == 200
    listing = _revisions(db_client, keys)
    bodies = [(r["kind"], r["body"]) for r in listing["revisions"]]
    assert bodies[3:] == [
        ("human", "El alcalde habló el lunes por la tarde."),
        ("suggestion", "Habló el alcalde."),
    ]
    assert listing["head_revision"] == saved.json()["head_revision"]
    assert db_client.get("/v1/reviews", headers=auth(keys.editor)).json()["total"] == 1


def test_concurrent_suggestions_from_several_clients_are_all_kept(db_client: TestClient) -> None:
    keys = make_keys(db_client)
    store = store_of(db_client)
    clients = {f"app-{n}": store.create_key("client", f"app-{n}")[0] for n in range(6)}

    def send(name: str) -> tuple[int, Any]:
        return _suggest(db_client, clients[name], s=f"Sugerencia de {name}.")

    with ThreadPoolExecutor(len(clients)) as pool:
        answers = list(pool.map(send, clients))
    assert answers == [(200, {"success": True})] * len(clients)
    suggestions = [r for r in _revisions(db_client, keys)["revisions"] if r["kind"] == "suggestion"]
    assert sorted((r["author"], r["body"]) for r in suggestions) == sorted(
        (name, f"Sugerencia de {name}.") for name in clients
    )
    assert len([r for r in _revisions(db_client, keys)["revisions"] if r["kind"] == "machine"]) == 1


def test_source_auto_is_detected(client: TestClient) -> None:
    keys = make_keys(client)
    spanish = "El ayuntamiento aprobó el presupuesto el martes."
    answer = _suggest(
        client,
        keys.client,
        q=spanish,
        s="The council passed the budget.",
        source="auto",
        target="en",
    )
    assert answer == (200, {"success": True})
    article_id = suggestion_id("es", "en", spanish)
    listing = _revisions(client, keys, f"/v1/articles/{article_id}/versions/en")
    assert listing["revisions"][-1]["body"] == "The council passed the budget."


def test_form_fields_work_as_libretranslates_web_page_sends_them(client: TestClient) -> None:
    keys = make_keys(client)
    form = {"q": SEGMENT, "s": SUGGESTED, "source": "en", "target": "es", "api_key": keys.client}
    response = client.post("/suggest", data=form)
    assert (response.status_code, response.json()) == (200, {"success": True})


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"q": ""}, "Invalid request: missing q parameter"),
        ({"s": "   "}, "Invalid request: missing s parameter"),
        ({"source": None}, "Invalid request: missing source parameter"),
        ({"target": ""}, "Invalid request: missing target parameter"),
        ({"q": ["a", "b"]}, "Invalid request: q must be a string"),
        ({"s": 3}, "Invalid request: s must be a string"),
        ({"target": "de"}, "de is not supported"),
        ({"source": "fr"}, "fr is not supported"),
        ({"target": "en"}, "Invalid request: source and target languages are the same"),
        # Detected as English, the language it is suggested in.
        (
            {"source": "auto", "target": "en"},
            "Invalid request: source and target languages are the same",
        ),
    ],
)
def test_bad_input_gets_400_in_libretranslates_shape(
    client: TestClient, fields: dict[str, Any], error: str
) -> None:
    keys = make_keys(client)
    assert _suggest(client, keys.client, **fields) == (400, {"error": error})
    assert store_of(client).queue().total == 0


def test_hostile_input_is_cleaned_and_shown_inert(client: TestClient) -> None:
    keys = make_keys(client)
    hostile = {
        "q": "The\x07 mayor spoke on Monday.\x7f",
        "s": "<script>alert(1)</script>La\x00 alcaldesa\x1b habló\ud800.",
        "source": "en",
        "target": "es",
        "api_key": keys.client,
    }
    # JSON can carry a lone surrogate (escaped); UTF-8 cannot.
    answer = client.post(
        "/suggest", content=json.dumps(hostile), headers={"content-type": "application/json"}
    )
    assert (answer.status_code, answer.json()) == (200, {"success": True})
    listing = _revisions(client, keys)
    # Control characters gone, the lone surrogate U+FFFD, the markup plain text.
    assert listing["revisions"][-1]["body"] == "<script>alert(1)</script>La alcaldesa habló\ufffd."
    page_login(client)
    page = client.get(f"/review/articles/{ARTICLE_ID}/es").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Client suggestion (cms)" in page
    not_utf8 = client.post(
        "/suggest",
        content=b"q=%FF%FE&s=x&source=en&target=es",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert (not_utf8.status_code, not_utf8.json()) == (
        400,
        {"error": "request body is not valid UTF-8"},
    )


def test_over_the_text_limit_is_refused(tmp_path: Path) -> None:
    small = secured_settings(tmp_path).model_copy(update={"max_text_chars": 10})
    for client in open_client(small):
        keys = make_keys(client)
        status, body = _suggest(client, keys.client)
        assert status == 413 and "error" in body
        assert store_of(client).queue().total == 0


def test_switched_off_suggestions_get_403_and_the_settings_say_so(tmp_path: Path) -> None:
    off = secured_settings(tmp_path).model_copy(update={"suggestions": False})
    for client in open_client(off):
        keys = make_keys(client)
        assert _suggest(client, keys.client) == (
            403,
            {"error": "Suggestions are disabled on this server."},
        )
        assert client.get("/frontend/settings").json()["suggestions"] is False
        assert store_of(client).queue().total == 0


def test_the_settings_say_suggestions_are_on_by_default(client: TestClient) -> None:
    assert client.get("/frontend/settings").json()["suggestions"] is True


def test_keys_are_refused_as_libretranslate_refuses_them(client: TestClient) -> None:
    keys = make_keys(client)
    missing = (400, {"error": "Please contact the server operator to get an API key"})
    invalid = (403, {"error": "Invalid API key"})
    assert _suggest(client, None) == missing
    assert _suggest(client, "nd_not-a-key") == invalid
    store = store_of(client)
    key, info = store.create_key("client", "old app")
    assert _suggest(client, key) == (200, {"success": True})
    store.revoke_key(info.id)
    assert _suggest(client, key) == invalid
    header = client.post(
        "/suggest",
        json={"q": SEGMENT, "s": SUGGESTED, "source": "en", "target": "es"},
        headers=auth(keys.client),
    )
    assert header.status_code == 200
    suggestions = [r for r in _revisions(client, keys)["revisions"] if r["kind"] == "suggestion"]
    assert [r["author"] for r in suggestions] == ["old app", "cms"]


def test_without_required_keys_the_author_is_a_generic_client(tmp_path: Path) -> None:
    open_settings = secured_settings(tmp_path).model_copy(update={"require_client_key": False})
    for client in open_client(open_settings):
        keys = make_keys(client)
        assert _suggest(client, None) == (200, {"success": True})
        head = _revisions(client, keys)["revisions"][-1]
        assert (head["kind"], head["author"]) == ("suggestion", "libretranslate-client")


def test_suggestions_count_against_the_keys_limits(client: TestClient) -> None:
    store = store_of(client)
    key, _ = store.create_key("client", "slow", rpm=1)
    assert _suggest(client, key)[0] == 200
    status, body = _suggest(client, key)
    assert (status, body) == (
        429,
        {"error": "rate limit exceeded: 1 requests per minute for this key"},
    )
