"""Queue triage facts: the source's length in words and a state that says what readers get."""

from __future__ import annotations

import pytest

from service.store.triage import state_label, word_count


def test_words_count_the_title_and_the_text_of_the_markup() -> None:
    body = "<h2>Late news</h2><p>The <a href='https://example.org/x'>talks</a> end.</p>"
    assert word_count("Talks end in Paris", body, "html") == 4 + 2 + 3
    assert word_count("Title", "Line one.\nLine two, well-known.", "text") == 1 + 5
    assert word_count("", "", "html") == 0


@pytest.mark.parametrize(
    ("state", "approved", "newer", "label"),
    [
        ("machine_draft", False, False, "Machine draft"),
        ("rejected", False, False, "Rejected"),
        ("rejected", True, False, "Approved (rejected draft newer)"),
        ("in_review", True, False, "Approved (newer draft in review)"),
        ("approved", True, True, "Approved (newer machine draft)"),
        ("approved", True, False, "Approved"),
    ],
)
def test_the_state_label_is_honest_about_a_live_approval(
    state: str, approved: bool, newer: bool, label: str
) -> None:
    assert state_label(state, approved, newer) == label
