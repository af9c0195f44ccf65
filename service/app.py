"""The app factory and the lifespan that loads engines once."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from service import __version__
from service.api import (
    articles,
    health,
    libretranslate,
    memory,
    reviews,
    summarize,
    translate,
)
from service.api.auth import ClientKey
from service.api.boundary import LIBRETRANSLATE_ROUTES, InFlight, RequestBoundary
from service.api.headers import SecurityHeaders
from service.api.quotas import AbuseLimits, ClientLimits
from service.config import Settings
from service.engines.registry import EngineRegistry
from service.errors import NewsdeskError
from service.runtime import Runtime
from service.web import docs
from service.web import routes as review_page
from service.web.sessions import ReviewSessions

log = logging.getLogger(__name__)


def _validation_message(exc: RequestValidationError) -> tuple[int, str]:
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            return 400, "request body is not valid JSON"
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return 422, "; ".join(parts)


def create_app(settings: Settings | None = None, registry: EngineRegistry | None = None) -> FastAPI:
    """Builds the service; `registry` lets a test bring its own engines (or none)."""
    settings = settings or Settings()
    in_flight = InFlight()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime.open(settings, registry)
        app.state.runtime = runtime
        app.state.abuse = AbuseLimits.open(settings)
        for choice in runtime.registry.choices:
            log.info("%s served by %s (%s)", choice.key, choice.engine, choice.reason)
        if runtime.review.count_users() == 0:
            log.warning(
                "no users yet: create the first editor for /review with "
                "`newsdesk users add --name NAME --role editor`"
            )
        try:
            yield
        finally:
            in_flight.cancel_all()
            await app.state.abuse.close()
            runtime.close()

    app = FastAPI(
        title="newsdesk",
        version=__version__,
        description="English/Spanish versions and summaries of news articles, cached, with "
        "provenance, for a bilingual newsroom.",
        lifespan=lifespan,
        # service/web/docs.py serves /docs under the Content-Security-Policy.
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.in_flight = in_flight
    # These need a client key when settings.require_client_key, and count against its limits.
    for module in (articles, translate, summarize, libretranslate):
        app.include_router(module.router, dependencies=[ClientKey, ClientLimits])
    app.include_router(libretranslate.downloads_router)
    app.include_router(health.router)
    app.include_router(reviews.router)
    app.include_router(reviews.versions_router)
    app.include_router(memory.router)
    app.include_router(review_page.router)
    app.include_router(docs.router)
    app.mount("/review/static", StaticFiles(directory=review_page.STATIC_DIR), name="review-static")
    app.add_middleware(ReviewSessions, settings=settings)

    @app.exception_handler(NewsdeskError)
    async def newsdesk_error(request: Request, exc: NewsdeskError) -> JSONResponse:
        # LibreTranslate clients read "error".
        key = "error" if request.url.path in LIBRETRANSLATE_ROUTES else "detail"
        content = {key: exc.message, **(exc.extra or {})}
        return JSONResponse(content, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(review_page.LoginRequired)
    async def login_required(request: Request, exc: review_page.LoginRequired) -> Response:
        return review_page.login_redirect(exc)

    @app.exception_handler(review_page.CsrfFailed)
    async def csrf_failed(request: Request, exc: review_page.CsrfFailed) -> Response:
        return review_page.csrf_failed(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if exc.status_code == 400 and detail == "There was an error parsing the body":
            detail = "request body is not valid JSON"  # e.g. bytes that are not UTF-8
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, message = _validation_message(exc)
        return JSONResponse({"detail": message}, status_code=status)

    app.add_middleware(
        RequestBoundary,
        max_request_bytes=settings.max_request_bytes,
        in_flight=in_flight,
        # An upload, plus room for the multipart envelope and the other fields.
        max_bytes_by_path={"/translate_file": settings.max_file_bytes + 65536},
    )
    app.add_middleware(SecurityHeaders, csp_by_path={"/docs": docs.CSP})
    return app
