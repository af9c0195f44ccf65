"""/docs: Swagger UI under a Content-Security-Policy without inline script. FastAPI's own docs
page starts Swagger UI with an inline script; this one starts it from a static file
(static/swagger-init.js). Swagger UI's script and stylesheet come from jsDelivr at a pinned
version, and this page's policy allows exactly those two files and, for Swagger UI's icons,
data: images. Swagger UI 5 needs no inline style or eval (checked with the real files: the page,
an operation tried out, a response, the schemas). Nothing else is loaded from elsewhere: no
favicon from FastAPI's site, no badge from the Swagger validator (validatorUrl is null)."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from service.web.routes import STATIC_DIR

router = APIRouter(include_in_schema=False)

SWAGGER_UI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0"
SCRIPT = f"{SWAGGER_UI}/swagger-ui-bundle.js"
STYLE = f"{SWAGGER_UI}/swagger-ui.css"
INIT = "/docs/swagger-init.js"
CSP = (
    f"default-src 'self'; script-src 'self' {SCRIPT}; style-src 'self' {STYLE}; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'; object-src 'none'"
)


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    """Swagger UI for the OpenAPI schema."""
    title = escape(f"{request.app.title} - Swagger UI")
    schema = escape(request.app.openapi_url or "/openapi.json")
    return HTMLResponse(
        f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{STYLE}">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{schema}"></div>
<script src="{SCRIPT}"></script>
<script src="{INIT}"></script>
</body>
</html>
"""
    )


@router.get(INIT)
def swagger_init() -> FileResponse:
    return FileResponse(STATIC_DIR / "swagger-init.js", media_type="text/javascript")
