"""Numbers, dates and amounts of money that differ between a source and its translation.

Both sides are read in their own language's conventions before they are compared (the
pipeline's `numbers` knows how each house style writes numbers): "3.5%" is "3,5 %", "12,000" is
"12.000" (or "12 000"), "March 12, 2026" is "12 de marzo de 2026", "$4.5 million" and "£125m"
are "4,5 millones de dólares" and "125 millones de libras". What is compared is the value,
never the writing.

Left out on purpose, since translators change them rightly and a flag there would be noise:
times of day ("3 p.m." is "las 15:00"), decades ("the 1990s", "los años 90"), and the amounts of
a source that measures in imperial units (miles, pounds, feet), which a Spanish translation
gives in metric ones (and the other way round).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from service.pipeline.clock import time_pattern
from service.pipeline.dates import EN_MONTHS, ES_MONTHS
from service.pipeline.numbers import read_number
from service.pipeline.qa.flags import Finding, QaContext

DateKey = tuple[int, int | None, int | None]

# Scale words after a number, longest first so "mil millones" is not read as "mil".
_SCALES: dict[str, dict[str, int]] = {
    "en": {"thousand": 3, "million": 6, "billion": 9, "trillion": 12},
    "es": {
        "mil millones": 9,
        "millones": 6,
        "millón": 6,
        "billones": 12,
        "billón": 12,
        "mil": 3,
    },
}
# After a currency sign English abbreviates the scale: "£125m", "$2.8bn", "€40k".
_ABBREVIATED = {"m": 6, "bn": 9, "k": 3}
_ORDINAL = r"(?:st|nd|rd|th|º|ª|\.º|\.ª)"
_AMOUNTS = {
    lang: re.compile(
        r"(?<![\w.,:])(\d+(?:[.,]\d+)*)"
        rf"(?:\s?({'|'.join(sorted([*scales, *_ABBREVIATED], key=len, reverse=True))})(?!\w)"
        rf"|{_ORDINAL}(?!\w)|(?![\w:]))"
    )
    for lang, scales in _SCALES.items()
}
# Digits grouped with a space (the RAE's and ISO's "10 000"), joined before reading.
_SPACE_GROUPED = re.compile(r"(?<![\d.,])(\d{1,3})((?:[ \u00a0\u2009\u202f]\d{3})+)(?![\d.,]\d)")
_DECADE = {
    "en": re.compile(r"(?<!\w)(?:(?:1[89]|20)\d0|')?\d0s(?!\w)|(?<!\w)(?:1[89]|20)\d0s(?!\w)"),
    "es": re.compile(r"(?i:años|década de|los) (?:(?:1[89]|20)\d0|'?\d0)(?!\w)"),
}
# Times of day beyond `clock`'s ("7.55am", "a las 7 de la mañana") and centuries ("the 19th
# century" is "el siglo XIX").
_NOT_COMPARED = {
    "en": (
        re.compile(r"(?<![\w.,:])\d{1,2}(?:[:.]\d\d)?\s?(?:[ap]\.?m\.?)(?!\w)", re.IGNORECASE),
        re.compile(r"(?<![\w.,:])\d{1,2}:\d\d(?!\d)"),
        re.compile(r"(?<!\w)\d{1,2}(?:st|nd|rd|th)[\s-]century", re.IGNORECASE),
    ),
    "es": (
        re.compile(r"(?<![\w.,:])\d{1,2}[:.]\d\d\s?h?(?!\d)"),
        re.compile(r"(?i:las|la) \d{1,2}(?: de la (?:mañana|tarde|noche|madrugada))?(?!\d)"),
    ),
}
_NUMBER_RANGE = r"\d+(?:[.,]\d+)*(?:\s?(?:to|-|–|and|or)\s?\d+(?:[.,]\d+)*)?"
_IMPERIAL = re.compile(
    rf"(?<![\w.,]){_NUMBER_RANGE}(?:[\s-](?:square |cubic )?)"
    r"(?:miles?|mph|feet|foot(?:-\d+)?|ft|inch(?:es)?|yards?|pounds?|lbs?|gallons?|acres?"
    r"|ounces?|oz|degrees?(?: Fahrenheit)?|°F|Fahrenheit"
    # The same units in Spanish, where a translation kept them.
    r"|millas?|pies|pie|pulgadas?|yardas?|libras?|galones|galón|acres|onzas?)\b",
    re.IGNORECASE,
)
_METRIC = re.compile(
    r"(?<![\w.,])(?:\d+(?:[.,]\d+)*\s?(?:y|a|o|to|and|or|-|–)\s?)?\d+(?:[.,]\d+)*\s?"
    r"(?:kilómetros?|kilomet(?:er|re)s?|km/h|kph|km|metros?|met(?:er|re)s?|m"
    r"|centímetros?|centimet(?:er|re)s?|cm|milímetros?|mm|kilos?|kilogramos?|kilograms?|kg"
    r"|gramos?|grams?|g|litros?|lit(?:er|re)s?|l|hectáreas?|hectares?|ha"
    r"|grados(?: centígrados| Celsius)?|degrees Celsius|°C|toneladas?|tonnes?)(?![\w/])",
    re.IGNORECASE,
)
# Each currency by the ways either language writes it.
_CURRENCIES: dict[str, str] = {
    "dollar": r"US\$|\$|\bUSD\b|\bdollars?\b|\bdólar(?:es)?\b",
    "euro": r"€|\bEUR\b|\beuros?\b",
    "pound": r"£|\bGBP\b|\bpounds? sterling\b|\blibras?\b",
}
# Full names and any writer's three-letter abbreviations ("Jun.", "Jul." too, which AP keeps).
_EN_MONTH_NAMES = {name.casefold(): i + 1 for i, name in enumerate(EN_MONTHS)}
_EN_MONTH_NAMES |= {name[:3].casefold(): i + 1 for i, name in enumerate(EN_MONTHS)}
_EN_MONTH_NAMES["sept"] = 9
_ES_MONTH_NAMES = {name: i + 1 for i, name in enumerate(ES_MONTHS)} | {"setiembre": 9}
_EN_MONTH = (
    rf"(?P<month>(?:{'|'.join(EN_MONTHS)})"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
)
_DATES = {
    "en": re.compile(
        rf"(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_EN_MONTH.replace('month', 'month1')}"
        rf"|{_EN_MONTH}(?: (?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d))?)"
        r"(?:,? (?P<year>(?:1[89]|20)\d\d)(?!\d))?"
    ),
    "es": re.compile(
        r"(?:(?P<day>\d{1,2})(?:º|°)? de )?"
        rf"(?P<month>(?i:{'|'.join(_ES_MONTH_NAMES)}))(?!\w)"
        r"(?: (?:de |del )?(?P<year>(?:1[89]|20)\d\d)(?!\d))?"
    ),
}


def _value(raw: str, scale: str | None, lang: str, style: str) -> str:
    """A number's value as a canonical string; its digits alone when the reading is not
    certain ("1,5" in English), so the same uncertain writing still matches itself."""
    number = read_number(raw, lang, style)
    if number is None:
        return "digits:" + re.sub(r"\D", "", raw)
    try:
        value = Decimal(f"{number.integer}.{number.decimals or '0'}")
    except InvalidOperation:
        return "digits:" + re.sub(r"\D", "", raw)
    name = (scale or "").lower()
    exponent = _SCALES[lang].get(name, _ABBREVIATED.get(name, 0))
    return format((value * (Decimal(10) ** exponent)).normalize(), "f")


def _spaced(text: str) -> str:
    """No-break and thin spaces as plain ones: "29\u00a0de septiembre" is a date too."""
    return re.sub(r"[\u00a0\u2009\u202f]", " ", text)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _dates(text: str, lang: str) -> tuple[Counter[DateKey], dict[DateKey, str], str]:
    """The dates a text writes as (month, day, year), how each was first written, and the text
    with them blanked out so that their days and years are not read again as numbers."""
    found: Counter[DateKey] = Counter()
    written: dict[DateKey, str] = {}
    spans: list[tuple[int, int]] = []
    for match in _DATES[lang].finditer(text):
        if lang == "en":
            name = (match["month"] or match["month1"]).rstrip(".").casefold()
            month = _EN_MONTH_NAMES[name]
            day = match["day"] or match["day1"]
        else:
            month = _ES_MONTH_NAMES[match["month"].casefold()]
            day = match["day"]
        if lang == "en" and name == "may" and not (day or match["year"]):
            continue  # "Theresa May": a bare "May" is more often a name than a month
        key = (month, int(day) if day else None, int(match["year"]) if match["year"] else None)
        found[key] += 1
        written.setdefault(key, match.group(0))
        spans.append(match.span())
    return found, written, _blank(text, spans)


def _figures(text: str, lang: str) -> str:
    """The text with what is not compared as a number blanked out: times and decades."""
    spans = [m.span() for m in re.finditer(time_pattern(lang), text)]
    for pattern in (_DECADE[lang], *_NOT_COMPARED[lang]):
        spans += [m.span() for m in pattern.finditer(text)]
    return _blank(text, spans)


def _amounts(text: str, lang: str, style: str) -> tuple[Counter[str], dict[str, str]]:
    values: Counter[str] = Counter()
    written: dict[str, str] = {}
    text = _SPACE_GROUPED.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text)
    for match in _AMOUNTS[lang].finditer(text):
        scale = match.group(2)
        signed = match.start() > 0 and text[match.start() - 1] in "$€£"
        if scale in _ABBREVIATED and not signed:
            scale = None  # "100m" is a hundred metres; "£100m" a hundred million pounds
            if not re.match(r"\s", text[match.end(1) : match.end(1) + 1] or " "):
                continue  # a measure glued to its unit: not a bare number
        value = _value(match.group(1), scale, lang, style)
        values[value] += 1
        written.setdefault(value, match.group(0).strip())
    return values, written


def check_dates(source: str, target: str, context: QaContext) -> list[Finding]:
    """A date of the source that the translation does not have: "March 12, 2026" against
    "12 de marzo de 2026" is the same date; against "13 de marzo" it is flagged. A source-
    language date left in the translation counts as present (`check_month_names` flags its
    language instead)."""
    source, target = _spaced(source), _spaced(target)
    wanted, spans, _ = _dates(source, context.source)
    have, _, rest = _dates(target, context.target)
    left, _, _ = _dates(rest, context.source)
    missing = wanted - (have + left)
    return [
        Finding("date", spans[key], f"the date {spans[key]!r} is not in the translation")
        for key in missing
        for _ in range(missing[key])
    ]


def check_numbers(source: str, target: str, context: QaContext) -> list[Finding]:
    """Numbers whose value differs: "3.5%" = "3,5 %" and "1.2 billion" = "1,2 mil millones"
    pass; "5" against "7" is one flag, on the source's "5". A number only the translation has
    is flagged when the source has none missing to account for it."""
    source, target = _spaced(source), _spaced(target)
    _, _, source_rest = _dates(source, context.source)
    _, _, target_rest = _dates(target, context.target)
    _, _, target_rest = _dates(target_rest, context.source)
    source_rest, target_rest = (
        _figures(source_rest, context.source),
        _figures(target_rest, context.target),
    )
    if _IMPERIAL.search(source_rest) or _IMPERIAL.search(target_rest):
        source_rest = _METRIC.sub(" ", _IMPERIAL.sub(" ", source_rest))
        target_rest = _METRIC.sub(" ", _IMPERIAL.sub(" ", target_rest))
    wanted, written = _amounts(source_rest, context.source, context.style)
    have, target_written = _amounts(target_rest, context.target, context.style)
    missing, extra = wanted - have, have - wanted
    findings = [
        Finding(
            "number",
            written[value],
            f"the number {written[value]!r} of the source is not in the translation",
        )
        for value in missing
        for _ in range(missing[value])
    ]
    if not findings:
        findings = [
            Finding(
                "number",
                "",
                f"the number {target_written[value]!r} of the translation is not in the source",
            )
            for value in extra
            for _ in range(extra[value])
        ]
    return findings


def check_currencies(source: str, target: str, context: QaContext) -> list[Finding]:
    """A currency the source names (by sign, code or name) that the translation does not: "$5"
    must come out with "$", "USD" or "dólares", not as "5 euros"."""
    findings: list[Finding] = []
    source, target = _spaced(source), _spaced(target)
    for pattern in _CURRENCIES.values():
        found = re.search(pattern, source, re.IGNORECASE)
        if found and not re.search(pattern, target, re.IGNORECASE):
            span = found.group(0)
            findings.append(
                Finding("currency", span, f"the currency {span!r} is not in the translation")
            )
    return findings
