"""Engines and schema upgrades for the review store: SQLite (WAL) by default, PostgreSQL in
production. The schema is Alembic's; `upgrade` runs at start so a fresh machine needs no step.

Alembic is imported only when a database is behind: a start on an up-to-date database (every
`newsdesk translate`) reads one row instead of loading the migration machinery."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

from service.files import private_sqlite

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"
# Any constant will do: it keeps two processes starting at once from migrating together.
_PG_LOCK = 7_340_115_001
_REVISION = re.compile(r"^(down_)?revision\s*=\s*(?:['\"]([^'\"]*)['\"]|None)", re.M)


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            private_sqlite(Path(parsed.database))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


@cache
def head_revision() -> str:
    """The newest migration, read from the files (the revision no other one revises)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            if value:
                (revised if down else revisions).add(value)
    heads = revisions - revised
    if len(heads) != 1:
        raise RuntimeError(f"expected one migration head, found {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).first()
    return None if found is None else str(found[0])


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Brings the schema to `revision` (a no-op when it is there already)."""
    target = head_revision() if revision == "head" else revision
    if current_revision(engine) == target:
        return
    from alembic import command

    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK})
            try:
                command.upgrade(alembic_config(engine), revision)
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK})
        return
    command.upgrade(alembic_config(engine), revision)
