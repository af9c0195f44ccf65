"""The review page after a save that conflicted: mine/theirs per conflicting paragraph, the
other paragraphs kept; and the per-paragraph "Checked" boxes that teach the memory."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.store.memory_records import MemoryPair
from tests.helpers.review_helpers import (
    Keys,
    auth,
    open_client,
    page_login,
    posted,
    secured_settings,
    store_of,
)

PAGE = "/review/articles/paris-talks/es"
P0 = "THE TALKS BEGIN IN PARIS ON MONDAY. MINISTERS FROM FIVE COUNTRIES ATTEND."


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from open_client(secured_settings(tmp_path))


@pytest.fixture
def keys(client: TestClient) -> Keys:
    return posted(client)


def test_a_conflicting_form_save_offers_mine_or_theirs_and_keeps_the_rest(
    client: TestClient, keys: Keys
) -> None:
    store = store_of(client)
    base = store.view("paris-talks", "es").head
    theirs = store.edit(
        "paris-talks", "es", base.id, "ben", body=base.body.replace(P0, "Ben escribió esto.")
    )
    token = page_login(client)
    p1 = base.body.split("<p>")[2].removesuffix("</p>")
    response = client.post(
        f"{PAGE}/save",
        data={
            "csrf_token": token,
            "expected_revision": str(base.id),
            "paragraphs": "2",
            "p-0": "Ana escribió esto.",
            "p-1": p1.replace("THE ENVOY", "El enviado"),
        },
    )
    page = html.unescape(response.text)
    kept = theirs.revision.id + 1
    assert response.url.path == PAGE and response.url.query == f"merge={kept}".encode()
    assert "changed what you changed (paragraph 0)" in page
    # The page numbers revisions within the version (r1, r2, ...); the URL carries the row id.
    number = theirs.revision.number
    assert f"Your save r{number + 1} conflicts with r{number} by ben" in page
    # Theirs beside the choice, mine in the box, ana's other paragraph kept in the form.
    assert '<blockquote lang="es">Ben escribió esto.</blockquote>' in page
    assert ">Ana escribió esto.</textarea>" in page
    assert "El enviado WILL BRIEF THEM" in page
    assert 'name="choice-p-0" value="theirs" required' in page
    assert f'name="expected_revision" value="{theirs.revision.id}"' in page
    # Ana keeps theirs in ¶1 and her ¶2: saved on ben's revision, both kept.
    saved = client.post(
        f"{PAGE}/save",
        data={
            "csrf_token": token,
            "expected_revision": str(theirs.revision.id),
            "paragraphs": "2",
            "p-0": "Ana escribió esto.",
            "choice-p-0": "theirs",
            "p-1": p1.replace("THE ENVOY", "El enviado"),
        },
    )
    assert "saved revision" in saved.text
    head = store.view("paris-talks", "es").head
    assert head.parent_id == theirs.revision.id
    assert "Ben escribió esto." in head.body and "El enviado WILL BRIEF" in head.body
    assert "Ana escribió esto." not in head.body


def test_a_form_save_on_an_older_revision_touching_other_paragraphs_is_merged(
    client: TestClient, keys: Keys
) -> None:
    store = store_of(client)
    base = store.view("paris-talks", "es").head
    store.edit("paris-talks", "es", base.id, "ben", title="Título de Ben")
    token = page_login(client)
    response = client.post(
        f"{PAGE}/save",
        data={
            "csrf_token": token,
            "expected_revision": str(base.id),
            "paragraphs": "2",
            "p-0": "Ana escribió esto.",
        },
    )
    assert "merged with the revision saved meanwhile" in response.text
    head = store.view("paris-talks", "es").head
    assert head.title == "Título de Ben" and "Ana escribió esto." in head.body


def test_checked_paragraphs_teach_the_memory_on_approval(client: TestClient, keys: Keys) -> None:
    token = page_login(client)
    page = client.get(PAGE).text
    assert 'form="approve-form" name="confirm" value="1"' in page
    head = store_of(client).view("paris-talks", "es").head
    approved = client.post(
        f"{PAGE}/approve",
        data={"csrf_token": token, "expected_revision": str(head.id), "confirm": "1"},
    )
    assert "1 sentence(s) added to the translation memory" in approved.text
    later = {
        "id": "later",
        "title": "x",
        "body": "<p>The envoy will brief them on the meeting.</p>",
    }
    es = client.post("/v1/articles", json=later, headers=auth(keys.client)).json()["versions"]["es"]
    assert es["provenance"]["sentences"].get("tm") == 1


def test_a_near_match_from_the_memory_is_shown_beside_its_paragraph(
    client: TestClient, keys: Keys
) -> None:
    store = store_of(client)
    head = store.view("paris-talks", "es").head
    store.edit(
        "paris-talks",
        "es",
        head.id,
        "ana",
        body=head.body.replace("THE TALKS BEGIN IN PARIS ON MONDAY.", "Charlas en París el lunes."),
    )
    store.approve("paris-talks", "es", "ana")
    near = {"id": "near", "title": "x", "body": "<p>The talks begin in Paris on Tuesday.</p>"}
    client.post("/v1/articles", json=near, headers=auth(keys.client))
    page_login(client)
    page = client.get("/review/articles/near/es").text
    row = page[page.index('id="row-p0"') : page.index('id="row-summary"')]
    assert 'class="suggestion"' in row and '<q lang="es">Charlas en París el lunes.</q>' in row
    assert ">THE TALKS BEGIN IN PARIS ON TUESDAY.</textarea>" in row


def test_an_archive_pair_is_shown_as_the_archives_for_the_editor_to_check(
    client: TestClient, keys: Keys
) -> None:
    source, published = "The envoy will brief them on the meeting.", "El enviado les informará."
    store_of(client).import_memory([MemoryPair("en", "es", source, published, "archive")], "x")
    article = {"id": "envoy", "title": "x", "body": f"<p>{source}</p>"}
    client.post("/v1/articles", json=article, headers=auth(keys.client))
    page_login(client)
    page = client.get("/review/articles/envoy/es").text
    row = page[page.index('id="row-p0"') : page.index('id="row-summary"')]
    assert 'data-origin="archive">Archive 100%:' in row
    assert f'<q lang="es">{published}</q>' in row
    # Not reused: the draft is the engine's until an editor confirms the pair.
    assert f">{source.upper()}</textarea>" in row
