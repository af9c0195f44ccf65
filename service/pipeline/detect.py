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


def language_confidences(text: str) -> list[tuple[str, float]]:
    """Each supported language with lingua's confidence (0 to 100) that `text` is in it, most
    likely first; empty when there is no text. LibreTranslate's `/detect` answers this list."""
    sample = text[:4000]
    if not sample.strip():
        return []
    values = _detector().compute_language_confidence_values(sample)
    by_language = {value.language: value.value for value in values}
    found = [(code, round(100 * by_language.get(lang, 0.0), 2)) for code, lang in _LINGUA.items()]
    return sorted(found, key=lambda pair: -pair[1])
