"""`newsdesk serve` under a real uvicorn, twice over one data dir and one real Redis: a key's
limits are shared by both servers, and the proxy headers (the Secure cookie, the client address
the log-in throttle counts) are believed from the trusted proxy only (forwarded_allow_ips).
No engines are loaded (NEWSDESK_PAIRS empty): only the checks before them are under test."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.helpers.server import newsdesk, start_serve, stop
from tests.helpers.services import redis_url

pytestmark = pytest.mark.redis
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Servers:
    trusting: str  # believes proxy headers from 127.0.0.1 (the default)
    distrusting: str  # believes them only from 10.9.8.7, so not from this test
    key: str  # a client key with --rpm 20


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    import redis

    url = redis_url()
    prefix = f"newsdesk:test-{uuid.uuid4().hex[:12]}:"
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSDESK_")}
    env.update(
        NEWSDESK_DATA_DIR=str(tmp_path_factory.mktemp("var")),
        NEWSDESK_PAIRS="",
        NEWSDESK_REDIS_URL=url,
        NEWSDESK_REDIS_KEY_PREFIX=prefix,
        NEWSDESK_CACHE_BACKEND="sqlite",
        NEWSDESK_REQUIRE_CLIENT_KEY="true",
        NEWSDESK_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    newsdesk(env, "users", "add", "--name", "ana", "--role", "editor", "--password", "long enough")
    key = newsdesk(env, "keys", "create", "--role", "client", "--rpm", "20").strip()
    first, trusting = start_serve(env)
    second, distrusting = start_serve(env, "--forwarded-allow-ips", "10.9.8.7")
    try:
        yield Servers(trusting, distrusting, key)
    finally:
        for process in (first, second):
            stop(process)
        client = redis.Redis.from_url(url)
        found = list(client.scan_iter(match=prefix + "*", count=1000))
        if found:
            client.delete(*found)
        client.close()


def test_two_servers_draw_on_one_budget_per_key(servers: Servers) -> None:
    headers = {"X-API-Key": servers.key}
    answers = [
        httpx.get(f"{url}/v1/articles/nothing-{n}", headers=headers, timeout=10)
        for n in range(20)
        for url in (servers.trusting, servers.distrusting)
    ]
    # 20 requests per minute for the key, whichever server answers: then 429 from both.
    assert [r.status_code for r in answers] == [404] * 20 + [429] * 20
    assert answers[20].json() == {
        "detail": "rate limit exceeded: 20 requests per minute for this key"
    }
    assert {r.headers["content-security-policy"] for r in answers} == {
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
        "object-src 'none'"
    }
    assert all(1 <= int(r.headers["retry-after"]) <= 60 for r in answers[20:])


def _cookie(url: str, **headers: str) -> str:
    return httpx.get(url + "/review/login", headers=headers, timeout=10).headers["set-cookie"]


def test_the_cookie_is_secure_when_the_trusted_proxy_says_https(servers: Servers) -> None:
    https = {"X-Forwarded-Proto": "https"}
    assert "; secure" in _cookie(servers.trusting, **https).lower()
    assert "secure" not in _cookie(servers.trusting).lower()
    # A server that does not trust us ignores what we say the scheme was.
    assert "secure" not in _cookie(servers.distrusting, **https).lower()


def _wrong_log_in(url: str, name: str, forwarded_for: str) -> int:
    headers = {"X-Forwarded-For": forwarded_for}
    with httpx.Client(base_url=url, headers=headers, timeout=10) as client:
        found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/review/login").text)
        assert found
        data = {"csrf_token": found.group(1), "name": name, "password": "wrong guess"}
        return client.post("/review/login", data=data).status_code


def test_the_log_in_throttle_counts_the_forwarded_address_of_a_trusted_proxy(
    servers: Servers,
) -> None:
    # Ten names from one forwarded address: that address is throttled, others are not.
    for n in range(10):
        assert _wrong_log_in(servers.trusting, f"guess-{n}", "203.0.113.1") == 401
    assert _wrong_log_in(servers.trusting, "someone", "203.0.113.1") == 429
    assert _wrong_log_in(servers.trusting, "someone", "203.0.113.2") == 401
    # Behind an untrusted "proxy" the header is ignored: every attempt is 127.0.0.1's.
    for n in range(10):
        assert _wrong_log_in(servers.distrusting, f"other-{n}", f"198.51.100.{n}") == 401
    assert _wrong_log_in(servers.distrusting, "someone else", "198.51.100.99") == 429
