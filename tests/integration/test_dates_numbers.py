"""Dates, numbers and numeric compounds through the real pipeline on Apertium (the path of
`newsdesk translate --lines`), on the sentences of tests/data/dates_numbers.jsonl."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.config import Settings
from service.pipeline.text import translate_lines
from service.runtime import Runtime
from tests.helpers.apertium_marks import needs_apertium
from tests.helpers.dates_numbers import load_cases

pytestmark = [needs_apertium, pytest.mark.apertium]

# Of each 30 sentences per direction and split, this many must read as a newsroom writes them.
REQUIRED = 27


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    data_dir: Path = tmp_path_factory.mktemp("dates-numbers")
    settings = Settings(data_dir=data_dir, engine_preference="apertium", cache_backend="none")
    rt = Runtime.open(settings, summaries=False)
    yield rt
    rt.close()


@pytest.mark.parametrize("split", ["dev", "unseen"])
@pytest.mark.parametrize("direction", ["en-es", "es-en"])
def test_dates_and_numbers_read_as_a_newsroom_writes_them(
    runtime: Runtime, direction: str, split: str
) -> None:
    cases = [c for c in load_cases() if c.direction == direction and c.split == split]
    assert len(cases) == 30
    source, target = cases[0].pair
    lines = [case.source for case in cases]
    translations = list(translate_lines(runtime.pipeline, lines, source, target, "text"))
    wrong = [
        (case.id, text)
        for case, text in zip(cases, translations, strict=True)
        if not case.is_right(text)
    ]
    assert len(cases) - len(wrong) >= REQUIRED, wrong
