"""Post-editing rules for Apertium's Spanish→English output, in the order they run.

Every example in a docstring is invented; each is a unit test in tests/unit/test_postedit.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CURLY = str.maketrans({"“": '"', "”": '"', "«": '"', "»": '"'})


def straight_quotes(text: str) -> str:
    """English news copy uses straight double quotes; Apertium keeps the source's “” and «».

    'He said: “enough”.' -> 'He said: "enough".'"""
    return text.translate(_CURLY)


# Followed by a blank, the end, or an inline marker.
_CLOSE_BEFORE_STOP = re.compile(r'(?<=\S)(["”»])([.,])(?=[\s\ue000-\uebff]|$)')


def stop_inside_quote(text: str) -> str:
    """English puts a full stop or comma that ends a quotation inside the closing quote.

    '"It will rain".' -> '"It will rain."'   '"Yes", she said' -> '"Yes," she said'"""
    return _CLOSE_BEFORE_STOP.sub(r"\2\1", text)


WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# After these a weekday stands alone ("since Monday", "today is Monday"); elsewhere "the
# Monday" means "on Monday".
_PREPOSITIONS = frozenset(
    "on of since until till from by for to before after during is was be".split()
)
# Not before a capitalized word: "The Sunday Times" is a name.
_THE_WEEKDAY = re.compile(rf"(?:\b(\w+) |^)(the|The) ({WEEKDAYS})\b(?! [A-Z])")


def on_weekday(text: str) -> str:
    """Spanish "el lunes" comes out "the Monday"; English says "on Monday".

    'They will meet the Sunday.' -> 'They will meet on Sunday.'
    'The Friday it rained.' -> 'On Friday it rained.'   'since the Monday' -> 'since Monday'
    'told The Sunday Times' stays."""

    def fix(match: re.Match[str]) -> str:
        before, the, day = match.group(1), match.group(2), match.group(3)
        if before is None:
            return f"On {day}" if the == "The" else f"on {day}"
        if before.lower() in _PREPOSITIONS:
            return f"{before} {day}"
        return f"{before} on {day}"

    return _THE_WEEKDAY.sub(fix, text)


_LAST = re.compile(rf"\b([Tt])he (?:last|past) ({WEEKDAYS}|week|weekend|month|year)\b(?! of\b)")


def last_period(text: str) -> str:
    """Spanish "el pasado sábado", "el año pasado" come out "the past Saturday", "the last
    year"; English says "last Saturday", "last year".

    'It opened the past Saturday.' -> 'It opened last Saturday.'
    'the last week of the trial' stays."""
    return _LAST.sub(lambda m: ("Last " if m.group(1) == "T" else "last ") + m.group(2), text)


_EE_UU = re.compile(r"\bEE\.\s?UU\.")


def us_abbreviation(text: str) -> str:
    """Spanish "EE. UU." (Estados Unidos) passes through untranslated: English writes "U.S.".

    'the EE. UU. economy' -> 'the U.S. economy'"""
    return _EE_UU.sub("U.S.", text)


_GENTLEMAN = re.compile(r"\b([Tt]he) gentleman (?=[A-Z])")


def mister_title(text: str) -> str:
    """ "el señor García" comes out "the gentleman García"; English writes "Mr. García".

    'said the gentleman Torres' -> 'said Mr. Torres'"""
    return _GENTLEMAN.sub("Mr. ", text)


# Not before an object: "declared a state of emergency", "indicated the way" stay.
_REPORTING = re.compile(
    r"\b(?:affirmed|signalled|commented|declared|indicated)\b"
    r"(?! (?:a|an|the|his|her|its|their|this|these|that the)\b)"
)


def reporting_said(text: str) -> str:
    """Spanish varies its verbs of saying (afirmó, señaló, comentó, declaró, indicó); Apertium
    renders them word for word, where English news says "said".

    'The minister affirmed that ...' -> 'The minister said that ...'
    'They declared a state of emergency' stays."""
    return _REPORTING.sub("said", text)


_COMMA_THAT = re.compile(r", that\b")


def relative_which(text: str) -> str:
    """Spanish ", que" after a noun is a relative; Apertium gives ", that", which English does
    not use after a comma.

    'the law, that was passed' -> 'the law, which was passed'"""
    return _COMMA_THAT.sub(", which", text)


_WHO = re.compile(
    r"\b(people|person|man|woman|men|women|children|residents|officials|someone|anyone|those"
    r"|fans|players|voters|others) that\b"
)


def people_who(text: str) -> str:
    """Spanish "las personas que" comes out "the people that"; English says "people who".

    'the people that live here' -> 'the people who live here'"""
    return _WHO.sub(r"\1 who", text)


# After a sentence's first word Apertium sometimes capitalizes the next one ("Lopez Answered
# that"). Lowered: words that are never part of a name, and past tenses in -ed when a function
# word follows, as it does a verb and not a name ("Sheikh Mohammed told" stays).
_FUNCTION_WORDS = frozenset(
    "And Or But Is Are Was Were Has Have Had Does Did Will Would Can Could Also Then Not".split()
)
_AFTER_VERB = frozenset("that the a an his her their its to in on with by it him them this".split())
_SECOND_WORD = re.compile(r"^([^\w\s]*[A-Z]\w*) ([A-Z][a-z]+)(?= ([a-z]+))")


def lower_second_word(text: str) -> str:
    """'Lopez Answered that ...' -> 'Lopez answered that ...'; 'Lopez And his wife' -> 'Lopez
    and his wife'. 'Mary Jones is' and 'Sheikh Mohammed said' stay."""

    def fix(match: re.Match[str]) -> str:
        word, after = match.group(2), match.group(3)
        verb = word.endswith("ed") and len(word) > 4 and after in _AFTER_VERB
        if word in _FUNCTION_WORDS or verb:
            return f"{match.group(1)} {word.lower()}"
        return match.group(0)

    return _SECOND_WORD.sub(fix, text, count=1)


RULES: tuple[Callable[[str], str], ...] = (
    straight_quotes,
    stop_inside_quote,
    on_weekday,
    last_period,
    us_abbreviation,
    mister_title,
    reporting_said,
    relative_which,
    people_who,
    lower_second_word,
)
