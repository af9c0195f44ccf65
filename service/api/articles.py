"""Articles: both language versions of an article, with summaries and provenance."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import PipelineDep, SettingsDep
from service.errors import NewsdeskError, NotFound
from service.schemas import ArticleRequest, ArticleResponse

router = APIRouter(prefix="/v1/articles", tags=["articles"])


class BodyTooLarge(NewsdeskError):
    status_code = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"article body is larger than {limit} bytes")


@router.post("", response_model=ArticleResponse)
def create_article(
    request: ArticleRequest, pipeline: PipelineDep, settings: SettingsDep
) -> ArticleResponse:
    """Translate an article into the other language and summarize both versions."""
    if len(request.body.encode("utf-8")) > settings.max_body_bytes:
        raise BodyTooLarge(settings.max_body_bytes)
    return pipeline.process(request)


@router.get("/{article_id}", response_model=ArticleResponse)
def get_article(article_id: str, pipeline: PipelineDep) -> ArticleResponse:
    """The latest stored result for an article id."""
    found = pipeline.articles.get(article_id)
    if found is None:
        raise NotFound(f"article not found: {article_id}")
    return found
