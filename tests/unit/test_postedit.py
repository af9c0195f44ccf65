"""Each post-editing rule on the before/after examples of its docstring, and the guarantees of
the layer: only Apertium's output is edited, protected spans and markers are never touched."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.pipeline import postedit
from service.pipeline.postedit import to_english as en
from service.pipeline.postedit import to_spanish as es

Fix = Callable[[str], str]

SPANISH: list[tuple[Fix, str, str]] = [
    (es.curly_quotes, 'Dijo: "basta ya".', "Dijo: “basta ya”."),
    (es.curly_quotes, '"Sí", dijo "él"', "“Sí”, dijo “él”"),
    (es.curly_quotes, "Sin comillas.", "Sin comillas."),
    (es.curly_single_quotes, "Piden 'más tiempo'", "Piden “más tiempo”"),
    (es.curly_single_quotes, "los MPs' votos", "los MPs' votos"),
    (es.curly_single_quotes, "la casa de O'Brien", "la casa de O'Brien"),
    (es.stop_after_quote, "“Vendrá mañana.”", "“Vendrá mañana”."),
    (es.stop_after_quote, "“Sí,” contestó", "“Sí”, contestó"),
    (es.stop_after_quote, "“¿Vendrá?”", "“¿Vendrá?”"),
    (es.on_weekday, "La reunión fue encima martes.", "La reunión fue el martes."),
    (es.on_weekday, "Llegó en sábado.", "Llegó el sábado."),
    (
        es.weekday_article,
        "Los ministros se reunirán domingo.",
        "Los ministros se reunirán el domingo.",
    ),
    (es.weekday_article, "el sábado y domingo", "el sábado y domingo"),
    (es.weekday_article, "desde el lunes pasado", "desde el lunes pasado"),
    (es.weekday_article, "abre de lunes a viernes", "abre de lunes a viernes"),
    (es.encima_as_on, "un debate encima el presupuesto", "un debate sobre el presupuesto"),
    (es.encima_as_on, "encima de la mesa", "encima de la mesa"),
    (es.encima_as_on, "llega encima ZZ0ZZ mayo", "llega encima ZZ0ZZ mayo"),
    (es.encima_as_on, "saltó por encima la valla", "saltó por encima la valla"),
    (es.ser_passive, "El informe estuvo publicado ayer.", "El informe fue publicado ayer."),
    (es.ser_passive, "Ellos estuvieron detenidos.", "Ellos fueron detenidos."),
    (es.ser_passive, "Estuvo en casa.", "Estuvo en casa."),
    (es.relative_que, "la empresa, el cual tiene sede aquí", "la empresa, que tiene sede aquí"),
    (es.relative_que, "las leyes, las cuales rigen", "las leyes, que rigen"),
    (es.relative_who, "la vecina, quién llamó a la policía", "la vecina, que llamó a la policía"),
    (es.relative_who, "los vecinos quiénes llamaron", "los vecinos que llamaron"),
    (es.relative_who, "¿Quién llamó?", "¿Quién llamó?"),
    (es.relative_who, "No sabe quién llamó.", "No sabe quién llamó."),
    (es.relative_who, "la jueza con quién habló", "la jueza con quien habló"),
    (es.relative_who, "los socios a quiénes pagó", "los socios a quienes pagó"),
    (es.relative_without_accent, "Llovía cuándo salió.", "Llovía cuando salió."),
    (es.relative_without_accent, "¿Dónde está?", "¿Dónde está?"),
    (es.relative_without_accent, "no sabe dónde está", "no sabe dónde está"),
    (es.relative_without_accent, "el lugar, dónde vive", "el lugar, donde vive"),
    (es.that_without_accent, "Cree qué vendrá.", "Cree que vendrá."),
    (es.that_without_accent, "¿Por qué?", "¿Por qué?"),
    (es.that_without_accent, "No sabe qué hacer.", "No sabe qué hacer."),
    (es.that_without_accent, "Explicó por qué no vino.", "Explicó por qué no vino."),
    (es.solo_without_accent, "Sólo quedan dos.", "Solo quedan dos."),
    (es.solo_without_accent, "quedan sólo dos", "quedan solo dos"),
    (es.title_article, "Señor Pérez llegó tarde.", "El señor Pérez llegó tarde."),
    (es.title_article, "según Señora Ruiz", "según la señora Ruiz"),
    (es.title_article, "habló con el Señor Pérez", "habló con el señor Pérez"),
    (es.title_article, "habló a Señor Gil", "habló al señor Gil"),
    (es.title_article, "la casa de Señor Gil", "la casa del señor Gil"),
    (es.title_article, "la casa de Señora Gil", "la casa de la señora Gil"),
    (es.title_article, "Señor, ayúdanos", "Señor, ayúdanos"),
    (es.however_as_sin_embargo, "Aun así, la ley salió.", "Sin embargo, la ley salió."),
    (es.however_as_sin_embargo, "y aun así votó", "y sin embargo votó"),
    (es.comma_before_pero, "Llegó tarde pero habló.", "Llegó tarde, pero habló."),
    (es.comma_before_pero, "Llegó tarde, pero habló.", "Llegó tarde, pero habló."),
    (es.comma_before_pero, "Pero habló.", "Pero habló."),
    (es.lower_second_word, "Ruiz Añadió que no", "Ruiz añadió que no"),
    (es.lower_second_word, "Pérez Y Gómez llegan", "Pérez y Gómez llegan"),
    (es.lower_second_word, "Daniel Ortega habló", "Daniel Ortega habló"),
    (es.lower_second_word, "Ruiz Es Presidente", "Ruiz Es Presidente"),
    (es.lower_second_word, "Ruiz Es alto", "Ruiz es alto"),
    (es.lower_second_word, "Ruiz Finalmente habló", "Ruiz finalmente habló"),
    (es.lower_second_word, "Antonio Machado escribió", "Antonio Machado escribió"),
    (es.lower_second_word, "Luis Castelló dijo que no", "Luis Castelló dijo que no"),
    (es.lower_second_word, "Ruiz Notó que no", "Ruiz notó que no"),
]

ENGLISH: list[tuple[Fix, str, str]] = [
    (en.straight_quotes, "He said: “enough”.", 'He said: "enough".'),
    (en.straight_quotes, "«Yes»", '"Yes"'),
    (en.stop_inside_quote, '"It will rain".', '"It will rain."'),
    (en.stop_inside_quote, '"Yes", she said', '"Yes," she said'),
    (en.stop_inside_quote, "“Yes”, she said", "“Yes,” she said"),
    (en.stop_inside_quote, 'a "b" ,c', 'a "b" ,c'),
    (en.on_weekday, "They will meet the Sunday.", "They will meet on Sunday."),
    (en.on_weekday, "The Friday it rained.", "On Friday it rained."),
    (en.on_weekday, "since the Monday", "since Monday"),
    (en.on_weekday, "the Mondays", "the Mondays"),
    (en.on_weekday, "Today is the Monday", "Today is Monday"),
    (en.on_weekday, "he told The Sunday Times", "he told The Sunday Times"),
    (en.last_period, "It opened the past Saturday.", "It opened last Saturday."),
    (en.last_period, "The last year was hard.", "Last year was hard."),
    (en.last_period, "the last week of the trial", "the last week of the trial"),
    (en.us_abbreviation, "the EE. UU. economy", "the U.S. economy"),
    (en.us_abbreviation, "the EE.\u00a0UU. economy", "the U.S. economy"),
    (en.us_abbreviation, "in EE.UU.", "in U.S."),
    (en.mister_title, "said the gentleman Torres", "said Mr. Torres"),
    (en.mister_title, "The gentleman Torres left", "Mr. Torres left"),
    (en.mister_title, "the gentleman said", "the gentleman said"),
    (
        en.reporting_said,
        "The minister affirmed that it rained.",
        "The minister said that it rained.",
    ),
    (en.reporting_said, "“No”, commented Ruiz.", "“No”, said Ruiz."),
    (
        en.reporting_said,
        "They declared a state of emergency.",
        "They declared a state of emergency.",
    ),
    (en.relative_which, "the law, that was passed", "the law, which was passed"),
    (en.relative_which, "He knew that it was late", "He knew that it was late"),
    (en.people_who, "the people that live here", "the people who live here"),
    (en.people_who, "the idea that people share", "the idea that people share"),
    (en.lower_second_word, "Lopez Answered that it rained", "Lopez answered that it rained"),
    (en.lower_second_word, "Lopez And his wife", "Lopez and his wife"),
    (en.lower_second_word, "Mary Jones is here", "Mary Jones is here"),
    (en.lower_second_word, "Ted Fred went", "Ted Fred went"),
    (en.lower_second_word, "Sheikh Mohammed said", "Sheikh Mohammed said"),
    (en.lower_second_word, "Sheikh Mohammed told them", "Sheikh Mohammed told them"),
]


@pytest.mark.parametrize(("fix", "before", "after"), SPANISH + ENGLISH)
def test_rule_examples(fix: Fix, before: str, after: str) -> None:
    assert fix(before) == after


def test_every_rule_has_an_example() -> None:
    tested = {fix for fix, _, _ in SPANISH + ENGLISH}
    ruled = {rule.fix for rules in postedit.RULES.values() for rule in rules}
    assert ruled == tested


def test_rules_only_for_apertium() -> None:
    assert [r.name for r in postedit.rules_for("apertium", "en", "es")][0] == "curly_quotes"
    assert postedit.rules_for("apertium", "es", "en")[0].name == "straight_quotes"
    for engine in ("ct2", "hf", "echo", "fake"):
        assert postedit.rules_for(engine, "en", "es") == ()
        assert postedit.revision(engine, "en", "es") is None
    assert postedit.revision("apertium", "en", "es") == postedit.REVISION


def test_all_rules_in_order() -> None:
    rules = postedit.rules_for("apertium", "en", "es")
    before = 'Señor Ruiz dijo: "el voto estuvo aplazado encima martes."'
    after = "El señor Ruiz dijo: “el voto fue aplazado el martes”."
    assert postedit.apply(rules, before) == after


# Placeholders of protected spans, inline markup markers (open, close, object) and Apertium's
# stand-ins for reserved characters.
_SPECIAL = re.compile(r"ZZ\d{1,3}ZZ|[\ue000-\uebff\uf000-\uf0ff]")


def _specials(text: str) -> list[str]:
    return _SPECIAL.findall(text)


@pytest.mark.parametrize(
    ("source", "target", "text", "expected"),
    [
        (
            "en",
            "es",
            '\ue001"Señor ZZ0ZZ estuvo herido\ue401 encima martes."\ue800',
            "\ue001“El señor ZZ0ZZ fue herido\ue401 el martes”.\ue800",
        ),
        (
            "en",
            "es",
            "ZZ1ZZ Y ZZ2ZZ llegan \uf003 encima lunes",
            "ZZ1ZZ y ZZ2ZZ llegan \uf003 el lunes",
        ),
        (
            "en",
            "es",
            '"\ue001sí\ue401" y \ue002"no"\ue402, \'\ue003tal vez\ue403\'',
            "“\ue001sí\ue401” y \ue002“no”\ue402, “\ue003tal vez\ue403”",
        ),
        ("es", "en", "“\ue001Sí”.\ue401 Y «no»,\ue800", '"\ue001Sí."\ue401 Y "no,"\ue800'),
        (
            "es",
            "en",
            "\ue002“They met the Sunday”, \ue402affirmed ZZ0ZZ.",
            '\ue002"They met on Sunday," \ue402said ZZ0ZZ.',
        ),
    ],
)
def test_protected_spans_and_markers_stay(
    source: str, target: str, text: str, expected: str
) -> None:
    out = postedit.apply(postedit.rules_for("apertium", source, target), text)
    assert out == expected
    assert _specials(out) == _specials(text)


_PIECES = st.sampled_from(
    [
        "ZZ0ZZ",
        "ZZ12ZZ",
        "\ue000",
        "\ue400",
        "\ue800",
        "\uf001",
        '"',
        "'",
        "“",
        "”",
        "«",
        "»",
        " ",
        ", ",
        ".",
        "Señor",
        "Sólo",
        "encima",
        "martes",
        "estuvo",
        "publicado",
        "quién",
        "the",
        "The",
        "Sunday",
        "EE.",
        "UU.",
        "gentleman",
        "Y",
        "Ruiz",
        "Answered",
        ", that",
        "el cual",
        "qué",
        "¿",
        "de",
        "affirmed",
    ]
)


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_no_rule_moves_or_drops_a_protected_span(text: str) -> None:
    for rules in postedit.RULES.values():
        assert _specials(postedit.apply(rules, text)) == _specials(text)
