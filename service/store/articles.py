"""What the pipeline needs from an article store: keep each machine result, give back the
article's current text. `service.store.review.ReviewStore` is the implementation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from service.schemas import ArticleRequest, ArticleResponse


@dataclass
class DraftOrigins:
    """Where each part of a machine draft came from: sentences by origin (engine, cache, tm)
    for the title, the lede and each body paragraph, in order."""

    title: dict[str, int] = field(default_factory=dict)
    lede: dict[str, int] | None = None
    body: list[dict[str, int]] = field(default_factory=list)


class ArticleStore(Protocol):
    def save(
        self,
        request: ArticleRequest,
        response: ArticleResponse,
        origins: DraftOrigins | None = None,
    ) -> ArticleResponse | None:
        """Stores a machine result; returns the article as it now stands (approved text where
        an editor approved one), or None when the store keeps no review state."""
        ...

    def get(self, article_id: str) -> ArticleResponse | None: ...

    def close(self) -> None: ...


class TransientArticles:
    """Keeps nothing: for `newsdesk translate`, which translates text and stores no article."""

    def save(
        self,
        request: ArticleRequest,
        response: ArticleResponse,
        origins: DraftOrigins | None = None,
    ) -> ArticleResponse | None:
        return None

    def get(self, article_id: str) -> ArticleResponse | None:
        return None

    def close(self) -> None:
        return None
