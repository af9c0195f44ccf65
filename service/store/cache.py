"""The key-value cache behind sentence and article caching.

One small interface (`KeyValueCache`); SQLite in WAL mode is the embedded backend, Redis the
shared one. Values are JSON-compatible strings; keys are hashes built by the callers.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from service.files import private_sqlite

if TYPE_CHECKING:
    from service.config import Settings


class KeyValueCache(Protocol):
    def get_many(self, keys: Sequence[str]) -> dict[str, str]: ...

    def put_many(self, items: Mapping[str, str]) -> None: ...

    def close(self) -> None: ...


class NullCache:
    """Remembers nothing (NEWSDESK_CACHE_BACKEND=none)."""

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        return {}

    def put_many(self, items: Mapping[str, str]) -> None:
        return None

    def close(self) -> None:
        return None


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SqliteCache:
    """A table in the service's SQLite file; WAL lets readers run while one writer writes."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # The review store's file too (db.make_engine): owner-only, whichever opens it first.
        private_sqlite(path)
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=10000")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS kv_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL,"
            " created REAL NOT NULL)"
        )
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self._lock:
            for chunk in _chunks(list(dict.fromkeys(keys))):
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT key, value FROM kv_cache WHERE key IN ({marks})", tuple(chunk)
                )
                found.update(rows.fetchall())
        return found

    def put_many(self, items: Mapping[str, str]) -> None:
        if not items:
            return
        now = time.time()
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO kv_cache (key, value, created) VALUES (?, ?, ?)",
                    [(k, v, now) for k, v in items.items()],
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def open_cache(settings: Settings) -> KeyValueCache:
    """The cache the settings name: none, Redis (shared), or SQLite in the data dir."""
    backend = settings.cache_backend
    if backend == "none":
        return NullCache()
    if backend == "redis" or (backend == "auto" and settings.redis_url):
        from service.store.redis_cache import RedisCache

        if not settings.redis_url:
            raise ValueError("NEWSDESK_CACHE_BACKEND=redis needs NEWSDESK_REDIS_URL")
        return RedisCache(settings.redis_url, settings.redis_key_prefix, settings.redis_cache_ttl_s)
    return SqliteCache(settings.sqlite_path)
