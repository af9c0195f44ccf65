"""QA: numbers, dates and currencies compared by value after each language's conventions."""

from __future__ import annotations

from service.pipeline.qa.figures import check_currencies, check_dates, check_numbers
from service.pipeline.qa.flags import Finding, QaContext

EN_ES = QaContext("en", "es", "es-ES")
ES_EN = QaContext("es", "en", "es-ES")


def test_numbers_written_in_the_house_style_are_the_same_numbers() -> None:
    source = "Sales rose 3.5% to 12,000 units, worth 1.2 billion."
    target = "Las ventas subieron un 3,5 % hasta 12.000 unidades, por 1,2 mil millones."
    assert check_numbers(source, target, EN_ES) == []
    assert check_numbers(target, source, ES_EN) == []


def test_a_changed_number_is_one_flag_on_the_source_number() -> None:
    found = check_numbers(
        "The council hired 45 staff.", "El consejo contrató a 54 empleados.", EN_ES
    )
    assert found == [
        Finding("number", "45", "the number '45' of the source is not in the translation")
    ]


def test_a_number_only_the_translation_has_is_flagged() -> None:
    found = check_numbers("The council hired staff.", "El consejo contrató a 9 empleados.", EN_ES)
    assert [(f.kind, f.source) for f in found] == [("number", "")]
    assert "'9'" in found[0].message


def test_the_mexican_style_reads_the_point_as_decimal() -> None:
    mx = QaContext("en", "es", "es-MX")
    assert check_numbers("It grew 2.5%.", "Creció 2.5%.", mx) == []
    assert check_numbers("It grew 2.5%.", "Creció 2,5 %.", mx) != []


def test_dates_are_compared_as_dates() -> None:
    source = "The vote is on Friday, April 3, 2026."
    assert check_dates(source, "La votación es el viernes 3 de abril de 2026.", EN_ES) == []
    found = check_dates(source, "La votación es el viernes 4 de abril de 2026.", EN_ES)
    assert [(f.kind, f.source) for f in found] == [("date", "April 3, 2026")]


def test_a_date_left_in_the_source_language_is_not_a_date_flag() -> None:
    # Its month name is check_month_names' flag: one problem, one flag.
    found = check_dates("It opens April 3, 2026.", "Abre el April 3, 2026.", EN_ES)
    assert found == []


def test_a_dates_day_and_year_are_not_numbers() -> None:
    source = "It opens April 3, 2026 with 40 rooms."
    assert check_numbers(source, "Abre el 3 de abril de 2026 con 40 habitaciones.", EN_ES) == []


def test_a_currency_must_come_out_named_or_signed() -> None:
    source = "The ticket costs $15."
    assert check_currencies(source, "La entrada cuesta 15 dólares.", EN_ES) == []
    assert check_currencies(source, "La entrada cuesta 15 $.", EN_ES) == []
    found = check_currencies(source, "La entrada cuesta 15 euros.", EN_ES)
    assert [(f.kind, f.source) for f in found] == [("currency", "$")]


def test_ordinals_spaced_groups_and_abbreviated_millions_are_read() -> None:
    source = "On 125th Street, 10,000 fans paid £125m."
    target = "En la calle 125, 10 000 aficionados pagaron 125 millones de libras."
    assert check_numbers(source, target, EN_ES) == []


def test_times_decades_and_converted_units_are_not_compared() -> None:
    assert check_numbers("It starts at 3 p.m.", "Empieza a las 15:00.", EN_ES) == []
    assert check_numbers("It closed in the 1930s.", "Cerró en los años 30.", EN_ES) == []
    source = "The storm was 385 miles away, with 85 mph winds."
    target = "La tormenta estaba a 620 kilómetros, con vientos de 136 km/h."
    assert check_numbers(source, target, EN_ES) == []


def test_a_bare_may_is_a_name_not_a_date() -> None:
    assert check_dates("Theresa May spoke.", "Habló Theresa May.", EN_ES) == []
