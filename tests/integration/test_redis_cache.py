"""The Redis cache backend against the real Redis (NEWSDESK_TEST_REDIS_URL, database 15)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.config import Settings
from service.runtime import Runtime, open_cache
from service.schemas import ArticleRequest
from service.store.redis_cache import RedisCache
from tests.conftest import fake_registry
from tests.helpers.fakes import FakeTranslator
from tests.helpers.services import redis_url

pytestmark = pytest.mark.redis


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    import redis

    url = redis_url()
    name = f"newsdesk:test-{uuid.uuid4().hex[:12]}:"
    yield name
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=name + "*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def test_round_trip_missing_keys_and_prefix(prefix: str) -> None:
    import redis

    cache = RedisCache(redis_url(), prefix)
    assert cache.get_many([]) == {}
    cache.put_many({})
    cache.put_many({"a": "1", "b": "ñ ☃", "c": ""})
    assert cache.get_many(["a", "b", "c", "missing", "a"]) == {"a": "1", "b": "ñ ☃", "c": ""}
    raw = redis.Redis.from_url(redis_url(), decode_responses=True)
    assert raw.get(prefix + "b") == "ñ ☃"
    assert raw.ttl(prefix + "a") == -1  # no TTL configured: kept
    raw.close()
    cache.close()


def test_many_keys_in_chunks(prefix: str) -> None:
    cache = RedisCache(redis_url(), prefix)
    items = {f"k{i}": str(i) for i in range(1234)}
    cache.put_many(items)
    assert cache.get_many(list(items)) == items
    cache.close()


def test_ttl_expires_entries(prefix: str) -> None:
    import redis

    cache = RedisCache(redis_url(), prefix, ttl_s=1)
    cache.put_many({"short": "lived"})
    raw = redis.Redis.from_url(redis_url())
    assert 0 < raw.ttl(prefix + "short") <= 1
    raw.close()
    time.sleep(1.2)
    assert cache.get_many(["short"]) == {}
    cache.close()


def _settings(tmp_path: Path, name: str, prefix: str) -> Settings:
    return Settings(
        data_dir=tmp_path / name,
        models_dir=tmp_path / "models",
        redis_url=redis_url(),
        cache_backend="auto",
        redis_key_prefix=prefix,
    )


def test_runtime_picks_redis_when_a_url_is_set(tmp_path: Path, prefix: str) -> None:
    cache = open_cache(_settings(tmp_path, "a", prefix))
    assert isinstance(cache.backend, RedisCache) and cache.backend.prefix == prefix
    cache.close()


def test_two_runtimes_share_one_cache(tmp_path: Path, prefix: str) -> None:
    """Two replicas (separate data dirs, separate engines): what one computed, the other reuses."""
    first_engine, second_engine = FakeTranslator(), FakeTranslator()
    one = Runtime.open(_settings(tmp_path, "one", prefix), fake_registry(forward=first_engine))
    two = Runtime.open(_settings(tmp_path, "two", prefix), fake_registry(forward=second_engine))
    request = ArticleRequest(
        title="Talks open in Paris",
        body="<p>The talks begin on Monday. Ministers attend.</p>",
        source_lang="en",
    )
    try:
        first = one.pipeline.process(request)
        assert first.cached is False and first_engine.calls == 1
        second = two.pipeline.process(request)
        assert second.cached is True
        assert second.versions == first.versions
        # A sentence the first replica translated is a cache hit for the second one's engine.
        segments = two.pipeline.translator("en", "es").translate(["Ministers attend."])
        assert segments[0].origin == "cache"
        assert second_engine.calls == 0
    finally:
        one.close()
        two.close()
