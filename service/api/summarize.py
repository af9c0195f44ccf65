"""Summarize: a short summary of a text in its own language."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import PipelineDep
from service.pipeline.text import summarize_text
from service.schemas import EngineRef, SummarizeRequest, SummarizeResponse

router = APIRouter(prefix="/v1/summarize", tags=["summarize"])


@router.post("", response_model=SummarizeResponse)
def summarize(request: SummarizeRequest, pipeline: PipelineDep) -> SummarizeResponse:
    """Summarize a plain-text document (paragraphs separated by blank lines)."""
    # Through the pipeline: a language summarized through another is translated through the
    # approved memory and the cache (pipeline/pivot.py).
    result = summarize_text(pipeline, request.text, request.lang, request.max_words)
    return SummarizeResponse(summary=result.summary, provenance=EngineRef(**result.info.as_dict()))
