"""A real `newsdesk serve` under long work: /healthz answers meanwhile, a client that gives up
stops its work, and SIGTERM ends the server while a long request runs.

The `echo` engine sleeps per call and records each call in a file, so the test sees how many
engine slices (of `ENGINE_SLICE` sentences) a request went through."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx

from service.pipeline.cached import ENGINE_SLICE
from tests.helpers.server import start_serve

DELAY_MS = 1000
SLICES = 6


def _start(tmp_path: Path, delay_ms: int = DELAY_MS) -> tuple[subprocess.Popen[str], str, Path]:
    calls = tmp_path / "calls.jsonl"
    env = dict(
        os.environ,
        NEWSDESK_DATA_DIR=str(tmp_path / "var"),
        NEWSDESK_REQUIRE_CLIENT_KEY="false",
        NEWSDESK_ENGINE_PREFERENCE="echo",
        NEWSDESK_ECHO_DELAY_MS=str(delay_ms),
        NEWSDESK_ECHO_CALLS_FILE=str(calls),
        NEWSDESK_RATE_LIMIT_RPM="0",
        NEWSDESK_RATE_LIMIT_CHARS_PER_DAY="0",
    )
    proc, url = start_serve(env)
    return proc, url, calls


def _word(number: int) -> str:
    """A distinct word per number (digits would be protected as numbers, all alike)."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
        if not number:
            return letters


def _long_request(tag: str) -> dict[str, object]:
    """As many distinct sentences as SLICES engine calls take."""
    lines = [f"Sentence {tag} {_word(i)}." for i in range(ENGINE_SLICE * (SLICES - 1) + 1)]
    return {"text": "\n".join(lines), "source": "en", "target": "es"}


def _calls(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


def _wait_for_calls(path: Path, count: int, limit_s: float = 30) -> None:
    deadline = time.monotonic() + limit_s
    while _calls(path) < count:
        assert time.monotonic() < deadline, "the engine was never called"
        time.sleep(0.05)


def test_health_answers_while_busy_and_a_gone_client_stops_its_work(tmp_path: Path) -> None:
    proc, url, calls = _start(tmp_path)
    try:
        outcome: dict[str, object] = {}

        def give_up() -> None:
            try:
                httpx.post(
                    url + "/v1/translate",
                    json=_long_request("a"),
                    timeout=httpx.Timeout(10, read=2.5),
                )
                outcome["answered"] = True
            except httpx.ReadTimeout:
                outcome["gave_up"] = True

        gone = threading.Thread(target=give_up)
        gone.start()
        _wait_for_calls(calls, 1)
        health = httpx.get(url + "/healthz", timeout=2)
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        gone.join()
        assert outcome == {"gave_up": True}
        # The client hung up during the third slice at most; at most one more slice starts.
        time.sleep(DELAY_MS / 1000 * 2.5)
        settled = _calls(calls)
        time.sleep(DELAY_MS / 1000 * 2)
        assert _calls(calls) == settled < SLICES
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_sigterm_ends_the_server_during_a_long_request(tmp_path: Path) -> None:
    # Slower slices: the whole request (9 s) outlasts the shutdown grace (5 s by default).
    proc, url, calls = _start(tmp_path, delay_ms=1500)
    outcome: dict[str, object] = {}

    def client() -> None:
        try:
            outcome["status"] = httpx.post(
                url + "/v1/translate", json=_long_request("b"), timeout=60
            ).status_code
        except httpx.HTTPError as exc:
            outcome["error"] = type(exc).__name__

    thread = threading.Thread(target=client)
    thread.start()
    try:
        _wait_for_calls(calls, 1)
        proc.send_signal(signal.SIGTERM)
        # The bound: the server is gone within 10 s of SIGTERM.
        assert proc.wait(timeout=10) is not None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        thread.join()
    assert _calls(calls) < SLICES
    assert outcome  # the client got an answer (a refusal) or a closed connection, not a hang
