"""LibreTranslate-compatible routes, so existing clients work unchanged: /translate, /detect,
/languages, /frontend/settings, /translate_file with /download_file, and /suggest, where a
client's suggested translation becomes a draft revision in the review queue
(`service.pipeline.suggest`): never applied, cached or learned before an editor approves it.

They answer in LibreTranslate's shape, errors included: `{"error": ...}`, 400 for a bad
request, 403 for an invalid key (`Invalid API key`) or what is switched off, and, where keys are
required, 400 without one, as LibreTranslate does (`service.api.auth`); newsdesk's own /v1
routes keep their 401s.

`alternatives=N` on /translate (at most MAX_ALTERNATIVES, as LibreTranslate's
`--alternatives-limit`) answers up to N other translations of each text from the seq2seq
engines' n-best (`service.pipeline.text.text_alternatives`), and `[]` where the pair is served
by Apertium, which has one translation only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.api.auth import StoreDep, client_key
from service.api.deps import PipelineDep, SettingsDep
from service.config import Settings
from service.errors import NewsdeskError
from service.pipeline.detect import language_confidences
from service.pipeline.files.base import UnreadableFile
from service.pipeline.files.formats import FORMATS, translate_file
from service.pipeline.suggest import ANONYMOUS, submit_suggestion
from service.pipeline.text import text_alternatives, translate_document
from service.store.downloads import Downloads
from service.store.review import Principal

router = APIRouter(tags=["libretranslate"])
# No key: the download's random name is its key, as in LibreTranslate.
downloads_router = APIRouter(tags=["libretranslate"])

NAMES = {"en": "English", "es": "Spanish"}
SUPPORTED_FILES = sorted(set(FORMATS) - {".htm"})
SUGGESTIONS_DISABLED = "Suggestions are disabled on this server."
FILES_DISABLED = "Files translation are disabled on this server."
# Each alternative widens the beam by one; three keeps it at the default width of four.
MAX_ALTERNATIVES = 3


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status)


def _downloads(settings: Settings) -> Downloads:
    return Downloads(settings.data_dir / "downloads", settings.file_download_ttl_s)


async def _params(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            data = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError) as exc:
            raise NewsdeskError("request body is not valid JSON") from exc
        if not isinstance(data, dict):
            raise NewsdeskError("request body must be a JSON object")
        return data
    form = await request.form()
    return {key: form.get(key) for key in form}


@router.post("/translate")
async def libre_translate(request: Request, pipeline: PipelineDep) -> JSONResponse:
    """LibreTranslate `POST /translate`: q (text or list), source (or auto), target, format."""
    params = await _params(request)
    query = params.get("q")
    target = params.get("target")
    if query is None or target is None:
        return _error("Invalid request: missing q or target parameter")
    texts = [query] if isinstance(query, str) else query
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        return _error("Invalid request: q must be a string or a list")
    try:
        # As LibreTranslate: a negative number asks for none.
        alternatives = max(0, int(params.get("alternatives") or 0))
    except (TypeError, ValueError):
        return _error("Invalid request: alternatives parameter is not a number")
    if alternatives > MAX_ALTERNATIVES:
        return _error(f"Invalid request: alternatives parameter must be <= {MAX_ALTERNATIVES}")
    source = str(params.get("source") or "auto")
    fmt = "html" if params.get("format") == "html" else "text"
    try:
        result = await run_in_threadpool(
            translate_document, pipeline, texts, source, str(target), fmt
        )
        others = await run_in_threadpool(
            text_alternatives, pipeline, texts, result, str(target), fmt, alternatives
        )
    except NewsdeskError as exc:
        return _error(exc.message, exc.status_code)
    body: dict[str, Any] = {
        "translatedText": result.texts[0] if isinstance(query, str) else result.texts
    }
    if alternatives > 0:
        body["alternatives"] = others[0] if isinstance(query, str) else others
    if source == "auto":
        detected = {"confidence": result.confidence, "language": result.source}
        body["detectedLanguage"] = detected if isinstance(query, str) else [detected] * len(texts)
    return JSONResponse(body)


@router.post("/detect")
async def detect(request: Request) -> JSONResponse:
    """LibreTranslate `POST /detect`: q → `[{"confidence", "language"}]`, most likely first,
    with lingua's confidence (0 to 100)."""
    params = await _params(request)
    query = params.get("q")
    if not isinstance(query, str) or not query.strip():
        return _error("Invalid request: missing q parameter")
    found = await run_in_threadpool(language_confidences, query)
    return JSONResponse([{"confidence": value, "language": code} for code, value in found])


@router.get("/frontend/settings")
def frontend_settings(pipeline: PipelineDep) -> dict[str, Any]:
    """LibreTranslate `GET /frontend/settings`: what its web page and clients ask first."""
    settings = pipeline.settings
    return {
        "charLimit": settings.max_text_chars,
        "frontendTimeout": 500,
        "apiKeys": True,
        "keyRequired": settings.require_client_key,
        "suggestions": settings.suggestions,
        "filesTranslation": settings.files_translation,
        "supportedFilesFormat": SUPPORTED_FILES if settings.files_translation else [],
        "language": {
            "source": {"code": "auto", "name": "Auto Detect"},
            "target": {"code": "es", "name": NAMES["es"]},
        },
    }


@router.post("/suggest")
async def suggest(
    request: Request,
    pipeline: PipelineDep,
    store: StoreDep,
    principal: Annotated[Principal | None, Depends(client_key)],
) -> JSONResponse:
    """LibreTranslate `POST /suggest`: q (the original), s (its suggested translation), source
    (or auto), target → `{"success": true}`, the suggestion a draft in the review queue."""
    if not pipeline.settings.suggestions:
        return _error(SUGGESTIONS_DISABLED, 403)
    params = await _params(request)
    for name in ("q", "s", "source", "target"):
        value = params.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return _error(f"Invalid request: missing {name} parameter")
        if not isinstance(value, str):
            return _error(f"Invalid request: {name} must be a string")
    author = principal.name if principal is not None else ANONYMOUS
    await run_in_threadpool(
        submit_suggestion,
        pipeline,
        store,
        params["q"],
        params["s"],
        params["source"],
        params["target"],
        author,
    )
    return JSONResponse({"success": True})


@router.post("/translate_file")
async def libre_translate_file(
    request: Request, pipeline: PipelineDep, settings: SettingsDep
) -> JSONResponse:
    """LibreTranslate `POST /translate_file` (multipart: file, source, target, api_key) →
    `{"translatedFileUrl"}`, a link that serves the translation for file_download_ttl_s."""
    if not settings.files_translation:
        return _error(FILES_DISABLED, 403)
    form = await request.form()
    upload = form.get("file")
    target = form.get("target")
    if not isinstance(upload, UploadFile):
        return _error("Invalid request: missing file parameter")
    if not isinstance(target, str) or not target:
        return _error("Invalid request: missing target parameter")
    source = form.get("source")
    source = source if isinstance(source, str) and source else "auto"
    filename = upload.filename or "file.txt"
    extension = Path(filename).suffix.lower()
    if extension not in FORMATS:
        return _error("Invalid request: file format not supported")
    data = await upload.read(settings.max_file_bytes + 1)
    if not data:
        return _error("Invalid request: empty file")
    if len(data) > settings.max_file_bytes:
        return _error(f"file is larger than {settings.max_file_bytes} bytes", 413)
    try:
        translated, _ = await run_in_threadpool(
            translate_file, pipeline, extension, data, source, target
        )
    except UnreadableFile:
        return _error(f"Invalid request: the file is not a readable {extension} file")
    name = await run_in_threadpool(_downloads(settings).put, filename, translated)
    return JSONResponse({"translatedFileUrl": f"{request.base_url}download_file/{name}"})


@downloads_router.get("/download_file/{name}", response_model=None)
def download_file(name: str, settings: SettingsDep) -> FileResponse | JSONResponse:
    """A translated file from /translate_file, while it has not expired."""
    path = _downloads(settings).path(name)
    if path is None:
        return _error("Invalid request: file not found or expired", 404)
    original = name.split(".", 1)[1]
    return FileResponse(path, filename=original, media_type="application/octet-stream")


@router.get("/languages")
def languages(pipeline: PipelineDep) -> list[dict[str, Any]]:
    """LibreTranslate `GET /languages`: each language and the targets it can go to."""
    targets: dict[str, list[str]] = {}
    for source, target in pipeline.registry.translators:
        targets.setdefault(source, []).append(target)
    return [
        {"code": code, "name": NAMES.get(code, code), "targets": sorted(found)}
        for code, found in sorted(targets.items())
    ]
