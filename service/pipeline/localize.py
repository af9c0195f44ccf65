"""Dates and numbers around the engine: what each engine is given, and what the target's
newsroom reads afterwards.

Apertium reads numerals itself: a number is agreement and syntax to it ("15 years" -> "15
años", "About 12,000 people" -> "Aproximadamente"), and a placeholder in a number's place breaks
that ("de ZZ0ZZ los años"), so Apertium gets the digits, which it copies through as written,
and the pipeline rewrites them in the target's style afterwards, reporting any it lost. English
numeric compounds and amounts of money are unfolded for it before ("a plan of 22 points", "4.5
million dollars") and its English folded after ("a 22-point plan", "$4.5 million"). Seq2seq
models make digits up, so they keep placeholders for numbers, restored in the target's style,
and write compounds and amounts themselves. Dates, times of day and English years standing
alone go out as placeholders for every engine and come back written by `dates` and `clock`.

Everything after the engine runs after the cache: a cached output is the engine's answer to
exactly the text it was given, so a change of house style or of these rules never serves a
stale text. The article cache keys on `RULES` and the house style (`ArticlePipeline`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.pipeline import clock, compounds, dates, money, numbers

# Names this module's rules in the article-cache key: whole answers are cached after them.
RULES = "numbers-1"

_PER_CENT = re.compile(rf"({numbers.NUMBER}) (?:por ciento|percent|per cent)\b")


@dataclass(frozen=True)
class NumberRules:
    """What one pair does with dates and numbers. `digits_through`: the engine reads numbers
    itself (Apertium) rather than as placeholders."""

    source: str
    target: str
    style: str = "es-ES"
    digits_through: bool = False

    def date_pattern(self) -> str:
        """Dates and times of day: what goes through the engine as a placeholder."""
        return f"{clock.time_pattern(self.source)}|{dates.date_pattern(self.source)}"

    def before(self, text: str) -> str:
        """The source as this engine translates it best (numeric compounds unfolded)."""
        if self.digits_through and self.source == "en":
            return money.unfold(compounds.unfold(text))
        return text

    def date(self, span: str, before: str, after: str) -> dates.DateSwap | None:
        """What replaces a date or time span found between `before` and `after`, if it is
        one: the text kept for the engine, and the placeholder's value."""
        time = clock.translate_time(span, self.source)
        if time is not None:
            return dates.DateSwap(time.before, time.value)
        return dates.translate_date(span, before, self.source, self.target, after)

    def number(self, text: str) -> str:
        """A protected number's value as the target writes it."""
        return numbers.convert_number(text, self.source, self.target, self.style)

    def engine_numbers(self, protected: str) -> tuple[str, ...]:
        """The numbers the engine is given as digits (none where they are placeholders)."""
        return tuple(numbers.numbers_in(protected)) if self.digits_through else ()

    def restyle(self, output: str, given: tuple[str, ...]) -> numbers.Restyled:
        """The engine's output with the numbers it was given written for the target (before
        placeholders are restored, so a date or a link is never rewritten)."""
        return numbers.restyle_numbers(output, list(given), self.source, self.target, self.style)

    def after(self, text: str) -> str:
        """The restored translation as the target's newsroom writes it."""
        if self.target == "es":
            text = money.spanish_amounts(dates.contract(text))
            text = _PER_CENT.sub(lambda m: f"{m.group(1)} %", text)
        else:
            text = clock.single_stop(_PER_CENT.sub(lambda m: f"{m.group(1)}%", text))
            if self.digits_through:
                text = money.fold(compounds.fold(text))
        return numbers.percent_spacing(text, self.target, self.style)
