"""Runs of a paragraph go to the translation as spans and come back each to its run."""

from __future__ import annotations

import re

from service.pipeline.files.runs import translate_runs


def _upper(texts: list[str], fmt: str) -> list[str]:
    assert fmt == "html"
    return [re.sub(r">([^<]*)<", lambda m: ">" + m.group(1).upper() + "<", t) for t in texts]


def test_each_run_gets_its_own_translation() -> None:
    paragraphs = [["The ", "bold", " word & <more>"], ["", "  "], ["Alone"]]
    assert translate_runs(paragraphs, _upper) == [
        ["THE ", "BOLD", " WORD & <MORE>"],
        ["", "  "],  # no words: not sent
        ["ALONE"],
    ]


def test_text_outside_the_spans_joins_the_run_before_it() -> None:
    def moved(texts: list[str], fmt: str) -> list[str]:
        return ['<p>Lead <span class="r0">uno</span> between <span class="r1">dos</span> end</p>']

    assert translate_runs([["one", "two"]], moved) == [["Lead uno between ", "dos end"]]


def test_a_run_the_translation_dropped_is_left_empty() -> None:
    def dropped(texts: list[str], fmt: str) -> list[str]:
        return ['<p><span class="r0">todo</span></p>']

    assert translate_runs([["all", "of it"]], dropped) == [["todo", ""]]
