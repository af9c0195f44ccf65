"""Language detection restricted to the languages the service supports."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

_LINGUA = {"en": Language.ENGLISH, "es": Language.SPANISH}


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_LINGUA.values()).build()


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the most likely supported language; `default` when there is no text."""
    sample = text[:4000]
    if not sample.strip():
        return default
    found = _detector().detect_language_of(sample)
    for code, language in _LINGUA.items():
        if found == language:
            return code
    return default
