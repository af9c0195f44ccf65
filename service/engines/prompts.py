"""Summary prompts and length budgets per language, from `prompts/summary.toml`.

Here, beside the engines, because the prefix and lengths are how a summarizer engine is built
(the registry reads them) and the budget is what every caller above hands an engine."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from service.config import Settings
from service.engines.extractive import DEFAULT_MAX_WORDS

# Used when the prompts folder is not there (an installed package run from elsewhere): the
# budgets bench/summaries.py tunes, which summary.toml repeats.
BUILTIN_WORDS = DEFAULT_MAX_WORDS


@dataclass(frozen=True)
class SummaryPrompt:
    max_words: int
    prefix: str = ""
    min_length: int = 0
    max_length: int = 0


@lru_cache(maxsize=8)
def _load(path: Path) -> dict[str, SummaryPrompt]:
    if not path.exists():
        return {lang: SummaryPrompt(words) for lang, words in BUILTIN_WORDS.items()}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        lang: SummaryPrompt(
            max_words=int(table.get("max_words", BUILTIN_WORDS.get(lang, 60))),
            prefix=str(table.get("prefix", "")),
            min_length=int(table.get("min_length", 0)),
            max_length=int(table.get("max_length", 0)),
        )
        for lang, table in data.items()
        if isinstance(table, dict)
    }


@lru_cache(maxsize=8)
def _prompts_file(prompts_dir: Path) -> Path:
    # Resolved once per folder: resolving walks the file system, on every article request.
    return prompts_dir.resolve() / "summary.toml"


def summary_prompt(settings: Settings, lang: str) -> SummaryPrompt:
    prompts = _load(_prompts_file(settings.prompts_dir))
    return prompts.get(lang, SummaryPrompt(BUILTIN_WORDS.get(lang, 60)))


def summary_budget(settings: Settings, lang: str, requested: int | None = None) -> int:
    """Words for a summary: the request's, else NEWSDESK_SUMMARY_MAX_WORDS, else the prompt's."""
    return requested or settings.summary_max_words or summary_prompt(settings, lang).max_words
