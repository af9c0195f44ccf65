"""Paragraphs made of styled runs (Word runs, OpenDocument text nodes), translated paragraph by
paragraph so the engine sees whole sentences, with each run's share of the translation put back
in that run so its style (bold, italic, a link) stays with it.

Each run travels as `<span class="rN">`: the pipeline carries inline elements from a source
sentence to its translation (`service.document.inline`), and the run's text comes back inside
its span. Text the pipeline left between spans joins the run before it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TypeVar

from lxml import html as lxml_html

from service.pipeline.files.base import TranslateTexts

_RUN_CLASS = re.compile(r"^r(\d+)$")
Run = TypeVar("Run")


def _as_html(runs: list[str]) -> str:
    spans = "".join(
        f'<span class="r{index}">{html.escape(text, quote=False)}</span>'
        for index, text in enumerate(runs)
        if text
    )
    return f"<p>{spans}</p>"


def _from_html(translated: str, count: int) -> list[str]:
    out = [""] * count
    root = lxml_html.fragment_fromstring(translated, create_parent="div")
    current = 0

    def visit(element: lxml_html.HtmlElement) -> None:
        nonlocal current
        match = _RUN_CLASS.match(element.get("class", "")) if element.tag == "span" else None
        if match and int(match.group(1)) < count:
            current = int(match.group(1))
        if element.text:
            out[current] += element.text
        for child in element:
            visit(child)
            if child.tail:
                out[current] += child.tail

    visit(root)
    return out


def translate_runs(paragraphs: list[list[str]], translate: TranslateTexts) -> list[list[str]]:
    """Each paragraph's runs translated; a paragraph with no words is left as it is."""
    wanted = [i for i, runs in enumerate(paragraphs) if "".join(runs).strip()]
    translations = translate([_as_html(paragraphs[i]) for i in wanted], "html") if wanted else []
    result = [list(runs) for runs in paragraphs]
    for index, translated in zip(wanted, translations, strict=True):
        result[index] = _from_html(translated, len(paragraphs[index]))
    return result


def translate_in_place(
    paragraphs: list[list[Run]],
    text_of: Callable[[Run], str],
    write: Callable[[Run, str], None],
    translate: TranslateTexts,
) -> None:
    """Each paragraph's runs (a format's own objects: XML elements, text nodes) translated and
    their new text written back with `write`, so a format says only where its runs are."""
    translated = translate_runs([[text_of(run) for run in runs] for runs in paragraphs], translate)
    for runs, texts in zip(paragraphs, translated, strict=True):
        for run, text in zip(runs, texts, strict=True):
            write(run, text)
