"""Amounts of money: sign before in English, currency named after in Spanish."""

from __future__ import annotations

from service.pipeline.money import fold, spanish_amounts, unfold


def test_unfold() -> None:
    assert unfold("It earned $4.5 million.") == "It earned 4.5 million dollars."
    assert unfold("a fine of €300 and £2 billion") == "a fine of 300 euros and 2 billion pounds"
    assert unfold("US$12,000") == "12,000 dollars"
    assert unfold("the $ sign, $4.5m") == "the $ sign, $4.5m"
    assert unfold("The $1.2 billion deal was") == "The deal of 1.2 billion dollars was"
    assert unfold("a $300 fine") == "a fine of 300 dollars"
    assert unfold("the $5 million that") == "the 5 million dollars that"


def test_fold() -> None:
    assert fold("It won 4.5 million dollars.") == "It won $4.5 million."
    assert fold("It cost 3 billion of euros.") == "It cost €3 billion."
    assert fold("20 pounds") == "£20"
    assert fold("dollars and euros") == "dollars and euros"


def test_spanish_amounts() -> None:
    assert spanish_amounts("Ganó 4,5 miles de millones dólares.") == (
        "Ganó 4,5 mil millones de dólares."
    )
