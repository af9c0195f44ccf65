"""Degrade, don't fail, against real outages: a Redis killed and started again, PostgreSQL cut
off and back, a data dir that fills up, a data dir that is read-only. Requests are answered throughout, /readyz says
what is wrong, and everything recovers without a restart."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from service.app import create_app
from service.config import Settings
from tests.conftest import fake_registry
from tests.helpers.outages import CuttableProxy, PrivateRedis, Unavailable, fill, remount, tmpfs
from tests.helpers.services import postgres_url


def _article(n: int, paragraphs: int = 1) -> dict[str, Any]:
    body = "".join(
        f"<p>Paragraph {i} of report {n} describes the budget talks in some detail.</p>"
        for i in range(paragraphs)
    )
    return {"title": f"Budget talks, report {n}", "body": body, "source_lang": "en"}


def _post(client: TestClient, payload: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/articles", json=payload)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _ready_again(client: TestClient) -> dict[str, Any]:
    """/readyz once it says ok; a deadline guards against a hang, it measures nothing."""
    deadline = time.monotonic() + 30
    while (response := client.get("/readyz")).json()["status"] != "ok":
        assert time.monotonic() < deadline, response.json()
        time.sleep(0.1)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    try:
        server = PrivateRedis(tmp_path / "redis")
        server.start()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    try:
        with tmpfs(tmp_path / "var", "2m") as mounted:
            yield mounted
    except Unavailable as exc:
        pytest.skip(f"cannot stage a small or read-only data dir here: {exc}")


@pytest.mark.redis
def test_redis_killed_and_started_again(settings: Settings, private_redis: PrivateRedis) -> None:
    settings = settings.model_copy(
        update={"redis_url": private_redis.url, "cache_retry_after_s": 0.2}
    )
    with TestClient(create_app(settings, fake_registry())) as client:
        assert _post(client, _article(1))["cached"] is False
        assert _post(client, _article(1))["cached"] is True
        assert client.get("/readyz").json()["status"] == "ok"

        private_redis.stop()
        assert _post(client, _article(1))["cached"] is False
        assert _post(client, _article(2))["cached"] is False
        down = client.get("/readyz")
        assert down.status_code == 200 and down.json()["status"] == "degraded"
        assert down.json()["reasons"] == [
            f"cache unavailable: ConnectionError: Error 111 connecting to 127.0.0.1:"
            f"{private_redis.port}. Connection refused."
        ]

        private_redis.start()
        _ready_again(client)
        assert _post(client, _article(3))["cached"] is False
        assert _post(client, _article(3))["cached"] is True


@pytest.fixture
def postgres_behind_proxy() -> Iterator[tuple[str, CuttableProxy]]:
    """A schema of its own in the test database, reached through a proxy this test can cut:
    the shared server itself stays up for everyone else."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(postgres_url())
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    proxy = CuttableProxy((base.host or "127.0.0.1", base.port or 5432))
    proxy.restore()
    url = base.set(host="127.0.0.1", port=proxy.port).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    try:
        yield url.render_as_string(hide_password=False), proxy
    finally:
        proxy.cut()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.postgres
def test_postgres_cut_off_and_back(
    settings: Settings, postgres_behind_proxy: tuple[str, CuttableProxy]
) -> None:
    """Drafts cannot be stored while PostgreSQL is gone: not ready, and every article is still
    answered (without review state); stored again once it is back, without a restart."""
    url, proxy = postgres_behind_proxy
    settings = settings.model_copy(update={"database_url": url, "cache_retry_after_s": 0.2})
    with TestClient(create_app(settings, fake_registry())) as client:
        assert _post(client, _article(1))["versions"]["es"]["review"] is not None

        proxy.cut()
        failed_saves = _count("newsdesk_store_errors_total", {"op": "save"})
        answer = _post(client, _article(2))
        assert answer["versions"]["es"]["title"] == "Budget talks, report 2"
        assert answer["versions"]["es"]["review"] is None
        assert _post(client, _article(1))["versions"]["es"]["review"] is None
        assert _count("newsdesk_store_errors_total", {"op": "save"}) == failed_saves + 2
        down = client.get("/readyz")
        assert down.status_code == 503 and down.json()["status"] == "not_ready"
        assert [r.split(": ")[0] for r in down.json()["reasons"]] == ["store cannot write"]

        proxy.restore()
        _ready_again(client)
        assert _post(client, _article(2))["versions"]["es"]["review"] is not None


def _count(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_data_dir_full(settings: Settings, small_tmpfs: Path) -> None:
    """The SQLite store and cache in a 2 MB data dir that fills up: not ready (the store cannot
    write), every request still answered, cached repeats from the cache; room again: ok."""
    settings = settings.model_copy(update={"data_dir": small_tmpfs, "cache_retry_after_s": 0.2})
    with TestClient(create_app(settings, fake_registry())) as client:
        stored = _post(client, _article(1))
        assert stored["versions"]["es"]["review"] is not None

        filler = fill(small_tmpfs)
        full = client.get("/readyz")
        assert full.status_code == 503 and full.json()["status"] == "not_ready"
        reasons = full.json()["reasons"]
        assert reasons[0].startswith(
            f"data dir not writable: {small_tmpfs} (OSError: [Errno 28] No space left on device"
        )
        assert reasons[1].startswith("store cannot write: ")

        assert _post(client, _article(1))["cached"] is True
        failed_saves = _count("newsdesk_store_errors_total", {"op": "save"})
        answers = [_post(client, _article(n, paragraphs=40)) for n in range(10, 20)]
        assert all(a["versions"]["es"]["title"].startswith("Budget talks") for a in answers)
        assert _count("newsdesk_store_errors_total", {"op": "save"}) > failed_saves
        assert any(a["versions"]["es"]["review"] is None for a in answers)

        filler.unlink()
        _ready_again(client)
        again = _post(client, _article(30, paragraphs=40))
        assert again["versions"]["es"]["review"] is not None
        assert _post(client, _article(30, paragraphs=40))["cached"] is True


def test_data_dir_read_only_with_the_store_elsewhere(
    settings: Settings, small_tmpfs: Path, tmp_path: Path
) -> None:
    """A data dir mounted read-only (made so before the start: Linux refuses to remount a file
    system read-only while files on it are open for writing, as the SQLite cache's is): the
    service starts, answers and stores drafts in the store elsewhere, says degraded, and
    caches again once the data dir can be written, without a restart."""
    store = tmp_path / "store" / "newsdesk.sqlite3"
    settings = settings.model_copy(
        update={
            "data_dir": small_tmpfs,
            "database_url": f"sqlite:///{store}",
            "secret_key": "not-kept-in-the-data-dir",
            "cache_retry_after_s": 0.2,
        }
    )
    remount(small_tmpfs, read_only=True)
    try:
        with TestClient(create_app(settings, fake_registry())) as client:
            degraded = client.get("/readyz")
            assert degraded.status_code == 200 and degraded.json()["status"] == "degraded"
            reasons = degraded.json()["reasons"]
            assert reasons[0].startswith(
                f"data dir not writable: {small_tmpfs} (OSError: [Errno 30] Read-only file system"
            )
            # The cache's file cannot even be created (owner-only, by service.files) there.
            assert reasons[1].startswith("cache unavailable: OSError: [Errno 30] Read-only")
            answer = _post(client, _article(1))
            assert answer["versions"]["es"]["review"] is not None  # the store is elsewhere
            assert _post(client, _article(1))["cached"] is False

            remount(small_tmpfs, read_only=False)
            _ready_again(client)
            assert _post(client, _article(2))["cached"] is False
            assert _post(client, _article(2))["cached"] is True
    finally:
        remount(small_tmpfs, read_only=False)
