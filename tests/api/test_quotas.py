"""Rate limits and daily quotas on the client endpoints (service/api/quotas.py): per key, or per
client address where keys are not required; 429 with Retry-After and a fixed message; a Redis
that cannot be reached lets requests through. (Limits shared by two servers over a real Redis:
tests/integration/test_security_server.py.)"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from tests.helpers.review_helpers import ARTICLE, auth, open_client, secured_settings, store_of

TRANSLATE = "/v1/translate"


def _limited(tmp_path: Path, **update: object) -> Settings:
    return secured_settings(tmp_path).model_copy(update=update)


def _text(chars: int) -> dict[str, str]:
    """A translate request of exactly `chars` characters of text: the string fields, "en" and
    "es" included, are what is charged."""
    return {"text": "x" * (chars - 4), "source": "en", "target": "es"}


def _codes(client: TestClient, key: str, times: int) -> list[int]:
    return [
        client.post(TRANSLATE, json=_text(9), headers=auth(key)).status_code for _ in range(times)
    ]


def test_forty_requests_on_a_twenty_per_minute_key(tmp_path: Path) -> None:
    for client in open_client(_limited(tmp_path)):
        key = store_of(client).create_key("client", "cms", rpm=20)[0]
        other = store_of(client).create_key("client", "other cms", rpm=20)[0]
        answers = [client.post(TRANSLATE, json=_text(20), headers=auth(key)) for _ in range(40)]
        assert [r.status_code for r in answers] == [200] * 20 + [429] * 20
        refused = answers[20]
        assert refused.json() == {
            "detail": "rate limit exceeded: 20 requests per minute for this key"
        }
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        # Another client's budget is its own.
        assert client.post(TRANSLATE, json=_text(20), headers=auth(other)).status_code == 200


def test_article_reads_count_as_requests(tmp_path: Path) -> None:
    for client in open_client(_limited(tmp_path)):
        key = store_of(client).create_key("client", "cms", rpm=3)[0]
        assert client.post("/v1/articles", json=ARTICLE, headers=auth(key)).status_code == 200
        reads = [client.get("/v1/articles/paris-talks", headers=auth(key)) for _ in range(3)]
        assert [r.status_code for r in reads] == [200, 200, 429]
        assert "retry-after" in reads[2].headers
        # LibreTranslate's language list stays open, and counts against nothing.
        assert all(client.get("/languages").status_code == 200 for _ in range(5))


def test_daily_characters_are_the_text_a_request_sends(tmp_path: Path) -> None:
    for client in open_client(_limited(tmp_path)):
        key = store_of(client).create_key("client", "cms", chars_per_day=100)[0]
        assert client.post(TRANSLATE, json=_text(64), headers=auth(key)).status_code == 200
        over = client.post(TRANSLATE, json=_text(37), headers=auth(key))  # 101
        assert over.status_code == 429
        assert over.json() == {
            "detail": "daily quota exceeded: 100 characters per day for this key"
        }
        assert 1 <= int(over.headers["retry-after"]) <= 86_400  # midnight UTC
        # The refused request took nothing: exactly what is left still goes through.
        assert client.post(TRANSLATE, json=_text(36), headers=auth(key)).status_code == 200
        assert client.post(TRANSLATE, json=_text(5), headers=auth(key)).status_code == 429
        # A list of texts counts every one of them.
        other = store_of(client).create_key("client", "other", chars_per_day=10)[0]
        listed = {"text": ["abc", "def"], "source": "en", "target": "es"}  # 6 + 4
        assert client.post(TRANSLATE, json=listed, headers=auth(other)).status_code == 200
        assert client.post(TRANSLATE, json=_text(5), headers=auth(other)).status_code == 429


def test_libretranslate_gets_its_error_shape_and_the_key_is_not_charged(tmp_path: Path) -> None:
    for client in open_client(_limited(tmp_path)):
        key = store_of(client).create_key("client", "libre", rpm=2, chars_per_day=30)[0]
        # 30 characters of q, source and target; the long api_key is not text.
        query = {"q": "y" * 26, "source": "en", "target": "es", "api_key": key}
        assert client.post("/translate", json=query).status_code == 200
        over = client.post("/translate", data={**query, "q": "z"})
        assert over.status_code == 429
        assert over.json() == {"error": "daily quota exceeded: 30 characters per day for this key"}
        third = client.post("/translate", json=query)
        assert third.json() == {"error": "rate limit exceeded: 2 requests per minute for this key"}
        assert int(third.headers["retry-after"]) >= 1


def test_an_uploaded_file_is_charged_its_size(tmp_path: Path) -> None:
    for client in open_client(_limited(tmp_path)):
        key = store_of(client).create_key("client", "files", chars_per_day=40)[0]
        # 30 bytes of file, plus "en" and "es": 34; the api_key is not text.
        fields = {"source": "en", "target": "es", "api_key": key}
        upload = {"file": ("a.txt", b"The mayor spoke on the radio.\n")}
        assert client.post("/translate_file", files=upload, data=fields).status_code == 200
        over = client.post("/translate_file", files=upload, data=fields)
        assert (over.status_code, over.json()) == (
            429,
            {"error": "daily quota exceeded: 40 characters per day for this key"},
        )


def test_keys_have_their_own_limits_or_the_default_or_none(tmp_path: Path) -> None:
    settings = _limited(tmp_path, rate_limit_rpm=2, rate_limit_chars_per_day=0)
    for client in open_client(settings):
        store = store_of(client)
        default = store.create_key("client", "default")[0]
        unlimited = store.create_key("client", "unlimited", rpm=0)[0]
        generous = store.create_key("client", "generous", rpm=5)[0]
        assert _codes(client, default, 3) == [200, 200, 429]
        assert _codes(client, unlimited, 8) == [200] * 8
        assert _codes(client, generous, 6) == [200] * 5 + [429]
        refused = client.post(TRANSLATE, json=_text(9), headers=auth(default))
        assert refused.json()["detail"] == "rate limit exceeded: 2 requests per minute for this key"


def test_without_keys_each_client_address_is_limited_by_the_defaults(tmp_path: Path) -> None:
    settings = _limited(tmp_path, require_client_key=False, rate_limit_rpm=3)
    for client in open_client(settings):
        codes = [client.post(TRANSLATE, json=_text(9)).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        refused = client.post(TRANSLATE, json=_text(9))
        assert refused.json() == {
            "detail": "rate limit exceeded: 3 requests per minute for this client address"
        }
        # Another address has its own budget (same app, same limiter).
        elsewhere = TestClient(client.app, client=("192.0.2.7", 40000))
        assert elsewhere.post(TRANSLATE, json=_text(9)).status_code == 200


def test_an_unreachable_redis_lets_requests_through_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing listens on port 1; the cache stays on SQLite so only the limits need Redis.
    settings = _limited(
        tmp_path, redis_url="redis://127.0.0.1:1/0", cache_backend="sqlite", rate_limit_rpm=1
    )
    caplog.set_level(logging.WARNING, logger="service.api.quotas")
    for client in open_client(settings):
        key = store_of(client).create_key("client", "cms")[0]
        codes = [
            client.post(TRANSLATE, json=_text(9), headers=auth(key)).status_code for _ in range(3)
        ]
        assert codes == [200, 200, 200]
    warnings = [r.getMessage() for r in caplog.records if r.name == "service.api.quotas"]
    assert len(warnings) == 1  # once per outage, not once per request
    assert warnings[0].startswith("rate-limit storage unreachable, letting requests through")
