"""Summarize: a short summary of a text in its own language."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import RegistryDep, SettingsDep
from service.engines.prompts import summary_budget
from service.pipeline.limits import check_text_chars
from service.schemas import EngineRef, SummarizeRequest, SummarizeResponse

router = APIRouter(prefix="/v1/summarize", tags=["summarize"])


@router.post("", response_model=SummarizeResponse)
def summarize(
    request: SummarizeRequest, registry: RegistryDep, settings: SettingsDep
) -> SummarizeResponse:
    """Summarize a plain-text document (paragraphs separated by blank lines)."""
    check_text_chars([request.text], settings.max_text_chars)
    summarizer = registry.summarizer(request.lang)
    summary = summarizer.summarize(
        request.text, summary_budget(settings, request.lang, request.max_words)
    )
    return SummarizeResponse(summary=summary, provenance=EngineRef(**summarizer.info.as_dict()))
