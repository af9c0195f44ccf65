"""Translates marked flows: split into sentences, translate through the caching wrapper in one
batch (sentences and inline fragments together), put the inline markup back."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from service.document.inline import assemble_flow, place_markers, plan_flow
from service.pipeline.cached import CachedTranslator
from service.pipeline.limits import check_sentences


@dataclass
class FlowResult:
    """A flow's translation, its sentences by origin, and the numbers or other protected spans
    its sentences lost in the engine (reported for review, never appended)."""

    text: str
    origins: Counter[str]
    missing: tuple[str, ...] = ()


def translate_flows(
    texts: list[str], translator: CachedTranslator, max_sentences: int | None = None
) -> list[FlowResult]:
    """The flows translated; over `max_sentences` sentences in all, TooManySentences before
    the engine is asked anything (None: no cap)."""
    plans = [plan_flow(text, translator.source) for text in texts]
    check_sentences(sum(len(plan.sentences) for plan in plans), max_sentences)
    wanted: list[str] = []
    for plan in plans:
        for sentence in plan.sentences:
            wanted.append(sentence.plain)
            wanted.extend(sentence.fragments)
    unique = list(dict.fromkeys(wanted))
    segments = dict(zip(unique, translator.translate(unique), strict=True))
    fragments = {text: segment.text for text, segment in segments.items()}
    results: list[FlowResult] = []
    for plan in plans:
        origins: Counter[str] = Counter()
        sentences: list[str] = []
        missing: list[str] = []
        for sentence in plan.sentences:
            segment = segments[sentence.plain]
            origins[segment.origin] += 1
            missing.extend(segment.missing)
            sentences.append(place_markers(sentence, segment.text, fragments))
        results.append(FlowResult(assemble_flow(plan, sentences), origins, tuple(missing)))
    return results
