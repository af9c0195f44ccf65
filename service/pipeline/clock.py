"""Times of day: "at 3 p.m." <-> "a las 15:00", "before 7 a.m." -> "antes de las 7:00".

Apertium reads "7 a.m." as words ("antes de que 7 a.m. acercarse") and "a las 15:00" as
"to the 15:00". A Spanish newsroom writes the 24-hour clock ("a las 15:00", as the RAE and the
press do; El País writes "15.00", which is read too), an English one "3 p.m." (AP style: no
":00", "noon" left to the engine). Like dates, a time goes through the engine as a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "p.m." ends the time but not a sentence's final stop: "by 1 p.m." keeps its full stop.
EN_TIME = r"(?<![\w.,:])(?:[Aa]t )?(?:1[0-2]|0?[1-9])(?::[0-5]\d)? ?[ap]\.m(?:\.(?!\s*$))?(?![\w])"
ES_TIME = (
    r"(?<![\w.,:])(?:(?i:a|hacia|sobre) )?(?i:las|la) (?:[01]?\d|2[0-3])[:.][0-5]\d"
    r"(?![\w.,:]?\d)"
)

_EN_PARSE = re.compile(
    r"(?:(?P<at>[Aa]t) )?(?P<hour>\d{1,2})(?::(?P<minute>\d\d))? ?(?P<meridiem>[ap])\.m\.?"
)
_ES_PARSE = re.compile(
    r"(?:(?P<at>(?i:a|hacia|sobre)) )?(?i:las|la) (?P<hour>\d{1,2})[:.](?P<minute>\d\d)"
)
# "a las" is "at"; "hacia las", "sobre las" are "around" (Apertium: "to the 19:30").
_ES_LEADS = {"a": "at ", "hacia": "around ", "sobre": "around "}


def time_pattern(lang: str) -> str:
    """The regular expression (no capturing groups) of the times of day `lang` writes."""
    return EN_TIME if lang == "en" else ES_TIME


@dataclass(frozen=True)
class TimeSwap:
    """The placeholder's value for a time of day, and the text kept before it for the engine."""

    before: str
    value: str


def translate_time(span: str, source: str) -> TimeSwap | None:
    """ "at 3 p.m." -> "a las 15:00"; "a las 19:30" -> "at 7:30 p.m."; None if not a time."""
    if source == "en":
        found = _EN_PARSE.fullmatch(span)
        if found is None:
            return None
        hour = int(found["hour"]) % 12 + (12 if found["meridiem"] == "p" else 0)
        clock = f"las {hour}:{found['minute'] or '00'}"
        return TimeSwap("", f"a {clock}" if found["at"] else clock)
    found = _ES_PARSE.fullmatch(span)
    if found is None:
        return None
    hour, minute = int(found["hour"]), found["minute"]
    meridiem = "a.m." if hour < 12 else "p.m."
    shown = f"{hour % 12 or 12}" + ("" if minute == "00" else f":{minute}")
    value = f"{shown} {meridiem}"
    lead = _ES_LEADS[found["at"].lower()] if found["at"] else ""
    return TimeSwap("", lead + value)


_DOUBLE_STOP = re.compile(r"\b([ap]\.m\.)\.")


def single_stop(text: str) -> str:
    """ "at 10:15 a.m.." -> "at 10:15 a.m.": the abbreviation's stop is the sentence's."""
    return _DOUBLE_STOP.sub(r"\1", text)
