"""Dates as the target's newsroom writes them, both ways."""

from __future__ import annotations

import re

import pytest

from service.pipeline.dates import (
    Date,
    DateSwap,
    after_preposition,
    contract,
    date_pattern,
    parse_date,
    translate_date,
    write_english,
    write_spanish,
)


def _swaps(text: str, source: str) -> list[tuple[str, DateSwap | None]]:
    target = "es" if source == "en" else "en"
    return [
        (m.group(0), translate_date(m.group(0), text[: m.start()], source, target, text[m.end() :]))
        for m in re.finditer(date_pattern(source), text)
    ]


@pytest.mark.parametrize(
    ("text", "span", "before", "value"),
    [
        (
            "Talks end on Thursday, March 12, 2026.",
            "on Thursday, March 12, 2026",
            "",
            "el jueves 12 de marzo de 2026",
        ),
        ("They met on 19 March.", "on 19 March", "", "el 19 de marzo"),
        ("It fell in January 2025.", "in January 2025", "in ", "enero de 2025"),
        ("Since March, prices rose.", "Since March", "Since ", "marzo"),
        ("It reopens in early May.", "in early May", "", "a principios de mayo"),
        ("It opened in mid-June.", "in mid-June", "", "a mediados de junio"),
        ("The 12th of March was cold.", "The 12th of March", "", "el 12 de marzo"),
        ("Due by Jan. 5, 2027.", "Jan. 5, 2027", "", "el 5 de enero de 2027"),
        ("Born on 5 May 1990.", "on 5 May 1990", "", "el 5 de mayo de 1990"),
        ("Not met since 1962.", "1962", "", "1962"),
        ("Prices fell in the 1990s.", "the 1990s", "", "la década de 1990"),
        ("It ended in late 2024.", "in late 2024", "", "a finales de 2024"),
        ("Since mid-2025, it grew.", "mid-2025", "", "mediados de 2025"),
        ("The summit is on March 12-13.", "on March 12-13", "", "del 12 al 13 de marzo"),
        ("Held 4–6 June 2027 in Rome.", "4–6 June 2027", "", "del 4 al 6 de junio de 2027"),
    ],
)
def test_english_dates_to_spanish(text: str, span: str, before: str, value: str) -> None:
    assert _swaps(text, "en") == [(span, DateSwap(before, value))]


def test_english_spans_that_are_not_dates_are_left_alone() -> None:
    assert _swaps("Theresa May said so.", "en") == []
    assert _swaps("He wrote to May's office.", "en") == []
    assert _swaps("The March 12-35 summit.", "en") == []
    # A year before a word that may be its noun stays digits for the engine.
    assert _swaps("About 2000 troops came.", "en") == [("2000", None)]


@pytest.mark.parametrize(
    ("text", "span", "before", "value"),
    [
        (
            "Terminó el jueves 12 de marzo de 2026.",
            "el jueves 12 de marzo de 2026",
            "",
            "on Thursday, March 12, 2026",
        ),
        ("Se reunieron el 19 de marzo.", "el 19 de marzo", "", "on March 19"),
        ("Bajó en enero de 2025.", "enero de 2025", "", "January 2025"),
        ("Desde el 3 de abril no hay.", "el 3 de abril", "", "April 3"),
        ("Antes del 3 de abril.", "del 3 de abril", "de ", "April 3"),
        (
            "El accidente del domingo 1 de marzo.",
            "del domingo 1 de marzo",
            "",
            "on Sunday, March 1",
        ),
        ("Cerró a finales de 2024.", "a finales de 2024", "", "in late 2024"),
        ("mediados de 2025", "mediados de 2025", "", "mid-2025"),
        ("A principios de marzo llovió.", "A principios de marzo", "", "in early March"),
        ("finales de abril", "finales de abril", "", "late April"),
        ("el pasado 12 de marzo", "el pasado 12 de marzo", "", "on March 12"),
        ("Madrid, 12 de marzo de 2026", "12 de marzo de 2026", "", "March 12, 2026"),
        ("El 1.º de mayo", "El 1.º de mayo", "", "on May 1"),
        ("Creció en la década de 1980.", "la década de 1980", "", "the 1980s"),
        ("Será del 12 al 15 de marzo.", "del 12 al 15 de marzo", "", "from March 12 to 15"),
        (
            "Llovió entre el 3 y el 5 de mayo de 2025.",
            "entre el 3 y el 5 de mayo de 2025",
            "",
            "between May 3 and 5, 2025",
        ),
    ],
)
def test_spanish_dates_to_english(text: str, span: str, before: str, value: str) -> None:
    assert _swaps(text, "es") == [(span, DateSwap(before, value))]


def test_parse_and_write() -> None:
    date = parse_date("on Thursday, March 12, 2026", "en")
    assert date == Date(month=3, day=12, year=2026, weekday=3, lead="on")
    assert write_spanish(date) == "el jueves 12 de marzo de 2026"
    assert write_english(Date(3, 12, 2026, 3, lead="el"), after_preposition=False) == (
        "on Thursday, March 12, 2026"
    )
    assert write_english(Date(3, 12, lead="el"), after_preposition=True) == "March 12"
    assert write_spanish(Date(1, year=2025)) == "enero de 2025"
    assert parse_date("no date", "es") is None


def test_after_preposition() -> None:
    assert after_preposition("Siguió hasta ")
    assert after_preposition("entre el 3 y ")
    assert not after_preposition("Se reunieron ")
    assert not after_preposition("")


def test_contract() -> None:
    assert contract("antes de el 12 de marzo y a el 3") == "antes del 12 de marzo y al 3"
    assert contract("a el jueves 12 de marzo") == "al jueves 12 de marzo"
    assert contract("de el presidente") == "de el presidente"  # not before a date: left alone
