"""/readyz: ok, degraded (200) or not_ready (503), with the reasons, answered in bounded time."""

from __future__ import annotations

import socket
import sqlite3
import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from service.app import create_app
from service.config import Settings
from service.runtime import Runtime
from service.store.db import make_engine
from service.store.probes import StorageProbes
from tests.conftest import fake_registry

ARTICLE = {"title": "Talks open in Paris", "body": "<p>Ministers attend.</p>", "source_lang": "en"}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _runtime(client: TestClient) -> Runtime:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def test_ready_and_ok(settings: Settings) -> None:
    with TestClient(create_app(settings, fake_registry())) as client:
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert (body["ready"], body["status"], body["reasons"]) == (True, "ok", [])
    assert body["pairs"]["en-es"]["engine"] == "fake"


def test_redis_down_is_degraded_and_requests_are_still_answered(settings: Settings) -> None:
    port = _closed_port()
    settings = settings.model_copy(
        update={"cache_backend": "redis", "redis_url": f"redis://127.0.0.1:{port}/0"}
    )
    with TestClient(create_app(settings, fake_registry())) as client:
        for _ in range(2):
            answer = client.post("/v1/articles", json=ARTICLE)
            assert answer.status_code == 200 and answer.json()["cached"] is False
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert (body["ready"], body["status"]) == (True, "degraded")
    assert body["reasons"] == [
        f"cache unavailable: ConnectionError: Error 111 connecting to 127.0.0.1:{port}. "
        "Connection refused."
    ]


def test_a_store_that_cannot_write_is_not_ready(settings: Settings) -> None:
    with TestClient(create_app(settings, fake_registry())) as client:
        runtime = _runtime(client)
        read_only = make_engine(settings.resolved_database_url)

        @event.listens_for(read_only, "connect")
        def _query_only(connection: Any, record: Any) -> None:
            connection.execute("PRAGMA query_only = ON")

        runtime.probes = StorageProbes(settings.data_dir, read_only, runtime.cache, 2.0)
        response = client.get("/readyz")
        read_only.dispose()
    assert response.status_code == 503
    body = response.json()
    assert (body["ready"], body["status"]) == (False, "not_ready")
    assert body["reasons"] == [
        "store cannot write: OperationalError: (sqlite3.OperationalError) attempt to write a "
        "readonly database"
    ]


def test_a_store_that_does_not_answer_is_reported_within_the_probe_timeout(
    settings: Settings,
) -> None:
    """Another process holds SQLite's write lock: the probes wait (busy timeout), /readyz does
    not, and says ok again once the lock is gone, without a restart."""
    settings = settings.model_copy(update={"readyz_probe_timeout_s": 0.3})
    with TestClient(create_app(settings, fake_registry())) as client:
        holder = sqlite3.connect(settings.sqlite_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            response = client.get("/readyz")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert response.status_code == 503
        assert response.json()["reasons"] == [
            "store cannot write: no answer within 0.3 s",
            # The SQLite cache is a table of the same file.
            "cache unavailable: no answer within 0.3 s",
        ]
        deadline = time.monotonic() + 30
        while (again := client.get("/readyz")).status_code != 200:
            assert time.monotonic() < deadline, again.json()
    assert again.json()["status"] == "ok"
