"""Alembic migrations: an empty database upgrades to head, and so does one created by the
previous migration, data included; the models and the migrated schema agree."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from service.store import db
from service.store.models import Base
from service.store.review import ReviewStore

ALL_TABLES = {
    "users",
    "api_keys",
    "articles",
    "versions",
    "revisions",
    "review_events",
    "tm_entries",
}


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_empty_database_upgrades_to_head(engine: Engine) -> None:
    assert db.current_revision(engine) is None
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision() == "0002"
    assert _tables(engine) == ALL_TABLES
    db.upgrade(engine)  # a second start is a no-op
    assert db.current_revision(engine) == "0002"


def test_models_match_the_migrated_schema(engine: Engine) -> None:
    db.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_database_from_previous_migration_upgrades_with_its_data(engine: Engine) -> None:
    db.upgrade(engine, "0001")
    assert db.current_revision(engine) == "0001"
    assert _tables(engine) == ALL_TABLES - {"review_events", "tm_entries"}
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
    assert db.current_revision(engine) == "0002"
    assert _tables(engine) == ALL_TABLES
    store = ReviewStore(engine)
    assert [u.name for u in store.users()] == ["ana"]
    revisions = store.revisions("old-1", "es")
    assert [(r.id, r.title, r.created) for r in revisions] == [(1, "Hola", now)]
    assert store.version("en", "es") == "0.0"  # the new table works


def test_downgrade_to_previous_and_back(engine: Engine) -> None:
    from alembic import command

    db.upgrade(engine)
    command.downgrade(db.alembic_config(engine), "0001")
    assert db.current_revision(engine) == "0001"
    assert "tm_entries" not in _tables(engine)
    db.upgrade(engine)
    assert _tables(engine) == ALL_TABLES
