"""`newsdesk users add`, `keys create`, `db` and `cache prune` against a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.config import Settings
from service.store import db
from service.store.review import ReviewStore


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"NEWSDESK_DATA_DIR": str(tmp_path / "var"), "NEWSDESK_DATABASE_URL": ""}


def _store(env: dict[str, str]) -> ReviewStore:
    return ReviewStore.open(Settings(data_dir=Path(env["NEWSDESK_DATA_DIR"])))


def test_users_add_and_keys_create(env: dict[str, str]) -> None:
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["users", "add", "--name", "ana", "--role", "editor", "--password", "s3cret-pass"],
        env=env,
    )
    assert added.exit_code == 0, added.output
    assert "added editor ana" in added.output
    again = runner.invoke(
        app, ["users", "add", "--name", "ana", "--password", "s3cret-pass"], env=env
    )
    assert again.exit_code == 2 and "error: user already exists: ana" in again.output
    created = runner.invoke(app, ["keys", "create", "--role", "client", "--name", "cms"], env=env)
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[0]
    assert key.startswith("nd_") and len(key) > 30
    store = _store(env)
    try:
        assert store.authenticate("ana", "s3cret-pass") is not None
        principal = store.principal_for_key(key)
        assert principal is not None and (principal.role, principal.name) == ("client", "cms")
    finally:
        store.close()
    listed = runner.invoke(app, ["keys", "list"], env=env)
    assert "client\tcms\tactive" in listed.output and key not in listed.output


def test_password_from_the_environment_or_stdin(env: dict[str, str]) -> None:
    runner = CliRunner()
    from_env = runner.invoke(
        app,
        ["users", "add", "--name", "eve"],
        env={**env, "NEWSDESK_NEW_USER_PASSWORD": "pw-from-env"},
    )
    assert from_env.exit_code == 0, from_env.output
    from_stdin = runner.invoke(
        app, ["users", "add", "--name", "bob"], env=env, input="pw-on-stdin\n"
    )
    assert from_stdin.exit_code == 0, from_stdin.output
    short = runner.invoke(app, ["users", "add", "--name", "sam", "--password", "short"], env=env)
    assert short.exit_code == 2 and "password is shorter than 8 characters" in short.output
    bad_role = runner.invoke(
        app,
        ["users", "add", "--name", "sam", "--role", "boss", "--password", "long enough"],
        env=env,
    )
    assert "unknown role: boss (client, editor or admin)" in bad_role.output
    store = _store(env)
    try:
        assert store.authenticate("eve", "pw-from-env") is not None
        assert store.authenticate("bob", "pw-on-stdin") is not None
    finally:
        store.close()


def test_db_upgrade_and_current(env: dict[str, str]) -> None:
    runner = CliRunner()
    head = db.head_revision()
    upgraded = runner.invoke(app, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0 and f"schema at {head}" in upgraded.output
    current = runner.invoke(app, ["db", "current"], env=env)
    assert f"current {head}; head {head}" in current.output


def test_keys_create_with_limits_and_list_them(env: dict[str, str]) -> None:
    runner = CliRunner()
    env = {**env, "NEWSDESK_RATE_LIMIT_RPM": "600", "NEWSDESK_RATE_LIMIT_CHARS_PER_DAY": "0"}
    created = runner.invoke(
        app,
        ["keys", "create", "--name", "cms", "--rpm", "20", "--chars-per-day", "100000"],
        env=env,
    )
    assert created.exit_code == 0, created.output
    assert (
        runner.invoke(app, ["keys", "create", "--name", "bulk", "--rpm", "0"], env=env).exit_code
        == 0
    )
    assert runner.invoke(app, ["keys", "create", "--name", "plain"], env=env).exit_code == 0
    negative = runner.invoke(app, ["keys", "create", "--rpm", "-5"], env=env)
    assert negative.exit_code == 2 and "error: rpm must be 0 (unlimited) or more" in negative.output
    lines = runner.invoke(app, ["keys", "list"], env=env).output.splitlines()
    limits = [line.split("\t")[3:] for line in lines]
    assert limits == [
        ["cms", "active", "20 rpm", "100000 chars/day"],
        ["bulk", "active", "unlimited rpm", "unlimited chars/day (default)"],
        ["plain", "active", "600 rpm (default)", "unlimited chars/day (default)"],
    ]
    key = created.stdout.strip().splitlines()[0]
    store = _store(env)
    try:
        principal = store.principal_for_key(key)
        assert principal is not None and (principal.rpm, principal.chars_per_day) == (20, 100_000)
    finally:
        store.close()


def test_cache_prune_applies_the_settings_and_the_options(env: dict[str, str]) -> None:
    from service.store.sqlite_cache import SqliteCache

    env = dict(env, NEWSDESK_CACHE_BACKEND="sqlite", NEWSDESK_CACHE_MAX_ENTRIES="2")
    cache = SqliteCache(Settings(data_dir=Path(env["NEWSDESK_DATA_DIR"])).sqlite_path)
    cache.put_many({f"k{i}": "v" for i in range(5)})
    cache.close()
    runner = CliRunner()
    by_size = runner.invoke(app, ["cache", "prune"], env=env)
    assert by_size.exit_code == 0, by_size.output
    assert by_size.output.strip() == "removed 3 cache entries; 2 left"
    by_age = runner.invoke(app, ["cache", "prune", "--max-age-days", "0.0000001"], env=env)
    assert by_age.output.strip() == "removed 2 cache entries; 0 left"


def test_cache_prune_says_redis_entries_expire_on_their_own(env: dict[str, str]) -> None:
    env = dict(env, NEWSDESK_CACHE_BACKEND="redis", NEWSDESK_REDIS_URL="redis://127.0.0.1:1/0")
    pruned = CliRunner().invoke(app, ["cache", "prune"], env=env)
    assert pruned.exit_code == 0
    assert "expire after NEWSDESK_REDIS_CACHE_TTL_S" in pruned.output
