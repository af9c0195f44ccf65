"""The embedded cache backend: a table in the service's SQLite file (WAL mode)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from service.files import private_sqlite
from service.store.keyvalue import chunks

# What a SQLite file that is locked, full or unreadable raises: the cache then degrades.
SQLITE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, OSError)


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
        # Pruning picks entries by age: oldest first.
        self._conn.execute("CREATE INDEX IF NOT EXISTS kv_cache_created ON kv_cache (created)")
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self._lock:
            for chunk in chunks(list(dict.fromkeys(keys))):
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
        with self._transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO kv_cache (key, value, created) VALUES (?, ?, ?)",
                [(k, v, now) for k, v in items.items()],
            )

    def count(self) -> int:
        with self._lock:
            row = self._conn.execute("SELECT COUNT(*) FROM kv_cache").fetchone()
        return int(row[0])

    def prune(self, max_age_s: float = 0, max_entries: int = 0, now: float | None = None) -> int:
        """Removes entries written more than `max_age_s` ago, then the oldest ones beyond
        `max_entries`; 0 leaves that limit off. The number removed. An entry rewritten since
        counts from its rewrite: `put_many` replaces the row and its `created`."""
        now = time.time() if now is None else now
        removed = 0
        with self._transaction():
            if max_age_s > 0:
                done = self._conn.execute(
                    "DELETE FROM kv_cache WHERE created < ?", (now - max_age_s,)
                )
                removed += done.rowcount
            if max_entries > 0:
                done = self._conn.execute(
                    "DELETE FROM kv_cache WHERE key IN (SELECT key FROM kv_cache"
                    " ORDER BY created DESC, key LIMIT -1 OFFSET ?)",
                    (max_entries,),
                )
                removed += done.rowcount
        return removed

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction under the lock, committed when the block ends."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield
                self._conn.execute("COMMIT")
            except BaseException:
                # SQLite may have rolled back already (a full disk does); a transaction left
                # open would fail every later write with "within a transaction", for good.
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()
