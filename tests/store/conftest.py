"""The store suite runs on SQLite and on PostgreSQL.

PostgreSQL comes from NEWSDESK_TEST_POSTGRES_URL (default: the trust-auth server on
127.0.0.1:5432, database `test`). Each test gets a schema of its own, dropped afterwards.
Unreachable server: the PostgreSQL cases skip saying why, unless CI=true or
NEWSDESK_REQUIRE_SERVICES=1, where they fail."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from service.store.db import make_engine

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("NEWSDESK_TEST_POSTGRES_URL", DEFAULT_POSTGRES)


def services_required() -> bool:
    return (
        os.environ.get("CI", "").lower() == "true"
        or os.environ.get("NEWSDESK_REQUIRE_SERVICES") == "1"
    )


_reachable: dict[str, str | None] = {}


def _postgres_problem(url: str) -> str | None:
    if url not in _reachable:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            _reachable[url] = None
        except Exception as exc:  # any failure to connect is a reason to skip
            _reachable[url] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        finally:
            engine.dispose()
    return _reachable[url]


def need_postgres() -> str:
    url = postgres_url()
    problem = _postgres_problem(url)
    if problem is not None:
        where = make_url(url).render_as_string(hide_password=True)
        message = f"PostgreSQL not reachable at {where} ({problem}); set NEWSDESK_TEST_POSTGRES_URL"
        if services_required():
            pytest.fail(message + " [CI=true / NEWSDESK_REQUIRE_SERVICES=1: required]")
        pytest.skip(message)
    return url


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections work in a fresh, empty schema."""
    base = need_postgres()
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return str(request.getfixturevalue("postgres_schema_url"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()
