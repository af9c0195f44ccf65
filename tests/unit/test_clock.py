"""Times of day: 12-hour English, 24-hour Spanish."""

from __future__ import annotations

import re

import pytest

from service.pipeline.clock import TimeSwap, single_stop, time_pattern, translate_time


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("It starts at 3 p.m. on Sunday.", "at 3 p.m.", "a las 15:00"),
        ("Just before 7 a.m. near the beach.", "7 a.m.", "las 7:00"),
        ("Play began at 12:55 p.m.", "at 12:55 p.m", "a las 12:55"),
        ("at 12 a.m. sharp", "at 12 a.m.", "a las 0:00"),
    ],
)
def test_english_times(text: str, span: str, value: str) -> None:
    found = re.search(time_pattern("en"), text)
    assert found is not None and found.group(0) == span
    assert translate_time(span, "en") == TimeSwap("", value)


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("El partido es a las 15:00 en Londres.", "a las 15:00", "at 3 p.m."),
        ("Fue encontrada a las 7:55 con heridas.", "a las 7:55", "at 7:55 a.m."),
        ("Ocurrió hacia las 19:30.", "hacia las 19:30", "around 7:30 p.m."),
        ("Cierra a las 20.00 del lunes.", "a las 20.00", "at 8 p.m."),
        ("Empieza a las 12:05.", "a las 12:05", "at 12:05 p.m."),
    ],
)
def test_spanish_times(text: str, span: str, value: str) -> None:
    found = re.search(time_pattern("es"), text)
    assert found is not None and found.group(0) == span
    assert translate_time(span, "es") == TimeSwap("", value)


def test_not_times() -> None:
    assert re.search(time_pattern("es"), "el 20.000 de ellos y las 25:00") is None
    assert translate_time("tomorrow", "en") is None


def test_single_stop() -> None:
    assert single_stop("It was at 10:15 a.m..") == "It was at 10:15 a.m."
    assert single_stop("at 3 p.m. on Sunday.") == "at 3 p.m. on Sunday."
