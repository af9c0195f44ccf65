"""Health: liveness, readiness (which engine serves what, and why) and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from service.api.deps import RegistryDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up (answered on the event loop: no worker thread needed, so it answers
    while every thread is busy translating)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(registry: RegistryDep) -> JSONResponse:
    """Ready when every configured pair has an engine; says which serves it and why."""
    pairs: dict[str, Any] = {}
    summaries: dict[str, Any] = {}
    for choice in registry.choices:
        entry = {
            "engine": choice.engine,
            "model": choice.model,
            "fallback": choice.fallback,
            "reason": choice.reason,
        }
        if choice.key.startswith("summary-"):
            summaries[choice.key.removeprefix("summary-")] = entry
        else:
            pairs[choice.key] = entry
    ready = all(p["engine"] is not None for p in pairs.values())
    body = {"ready": ready, "pairs": pairs, "summaries": summaries}
    return JSONResponse(body, status_code=200 if ready else 503)


@router.get("/metrics")
def metrics() -> Response:
    """Prometheus metrics: requests, latency, sentences per engine, cache hits and misses."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
