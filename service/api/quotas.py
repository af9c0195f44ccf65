"""Abuse limits: requests per minute and characters per day for each API key on the client
endpoints (per client address where keys are not required), and the review log-in throttle.

The counting is the `limits` library's. Counters live in Redis when NEWSDESK_REDIS_URL is set,
so every replica and worker process draws on one budget, and in this process's memory
otherwise. When Redis cannot be reached the limits let requests through, and say so in the log:
a few minutes without limits hurt less than refusing every client."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from limits import (
    RateLimitItem,
    RateLimitItemPerDay,
    RateLimitItemPerMinute,
    RateLimitItemPerSecond,
)
from limits.aio.storage import Storage
from limits.aio.strategies import (
    FixedWindowRateLimiter,
    MovingWindowRateLimiter,
    RateLimiter,
)
from limits.errors import StorageError
from limits.storage import storage_from_string

from service.api.auth import OPEN_PATHS, SAFE_METHODS, client_key
from service.config import Settings
from service.errors import NewsdeskError
from service.store.review import Principal

log = logging.getLogger(__name__)

NAMESPACE = "newsdesk"
DAY_S = 86_400
# A Redis that does not answer within this long counts as down (the request goes through).
REDIS_TIMEOUT_S = 0.5


class RateLimited(NewsdeskError):
    status_code = 429

    def __init__(self, rpm: int, who: str, retry_after: int) -> None:
        super().__init__(f"rate limit exceeded: {rpm} requests per minute for this {who}")
        self.headers = {"Retry-After": str(retry_after)}


class QuotaExceeded(NewsdeskError):
    status_code = 429

    def __init__(self, chars: int, who: str, retry_after: int) -> None:
        super().__init__(f"daily quota exceeded: {chars} characters per day for this {who}")
        self.headers = {"Retry-After": str(retry_after)}


@dataclass(frozen=True)
class Budget:
    """Requests per minute and characters per day; 0 is unlimited."""

    rpm: int
    chars_per_day: int


def _storage(settings: Settings) -> Storage:
    if not settings.redis_url:
        storage: Any = storage_from_string("async+memory://", wrap_exceptions=True)
    else:
        url = settings.redis_url
        uri = "async+redis+unix://" + url[len("unix://") :] if url.startswith("unix://") else url
        storage = storage_from_string(
            uri if uri.startswith("async+") else "async+" + uri,
            implementation="redispy",
            key_prefix=settings.redis_key_prefix + "limits",
            wrap_exceptions=True,
            socket_connect_timeout=REDIS_TIMEOUT_S,
            socket_timeout=REDIS_TIMEOUT_S,
        )
    assert isinstance(storage, Storage)
    return storage


class Counters:
    """limits' strategies on one storage, failing open: a storage error counts as allowed.

    The moving window counts exactly "N in any 60 seconds" and knows when the oldest entry
    leaves, which makes an exact Retry-After; it keeps one entry per unit, so it counts requests
    and log-in failures. Characters go to a fixed window per UTC day: one counter each."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.moving = MovingWindowRateLimiter(storage)
        self.fixed = FixedWindowRateLimiter(storage)
        self._down = False

    def _failed(self, exc: StorageError) -> None:
        if not self._down:
            log.warning("rate-limit storage unreachable, letting requests through: %s", exc)
        self._down = True

    def _answered(self) -> None:
        if self._down:
            log.warning("rate-limit storage reachable again: limits apply")
        self._down = False

    async def hit(self, limiter: RateLimiter, item: RateLimitItem, key: str, cost: int) -> bool:
        try:
            allowed = await limiter.hit(item, key, cost=cost)
        except StorageError as exc:
            self._failed(exc)
            return True
        self._answered()
        return allowed

    async def test(
        self, limiter: RateLimiter, item: RateLimitItem, key: str, cost: int = 1
    ) -> bool:
        try:
            allowed = await limiter.test(item, key, cost=cost)
        except StorageError as exc:
            self._failed(exc)
            return True
        self._answered()
        return allowed

    async def retry_after(self, limiter: RateLimiter, item: RateLimitItem, key: str) -> int:
        """Whole seconds until the limit lets one more through (Retry-After), at least 1."""
        try:
            reset = (await limiter.get_window_stats(item, key)).reset_time
        except StorageError as exc:
            self._failed(exc)
            return 1
        return max(1, math.ceil(reset - time.time()))

    async def clear(self, limiter: RateLimiter, item: RateLimitItem, key: str) -> None:
        try:
            await limiter.clear(item, key)
        except StorageError as exc:
            self._failed(exc)

    async def close(self) -> None:
        # limits has no close of its own; the Redis client behind its bridge has.
        client = getattr(getattr(self.storage, "bridge", None), "storage", None)
        if client is not None:
            await client.aclose()


class Quotas:
    """The client endpoints' limits: one request per call, its text's characters per day."""

    def __init__(self, counters: Counters, default: Budget) -> None:
        self.counters = counters
        self.default = default

    def budget(self, principal: Principal | None) -> Budget:
        if principal is None:
            return self.default
        return Budget(
            self.default.rpm if principal.rpm is None else principal.rpm,
            self.default.chars_per_day
            if principal.chars_per_day is None
            else principal.chars_per_day,
        )

    async def charge(self, identity: str, who: str, budget: Budget, chars: int) -> None:
        """Counts one request of `chars` characters, or raises with nothing counted against the
        limit that refused it. A request refused for characters still counts as a request: it
        was made. Characters are counted per UTC day, so the wait is until midnight UTC."""
        counters = self.counters
        if budget.rpm:
            per_minute = RateLimitItemPerMinute(budget.rpm, namespace=NAMESPACE)
            if not await counters.hit(counters.moving, per_minute, identity, 1):
                wait = await counters.retry_after(counters.moving, per_minute, identity)
                raise RateLimited(budget.rpm, who, wait)
        if budget.chars_per_day and chars:
            now = time.time()
            today = f"{identity}:day{int(now // DAY_S)}"
            per_day = RateLimitItemPerDay(budget.chars_per_day, namespace=NAMESPACE)
            # A fixed window adds the cost even when it refuses, so it is asked first; two
            # replicas racing past the question may overshoot by one request, no more.
            if not await counters.test(
                counters.fixed, per_day, today, chars
            ) or not await counters.hit(counters.fixed, per_day, today, chars):
                raise QuotaExceeded(budget.chars_per_day, who, math.ceil(DAY_S - now % DAY_S))


class LoginThrottle:
    """Failed review log-ins, counted per name and per client address: at `max_failures` within
    the window, either one refuses further attempts until its oldest failure leaves the window.
    A throttle, not a lock-out: nothing has to be unlocked by hand."""

    def __init__(self, counters: Counters, max_failures: int, window_s: int) -> None:
        self.counters = counters
        self.item = RateLimitItemPerSecond(max_failures, window_s, namespace=NAMESPACE)
        self.window_s = window_s

    @staticmethod
    def _keys(name: str, address: str) -> tuple[str, str]:
        # Hashed: the name is whatever the form sent, of any length.
        folded = hashlib.sha256(name.strip().casefold().encode("utf-8")).hexdigest()[:32]
        return f"login-name:{folded}", f"login-addr:{address}"

    async def wait_s(self, name: str, address: str) -> int:
        """Seconds until an attempt for this name from this address is allowed; 0: now."""
        if not self.item.amount:
            return 0
        counters, wait = self.counters, 0
        for key in self._keys(name, address):
            if not await counters.test(counters.moving, self.item, key):
                wait = max(wait, await counters.retry_after(counters.moving, self.item, key))
        return wait

    async def failed(self, name: str, address: str) -> None:
        if self.item.amount:
            for key in self._keys(name, address):
                await self.counters.hit(self.counters.moving, self.item, key, 1)

    async def succeeded(self, name: str, address: str) -> None:
        """The name's failures are forgotten; the address's stay, or one account of one's own
        would reset the count of guesses at others'."""
        if self.item.amount:
            await self.counters.clear(self.counters.moving, self.item, self._keys(name, address)[0])


@dataclass
class AbuseLimits:
    """What the app holds (app.state.abuse): built once at start, closed at shutdown."""

    quotas: Quotas
    login: LoginThrottle
    counters: Counters

    @classmethod
    def open(cls, settings: Settings) -> AbuseLimits:
        counters = Counters(_storage(settings))
        default = Budget(settings.rate_limit_rpm, settings.rate_limit_chars_per_day)
        login = LoginThrottle(
            counters, settings.login_max_failures, settings.login_failure_window_s
        )
        return cls(Quotas(counters, default), login, counters)

    async def close(self) -> None:
        await self.counters.close()


def get_abuse_limits(request: Request) -> AbuseLimits:
    limits: AbuseLimits = request.app.state.abuse
    return limits


AbuseLimitsDep = Annotated[AbuseLimits, Depends(get_abuse_limits)]


def _text_chars(value: object) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return sum(_text_chars(item) for item in value)
    if isinstance(value, dict):
        return sum(_text_chars(item) for item in value.values())
    return 0


async def request_chars(request: Request) -> int:
    """The characters of the text a request sends: its string fields, JSON or form, less the
    api_key. An uploaded file (/translate_file) counts its size in bytes: its text is known only
    once its format is read, and a file's bytes are at least its characters for the text formats
    (an office file, compressed, may hold more). The route reads the same cached body
    afterwards; a body that does not parse counts nothing (the route refuses it)."""
    if request.method in SAFE_METHODS:
        return 0
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            data = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return 0
        if isinstance(data, dict):
            data.pop("api_key", None)
        return _text_chars(data)
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        return sum(
            len(value) if isinstance(value, str) else value.size or 0
            for key, value in form.multi_items()
            if key != "api_key"
        )
    return 0


def client_address(request: Request) -> str:
    """The caller's address; behind a trusted proxy, the one it forwarded (uvicorn's proxy
    headers, `forwarded_allow_ips`)."""
    return request.client.host if request.client else "unknown"


async def client_limits(
    request: Request,
    principal: Annotated[Principal | None, Depends(client_key)],
    abuse: AbuseLimitsDep,
) -> None:
    """Charges the call to its key (or, without one, to its address); 429 when over."""
    if request.url.path in OPEN_PATHS:
        return
    quotas = abuse.quotas
    if principal is not None and principal.key_id is not None:
        identity, who = f"key:{principal.key_id}", "key"
    else:
        identity, who = f"addr:{client_address(request)}", "client address"
    await quotas.charge(identity, who, quotas.budget(principal), await request_chars(request))


ClientLimits = Depends(client_limits)
