"""Numeric compounds unfolded for Apertium and folded back in its English."""

from __future__ import annotations

import pytest

from service.pipeline.compounds import fold, plural, unfold


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("He presented a 22-point plan.", "He presented a plan of 22 points."),
        ("The 30-day truce held.", "The truce of 30 days held."),
        ("A 15-year-old boy was hurt.", "A boy of 15 years was hurt."),
        ("a five-year plan", "a plan of five years"),
        ("the 1,200-kilometre front line", "the front line of 1,200 kilometres"),
        ("a 22-point peace plan that", "a peace plan of 22 points that"),
        ("an 8-year plan to", "a plan of 8 years to"),
        ("a 10-day inquiry", "an inquiry of 10 days"),
        ("a one-day visit", "a visit of one day"),
        ("a 20-person team", "a team of 20 people"),
        ("a 3-party coalition", "a coalition of 3 parties"),
        ("the 2018 election was close", "the election of 2018 was close"),
        ("a 22-point plan cost", "a plan of 22 points cost"),
        ("A 65-year-old man died", "A man of 65 years died"),
        ("a 30-day speed limit", "a speed limit of 30 days"),
        ("a 15-year-old was arrested", "a youngster of 15 years was arrested"),
        (
            "two 18-year-olds and an 80-year-old",
            "two youngsters of 18 years and a person of 80 years",
        ),
        ("The 45-year-old, a teacher", "The person of 45 years, a teacher"),
    ],
)
def test_unfold(before: str, after: str) -> None:
    assert unfold(before) == after


@pytest.mark.parametrize(
    "unchanged",
    [
        "a 3-0 win",
        "a two-thirds majority",
        "Three-times winner",
    ],
)
def test_unfold_leaves_what_is_no_compound_of_a_noun(unchanged: str) -> None:
    assert unfold(unchanged) == unchanged


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("It presented a plan of 22 points.", "It presented a 22-point plan."),
        ("A boy of 15 years was hurt.", "A 15-year-old boy was hurt."),
        ("The cease-fire of 30 days held.", "The 30-day cease-fire held."),
        ("An agreement of five years.", "A five-year agreement."),
        ("a trip of 8 days", "an 8-day trip"),
        ("a speech of 11 minutes", "an 11-minute speech"),
    ],
)
def test_fold(before: str, after: str) -> None:
    assert fold(before) == after


def test_fold_leaves_phrases_that_are_not_a_noun_of_units() -> None:
    assert fold("The line ahead of 1200 kilometres") == "The line ahead of 1200 kilometres"
    assert fold("The two men, of 30 and 35 years") == "The two men, of 30 and 35 years"
    assert fold("the end of 30 days of talks") == "the end of 30 days of talks"


def test_plural() -> None:
    assert [plural(w) for w in ("point", "storey", "party", "inch", "man")] == [
        "points",
        "storeys",
        "parties",
        "inches",
        "men",
    ]
