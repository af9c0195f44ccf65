"""Security headers on every response (service/api/headers.py), the review pages free of inline
script and style so the policy can forbid them, and /docs under its own narrow policy
(service/web/docs.py). (The pages under the policy in a real browser:
tests/integration/test_review_browser.py and test_docs_browser.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api.headers import CSP
from service.web import docs
from tests.helpers.review_helpers import (
    ARTICLE,
    EDITOR_PASSWORD,
    Keys,
    auth,
    make_keys,
    open_client,
    secured_settings,
)

FIXED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from open_client(secured_settings(tmp_path))


@pytest.fixture
def keys(client: TestClient) -> Keys:
    keys = make_keys(client)
    client.post("/v1/articles", json=ARTICLE, headers=auth(keys.client))
    return keys


def _headers_of(response: object) -> dict[str, str]:
    headers = response.headers  # type: ignore[attr-defined]
    return {name: headers.get(name) for name in (*FIXED, "content-security-policy")}


def _log_in(client: TestClient) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/review/login").text)
    assert token
    client.post(
        "/review/login",
        data={"csrf_token": token.group(1), "name": "ana", "password": EDITOR_PASSWORD},
    )


def test_every_response_carries_the_headers(client: TestClient, keys: Keys) -> None:
    responses = {
        "article": client.get("/v1/articles/paris-talks", headers=auth(keys.client)),
        "translate": client.post(
            "/v1/translate", json={"text": "Hi.", "target": "es"}, headers=auth(keys.client)
        ),
        "401": client.get("/v1/articles/paris-talks"),
        "404": client.get("/no/such/page"),
        "415": client.post("/v1/translate", content=b"x", headers={"content-type": "text/plain"}),
        "health": client.get("/healthz"),
        "metrics": client.get("/metrics"),
        "libretranslate": client.get("/languages"),
        "login page": client.get("/review/login"),
        "redirect": client.get("/review", follow_redirects=False),
        "static": client.get("/review/static/review.js"),
    }
    for name, response in responses.items():
        assert _headers_of(response) == {**FIXED, "content-security-policy": CSP}, name
    assert CSP == (
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
        "object-src 'none'"
    )


def test_review_pages_have_no_inline_script_or_style(client: TestClient, keys: Keys) -> None:
    pages = [client.get("/review/login").text]
    _log_in(client)
    pages += [client.get("/review").text, client.get("/review/articles/paris-talks/es").text]
    for html in pages:
        assert "<form" in html
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts == ['<script src="/review/static/review.js" defer>']
        assert re.findall(r"</script>", html) == ["</script>"]  # the one above, empty
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=|javascript:", html, re.I)


def test_docs_start_swagger_ui_from_a_file_under_their_own_policy(
    client: TestClient, keys: Keys
) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert _headers_of(page) == {**FIXED, "content-security-policy": docs.CSP}
    html = page.text
    assert re.findall(r"<script\b[^>]*>", html) == [
        f'<script src="{docs.SCRIPT}">',
        '<script src="/docs/swagger-init.js">',
    ]
    assert all(body == "" for body in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S))
    assert f'<link rel="stylesheet" href="{docs.STYLE}">' in html
    assert 'data-openapi-url="/openapi.json"' in html
    # The policy names exactly Swagger UI's two files at a pinned version, and no inline script.
    policy = dict(part.split(" ", 1) for part in docs.CSP.split("; "))
    assert policy["script-src"] == f"'self' {docs.SWAGGER_UI}/swagger-ui-bundle.js"
    assert policy["style-src"] == f"'self' {docs.SWAGGER_UI}/swagger-ui.css"
    assert policy["img-src"] == "'self' data:"  # Swagger UI's icons
    assert re.fullmatch(
        r"https://cdn\.jsdelivr\.net/npm/swagger-ui-dist@\d+\.\d+\.\d+", docs.SWAGGER_UI
    )
    for directive in ("frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"):
        assert directive in docs.CSP
    init = client.get("/docs/swagger-init.js")
    assert init.status_code == 200 and init.headers["content-type"].startswith("text/javascript")
    assert "SwaggerUIBundle(" in init.text and "validatorUrl: null" in init.text
    assert client.get("/openapi.json").status_code == 200
    # FastAPI's own pages with inline script are gone.
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404
