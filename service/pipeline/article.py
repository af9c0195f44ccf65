"""The article orchestration: detect, parse, translate (through memory and cache), summarize,
store, respond. One instance serves the HTTP API, the CLI and the batch runner."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from service.config import Settings
from service.engines.base import EngineError, EngineInfo, Summarizer
from service.engines.cached import ApprovedMemory, CachedTranslator
from service.engines.registry import EngineRegistry
from service.errors import EngineFailed, UnsupportedLanguage
from service.metrics import CACHE
from service.pipeline.detect import detect_language
from service.pipeline.markup import Document, parse, plain
from service.pipeline.prompts import summary_budget
from service.pipeline.protect import GlossaryFile
from service.pipeline.translate import translate_flows
from service.schemas import ArticleRequest, ArticleResponse, EngineRef, Provenance, Version
from service.store.articles import ArticleStore, DraftOrigins
from service.store.cache import KeyValueCache

OTHER = {"en": "es", "es": "en"}


def _ref(info: EngineInfo) -> EngineRef:
    return EngineRef(**info.as_dict())


class ArticlePipeline:
    def __init__(
        self,
        settings: Settings,
        registry: EngineRegistry,
        cache: KeyValueCache,
        articles: ArticleStore,
        glossary: GlossaryFile,
        memory: ApprovedMemory | None = None,
    ) -> None:
        self.settings = settings
        self.registry = registry
        self.cache = cache
        self.articles = articles
        self.glossary = glossary
        self.memory = memory
        self._translators: dict[tuple[str, str], CachedTranslator] = {}

    def translator(self, source: str, target: str) -> CachedTranslator:
        key = (source, target)
        if key not in self._translators:
            engine = self.registry.translator(source, target)
            self._translators[key] = CachedTranslator(
                engine, self.cache, self.glossary, self.memory
            )
        return self._translators[key]

    def process(self, request: ArticleRequest) -> ArticleResponse:
        # Parsed here only when detection needs the body; a cache hit then needs no parse.
        document = parse(request.body, request.format) if request.source_lang == "auto" else None
        source = _source_language(request, document)
        target = OTHER[source]
        translator = self.translator(source, target)
        summarizer = self.registry.summarizer(source) if request.summary else None
        max_words = summary_budget(self.settings, source, request.max_words)
        key = self._article_key(
            request, source, translator, summarizer.info if summarizer else None, max_words
        )
        article_id = request.id or "a-" + key[2:18]
        if self.memory is not None:
            # An approval that taught the memory must not be hidden by an older cached article;
            # the derived id above stays independent of it.
            memory = self.memory.version(source, target)
            key = "a:" + hashlib.sha256(f"{key}|tm:{memory}".encode()).hexdigest()
        hit = self.cache.get_many([key]).get(key)
        if hit is not None:
            CACHE.labels("article", "hit").inc()
            response = ArticleResponse.model_validate_json(hit)
            response = response.model_copy(update={"id": article_id, "cached": True})
            return self.articles.save(request, response) or response
        CACHE.labels("article", "miss").inc()
        try:
            response, origins = self._translate(
                request,
                document or parse(request.body, request.format),
                source,
                target,
                translator,
                summarizer,
                max_words,
                article_id,
            )
        except EngineError as exc:
            raise EngineFailed(translator.info.engine) from exc
        self.cache.put_many({key: response.model_dump_json()})
        # The store answers with the article as it stands: approved text stays approved.
        return self.articles.save(request, response, origins) or response

    def _translate(
        self,
        request: ArticleRequest,
        document: Document,
        source: str,
        target: str,
        translator: CachedTranslator,
        summarizer: Summarizer | None,
        max_words: int,
        article_id: str,
    ) -> tuple[ArticleResponse, DraftOrigins]:
        head = [request.title] + ([request.lede] if request.lede else [])
        flows = document.flows
        source_summary: str | None = None
        summary_info: EngineInfo | None = None
        if summarizer is not None:
            summary_info = summarizer.info
            text = "\n\n".join(p for p in [request.lede or "", document.plain_text()] if p)
            source_summary = summarizer.summarize(text, max_words)
        tail = [source_summary] if source_summary else []
        results = translate_flows(
            head + [f.text for f in flows] + tail,
            translator,
            self.settings.max_sentences_per_request,
        )
        for flow, result in zip(flows, results[len(head) : len(head) + len(flows)], strict=True):
            flow.translation = result.text
        origins: Counter[str] = Counter()
        for result in results[: len(head) + len(flows)]:
            origins.update(result.origins)
        fallback = self.registry.is_fallback(f"{source}-{target}")
        summary_ref = _ref(summary_info) if summary_info else None
        original = Version(
            title=request.title,
            lede=request.lede,
            body=request.body,
            summary=source_summary,
            provenance=Provenance(original=True, summary=summary_ref),
        )
        translated = Version(
            title=plain(results[0].text),
            lede=plain(results[1].text) if request.lede else None,
            body=document.render(),
            summary=plain(results[-1].text) if source_summary else None,
            provenance=Provenance(
                original=False,
                translation=_ref(translator.info),
                summary=summary_ref,
                fallback=fallback,
                sentences=dict(origins),
            ),
        )
        response = ArticleResponse(
            id=article_id,
            source_lang=source,  # type: ignore[arg-type]
            versions={source: original, target: translated},
            cached=False,
        )
        body = results[len(head) : len(head) + len(document.body_flows)]
        draft_origins = DraftOrigins(
            title=dict(results[0].origins),
            lede=dict(results[1].origins) if request.lede else None,
            body=[dict(result.origins) for result in body],
        )
        return response, draft_origins

    def _article_key(
        self,
        request: ArticleRequest,
        source: str,
        translator: CachedTranslator,
        summarizer: EngineInfo | None,
        max_words: int,
    ) -> str:
        payload = {
            "v": 1,
            "title": request.title,
            "lede": request.lede,
            "body": request.body,
            "format": request.format,
            "source": source,
            "summary": request.summary,
            "max_words": max_words,
            "engine": translator.info.signature,
            "summarizer": summarizer.signature if summarizer else None,
            "glossary": self.glossary.current().version,
        }
        raw = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return "a:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _source_language(request: ArticleRequest, document: Document | None) -> str:
    """The article's language: the request's when given, else detected from its text."""
    if request.source_lang != "auto":
        if request.source_lang not in OTHER:
            raise UnsupportedLanguage(request.source_lang)
        return request.source_lang
    body = document.plain_text() if document is not None and request.body else ""
    return detect_language(" ".join([request.title, request.lede or "", body[:3000]]))
