"""Dates as the target's newsroom writes them: "on Thursday, March 12, 2026" <-> "el jueves
12 de marzo de 2026", "on 19 March" -> "el 19 de marzo", "in January 2025" <-> "en enero de
2025", "in early March" <-> "a principios de marzo", "the 1990s" <-> "la década de 1990".

Apertium gets dates wrong in both directions ("March" is a verb and a noun to it: "Marcha
12, 2026"; "el 12 de marzo de 2026" comes out "12 March 2026"), and a date is easy to read
exactly: so the pipeline takes each date out of the sentence, writes it itself in the target's
form, and lets the engine translate the sentence around a placeholder. English dates come out
US-style ("March 12, 2026"), Spanish ones as the RAE and the Spanish press write them.

A Spanish day-date takes its article ("el 12 de marzo"): after an English preposition the
engine gives its Spanish one and the article stays ("desde el 12 de marzo"; "de el" and "a el"
are contracted after restoring, see `contract`). An English day-date takes "on" where the
Spanish "el" stood alone, not after a preposition ("hasta el 12 de marzo" -> "until March 12").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.pipeline.words import FUNCTION_WORDS

EN_MONTHS = (
    "January February March April May June July August September October November December"
).split()
ES_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
).split()
EN_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
ES_WEEKDAYS = "lunes martes miércoles jueves viernes sábado domingo".split()
# AP style abbreviates the long months before a day ("Jan. 5"); the sentence splitter keeps them.
_EN_ABBREVIATIONS = {
    "Jan.": 1,
    "Feb.": 2,
    "Mar.": 3,
    "Apr.": 4,
    "Aug.": 8,
    "Sep.": 9,
    "Sept.": 9,
    "Oct.": 10,
    "Nov.": 11,
    "Dec.": 12,
}
_EN_PARTS = {"early": "principios", "mid": "mediados", "late": "finales"}
_ES_PARTS = {"principios": "early", "comienzos": "early", "mediados": "mid-", "finales": "late"}
_ES_PARTS["fines"] = "late"

_EN_MONTH = "(?:" + "|".join(EN_MONTHS + [re.escape(a) for a in _EN_ABBREVIATIONS]) + ")"
_EN_WEEKDAY = "(?:" + "|".join(EN_WEEKDAYS) + ")"
_ES_MONTH = "(?i:" + "|".join(ES_MONTHS + ["setiembre"]) + ")"
_ES_WEEKDAY = "(?i:" + "|".join(ES_WEEKDAYS + ["miercoles", "sabado"]) + ")"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DECADE = r"(?:1[89]|20)\d0"
# A day or a year is a whole number: "March 12-13", "12/3" or "2026s" are left to the engine.
_END = r"(?![\w/]|[-–]\d|[.,]\d)"
_ORDINAL = r"(?:st|nd|rd|th)?"
_EN_PREPOSITION = r"(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|of|before|after|to|through)"

# Each pattern starts only at a word start and its alternatives are fixed words: linear time.
EN_DATE = (
    # a range of days in one month: "March 12-13", "12-15 March 2026"
    rf"(?<![\w-])(?:[Oo]n )?(?:{_EN_MONTH} {_DAY}[-–]{_DAY}|{_DAY}[-–]{_DAY} {_EN_MONTH})"
    rf"{_END}(?:,? {_YEAR}{_END})?"
    rf"|(?<![\w-])(?:(?:[Oo]n|[Tt]he) )?(?:{_EN_WEEKDAY},? )?(?:"
    # March 12, 2026 / March 12 / Thursday, March 12
    rf"{_EN_MONTH} {_DAY}{_ORDINAL}{_END}(?:,? {_YEAR}{_END})?"
    # 12 March 2026 / 12th of March
    rf"|{_DAY}{_ORDINAL}(?: of)? {_EN_MONTH}(?:,? {_YEAR}{_END})?(?![\w])"
    rf")"
    # in January 2025 / in early March
    rf"|(?<![\w-])(?:(?:[Ii]n )?(?:early |mid-|mid |late ))?{_EN_MONTH},? {_YEAR}{_END}"
    rf"|(?<![\w-])(?:[Ii]n )?(?:early |mid-|mid |late ){_EN_MONTH}(?![\w])"
    rf"|(?<![\w-])(?:[Ii]n )?(?:early |mid-|mid |late ){_YEAR}{_END}"
    # a month alone after a preposition ("in March", "since May"): the engine takes March for a
    # verb and May for a modal, but not after these.
    rf"|(?<![\w-]){_EN_PREPOSITION} {_EN_MONTH}(?:,? {_YEAR}{_END}|(?![\w'’])(?!,? \d))"
    # a decade: "the 1990s"
    rf"|(?<![\w-])[Tt]he {_DECADE}s(?![\w'’])"
    # a year alone (see `bare_year`)
    rf"|(?<![\w.,$€£#/:-]){_YEAR}(?![\w%$€£]|[.,:/-]\d|-)"
)
ES_DATE = (
    # a range of days in one month: "del 12 al 15 de marzo", "entre el 12 y el 15 de marzo"
    rf"(?<![\w-])(?i:del {_DAY} al|entre el {_DAY} y el) {_DAY} de {_ES_MONTH}"
    rf"(?: (?:de|del) {_YEAR}{_END})?(?![\w])"
    rf"|(?<![\w-])(?:(?i:el|del|al) (?:(?:pasado|próximo) )?)?(?:{_ES_WEEKDAY},? )?"
    rf"{_DAY}(?:º|°|\.º)? de {_ES_MONTH}(?: (?:de|del) {_YEAR}{_END})?(?![\w])"
    rf"|(?<![\w-])(?:(?i:a )?(?i:principios|comienzos|mediados|finales|fines) de )?"
    rf"{_ES_MONTH} (?:de|del) {_YEAR}{_END}"
    rf"|(?<![\w-])(?:(?i:a )?(?i:principios|comienzos|mediados|finales|fines) de )"
    rf"{_ES_MONTH}(?![\w])"
    rf"|(?<![\w-])(?i:la) década de {_DECADE}(?![\w.,]?\d)"
    rf"|(?<![\w-])(?:(?i:a) )?(?i:principios|comienzos|mediados|finales|fines) del? {_YEAR}{_END}"
)


def date_pattern(lang: str) -> str:
    """The regular expression (no capturing groups) of the dates `lang` writes."""
    return EN_DATE if lang == "en" else ES_DATE


@dataclass(frozen=True)
class Date:
    """A date as read: any of its parts may be missing but the month. `lead` is the word
    that introduced it in the source as written (on, the, a preposition, el, del, al, a) and
    `part` the part of the month it names, in the other language's words ("early" read from
    "principios", "principios" from "early"), since only the writer needs it."""

    month: int
    day: int | None = None
    year: int | None = None
    weekday: int | None = None
    lead: str = ""
    part: str = ""


def _month_en(word: str) -> int:
    if word in _EN_ABBREVIATIONS:
        return _EN_ABBREVIATIONS[word]
    return EN_MONTHS.index(word) + 1


_EN_PARSE = re.compile(
    rf"(?:(?P<lead>[Oo]n|[Tt]he|{_EN_PREPOSITION}) )?(?:(?P<part>early|mid|late)(?: |-))?"
    rf"(?:(?P<weekday>{_EN_WEEKDAY}),? )?"
    rf"(?:(?P<month>{_EN_MONTH}) (?P<day>{_DAY}){_ORDINAL}(?:,? (?P<year>{_YEAR}))?"
    rf"|(?P<day2>{_DAY}){_ORDINAL}(?: of)? (?P<month2>{_EN_MONTH})(?:,? (?P<year2>{_YEAR}))?"
    rf"|(?P<month3>{_EN_MONTH}),?(?: (?P<year3>{_YEAR}))?)"
)
_ES_PARSE = re.compile(
    rf"(?:(?P<lead>(?i:el|del|al|a)) )?(?:(?:pasado|próximo) )?"
    rf"(?:(?P<part>(?i:principios|comienzos|mediados|finales|fines)) de )?"
    rf"(?:(?P<weekday>{_ES_WEEKDAY}),? )?"
    rf"(?:(?P<day>{_DAY})(?:º|°|\.º)? de )?(?P<month>{_ES_MONTH})(?: (?:de|del) (?P<year>{_YEAR}))?"
)


def _number(text: str | None) -> int | None:
    return int(text) if text else None


def parse_date(text: str, lang: str) -> Date | None:
    """The date a span found by `date_pattern(lang)` writes."""
    if lang == "en":
        found = _EN_PARSE.fullmatch(text)
        if found is None:
            return None
        month = found["month"] or found["month2"] or found["month3"]
        weekday = found["weekday"]
        return Date(
            month=_month_en(month),
            day=_number(found["day"] or found["day2"]),
            year=_number(found["year"] or found["year2"] or found["year3"]),
            weekday=EN_WEEKDAYS.index(weekday) if weekday else None,
            lead=found["lead"] or "",
            part=_EN_PARTS.get(found["part"] or "", ""),
        )
    found = _ES_PARSE.fullmatch(text)
    if found is None:
        return None
    month = found["month"].lower().replace("setiembre", "septiembre")
    weekday = (found["weekday"] or "").lower().replace("miercoles", "miércoles")
    weekday = weekday.replace("sabado", "sábado")
    return Date(
        month=ES_MONTHS.index(month) + 1,
        day=_number(found["day"]),
        year=_number(found["year"]),
        weekday=ES_WEEKDAYS.index(weekday) if weekday else None,
        lead=found["lead"] or "",
        part=_ES_PARTS.get((found["part"] or "").lower(), ""),
    )


def write_spanish(date: Date) -> str:
    """ "el jueves 12 de marzo de 2026", "enero de 2025", "a principios de marzo"."""
    month = ES_MONTHS[date.month - 1]
    if date.day is None:
        text = f"{month} de {date.year}" if date.year else month
        if date.part:
            text = f"{date.part} de {text}"
            if date.lead.lower() == "in":
                text = f"a {text}"
        return text
    text = f"{date.day} de {month}"
    if date.year:
        text += f" de {date.year}"
    if date.weekday is not None:
        text = f"{ES_WEEKDAYS[date.weekday]} {text}"
    return f"el {text}"


def write_english(date: Date, after_preposition: bool) -> str:
    """ "on Thursday, March 12, 2026", "March 12", "January 2025", "in early March"."""
    month = EN_MONTHS[date.month - 1]
    if date.day is None:
        text = f"{month} {date.year}" if date.year else month
        if date.part:
            text = f"{date.part}{'' if date.part.endswith('-') else ' '}{text}"
            if date.lead.lower() == "a":
                text = f"in {text}"
        return text
    text = f"{month} {date.day}"
    if date.year:
        text += f", {date.year}"
    if date.weekday is not None:
        text = f"{EN_WEEKDAYS[date.weekday]}, {text}"
    if date.lead.lower() in ("el", "del") and not after_preposition:
        text = f"on {text}"
    return text


# Words after which a Spanish "el" + date is the object of a preposition, not "on".
_ES_PREPOSITIONS = frozenset(
    "a ante antes bajo con contra de desde después durante entre hacia hasta para por "
    "según sin sobre tras y e o u ni que como".split()
)
_LAST_WORD = re.compile(r"(\w+)\W*$")
# Words whose "de" a following "del" holds: "antes del 3 de abril" is "before April 3".
_DE_PREPOSITIONS = frozenset(
    "antes después partir cerca alrededor además lejos dentro fuera encima debajo detrás "
    "delante través acerca".split()
)


def _ends_with(before: str, words: frozenset[str]) -> bool:
    found = _LAST_WORD.search(before[-40:])
    return found is not None and found.group(1).lower() in words


def after_preposition(before: str) -> bool:
    """Whether the Spanish text before a date ends with a preposition (or a conjunction that
    repeats one: "entre el 3 y el 5 de mayo")."""
    return _ends_with(before, _ES_PREPOSITIONS)


@dataclass(frozen=True)
class DateSwap:
    """What replaces a date span in the engine's input: `before` stays as text for the engine
    (the preposition a Spanish contraction held), `value` goes in as the placeholder's."""

    before: str
    value: str


_RANGES = {
    "en": re.compile(
        rf"(?:[Oo]n )?(?:(?P<month>{_EN_MONTH}) (?P<first>\d+)[-–](?P<last>\d+)"
        rf"|(?P<first2>\d+)[-–](?P<last2>\d+) (?P<month2>{_EN_MONTH}))(?:,? (?P<year>\d+))?"
    ),
    "es": re.compile(
        rf"(?P<lead>(?i:del|entre el)) (?P<first>\d+) (?:al|y el) (?P<last>\d+)"
        rf" de (?P<month>{_ES_MONTH})(?: (?:de|del) (?P<year>\d+))?"
    ),
}


def _write_range(days: re.Match[str], source: str) -> str:
    """ "del 12 al 15 de marzo de 2026" <-> "from March 12 to 15, 2026"."""
    year = days["year"]
    if source == "en":
        month = ES_MONTHS[_month_en(days["month"] or days["month2"]) - 1]
        first, last = days["first"] or days["first2"], days["last"] or days["last2"]
        return f"del {first} al {last} de {month}" + (f" de {year}" if year else "")
    month = EN_MONTHS[ES_MONTHS.index(days["month"].lower().replace("setiembre", "septiembre"))]
    joined = "and" if days["lead"].lower().startswith("entre") else "to"
    lead = "between" if joined == "and" else "from"
    return f"{lead} {month} {days['first']} {joined} {days['last']}" + (f", {year}" if year else "")


_PART_OF_YEAR = {
    "en": re.compile(rf"(?:(?P<lead>[Ii]n) )?(?P<part>early|mid|late)[ -](?P<year>{_YEAR})"),
    "es": re.compile(
        rf"(?:(?P<lead>(?i:a)) )?(?P<part>(?i:principios|comienzos|mediados|finales|fines))"
        rf" del? (?P<year>{_YEAR})"
    ),
}


def _write_part_of_year(found: re.Match[str], source: str) -> str:
    """ "in late 2024" <-> "a finales de 2024"."""
    year, lead = found["year"], found["lead"]
    if source == "en":
        text = f"{_EN_PARTS[found['part']]} de {year}"
        return f"a {text}" if lead else text
    part = _ES_PARTS[found["part"].lower()]
    text = f"{part}{year}" if part.endswith("-") else f"{part} {year}"
    return f"in {text}" if lead else text


_BARE_YEAR = re.compile(_YEAR)
_DECADES = re.compile(rf"(?:(?<=^[Tt]he )|(?<=década de )){_DECADE}")
_NEXT_WORD = re.compile(r" ([a-z]+)")


def bare_year(span: str, after: str) -> DateSwap | None:
    """An English year alone, as a placeholder: Apertium reads "since 1962" as "desde
    entonces 1962", "until 2030" as "hasta que 2030", but "since ZZ0ZZ" right. A number
    before a word that may be its noun ("2000 troops") stays digits: Apertium needs them there,
    and a placeholder before a noun gets an article ("ZZ0ZZ las tropas")."""
    following = _NEXT_WORD.match(after)
    if following is not None and following.group(1) not in FUNCTION_WORDS:
        return None
    return DateSwap("", span)


def translate_date(
    span: str, before: str, source: str, target: str, after: str = ""
) -> DateSwap | None:
    """The target's form of a date span, or None when the span is not a date after all."""
    if source == "en" and _BARE_YEAR.fullmatch(span):
        return bare_year(span, after)
    part = _PART_OF_YEAR[source].fullmatch(span)
    if part is not None:
        return DateSwap("", _write_part_of_year(part, source))
    days = _RANGES[source].fullmatch(span)
    if days is not None:
        return DateSwap("", _write_range(days, source))
    decade = _DECADES.search(span)
    if decade is not None:
        # Apertium: "en el 1990s", "In the decade of 1990".
        if target == "es":
            return DateSwap("", f"la década de {decade.group(0)}")
        return DateSwap("", f"the {decade.group(0)}s")
    date = parse_date(span, source)
    if date is None:
        return None
    lead = date.lead.lower()
    if target == "es":
        # "on" and "the" are the Spanish article; a preposition stays for the engine.
        kept = lead in ("on", "the") or (lead == "in" and bool(date.part))
        return DateSwap("" if kept or not lead else f"{date.lead} ", write_spanish(date))
    keep = {"del": "de ", "al": "a "}.get(lead, "")
    if lead == "del" and not _ends_with(before, _DE_PREPOSITIONS):
        # "del" after a noun is "on": "el accidente del domingo 1 de marzo" -> "the accident
        # on Sunday, March 1"; after "antes", "a partir"... its "de" is theirs.
        return DateSwap("", write_english(date, after_preposition=False))
    if keep and date.lead[0].isupper():
        keep = keep.capitalize()
    return DateSwap(keep, write_english(date, bool(keep) or after_preposition(before)))


_CONTRACTIONS = re.compile(r"\b([Dd]e|[Aa]) el (?=(?:\w+ )?\d)")


def contract(text: str) -> str:
    """ "de el 12 de marzo" -> "del 12 de marzo", "a el" -> "al": an engine's preposition
    before a restored day-date."""
    return _CONTRACTIONS.sub(lambda m: "del " if m.group(1).lower() == "de" else "al ", text)
