"""The real server: `newsdesk serve` under uvicorn, with the embedded engines."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.apertium_marks import needs_apertium

pytestmark = [needs_apertium, pytest.mark.apertium]
ARTICLE = (Path(__file__).parent.parent / "data" / "article.html").read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = dict(
        os.environ,
        NEWSDESK_DATA_DIR=str(tmp_path_factory.mktemp("var")),
        NEWSDESK_REQUIRE_CLIENT_KEY="false",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("server did not start: " + (proc.stderr.read() if proc.stderr else ""))
    yield url
    proc.terminate()
    proc.wait(timeout=20)


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
