"""Memory entries in and out of the review store (ReviewStore.import_memory, memory_records,
delete_memory), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from service.store import db
from service.store.memory_records import ImportCounts, MemoryPair
from service.store.review import ReviewStore

RAIN = MemoryPair("en", "es", "Rain  is expected\ttomorrow.", "Se espera lluvia mañana.")


def _store(engine: Engine) -> ReviewStore:
    db.upgrade(engine)
    return ReviewStore(engine)


def test_imported_pairs_are_reused_and_listed_with_their_origin(engine: Engine) -> None:
    store = _store(engine)
    counts = store.import_memory([RAIN, MemoryPair("en", "es", " ", "x")], "ana")
    assert counts == ImportCounts(added=1)
    # Whitespace runs become single spaces, as sentences reach the lookup.
    assert store.lookup("en", "es", ["Rain is expected tomorrow."]) == {
        "Rain is expected tomorrow.": "Se espera lluvia mañana."
    }
    [record] = store.memory_records()
    assert (record.origin, record.editor, record.source) == (
        "import",
        "ana",
        "Rain is expected tomorrow.",
    )
    assert store.memory_records(origin="editor") == []
    assert store.memory_records(source="es") == []


def test_reimport_leaves_the_memory_stamp_alone_and_a_new_translation_replaces(
    engine: Engine,
) -> None:
    store = _store(engine)
    store.import_memory([RAIN], "ana")
    stamp = store.memory_stamp("en", "es")
    assert store.import_memory([RAIN], "ana") == ImportCounts(unchanged=1)
    assert store.memory_stamp("en", "es") == stamp
    changed = MemoryPair("en", "es", RAIN.source, "Mañana lloverá.")
    assert store.import_memory([changed], "ben") == ImportCounts(replaced=1)
    assert store.memory_stamp("en", "es") != stamp
    assert [r.target for r in store.memory_records()] == ["Mañana lloverá."]


def test_delete_removes_only_the_given_entries(engine: Engine) -> None:
    store = _store(engine)
    store.import_memory([RAIN, MemoryPair("es", "en", "Hola.", "Hello.")], "ana")
    first, second = store.memory_records()
    assert store.delete_memory([first.id, 999_999]) == 1
    assert store.memory_records() == [second]
    assert store.delete_memory([]) == 0
