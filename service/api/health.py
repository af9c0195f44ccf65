"""Health: liveness, readiness (which engine serves what, and why) and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from service.api.deps import RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up (answered on the event loop: no worker thread needed, so it answers
    while every thread is busy translating)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(runtime: RuntimeDep) -> JSONResponse:
    """Ready when every pair has an engine and the store can write; says which engine serves what.

    `status` is `ok`, `degraded` (200: still serving, e.g. without a cache or with a data dir
    that cannot be written while the store lives elsewhere) or `not_ready` (503); `reasons` names
    each cause with the error underneath.
    """
    pairs: dict[str, Any] = {}
    summaries: dict[str, Any] = {}
    reasons: list[str] = []
    not_ready = False
    for choice in runtime.registry.choices:
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
            if choice.engine is None:
                not_ready = True
                reasons.append(f"no engine for {choice.key}: {choice.reason}")
    problems = runtime.probes.check()
    reasons.extend(problem.reason for problem in problems)
    not_ready = not_ready or any(problem.severity == "not_ready" for problem in problems)
    status = "not_ready" if not_ready else "degraded" if reasons else "ok"
    body = {
        "ready": not not_ready,
        "status": status,
        "reasons": reasons,
        "pairs": pairs,
        "summaries": summaries,
    }
    return JSONResponse(body, status_code=503 if not_ready else 200)


@router.get("/metrics")
def metrics() -> Response:
    """Prometheus metrics: requests, latency, sentences per engine, cache hits and misses."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
