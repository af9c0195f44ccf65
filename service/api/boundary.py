"""The request boundary: what every HTTP request passes before any route sees it, and what
every response passes on its way out.

One pure ASGI middleware, so that it can do what a `BaseHTTPMiddleware` cannot:
- read the body itself, capped whether or not the client sent a Content-Length (a chunked
  5 MB body used to be accepted and worked on), and hand the route a cleaned copy: every
  string of a JSON or form body goes through `service.cleaning` (lone surrogates, control
  characters and private-use code points used to reach lxml, the engines and the cache);
- keep listening to the connection after the body, so that a client that disconnects sets its
  request's cancellation event (`service.cancellation`) and the worker thread stops;
- turn any exception a route did not handle into JSON `{"detail": ...}` with a 500, and count
  every response, 500s included, in the request metrics.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.multipart_text import multipart_text_is_utf8
from service.cancellation import cancel_scope
from service.cleaning import clean_json, clean_text, is_clean
from service.metrics import LATENCY, REQUESTS

log = logging.getLogger(__name__)

JSON_ROUTES = ("/v1/",)
LIBRETRANSLATE_ROUTES = frozenset({"/translate", "/detect", "/translate_file", "/suggest"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
INTERNAL_ERROR = "internal server error"


class BoundaryRefusal(Exception):
    """A request refused before the app sees it: status and fixed message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _error_field(scope: Scope) -> str:
    """LibreTranslate's clients read `error`; everything else reads `detail`."""
    return "error" if scope.get("path") in LIBRETRANSLATE_ROUTES else "detail"


def _check_target(scope: Scope) -> None:
    """Paths and query strings end up in database look-ups and logs: text only."""
    query = unquote(scope.get("query_string", b"").decode("latin-1"), errors="replace")
    if not is_clean(scope.get("path", "") + query):
        raise BoundaryRefusal(400, "request path or query contains control characters")


def _clean_body(scope: Scope, body: bytes) -> bytes:
    """The body with every string cleaned; untouched (byte for byte) when already clean."""
    content_type = _header(scope, b"content-type").split(";")[0].strip().lower()
    if not body:
        return body
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            data = json.loads(body)
            cleaned = clean_json(data)
        except RecursionError as exc:
            raise BoundaryRefusal(400, "request body is nested too deeply") from exc
        except ValueError:
            return body  # not JSON: the route's validation answers 400 with its own message
        if cleaned == data:
            return body
        return json.dumps(cleaned, ensure_ascii=False).encode("utf-8")
    if content_type == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError) as exc:
            raise BoundaryRefusal(400, "request body is not valid UTF-8") from exc
        if all(is_clean(key) and is_clean(value) for key, value in pairs):
            return body
        return urlencode([(clean_text(key), clean_text(value)) for key, value in pairs]).encode()
    if content_type == "multipart/form-data":
        if not multipart_text_is_utf8(body, _header(scope, b"content-type")):
            raise BoundaryRefusal(400, "request body is not valid UTF-8")
    return body


class InFlight:
    """The cancellation events of the requests in flight, so that shutdown can stop their
    worker threads too."""

    def __init__(self) -> None:
        self.events: set[threading.Event] = set()

    def cancel_all(self) -> None:
        for event in list(self.events):
            event.set()


class RequestBoundary:
    """Caps, cleans and replays request bodies; watches for disconnects; answers crashes with
    JSON; measures every request."""

    def __init__(
        self,
        app: ASGIApp,
        max_request_bytes: int,
        in_flight: InFlight,
        max_bytes_by_path: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes
        # Routes that take more than text (an uploaded file) have their own cap.
        self.max_bytes_by_path = max_bytes_by_path or {}
        self.in_flight = in_flight

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        sent: dict[str, Any] = {"status": 500, "started": False}

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
                sent["started"] = True
            await send(message)

        try:
            await self._handle(scope, receive, send_and_note)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not sent["started"]:
                await _send_json(send_and_note, 500, INTERNAL_ERROR, _error_field(scope))
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            method = scope.get("method", "")
            LATENCY.labels(method, path).observe(time.perf_counter() - started)
            REQUESTS.labels(method, path, str(sent["status"])).inc()

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            _check_target(scope)
            body = await self._read_body(scope, receive)
            body = _clean_body(scope, body)
        except BoundaryRefusal as refusal:
            await _send_json(send, refusal.status, refusal.message, _error_field(scope))
            return
        # The same scope object, not a copy: the router notes the matched route in it, which the
        # metrics read afterwards.
        scope["headers"] = [
            (key, value) for key, value in scope.get("headers", ()) if key != b"content-length"
        ] + [(b"content-length", str(len(body)).encode("ascii"))]
        cancelled = threading.Event()
        disconnected = asyncio.Event()

        async def watch() -> None:
            # After the body, the next message the server gives is the disconnect.
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    cancelled.set()
                    disconnected.set()
                    return

        body_given = False

        async def replay() -> Message:
            nonlocal body_given
            if not body_given:
                body_given = True
                return {"type": "http.request", "body": body, "more_body": False}
            await disconnected.wait()
            return {"type": "http.disconnect"}

        watcher = asyncio.create_task(watch())
        self.in_flight.events.add(cancelled)
        try:
            with cancel_scope(cancelled):
                await self.app(scope, replay, send)
        finally:
            # Also when this task is cancelled (shutdown): the worker thread stops at its next
            # check instead of finishing for nobody. After a normal answer it is harmless.
            cancelled.set()
            self.in_flight.events.discard(cancelled)
            watcher.cancel()

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        method = scope.get("method", "")
        limit = self.max_bytes_by_path.get(scope.get("path", ""), self.max_request_bytes)
        length = _header(scope, b"content-length")
        too_large = BoundaryRefusal(413, f"request is larger than {limit} bytes")
        if length.isdigit() and int(length) > limit:
            raise too_large
        if method in BODY_METHODS and scope.get("path", "").startswith(JSON_ROUTES):
            content_type = _header(scope, b"content-type")
            if not content_type.startswith("application/json"):
                raise BoundaryRefusal(415, "content type must be application/json")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise BoundaryRefusal(400, "the client disconnected before sending its body")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


async def _send_json(
    send: Callable[[Message], Awaitable[None]], status: int, detail: str, field: str = "detail"
) -> None:
    payload = json.dumps({field: detail}).encode("utf-8")
    headers: MutableMapping[str, Any] = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode("ascii")),
        ],
    }
    await send(dict(headers))
    await send({"type": "http.response.body", "body": payload, "more_body": False})
