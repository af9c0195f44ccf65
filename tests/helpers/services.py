"""The real Redis and PostgreSQL servers for integration tests.

Unreachable means skipped, with the reason, on a developer machine; under CI=true or
NEWSDESK_REQUIRE_SERVICES=1 (what .ci/run sets) it means failed, so CI cannot go green by
silently testing nothing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

REDIS_URL = os.environ.get("NEWSDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
POSTGRES_URL = os.environ.get(
    "NEWSDESK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def services_required() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes") or os.environ.get(
        "NEWSDESK_REQUIRE_SERVICES", ""
    ) not in ("", "0")


def unavailable(what: str, url: str, exc: BaseException) -> None:
    message = f"{what} unreachable at {url} ({type(exc).__name__}: {exc})"
    if services_required():
        pytest.fail(f"{message}; required here (CI=true or NEWSDESK_REQUIRE_SERVICES=1)")
    pytest.skip(f"{message}; set NEWSDESK_TEST_{what.upper()}_URL to run this test")


def redis_url() -> str:
    """REDIS_URL after a PING, or skip/fail."""
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
        client.close()
    except Exception as exc:  # any failure to reach it is "unreachable"
        unavailable("redis", REDIS_URL, exc)
    return REDIS_URL


def postgres_url() -> str:
    """POSTGRES_URL after a `SELECT 1`, or skip/fail."""
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        unavailable("postgres", POSTGRES_URL, exc)
    return POSTGRES_URL


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL of the test server whose connections work in a fresh schema, dropped afterwards
    (or skip/fail as `postgres_url`)."""
    with schema_on(postgres_url(), "t_") as url:
        yield url


@contextmanager
def schema_on(base: str, prefix: str) -> Iterator[str]:
    """`base` with its connections in a fresh schema named `prefix` + a random suffix, dropped
    afterwards: one database serves many runs that cannot see each other's tables."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = prefix + uuid.uuid4().hex[:12]
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
