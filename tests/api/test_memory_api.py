"""The editor-only memory and glossary routes (service/api/memory.py), and the TMX round trip:
import → a sentence from it translates with provenance `tm` → the export contains it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.store.memory_records import MemoryRecord
from service.store.tm_io import read_memory, tmx_origins, write_tmx
from tests.helpers.memory_files import FERRY_EN, FERRY_ES, FOREIGN_TMX, TERMS_CSV
from tests.helpers.review_helpers import Keys, auth, make_keys, open_client_on

WHEN = datetime(2026, 3, 4, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    yield from open_client_on(request.param, tmp_path)


def _import(client: TestClient, keys: Keys) -> dict[str, int]:
    body = {"format": "tmx", "source": "en", "target": "es", "content": FOREIGN_TMX.decode()}
    response = client.post("/v1/tm", json=body, headers=auth(keys.editor))
    assert response.status_code == 200, response.text
    counts: dict[str, int] = response.json()
    return counts


def test_tmx_round_trip(db_client: TestClient) -> None:
    keys = make_keys(db_client)
    assert _import(db_client, keys) == {
        "read": 2,
        "added": 2,
        "replaced": 0,
        "unchanged": 0,
        "kept": 0,
    }
    article = {"id": "ferry", "title": "Ferry news", "body": f"<p>{FERRY_EN}</p>"}
    posted = db_client.post("/v1/articles", json=article, headers=auth(keys.client))
    spanish = posted.json()["versions"]["es"]
    assert spanish["body"] == f"<p>{FERRY_ES}</p>"
    assert spanish["provenance"]["sentences"] == {"engine": 1, "tm": 1}
    exported = db_client.get("/v1/tm/export", headers=auth(keys.editor))
    assert exported.status_code == 200
    assert exported.headers["content-type"] == "application/x-tmx+xml"
    pairs = read_memory("export.tmx", exported.content, "en", "es")
    assert (FERRY_EN, FERRY_ES) in [(p.source, p.target) for p in pairs]
    assert tmx_origins(exported.content) == ["import", "import"]


def test_list_and_delete_entries(db_client: TestClient) -> None:
    keys = make_keys(db_client)
    _import(db_client, keys)
    entries = db_client.get("/v1/tm?origin=import", headers=auth(keys.editor)).json()["entries"]
    assert [(e["source"], e["origin"], e["editor"]) for e in entries][0] == (
        FERRY_EN,
        "import",
        "ana",
    )
    gone = db_client.delete(f"/v1/tm/{entries[0]['id']}", headers=auth(keys.editor))
    assert gone.status_code == 204
    again = db_client.delete(f"/v1/tm/{entries[0]['id']}", headers=auth(keys.editor))
    assert again.status_code == 404
    assert again.json()["detail"] == f"no memory entry {entries[0]['id']}"
    left = db_client.get("/v1/tm", headers=auth(keys.editor)).json()["entries"]
    assert [e["id"] for e in left] == [entries[1]["id"]]


def test_a_bad_file_is_a_400_with_its_message(db_client: TestClient) -> None:
    keys = make_keys(db_client)
    body = {"format": "csv", "content": "a,b\n"}
    response = db_client.post("/v1/tm", json=body, headers=auth(keys.editor))
    assert response.status_code == 400
    assert response.json()["detail"] == "not a TMX or CSV translation memory: upload.csv"


def test_archive_entries_wait_for_an_editors_confirmation(db_client: TestClient) -> None:
    keys = make_keys(db_client)
    record = MemoryRecord(1, "en", "es", FERRY_EN, FERRY_ES, "archive", "archive", WHEN)
    body = {"format": "tmx", "content": write_tmx([record]).decode()}
    assert db_client.post("/v1/tm", json=body, headers=auth(keys.editor)).json()["added"] == 1
    article = {"id": "ferry", "title": "Ferry news", "body": f"<p>{FERRY_EN}</p>"}
    before = db_client.post("/v1/articles", json=article, headers=auth(keys.client)).json()
    assert before["versions"]["es"]["body"] != f"<p>{FERRY_ES}</p>"
    suggested = db_client.get("/v1/articles/ferry/versions/es/revisions", headers=auth(keys.editor))
    [near] = suggested.json()["suggestions"]
    assert (near["target"], near["origin"], near["score"]) == (FERRY_ES, "archive", 1.0)
    waiting = db_client.get("/v1/tm?unconfirmed=true", headers=auth(keys.editor)).json()
    [entry] = waiting["entries"]
    assert entry["confirmed_by"] is None
    path = f"/v1/tm/{entry['id']}/confirm"
    assert db_client.post(path, json={}, headers=auth(keys.client)).status_code == 403
    confirmed = db_client.post(path, json={}, headers=auth(keys.editor))
    assert confirmed.status_code == 200
    assert confirmed.json()["confirmed_by"] == "ana"
    assert db_client.get("/v1/tm?unconfirmed=true", headers=auth(keys.editor)).json() == {
        "entries": []
    }
    article["id"] = "ferry-2"
    after = db_client.post("/v1/articles", json=article, headers=auth(keys.client)).json()
    assert after["versions"]["es"]["body"] == f"<p>{FERRY_ES}</p>"
    missing = db_client.post("/v1/tm/999999/confirm", json={}, headers=auth(keys.editor))
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/v1/tm"), ("post", "/v1/tm"), ("get", "/v1/tm/export"), ("post", "/v1/glossary")],
)
def test_client_keys_cannot_reach_the_memory(db_client: TestClient, method: str, path: str) -> None:
    keys = make_keys(db_client)
    response = db_client.request(method, path, json={"content": ""}, headers=auth(keys.client))
    assert response.status_code == 403


def test_glossary_import_applies_to_the_next_translation(db_client: TestClient) -> None:
    keys = make_keys(db_client)
    body = {"format": "csv", "source": "en", "target": "es", "content": TERMS_CSV.decode()}
    imported = db_client.post("/v1/glossary", json=body, headers=auth(keys.editor))
    assert imported.json() == {"read": 2, "changed": 2}
    glossary = db_client.get("/v1/glossary", headers=auth(keys.editor)).json()
    assert glossary["terms"]["harbour master"] == "capitan de puerto"
    translated = db_client.post(
        "/v1/translate",
        json={"text": "Ask the harbour master.", "source": "en", "target": "es"},
        headers=auth(keys.client),
    )
    assert "capitan de puerto" in translated.text
    exported = db_client.get("/v1/glossary/export?format=tbx", headers=auth(keys.editor))
    assert b"<term>capitan de puerto</term>" in exported.content
