"""The best-effort cache: a failing backend costs a miss or a skipped write, never the caller."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from service.store.cache import PROBE_KEY, BestEffortCache
from service.store.sqlite_cache import SqliteCache
from tests.helpers.fakes import FlakyCache

ERRORS = (ConnectionError, sqlite3.Error)


def _count(name: str, op: str) -> float:
    return REGISTRY.get_sample_value(name, {"op": op}) or 0.0


def _cache(backend: FlakyCache, retry_after_s: float = 60.0) -> BestEffortCache:
    return BestEffortCache(lambda: backend, ERRORS, retry_after_s, "test cache")


def test_a_failing_read_is_a_miss_and_a_failing_write_is_skipped() -> None:
    backend = FlakyCache()
    cache = _cache(backend)
    cache.put_many({"k": "v"})
    assert cache.get_many(["k"]) == {"k": "v"}
    get_errors, put_errors = (
        _count("newsdesk_cache_errors_total", "get"),
        _count("newsdesk_cache_errors_total", "put"),
    )
    backend.failing = True
    assert cache.get_many(["k"]) == {}
    cache.put_many({"other": "v"})
    assert _count("newsdesk_cache_errors_total", "get") == get_errors + 1
    assert _count("newsdesk_cache_errors_total", "put") == put_errors + 1
    assert "other" not in backend.data


def test_after_a_failure_the_operation_skips_the_backend_until_the_interval_passes() -> None:
    backend = FlakyCache()
    cache = _cache(backend, retry_after_s=60.0)
    backend.failing = True
    cache.get_many(["k"])
    reached = backend.calls
    skipped = _count("newsdesk_cache_skipped_total", "get")
    backend.failing = False
    for _ in range(5):
        assert cache.get_many(["k"]) == {}
    assert backend.calls == reached
    assert _count("newsdesk_cache_skipped_total", "get") == skipped + 5
    # Reads and writes are judged apart: a full disk refuses writes and still serves reads.
    cache.put_many({"k": "v"})
    assert backend.data == {"k": "v"}


def test_once_the_interval_has_passed_one_call_tries_again_and_recovers() -> None:
    backend = FlakyCache()
    cache = _cache(backend, retry_after_s=0.0)
    backend.failing = True
    cache.put_many({"k": "v"})
    assert backend.data == {}
    backend.failing = False
    cache.put_many({"k": "v"})
    assert cache.get_many(["k"]) == {"k": "v"}


def test_a_bug_reaches_the_caller_and_does_not_stop_later_calls() -> None:
    backend = FlakyCache(error=TypeError("not a cache outage"))
    cache = _cache(backend)
    backend.failing = True
    with pytest.raises(TypeError):
        cache.get_many(["k"])
    backend.failing = False
    backend.data["k"] = "v"
    assert cache.get_many(["k"]) == {"k": "v"}


def test_a_backend_that_cannot_open_does_not_stop_the_start_and_is_opened_later() -> None:
    attempts: list[int] = []
    backend = FlakyCache()

    def open_backend() -> FlakyCache:
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
        return backend

    cache = BestEffortCache(open_backend, ERRORS, 0.0, "test cache")
    assert cache.backend is None
    cache.put_many({"k": "v"})
    assert cache.backend is backend and backend.data == {"k": "v"}


def test_the_probe_raises_the_backend_error_and_a_success_reopens_at_once() -> None:
    backend = FlakyCache()
    cache = _cache(backend, retry_after_s=60.0)
    backend.failing = True
    with pytest.raises(ConnectionError, match="Connection refused"):
        cache.probe()
    backend.failing = False
    cache.put_many({"k": "v"})
    assert "k" not in backend.data  # skipped: the probe's failure counts as the last word
    cache.probe()
    assert PROBE_KEY in backend.data
    cache.put_many({"k": "v"})
    assert backend.data["k"] == "v"


def test_a_probe_that_cannot_write_leaves_reads_alone() -> None:
    backend = FlakyCache(error=sqlite3.OperationalError("database or disk is full"))
    backend.data["k"] = "v"
    cache = _cache(backend, retry_after_s=60.0)
    backend.full = True
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        cache.probe()
    assert cache.get_many(["k"]) == {"k": "v"}
    reached = backend.calls
    cache.put_many({"other": "v"})
    assert backend.calls == reached  # skipped until the interval passes or a probe succeeds


def test_failures_are_logged_once_a_minute_not_once_a_request(
    caplog: pytest.LogCaptureFixture,
) -> None:
    backend = FlakyCache()
    cache = _cache(backend, retry_after_s=0.0)
    backend.failing = True
    with caplog.at_level(logging.WARNING, logger="service.store.cache"):
        for _ in range(50):
            cache.get_many(["k"])
    assert backend.calls == 50
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage() == (
        "test cache: get failed; skipped for 0 s (reads miss, writes are dropped): "
        "ConnectionError: Connection refused"
    )


def test_sqlite_cache_writes_again_after_a_full_database(tmp_path: Path) -> None:
    """A write that fails on a full database leaves no transaction open behind it, which would
    fail every later write (`cannot start a transaction within a transaction`)."""
    sqlite = SqliteCache(tmp_path / "cache.sqlite3")
    sqlite.put_many({"k0": "v"})
    # The cache's own connection: a page limit at the current size makes the next write full.
    sqlite._conn.execute("PRAGMA max_page_count = 1")
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        sqlite.put_many({f"k{i}": "x" * 4000 for i in range(1, 20)})
    assert not sqlite._conn.in_transaction
    sqlite._conn.execute("PRAGMA max_page_count = 1073741823")
    sqlite.put_many({"k1": "v"})
    assert sqlite.get_many(["k0", "k1"]) == {"k0": "v", "k1": "v"}
    sqlite.close()
