"""Translation and summaries of free texts (no article record): the path of /v1/translate, the
LibreTranslate-compatible route, /v1/summarize, `newsdesk translate` and `newsdesk summarize`;
and the other translations of a text that LibreTranslate clients ask for (`text_alternatives`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from service.document.markup import Flow, parse
from service.document.sanitize import safe_body
from service.engines.base import EngineError, EngineInfo
from service.engines.prompts import summary_budget
from service.errors import EngineFailed, UnsupportedPair
from service.pipeline.article import OTHER, ArticlePipeline
from service.pipeline.cached import CachedTranslator
from service.pipeline.detect import language_confidences
from service.pipeline.limits import check_text_chars
from service.pipeline.pivot import summarize_translated, through
from service.pipeline.translate import FlowResult, flow_alternatives, translate_flows
from service.schemas import EngineRef, Provenance


@dataclass
class TextResult:
    texts: list[str]
    source: str
    provenance: Provenance
    # With source "auto": the detector's confidence (0 to 100) in the language it chose.
    confidence: float | None = None


@dataclass
class TextSummary:
    summary: str
    info: EngineInfo


def translate_document(
    pipeline: ArticlePipeline,
    texts: list[str],
    source: str,
    target: str,
    fmt: str,
    *,
    capped: bool = True,
) -> TextResult:
    """`texts` translated. `capped`: held to the settings' caps on one request (characters,
    sentences); `newsdesk translate --lines` feeds its own chunks and is not."""
    settings = pipeline.settings
    if capped:
        check_text_chars(texts, settings.max_text_chars)
    if target not in OTHER or (source != "auto" and source not in OTHER):
        raise UnsupportedPair(source, target)
    documents = [parse(text, fmt) for text in texts]
    confidence = None
    if source == "auto":
        sample = " ".join(d.plain_text() for d in documents)[:4000]
        # One detector call gives the language and the confidence /translate reports with it.
        found = language_confidences(sample)
        source, confidence = (
            found[0] if found and found[0][1] > 0 else (OTHER.get(target, "en"), 0.0)
        )
    if source == target:
        raise UnsupportedPair(source, target)
    translator = pipeline.translator(source, target)
    flows = [flow for document in documents for flow in document.flows]
    results = _translate_into(flows, translator, settings.max_sentences_per_request, capped)
    origins: Counter[str] = Counter()
    missing = 0
    for result in results:
        origins.update(result.origins)
        missing += len(result.missing)
    provenance = Provenance(
        original=False,
        translation=EngineRef(**translator.info.as_dict()),
        fallback=pipeline.registry.is_fallback(f"{source}-{target}"),
        sentences=dict(origins),
        missing=missing,
    )
    # The request's text is each translation's source: what markup it may hold (`sanitize`).
    translations = [
        safe_body(text, fmt, document.render())
        for text, document in zip(texts, documents, strict=True)
    ]
    return TextResult(translations, source, provenance, confidence)


def _translate_into(
    flows: list[Flow], translator: CachedTranslator, max_sentences: int, capped: bool
) -> list[FlowResult]:
    """Sets each flow's translation; held to `max_sentences` when `capped`. An engine's
    failure is the request's EngineFailed, naming the engine."""
    try:
        results = translate_flows(
            [flow.text for flow in flows], translator, max_sentences if capped else None
        )
    except EngineError as exc:
        raise EngineFailed(translator.info.engine) from exc
    for flow, result in zip(flows, results, strict=True):
        flow.translation = result.text
    return results


def text_alternatives(
    pipeline: ArticlePipeline,
    texts: list[str],
    result: TextResult,
    target: str,
    fmt: str,
    count: int,
) -> list[list[str]]:
    """For each text, up to `count` other translations of the whole text (LibreTranslate's
    `alternatives`), after `translate_document` gave `result` for the same texts.

    The k-th puts each sentence's k-th alternative (`CachedTranslator.alternatives`: the
    engine's n-best, protected spans restored as in the translation; none for a sentence
    approved memory answers), and its translation where a sentence has fewer, through the same
    markup and sanitizing as the translation. None repeats another or the text's translation.
    `[]` where the pair's engine has no n-best (Apertium) or no sentence has an alternative."""
    found: list[list[str]] = [[] for _ in texts]
    translator = pipeline.translator(result.source, target)
    if count <= 0 or not translator.has_alternatives:
        return found
    documents = [parse(text, fmt) for text in texts]
    flows = [flow for document in documents for flow in document.flows]
    try:
        variants = flow_alternatives([flow.text for flow in flows], translator, count)
    except EngineError as exc:
        raise EngineFailed(translator.info.engine) from exc
    start = 0
    for index, (text, document) in enumerate(zip(texts, documents, strict=True)):
        mine = variants[start : start + len(document.flows)]
        start += len(mine)
        seen = {result.texts[index]}
        for k in range(max((len(v.variants) for v in mine), default=0)):
            # A document renders once: each variant is rendered from a parse of its own.
            copy = document if k == 0 else parse(text, fmt)
            for flow, variant in zip(copy.flows, mine, strict=True):
                flow.translation = (
                    variant.variants[k] if k < len(variant.variants) else variant.text
                )
            rendered = safe_body(text, fmt, copy.render())
            if rendered not in seen:
                seen.add(rendered)
                found[index].append(rendered)
    return found


def summarize_text(
    pipeline: ArticlePipeline,
    text: str,
    lang: str,
    max_words: int | None = None,
    *,
    capped: bool = True,
) -> TextSummary:
    """A summary of `text` (plain text, paragraphs separated by blank lines) in `lang`, within
    `max_words` (None: the configured budget). A language summarized through another one is
    translated there and back by the pipeline's translators, through approved memory and cache
    (see `pivot`). `capped`: held to the request caps (characters, sentences), as the API is."""
    settings = pipeline.settings
    if capped:
        check_text_chars([text], settings.max_text_chars)
    summarizer = pipeline.registry.summarizer(lang)
    budget = summary_budget(settings, lang, max_words)
    pivot = through(summarizer)
    if pivot is None:
        return TextSummary(summarizer.summarize(text, budget), summarizer.info)
    into = pipeline.translator(lang, pivot.pivot)
    back = pipeline.translator(pivot.pivot, lang)
    document = parse(text, "text")
    _translate_into(document.flows, into, settings.max_sentences_per_request, capped)
    try:
        _, summary = summarize_translated(pivot, document.render(), back, budget)
    except EngineError as exc:
        raise EngineFailed(back.info.engine) from exc
    return TextSummary(summary or "", pivot.info)


def translate_lines(
    pipeline: ArticlePipeline,
    lines: Iterable[str],
    source: str,
    target: str,
    fmt: str,
    chunk_lines: int = 1000,
) -> Iterator[str]:
    """Translates a stream of lines, one output line per input line, in input order.

    Lines go to the engine a chunk at a time (at most `chunk_lines` lines, and no more
    characters than one request may send, unless one line alone has more), so memory stays
    bounded however long the input, and each chunk's lines come out as soon as it is done. The
    chunks are not held to the request caps: a file of any size goes through. Chunks are taken
    one after another: Apertium's tagger learns from what it has seen (see
    `service.engines.apertium`), so a fixed order keeps the output of a file the same from run
    to run. `auto` is decided on the first chunk and holds for the rest."""
    for chunk in _chunks(iter(lines), chunk_lines, pipeline.settings.max_text_chars):
        result = translate_document(pipeline, chunk, source, target, fmt, capped=False)
        source = result.source
        yield from result.texts


def _chunks(lines: Iterator[str], max_lines: int, max_chars: int) -> Iterator[list[str]]:
    """Chunks of lines, each out as soon as it is full (no line after it is read first)."""
    chunk: list[str] = []
    chars = 0
    for line in lines:
        if chunk and chars + len(line) > max_chars:
            yield chunk
            chunk, chars = [], 0
        chunk.append(line)
        chars += len(line)
        if len(chunk) == max_lines:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk
