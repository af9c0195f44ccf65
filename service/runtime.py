"""Everything heavy the service holds: engines, cache, stores, the pipeline. Built once (the
FastAPI lifespan, the CLI, a batch worker), closed once."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from service.config import Settings
from service.engines.registry import EngineRegistry
from service.pipeline.article import ArticlePipeline
from service.pipeline.protect import GlossaryFile
from service.store.articles import ArticleStore
from service.store.cache import BestEffortCache, open_cache
from service.store.probes import StorageProbes
from service.store.review import ReviewStore

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    registry: EngineRegistry
    cache: BestEffortCache
    articles: ArticleStore
    glossary: GlossaryFile
    pipeline: ArticlePipeline
    review: ReviewStore
    probes: StorageProbes

    @classmethod
    def open(
        cls, settings: Settings, registry: EngineRegistry | None = None, summaries: bool = True
    ) -> Runtime:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        if registry is None:
            registry = EngineRegistry.load(settings, summaries=summaries)
        # Best effort: a cache that cannot open or write (Redis down, disk full) costs
        # recomputation, never a request or the start.
        cache = open_cache(settings)
        # One store for drafts, revisions, review, users and the approved translation memory;
        # it migrates its schema to the current head first.
        review = ReviewStore.open(settings)
        glossary = GlossaryFile(settings.glossary_file)
        pipeline = ArticlePipeline(settings, registry, cache, review, glossary, memory=review)
        probes = StorageProbes(
            settings.data_dir, review.engine, cache, settings.readyz_probe_timeout_s
        )
        return cls(settings, registry, cache, review, glossary, pipeline, review, probes)

    def close(self) -> None:
        self.registry.close()
        self.cache.close()
        self.articles.close()
