"""Owner-only files (service/files.py): the SQLite database with its -wal and -shm, whichever of
the review store and the cache opens it first, and the session secret; created 0600 and
tightened when found looser."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from service.files import private_file
from service.security import session_secret
from service.store.db import make_engine
from service.store.sqlite_cache import SqliteCache


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """A umask that would leave new files world-readable (0644), as many systems have."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _sqlite_files(path: Path) -> dict[str, int]:
    return {p.name: _mode(p) for p in path.parent.iterdir() if p.name.startswith(path.name)}


def test_the_review_store_makes_its_database_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "newsdesk.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
        files = _sqlite_files(path)
    engine.dispose()
    assert set(files) == {"newsdesk.sqlite3", "newsdesk.sqlite3-wal", "newsdesk.sqlite3-shm"}
    assert set(files.values()) == {0o600}


def test_the_cache_makes_the_same_file_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.sqlite3"
    cache = SqliteCache(path)
    cache.put_many({"k": "v"})
    files = _sqlite_files(path)
    cache.close()
    assert "newsdesk.sqlite3-wal" in files and set(files.values()) == {0o600}


def test_looser_files_found_at_start_are_tightened(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.sqlite3"
    SqliteCache(path).close()
    for name in ("newsdesk.sqlite3", "newsdesk.sqlite3-wal", "newsdesk.sqlite3-shm"):
        (tmp_path / name).touch()
        (tmp_path / name).chmod(0o644)
    make_engine(f"sqlite:///{path}").dispose()
    assert set(_sqlite_files(path).values()) == {0o600}
    path.chmod(0o666)
    SqliteCache(path).close()
    assert _mode(path) == 0o600


def test_the_session_secret_is_owner_only(tmp_path: Path) -> None:
    secret = session_secret(None, tmp_path)
    assert _mode(tmp_path / "secret_key") == 0o600
    (tmp_path / "secret_key").chmod(0o644)
    assert session_secret(None, tmp_path) == secret
    assert _mode(tmp_path / "secret_key") == 0o600


def test_a_missing_file_is_left_missing_unless_asked_for(tmp_path: Path) -> None:
    private_file(tmp_path / "absent")
    assert not (tmp_path / "absent").exists()
    private_file(tmp_path / "made", create=True)
    assert _mode(tmp_path / "made") == 0o600
