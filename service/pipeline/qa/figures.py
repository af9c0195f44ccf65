"""Numbers, dates and amounts of money that differ between a source and its translation.

Both sides are read in their own language's conventions before they are compared (the
pipeline's `numbers` and `dates` know how each house style writes them): "3.5%" is "3,5 %",
"12,000" is "12.000", "March 12, 2026" is "12 de marzo de 2026" and "$4.5 million" is "4,5
millones de dólares". What is compared is the value, never the writing.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from service.pipeline.dates import date_pattern, parse_date
from service.pipeline.numbers import NUMBER, read_number
from service.pipeline.qa.flags import Finding, QaContext

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
_AMOUNTS = {
    lang: re.compile(rf"({NUMBER})(?:\s+({'|'.join(sorted(scales, key=len, reverse=True))})\b)?")
    for lang, scales in _SCALES.items()
}
# Each currency by the ways either language writes it.
_CURRENCIES: dict[str, str] = {
    "dollar": r"US\$|\$|\bdollars?\b|\bdólar(?:es)?\b",
    "euro": r"€|\beuros?\b",
    "pound": r"£|\bpounds? sterling\b|\blibras? esterlinas?\b",
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
    exponent = _SCALES[lang].get((scale or "").lower(), 0)
    return format((value * (Decimal(10) ** exponent)).normalize(), "f")


def _dates(text: str, lang: str) -> tuple[Counter[tuple[int, int | None, int | None]], str]:
    """The dates a text writes (month, day, year), and the text with those dates blanked out so
    that their days and years are not read again as numbers."""
    found: Counter[tuple[int, int | None, int | None]] = Counter()
    spans: list[tuple[int, int]] = []
    for match in re.finditer(date_pattern(lang), text):
        date = parse_date(match.group(0), lang)
        if date is None:
            continue
        found[(date.month, date.day, date.year)] += 1
        spans.append(match.span())
    for start, end in reversed(spans):
        text = text[:start] + " " * (end - start) + text[end:]
    return found, text


def _date_spans(text: str, lang: str) -> dict[tuple[int, int | None, int | None], str]:
    spans: dict[tuple[int, int | None, int | None], str] = {}
    for match in re.finditer(date_pattern(lang), text):
        date = parse_date(match.group(0), lang)
        if date is not None:
            span = match.group(0).strip()
            if date.lead and span.startswith(date.lead + " "):
                span = span[len(date.lead) + 1 :]  # "on March 12": the date is "March 12"
            spans.setdefault((date.month, date.day, date.year), span)
    return spans


def _amounts(text: str, lang: str, style: str) -> tuple[Counter[str], dict[str, str]]:
    values: Counter[str] = Counter()
    written: dict[str, str] = {}
    for match in _AMOUNTS[lang].finditer(text):
        value = _value(match.group(1), match.group(2), lang, style)
        values[value] += 1
        written.setdefault(value, match.group(0))
    return values, written


def check_dates(source: str, target: str, context: QaContext) -> list[Finding]:
    """A date of the source that the translation does not have: "March 12, 2026" against
    "12 de marzo de 2026" is the same date; against "13 de marzo" it is flagged. A source-
    language date left in the translation counts as present (`check_month_names` flags its
    language instead)."""
    wanted, _ = _dates(source, context.source)
    have, rest = _dates(target, context.target)
    left, _ = _dates(rest, context.source)
    missing = wanted - (have + left)
    spans = _date_spans(source, context.source)
    return [
        Finding("date", spans[key], f"the date {spans[key]!r} is not in the translation")
        for key in missing
        for _ in range(missing[key])
    ]


def check_numbers(source: str, target: str, context: QaContext) -> list[Finding]:
    """Numbers whose value differs: "3.5%" = "3,5 %" and "1.2 billion" = "1,2 mil millones"
    pass; "5" against "7" is one flag, on the source's "5". A number only the translation has
    is flagged when the source has none missing to account for it."""
    _, source_rest = _dates(source, context.source)
    _, target_rest = _dates(target, context.target)
    _, target_rest = _dates(target_rest, context.source)
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
    """A currency the source names (by sign or name) that the translation does not: "$5" must
    come out with "$" or "dólares", not as "5 euros"."""
    findings: list[Finding] = []
    for pattern in _CURRENCIES.values():
        found = re.search(pattern, source, re.IGNORECASE)
        if found and not re.search(pattern, target, re.IGNORECASE):
            span = found.group(0)
            findings.append(
                Finding("currency", span, f"the currency {span!r} is not in the translation")
            )
    return findings
