"""The write probes behind /readyz, on SQLite and PostgreSQL: they find a store that cannot
write, and leave nothing behind where it can."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from service.store import db
from service.store.db import make_engine
from service.store.outage import is_store_outage
from service.store.probes import probe_database, probe_directory


def _versions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return [
            row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))
        ]


def test_a_writable_store_passes_and_keeps_nothing(engine: Engine) -> None:
    db.upgrade(engine)
    before = _versions(engine)
    probe_database(engine, timeout_s=2.0)
    assert _versions(engine) == before == [db.head_revision()]


def _read_only_url(database_url: str) -> str:
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        options = url.query.get("options", "")
        return url.update_query_dict(
            {"options": f"{options} -cdefault_transaction_read_only=on".strip()}
        ).render_as_string(hide_password=False)
    return database_url


def test_a_read_only_store_fails_the_probe_as_an_outage(database_url: str) -> None:
    writable = make_engine(database_url)
    db.upgrade(writable)
    writable.dispose()
    read_only = make_engine(_read_only_url(database_url))
    if read_only.dialect.name == "sqlite":
        from sqlalchemy import event

        @event.listens_for(read_only, "connect")
        def _query_only(connection: object, record: object) -> None:
            connection.execute("PRAGMA query_only = ON")  # type: ignore[attr-defined]

    try:
        with pytest.raises(DBAPIError) as raised:
            probe_database(read_only, timeout_s=2.0)
        assert is_store_outage(raised.value)
    finally:
        read_only.dispose()


def test_the_directory_probe_leaves_nothing_and_names_what_failed(tmp_path: Path) -> None:
    probe_directory(tmp_path)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FileNotFoundError):
        probe_directory(tmp_path / "missing")


def test_outages_and_bugs() -> None:
    full = sqlite3.OperationalError("database or disk is full")
    assert is_store_outage(full)
    assert is_store_outage(OperationalError("INSERT", {}, full))
    assert not is_store_outage(sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert not is_store_outage(ValueError("not the store's"))
