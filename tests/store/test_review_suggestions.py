"""Clients' suggestions in the review store, on SQLite and PostgreSQL: each one a revision of
kind `suggestion` on the machine draft, the head unless an editor's unapproved save is; never
served to readers, nor learned, before an editor approves it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.runtime import Runtime
from service.schemas import ArticleRequest
from service.store.review import SUGGESTION, ReviewStore
from tests.helpers.review_helpers import open_store_runtime

SEGMENT = "The mayor spoke on Monday."
SUGGESTED = "La alcaldesa habló el lunes."


def _open(tmp_path: Path, database_url: str, fn: object = str.upper) -> Runtime:
    return open_store_runtime(tmp_path, database_url, fn, cache_backend="none")  # type: ignore[arg-type]


@pytest.fixture
def rt(tmp_path: Path, database_url: str) -> Iterator[Runtime]:
    runtime = _open(tmp_path, database_url)
    yield runtime
    runtime.close()


def _segment(rt: Runtime) -> int:
    """The segment's article with its machine draft; the machine revision's id."""
    request = ArticleRequest(
        id="seg", title="", body=SEGMENT, format="text", source_lang="en", summary=False
    )
    rt.pipeline.process(request)
    machine = rt.review.view("seg", "es").machine
    assert machine is not None
    return machine.id


def test_a_suggestion_is_a_draft_on_the_machine_text(rt: Runtime) -> None:
    store = rt.review
    machine = _segment(rt)
    outcome = store.suggest("seg", "es", SUGGESTED, "cms")
    assert outcome.became_head and outcome.version.state == "in_review"
    head = store.view("seg", "es").head
    assert (head.id, head.kind, head.author, head.body) == (
        outcome.revision.id,
        SUGGESTION,
        "cms",
        SUGGESTED,
    )
    assert head.parent_id == machine
    assert head.provenance["suggestion"] == {"client": "cms"}
    assert head.provenance["paragraphs"] == [{"suggestion": "cms"}]
    # Readers get the machine draft until an editor approves; the memory knows nothing.
    read = store.get("seg")
    assert read is not None and read.versions["es"].body == SEGMENT.upper()
    assert read.versions["es"].review.head_revision == head.id
    assert store.lookup("en", "es", [SEGMENT]) == {}
    events = [(e.action, e.author) for e in store.view("seg", "es").events]
    assert events[-1] == ("suggest", "cms")


def test_every_suggestion_is_a_revision_of_its_own(rt: Runtime) -> None:
    store = rt.review
    _segment(rt)
    first = store.suggest("seg", "es", SUGGESTED, "cms")
    second = store.suggest("seg", "es", "El alcalde habló el lunes.", "app")
    kinds = [(r.kind, r.author, r.body) for r in store.revisions("seg", "es")]
    assert kinds[1:] == [
        (SUGGESTION, "cms", SUGGESTED),
        (SUGGESTION, "app", "El alcalde habló el lunes."),
    ]
    assert store.view("seg", "es").head.id == second.revision.id != first.revision.id


def test_a_suggestion_waits_beside_an_editors_unapproved_save(rt: Runtime) -> None:
    store = rt.review
    _segment(rt)
    first = store.suggest("seg", "es", SUGGESTED, "cms")
    saved = store.edit("seg", "es", first.revision.id, "ana", body="El alcalde habló el lunes.")
    later = store.suggest("seg", "es", "Habló el alcalde.", "app")
    assert not later.became_head
    view = store.view("seg", "es")
    assert view.head.id == saved.revision.id and view.head.author == "ana"
    assert later.revision.id in {r.id for r in view.revisions}
    event = view.events[-1]
    assert (event.action, event.revision_id) == ("suggest", later.revision.id)
    assert event.comment == (
        f"stored beside revision {saved.revision.id}, an editor's unapproved save"
    )


def test_over_approved_text_a_suggestion_is_the_head_and_readers_keep_the_approved(
    rt: Runtime,
) -> None:
    store = rt.review
    _segment(rt)
    first = store.suggest("seg", "es", SUGGESTED, "cms")
    store.approve("seg", "es", "ana")
    later = store.suggest("seg", "es", "Habló la alcaldesa el lunes.", "app")
    assert later.became_head and later.version.state == "in_review"
    assert later.version.approved_revision_id == first.revision.id
    read = store.get("seg")
    assert read is not None and read.versions["es"].body == SUGGESTED


def test_a_machine_run_does_not_push_a_suggestion_aside(tmp_path: Path, database_url: str) -> None:
    runtime = _open(tmp_path, database_url)
    try:
        _segment(runtime)
        suggested = runtime.review.suggest("seg", "es", SUGGESTED, "cms")
    finally:
        runtime.close()
    upgraded = _open(tmp_path, database_url, fn=lambda text: f"[{text}]")
    try:
        _segment(upgraded)
        view = upgraded.review.view("seg", "es")
        assert view.head.id == suggested.revision.id
        assert view.version.newer_machine_draft and view.version.state == "in_review"
    finally:
        upgraded.close()


def test_approving_a_suggestion_teaches_the_memory(rt: Runtime) -> None:
    store = rt.review
    _segment(rt)
    store.suggest("seg", "es", SUGGESTED, "cms")
    _, learned = store.approve("seg", "es", "ana")
    assert learned == 1
    assert store.tm_entries("en", "es") == [(SEGMENT, SUGGESTED, "ana")]


def test_concurrent_suggestions_are_all_kept(rt: Runtime) -> None:
    store: ReviewStore = rt.review
    _segment(rt)
    clients = [f"client-{n}" for n in range(8)]
    start = threading.Barrier(len(clients))
    errors: list[BaseException] = []

    def suggest(name: str) -> None:
        start.wait()
        try:
            store.suggest("seg", "es", f"Sugerencia de {name}.", name)
        except BaseException as exc:  # collected: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=suggest, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    kept = [r for r in store.revisions("seg", "es") if r.kind == SUGGESTION]
    assert sorted(r.author for r in kept) == clients
    view = store.view("seg", "es")
    assert view.head.id in {r.id for r in kept}
    # Each took the head in turn: none was left beside another.
    suggested = [e for e in view.events if e.action == "suggest"]
    assert len(suggested) == len(clients) and all(e.comment is None for e in suggested)
