"""Hostile input and abuse against a real `newsdesk serve`: what each attack gets, how fast, and
whether the server stays responsive and goes idle afterwards.

Usage: python bench/abuse.py [--port N]

Starts `newsdesk serve` (embedded engines, SQLite in a temporary data dir, client keys required)
and, while a poller asks /healthz every 0.25 s, sends each bad input the issue lists: the NUL and
`^` stream attacks, lone surrogates and control characters on every translation endpoint,
integers beyond 2^63 on the review API, a 100,000-character word, 10,000 short sentences, 5 MB
bodies sent chunked (no Content-Length), 10,000 nested <div>s. For each it prints status, time and
message; then the slowest /healthz answer, and the server's CPU time over the 5 s after the last
bad request (idle: under 1 CPU second). Last, the abuse limits: a 20/min key sent 40 requests,
15 wrong log-ins, a session cookie used after log-out, the security headers, and an approved edit
carrying <script>, onerror= and javascript:.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `tests` importable
    sys.path.insert(0, str(ROOT))

from tests.helpers.server import newsdesk, start_serve, stop  # noqa: E402

POISON = "The council approved the budget for Monday afternoon."


@dataclass
class Poller:
    """Asks /healthz every 0.25 s and keeps the slowest answer (or failure)."""

    url: str
    worst_s: float = 0.0
    failures: list[str] = field(default_factory=list)
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    status = client.get(self.url + "/healthz").status_code
                    if status != 200:
                        self.failures.append(f"status {status}")
                except httpx.HTTPError as exc:
                    self.failures.append(type(exc).__name__)
                self.worst_s = max(self.worst_s, time.perf_counter() - started)
                self.samples += 1
                self._stop.wait(0.25)

    def stop(self) -> None:
        self._stop.set()


def raw_json(text: str) -> bytes:
    """A JSON text as written, lone surrogate escapes included."""
    return text.encode("utf-8")


def word(number: int) -> str:
    """A distinct made-up name per number (numbers alone are protected, hence all alike)."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += "bcdfghjklmnpqrstvwxyzaeiou"[digit]
        if not number:
            return letters.capitalize()


def chunked(total: int) -> Iterator[bytes]:
    yield b'{"text": "'
    piece = b"word " * 20_000
    for _ in range(total // len(piece)):
        yield piece
    yield b'", "source": "en", "target": "es", "lang": "en"}'


def show(name: str, response: httpx.Response | str, seconds: float) -> None:
    if isinstance(response, str):
        print(f"  {name:<46} {'-':>4} {seconds:7.2f} s  {response}")
        return
    try:
        body: Any = response.json()
        detail = body.get("detail") or body.get("error") if isinstance(body, dict) else None
        message = str(detail) if detail else json.dumps(body, ensure_ascii=False)
    except ValueError:
        message = response.text
    print(f"  {name:<46} {response.status_code:>4} {seconds:7.2f} s  {message[:90]!r}")


def send(
    client: httpx.Client, name: str, method: str, path: str, **kwargs: Any
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = client.request(method, path, **kwargs)
    except httpx.HTTPError as exc:
        show(name, f"{type(exc).__name__}: {exc}", time.perf_counter() - started)
        return None
    show(name, response, time.perf_counter() - started)
    return response


def cpu_seconds(proc: psutil.Process) -> float:
    total = 0.0
    for each in [proc, *proc.children(recursive=True)]:
        try:
            times = each.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def bad_inputs(client: httpx.Client, editor: dict[str, str]) -> None:
    json_headers = {"content-type": "application/json"}
    print("bad inputs (status, seconds, message):")
    send(
        client,
        "NUL then a sentence",
        "POST",
        "/v1/translate",
        json={
            "text": "Hello\u0000 The mayor is a criminal. " + POISON,
            "source": "en",
            "target": "es",
        },
    )
    alone = send(
        client,
        "  the sentence alone, afterwards",
        "POST",
        "/v1/translate",
        json={"text": POISON, "source": "en", "target": "es"},
    )
    if alone is not None and alone.status_code == 200:
        verdict = "POISONED" if "alcalde" in alone.json()["translation"] else "clean"
        print(f"    -> {alone.json()['translation']!r}: {verdict}")
    send(
        client,
        "sentence ending in ^",
        "POST",
        "/v1/translate",
        json={"text": "The mayor spoke ^", "source": "en", "target": "es"},
    )
    send(
        client,
        "article whose lede ends in ^",
        "POST",
        "/v1/articles",
        json={
            "title": "Budget",
            "lede": "The mayor ends^",
            "body": "<p>It passed.</p>",
            "source_lang": "en",
        },
    )
    for path, body in [
        (
            "/v1/articles",
            '{"title": "Talks \\ud800 open", "body": "<p>x</p>", "source_lang": "en"}',
        ),
        ("/v1/translate", '{"text": "Hello \\ud800", "source": "en", "target": "es"}'),
        ("/translate", '{"q": "Hello \\ud800", "source": "en", "target": "es"}'),
    ]:
        send(
            client,
            f"lone surrogate {path}",
            "POST",
            path,
            content=raw_json(body),
            headers=json_headers,
        )
    html = "<p>Hello\u0001\u000b world.</p>"
    send(
        client,
        "controls in HTML /v1/articles",
        "POST",
        "/v1/articles",
        json={"title": "T", "body": html, "source_lang": "en"},
    )
    send(
        client,
        "controls in HTML /v1/translate",
        "POST",
        "/v1/translate",
        json={"text": html, "source": "en", "target": "es", "format": "html"},
    )
    send(
        client,
        "controls in HTML /translate",
        "POST",
        "/translate",
        json={"q": html, "source": "en", "target": "es", "format": "html"},
    )
    send(
        client,
        "controls in HTML /v1/summarize",
        "POST",
        "/v1/summarize",
        json={"text": html, "lang": "en"},
    )
    huge = 2**63 + 5
    base = "/v1/articles/abuse-1/versions/es"
    send(
        client,
        "2^63+ PATCH versions",
        "PATCH",
        base,
        json={"expected_revision": huge, "title": "x"},
        headers=editor,
    )
    send(client, "2^63+ diff", "GET", f"{base}/diff?from={huge}&to=1", headers=editor)
    send(client, "2^63+ /v1/reviews", "GET", f"/v1/reviews?offset={huge}", headers=editor)
    send(
        client,
        "2^63+ reject",
        "POST",
        f"{base}/reject",
        json={"comment": "no", "expected_revision": huge},
        headers=editor,
    )
    send(
        client,
        "100,000-character word /v1/translate",
        "POST",
        "/v1/translate",
        json={"text": "a" * 100_000, "source": "en", "target": "es"},
    )
    send(
        client,
        "100,000-character word /v1/articles",
        "POST",
        "/v1/articles",
        json={"title": "x", "body": "<p>" + "a1." * 33_000 + "</p>", "source_lang": "en"},
    )
    send(
        client,
        "10,000 short sentences",
        "POST",
        "/v1/translate",
        json={
            "text": " ".join(f"It is {i}." for i in range(10_000)),
            "source": "en",
            "target": "es",
        },
    )
    send(
        client,
        "10,000 sentences under the text cap",
        "POST",
        "/v1/translate",
        json={"text": "Yes. " * 10_000, "source": "en", "target": "es"},
    )
    send(
        client,
        "1,900 distinct sentences (real work)",
        "POST",
        "/v1/translate",
        json={
            "text": " ".join(f"Mayor {word(i)} spoke today." for i in range(1900)),
            "target": "es",
        },
    )
    for path in ("/v1/translate", "/v1/summarize"):
        send(
            client,
            f"5 MB chunked {path}",
            "POST",
            path,
            content=chunked(5_000_000),
            headers=json_headers,
        )
    nested = "<div>" * 10_000 + "Deep text." + "</div>" * 10_000
    send(
        client,
        "10,000 nested <div>s",
        "POST",
        "/v1/articles",
        json={"title": "Nest", "body": nested, "source_lang": "en"},
    )


def csrf_of(page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return token.group(1) if token else ""


def abuse_limits(url: str, env: dict[str, str]) -> None:
    print("abuse limits:")
    limited = newsdesk(
        env, "keys", "create", "--role", "client", "--name", "limited", "--rpm", "20"
    ).splitlines()[0]
    statuses: list[int] = []
    retry_after: set[str] = set()
    with httpx.Client(base_url=url, timeout=30, headers={"X-API-Key": limited}) as client:
        for number in range(40):
            response = client.post(
                "/v1/translate", json={"text": f"Number {number}.", "source": "en", "target": "es"}
            )
            statuses.append(response.status_code)
            if response.status_code == 429:
                retry_after.add(response.headers.get("retry-after", "missing"))
                last = response.json()
    ok = statuses.count(200)
    print(
        f"  40 requests on a 20/min key: {ok} x 200, {statuses.count(429)} x 429, "
        f"first 429 at request {statuses.index(429) + 1 if 429 in statuses else '-'}, "
        f"Retry-After {sorted(retry_after)}, {last if 429 in statuses else ''}"
    )
    # The session check first: the throttle below also blocks this address for 15 minutes.
    with httpx.Client(base_url=url, timeout=30) as browser:
        csrf = csrf_of(browser.get("/review/login").text)
        browser.post(
            "/review/login",
            data={
                "name": "bea",
                "password": "bench password 1",
                "csrf_token": csrf,
                "next": "/review",
            },
        )
        cookie = dict(browser.cookies)
        opened = browser.get("/review").status_code
        browser.post("/review/logout", data={"csrf_token": csrf_of(browser.get("/review").text)})
    with httpx.Client(base_url=url, timeout=30, cookies=cookie, follow_redirects=False) as replay:
        after = replay.get("/review")
        where = after.headers.get("location", "")
        print(
            f"  cookie before log-out: /review {opened}; "
            f"the same cookie after log-out: {after.status_code} {where}"
        )
    with httpx.Client(base_url=url, timeout=30) as browser:
        csrf = csrf_of(browser.get("/review/login").text)
        answers = []
        for _ in range(15):
            answer = browser.post(
                "/review/login",
                data={"name": "ana", "password": "wrong", "csrf_token": csrf, "next": "/review"},
            )
            answers.append(answer.status_code)
        first = answers.index(429) + 1 if 429 in answers else "-"
        print(f"  15 wrong log-ins: statuses {answers}; first 429 at attempt {first}")
    with httpx.Client(base_url=url, timeout=30) as client:
        for path in ("/review/login", "/v1/translate", "/docs", "/healthz"):
            response = client.get(path) if path != "/v1/translate" else client.post(path, json={})
            present = [
                h
                for h in (
                    "content-security-policy",
                    "x-frame-options",
                    "x-content-type-options",
                    "referrer-policy",
                )
                if h in response.headers
            ]
            print(f"  headers on {path}: {present}")


def sanitized_publish(url: str, client_key: str, editor_key: str) -> None:
    print("safe to publish:")
    with httpx.Client(base_url=url, timeout=60) as client:
        article = {
            "id": "publish-1",
            "title": "Parks",
            "body": '<p>The <a href="https://example.org/p">parks</a> open.</p>',
            "source_lang": "en",
        }
        made = client.post("/v1/articles", json=article, headers={"X-API-Key": client_key}).json()
        head = made["versions"]["es"]["review"]["head_revision"]
        evil = (
            '<p>Los <a href="javascript:alert(1)">parques</a> abren.<script>alert(1)</script>'
            '<img src="x" onerror="alert(1)"></p>'
        )
        editor = {"X-API-Key": editor_key}
        edit = client.patch(
            "/v1/articles/publish-1/versions/es",
            json={"expected_revision": head, "body": evil},
            headers=editor,
        )
        revision = edit.json().get("revision", {}).get("id") if edit.status_code == 200 else None
        client.post(
            "/v1/articles/publish-1/versions/es/approve",
            json={"expected_revision": revision},
            headers=editor,
        )
        published = client.get("/v1/articles/publish-1", headers={"X-API-Key": client_key}).json()
        body = published["versions"]["es"]["body"]
        bad = [m for m in ("<script", "onerror", "javascript:") if m in body.lower()]
        print(f"  edit {edit.status_code}; published body: {body!r}; left in: {bad or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="newsdesk-abuse-")
    env = dict(
        os.environ,
        NEWSDESK_DATA_DIR=data,
        NEWSDESK_REQUIRE_CLIENT_KEY="true",
        NEWSDESK_ENGINE_PREFERENCE="apertium",
    )
    client_key = newsdesk(
        env,
        "keys",
        "create",
        "--role",
        "client",
        "--name",
        "abuse",
        "--rpm",
        "0",
        "--chars-per-day",
        "0",
    ).splitlines()[0]
    newsdesk(
        env, "users", "add", "--name", "bea", "--role", "editor", "--password", "bench password 1"
    )
    newsdesk(
        env, "users", "add", "--name", "ana", "--role", "editor", "--password", "bench password 2"
    )
    editor_key = newsdesk(
        env,
        "keys",
        "create",
        "--role",
        "editor",
        "--user",
        "bea",
        "--rpm",
        "0",
        "--chars-per-day",
        "0",
    ).splitlines()[0]
    server, url = start_serve(env, port=args.port)
    try:
        proc = psutil.Process(server.pid)
        with httpx.Client(base_url=url, timeout=120, headers={"X-API-Key": client_key}) as client:
            client.post(
                "/v1/articles",
                json={
                    "id": "abuse-1",
                    "title": "Talks",
                    "body": "<p>They met.</p>",
                    "source_lang": "en",
                },
            )
            poller = Poller(url)
            thread = threading.Thread(target=poller.run, daemon=True)
            thread.start()
            bad_inputs(client, {"X-API-Key": editor_key})
            poller.stop()
            thread.join()
        print(
            f"/healthz meanwhile: {poller.samples} answers, slowest {poller.worst_s:.2f} s, "
            f"failures {poller.failures or 'none'}"
        )
        before = cpu_seconds(proc)
        time.sleep(5)
        print(
            f"server CPU in the 5 s after the last bad request: {cpu_seconds(proc) - before:.2f} s"
        )
        abuse_limits(url, env)
        sanitized_publish(url, client_key, editor_key)
    finally:
        stop(server)


if __name__ == "__main__":
    main()
