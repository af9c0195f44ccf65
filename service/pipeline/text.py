"""Translation of free texts (no article record): the path of /v1/translate, the
LibreTranslate-compatible route and `newsdesk translate`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from service.engines.base import EngineError
from service.errors import EngineFailed, UnsupportedPair
from service.pipeline.article import OTHER, ArticlePipeline
from service.pipeline.detect import detect_language
from service.pipeline.markup import parse
from service.pipeline.translate import translate_flows
from service.schemas import EngineRef, Provenance


@dataclass
class TextResult:
    texts: list[str]
    source: str
    provenance: Provenance


def translate_document(
    pipeline: ArticlePipeline, texts: list[str], source: str, target: str, fmt: str
) -> TextResult:
    if target not in OTHER or (source != "auto" and source not in OTHER):
        raise UnsupportedPair(source, target)
    documents = [parse(text, fmt) for text in texts]
    if source == "auto":
        sample = " ".join(d.plain_text() for d in documents)[:4000]
        source = detect_language(sample, default=OTHER.get(target, "en"))
    if source == target:
        raise UnsupportedPair(source, target)
    translator = pipeline.translator(source, target)
    flows = [flow for document in documents for flow in document.flows]
    try:
        results = translate_flows([flow.text for flow in flows], translator)
    except EngineError as exc:
        raise EngineFailed(translator.info.engine) from exc
    origins: Counter[str] = Counter()
    for flow, result in zip(flows, results, strict=True):
        flow.translation = result.text
        origins.update(result.origins)
    provenance = Provenance(
        original=False,
        translation=EngineRef(**translator.info.as_dict()),
        fallback=pipeline.registry.is_fallback(f"{source}-{target}"),
        sentences=dict(origins),
    )
    return TextResult([d.render() for d in documents], source, provenance)
