"""The review store under the real pipeline (fake engines), on SQLite and PostgreSQL: machine
drafts, editor revisions, optimistic locking, approval, machine re-runs, the memory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from service.runtime import Runtime
from service.schemas import ArticleRequest
from service.store.checks import QaInput
from service.store.review import (
    MARKUP_REMOVED,
    SUMMARY_NOT_REGENERATED,
    AlreadyApproved,
    NegativeLimit,
    NotReviewable,
    RegeneratedSummary,
    ReviewStore,
    RevisionNotFound,
    StaleRevision,
    UserExists,
    VersionNotFound,
    workflow,
)
from tests.helpers.review_helpers import open_store_runtime

BODY = (
    "<p>The talks begin in Paris on Monday. Ministers from five countries attend.</p>"
    "<p>The envoy will brief them on the meeting.</p>"
)
EDITED = (
    "<p>LAS CONVERSACIONES EMPIEZAN EN PARÍS EL LUNES. Asisten ministros de cinco países.</p>"
    "<p>THE ENVOY WILL BRIEF THEM ON THE MEETING.</p>"
)


WRITES = {"INSERT", "UPDATE", "DELETE"}


def upper(text: str) -> str:
    return text.upper()


def _open(tmp_path: Path, database_url: str, name: str = "fake") -> Runtime:
    return open_store_runtime(tmp_path, database_url, upper, name)


@pytest.fixture
def rt(tmp_path: Path, database_url: str) -> Iterator[Runtime]:
    runtime = _open(tmp_path, database_url)
    yield runtime
    runtime.close()


def _article(article_id: str = "talks", body: str = BODY, **extra: object) -> ArticleRequest:
    return ArticleRequest(
        id=article_id, title="Talks open in Paris", body=body, source_lang="en", **extra
    )


def test_a_machine_run_stores_both_versions(rt: Runtime) -> None:
    response = rt.pipeline.process(_article())
    store = rt.review
    assert response.versions["es"].review is not None
    assert response.versions["es"].review.state == "machine_draft"
    assert response.versions["en"].review.state == "source"  # type: ignore[union-attr]
    [machine] = store.revisions("talks", "es")
    assert (machine.kind, machine.author) == ("machine", "fake:fake@1")
    assert machine.body == response.versions["es"].body
    assert [p["sentences"] for p in machine.paragraphs] == [{"engine": 2}, {"engine": 1}]
    [source] = store.revisions("talks", "en")
    assert (source.kind, source.body) == ("source", BODY)
    assert store.get("talks") == response.model_copy(update={"cached": False})


def test_the_same_draft_again_adds_no_revision(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    again = rt.pipeline.process(_article())
    assert again.cached is True
    assert len(rt.review.revisions("talks", "es")) == 1


def test_a_repeat_writes_nothing(rt: Runtime) -> None:
    request = _article()
    first = rt.pipeline.process(request)
    statements: list[str] = []
    event.listen(
        rt.review.engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *rest: statements.append(statement),
    )
    again = rt.pipeline.process(request)
    reposted = rt.review.save(request, first.model_copy(update={"cached": False}))
    writes = [s for s in statements if s.lstrip().split()[0].upper() in WRITES]
    assert writes == []
    assert again.cached is True and again.versions == first.versions
    assert reposted == first.model_copy(update={"cached": False})


def test_a_cache_hit_answers_with_the_editors_text(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    base = rt.review.revisions("talks", "es")[0].id
    edited = rt.review.edit("talks", "es", base, "ana", body=EDITED).revision
    again = rt.pipeline.process(_article())
    es = again.versions["es"]
    assert again.cached is True and es.body == EDITED
    assert es.review is not None and (es.review.state, es.review.revision) == (
        "in_review",
        edited.id,
    )
    assert [r.kind for r in rt.review.revisions("talks", "es")] == ["machine", "human"]


def test_an_editor_save_is_a_revision_with_author_time_and_parent(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    store = rt.review
    machine = store.revisions("talks", "es")[0]
    before = datetime.now(UTC)
    outcome = store.edit("talks", "es", machine.id, "ana", body=EDITED)
    saved = outcome.revision
    assert (saved.kind, saved.author, saved.parent_id) == ("human", "ana", machine.id)
    assert saved.stale is False
    slack = timedelta(seconds=5)
    assert before - slack <= saved.created <= datetime.now(UTC) + slack
    assert saved.title == machine.title and saved.body == EDITED
    assert outcome.version.state == "in_review" and outcome.version.head_revision_id == saved.id
    # The first paragraph changed hands, the second kept the engine's provenance.
    assert saved.paragraphs[0] == {"editor": "ana"}
    assert saved.paragraphs[1] == machine.paragraphs[1]


def test_two_editors_saving_the_same_revision_one_conflicts_both_texts_survive(
    rt: Runtime,
) -> None:
    rt.pipeline.process(_article())
    store = rt.review
    base = store.revisions("talks", "es")[0].id
    first = store.edit("talks", "es", base, "ana", title="Título de Ana")
    with pytest.raises(StaleRevision) as caught:
        store.edit("talks", "es", base, "ben", title="Título de Ben")
    kept = first.revision.id + 1
    assert caught.value.status_code == 409
    assert caught.value.message == (
        f"revision {base} is out of date: ana saved revision {first.revision.id} in between "
        f"and changed what you changed (title); your text is kept as revision {kept}"
    )
    titles = {(r.author, r.title, r.stale) for r in store.revisions("talks", "es")}
    assert ("ana", "Título de Ana", False) in titles
    assert ("ben", "Título de Ben", True) in titles
    view = store.view("talks", "es")
    assert view.head.title == "Título de Ana"
    assert [e.action for e in view.events] == ["machine", "edit", "stale_save"]


def test_concurrent_saves_of_one_revision_exactly_one_wins(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    store = rt.review
    base = store.revisions("talks", "es")[0].id
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def save(editor: str) -> None:
        barrier.wait()
        try:
            store.edit("talks", "es", base, editor, summary=f"resumen de {editor}")
            result = "saved"
        except StaleRevision:
            result = "stale"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=save, args=(f"ed{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "stale", "stale", "stale"]
    summaries = {r.summary for r in store.revisions("talks", "es") if r.kind == "human"}
    assert summaries == {f"resumen de ed{i}" for i in range(4)}


def test_approved_text_is_never_overwritten_by_a_machine_run(
    rt: Runtime, tmp_path: Path, database_url: str
) -> None:
    rt.pipeline.process(_article())
    store = rt.review
    base = store.revisions("talks", "es")[0].id
    edited = store.edit("talks", "es", base, "ana", body=EDITED).revision
    version, _ = store.approve("talks", "es", "ana", "good")
    assert (version.state, version.approved_revision_id) == ("approved", edited.id)
    rt.close()
    # A model upgrade: another engine revision translates the article again.
    upgraded = _open(tmp_path, database_url, name="fake-v2")
    try:
        response = upgraded.pipeline.process(_article())
        es = response.versions["es"]
        assert es.body == EDITED  # the caller gets the approved text
        assert es.review is not None and es.review.newer_machine_draft is True
        assert es.review.state == "approved" and es.review.revision == edited.id
        assert es.review.approved_by == "ana"
        revisions = upgraded.review.revisions("talks", "es")
        assert [r.kind for r in revisions] == ["machine", "human", "machine"]
        assert revisions[-1].author == "fake:fake-v2@1"
        view = upgraded.review.view("talks", "es")
        assert view.head.id == edited.id and view.machine is not None
        assert view.machine.id == revisions[-1].id
        assert upgraded.review.get("talks").versions["es"].body == EDITED  # type: ignore[union-attr]
        queue = upgraded.review.queue(state="approved")
        assert [(i.version.article_id, i.version.newer_machine_draft) for i in queue.items] == [
            ("talks", True)
        ]
    finally:
        upgraded.close()


def test_a_machine_run_replaces_a_draft_nobody_touched(
    rt: Runtime, tmp_path: Path, database_url: str
) -> None:
    rt.pipeline.process(_article())
    rt.close()
    upgraded = _open(tmp_path, database_url, name="fake-v2")
    try:
        upgraded.pipeline.process(_article())
        view = upgraded.review.view("talks", "es")
        assert view.head.author == "fake:fake-v2@1" and view.version.state == "machine_draft"
        assert view.version.newer_machine_draft is False
    finally:
        upgraded.close()


def test_a_machine_run_does_not_replace_unapproved_edits(
    rt: Runtime, tmp_path: Path, database_url: str
) -> None:
    rt.pipeline.process(_article())
    base = rt.review.revisions("talks", "es")[0].id
    edited = rt.review.edit("talks", "es", base, "ana", title="Editado").revision
    rt.close()
    upgraded = _open(tmp_path, database_url, name="fake-v2")
    try:
        upgraded.pipeline.process(_article())
        view = upgraded.review.view("talks", "es")
        assert view.head.id == edited.id and view.version.state == "in_review"
        assert view.version.newer_machine_draft is True
        upgraded.review.approve("talks", "es", "ana")
        assert upgraded.review.view("talks", "es").version.newer_machine_draft is False
    finally:
        upgraded.close()


def test_a_body_save_stores_the_summary_made_from_that_body_only(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    store = rt.review
    head = store.view("talks", "es").head
    engine = {"engine": "fake-summary", "model": "first-sentence-es", "revision": "1"}
    made = RegeneratedSummary(EDITED, "Resumen del cuerpo editado.", engine)
    saved = store.edit("talks", "es", head.id, "ana", body=EDITED, regenerated=made)
    assert saved.revision.summary == "Resumen del cuerpo editado."
    assert saved.revision.provenance["summary"] == engine
    assert saved.revision.provenance["summary_review"]["state"] == "regenerated"
    # A summary made from another body than the one stored is not taken: the old one stays,
    # flagged stale.
    other = RegeneratedSummary("<p>Otro cuerpo.</p>", "No es de este cuerpo.", engine)
    again = store.edit(
        "talks", "es", saved.revision.id, "ana", body=EDITED + "<p>Más.</p>", regenerated=other
    )
    assert again.revision.summary == "Resumen del cuerpo editado."
    assert again.revision.provenance["summary_review"] == {
        "state": "stale",
        "reason": SUMMARY_NOT_REGENERATED,
    }


def test_approval_teaches_the_memory_and_a_later_article_uses_it(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    store = rt.review
    base = store.revisions("talks", "es")[0].id
    store.edit("talks", "es", base, "ana", body=EDITED, title="Conversaciones en París")
    _, learned = store.approve("talks", "es", "ana")
    memory = {s: t for s, t, _ in store.tm_entries("en", "es")}
    assert memory["The talks begin in Paris on Monday."] == (
        "LAS CONVERSACIONES EMPIEZAN EN PARÍS EL LUNES."
    )
    assert memory["Ministers from five countries attend."] == "Asisten ministros de cinco países."
    assert memory["Talks open in Paris"] == "Conversaciones en París"
    # ¶2 is the machine's, approved but neither changed nor confirmed: not memory.
    assert "The envoy will brief them on the meeting." not in memory
    assert learned == len(memory) == 3
    later = rt.pipeline.process(
        _article(
            "later",
            body="<p>Ministers from five countries attend.</p><p>Nobody else came.</p>",
        )
    )
    es = later.versions["es"]
    assert "Asisten ministros de cinco países." in es.body
    assert "NOBODY ELSE CAME." in es.body
    assert es.provenance.sentences == {"tm": 2, "engine": 1}  # title, ¶1 from tm; ¶2 engine
    head = store.view("later", "es").head
    assert [p["sentences"] for p in head.paragraphs] == [{"tm": 1}, {"engine": 1}]


def test_an_approval_changes_what_a_cached_article_gets(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    other = _article("other", body="<p>Ministers from five countries attend.</p>")
    first = rt.pipeline.process(other)
    assert "MINISTERS FROM FIVE COUNTRIES ATTEND." in first.versions["es"].body
    base = rt.review.revisions("talks", "es")[0].id
    rt.review.edit("talks", "es", base, "ana", body=EDITED)
    rt.review.approve("talks", "es", "ana")
    again = rt.pipeline.process(other)
    assert again.cached is False  # the memory changed, so the cached article is not reused
    assert "Asisten ministros de cinco países." in again.versions["es"].body


def test_any_two_revisions_can_be_diffed(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    store = rt.review
    machine = store.revisions("talks", "es")[0].id
    one = store.edit("talks", "es", machine, "ana", title="Conversaciones en París").revision.id
    two = store.edit("talks", "es", one, "ben", body=EDITED).revision.id
    diff = store.diff("talks", "es", machine, two)
    assert diff.changed
    assert [(c.op, c.a, c.b) for c in diff.title.chunks if c.op != "equal"] == [
        ("replace", "TALKS OPEN IN PARIS", "Conversaciones en París")
    ]
    assert diff.body[0].changed and not diff.body[1].changed
    assert "-<p>THE TALKS BEGIN" in diff.unified and "+<p>LAS CONVERSACIONES" in diff.unified
    assert not store.diff("talks", "es", two, two).changed
    with pytest.raises(RevisionNotFound):
        store.diff("talks", "es", machine, 9999)


def test_reject_keeps_the_comment_and_approve_twice_is_refused(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    store = rt.review
    version = store.reject("talks", "es", "ana", "names are wrong")
    assert version.state == "rejected"
    assert store.view("talks", "es").events[-1].comment == "names are wrong"
    store.approve("talks", "es", "ben")
    with pytest.raises(AlreadyApproved):
        store.approve("talks", "es", "ben")


def test_stale_approval_is_refused(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    store = rt.review
    base = store.revisions("talks", "es")[0].id
    newer = store.edit("talks", "es", base, "ana", title="Nuevo").revision.id
    with pytest.raises(StaleRevision) as caught:
        store.approve("talks", "es", "ben", expected_revision=base)
    assert caught.value.message == (
        f"revision {base} is out of date: ana saved revision {newer} in between"
    )
    assert store.view("talks", "es").version.state == "in_review"


def test_text_stored_before_sanitizing_is_served_and_approved_sanitized(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt.pipeline.process(_article())
    store = rt.review
    machine = store.view("talks", "es").head.id
    hostile = EDITED.replace("</p>", "<img src=x onerror=alert(1)></p>", 1)
    # A revision saved by a version of the service that did not sanitize yet.
    monkeypatch.setattr(workflow, "safe_body", lambda source, fmt, body: body)
    old = store.edit("talks", "es", machine, "ana", body=hostile).revision
    monkeypatch.undo()
    assert old.body == hostile
    assert store.get("talks").versions["es"].body == EDITED  # type: ignore[union-attr]
    version, _ = store.approve("talks", "es", "ben", expected_revision=old.id)
    view = store.view("talks", "es")
    assert version.approved_revision_id == version.head_revision_id == view.head.id != old.id
    assert (view.head.body, view.head.author, view.head.parent_id) == (EDITED, "ben", old.id)
    assert [(e.action, e.author, e.comment) for e in view.events[-2:]] == [
        ("edit", "ben", MARKUP_REMOVED),
        ("approve", "ben", None),
    ]
    assert store.get("talks").versions["es"].body == EDITED  # type: ignore[union-attr]


def test_source_versions_and_unknown_ones_are_not_reviewed(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    with pytest.raises(NotReviewable):
        rt.review.approve("talks", "en", "ana")
    with pytest.raises(VersionNotFound):
        rt.review.view("nope", "es")


def test_queue_filters_and_counts(rt: Runtime) -> None:
    for name in ("a", "b", "c"):
        rt.pipeline.process(_article(name, body=f"<p>Story {name} is here.</p>"))
    rt.pipeline.process(
        ArticleRequest(id="d", title="Hola a todos", body="<p>Una historia.</p>", source_lang="es")
    )
    store = rt.review
    store.approve("a", "es", "ana")
    store.reject("b", "es", "ana", "no")
    everything = store.queue()
    assert everything.counts == {"machine_draft": 2, "in_review": 0, "approved": 1, "rejected": 1}
    assert everything.total == 4
    assert {(i.version.article_id, i.version.lang) for i in everything.items} == {
        ("a", "es"),
        ("b", "es"),
        ("c", "es"),
        ("d", "en"),
    }
    drafts = store.queue(state="machine_draft")
    assert {i.version.article_id for i in drafts.items} == {"c", "d"}
    assert drafts.counts == everything.counts
    english = store.queue(lang="en")
    assert [i.version.article_id for i in english.items] == ["d"]
    assert english.counts["machine_draft"] == 1 and english.counts["approved"] == 0
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert store.queue(since=tomorrow).total == 0
    assert store.queue(until=tomorrow).total == 4


def test_the_queue_keeps_its_order_and_says_what_readers_get(rt: Runtime) -> None:
    for name in ("a", "b", "c"):
        rt.pipeline.process(_article(name, body=f"<p>Story {name} is here, in full.</p>"))
    store = rt.review
    order = [i.version.article_id for i in store.queue().items]
    assert order == ["c", "b", "a"]  # newest article first
    base = store.view("a", "es").head.id
    edited = store.edit("a", "es", base, "ana", title="Editado").revision
    store.approve("a", "es", "ana", expected_revision=edited.id)
    again = store.edit("a", "es", edited.id, "ben", title="Editado otra vez").revision
    store.reject("a", "es", "ana", "worse than before", expected_revision=again.id)
    # An edit, an approval and a rejection later, the rows stand where they stood.
    items = store.queue().items
    assert [i.version.article_id for i in items] == order
    a = items[-1]
    assert (a.version.state, a.state_label) == ("rejected", "Approved (rejected draft newer)")
    assert (a.head_number, a.approved_number) == (3, 2)  # per version, not global row ids
    assert again.number == 3 and again.id > 3
    assert (a.source_title, a.words) == ("Talks open in Paris", 4 + 6)
    assert a.received is not None and a.received <= a.version.updated
    c = items[0]
    assert (c.state_label, c.head_number, c.approved_number) == ("Machine draft", 1, None)
    numbers = [r.number for r in store.revisions("a", "es")]
    assert numbers == [1, 2, 3] and store.revision("a", "es", again.id).number == 3


def test_users_and_keys(rt: Runtime) -> None:
    store: ReviewStore = rt.review
    store.add_user("ana", "editor", "correct horse")
    with pytest.raises(UserExists):
        store.add_user("ana", "client", "another one")
    assert store.authenticate("ana", "correct horse") is not None
    assert store.authenticate("ana", "wrong password") is None
    assert store.authenticate("nobody", "correct horse") is None
    key, info = store.create_key("editor", user="ana")
    principal = store.principal_for_key(key)
    assert principal is not None and (principal.name, principal.role) == ("ana", "editor")
    assert store.principal_for_key(key + "x") is None
    store.revoke_key(info.id)
    assert store.principal_for_key(key) is None


def test_passwords_and_keys_are_stored_hashed(rt: Runtime) -> None:
    from sqlalchemy import text

    store = rt.review
    store.add_user("ana", "editor", "correct horse")
    key, _ = store.create_key("client", "cms")
    with store.engine.connect() as connection:
        password_hash = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
        key_hash = connection.execute(text("SELECT key_hash FROM api_keys")).scalar_one()
    assert password_hash.startswith("$argon2id$") and "correct horse" not in password_hash
    assert key not in key_hash and len(key_hash) == 64


def test_keys_carry_their_own_limits(rt: Runtime) -> None:
    store = rt.review
    own, _ = store.create_key("client", "tight", rpm=20, chars_per_day=100_000)
    default, _ = store.create_key("client", "default")
    unlimited, _ = store.create_key("client", "bulk", rpm=0, chars_per_day=10_000_000_000)
    limits = {
        key: (p.rpm, p.chars_per_day)
        for key in (own, default, unlimited)
        if (p := store.principal_for_key(key)) is not None
    }
    assert limits == {
        own: (20, 100_000),
        default: (None, None),
        unlimited: (0, 10_000_000_000),  # more than 32 bits
    }
    listed = {k.name: (k.rpm, k.chars_per_day) for k in store.keys()}
    assert listed == {"tight": (20, 100_000), "default": (None, None), "bulk": (0, 10**10)}
    with pytest.raises(NegativeLimit, match=r"^rpm must be 0 \(unlimited\) or more$"):
        store.create_key("client", rpm=-1)


def test_sessions_end_at_log_out_expiry_or_a_new_password(rt: Runtime) -> None:
    from sqlalchemy import text

    store = rt.review
    user = store.add_user("ana", "editor", "correct horse")
    first = store.start_session(user.id, 3600)
    second = store.start_session(user.id, 3600)
    found = store.session_user(first)
    assert found is not None and (found.name, found.role, found.user_id) == (
        "ana",
        "editor",
        user.id,
    )
    assert store.session_user("forged") is None
    store.end_session(first)
    assert store.session_user(first) is None and store.session_user(second) is not None
    expired = store.start_session(user.id, 0)
    assert store.session_user(expired) is None
    third = store.start_session(user.id, 3600)  # sweeps the expired one
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT id_hash FROM review_sessions")).scalars().all()
    assert len(stored) == 2 and all(len(h) == 64 for h in stored)
    assert not {second, third} & set(stored)  # only hashes are kept
    store.set_password("ana", "a new password")
    assert store.session_user(second) is None


def test_a_save_stores_the_flags_of_the_text_it_keeps(rt: Runtime) -> None:
    rt.pipeline.process(_article())
    store = rt.review
    machine = store.revisions("talks", "es")[0]
    seen: list[QaInput] = []
    flag = {"field": "body", "paragraph": 0, "kind": "number", "source": "5", "message": "m"}

    def check(given: QaInput) -> list[dict[str, Any]]:
        seen.append(given)
        return [flag]

    saved = store.edit("talks", "es", machine.id, "ana", body=EDITED, qa=check).revision
    [given] = seen
    assert (given.source_lang, given.target_lang, given.format) == ("en", "es", "html")
    assert given.source["body"] == BODY and given.target["body"] == EDITED
    assert given.base["body"] == machine.body and given.base_flags == machine.qa
    assert saved.qa == [flag] and store.revisions("talks", "es")[-1].qa == [flag]
    [item] = store.queue().items
    assert item.qa_count == 1
    # Saved without checks (a store used on its own): no flags, and none carried over.
    again = store.edit("talks", "es", saved.id, "ana", title="Otro título").revision
    assert again.qa == [] and store.queue().items[0].qa_count == 0
