"""Numeric compounds: "a 22-point plan" <-> "un plan de 22 puntos", "a 15-year-old boy" ->
"un chico de 15 años", "a five-year plan" -> "un plan de cinco años".

Apertium translates "a plan of 22 points" right but not "a 22-point plan" (digits: "un
plande22 puntos", glued; number words: "Un cinco-el año planea"), and from Spanish it writes
"a plan of 22 points" where an English newsroom writes "a 22-point plan". So English is
pre-edited into the "of" form before the engine (`unfold`), and English output folded back
into the compound (`fold`).

The head noun is found without a tagger, conservatively (`words.head_after`). Where no head
is certain the text is left as it is.
"""

from __future__ import annotations

import re

from service.pipeline.words import FUNCTION_WORDS, NEWS_VERBS, head_after

_UNITS_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred"
).split()
_NUMBER_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five"
    r"|six|seven|eight|nine)|" + "|".join(_UNITS_WORDS) + ")"
)
_NUMERAL = rf"(?:\d+(?:[.,]\d+)*|{_NUMBER_WORD}|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive)"

_STOP = FUNCTION_WORDS | NEWS_VERBS
_IRREGULAR_PLURALS = {
    "man": "men",
    "woman": "women",
    "person": "people",
    "child": "children",
    "foot": "feet",
    "tooth": "teeth",
}
_ONE = {"one", "1", "a"}


def plural(noun: str) -> str:
    """The plural of a unit noun ("point" -> "points", "storey" -> "storeys", "party" ->
    "parties", "inch" -> "inches")."""
    if noun in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[noun]
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    if re.search(r"(?:s|sh|ch|x|z)$", noun):
        return noun + "es"
    return noun + "s"


_WORD = r"[a-z][a-z-]*[a-z]"
# A unit is a singular noun: "two-thirds", "three-times" are not compounds of this kind.
_UNIT = r"(?!(?:half|third|quarter|fifth)\b)[a-z]*[a-rt-z]"
_COMPOUND = re.compile(
    rf"(?:\b(?P<det>[Aa]n?) )?(?<![\w.,-])(?P<number>{_NUMERAL})-(?P<unit>{_UNIT})(?P<old>-old)?"
    rf" (?P<first>{_WORD})(?: (?P<second>{_WORD}))?(?![\w-])"
)


# "the 2018 election" -> "the election of 2018" (Apertium: "la 2018 elección").
_YEAR_BEFORE_NOUN = re.compile(
    rf"\b(?P<det>[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir) (?P<year>(?:1[89]|20)\d\d)"
    rf" (?P<first>{_WORD})(?: (?P<second>{_WORD}))?(?![\w-])"
)


def unfold(text: str) -> str:
    """English numeric compounds in the form "NOUN of N UNITS" that the engine translates:
    "a 22-point plan" -> "a plan of 22 points", "a 15-year-old boy" -> "a boy of 15 years",
    ages standing for a person: "a 17-year-old" -> "a youngster of 17 years", and years
    before their noun: "the 2018 election" -> "the election of 2018"."""

    def swap(match: re.Match[str]) -> str:
        found = head_after(match["first"], match["second"])
        if found is None:
            return match.group(0)
        head, rest = found
        number, unit = match["number"], match["unit"]
        units = unit if number.lower() in _ONE else plural(unit)
        det = match["det"] or ""
        if det:
            # "a" goes with the head noun now, no longer with the number ("an 8-day" ...).
            det = det[0] + ("n " if head[0] in "aeiou" else " ")
        return f"{det}{head} of {number} {units}{rest}"

    def swap_year(match: re.Match[str]) -> str:
        found = head_after(match["first"], match["second"])
        if found is None:
            return match.group(0)
        head, rest = found
        return f"{match['det']} {head} of {match['year']}{rest}"

    return _AGE_ALONE.sub(_age, _YEAR_BEFORE_NOUN.sub(swap_year, _COMPOUND.sub(swap, text)))


# An age standing for a person: "a 17-year-old", "two 18-year-olds" (Apertium glues them:
# "niñode17años", or leaves "18-año-olds"). The young are "youngsters" (Spanish "joven"),
# others "person"/"people" (a gender the text does not give is not made up).
_AGE_ALONE = re.compile(
    rf"(?:\b(?P<det>[Aa]n?) )?(?<![\w.,-])(?P<number>{_NUMERAL})-(?P<unit>year|month)-old"
    rf"(?P<plural>s)?(?![\w-])"
)
_YOUNG = frozenset(_UNITS_WORDS[:20]) | {"one", "two", "three", "four", "five"}


def _age(match: re.Match[str]) -> str:
    number = match["number"]
    digits = number.replace(",", "").replace(".", "")
    young = (digits.isdigit() and int(digits) <= 20) or number.lower() in _YOUNG
    many = bool(match["plural"])
    if young:
        noun = "youngsters" if many else "youngster"
    else:
        noun = "people" if many else "person"
    det = match["det"] or ""
    if det:
        det = det[0] + ("n " if noun[0] in "aeiou" else " ")
    units = match["unit"] if number.lower() in _ONE else plural(match["unit"])
    return f"{det}{noun} of {number} {units}"


_PERSONS = frozenset(
    """boy girl man woman child baby son daughter teenager teen student youngster youth
    mother father brother sister wife husband player pupil worker soldier journalist
    patient victim resident migrant driver suspect""".split()
)
_UNIT_PLURALS = (
    "points days years weeks months hours minutes seconds kilometres kilometers miles metres "
    "meters seats members pages storeys floors games matches rounds nations countries lanes"
).split()
_OF_FORM = re.compile(
    rf"\b(?P<det>[Aa]n?|[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir) (?P<noun>{_WORD}(?: {_WORD})?)"
    rf" of (?P<number>{_NUMERAL}) (?P<unit>{'|'.join(_UNIT_PLURALS)})\b(?! of\b)"
)
_SINGULAR = {p: p[:-1] for p in _UNIT_PLURALS}
_SINGULAR.update({"countries": "country", "matches": "match", "storeys": "storey"})


def _an(number: str) -> bool:
    """Whether "an" goes before a number said aloud: 8, 11, 18, 80-89, 800-899..."""
    digits = number.replace(",", "").replace(".", "")
    if not digits.isdigit():
        return number.lower().startswith(("eight", "eleven"))
    return (
        digits.startswith("8")
        or (digits in ("11", "18"))
        or (len(digits) in (5, 8) and digits.startswith(("11", "18")))
    )


def fold(text: str) -> str:
    """English output in the compound form a newsroom writes: "a plan of 22 points" -> "a
    22-point plan", "a boy of 15 years" -> "a 15-year-old boy"."""

    def swap(match: re.Match[str]) -> str:
        words = match["noun"].split(" ")
        if any(word in _STOP or word.endswith("ly") for word in words):
            return match.group(0)
        unit = _SINGULAR[match["unit"]]
        if unit == "year" and words[-1] in _PERSONS:
            unit = "year-old"
        det = match["det"]
        if det.lower() in ("a", "an"):
            det = det[0] + ("n" if _an(match["number"]) else "")
        return f"{det} {match['number']}-{unit} {match['noun']}"

    return _OF_FORM.sub(swap, text)
