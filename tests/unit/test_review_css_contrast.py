"""The review page's colours meet WCAG 2.1 contrast, computed from review.css itself so a colour
change cannot regress it unseen: 3:1 for UI components (the focus ring, the diff highlights
against the card), 4.5:1 for text (body, muted and badge text, diff text on its highlight)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "service" / "web" / "static" / "review.css"
UI, TEXT = 3.0, 4.5


def _rules(css: str) -> dict[str, dict[str, str]]:
    """selector -> declarations, for the rules not nested in @media (later ones win)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = {
            name.strip(): value.strip()
            for name, _, value in (d.partition(":") for d in body.split(";"))
            if value.strip()
        }
        for selector in selectors.split(","):
            rules.setdefault(" ".join(selector.split()), {}).update(declarations)
    return rules


RULES = _rules(CSS.read_text(encoding="utf-8"))
ROOT = RULES[":root"]


def _colour(value: str) -> str:
    """A declaration's colour as #rrggbb: var(--x) resolved, the colour picked out of a
    shorthand like `3px solid var(--focus)`."""
    for _ in range(5):
        value = re.sub(r"var\((--[\w-]+)\)", lambda m: ROOT[m.group(1)], value)
    found = re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value)
    assert found, f"no colour in {value!r}"
    hex_ = found.group(0)[1:]
    return "#" + ("".join(c * 2 for c in hex_) if len(hex_) == 3 else hex_).lower()


def _get(selector: str, prop: str) -> str:
    return _colour(RULES[selector][prop])


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_ratio_is_wcags() -> None:
    # The old yellow ring on the page background, as issue 11 measured it.
    assert contrast("#ffbf47", "#f6f7f8") == pytest.approx(1.53, abs=0.01)
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _colour("3px solid var(--focus)") == _colour(ROOT["--focus"])


def test_the_focus_ring_stands_out_wherever_it_is_drawn() -> None:
    ring = _get(":focus-visible", "outline")
    for background in (_colour(ROOT["--bg"]), _colour(ROOT["--card"])):
        assert contrast(ring, background) >= UI, (ring, background)
    on_dark = _get(".top :focus-visible", "outline-color")
    assert contrast(on_dark, _get(".top", "background")) >= UI


@pytest.mark.parametrize("tag", ["ins", "del"])
def test_diff_highlights_are_visible_and_their_text_readable(tag: str) -> None:
    highlight = _get(tag, "background")
    assert contrast(highlight, _get(".diff-body", "background")) >= UI
    assert contrast(_get(tag, "color"), highlight) >= TEXT


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("--ink", "--bg"),
        ("--ink", "--card"),
        ("--muted", "--bg"),
        ("--muted", "--card"),
        ("--accent", "--bg"),
        ("--warn", "--bg"),
    ],
)
def test_text_colours_read_on_the_page(text: str, background: str) -> None:
    assert contrast(_colour(ROOT[text]), _colour(ROOT[background])) >= TEXT


@pytest.mark.parametrize(
    "selector", [".prov", ".prov-tm", ".prov-human", ".prov-mixed", ".prov-suggestion"]
)
def test_badge_text_reads_on_the_badge(selector: str) -> None:
    rule = RULES[selector]
    background = _colour(rule.get("background") or RULES[".prov"]["background"])
    colour = _colour(rule.get("color") or RULES[".prov"]["color"])
    assert contrast(colour, background) >= TEXT, selector
