"""The real server: `newsdesk serve` under uvicorn, with the embedded engines."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.apertium_marks import needs_apertium
from tests.helpers.server import start_serve, stop

pytestmark = [needs_apertium, pytest.mark.apertium]
ARTICLE = (Path(__file__).parent.parent / "data" / "article.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = dict(
        os.environ,
        NEWSDESK_DATA_DIR=str(tmp_path_factory.mktemp("var")),
        NEWSDESK_REQUIRE_CLIENT_KEY="false",
    )
    proc, url = start_serve(env)
    yield url
    stop(proc)


def test_article_round_trip_over_http(server: str) -> None:
    payload = {"id": "parks-1", "title": "Council approves new budget", "body": ARTICLE}
    first = httpx.post(server + "/v1/articles", json=payload, timeout=60).json()
    assert first["source_lang"] == "en" and first["cached"] is False
    es = first["versions"]["es"]
    assert es["title"] and es["summary"] and es["provenance"]["translation"]["engine"] == "apertium"
    assert first["versions"]["en"]["summary"]
    second = httpx.post(server + "/v1/articles", json=payload, timeout=60).json()
    assert second["cached"] is True and second["versions"] == first["versions"]
    assert httpx.get(server + "/v1/articles/parks-1").json()["versions"]["es"] == es


def test_readiness_says_apertium_is_a_fallback(server: str) -> None:
    ready = httpx.get(server + "/readyz").json()
    assert ready["ready"] is True
    assert ready["pairs"]["en-es"]["engine"] == "apertium"
    assert ready["pairs"]["en-es"]["fallback"] is True
    assert ready["summaries"]["es"]["engine"] == "extractive"
