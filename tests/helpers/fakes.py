"""Dict-backed fake engines for unit and API tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

from service.engines.base import EngineInfo


class FakeTranslator:
    """Translates with a function (identity by default) and counts what the engine was asked."""

    def __init__(
        self,
        source: str = "en",
        target: str = "es",
        fn: Callable[[str], str] | None = None,
        name: str = "fake",
    ) -> None:
        self.source = source
        self.target = target
        self.info = EngineInfo("fake", name, "1")
        self.fn = fn or (lambda text: text)
        self.calls = 0
        self.sentences: list[str] = []
        self._lock = threading.Lock()

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        with self._lock:
            self.calls += 1
            self.sentences.extend(texts)
        return [self.fn(t) for t in texts]

    def close(self) -> None:
        return None


class NBestFakeTranslator(FakeTranslator):
    """A FakeTranslator with an n-best, as the seq2seq engines have: `others(text)` gives a
    text's hypotheses after the best (by default the translation with " (1)", " (2)", ...
    appended); records what it was asked for alternatives."""

    def __init__(
        self,
        source: str = "en",
        target: str = "es",
        fn: Callable[[str], str] | None = None,
        others: Callable[[str], list[str]] | None = None,
    ) -> None:
        super().__init__(source, target, fn, "nbest")
        self.others = others or (lambda text: [f"{self.fn(text)} ({k})" for k in range(1, 9)])
        self.asked: list[tuple[list[str], int]] = []

    def translate_alternatives(self, texts: Sequence[str], count: int) -> list[list[str]]:
        with self._lock:
            self.asked.append((list(texts), count))
        return [self.others(text)[:count] for text in texts]


class DictTranslator(FakeTranslator):
    """Looks each sentence up in a dictionary; unknown sentences come back upper-cased."""

    def __init__(self, table: dict[str, str], source: str = "en", target: str = "es") -> None:
        super().__init__(source, target, lambda text: table.get(text, text.upper()), "dict")


class FakeSummarizer:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.info = EngineInfo("fake-summary", f"first-sentence-{lang}", "1")

    def summarize(self, text: str, max_words: int) -> str:
        first = text.strip().split("\n")[0]
        return " ".join(first.split()[:max_words])

    def close(self) -> None:
        return None


class FlakyCache:
    """A dict-backed KeyValueCache that raises `error` while `failing` (writes only while
    `full`), and counts the calls that reached it (the best-effort wrapper should skip some)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error or ConnectionError("Connection refused")
        self.failing = False
        self.full = False
        self.data: dict[str, str] = {}
        self.calls = 0

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        self._reached()
        return {k: self.data[k] for k in keys if k in self.data}

    def put_many(self, items: Mapping[str, str]) -> None:
        self._reached()
        if self.full:
            raise self.error
        self.data.update(items)

    def close(self) -> None:
        return None

    def _reached(self) -> None:
        self.calls += 1
        if self.failing:
            raise self.error


# What FlawedTranslator gives each sentence of review_helpers.QA_ARTICLE (keys are the
# sentences as the engine gets them: numbers and URLs are placeholders).
FLAWED_DRAFTS = {
    "Lab opens to the public": "El laboratorio abre al público",
    "The lab hosted the fair.": "El laboratorio hosted la feria.",  # a word left in English
    "It had ZZ0ZZ visitors.": "Tuvo 54 visitantes.",  # 45 misread as 54
    "Details at ZZ0ZZ today.": "Los detalles se publican hoy mismo.",  # the URL dropped
    "The staff met.": "El personal se reunió.",
}


class FlawedTranslator(DictTranslator):
    """An English-Spanish engine that makes, deterministically, the errors QA flags exist for:
    an untranslated word, a changed number and a dropped link (FLAWED_DRAFTS)."""

    def __init__(self) -> None:
        super().__init__(FLAWED_DRAFTS, "en", "es")
