"""The review API: queue, revisions, diff, editor saves with optimistic locking, approve and
reject, and what approval does to later machine runs and articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.store.review import SUMMARY_EDITED_WITH_BODY, SUMMARY_EDITORS, SUMMARY_REGENERATED
from tests.conftest import fake_registry
from tests.helpers.review_helpers import (
    ARTICLE,
    Keys,
    auth,
    open_client,
    open_client_on,
    posted,
    secured_settings,
)

VERSION = "/v1/articles/paris-talks/versions/es"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from open_client(secured_settings(tmp_path))


@pytest.fixture
def keys(client: TestClient) -> Keys:
    return posted(client)


def _head(client: TestClient, keys: Keys) -> int:
    head: int = client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()[
        "head_revision"
    ]
    return head


def test_queue_lists_drafts_with_counts_and_filters(client: TestClient, keys: Keys) -> None:
    spanish = {"id": "hola", "title": "Hola", "body": "<p>Una noticia.</p>", "source_lang": "es"}
    client.post("/v1/articles", json=spanish, headers=auth(keys.client))
    queue = client.get("/v1/reviews", headers=auth(keys.editor)).json()
    assert queue["counts"] == {"machine_draft": 2, "in_review": 0, "approved": 0, "rejected": 0}
    assert {(i["article_id"], i["lang"], i["state"]) for i in queue["items"]} == {
        ("paris-talks", "es", "machine_draft"),
        ("hola", "en", "machine_draft"),
    }
    item = next(i for i in queue["items"] if i["article_id"] == "paris-talks")
    assert item["title"] == "TALKS OPEN IN PARIS" and item["head_kind"] == "machine"
    english = client.get("/v1/reviews?lang=en", headers=auth(keys.editor)).json()
    assert [i["article_id"] for i in english["items"]] == ["hola"]
    approved = client.get("/v1/reviews?state=approved", headers=auth(keys.editor)).json()
    assert approved["items"] == [] and approved["total"] == 0
    future = client.get("/v1/reviews?since=2999-01-01", headers=auth(keys.editor)).json()
    assert future["total"] == 0 and sum(future["counts"].values()) == 0
    bad = client.get("/v1/reviews?state=published", headers=auth(keys.editor))
    assert bad.status_code == 422


def test_queue_items_carry_triage_fields(client: TestClient, keys: Keys) -> None:
    head = _head(client, keys)
    saved = client.patch(
        VERSION, json={"expected_revision": head, "title": "Charlas"}, headers=auth(keys.editor)
    ).json()
    assert saved["revision"]["number"] == 2 and saved["revision"]["id"] == saved["head_revision"]
    client.post(
        VERSION + "/approve",
        json={"expected_revision": saved["head_revision"]},
        headers=auth(keys.editor),
    )
    [item] = client.get("/v1/reviews", headers=auth(keys.editor)).json()["items"]
    assert item["source_title"] == "Talks open in Paris"
    assert item["words"] > 4 and item["received"] is not None
    assert (item["head_revision_number"], item["approved_revision_number"]) == (2, 2)
    assert item["head_revision"] == saved["head_revision"]  # the ids the API acts on stay
    assert item["state_label"] == "Approved"
    revisions = client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()
    assert [r["number"] for r in revisions["revisions"]] == [1, 2]


def test_edit_creates_a_revision_and_diff_shows_it(client: TestClient, keys: Keys) -> None:
    head = _head(client, keys)
    response = client.patch(
        VERSION,
        json={"expected_revision": head, "title": "Conversaciones en París"},
        headers=auth(keys.editor),
    )
    assert response.status_code == 200
    saved = response.json()
    assert saved["state"] == "in_review" and saved["head_revision"] == saved["revision"]["id"]
    assert saved["revision"]["author"] == "ana" and saved["revision"]["kind"] == "human"
    assert saved["revision"]["parent"] == head
    listing = client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()
    assert [(r["kind"], r["author"]) for r in listing["revisions"]] == [
        ("machine", "fake:fake@1"),
        ("human", "ana"),
    ]
    diff = client.get(VERSION + "/diff", headers=auth(keys.editor)).json()  # machine → head
    assert (diff["old_revision"], diff["new_revision"]) == (head, saved["revision"]["id"])
    assert diff["changed"] is True
    assert [c for c in diff["title"] if c["op"] != "equal"] == [
        {"op": "replace", "old": "TALKS OPEN IN PARIS", "new": "Conversaciones en París"}
    ]
    assert all(c["op"] == "equal" for p in diff["body"] for c in p)
    explicit = client.get(
        VERSION + f"/diff?from={saved['revision']['id']}&to={head}", headers=auth(keys.editor)
    ).json()
    assert explicit["title"][0]["old"] == "Conversaciones en París"
    one = client.get(VERSION + f"/revisions/{head}", headers=auth(keys.editor)).json()
    assert one["title"] == "TALKS OPEN IN PARIS"


def test_two_editors_saving_the_same_revision(client: TestClient, keys: Keys) -> None:
    """Both changed the summary: one gets 409 naming who saved in between and what both
    changed; both texts survive as revisions."""
    head = _head(client, keys)
    ana = client.patch(
        VERSION,
        json={"expected_revision": head, "summary": "Resumen de Ana"},
        headers=auth(keys.editor),
    )
    ben = client.patch(
        VERSION,
        json={"expected_revision": head, "summary": "Resumen de Ben"},
        headers=auth(keys.editor2),
    )
    assert ana.status_code == 200 and ben.status_code == 409
    ana_revision = ana.json()["revision"]["id"]
    assert ben.json() == {
        "detail": f"revision {head} is out of date: ana saved revision {ana_revision} in between "
        f"and changed what you changed (summary); your text is kept as revision {ana_revision + 1}",
        "conflicts": {"paragraphs": [], "fields": ["summary"]},
        "head_revision": ana_revision,
        "kept_revision": ana_revision + 1,
    }
    revisions = client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()
    texts = {(r["author"], r["summary"], r["stale"]) for r in revisions["revisions"]}
    assert ("ana", "Resumen de Ana", False) in texts
    assert ("ben", "Resumen de Ben", True) in texts
    assert revisions["head_revision"] == ana_revision
    # Ben rebases on Ana's revision and saves again.
    retry = client.patch(
        VERSION,
        json={"expected_revision": ana_revision, "summary": "Resumen de Ben"},
        headers=auth(keys.editor2),
    )
    assert retry.status_code == 200


def test_approve_then_a_machine_rerun_keeps_the_approved_text(
    client: TestClient, keys: Keys
) -> None:
    head = _head(client, keys)
    body = client.get(VERSION + f"/revisions/{head}", headers=auth(keys.editor)).json()["body"]
    edited = body.replace(
        "MINISTERS FROM FIVE COUNTRIES ATTEND.", "Asisten ministros de cinco países."
    )
    saved = client.patch(
        VERSION, json={"expected_revision": head, "body": edited}, headers=auth(keys.editor)
    ).json()
    approve = client.post(
        VERSION + "/approve",
        json={"comment": "ok", "expected_revision": saved["head_revision"]},
        headers=auth(keys.editor),
    )
    assert approve.status_code == 200
    assert approve.json() == {
        "article_id": "paris-talks",
        "lang": "es",
        "state": "approved",
        "head_revision": saved["head_revision"],
        "approved_revision": saved["head_revision"],
        "newer_machine_draft": False,
        "memory_entries": 1,  # the one sentence ana changed; the rest is unchecked machine text
    }
    again = client.post(VERSION + "/approve", json={}, headers=auth(keys.editor))
    assert again.status_code == 409
    assert again.json() == {"detail": f"revision {saved['head_revision']} is already approved"}
    # The source changes; the machine translates again; the approved text stays.
    changed = {**ARTICLE, "title": "Talks open in Paris today"}
    rerun = client.post("/v1/articles", json=changed, headers=auth(keys.client)).json()
    assert rerun["versions"]["es"]["body"] == edited
    assert rerun["versions"]["es"]["review"]["newer_machine_draft"] is True
    stored = client.get("/v1/articles/paris-talks", headers=auth(keys.client)).json()["versions"][
        "es"
    ]
    assert stored["body"] == edited and stored["review"]["state"] == "approved"
    assert stored["review"]["approved_by"] == "ana"
    kinds = [
        r["kind"]
        for r in client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()["revisions"]
    ]
    assert kinds == ["machine", "human", "machine"]


def test_approved_sentences_reach_a_later_article_as_tm(client: TestClient, keys: Keys) -> None:
    head = _head(client, keys)
    body = client.get(VERSION + f"/revisions/{head}", headers=auth(keys.editor)).json()["body"]
    edited = body.replace(
        "MINISTERS FROM FIVE COUNTRIES ATTEND.", "Asisten ministros de cinco países."
    )
    client.patch(
        VERSION, json={"expected_revision": head, "body": edited}, headers=auth(keys.editor)
    )
    client.post(VERSION + "/approve", json={}, headers=auth(keys.editor))
    later = {
        "id": "later",
        "title": "Another day",
        "body": "<p>Ministers from five countries attend.</p>",
        "source_lang": "en",
    }
    es = client.post("/v1/articles", json=later, headers=auth(keys.client)).json()["versions"]["es"]
    assert es["body"] == "<p>Asisten ministros de cinco países.</p>"
    assert es["provenance"]["sentences"] == {"engine": 1, "tm": 1}
    text = client.post(
        "/v1/translate",
        json={"text": "Ministers from five countries attend.", "source": "en", "target": "es"},
        headers=auth(keys.client),
    ).json()
    assert text["translation"] == "Asisten ministros de cinco países."
    assert text["provenance"]["sentences"] == {"tm": 1}


def test_reject_needs_a_comment(client: TestClient, keys: Keys) -> None:
    missing = client.post(VERSION + "/reject", json={}, headers=auth(keys.editor))
    assert (missing.status_code, missing.json()) == (422, {"detail": "comment: Field required"})
    empty = client.post(VERSION + "/reject", json={"comment": ""}, headers=auth(keys.editor))
    assert empty.status_code == 422
    rejected = client.post(
        VERSION + "/reject", json={"comment": "wrong names"}, headers=auth(keys.editor)
    )
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"


def test_errors_are_stable(client: TestClient, keys: Keys) -> None:
    editor = auth(keys.editor)
    missing = client.patch(
        "/v1/articles/nope/versions/es", json={"expected_revision": 1, "title": "x"}, headers=editor
    )
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "no es version of article nope"},
    )
    source = client.post("/v1/articles/paris-talks/versions/en/approve", json={}, headers=editor)
    assert (source.status_code, source.json()) == (
        409,
        {
            "detail": "en is the source language of article paris-talks: "
            "only translations are reviewed"
        },
    )
    wrong = client.patch(VERSION, json={"expected_revision": 999, "title": "x"}, headers=editor)
    assert (wrong.status_code, wrong.json()) == (
        404,
        {"detail": "revision 999 is not a revision of paris-talks/es"},
    )
    head = _head(client, keys)
    empty = client.patch(VERSION, json={"expected_revision": head}, headers=editor)
    assert (empty.status_code, empty.json()) == (
        400,
        {"detail": "nothing to save: give at least one of title, lede, body, summary"},
    )


def test_an_edit_cannot_publish_scripts_handlers_or_javascript_links(
    client: TestClient, keys: Keys
) -> None:
    head = _head(client, keys)
    hostile = (
        "<p>LAS CONVERSACIONES EMPIEZAN EN PARÍS EL LUNES.<script>alert(1)</script></p>"
        "<p>EL ENVIADO LES INFORMARÁ DE LA <img src=x onerror=alert(1)>"
        '<a href="javascript:alert(1)">REUNIÓN</a>.</p>'
    )
    cleaned = (
        "<p>LAS CONVERSACIONES EMPIEZAN EN PARÍS EL LUNES.</p>"
        "<p>EL ENVIADO LES INFORMARÁ DE LA <a>REUNIÓN</a>.</p>"
    )
    response = client.patch(
        VERSION,
        json={
            "expected_revision": head,
            "title": "Conversaciones <svg onload=alert(1)>",
            "body": hostile,
        },
        headers=auth(keys.editor),
    )
    assert response.status_code == 200
    saved = response.json()
    assert saved["markup_removed"] is True
    assert (saved["revision"]["title"], saved["revision"]["body"]) == ("Conversaciones ", cleaned)
    approve = client.post(
        VERSION + "/approve",
        json={"expected_revision": saved["head_revision"]},
        headers=auth(keys.editor),
    )
    assert approve.status_code == 200
    assert approve.json()["approved_revision"] == saved["head_revision"]
    published = client.get("/v1/articles/paris-talks", headers=auth(keys.client)).json()
    assert published["versions"]["es"]["body"] == cleaned
    assert published["versions"]["es"]["review"]["state"] == "approved"
    history = client.get(VERSION + "/revisions", headers=auth(keys.editor)).json()["revisions"]
    assert [r["body"] for r in history if r["kind"] == "human"] == [cleaned]
    clean_edit = client.patch(
        VERSION,
        json={"expected_revision": saved["head_revision"], "title": "Conversaciones en París"},
        headers=auth(keys.editor),
    ).json()
    assert clean_edit["markup_removed"] is False


# -- the summary of an edited body ------------------------------------------------------------

ARTICLE_URL = "/v1/articles/paris-talks"
# The draft's body with a new first sentence that only the editor wrote (the fake summarizer
# summarizes with the first paragraph's words).
EDITED_BODY = (
    "<p>Un enviado sorpresa abre las conversaciones de París.</p>"
    "<p>THE ENVOY WILL BRIEF THEM ON THE <a href='https://example.org/m'>MEETING</a>.</p>"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    """The review API on SQLite and on PostgreSQL (a schema of its own)."""
    yield from open_client_on(request.param, tmp_path)


def _spanish(client: TestClient, keys: Keys) -> dict[str, Any]:
    version: dict[str, Any] = client.get(ARTICLE_URL, headers=auth(keys.client)).json()["versions"][
        "es"
    ]
    return version


def test_an_edited_body_gets_its_summary_made_again_as_a_draft(db_client: TestClient) -> None:
    keys = posted(db_client)
    machine = _spanish(db_client, keys)
    assert machine["review"]["summary_review"] is None
    assert "sorpresa" not in machine["summary"]
    saved = db_client.patch(
        VERSION,
        json={"expected_revision": _head(db_client, keys), "body": EDITED_BODY},
        headers=auth(keys.editor),
    ).json()
    engine = {"engine": "fake-summary", "model": "first-sentence-es", "revision": "1"}
    assert saved["summary_review"] == {
        "state": "regenerated",
        "engine": engine,
        "reason": SUMMARY_REGENERATED,
    }
    assert saved["revision"]["summary"] == "Un enviado sorpresa abre las conversaciones de París."
    # The article shows the new summary, what made it, and that it waits for review...
    draft = _spanish(db_client, keys)
    assert draft["summary"] == saved["revision"]["summary"]
    assert draft["provenance"]["summary"] == engine
    assert draft["review"]["state"] == "in_review"
    assert draft["review"]["summary_review"]["state"] == "regenerated"
    # ...and approving the version approves it with the body it summarizes.
    approve = db_client.post(
        VERSION + "/approve",
        json={"expected_revision": saved["head_revision"]},
        headers=auth(keys.editor),
    )
    assert approve.status_code == 200
    approved = _spanish(db_client, keys)
    assert approved["review"]["state"] == "approved"
    assert approved["summary"] == saved["revision"]["summary"]
    assert "sorpresa" in approved["body"]


def test_an_editors_summary_is_kept_and_flagged_stale_never_replaced(
    db_client: TestClient,
) -> None:
    keys = posted(db_client)
    mine = "Resumen escrito por la editora."
    first = db_client.patch(
        VERSION,
        json={"expected_revision": _head(db_client, keys), "body": EDITED_BODY, "summary": mine},
        headers=auth(keys.editor),
    ).json()
    assert first["revision"]["summary"] == mine
    assert first["summary_review"] == {
        "state": "stale",
        "engine": None,
        "reason": SUMMARY_EDITED_WITH_BODY,
    }
    # A later body edit in the same version leaves the editor's summary alone too.
    second = db_client.patch(
        VERSION,
        json={
            "expected_revision": first["head_revision"],
            "body": EDITED_BODY.replace("sorpresa", "inesperado"),
        },
        headers=auth(keys.editor),
    ).json()
    assert second["revision"]["summary"] == mine
    assert second["summary_review"]["reason"] == SUMMARY_EDITORS
    shown = _spanish(db_client, keys)
    assert shown["summary"] == mine and shown["review"]["summary_review"]["state"] == "stale"
    # Writing the summary again, for the body as it now is, clears the flag.
    third = db_client.patch(
        VERSION,
        json={"expected_revision": second["head_revision"], "summary": mine + " Revisado."},
        headers=auth(keys.editor),
    ).json()
    assert third["revision"]["summary"] == mine + " Revisado."
    assert _spanish(db_client, keys)["review"]["summary_review"] is None


def test_a_summary_no_summarizer_can_make_again_is_flagged_stale(tmp_path: Path) -> None:
    registry = fake_registry()
    del registry.summarizers["es"]  # English articles still get both summaries (translated)
    with TestClient(create_app(secured_settings(tmp_path), registry)) as client:
        keys = posted(client)
        before = _spanish(client, keys)["summary"]
        saved = client.patch(
            VERSION,
            json={"expected_revision": _head(client, keys), "body": EDITED_BODY},
            headers=auth(keys.editor),
        ).json()
        assert saved["revision"]["summary"] == before
        assert saved["summary_review"] == {
            "state": "stale",
            "engine": None,
            "reason": "no summarizer could run: unsupported language: es",
        }
        assert _spanish(client, keys)["review"]["summary_review"]["state"] == "stale"


def test_a_body_left_as_it_is_keeps_its_summary_without_a_flag(db_client: TestClient) -> None:
    keys = posted(db_client)
    before = _spanish(db_client, keys)["summary"]
    saved = db_client.patch(
        VERSION,
        json={"expected_revision": _head(db_client, keys), "title": "Conversaciones en París"},
        headers=auth(keys.editor),
    ).json()
    assert saved["revision"]["summary"] == before and saved["summary_review"] is None
