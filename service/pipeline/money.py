"""Amounts of money: "$4.5 million" <-> "4,5 millones de dólares".

English writes the currency sign before the amount, Spanish the currency's name after it.
Apertium copies "$4.5 million" through as "$4.5 millones", but translates "4.5 million
dollars" right, so English amounts are pre-edited into that form (`unfold`), and its English
amounts written back with the sign (`fold`). Spanish "mil millones" is the English billion;
Apertium writes "miles de millones dólares" for it (`spanish_amounts` mends that).
"""

from __future__ import annotations

import re

from service.pipeline.words import head_after

_AMOUNT = r"\d+(?:[.,]\d+)*"
_SCALE = r"(?:million|billion|trillion)"
_EN_NAMES = {"$": "dollars", "US$": "dollars", "€": "euros", "£": "pounds"}
_SIGNS = {"dollars": "$", "euros": "€", "pounds": "£"}

_WORD = r"[a-z][a-z-]*[a-z]"
_SIGNED = re.compile(
    rf"(?:\b(?P<det>[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er) )?"
    rf"(?<![\w$€£])(?P<sign>US\$|\$|€|£)(?P<amount>{_AMOUNT})(?: (?P<scale>{_SCALE}))?"
    rf"(?![\w.,]\d|\w)(?: (?P<first>{_WORD})(?: (?P<second>{_WORD}))?(?![\w-]))?"
)
_NAMED = re.compile(
    rf"(?<![\w.,])(?P<amount>{_AMOUNT})(?: (?P<scale>{_SCALE}))?(?: of)?"
    rf" (?P<name>dollars|euros|pounds)\b"
)
_MILES = re.compile(rf"(?<![\w.,])({_AMOUNT}) miles de millones (?:de )?")


def unfold(text: str) -> str:
    """English amounts with the currency named after them: "$4.5 million" -> "4.5 million
    dollars", "€300" -> "300 euros", "the $1.2 billion deal" -> "the deal of 1.2 billion
    dollars"."""

    def swap(match: re.Match[str]) -> str:
        scale = f" {match['scale']}" if match["scale"] else ""
        amount = f"{match['amount']}{scale} {_EN_NAMES[match['sign']]}"
        det, first, second = match["det"], match["first"], match["second"]
        found = head_after(first, second) if det and first else None
        if det and found is not None:
            # An amount before its noun: "the $1.2 billion deal" -> "the deal of ...".
            head, rest = found
            if det.lower() in ("a", "an"):
                det = det[0] + ("n" if head[0] in "aeiou" else "")
            return f"{det} {head} of {amount}{rest}"
        after = f" {first}" + (f" {second}" if second else "") if first else ""
        return f"{det} {amount}{after}" if det else f"{amount}{after}"

    return _SIGNED.sub(swap, text)


def fold(text: str) -> str:
    """English amounts with the sign before them: "4.5 million dollars" -> "$4.5 million"."""

    def swap(match: re.Match[str]) -> str:
        scale = f" {match['scale']}" if match["scale"] else ""
        return f"{_SIGNS[match['name']]}{match['amount']}{scale}"

    return _NAMED.sub(swap, text)


def spanish_amounts(text: str) -> str:
    """ "4,5 miles de millones dólares" -> "4,5 mil millones de dólares"."""
    return _MILES.sub(lambda m: f"{m.group(1)} mil millones de ", text)
