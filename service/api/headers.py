"""Security headers on every response, API and pages alike. A pure ASGI middleware: Starlette's
BaseHTTPMiddleware would hold streamed responses back, and this needs only the response start.

The policy forbids inline script and style, framing, plugins, <base> and form posts to other
sites; the review page keeps its script and styles in static files. A page that needs more names
its own policy (the Swagger UI page, service/web/docs.py)."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
    "object-src 'none'"
)
HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    # Nothing here needs the Referer, and review URLs name unpublished articles.
    ("Referrer-Policy", "no-referrer"),
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, csp_by_path: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.csp_by_path = dict(csp_by_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = self.csp_by_path.get(scope["path"], CSP)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # A response that set its own keeps it.
                headers.setdefault("Content-Security-Policy", csp)
                for name, value in HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
