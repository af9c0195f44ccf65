"""Numbers as the target's newsroom writes them: decimal mark, thousands and percentages.

A number keeps its value and its digits; only the marks around them change. English writes
"3.5%", "1,200", "12,000". Spanish follows the house style (`Settings.house_style`):

- `es-ES` (default): decimal comma, "3,5 %" with a space before the sign, no separator in
  four-digit numbers ("1200") and a point in longer ones ("12.000"). The RAE's Ortografía
  (2010) wants the decimal comma, the space before "%" and no separator in four digits; for
  longer numbers it prefers a thin space but the Spanish press (El País, EFE; Fundéu) writes
  the point, which is what editors of a Spanish newsroom expect.
- `es-MX`: decimal point and thousands comma ("3.5", "12,000", "1,200"), "3.5%" with the sign
  attached, as the Mexican press writes (El Universal, Reforma, La Jornada) although the norm
  NOM-008 prefers a space.

A number is read in the source's convention (Spanish in the house style's) and written only
when its reading is certain: "1,5" in English or "3.5" in Spain-style Spanish are not numbers of
that language and go through as written, since a guess could change the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

HouseStyle = Literal["es-ES", "es-MX"]
HOUSE_STYLES: tuple[str, ...] = ("es-ES", "es-MX")

# A number as text: digits with inner separators (no sign, no unit). A time ("10:30") is no
# number to restyle, nor are its parts.
NUMBER = r"(?<![\w.,:])\d+(?:[.,]\d+)*(?![\w:])"
_NUMBER = re.compile(NUMBER)


@dataclass(frozen=True)
class Number:
    """Digits of the integer part and of the decimals, and whether the writer grouped the
    thousands (an ungrouped "1200" or "2026" stays ungrouped in English)."""

    integer: str
    decimals: str = ""
    grouped: bool = False


def _marks(lang: str, style: str) -> tuple[str, str]:
    """(thousands separator, decimal mark) a language writes under the house style."""
    if lang == "es" and style == "es-ES":
        return ".", ","
    return ",", "."


def read_number(text: str, lang: str, style: str) -> Number | None:
    """The number `text` writes in `lang`, or None when it is not one for certain."""
    thousands, decimal = _marks(lang, style)
    t, d = re.escape(thousands), re.escape(decimal)
    grouped = re.fullmatch(rf"(\d{{1,3}}(?:{t}\d{{3}})+)(?:{d}(\d+))?", text)
    if grouped:
        return Number(grouped.group(1).replace(thousands, ""), grouped.group(2) or "", True)
    plain = re.fullmatch(rf"(\d+)(?:{d}(\d+))?", text)
    if plain:
        # Spain writes four digits without a separator: "1200" is grouped as far as it goes.
        four = lang == "es" and style == "es-ES" and len(plain.group(1)) == 4
        return Number(plain.group(1), plain.group(2) or "", four and not plain.group(2))
    return None


def _group(integer: str, separator: str) -> str:
    head = len(integer) % 3 or 3
    parts = [integer[:head]] + [integer[i : i + 3] for i in range(head, len(integer), 3)]
    return separator.join(parts)


def write_number(number: Number, lang: str, style: str) -> str:
    """`number` as `lang` writes it under the house style."""
    thousands, decimal = _marks(lang, style)
    integer = number.integer
    if number.grouped and not (lang == "es" and style == "es-ES" and len(integer) <= 4):
        integer = _group(integer, thousands)
    return f"{integer}{decimal}{number.decimals}" if number.decimals else integer


def convert_number(text: str, source: str, target: str, style: str) -> str:
    """A number written in `source` rewritten for `target`; as it was when not certain."""
    number = read_number(text, source, style)
    if number is None:
        return text
    if source == "es" and target == "en" and style == "es-ES" and number.grouped:
        # "1200" in Spain may be a year as well as a quantity: English groups it only when
        # the Spanish did with a point.
        number = Number(number.integer, number.decimals, "." in text)
    return write_number(number, target, style)


_PERCENT = re.compile(rf"({NUMBER})\s?%")


def percent_spacing(text: str, lang: str, style: str) -> str:
    """ "3,5 %" in Spain-style Spanish, "3.5%" in English and Mexican style."""
    space = " " if lang == "es" and style == "es-ES" else ""
    return _PERCENT.sub(lambda m: f"{m.group(1)}{space}%", text)


def numbers_in(text: str) -> list[str]:
    """The numbers of a text as written, in order."""
    return _NUMBER.findall(text)


@dataclass(frozen=True)
class Restyled:
    text: str
    missing: tuple[str, ...]


def restyle_numbers(
    output: str, source_numbers: list[str], source: str, target: str, style: str
) -> Restyled:
    """An engine's output with the source's numbers (copied through as written, as Apertium
    does) rewritten for the target, and those the output lacks: they are reported, never
    guessed back in."""
    wanted: dict[str, int] = {}
    for raw in source_numbers:
        wanted[raw] = wanted.get(raw, 0) + 1

    def swap(match: re.Match[str]) -> str:
        raw = match.group(0)
        if wanted.get(raw, 0) == 0:
            return raw
        wanted[raw] -= 1
        return convert_number(raw, source, target, style)

    text = _NUMBER.sub(swap, output)
    missing = tuple(raw for raw, left in wanted.items() for _ in range(left))
    return Restyled(percent_spacing(text, target, style), missing)
