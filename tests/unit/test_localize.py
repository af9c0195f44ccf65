"""What each engine is given for dates and numbers, and what the target reads afterwards."""

from __future__ import annotations

from service.pipeline.localize import NumberRules

APERTIUM_EN_ES = NumberRules("en", "es", "es-ES", digits_through=True)
APERTIUM_ES_EN = NumberRules("es", "en", "es-ES", digits_through=True)
SEQ2SEQ_EN_ES = NumberRules("en", "es", "es-ES", digits_through=False)


def test_before_unfolds_english_for_apertium_only() -> None:
    text = "A 22-point plan cost $4.5 million."
    assert APERTIUM_EN_ES.before(text) == "A plan of 22 points cost 4.5 million dollars."
    assert SEQ2SEQ_EN_ES.before(text) == text
    assert APERTIUM_ES_EN.before("Un plan de 22 puntos.") == "Un plan de 22 puntos."


def test_engine_numbers_are_the_digits_apertium_is_given() -> None:
    assert APERTIUM_EN_ES.engine_numbers("ZZ0ZZ, 12,000 and 3.5") == ("12,000", "3.5")
    assert SEQ2SEQ_EN_ES.engine_numbers("ZZ0ZZ, 12,000 and 3.5") == ()


def test_restyle_and_number() -> None:
    restyled = APERTIUM_EN_ES.restyle("Unas 12,000 personas, 3.5%.", ("12,000", "3.5"))
    assert (restyled.text, restyled.missing) == ("Unas 12.000 personas, 3,5 %.", ())
    assert SEQ2SEQ_EN_ES.number("1,200") == "1200"
    assert NumberRules("en", "es", "es-MX").number("1,200") == "1,200"


def test_after_writes_the_target_newsroom_forms() -> None:
    assert APERTIUM_EN_ES.after("Subió 3,5 por ciento antes de el 12 de marzo.") == (
        "Subió 3,5 % antes del 12 de marzo."
    )
    assert APERTIUM_EN_ES.after("Ganó 4,5 miles de millones dólares.") == (
        "Ganó 4,5 mil millones de dólares."
    )
    assert APERTIUM_ES_EN.after("It presented a plan of 22 points for 2.3 million dollars.") == (
        "It presented a 22-point plan for $2.3 million."
    )
    assert APERTIUM_ES_EN.after("It rose 3.5 percent at 10:15 a.m..") == (
        "It rose 3.5% at 10:15 a.m."
    )


def test_dates_and_times_share_one_pattern() -> None:
    assert APERTIUM_EN_ES.date("at 3 p.m.", "It starts ", " today.") is not None
    swap = APERTIUM_EN_ES.date("on March 12", "They met ", ".")
    assert swap is not None and swap.value == "el 12 de marzo"
    assert APERTIUM_EN_ES.date("2000", "About ", " troops") is None
