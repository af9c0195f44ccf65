"""Saves based on an older revision through the review API: merged when they changed other
paragraphs than the saves since, 409 naming the paragraphs both changed otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.review_helpers import Keys, auth, open_client_on, posted

VERSION = "/v1/articles/paris-talks/versions/es"
FIRST = "THE TALKS BEGIN IN PARIS ON MONDAY."


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    yield from open_client_on(request.param, tmp_path)


def _machine(client: TestClient, keys: Keys) -> tuple[int, str]:
    listing = client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()
    return listing["head_revision"], listing["revisions"][-1]["body"]


def _save(client: TestClient, key: str, base: int, **fields: str) -> Any:
    return client.patch(VERSION, json={"expected_revision": base, **fields}, headers=auth(key))


def test_saves_on_one_base_touching_different_paragraphs_are_merged(
    db_client: TestClient,
) -> None:
    keys = posted(db_client)
    base, body = _machine(db_client, keys)
    ana_body = body.replace("MINISTERS FROM FIVE COUNTRIES ATTEND.", "Asisten cinco ministros.")
    ben_body = body.replace("THE ENVOY WILL BRIEF", "El enviado informará")
    ana = _save(db_client, keys.editor, base, body=ana_body)
    ben = _save(db_client, keys.editor2, base, body=ben_body, title="Conversaciones en París")
    assert ana.status_code == 200 and ana.json()["merged"] is False
    assert ben.status_code == 200
    saved = ben.json()
    assert saved["merged"] is True and saved["merged_with"] == ana.json()["head_revision"]
    revision = saved["revision"]
    assert revision["parent"] == ana.json()["head_revision"]
    assert "Asisten cinco ministros." in revision["body"]
    assert "El enviado informará" in revision["body"]
    assert revision["title"] == "Conversaciones en París"
    assert revision["provenance"]["merged"] == {"based_on": base, "with": saved["merged_with"]}
    # The summary is made again from the merged body, not from ben's alone.
    assert saved["summary_review"]["state"] == "regenerated"
    # Each paragraph says who wrote it.
    assert [p.get("editor") for p in revision["provenance"]["paragraphs"]] == ["ana", "ben"]
    listing = db_client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()
    assert listing["head_revision"] == revision["id"]
    assert not any(r["stale"] for r in listing["revisions"])


def test_saves_on_one_base_changing_the_same_paragraph_conflict(db_client: TestClient) -> None:
    keys = posted(db_client)
    base, body = _machine(db_client, keys)
    ana = _save(db_client, keys.editor, base, body=body.replace(FIRST, "Empiezan las charlas."))
    ben = _save(
        db_client,
        keys.editor2,
        base,
        body=body.replace(FIRST, "Comienzan las conversaciones.").replace(
            "THE ENVOY", "El enviado"
        ),
        title="Conversaciones en París",
    )
    assert ana.status_code == 200 and ben.status_code == 409
    head = ana.json()["head_revision"]
    kept = head + 1
    assert ben.json() == {
        "detail": f"revision {base} is out of date: ana saved revision {head} in between and "
        f"changed what you changed (paragraph 0); your text is kept as revision {kept}",
        "conflicts": {"paragraphs": [0], "fields": []},
        "head_revision": head,
        "kept_revision": kept,
    }
    listing = db_client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()
    assert listing["head_revision"] == head
    stale = [r for r in listing["revisions"] if r["stale"]]
    assert [(r["id"], r["author"], r["title"]) for r in stale] == [
        (kept, "ben", "Conversaciones en París")
    ]


def test_a_field_both_changed_is_named_too(db_client: TestClient) -> None:
    keys = posted(db_client)
    base, _ = _machine(db_client, keys)
    assert _save(db_client, keys.editor, base, title="Charlas en París").status_code == 200
    ben = _save(db_client, keys.editor2, base, title="Conversaciones en París")
    assert ben.status_code == 409
    assert ben.json()["conflicts"] == {"paragraphs": [], "fields": ["title"]}
    assert "changed what you changed (title)" in ben.json()["detail"]
