"""Translate: sentences or documents (text or HTML) without storing an article."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import PipelineDep
from service.pipeline.text import translate_document
from service.schemas import TranslateRequest, TranslateResponse

router = APIRouter(prefix="/v1/translate", tags=["translate"])


@router.post("", response_model=TranslateResponse)
def translate(request: TranslateRequest, pipeline: PipelineDep) -> TranslateResponse:
    """Translate one text or a list of texts, keeping markup when format is html."""
    texts = [request.text] if isinstance(request.text, str) else request.text
    result = translate_document(pipeline, texts, request.source, request.target, request.format)
    translation: str | list[str] = (
        result.texts[0] if isinstance(request.text, str) else result.texts
    )
    return TranslateResponse(
        translation=translation,
        source=result.source,
        provenance=result.provenance,
    )
