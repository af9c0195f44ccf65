"""API keys and roles (client < editor < admin) as dependencies.

Keys travel in the `X-API-Key` header; LibreTranslate clients send `api_key` in the body of
`POST /translate`, which is accepted there too. Reads of stored articles need a key like writes:
drafts are unpublished newsroom text.

The LibreTranslate routes refuse as LibreTranslate does, since its clients read its codes: a key
that is not (or no longer) valid gets 403 `Invalid API key`, and no key where one is required
gets 400 `Please contact the server operator to get an API key` (LibreTranslate's answer when
its --require-api-key-origin turns keys on). The /v1 routes answer 401 for both."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from service.api.boundary import LIBRETRANSLATE_ROUTES
from service.api.deps import get_runtime
from service.errors import NewsdeskError
from service.security import has_role
from service.store.review import Principal, ReviewStore

API_KEY_HEADER = "X-API-Key"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# LibreTranslate serves these to anyone (its web page asks them before any key is entered).
OPEN_PATHS = frozenset({"/languages", "/frontend/settings"})

api_key_header = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="An API key from `newsdesk keys create --role client|editor|admin`",
)


class MissingKey(NewsdeskError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__(f"missing API key: send it in the {API_KEY_HEADER} header")


class InvalidKey(NewsdeskError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__("invalid or revoked API key")


class Forbidden(NewsdeskError):
    status_code = 403

    def __init__(self, role: str) -> None:
        super().__init__(f"this action needs the {role} role")


class LibreMissingKey(NewsdeskError):
    """No key on a LibreTranslate route where keys are required: LibreTranslate's 400."""

    def __init__(self) -> None:
        super().__init__("Please contact the server operator to get an API key")


class LibreInvalidKey(NewsdeskError):
    """An unknown or revoked key on a LibreTranslate route: LibreTranslate's 403."""

    status_code = 403

    def __init__(self) -> None:
        super().__init__("Invalid API key")


def get_store(request: Request) -> ReviewStore:
    return get_runtime(request).review


StoreDep = Annotated[ReviewStore, Depends(get_store)]


def authorize(store: ReviewStore, key: str | None, role: str) -> Principal:
    if not key:
        raise MissingKey()
    principal = store.principal_for_key(key)
    if principal is None:
        raise InvalidKey()
    if not has_role(principal.role, role):
        raise Forbidden(role)
    return principal


async def _body_key(request: Request) -> str | None:
    """`api_key` from a LibreTranslate request body (JSON or form); the route reads the same
    cached body afterwards."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            data = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return None
        value = data.get("api_key") if isinstance(data, dict) else None
    else:
        value = (await request.form()).get("api_key")
    return value if isinstance(value, str) and value else None


async def client_key(
    request: Request, key: Annotated[str | None, Security(api_key_header)]
) -> Principal | None:
    """The client endpoints, reads included, need a client key or better unless
    require_client_key is off; None where no key is asked for."""
    runtime = get_runtime(request)
    if request.url.path in OPEN_PATHS or not runtime.settings.require_client_key:
        return None
    if request.url.path not in LIBRETRANSLATE_ROUTES:
        return await run_in_threadpool(authorize, runtime.review, key, "client")
    key = key or await _body_key(request)
    try:
        return await run_in_threadpool(authorize, runtime.review, key, "client")
    except MissingKey as exc:
        raise LibreMissingKey() from exc
    except InvalidKey as exc:
        raise LibreInvalidKey() from exc


def editor_key(request: Request, key: Annotated[str | None, Security(api_key_header)]) -> Principal:
    """Review endpoints need an editor key (or admin), whatever require_client_key says."""
    return authorize(get_store(request), key, "editor")


ClientKey = Depends(client_key)
EditorDep = Annotated[Principal, Depends(editor_key)]
