"""The article orchestration: detect, parse, translate (through memory and cache), summarize,
store, respond. One instance serves the HTTP API, the CLI and the batch runner."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from service.config import Settings
from service.document.markup import Document, parse, plain
from service.document.sanitize import safe_version
from service.engines.base import EngineError, EngineInfo, Summarizer
from service.engines.prompts import summary_budget
from service.engines.registry import EngineRegistry
from service.engines.seq2seq_loader import PivotSummarizer
from service.errors import EngineFailed, UnsupportedLanguage
from service.faults import ThrottledLog, describe
from service.metrics import CACHE, STORE_ERRORS
from service.pipeline import postedit
from service.pipeline.cached import ApprovedMemory, CachedTranslator
from service.pipeline.detect import detect_language
from service.pipeline.localize import RULES
from service.pipeline.pivot import summarize_translated, through
from service.pipeline.protect import GlossaryFile
from service.pipeline.qa.flags import QaContext
from service.pipeline.qa.version import Location, check_version, flags_for, unchanged_dropped
from service.pipeline.translate import FlowResult, translate_flows
from service.schemas import ArticleRequest, ArticleResponse, EngineRef, Provenance, Version
from service.store.articles import ArticleStore, DraftOrigins
from service.store.cache import KeyValueCache
from service.store.checks import QaInput
from service.store.outage import is_store_outage

OTHER = {"en": "es", "es": "en"}
log = logging.getLogger(__name__)
# Shared by every pipeline in the process: one line a minute per kind, however many pipelines.
_faults = ThrottledLog(log)


class CachedArticle(BaseModel):
    """An article-cache entry: the answer, the id it derives when the request names none, and
    the translation-memory stamp it was made with (a hit checks it)."""

    derived_id: str
    memory: str | None
    response: ArticleResponse


def _ref(info: EngineInfo) -> EngineRef:
    return EngineRef(**info.as_dict())


def _survived(op: str, exc: Exception, consequence: str) -> None:
    STORE_ERRORS.labels(op).inc()
    _faults.warning(op, "store %s failed, %s: %s", op, consequence, describe(exc))


class _ReadableMemory:
    """The translation memory as the pipeline reads it: a store that cannot be read gives no
    memory hits (the engine translates those sentences) rather than failing the request."""

    def __init__(self, memory: ApprovedMemory) -> None:
        self.memory = memory
        # Moves on every failed read: an article translated meanwhile may lack approved text,
        # so it must not be cached under the memory's stamp (see ArticlePipeline.process).
        self.failures = 0

    def lookup(self, source: str, target: str, sentences: Sequence[str]) -> dict[str, str]:
        try:
            return self.memory.lookup(source, target, sentences)
        except Exception as exc:
            if not is_store_outage(exc):
                raise
            self.failures += 1
            _survived("memory", exc, "no translation memory hits")
            return {}

    def memory_stamp(self, source: str, target: str) -> str:
        return self.memory.memory_stamp(source, target)

    def stamp_or_none(self, source: str, target: str) -> str | None:
        """None when the store cannot be read."""
        try:
            return self.memory.memory_stamp(source, target)
        except Exception as exc:
            if not is_store_outage(exc):
                raise
            self.failures += 1
            _survived("memory", exc, "the article cache is bypassed")
            return None


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
        self.memory = _ReadableMemory(memory) if memory is not None else None
        self._translators: dict[tuple[str, str], CachedTranslator] = {}

    def translator(self, source: str, target: str) -> CachedTranslator:
        key = (source, target)
        if key not in self._translators:
            engine = self.registry.translator(source, target)
            self._translators[key] = CachedTranslator(
                engine, self.cache, self.glossary, self.memory, self.settings.house_style
            )
        return self._translators[key]

    def qa_context(self, source: str, target: str) -> QaContext:
        """What the QA checks of a pair read: the house style and the glossary as now."""
        terms = self.glossary.current().terms(source, target)
        return QaContext(source, target, self.settings.house_style, terms)

    def check_edit(self, given: QaInput) -> list[dict[str, Any]]:
        """The QA flags of an editor's save (the review store calls it on the text it keeps);
        the engine's dropped spans still count where the save left their paragraph alone."""
        context = self.qa_context(given.source_lang, given.target_lang)
        dropped = unchanged_dropped(given.base_flags, given.base, given.target, given.format)
        flags = check_version(given.source, given.target, given.format, context, dropped)
        return [flag.as_dict() for flag in flags]

    def process(self, request: ArticleRequest) -> ArticleResponse:
        # A repeat is answered from the request's own fields: no parse, no language detection.
        request_key = self._request_key(request)
        hit = self._cached(request, request_key)
        if hit is not None:
            CACHE.labels("article", "hit").inc()
            return self._save(request, hit)
        CACHE.labels("article", "miss").inc()
        # Parsed here only when detection needs the body.
        document = parse(request.body, request.format) if request.source_lang == "auto" else None
        source = _source_language(request, document)
        target = OTHER[source]
        translator = self.translator(source, target)
        summarizer = self.registry.summarizer(source) if request.summary else None
        max_words = summary_budget(self.settings, source, request.max_words)
        key = self._article_key(
            request, source, translator, summarizer.info if summarizer else None, max_words
        )
        # Ids are derived as they were before the cache was keyed by the request: they stay.
        derived_id = "a-" + key[2:18]
        memory_failures = self.memory.failures if self.memory is not None else 0
        # Read before translating: an approval landing meanwhile makes this entry miss. A memory
        # that cannot be read has no version, and the answer is then not cached at all.
        memory = self.memory.stamp_or_none(source, target) if self.memory is not None else None
        try:
            response, origins = self._translate(
                request,
                document or parse(request.body, request.format),
                source,
                target,
                translator,
                summarizer,
                max_words,
                request.id or derived_id,
            )
        except EngineError as exc:
            raise EngineFailed(translator.info.engine) from exc
        response = _published(request, response)
        memory_read = self.memory is None or (
            memory is not None and self.memory.failures == memory_failures
        )
        if memory_read:
            entry = CachedArticle(derived_id=derived_id, memory=memory, response=response)
            self.cache.put_many({request_key: entry.model_dump_json()})
        return self._save(request, response, origins)

    def _save(
        self,
        request: ArticleRequest,
        response: ArticleResponse,
        origins: DraftOrigins | None = None,
    ) -> ArticleResponse:
        """The article as the store now has it (approved text stays approved); the response as
        computed, without review state, when the store cannot write: the client still gets its
        translation, and the next request of the article stores it."""
        try:
            return self.articles.save(request, response, origins) or response
        except Exception as exc:
            if not is_store_outage(exc):
                raise
            _survived("save", exc, "the draft is not stored")
            return response

    def _cached(self, request: ArticleRequest, request_key: str) -> ArticleResponse | None:
        found = self.cache.get_many([request_key]).get(request_key)
        if found is None:
            return None
        try:
            entry = CachedArticle.model_validate_json(found)
        except ValidationError:
            return None  # not an entry this version wrote: made again, and overwritten
        source = entry.response.source_lang
        if self.memory is not None:
            memory = self.memory.stamp_or_none(source, OTHER[source])
            if memory is None or memory != entry.memory:
                return None  # an approval taught the memory since (or it cannot be read)
        update = {"id": request.id or entry.derived_id, "cached": True}
        return entry.response.model_copy(update=update)

    def _request_key(self, request: ArticleRequest) -> str:
        """The article-cache key, from the request as sent and from what could answer it: the
        engines, summarizers and budgets of every language the article may turn out to be in
        (one when source_lang is given), and the glossary. The id is left out: the same article
        under two ids shares one entry."""
        if request.source_lang == "auto":
            sources = list(OTHER)
        elif request.source_lang in OTHER:
            sources = [request.source_lang]
        else:
            raise UnsupportedLanguage(request.source_lang)
        answerers = {}
        for source in sources:
            engine = self.registry.translators.get((source, OTHER[source]))
            summarizer = self.registry.summarizers.get(source) if request.summary else None
            # The post-editing rules' revision: an article finished under older rules misses.
            edits = postedit.revision(engine.info.engine, source, OTHER[source]) if engine else None
            answerers[source] = [
                engine.info.signature if engine else None,
                summarizer.info.signature if summarizer else None,
                summary_budget(self.settings, source, request.max_words),
                edits,
            ]
        payload = {
            # 3: answers carry QA flags; older entries, without them, miss.
            "v": 3,
            "request": request.model_dump(mode="json", exclude={"id"}),
            "answerers": answerers,
            "glossary": self.glossary.current().version,
            # Dates and numbers are written after the sentence cache, but whole answers are
            # cached here: a new rule set or house style must not serve an old answer.
            "numbers": [RULES, self.settings.house_style],
        }
        raw = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return "a:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def _pivot_summaries(
        self,
        pivot: PivotSummarizer,
        lede: list[str],
        document: Document,
        source: str,
        target: str,
        max_words: int,
    ) -> tuple[str | None, str | None]:
        """(target summary, source summary) of an article whose body flows are translated."""
        translated = [
            " ".join(plain(flow.translation or "").split()) for flow in document.body_flows
        ]
        text = "\n\n".join(p for p in lede + translated if p)
        return summarize_translated(pivot, text, self.translator(target, source), max_words)

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
        target_summary: str | None = None
        summary_info: EngineInfo | None = None
        # A summarizer that goes through the target language summarizes the article's own
        # translation (through cache and memory): translating the article a second time, and
        # giving the target a round trip of its own summary, would both be worse.
        pivot = through(summarizer, target)
        if summarizer is not None:
            summary_info = summarizer.info
        if summarizer is not None and pivot is None:
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
        if pivot is not None:
            lede = [plain(results[1].text)] if request.lede else []
            target_summary, source_summary = self._pivot_summaries(
                pivot, lede, document, source, target, max_words
            )
        elif source_summary:
            target_summary = plain(results[-1].text)
        origins: Counter[str] = Counter()
        missing = 0
        for result in results[: len(head) + len(flows)]:
            origins.update(result.origins)
            missing += len(result.missing)
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
            summary=target_summary,
            provenance=Provenance(
                original=False,
                translation=_ref(translator.info),
                summary=summary_ref,
                fallback=fallback,
                sentences=dict(origins),
                missing=missing,
            ),
        )
        dropped = _dropped_spans(results, len(head), len(document.body_flows), len(flows))
        if source_summary and pivot is None:
            dropped[("summary", None)] = list(results[-1].missing)
        qa = flags_for(
            original, translated, request.format, self.qa_context(source, target), dropped
        )
        translated = translated.model_copy(update={"qa": qa})
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


def _dropped_spans(
    results: Sequence[FlowResult], head: int, body: int, flows: int
) -> dict[Location, list[str]]:
    """The spans the engine dropped, by where the QA flags place them: the title, the lede (when
    `head` has it), each body paragraph, and other flows of the body (alt texts) together."""
    dropped: dict[Location, list[str]] = {("title", None): list(results[0].missing)}
    if head > 1:
        dropped[("lede", None)] = list(results[1].missing)
    for index, result in enumerate(results[head : head + body]):
        dropped[("body", index)] = list(result.missing)
    for result in results[head + body : head + flows]:
        dropped.setdefault(("body", None), []).extend(result.missing)
    return dropped


def _published(request: ArticleRequest, response: ArticleResponse) -> ArticleResponse:
    """The response with its translation holding only the markup of the client's article. Only
    such responses are cached, so a cache hit needs no second look."""
    source = response.versions[response.source_lang]
    versions = {
        lang: version
        if lang == response.source_lang
        else safe_version(source, request.format, version)
        for lang, version in response.versions.items()
    }
    return response.model_copy(update={"versions": versions})


def _source_language(request: ArticleRequest, document: Document | None) -> str:
    """The article's language: the request's when given, else detected from its text."""
    if request.source_lang != "auto":
        if request.source_lang not in OTHER:
            raise UnsupportedLanguage(request.source_lang)
        return request.source_lang
    body = document.plain_text() if document is not None and request.body else ""
    return detect_language(" ".join([request.title, request.lede or "", body[:3000]]))
