"""Numbers in the target's house style, never changed in value."""

from __future__ import annotations

import pytest

from service.pipeline.numbers import (
    Number,
    convert_number,
    numbers_in,
    percent_spacing,
    read_number,
    restyle_numbers,
    write_number,
)


def test_reading_follows_each_language_and_style() -> None:
    assert read_number("12,000", "en", "es-ES") == Number("12000", "", True)
    assert read_number("3.5", "en", "es-ES") == Number("3", "5")
    assert read_number("12.000", "es", "es-ES") == Number("12000", "", True)
    assert read_number("3,5", "es", "es-ES") == Number("3", "5")
    assert read_number("1200", "es", "es-ES") == Number("1200", "", True)
    assert read_number("12,000", "es", "es-MX") == Number("12000", "", True)
    assert read_number("3.5", "es", "es-MX") == Number("3", "5")


def test_a_number_not_certain_in_its_language_is_not_read() -> None:
    # A guess could change the value: "1,5" is no English number, "3.5" no Spain-style one.
    assert read_number("1,5", "en", "es-ES") is None
    assert read_number("3.5", "es", "es-ES") is None
    assert read_number("1.2.3", "en", "es-ES") is None


@pytest.mark.parametrize(
    ("number", "lang", "style", "written"),
    [
        (Number("12000", "", True), "es", "es-ES", "12.000"),
        (Number("1200", "", True), "es", "es-ES", "1200"),
        (Number("1200000", "5", True), "es", "es-ES", "1.200.000,5"),
        (Number("3", "5"), "es", "es-ES", "3,5"),
        (Number("12000", "", True), "es", "es-MX", "12,000"),
        (Number("1200", "", True), "es", "es-MX", "1,200"),
        (Number("3", "5"), "es", "es-MX", "3.5"),
        (Number("12000", "", True), "en", "es-ES", "12,000"),
        (Number("2026"), "en", "es-ES", "2026"),
        (Number("123456"), "es", "es-ES", "123456"),
    ],
)
def test_writing(number: Number, lang: str, style: str, written: str) -> None:
    assert write_number(number, lang, style) == written


@pytest.mark.parametrize(
    ("text", "source", "target", "style", "converted"),
    [
        ("1,200", "en", "es", "es-ES", "1200"),
        ("12,000", "en", "es", "es-ES", "12.000"),
        ("4.25", "en", "es", "es-ES", "4,25"),
        ("2026", "en", "es", "es-ES", "2026"),
        ("12,000", "en", "es", "es-MX", "12,000"),
        ("12.000", "es", "en", "es-ES", "12,000"),
        ("2,8", "es", "en", "es-ES", "2.8"),
        # A Spanish "1200" may be a year: English groups only what the Spanish grouped.
        ("1200", "es", "en", "es-ES", "1200"),
        ("1.500", "es", "en", "es-ES", "1,500"),
        ("1,5", "en", "es", "es-ES", "1,5"),
    ],
)
def test_convert_number(text: str, source: str, target: str, style: str, converted: str) -> None:
    assert convert_number(text, source, target, style) == converted


def test_percent_spacing() -> None:
    assert percent_spacing("subió un 3,5% y un 2 %", "es", "es-ES") == "subió un 3,5 % y un 2 %"
    assert percent_spacing("subió un 3.5 %", "es", "es-MX") == "subió un 3.5%"
    assert percent_spacing("rose 3.5 %", "en", "es-ES") == "rose 3.5%"


def test_numbers_in_leaves_times_and_placeholders_out() -> None:
    assert numbers_in("At 10:30, 1,200 people and ZZ0ZZ came in 2026.") == ["1,200", "2026"]


def test_restyle_rewrites_the_numbers_given_and_reports_lost_ones() -> None:
    restyled = restyle_numbers(
        "Unas 12,000 personas, el 3.5%.", ["12,000", "3.5"], "en", "es", "es-ES"
    )
    assert restyled.text == "Unas 12.000 personas, el 3,5 %."
    assert restyled.missing == ()
    lost = restyle_numbers("Unas personas.", ["12,000", "12,000"], "en", "es", "es-ES")
    assert lost.text == "Unas personas." and lost.missing == ("12,000", "12,000")
    # A number the engine wrote that the source does not have is left as it is.
    assert restyle_numbers("El 3.5 y 7.5", ["3.5"], "en", "es", "es-ES").text == "El 3,5 y 7.5"
