"""LibreTranslate-compatible routes, so existing clients work unchanged."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from service.api.deps import PipelineDep
from service.errors import NewsdeskError
from service.pipeline.text import translate_document

router = APIRouter(tags=["libretranslate"])

NAMES = {"en": "English", "es": "Spanish"}


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
        return JSONResponse({"error": "Invalid request: missing q or target parameter"}, 400)
    texts = [query] if isinstance(query, str) else query
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        return JSONResponse({"error": "Invalid request: q must be a string or a list"}, 400)
    source = str(params.get("source") or "auto")
    fmt = "html" if params.get("format") == "html" else "text"
    from starlette.concurrency import run_in_threadpool

    try:
        result = await run_in_threadpool(
            translate_document, pipeline, texts, source, str(target), fmt
        )
    except NewsdeskError as exc:
        return JSONResponse({"error": exc.message}, exc.status_code)
    body: dict[str, Any] = {
        "translatedText": result.texts[0] if isinstance(query, str) else result.texts
    }
    if source == "auto":
        body["detectedLanguage"] = {"confidence": 90.0, "language": result.source}
    return JSONResponse(body)


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
