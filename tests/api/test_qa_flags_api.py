"""QA flags through the API: a draft with an untranslated word, a changed number and a dropped
link gets one flag of the right kind for each, stored with its revision; the queue counts them;
an editor's save is checked again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from tests.conftest import fake_registry
from tests.helpers.fakes import FlawedTranslator
from tests.helpers.review_helpers import QA_ARTICLE, Keys, auth, make_keys, secured_settings

VERSION = "/v1/articles/lab-fair/versions/es"
DRAFT_FLAGS = [
    ("body", 0, "untranslated", "hosted"),
    ("body", 1, "number", "45"),
    ("body", 2, "link", "https://example.org/lab"),
]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    registry = fake_registry(FlawedTranslator())
    with TestClient(create_app(secured_settings(tmp_path), registry)) as client:
        yield client


@pytest.fixture
def keys(client: TestClient) -> Keys:
    return make_keys(client)


def _flags(version: dict[str, Any]) -> list[tuple[str, int | None, str, str]]:
    return [(f["field"], f["paragraph"], f["kind"], f["source"]) for f in version["qa"]]


def test_a_flawed_draft_gets_one_flag_of_the_right_kind_for_each_flaw(
    client: TestClient, keys: Keys
) -> None:
    posted = client.post("/v1/articles", json=QA_ARTICLE, headers=auth(keys.client))
    assert posted.status_code == 200
    versions = posted.json()["versions"]
    assert _flags(versions["es"]) == DRAFT_FLAGS
    assert versions["en"]["qa"] == []
    assert all(f["message"] for f in versions["es"]["qa"])
    # Stored with the revision: the article as read, and a repeat answered from the cache.
    stored = client.get("/v1/articles/lab-fair", headers=auth(keys.client)).json()
    assert _flags(stored["versions"]["es"]) == DRAFT_FLAGS
    again = client.post("/v1/articles", json=QA_ARTICLE, headers=auth(keys.client)).json()
    assert again["cached"] is True and _flags(again["versions"]["es"]) == DRAFT_FLAGS
    revisions = client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()
    assert _flags(revisions["revisions"][-1]) == DRAFT_FLAGS


def test_the_queue_shows_each_drafts_flag_count(client: TestClient, keys: Keys) -> None:
    client.post("/v1/articles", json=QA_ARTICLE, headers=auth(keys.client))
    clean = {"id": "clean", "title": "The staff met.", "body": "", "source_lang": "en"}
    client.post("/v1/articles", json=clean, headers=auth(keys.client))
    queue = client.get("/v1/reviews", headers=auth(keys.editor)).json()
    counts = {item["article_id"]: item["qa_count"] for item in queue["items"]}
    assert counts == {"lab-fair": 3, "clean": 0}


def test_an_editors_save_is_checked_again(client: TestClient, keys: Keys) -> None:
    client.post("/v1/articles", json=QA_ARTICLE, headers=auth(keys.client))
    head = client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()["head_revision"]
    body = (
        "<p>El laboratorio acogió la feria.</p><p>Tuvo 54 visitantes.</p>"
        "<p>Detalles en https://example.org/lab hoy.</p><p>El personal se reunió el March 3.</p>"
    )
    saved = client.patch(
        VERSION, json={"expected_revision": head, "body": body}, headers=auth(keys.editor)
    )
    assert saved.status_code == 200
    assert _flags(saved.json()["revision"]) == [
        ("body", 1, "number", "45"),
        ("body", 3, "month_name", "March"),
    ]
    stored = client.get("/v1/articles/lab-fair", headers=auth(keys.client)).json()
    assert len(stored["versions"]["es"]["qa"]) == 2
    queue = client.get("/v1/reviews", headers=auth(keys.editor)).json()
    assert queue["items"][0]["qa_count"] == 2
