"""Alembic migrations: an empty database upgrades to head, and so does a database created by
each earlier migration (the previous one included), data included; the models and the migrated
schema agree. Written against whatever head is, so a new migration needs no edit here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from service.store import db
from service.store.models import Base
from service.store.review import ReviewStore

CORE_TABLES = {"users", "api_keys", "articles", "versions", "revisions"}  # 0001
REVIEW_TABLES = CORE_TABLES | {"review_events", "tm_entries"}  # 0002
ALL_TABLES = set(Base.metadata.tables)  # head: one table per model


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _revisions() -> list[str]:
    """Every migration, oldest first."""
    script = ScriptDirectory.from_config(db.alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


EARLIER = _revisions()[:-1]


def test_there_is_a_previous_migration_to_upgrade_from() -> None:
    assert _revisions()[:2] == ["0001", "0002"] and _revisions()[-1] == db.head_revision()
    assert REVIEW_TABLES <= ALL_TABLES


def test_empty_database_upgrades_to_head(engine: Engine) -> None:
    assert db.current_revision(engine) is None
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()
    assert _tables(engine) == ALL_TABLES
    db.upgrade(engine)  # a second start is a no-op
    assert db.current_revision(engine) == db.head_revision()


def test_models_match_the_migrated_schema(engine: Engine) -> None:
    db.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


@pytest.mark.parametrize("start", EARLIER)
def test_database_from_an_earlier_migration_upgrades_with_its_data(
    engine: Engine, start: str
) -> None:
    db.upgrade(engine, start)
    assert db.current_revision(engine) == start
    if start == "0001":
        assert _tables(engine) == CORE_TABLES
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, name, role, password_hash, created) "
                "VALUES (1, 'ana', 'editor', 'x', :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO articles (id, source_lang, format, created, updated) "
                "VALUES ('old-1', 'en', 'text', :now, :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO versions (id, article_id, lang, is_source, state, head_revision_id,"
                " newer_machine_draft, updated) VALUES (1, 'old-1', 'es', false,"
                " 'machine_draft', 1, false, :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO revisions (id, version_id, kind, author, created, title, body,"
                " provenance, stale) VALUES (1, 1, 'machine', 'fake:m@1', :now, 'Hola', 'Cuerpo',"
                " '{}', false)"
            ),
            {"now": now},
        )
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()
    assert _tables(engine) == ALL_TABLES
    store = ReviewStore(engine)
    assert [u.name for u in store.users()] == ["ana"]
    revisions = store.revisions("old-1", "es")
    assert [(r.id, r.title, r.created) for r in revisions] == [(1, "Hola", now)]
    assert store.memory_stamp("en", "es") == "0.0"  # the memory table works


def test_downgrade_to_the_first_migration_and_back(engine: Engine) -> None:
    db.upgrade(engine)
    command.downgrade(db.alembic_config(engine), "0001")
    assert db.current_revision(engine) == "0001"
    assert _tables(engine) == CORE_TABLES
    db.upgrade(engine)
    assert _tables(engine) == ALL_TABLES


def test_the_quick_head_is_alembics_head() -> None:
    script = ScriptDirectory.from_config(db.alembic_config())
    assert db.head_revision() == script.get_current_head()
