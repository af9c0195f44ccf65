"""The shared cache backend: Redis, behind the same `KeyValueCache` interface as SQLite, so
service replicas and batch workers on several machines reuse each other's translations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from service.store.keyvalue import chunks

DEFAULT_PREFIX = "newsdesk:"
# What a Redis that is down, full (OOM refusals) or slow raises: the cache then degrades.
REDIS_ERRORS: tuple[type[Exception], ...] = (redis.RedisError, OSError)


class RedisCache:
    """Keys live under `prefix`; `ttl_s` > 0 makes entries expire (0: kept until evicted).

    Reads are one MGET per 500 keys; writes one non-transactional pipeline of SETs, which is a
    single round trip and needs no MULTI (each SET is atomic on its own, and a half-written
    batch only means some entries are computed again).
    """

    def __init__(
        self, url: str, prefix: str = DEFAULT_PREFIX, ttl_s: int = 0, timeout_s: float = 1.0
    ) -> None:
        # Short timeouts and one immediate retry (a pooled connection that Redis closed on a
        # restart): redis-py's default of 10 retries with backoff would hold each request for
        # seconds while Redis is down.
        self._client = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_connect_timeout=timeout_s,
            socket_timeout=timeout_s,
            retry=Retry(NoBackoff(), 1),
            health_check_interval=30,
        )
        self.prefix = prefix
        self.ttl_s = ttl_s

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in chunks(list(dict.fromkeys(keys))):
            values = self._client.mget([self.prefix + k for k in chunk])
            # decode_responses=True: values are str (redis-py types them str | bytes).
            found.update((k, str(v)) for k, v in zip(chunk, values, strict=True) if v is not None)
        return found

    def put_many(self, items: Mapping[str, str]) -> None:
        if not items:
            return
        pipe = self._client.pipeline(transaction=False)
        ttl = self.ttl_s if self.ttl_s > 0 else None
        for key, value in items.items():
            pipe.set(self.prefix + key, value, ex=ttl)
        pipe.execute()

    def close(self) -> None:
        self._client.close()
