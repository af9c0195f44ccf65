"""Near matches from the translation memory: scored, thresholded, bounded."""

from __future__ import annotations

from service.store.fuzzy import best_matches, length_window

MEMORY = [
    ("Ministers from five countries attend.", "Asisten ministros de cinco países."),
    ("The talks begin in Paris on Monday.", "Las conversaciones empiezan en París el lunes."),
    ("Rain is expected.", "Se espera lluvia."),
]


def test_a_near_sentence_gets_the_closest_entry_with_its_score() -> None:
    found = best_matches(["Ministers from six countries attend."], MEMORY)
    match = found["Ministers from six countries attend."]
    assert (match.source, match.target) == MEMORY[0]
    assert 0.75 <= match.score < 1


def test_case_does_not_count_and_an_exact_match_scores_one() -> None:
    assert best_matches(["RAIN IS EXPECTED."], MEMORY)["RAIN IS EXPECTED."].score == 1.0


def test_nothing_below_the_threshold() -> None:
    assert best_matches(["The envoy will brief them on the meeting."], MEMORY) == {}


def test_the_length_window_rules_out_what_cannot_reach_the_threshold() -> None:
    low, high = length_window(100)
    assert (low, high) == (60, 167)
    # 2*6/(6+10) = 0.75: the edge is in the window; 2*5/(5+10) is not.
    words = [f"w{n}" for n in range(10)]
    query = " ".join(words)
    assert best_matches([query], [(" ".join(words[:5]), "x")]) == {}
    assert best_matches([query], [(" ".join(words[:6]), "x")])[query].score == 0.75


def test_words_are_compared_not_characters() -> None:
    assert best_matches(["abcdefghij klm"], [("abcdefghik klm", "x")]) == {}
    assert best_matches(["Five ministers, today."], [("five ministers today", "x")]) != {}


def test_the_budget_bounds_the_work() -> None:
    memory = [(f"Ministers from {n} countries attend.", f"{n}") for n in range(100, 200)]
    assert best_matches(["Ministers from 150 countries attend."], memory, budget=0) == {}
    assert (
        best_matches(["Ministers from 150 countries attend."], memory)[
            "Ministers from 150 countries attend."
        ].target
        == "150"
    )
