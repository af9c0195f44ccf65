"""The store suite runs on SQLite and on PostgreSQL.

PostgreSQL comes from NEWSDESK_TEST_POSTGRES_URL (default: the trust-auth server on
127.0.0.1:5432, database `test`). Each test gets a schema of its own, dropped afterwards
(`tests.helpers.services.postgres_schema`). Unreachable server: the PostgreSQL cases skip
saying why, unless CI=true or NEWSDESK_REQUIRE_SERVICES=1, where they fail."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from service.store.db import make_engine
from tests.helpers.services import postgres_schema


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections work in a fresh, empty schema."""
    with postgres_schema() as url:
        yield url


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
