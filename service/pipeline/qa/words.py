"""Words of the source language left in a translation: untranslated words, and month or day
names the engine copied through ("el jueves, March 12").

Untranslated words are found by a conservative check on the texts alone, for every engine: a
word of the source that appears verbatim in the translation, written in lower case (names are
capitalized), not a glossary term, and spelled as the source language spells words and the
target's spelling never does ("hosted", "nightly", "sequencing" in Spanish; "señal" or
"elección" in English). Apertium's own unknown-word marks (`*word` without `-u`) were not used:
the engine's output is cached and post-edited as it comes, so carrying marks out of it would
change every stage between the engine and the article, and the seq2seq engines have no marks.
"""

from __future__ import annotations

import re

from service.pipeline.dates import EN_MONTHS, EN_WEEKDAYS, ES_MONTHS, ES_WEEKDAYS
from service.pipeline.qa.flags import Finding, QaContext
from service.pipeline.qa.markup import URL

# Shorter words ("the", "com", "pwp") are mostly abbreviations and parts of names.
MIN_LETTERS = 4
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# English spellings Spanish does not have: letters, clusters and endings of English words.
_ENGLISH_SPELLING = re.compile(
    r"[wk]|sh|th|ght|ph|ck|ee|oo|(ss|tt|pp|ff|dd|gg|bb|mm|zz)"
    r"|(ing|ed|ly|ness|ship|ful|less|tion|tions)$"
    r"|[bcfghkmptvw]$"
)
# Spanish words and loans the spelling test would take for English ones; loans listed are
# those the Spanish press writes as they are.
_SPANISH_TOO = frozenset(
    """usted pared merced césped huésped red sed club clubs internet web online chat software
    hardware blog blogs email marketing show shows look rock jazz pop rap fan fans sheriff
    iceberg test tests récord robot robots parking camping ranking hockey golf wifi podcast
    streaming smartphone app apps startup startups thriller sprint stop whisky sándwich kétchup
    kilo kilos kilómetro kilómetros kilogramo kilogramos kiwi karate kayak búnker déficit
    superávit hábitat accésit cómic cómics bistec chef tic tics""".split()
)
# Spanish spellings English does not have.
_SPANISH_SPELLING = re.compile(r"[ñáéíóú]|(ción|ciones|mente|idad|idades)$")
# Accented loans and names English text writes as they are.
_ENGLISH_TOO = frozenset("café cafés cliché clichés résumé fiancé fiancée déjà".split())

_SOURCE_NAMES: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"\b(" + "|".join(EN_MONTHS + EN_WEEKDAYS) + r")\b"),
    "es": re.compile(
        r"\b(" + "|".join(ES_MONTHS + ES_WEEKDAYS + ["setiembre", "miercoles", "sabado"]) + r")\b",
        re.IGNORECASE,
    ),
}


def _words(text: str) -> list[str]:
    """The words of a text outside its URLs and e-mail addresses ("example" in a link is no
    word left untranslated)."""
    return _WORD.findall(URL.sub(" ", text))


def _looks_like(word: str, lang: str) -> bool:
    """Whether `word` (lower case) is spelled as `lang` spells words and the other language
    does not."""
    if lang == "en":
        return word not in _SPANISH_TOO and _ENGLISH_SPELLING.search(word) is not None
    return word not in _ENGLISH_TOO and _SPANISH_SPELLING.search(word) is not None


def _glossary_words(context: QaContext) -> set[str]:
    return {w.casefold() for term in context.terms for w in _words(term)} | {
        w.casefold() for term in context.terms.values() for w in _words(term)
    }


def check_untranslated(source: str, target: str, context: QaContext) -> list[Finding]:
    """Source words copied into the translation: "hosted" in "El evento fue hosted por" is one
    flag; "Kyiv" (a name, and a glossary term) and "internet" (Spanish too) are none."""
    source_words = {w for w in _words(source) if w.islower()}
    skip = _glossary_words(context)
    findings: list[Finding] = []
    seen: set[str] = set()
    for word in _words(target):
        if (
            len(word) < MIN_LETTERS
            or not word.islower()
            or word in seen
            or word not in source_words
            or word.casefold() in skip
            or not _looks_like(word, context.source)
        ):
            continue
        seen.add(word)
        findings.append(Finding("untranslated", word, f"{word!r} is left untranslated"))
    return findings


def _in_a_name(text: str, start: int, end: int) -> bool:
    """Whether the word at text[start:end] stands beside a capitalized word: part of a name or
    title ("Theresa May", "The Sunday Telegraph", "Saturday Night Live"), not a date."""
    before, after = text[:start].split()[-1:], text[end:].split()[:1]
    return any(word[:1].isupper() for word in before + after)


def check_month_names(source: str, target: str, context: QaContext) -> list[Finding]:
    """Month and day names of the source language in the translation: "March" or "Thursday"
    in Spanish text, "marzo" or "jueves" in English text."""
    pattern = _SOURCE_NAMES[context.source]
    findings: list[Finding] = []
    seen: set[str] = set()
    for match in pattern.finditer(target):
        name = match.group(0)
        if name.casefold() in seen or _in_a_name(target, match.start(), match.end()):
            continue
        seen.add(name.casefold())
        findings.append(
            Finding("month_name", name, f"{name!r} is a month or day name of the source language")
        )
    return findings
