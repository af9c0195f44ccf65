"""Write probes of where the service keeps things (data dir, store, cache), for /readyz.

Each probe writes what it must to find out whether a write would succeed now, and leaves
nothing behind: a small file created and deleted, a store write rolled back, one dedicated cache
key overwritten. Each runs in a thread of its own and is waited for at most `timeout_s`, so a
hung database or file system makes /readyz say so instead of hanging it; a probe still running
from an earlier call is waited for again rather than started twice.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, text

from service.faults import describe
from service.store.cache import BestEffortCache

Severity = Literal["degraded", "not_ready"]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    reason: str


def probe_directory(path: Path) -> None:
    """Creates, syncs and deletes a small file in `path`; raises OSError where it cannot."""
    name = path / f".newsdesk-probe-{os.getpid()}-{threading.get_ident()}"
    fd = os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        os.write(fd, b"probe\n")
        os.fsync(fd)
    finally:
        os.close(fd)
        name.unlink(missing_ok=True)


def probe_database(engine: Engine, timeout_s: float) -> None:
    """Rewrites the schema's version row in place and rolls back: a real write (it takes the
    write lock, and fails on a read-only database or server), with nothing kept. SQLite writes
    reach its file only at commit, so its directory is probed too, for a full or read-only disk.
    """
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            probe_directory(Path(database).parent)
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            if engine.dialect.name == "postgresql":
                limit = max(1, int(timeout_s * 1000))
                connection.execute(text(f"SET LOCAL lock_timeout = {limit}"))
                connection.execute(text(f"SET LOCAL statement_timeout = {limit}"))
            connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
        finally:
            transaction.rollback()


class _Bounded:
    """Runs `fn` in a daemon thread (a probe stuck in the kernel must not block the process's
    exit either) and hands out its future; one run at a time."""

    def __init__(self, name: str, fn: Callable[[], None]) -> None:
        self._name = name
        self._fn = fn
        self._lock = threading.Lock()
        self._running: Future[None] | None = None

    def start(self) -> Future[None]:
        with self._lock:
            if self._running is None or self._running.done():
                future: Future[None] = Future()
                threading.Thread(
                    target=self._run, args=(future,), name=f"probe-{self._name}", daemon=True
                ).start()
                self._running = future
            return self._running

    def _run(self, future: Future[None]) -> None:
        try:
            self._fn()
        except Exception as exc:  # every failure is the probe's answer, reported by /readyz
            future.set_exception(exc)
        else:
            future.set_result(None)


class StorageProbes:
    """The data dir (degraded when it cannot be written: only the cache and session secret live
    there unless the store does), the store (not ready when it cannot write: drafts, review and
    keys would be lost) and the cache (degraded: it only saves work)."""

    def __init__(
        self, data_dir: Path, store: Engine, cache: BestEffortCache, timeout_s: float
    ) -> None:
        self.timeout_s = timeout_s
        self._probes: list[tuple[_Bounded, Severity, Callable[[str], str]]] = [
            (
                _Bounded("data-dir", lambda: probe_directory(data_dir)),
                "degraded",
                lambda error: f"data dir not writable: {data_dir} ({error})",
            ),
            (
                _Bounded("store", lambda: probe_database(store, timeout_s)),
                "not_ready",
                lambda error: f"store cannot write: {error}",
            ),
            (
                _Bounded("cache", cache.probe),
                "degraded",
                lambda error: f"cache unavailable: {error}",
            ),
        ]

    def check(self) -> list[Problem]:
        """Every probe started at once; the answers of those done within `timeout_s` in all."""
        started = [(probe.start(), severity, reason) for probe, severity, reason in self._probes]
        wait([future for future, _, _ in started], timeout=self.timeout_s)
        problems: list[Problem] = []
        for future, severity, reason in started:
            if not future.done():
                problems.append(Problem(severity, reason(f"no answer within {self.timeout_s:g} s")))
            elif (error := future.exception()) is not None:
                problems.append(Problem(severity, reason(describe(error))))
        return problems
