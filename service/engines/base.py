"""The two engine protocols every implementation follows, the optional n-best capability of a
translator, and the provenance they report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

# Engine kinds that run a seq2seq model from the manifest (the rest: apertium, echo).
SEQ2SEQ_ENGINES = ("ct2", "hf")


@dataclass(frozen=True)
class EngineInfo:
    """Who wrote a text: engine kind, model name and its revision (part of every cache key)."""

    engine: str
    model: str
    revision: str

    @property
    def signature(self) -> str:
        return f"{self.engine}:{self.model}@{self.revision}"

    def as_dict(self) -> dict[str, str]:
        return {"engine": self.engine, "model": self.model, "revision": self.revision}


class EngineError(RuntimeError):
    """An engine failed to produce output (crash, timeout); the request fails, nothing is cached."""


@runtime_checkable
class Translator(Protocol):
    """Translates a batch of plain-text sentences for one language pair, in order."""

    info: EngineInfo
    source: str
    target: str

    def translate_batch(self, texts: Sequence[str]) -> list[str]: ...

    def close(self) -> None: ...


@runtime_checkable
class NBestTranslator(Translator, Protocol):
    """A Translator that can also give other translations of a sentence than its best: the
    seq2seq engines (the next hypotheses of a beam search). Apertium and the test engines have
    one translation only and do not implement it; callers check with `isinstance`."""

    def translate_alternatives(self, texts: Sequence[str], count: int) -> list[list[str]]:
        """For each text, up to `count` translations other than the engine's best, best
        first, none repeated; `[]` where the engine has none."""
        ...


@runtime_checkable
class Summarizer(Protocol):
    """Summarizes one plain-text document (paragraphs separated by blank lines) in one language."""

    info: EngineInfo
    lang: str

    def summarize(self, text: str, max_words: int) -> str: ...

    def close(self) -> None: ...
