"""Post-editing rules for Apertium's English→Spanish output, in the order they run.

Every example in a docstring is invented; each is a unit test in tests/unit/test_postedit.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Opening inline markers and objects (service.pipeline.markup) count as a blank before an
# opening quote; a closing marker ends a word ('"<b>sí</b>"').
_MARKERS = "\ue000-\ue3ff\ue800-\uebff"
_OPENING_QUOTE = re.compile(rf'(?<![^\s(\[{{¿¡{_MARKERS}])"(?=[^\s"])')


def curly_quotes(text: str) -> str:
    """Spanish news writes “comillas inglesas”; Apertium copies the source's straight ones.

    'Dijo: "basta ya".' -> 'Dijo: “basta ya”.'
    A quote opens after a blank, a bracket or the start, and before a non-blank; any other
    straight double quote closes."""
    if '"' not in text:
        return text
    return _OPENING_QUOTE.sub("“", text).replace('"', "”")


# A quoted span between two single quotes: the closing one follows a word or a stop and no word
# follows it ("the MPs' votes" has no opening one). `[^'\n]*` cannot cross a quote, so every
# span between two quotes is read once.
_SINGLE_QUOTED = re.compile(
    rf"(?<![^\s(\[{{¿¡{_MARKERS}])'(?=[\w{_MARKERS}])([^'\n]*)(?<=[\w.,!?\ue400-\ue7ff])'(?!\w)"
)


def curly_single_quotes(text: str) -> str:
    """English headlines quote with single quotes; Spanish uses the same “” as elsewhere.

    "Piden 'más tiempo'" -> "Piden “más tiempo”"; "los MPs' votos" stays."""
    if "'" not in text:
        return text
    return _SINGLE_QUOTED.sub(r"“\1”", text)


_STOP_BEFORE_CLOSE = re.compile(r'([.,])([”"])(?!\w)')


def stop_after_quote(text: str) -> str:
    """In Spanish a full stop or comma that ends a quotation goes after the closing quote.

    '“Vendrá mañana.”' -> '“Vendrá mañana”.'   '“Sí,” contestó' -> '“Sí”, contestó'"""
    return _STOP_BEFORE_CLOSE.sub(r"\2\1", text)


WEEKDAYS = "lunes|martes|miércoles|jueves|viernes|sábado|domingo"
_ON_WEEKDAY = re.compile(rf"\b(?:encima|en) ({WEEKDAYS})\b")


def on_weekday(text: str) -> str:
    """English "on Tuesday" comes out as "encima martes"; Spanish says "el martes".

    'La reunión fue encima martes.' -> 'La reunión fue el martes.'"""
    return _ON_WEEKDAY.sub(r"el \1", text)


# Words after which a weekday needs no article of its own.
_DETERMINERS = frozenset(
    "el los este ese aquel cada próximo pasado último otro un cualquier a al del de desde hasta "
    "y o ni entre hoy ayer mañana noche".split()
)
_BARE_WEEKDAY = re.compile(rf"\b(\w+) ({WEEKDAYS})\b")


def weekday_article(text: str) -> str:
    """English "will meet Sunday" gives "se reunirán domingo"; a weekday after a verb takes "el".

    'Los ministros se reunirán domingo.' -> 'Los ministros se reunirán el domingo.'
    'el sábado y domingo' and 'de lunes a viernes' stay as they are."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(1)
        if word.lower() in _DETERMINERS or not word[0].islower():
            return match.group(0)
        return f"{word} el {match.group(2)}"

    return _BARE_WEEKDAY.sub(fix, text)


# Not before a number or its placeholder: "on 5 May" is the number formatting's to write.
_ENCIMA = re.compile(r"(?<!\bpor )\bencima (?!de\b|del\b|ZZ\d|\d)(?=\w)")


def encima_as_on(text: str) -> str:
    """English "on" as a preposition comes out "encima" (on top); in news it is "sobre".

    'un debate encima el presupuesto' -> 'un debate sobre el presupuesto'
    'encima de la mesa' and 'por encima' stay."""
    return _ENCIMA.sub("sobre ", text)


_PARTICIPLE = r"\w+(?:ad|id)[oa]s?|puest[oa]s?|hech[oa]s?|escrit[oa]s?|vist[oa]s?|abiert[oa]s?"
_ESTAR_PASSIVE = re.compile(rf"\b(estuvo|estuvieron) (?=(?:{_PARTICIPLE})\b)")


def ser_passive(text: str) -> str:
    """Apertium renders the English passive "was published" with estar: "estuvo publicado".
    The passive of an event takes ser.

    'El informe estuvo publicado ayer.' -> 'El informe fue publicado ayer.'"""
    return _ESTAR_PASSIVE.sub(lambda m: "fue " if m.group(1) == "estuvo" else "fueron ", text)


_EL_CUAL = re.compile(r", (?:el|la) cual\b|, (?:los|las) cuales\b")


def relative_que(text: str) -> str:
    """English ", which" comes out ", el cual"; news Spanish says ", que".

    'la empresa, el cual tiene sede aquí' -> 'la empresa, que tiene sede aquí'"""
    return _EL_CUAL.sub(", que", text)


# After these an interrogative keeps its accent: an indirect question ("no sabe quién vino").
_ASKING = frozenset(
    "sabe saben sabía sabían saber sé sabemos pregunta preguntó preguntaron preguntar importa "
    "decidir decide decidirá ver averiguar entender explicar explicó claro idea".split()
)


def _relative(
    replacement: Callable[[str, str], str], keep: frozenset[str] = _ASKING
) -> Callable[[re.Match[str]], str]:
    """A substitution for (word before)(blank)(interrogative) that keeps indirect questions:
    `replacement(interrogative, word before)` gives the relative."""

    def fix(match: re.Match[str]) -> str:
        before = match.group(1) or ""
        if before.lower() in keep:
            return match.group(0)
        return f"{before}{match.group(2) or ''}{replacement(match.group(3), before)}"

    return fix


_RELATIVE_WHO = re.compile(r"(?:\b(\w+)|(?<=,))( )(quién|quiénes|quien|quienes)\b")
# After a preposition the relative is "quien" ("con quien habló"), only without the accent.
_PREPOSITIONS = frozenset(
    "a de con para por sin según entre hacia contra ante sobre desde hasta".split()
)


def relative_who(text: str) -> str:
    """English "who" after a noun comes out as the question word "quién"; outside a question
    ("¿") news Spanish writes "que" there, and "quien" after a preposition.

    'la vecina, quién llamó a la policía' -> 'la vecina, que llamó a la policía'
    'los vecinos quiénes llamaron' -> 'los vecinos que llamaron'
    'la jueza con quién habló' -> 'la jueza con quien habló'
    '¿Quién llamó?' and 'no sabe quién llamó' stay."""
    if "¿" in text:
        return text

    def relative(word: str, before: str) -> str:
        if before.lower() in _PREPOSITIONS:
            return word.replace("é", "e")
        return "que"

    return _RELATIVE_WHO.sub(_relative(relative), text)


_ACCENTED = {"cuándo": "cuando", "dónde": "donde"}
_ACCENTED_WORD = re.compile(r"(?:\b(\w+)( ))?\b(cuándo|dónde)\b")


def relative_without_accent(text: str) -> str:
    """English "when" and "where" as relatives keep the question's accent in Apertium's
    output; outside a question ("¿") they take none.

    'Llovía cuándo salió.' -> 'Llovía cuando salió.'
    '¿Dónde está?' and 'no sabe dónde está' stay."""
    if "¿" in text:
        return text
    return _ACCENTED_WORD.sub(_relative(lambda word, _: _ACCENTED[word]), text)


_THAT_AS_WHAT = re.compile(r"\b(\w+)( )(qué)\b")
# "explicó por qué", "para qué sirve": a question word after these too.
_KEEP_QUE = _ASKING | {"por", "para"}


def that_without_accent(text: str) -> str:
    """English "that" is at times taken for "what" and comes out "qué"; after a word, outside
    a question, it is the conjunction "que".

    'Cree qué vendrá.' -> 'Cree que vendrá.'
    '¿Por qué?', 'no sabe qué hacer' and 'explicó por qué' stay."""
    if "¿" in text:
        return text
    return _THAT_AS_WHAT.sub(_relative(lambda word, _: "que", _KEEP_QUE), text)


_SOLO = re.compile(r"\b([Ss])ólo\b")


def solo_without_accent(text: str) -> str:
    """The RAE dropped the accent of "solo" (only) in 2010; Apertium still writes "sólo".

    'Sólo quedan dos.' -> 'Solo quedan dos.'"""
    return _SOLO.sub(r"\1olo", text)


_SENOR = re.compile(r"(^[^\w\s]*|\b\w+ )(Señor|Señora) (?=[A-Z])")


def title_article(text: str) -> str:
    """ "Mr. Brown said" gives "Señor Brown dijo"; Spanish writes "el señor Brown".

    'Señor Pérez llegó tarde.' -> 'El señor Pérez llegó tarde.'
    'según Señora Ruiz' -> 'según la señora Ruiz'   'habló a Señor Gil' -> 'habló al señor Gil'"""

    def fix(match: re.Match[str]) -> str:
        before, title = match.group(1), match.group(2)
        word = before.strip()
        if word.lower() in {"el", "la", "al", "del"}:
            return f"{before}{title.lower()} "
        if title == "Señor" and word in {"a", "de"}:  # "a el" and "de el" contract
            return f"{before[: -len(word) - 1]}{word}l señor "
        article = "el" if title == "Señor" else "la"
        if not before.endswith(" "):  # the sentence's first word, maybe after a quote or marker
            return f"{before}{article.capitalize()} {title.lower()} "
        return f"{before}{article} {title.lower()} "

    return _SENOR.sub(fix, text)


_AUN_ASI = re.compile(r"\b([Aa])un así\b")


def however_as_sin_embargo(text: str) -> str:
    """Apertium gives English "However" as "Aun así" (even so); news Spanish says "Sin embargo".

    'Aun así, la ley salió adelante.' -> 'Sin embargo, la ley salió adelante.'"""
    return _AUN_ASI.sub(lambda m: "Sin embargo" if m.group(1) == "A" else "sin embargo", text)


_PERO = re.compile(r"(?<=\w) pero\b")


def comma_before_pero(text: str) -> str:
    """Spanish sets a comma before the adversative "pero"; the English "but" often has none.

    'Llegó tarde pero habló.' -> 'Llegó tarde, pero habló.'   'tarde, pero' stays."""
    return _PERO.sub(", pero", text)


# After a sentence's first word Apertium sometimes capitalizes the next one ("Ruiz Añadió
# que"). Lowered: conjunctions; words that are never part of a name (adverbs in -mente); words
# with a verb's ending ("Añadió") when a function word follows, as it does a verb and not a
# name ("Antonio Machado escribió", "Luis Castelló dijo" stay).
_CONJUNCTIONS = frozenset("Y O E U".split())
_FUNCTION_WORDS = frozenset(
    "Es Son Era Eran Está Están Estaba Fue Ha Han Había Va Van Dijo Tiene Tienen Puso "
    "Entonces También Ya No Se Lo Le Les Que Cuando Aunque Pero Con Por Para".split()
)
_VERB_ENDINGS = ("ó", "rá", "rán", "aba", "aban")
_AFTER_VERB = frozenset(
    "que el la los las un una a al en de del su sus no se lo le les con por para".split()
)
_SECOND_WORD = re.compile(r"^([^\w\s]*[A-ZÁÉÍÓÚÑ]\w*) ([A-ZÁÉÍÓÚÑ][a-záéíóúñ]*)(?= (\w+))")


def lower_second_word(text: str) -> str:
    """'Ruiz Añadió que no' -> 'Ruiz añadió que no'; 'Pérez Y Gómez llegan' -> 'Pérez y Gómez
    llegan'; 'Ruiz Es alto' -> 'Ruiz es alto'. 'Daniel Ortega habló' and 'Luis Castelló dijo'
    stay."""

    def fix(match: re.Match[str]) -> str:
        word, after = match.group(2), match.group(3)
        verb = word.endswith(_VERB_ENDINGS) and after in _AFTER_VERB
        never_a_name = word in _FUNCTION_WORDS or word.endswith("mente")
        if word in _CONJUNCTIONS or (after[0].islower() and (never_a_name or verb)):
            return f"{match.group(1)} {word.lower()}"
        return match.group(0)

    return _SECOND_WORD.sub(fix, text, count=1)


RULES: tuple[Callable[[str], str], ...] = (
    curly_quotes,
    curly_single_quotes,
    stop_after_quote,
    on_weekday,
    weekday_article,
    encima_as_on,
    ser_passive,
    relative_que,
    relative_who,
    relative_without_accent,
    that_without_accent,
    solo_without_accent,
    title_article,
    however_as_sin_embargo,
    comma_before_pero,
    lower_second_word,
)
