"""The key-value cache behind sentence and article caching.

One small interface (`KeyValueCache`, in `keyvalue`); SQLite in WAL mode is the embedded
backend (`sqlite_cache`), Redis the shared one (`redis_cache`). Values are JSON-compatible
strings; keys are hashes built by the callers.

Every user gets the backend through `BestEffortCache`: a cache only saves work, so a cache that
fails (disk full, Redis down) costs a recomputation, never a request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from service.faults import ThrottledLog, describe
from service.metrics import CACHE_ERRORS, CACHE_SKIPPED
from service.store.keyvalue import KeyValueCache, NullCache
from service.store.sqlite_cache import SQLITE_ERRORS, SqliteCache

if TYPE_CHECKING:
    from service.config import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
# Written and read back by `BestEffortCache.probe`: one dedicated key, overwritten each time.
PROBE_KEY = "probe:readyz"


class _Breaker:
    """After a failure the operation is left alone for `retry_after_s`; then one caller tries it
    again while the others still skip it, until that try has answered."""

    def __init__(self, retry_after_s: float) -> None:
        self._retry_after_s = retry_after_s
        self._lock = threading.Lock()
        self._open_until: float | None = None
        self._trying = False

    def allow(self) -> bool:
        with self._lock:
            if self._open_until is None:
                return True
            if self._trying or time.monotonic() < self._open_until:
                return False
            self._trying = True
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._open_until, self._trying = None, False

    def failed(self) -> None:
        with self._lock:
            self._open_until, self._trying = time.monotonic() + self._retry_after_s, False

    def release(self) -> None:
        """The try ended in an error that says nothing about the backend (a bug): let the next
        caller try instead of skipping forever."""
        with self._lock:
            self._trying = False


class BestEffortCache:
    """A `KeyValueCache` that never fails its caller: a failed get answers a miss, a failed put
    is skipped, and either is counted (`newsdesk_cache_errors_total{op}`) and logged at most once
    a minute. After a failure that operation skips the backend for `retry_after_s`, so a dead
    Redis costs one timeout per interval, not one per request; reads and writes are judged
    apart, since a full disk refuses writes but still serves reads.

    The backend is opened here too, so a backend that cannot open (Redis unreachable, data dir
    unreadable) does not stop a start: it is tried again like a failed operation.

    Only `errors` (what the backend raises when it is unavailable) are absorbed: anything else
    is a bug and reaches the caller.
    """

    def __init__(
        self,
        open_backend: Callable[[], KeyValueCache],
        errors: tuple[type[Exception], ...],
        retry_after_s: float = 5.0,
        name: str = "cache",
    ) -> None:
        self.name = name
        self._open_backend = open_backend
        self._errors = errors
        self._backend: KeyValueCache | None = None
        self._opening = threading.Lock()
        self._retry_after_s = retry_after_s
        self._breakers = {op: _Breaker(retry_after_s) for op in ("open", "get", "put")}
        self._log = ThrottledLog(log)
        self._open()

    @property
    def backend(self) -> KeyValueCache | None:
        """The backend, once it has opened."""
        return self._backend

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        if not keys:
            return {}
        return self._call("get", lambda backend: backend.get_many(keys), {})

    def put_many(self, items: Mapping[str, str]) -> None:
        if items:
            self._call("put", lambda backend: backend.put_many(items), None)

    def probe(self) -> None:
        """Writes and reads back one dedicated key, past the breakers (it is asked rarely, and
        answers whether the backend works now); raises the first error. Each answer also
        settles its operation's breaker: a success lets requests use it again at once, and a
        write that fails leaves reads alone (a full disk still serves them)."""
        try:
            with self._opening:
                if self._backend is None:
                    self._backend = self._open_backend()
                backend = self._backend
        except self._errors:
            self._breakers["open"].failed()
            raise
        self._breakers["open"].succeeded()
        # Not compared with what was written: another replica may have written it since.
        checks: list[tuple[str, Callable[[], object]]] = [
            ("put", lambda: backend.put_many({PROBE_KEY: str(time.time())})),
            ("get", lambda: backend.get_many([PROBE_KEY])),
        ]
        first: Exception | None = None
        for op, check in checks:
            try:
                check()
            except self._errors as exc:
                self._breakers[op].failed()
                first = first or exc
            else:
                self._breakers[op].succeeded()
        if first is not None:
            raise first

    def close(self) -> None:
        backend, self._backend = self._backend, None
        if backend is not None:
            try:
                backend.close()
            except self._errors as exc:
                log.warning("%s: closing failed: %s", self.name, describe(exc))

    def _call(self, op: str, fn: Callable[[KeyValueCache], T], default: T) -> T:
        backend = self._backend or self._open()
        if backend is None:
            return default
        return self._guarded(op, lambda: fn(backend), default)

    def _open(self) -> KeyValueCache | None:
        with self._opening:
            if self._backend is None:
                self._backend = self._guarded("open", self._open_backend, None)
            return self._backend

    def _guarded(self, op: str, fn: Callable[[], T], default: T) -> T:
        breaker = self._breakers[op]
        if not breaker.allow():
            CACHE_SKIPPED.labels(op).inc()
            return default
        try:
            result = fn()
        except self._errors as exc:
            breaker.failed()
            CACHE_ERRORS.labels(op).inc()
            self._log.warning(
                op,
                "%s: %s failed; skipped for %g s (reads miss, writes are dropped): %s",
                self.name,
                op,
                self._retry_after_s,
                describe(exc),
            )
            return default
        except BaseException:
            breaker.release()
            raise
        breaker.succeeded()
        return result


def open_cache(settings: Settings) -> BestEffortCache:
    """The cache the settings name (none, Redis, or SQLite in the data dir), best effort."""
    backend = settings.cache_backend
    retry = settings.cache_retry_after_s
    if backend == "none":
        return BestEffortCache(NullCache, (), retry, "no cache")
    if backend == "redis" or (backend == "auto" and settings.redis_url):
        from service.store.redis_cache import REDIS_ERRORS, RedisCache

        url = settings.redis_url
        if not url:
            raise ValueError("NEWSDESK_CACHE_BACKEND=redis needs NEWSDESK_REDIS_URL")
        return BestEffortCache(
            lambda: RedisCache(
                url,
                settings.redis_key_prefix,
                settings.redis_cache_ttl_s,
                settings.redis_socket_timeout_s,
            ),
            REDIS_ERRORS,
            retry,
            "Redis cache",
        )
    path = settings.sqlite_path
    return BestEffortCache(lambda: SqliteCache(path), SQLITE_ERRORS, retry, "SQLite cache")
