"""Archive memory entries (pairs aligned from the outlet's published translations) in the
review store, on SQLite and PostgreSQL: offered to editors, reused exactly only once confirmed
or when the outlet opts in, and never put over what an editor or a file brought."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.runtime import Runtime
from service.schemas import ArticleRequest
from service.store.memory_records import ImportCounts, MemoryPair
from tests.helpers.review_helpers import open_store_runtime

SENTENCE = "Ministers from five countries attend."
PUBLISHED = "Asisten ministros de cinco países."
ARCHIVE = MemoryPair("en", "es", SENTENCE, PUBLISHED, "archive")


def _open(tmp_path: Path, database_url: str, archive_memory: bool = False) -> Runtime:
    return open_store_runtime(tmp_path, database_url, archive_memory=archive_memory)


@pytest.fixture
def rt(tmp_path: Path, database_url: str) -> Iterator[Runtime]:
    runtime = _open(tmp_path, database_url)
    yield runtime
    runtime.close()


def _article(article_id: str = "summit") -> ArticleRequest:
    return ArticleRequest(
        id=article_id,
        title="Summit opens",
        body=f"<p>{SENTENCE} The talks last two days.</p>",
        source_lang="en",
    )


def test_an_archive_pair_is_suggested_and_reused_only_once_confirmed(rt: Runtime) -> None:
    store = rt.review
    assert store.import_memory([ARCHIVE], "archive") == ImportCounts(added=1)
    first = rt.pipeline.process(_article())
    assert SENTENCE.upper() in first.versions["es"].body
    assert "tm" not in first.versions["es"].provenance.sentences
    [near] = store.memory_suggestions("summit", "es")
    assert (near.source, near.target, near.score, near.origin) == (
        SENTENCE,
        PUBLISHED,
        1.0,
        "archive",
    )
    [entry] = store.memory_records(unconfirmed=True)
    assert store.confirm_memory([entry.id], "ana") == 1
    assert store.confirm_memory([entry.id], "ben") == 0  # confirmed once, by ana
    assert store.memory_records(unconfirmed=True) == []
    again = rt.pipeline.process(_article("later"))
    assert PUBLISHED in again.versions["es"].body
    assert again.versions["es"].provenance.sentences["tm"] == 1
    # The same article again is not served from the cache made before the confirmation.
    assert rt.pipeline.process(_article()).versions["es"].provenance.sentences["tm"] == 1


def test_the_outlet_can_reuse_its_whole_archive(tmp_path: Path, database_url: str) -> None:
    runtime = _open(tmp_path, database_url, archive_memory=True)
    try:
        runtime.review.import_memory([ARCHIVE], "archive")
        result = runtime.pipeline.process(_article())
        assert PUBLISHED in result.versions["es"].body
    finally:
        runtime.close()


def test_an_archive_pair_never_replaces_an_editors_or_a_files_entry(rt: Runtime) -> None:
    store = rt.review
    store.import_memory([MemoryPair("en", "es", SENTENCE, "Acuden cinco ministros.")], "ana")
    assert store.import_memory([ARCHIVE], "archive") == ImportCounts(kept=1)
    assert [(r.origin, r.target) for r in store.memory_records()] == [
        ("import", "Acuden cinco ministros.")
    ]
    # Between archive pairs the newer alignment wins, unconfirmed again.
    other = MemoryPair("en", "es", "Rain fell.", "Llovió.", "archive")
    store.import_memory([other], "archive")
    store.confirm_memory([store.memory_records(origin="archive")[0].id], "ana")
    newer = MemoryPair("en", "es", "Rain fell.", "Cayó lluvia.", "archive")
    assert store.import_memory([newer], "archive") == ImportCounts(replaced=1)
    assert [(r.target, r.confirmed_by) for r in store.memory_records(origin="archive")] == [
        ("Cayó lluvia.", None)
    ]


def test_approving_the_archive_translation_confirms_it(rt: Runtime) -> None:
    store = rt.review
    store.import_memory([ARCHIVE], "archive")
    rt.pipeline.process(_article())
    base = store.revisions("summit", "es")[0].id
    body = f"<p>{PUBLISHED} LAS CONVERSACIONES DURAN DOS DÍAS.</p>"
    store.edit("summit", "es", base, "ana", body=body)
    store.approve("summit", "es", "ana")
    [entry] = store.memory_records(origin="archive")
    assert (entry.target, entry.confirmed_by) == (PUBLISHED, "ana")
