"""Translates marked flows: split into sentences, translate through the caching wrapper in one
batch (sentences and inline fragments together), put the inline markup back. Also the flows'
other translations from the sentences' alternatives (`flow_alternatives`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from service.document.inline import FlowPlan, assemble_flow, place_markers, plan_flow
from service.pipeline.cached import CachedTranslator
from service.pipeline.limits import check_sentences


@dataclass
class FlowResult:
    """A flow's translation, its sentences by origin, and the numbers or other protected spans
    its sentences lost in the engine (reported for review, never appended)."""

    text: str
    origins: Counter[str]
    missing: tuple[str, ...] = ()


def _segments(plans: list[FlowPlan]) -> list[str]:
    """Every sentence and inline fragment of the flows, once each, in order: one engine call."""
    wanted: list[str] = []
    for plan in plans:
        for sentence in plan.sentences:
            wanted.append(sentence.plain)
            wanted.extend(sentence.fragments)
    return list(dict.fromkeys(wanted))


def translate_flows(
    texts: list[str], translator: CachedTranslator, max_sentences: int | None = None
) -> list[FlowResult]:
    """The flows translated; over `max_sentences` sentences in all, TooManySentences before
    the engine is asked anything (None: no cap)."""
    plans = [plan_flow(text, translator.source) for text in texts]
    check_sentences(sum(len(plan.sentences) for plan in plans), max_sentences)
    unique = _segments(plans)
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


@dataclass
class FlowVariants:
    """A flow's translation and its variants: variant k puts each sentence's k-th alternative
    where it has one and its translation where it has fewer; no variant is all translations."""

    text: str
    variants: list[str]


def flow_alternatives(
    texts: list[str], translator: CachedTranslator, count: int
) -> list[FlowVariants]:
    """Each flow's translation (as `translate_flows` gives it: memory and cache answer) and up
    to `count` variants from its sentences' alternatives (`CachedTranslator.alternatives`),
    markup placed the same way. Inline fragments keep their one translation: they only guide
    where the markup goes."""
    plans = [plan_flow(text, translator.source) for text in texts]
    unique = _segments(plans)
    segments = dict(zip(unique, translator.translate(unique), strict=True))
    # Sentences and fragments alike: place_markers looks fragments up by their text.
    translated = {text: segment.text for text, segment in segments.items()}
    plains = list(dict.fromkeys(s.plain for plan in plans for s in plan.sentences))
    best = [segments[plain] for plain in plains]
    others = dict(zip(plains, translator.alternatives(plains, best, count), strict=True))
    results: list[FlowVariants] = []
    for plan in plans:
        depth = max((len(others[s.plain]) for s in plan.sentences), default=0)
        text = assemble_flow(
            plan, [place_markers(s, translated[s.plain], translated) for s in plan.sentences]
        )
        variants = []
        for k in range(depth):
            sentences = []
            for sentence in plan.sentences:
                options = others[sentence.plain]
                chosen = options[k] if k < len(options) else translated[sentence.plain]
                sentences.append(place_markers(sentence, chosen, translated))
            variants.append(assemble_flow(plan, sentences))
        results.append(FlowVariants(text, variants))
    return results
