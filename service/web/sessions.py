"""The review page's session cookie: Starlette's signed-cookie sessions, marked Secure when
`secure_cookies` is set or when the request came over HTTPS (directly, or through a proxy
`newsdesk serve` trusts: forwarded_allow_ips). The cookie carries a random session id that the
store checks on every request (routes._editor), so log-out ends the session everywhere."""

from __future__ import annotations

from typing import Any

from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from service.config import Settings
from service.security import session_secret

COOKIE = "newsdesk_review"


class ReviewSessions:
    """One SessionMiddleware for plain HTTP and one that marks the cookie Secure, picked per
    request by its scheme: Starlette fixes the flag per middleware, not per request."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        options: dict[str, Any] = {
            "secret_key": session_secret(settings.secret_key, settings.data_dir),
            "session_cookie": COOKIE,
            "max_age": settings.session_max_age_s,
            "path": "/review",
            "same_site": "lax",
        }
        self.plain = SessionMiddleware(app, https_only=settings.secure_cookies, **options)
        self.secure = SessionMiddleware(app, https_only=True, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = self.secure if scope.get("scheme") in ("https", "wss") else self.plain
        await chosen(scope, receive, send)
