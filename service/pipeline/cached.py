"""The caching wrapper around a Translator: approved human translations first, then the cache,
then the engine for the misses only, in one batch.

Also the other translations of sentences (`CachedTranslator.alternatives`), for LibreTranslate's
`alternatives`, from engines with an n-best: protected and restored like the translation, never
cached (the cache holds the one translation of a sentence that every client gets)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from service import cancellation
from service.document.segment import normalize
from service.engines.base import EngineInfo, NBestTranslator, Translator
from service.metrics import CACHE, SENTENCES
from service.pipeline import postedit
from service.pipeline.localize import NumberRules
from service.pipeline.protect import GlossaryFile, Protector
from service.store.cache import KeyValueCache

Origin = Literal["engine", "cache", "tm"]
_Out = TypeVar("_Out")

# The engine gets the misses in slices of this many sentences: an article is one slice, while a
# request whose client has gone stops after the slice in progress (`service.cancellation`).
ENGINE_SLICE = 256


@dataclass(frozen=True)
class Segment:
    """A translated sentence, where it came from, and the numbers or other protected spans
    the engine dropped (for an editor to check; nothing is appended in their place)."""

    text: str
    origin: Origin
    missing: tuple[str, ...] = ()


class ApprovedMemory(Protocol):
    """Editor-approved sentence translations (the review store implements it)."""

    def lookup(self, source: str, target: str, sentences: Sequence[str]) -> dict[str, str]: ...

    def memory_stamp(self, source: str, target: str) -> str:
        """Changes whenever the pair's memory changes, so cached articles are not served stale
        (a stamp in the article cache key, not a version of anything)."""
        ...


def sentence_key(info: EngineInfo, source: str, target: str, protected: str) -> str:
    raw = f"s1|{info.signature}|{source}-{target}|{protected}"
    return "s:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


class CachedTranslator:
    """Translates sentences of one pair through memory, cache and engine; reports origins."""

    def __init__(
        self,
        engine: Translator,
        cache: KeyValueCache,
        glossary: GlossaryFile,
        memory: ApprovedMemory | None = None,
        house_style: str = "es-ES",
    ) -> None:
        self.engine = engine
        self.cache = cache
        self.glossary = glossary
        self.memory = memory
        self.source = engine.source
        self.target = engine.target
        self._protector: Protector | None = None
        self._glossary_version: str | None = None
        # Apertium reads numerals itself; seq2seq models get placeholders (localize.py).
        self.rules = NumberRules(
            self.source, self.target, house_style, digits_through=self.info.engine == "apertium"
        )

    @property
    def info(self) -> EngineInfo:
        return self.engine.info

    def _current_protector(self) -> Protector:
        glossary = self.glossary.current()
        if self._protector is None or glossary.version != self._glossary_version:
            self._protector = Protector(glossary.terms(self.source, self.target), self.rules)
            self._glossary_version = glossary.version
        return self._protector

    def translate(self, sentences: Sequence[str]) -> list[Segment]:
        pair = f"{self.source}-{self.target}"
        normalized = [normalize(s) for s in sentences]
        unique = [s for s in dict.fromkeys(normalized) if s]
        results: dict[str, Segment] = {}
        approved = self.memory.lookup(self.source, self.target, unique) if self.memory else {}
        for sentence, text in approved.items():
            results[sentence] = Segment(text, "tm")
        protector = self._current_protector()
        # Engine output is post-edited after the cache (which keeps what the engine wrote, so a
        # change of rules needs no new keys) and before restore (so protected spans are never
        # edited): see service.pipeline.postedit.
        rules = postedit.rules_for(self.info.engine, self.source, self.target)
        pending = [s for s in unique if s not in results]
        protected = {s: protector.protect(s) for s in pending}
        keys = {
            s: sentence_key(self.info, self.source, self.target, protected[s].text) for s in pending
        }
        hits = self.cache.get_many(list(keys.values())) if keys else {}
        misses: dict[str, list[str]] = {}
        for sentence in pending:
            key = keys[sentence]
            if key in hits:
                edited = postedit.apply(rules, hits[key])
                restored = protector.restore(edited, protected[sentence])
                results[sentence] = Segment(restored.text, "cache", restored.missing)
            else:
                misses.setdefault(protected[sentence].text, []).append(sentence)
        CACHE.labels("sentence", "hit").inc(len(pending) - sum(len(v) for v in misses.values()))
        CACHE.labels("sentence", "miss").inc(sum(len(v) for v in misses.values()))
        if misses:
            texts = list(misses)
            outputs = self._in_slices(texts, self.engine.translate_batch)
            fresh: dict[str, str] = {}
            for text, output in zip(texts, outputs, strict=True):
                edited = postedit.apply(rules, output)
                for sentence in misses[text]:
                    fresh[keys[sentence]] = output
                    restored = protector.restore(edited, protected[sentence])
                    results[sentence] = Segment(restored.text, "engine", restored.missing)
            self.cache.put_many(fresh)
            SENTENCES.labels(self.info.engine, pair).inc(len(texts))
        if approved:
            SENTENCES.labels("tm", pair).inc(len(approved))
        return [results.get(s, Segment("", "engine")) for s in normalized]

    def _in_slices(self, texts: list[str], call: Callable[[list[str]], list[_Out]]) -> list[_Out]:
        """`call`'s outputs for `texts`, asked ENGINE_SLICE at a time with a cancellation check
        between slices; one output per text or RuntimeError."""
        outputs: list[_Out] = []
        for start in range(0, len(texts), ENGINE_SLICE):
            cancellation.check()
            outputs.extend(call(texts[start : start + ENGINE_SLICE]))
        if len(outputs) != len(texts):
            raise RuntimeError(f"{self.info.engine} returned {len(outputs)} of {len(texts)}")
        return outputs

    @property
    def has_alternatives(self) -> bool:
        """Whether the engine can give other translations than its best (seq2seq n-best)."""
        return isinstance(self.engine, NBestTranslator)

    def alternatives(
        self, sentences: Sequence[str], translations: Sequence[Segment], count: int
    ) -> list[list[str]]:
        """For each sentence, up to `count` translations other than `translations` (what
        `translate` gave the caller for `sentences`: not asked again, which would read memory
        and cache and count them twice), best first, none repeated: the engine's next
        hypotheses, post-edited and with protected spans (numbers, names, glossary terms)
        restored exactly as for the translation.

        `[]` for a sentence approved memory answers (an editor's translation is the answer, not
        one of several), where a hypothesis dropped a protected span (it is left out rather than
        offered with a number missing), and for every sentence when the engine has no n-best."""
        engine = self.engine
        found: list[list[str]] = [[] for _ in sentences]
        if count <= 0 or not isinstance(engine, NBestTranslator):
            return found
        normalized = [normalize(s) for s in sentences]
        best = dict(zip(normalized, translations, strict=True))
        unique = [s for s in dict.fromkeys(normalized) if s and best[s].origin != "tm"]
        if not unique:
            return found
        protector = self._current_protector()
        rules = postedit.rules_for(self.info.engine, self.source, self.target)
        protected = {s: protector.protect(s) for s in unique}
        texts = list(dict.fromkeys(protected[s].text for s in unique))
        hypotheses = self._in_slices(
            texts, lambda chunk: engine.translate_alternatives(chunk, count)
        )
        by_text = dict(zip(texts, hypotheses, strict=True))
        others: dict[str, list[str]] = {}
        for sentence in unique:
            seen = {best[sentence].text}
            kept: list[str] = []
            for hypothesis in by_text[protected[sentence].text]:
                restored = protector.restore(postedit.apply(rules, hypothesis), protected[sentence])
                if restored.missing or not restored.text or restored.text in seen:
                    continue
                seen.add(restored.text)
                kept.append(restored.text)
            others[sentence] = kept[:count]
        return [list(others.get(s, [])) for s in normalized]
