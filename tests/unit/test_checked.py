"""checked_pairs: the memory learns changed sentences and confirmed paragraphs only."""

from __future__ import annotations

import pytest

from service.store.checked import Confirmed, ConfirmOutOfRange, Texts, checked_pairs

SOURCE = Texts("Talks open", None, "<p>One is here. Two is there.</p><p>Three is near.</p>")
MACHINE = Texts("CHARLAS", None, "<p>UNO ESTÁ. DOS ESTÁ.</p><p>TRES ESTÁ.</p>")
APPROVED = Texts("CHARLAS", None, "<p>UNO ESTÁ. Dos está allí.</p><p>TRES ESTÁ.</p>")


def _pairs(confirmed: Confirmed = None, machine: Texts | None = MACHINE) -> list[tuple[str, str]]:
    return checked_pairs(SOURCE, APPROVED, machine, "html", "en", "es", confirmed)


def test_only_changed_sentences_by_default() -> None:
    assert _pairs() == [("Two is there.", "Dos está allí.")]


def test_a_confirmed_paragraph_adds_its_machine_sentences() -> None:
    assert _pairs([1]) == [("Two is there.", "Dos está allí."), ("Three is near.", "TRES ESTÁ.")]


def test_all_adds_the_title_and_every_paragraph() -> None:
    assert _pairs("all") == [
        ("Talks open", "CHARLAS"),
        ("One is here.", "UNO ESTÁ."),
        ("Two is there.", "Dos está allí."),
        ("Three is near.", "TRES ESTÁ."),
    ]


def test_without_a_machine_draft_everything_is_a_persons() -> None:
    assert len(_pairs(machine=None)) == 4


def test_a_paragraph_out_of_range_is_refused() -> None:
    with pytest.raises(ConfirmOutOfRange) as raised:
        _pairs([5])
    assert raised.value.message == (
        "confirm: paragraph 5 is out of range (the body has 2 paragraphs, numbered from 0)"
    )
