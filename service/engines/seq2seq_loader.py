"""Picks and loads the seq2seq engine for a pair or a language from the manifest: ct2 > hf.

Every answer comes with the reason, for `/readyz`, the provenance and the startup log: which
engine serves what and why, or why nothing does (the caller then falls back to the embedded
engines). Only local files are read; nothing here reaches the network.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from service.config import Settings
from service.engines.base import SEQ2SEQ_ENGINES, EngineInfo, Summarizer, Translator
from service.engines.batching import DynamicBatcher
from service.engines.manifest import (
    Manifest,
    ManifestError,
    ModelEntry,
    converted,
    installed,
    load_manifest_for,
)
from service.engines.seq2seq_common import generation_defaults, split_sentences, trim_to_words

log = logging.getLogger(__name__)

EngineT = TypeVar("EngineT")
_REQUIREMENTS = {"ct2": ("ctranslate2", "sentencepiece"), "hf": ("torch", "transformers")}


@dataclass(frozen=True)
class Choice(Generic[EngineT]):
    """The engine that serves (None: none does) and why."""

    engine: EngineT | None
    reason: str
    entry: ModelEntry | None = None


def importable(kind: str) -> str | None:
    """None when the engine's libraries import, else the name of the one that does not."""
    for module in _REQUIREMENTS[kind]:
        try:
            importlib.import_module(module)
        except Exception:  # a broken install raises more than ImportError
            return module
    return None


def engine_order(
    entry: ModelEntry, settings: Settings, engines: Sequence[str] | None = None
) -> list[str]:
    """Settings' preference among ct2/hf (only `engines` when given); a manifest entry that
    prefers hf puts hf first."""
    allowed = SEQ2SEQ_ENGINES if engines is None else tuple(engines)
    order = [e for e in settings.engine_order if e in SEQ2SEQ_ENGINES and e in allowed]
    if entry.engine == "hf" and "hf" in order:
        order.remove("hf")
        order.insert(0, "hf")
    return order


def _manifest(settings: Settings, manifest: Manifest | None) -> Manifest | str:
    """The manifest, or why there is none usable (a broken one must not stop the service)."""
    if manifest is not None:
        return manifest
    try:
        return load_manifest_for(settings)
    except ManifestError as exc:
        log.error("model manifest unusable: %s", exc)
        return f"model manifest unusable: {exc}"


def _missing(entry: ModelEntry, settings: Settings, order: Sequence[str]) -> str:
    if not order:
        return f"no seq2seq engine is allowed for {entry.name} (NEWSDESK_ENGINE_PREFERENCE)"
    return (
        f"{entry.name} is not installed in {settings.models_dir} "
        f"(run `newsdesk models pull {entry.name}`)"
    )


def _load(
    entry: ModelEntry,
    settings: Settings,
    build: Mapping[str, Callable[[], EngineT]],
    engines: Sequence[str] | None,
) -> Choice[EngineT]:
    """Tries each engine in order; `build[kind]` loads it from the entry's directories."""
    from service.engines.ct2 import has_tokenizer

    models_dir = settings.models_dir
    order = engine_order(entry, settings, engines)
    if not order or not (installed(entry, models_dir) or converted(entry, models_dir)):
        return Choice(None, _missing(entry, settings, order), entry)
    skipped: list[str] = []
    for kind in order:
        if kind == "ct2":
            if not converted(entry, models_dir):
                skipped.append(f"ct2: no conversion (run `newsdesk models convert {entry.name}`)")
                continue
            if not has_tokenizer(entry.ct2_dir(models_dir), entry.hf_dir(models_dir)):
                skipped.append("ct2: no tokenizer (the Hugging Face directory is missing)")
                continue
            where = entry.ct2_dir(models_dir)
        else:
            if not installed(entry, models_dir):
                skipped.append(f"hf: {entry.hf_dir(models_dir)} missing")
                continue
            where = entry.hf_dir(models_dir)
        missing_module = importable(kind)
        if missing_module is not None:
            skipped.append(f"{kind}: {missing_module} is not installed")
            continue
        try:
            engine = build[kind]()
        except Exception as exc:
            log.warning("loading %s with %s failed", entry.name, kind, exc_info=True)
            skipped.append(f"{kind}: loading failed ({type(exc).__name__}: {exc})")
            continue
        reason = f"{kind}: {entry.name}@{entry.revision} from {where}"
        if skipped:
            reason += f" ({'; '.join(skipped)})"
        return Choice(engine, reason, entry)
    return Choice(None, "; ".join(skipped), entry)


def load_translator(
    source: str,
    target: str,
    settings: Settings,
    *,
    manifest: Manifest | None = None,
    engines: Sequence[str] | None = None,
    batching: bool = True,
) -> Choice[Translator]:
    """The seq2seq translator for a pair, wrapped in a DynamicBatcher, or None and why.

    `engines` restricts the candidates (e.g. `("ct2",)`); the order is the settings'.
    """
    loaded = _manifest(settings, manifest)
    if isinstance(loaded, str):
        return Choice(None, loaded)
    manifest = loaded
    entry = manifest.translator_for(source, target)
    if entry is None:
        return Choice(None, f"no seq2seq model for {source}-{target} in the manifest")
    models_dir = settings.models_dir

    def ct2() -> Translator:
        from service.engines.ct2 import Ct2Translator

        return Ct2Translator(
            source,
            target,
            entry.ct2_dir(models_dir),
            settings,
            hf_dir=entry.hf_dir(models_dir),
            name=entry.name,
            revision=entry.revision,
        )

    def hf() -> Translator:
        from service.engines.hf import HfTranslator

        return HfTranslator(
            source,
            target,
            entry.hf_dir(models_dir),
            settings,
            name=entry.name,
            revision=entry.revision,
        )

    choice = _load(entry, settings, {"ct2": ct2, "hf": hf}, engines)
    if choice.engine is None or not batching:
        return choice
    batcher = DynamicBatcher(choice.engine, settings.max_batch_tokens, settings.max_batch_wait_ms)
    return Choice(batcher, choice.reason, entry)


class PivotSummarizer:
    """Summarizes `lang` through another language: translate in, summarize, translate back.

    The service's pipeline calls only `summarizer` and translates through its own memory and
    cache (service/pipeline/pivot.py); `summarize` here serves callers with no pipeline."""

    def __init__(
        self,
        lang: str,
        summarizer: Summarizer,
        into: Translator,
        back: Translator,
        *,
        owns_summarizer: bool = False,
    ) -> None:
        self.lang = lang
        # The article pipeline summarizes its own translation into this language directly.
        self.pivot = into.target
        self.summarizer = summarizer
        self.owns_summarizer = owns_summarizer
        self.into = into
        self.back = back
        parts = (summarizer.info, into.info, back.info)
        self.info = EngineInfo(
            summarizer.info.engine,
            "+".join(p.model for p in parts),
            "+".join(p.revision for p in parts),
        )

    def summarize(self, text: str, max_words: int) -> str:
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        translated = [
            " ".join(self.into.translate_batch(split_sentences(p, self.lang))) for p in paragraphs
        ]
        summary = self.summarizer.summarize("\n\n".join(translated), max_words)
        sentences = split_sentences(summary, self.summarizer.lang)
        # The budget holds for what the reader gets: a translation may run longer than the
        # pivot's summary (Spanish is about a fifth longer than English).
        return trim_to_words(" ".join(self.back.translate_batch(sentences)), max_words, self.lang)

    def close(self) -> None:
        # The translators (and a shared summarizer) belong to whoever passed them in.
        if self.owns_summarizer:
            self.summarizer.close()


def load_summarizer(
    lang: str,
    settings: Settings,
    *,
    manifest: Manifest | None = None,
    engines: Sequence[str] | None = None,
    translators: Mapping[tuple[str, str], Translator] | None = None,
    summarizers: Mapping[str, Summarizer] | None = None,
    prefix: str | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
) -> Choice[Summarizer]:
    """The seq2seq summarizer for `lang`, or None and why.

    A manifest entry written for another language that lists `lang` under `pivot` serves it
    through `translators[(lang, entry.lang)]` and `translators[(entry.lang, lang)]`; pass the
    loaded summarizers in `summarizers` to share the model rather than load a second copy.
    `prefix` / `min_length` / `max_length` override the manifest's (from prompts/).
    """
    loaded = _manifest(settings, manifest)
    if isinstance(loaded, str):
        return Choice(None, loaded)
    manifest = loaded
    entry = manifest.summarizer_for(lang)
    if entry is None or entry.lang is None:
        return Choice(None, f"no seq2seq summarizer for {lang} in the manifest")
    if entry.lang != lang:
        return _pivot(
            lang,
            entry,
            settings,
            manifest,
            engines,
            translators or {},
            summarizers or {},
            prefix,
            min_length,
            max_length,
        )
    models_dir = settings.models_dir
    text_prefix = entry.prefix if prefix is None else prefix
    min_tokens = entry.min_length if min_length is None else min_length
    max_tokens = entry.max_length if max_length is None else max_length
    defaults = generation_defaults(entry.hf_dir(models_dir))

    def ct2() -> Summarizer:
        from service.engines.ct2 import Ct2Summarizer

        return Ct2Summarizer(
            lang,
            entry.ct2_dir(models_dir),
            settings,
            hf_dir=entry.hf_dir(models_dir),
            prefix=text_prefix,
            min_length=min_tokens,
            max_length=max_tokens,
            max_input_tokens=entry.max_input_tokens,
            defaults=defaults,
            name=entry.name,
            revision=entry.revision,
        )

    def hf() -> Summarizer:
        from service.engines.hf import HfSummarizer

        return HfSummarizer(
            lang,
            entry.hf_dir(models_dir),
            settings,
            prefix=text_prefix,
            min_length=min_tokens,
            max_length=max_tokens,
            max_input_tokens=entry.max_input_tokens,
            defaults=defaults,
            name=entry.name,
            revision=entry.revision,
        )

    return _load(entry, settings, {"ct2": ct2, "hf": hf}, engines)


def _pivot(
    lang: str,
    entry: ModelEntry,
    settings: Settings,
    manifest: Manifest,
    engines: Sequence[str] | None,
    translators: Mapping[tuple[str, str], Translator],
    summarizers: Mapping[str, Summarizer],
    prefix: str | None,
    min_length: int | None,
    max_length: int | None,
) -> Choice[Summarizer]:
    pivot = str(entry.lang)
    into, back = translators.get((lang, pivot)), translators.get((pivot, lang))
    if into is None or back is None:
        return Choice(
            None,
            f"{lang} summaries go through {pivot} with {entry.name}, "
            f"which needs the {lang}-{pivot} and {pivot}-{lang} translators",
            entry,
        )
    inner = summarizers.get(pivot)
    owned = inner is None
    reason = f"through {pivot}: {lang}-{pivot}, {entry.name}, {pivot}-{lang}"
    if inner is None:
        loaded = load_summarizer(
            pivot,
            settings,
            manifest=manifest,
            engines=engines,
            prefix=prefix,
            min_length=min_length,
            max_length=max_length,
        )
        if loaded.engine is None:
            return Choice(None, f"{lang} summaries go through {pivot}: {loaded.reason}", entry)
        inner = loaded.engine
        reason += f" ({loaded.reason})"
    return Choice(PivotSummarizer(lang, inner, into, back, owns_summarizer=owned), reason, entry)
