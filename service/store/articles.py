"""The last result for each article id, so `GET /v1/articles/{id}` can answer."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Protocol

from service.schemas import ArticleRequest, ArticleResponse


class ArticleStore(Protocol):
    def save(self, request: ArticleRequest, response: ArticleResponse) -> None: ...

    def get(self, article_id: str) -> ArticleResponse | None: ...

    def close(self) -> None: ...


class SqliteArticleStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA busy_timeout=10000")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS article_results (id TEXT PRIMARY KEY,"
            " response TEXT NOT NULL, updated REAL NOT NULL)"
        )
        self._lock = threading.Lock()

    def save(self, request: ArticleRequest, response: ArticleResponse) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO article_results (id, response, updated) VALUES (?, ?, ?)",
                (response.id, response.model_dump_json(), time.time()),
            )

    def get(self, article_id: str) -> ArticleResponse | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT response FROM article_results WHERE id = ?", (article_id,)
            ).fetchone()
        return None if row is None else ArticleResponse.model_validate_json(row[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()
