"""Which engine serves each language pair and each summary language, decided once at start."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from service.config import SUPPORTED_LANGUAGES, Settings
from service.engines.base import SEQ2SEQ_ENGINES, Summarizer, Translator
from service.errors import UnsupportedLanguage, UnsupportedPair

log = logging.getLogger(__name__)

EMBEDDED_TRANSLATOR = "apertium"
EMBEDDED_SUMMARIZER = "extractive"


@dataclass
class Choice:
    """How one pair (or summary language) is served, and why; `/readyz` shows these."""

    key: str
    engine: str | None
    model: str | None
    fallback: bool
    reason: str


@dataclass
class EngineRegistry:
    translators: dict[tuple[str, str], Translator] = field(default_factory=dict)
    summarizers: dict[str, Summarizer] = field(default_factory=dict)
    choices: list[Choice] = field(default_factory=list)

    def translator(self, source: str, target: str) -> Translator:
        found = self.translators.get((source, target))
        if found is None:
            raise UnsupportedPair(source, target)
        return found

    def summarizer(self, lang: str) -> Summarizer:
        found = self.summarizers.get(lang)
        if found is None:
            raise UnsupportedLanguage(lang)
        return found

    def is_fallback(self, key: str) -> bool:
        return any(c.key == key and c.fallback for c in self.choices)

    def close(self) -> None:
        for translator in self.translators.values():
            translator.close()
        for summarizer in self.summarizers.values():
            summarizer.close()

    @classmethod
    def load(cls, settings: Settings, summaries: bool = True) -> EngineRegistry:
        registry = cls()
        for source, target in settings.pair_list:
            registry._load_pair(settings, source, target)
        if not summaries:
            return registry
        summary_langs = sorted({lang for pair in settings.pair_list for lang in pair})
        for lang in summary_langs:
            registry._load_summarizer(settings, lang)
        return registry

    @classmethod
    def for_summaries(
        cls, settings: Settings, lang: str, pairs: Sequence[tuple[str, str]] = ()
    ) -> EngineRegistry:
        """Only `lang`'s summarizer, with the translators of `pairs` loaded first: a summarizer
        that goes through another language (Spanish through English BART) is built from them,
        and without them it is never chosen."""
        registry = cls()
        for source, target in pairs:
            registry._load_pair(settings, source, target)
        registry._load_summarizer(settings, lang)
        return registry

    def summary_choice(self, lang: str) -> Choice | None:
        return next((c for c in self.choices if c.key == f"summary-{lang}"), None)

    def _load_pair(self, settings: Settings, source: str, target: str) -> None:
        key = f"{source}-{target}"
        if source not in SUPPORTED_LANGUAGES or target not in SUPPORTED_LANGUAGES:
            raise UnsupportedPair(source, target)
        reasons: list[str] = []
        groups = _engine_groups(settings.engine_order)
        for group in groups:
            translator, reason = _make_translator(group, settings, source, target)
            if translator is None:
                reasons.append(reason)
                continue
            fallback = group == (EMBEDDED_TRANSLATOR,) and group != groups[0]
            if fallback:
                log.warning("%s: no seq2seq model installed, serving with apertium", key)
            self.translators[(source, target)] = translator
            self.choices.append(
                Choice(
                    key,
                    translator.info.engine,
                    translator.info.model,
                    fallback,
                    "; ".join(reasons + [reason]),
                )
            )
            return
        self.choices.append(Choice(key, None, None, True, "; ".join(reasons)))
        log.error("%s: no engine could be loaded: %s", key, "; ".join(reasons))

    def _load_summarizer(self, settings: Settings, lang: str) -> None:
        from service.engines.extractive import ExtractiveSummarizer

        seq2seq: Summarizer | None = None
        reason = "no summarizer model installed"
        if any(e in SEQ2SEQ_ENGINES for e in settings.engine_order):
            try:
                from service.engines.seq2seq_loader import load_summarizer
            except ImportError as exc:
                reason = f"seq2seq libraries missing ({exc.name})"
            else:
                from service.engines.prompts import summary_prompt

                prompt = summary_prompt(settings, lang)
                choice = load_summarizer(
                    lang,
                    settings,
                    # Spanish may be summarized through English: share the loaded engines.
                    translators=self.translators,
                    summarizers={
                        lang: summarizer
                        for lang, summarizer in self.summarizers.items()
                        if not self.is_fallback(f"summary-{lang}")
                    },
                    prefix=prompt.prefix or None,
                    min_length=prompt.min_length or None,
                    max_length=prompt.max_length or None,
                )
                seq2seq, reason = choice.engine, choice.reason
        if seq2seq is not None:
            self.summarizers[lang] = seq2seq
            self.choices.append(
                Choice(f"summary-{lang}", "seq2seq", seq2seq.info.model, False, reason)
            )
            return
        summarizer = ExtractiveSummarizer(lang)
        self.summarizers[lang] = summarizer
        self.choices.append(
            Choice(f"summary-{lang}", EMBEDDED_SUMMARIZER, summarizer.info.model, True, reason)
        )


def _engine_groups(order: list[str]) -> list[tuple[str, ...]]:
    """The preference as the groups to try in turn: each run of seq2seq kinds is one group
    (the loader orders them, honours a manifest entry that prefers hf, and reads the manifest
    once), every other engine a group of its own."""
    groups: list[tuple[str, ...]] = []
    for engine in order:
        if engine in SEQ2SEQ_ENGINES and groups and groups[-1][0] in SEQ2SEQ_ENGINES:
            groups[-1] = (*groups[-1], engine)
        else:
            groups.append((engine,))
    return groups


def _make_translator(
    group: tuple[str, ...], settings: Settings, source: str, target: str
) -> tuple[Translator | None, str]:
    engine = group[0]
    if engine == EMBEDDED_TRANSLATOR:
        from service.engines.apertium import ApertiumTranslator, ApertiumUnavailable

        try:
            return (
                ApertiumTranslator(
                    source, target, settings.apertium_data_dir, settings.apertium_timeout_s
                ),
                "apertium: embedded rule-based engine",
            )
        except ApertiumUnavailable as exc:
            return None, f"apertium: {exc}"
    if engine == "echo":
        # Test-only (service/engines/echo.py): chosen only when named in engine_preference.
        from service.engines.echo import EchoTranslator

        return (
            EchoTranslator(source, target, settings.echo_delay_ms, settings.echo_calls_file),
            "echo: test-only engine, returns its input",
        )
    if engine in SEQ2SEQ_ENGINES:
        try:
            from service.engines.seq2seq_loader import load_translator
        except ImportError as exc:
            return None, f"{'/'.join(group)}: seq2seq libraries missing ({exc.name})"
        choice = load_translator(source, target, settings, engines=group)
        return choice.engine, choice.reason
    return None, f"{engine}: unknown engine"
