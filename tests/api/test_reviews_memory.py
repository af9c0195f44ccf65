"""What approval teaches the translation memory through the review API: the sentences an
editor changed, and those of the paragraphs they confirmed; never unchecked machine text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.review_helpers import Keys, auth, open_client_on, posted

VERSION = "/v1/articles/paris-talks/versions/es"
EDITED = "Asisten ministros de cinco países."


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    yield from open_client_on(request.param, tmp_path)


def _edit_first_paragraph(client: TestClient, keys: Keys) -> int:
    """Ana corrects the second sentence of ¶1 (index 0) and nothing else; the new head."""
    listing = client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()
    head = listing["head_revision"]
    body = listing["revisions"][-1]["body"]
    edited = body.replace("MINISTERS FROM FIVE COUNTRIES ATTEND.", EDITED)
    assert edited != body
    saved = client.patch(
        VERSION, json={"expected_revision": head, "body": edited}, headers=auth(keys.editor)
    )
    assert saved.status_code == 200
    revision: int = saved.json()["head_revision"]
    return revision


def _later(client: TestClient, keys: Keys, article_id: str, sentence: str) -> dict[str, Any]:
    """The Spanish version of a later article whose body is `sentence` alone."""
    article = {"id": article_id, "title": "Another day", "body": f"<p>{sentence}</p>"}
    response = client.post("/v1/articles", json=article, headers=auth(keys.client))
    assert response.status_code == 200
    version: dict[str, Any] = response.json()["versions"]["es"]
    return version


def test_approval_teaches_only_what_an_editor_changed(db_client: TestClient) -> None:
    keys = posted(db_client)
    head = _edit_first_paragraph(db_client, keys)
    approve = db_client.post(
        VERSION + "/approve", json={"expected_revision": head}, headers=auth(keys.editor)
    )
    assert approve.status_code == 200 and approve.json()["memory_entries"] == 1
    changed = _later(db_client, keys, "later-1", "Ministers from five countries attend.")
    assert changed["body"] == f"<p>{EDITED}</p>"
    assert changed["provenance"]["sentences"] == {"engine": 1, "tm": 1}
    # The machine's sentences beside it (¶1) and in ¶2 were approved, not checked.
    for article_id, sentence in [
        ("later-2", "The talks begin in Paris on Monday."),
        ("later-3", "The envoy will brief them on the meeting."),
    ]:
        unchecked = _later(db_client, keys, article_id, sentence)
        assert "tm" not in unchecked["provenance"]["sentences"]
        assert unchecked["body"] == f"<p>{sentence.upper()}</p>"


def test_confirm_all_teaches_the_whole_approved_text(db_client: TestClient) -> None:
    keys = posted(db_client)
    head = _edit_first_paragraph(db_client, keys)
    approve = db_client.post(
        VERSION + "/approve",
        json={"expected_revision": head, "confirm": "all"},
        headers=auth(keys.editor),
    )
    # Title, both sentences of ¶1 and the one of ¶2.
    assert approve.status_code == 200 and approve.json()["memory_entries"] == 4
    envoy = _later(db_client, keys, "later-3", "The envoy will brief them on the meeting.")
    assert envoy["provenance"]["sentences"].get("tm") == 1
    assert envoy["body"] == "<p>THE ENVOY WILL BRIEF THEM ON THE MEETING.</p>"
    ministers = _later(db_client, keys, "later-1", "Ministers from five countries attend.")
    assert ministers["provenance"]["sentences"].get("tm") == 1


def test_confirming_one_paragraph_teaches_that_paragraph(db_client: TestClient) -> None:
    keys = posted(db_client)
    head = _edit_first_paragraph(db_client, keys)
    approve = db_client.post(
        VERSION + "/approve",
        json={"expected_revision": head, "confirm": [1]},
        headers=auth(keys.editor),
    )
    assert approve.status_code == 200 and approve.json()["memory_entries"] == 2
    envoy = _later(db_client, keys, "later-3", "The envoy will brief them on the meeting.")
    assert envoy["provenance"]["sentences"].get("tm") == 1
    talks = _later(db_client, keys, "later-2", "The talks begin in Paris on Monday.")
    assert "tm" not in talks["provenance"]["sentences"]


def test_confirming_a_paragraph_the_body_lacks_is_refused_and_approves_nothing(
    db_client: TestClient,
) -> None:
    keys = posted(db_client)
    head = _edit_first_paragraph(db_client, keys)
    refused = db_client.post(
        VERSION + "/approve",
        json={"expected_revision": head, "confirm": [0, 2]},
        headers=auth(keys.editor),
    )
    assert (refused.status_code, refused.json()) == (
        400,
        {
            "detail": "confirm: paragraph 2 is out of range "
            "(the body has 2 paragraphs, numbered from 0)"
        },
    )
    state = db_client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()["state"]
    assert state == "in_review"
    bad = db_client.post(VERSION + "/approve", json={"confirm": "some"}, headers=auth(keys.editor))
    assert bad.status_code == 422


def test_approving_an_unedited_machine_draft_teaches_nothing(db_client: TestClient) -> None:
    keys = posted(db_client)
    approve = db_client.post(VERSION + "/approve", json={}, headers=auth(keys.editor))
    assert approve.status_code == 200 and approve.json()["memory_entries"] == 0
    talks = _later(db_client, keys, "later-2", "The talks begin in Paris on Monday.")
    assert "tm" not in talks["provenance"]["sentences"]


def test_near_matches_are_offered_with_their_score_never_applied(db_client: TestClient) -> None:
    keys = posted(db_client)
    head = _edit_first_paragraph(db_client, keys)
    db_client.post(
        VERSION + "/approve", json={"expected_revision": head}, headers=auth(keys.editor)
    )
    near = "Ministers from six countries attend."
    later = _later(db_client, keys, "later-4", near)
    assert later["body"] == f"<p>{near.upper()}</p>"  # the engine's, not the memory's
    assert "tm" not in later["provenance"]["sentences"]
    listing = db_client.get(
        "/v1/articles/later-4/versions/es/revisions", headers=auth(keys.editor)
    ).json()
    [suggestion] = listing["suggestions"]
    assert suggestion == {
        "field": "body",
        "paragraph": 0,
        "source": near,
        "match": "Ministers from five countries attend.",
        "target": EDITED,
        "score": suggestion["score"],
        "origin": "editor",
    }
    assert 0.75 <= suggestion["score"] < 1
    # Once the editor takes it, it is no longer offered.
    revision = listing["head_revision"]
    db_client.patch(
        "/v1/articles/later-4/versions/es",
        json={"expected_revision": revision, "body": f"<p>{EDITED}</p>"},
        headers=auth(keys.editor),
    )
    again = db_client.get(
        "/v1/articles/later-4/versions/es/revisions", headers=auth(keys.editor)
    ).json()
    assert again["suggestions"] == []
