"""The Apertium stream format: stand-ins for reserved characters, numbered chunks, and the check
that an answer is exactly the chunk it is taken for (no Apertium needed)."""

from __future__ import annotations

import pytest

from service.engines.apertium import RESERVED, answer_body, chunk, from_stream, to_stream


def test_stand_ins_leave_no_reserved_character_and_come_back() -> None:
    text = r"a [b] c\d ^e$ f/g @h <i> {j} k~l *m #n ^$@*#/<>[]{}\~"
    assert not any(char in RESERVED for char in to_stream(text))
    assert from_stream(to_stream(text)) == text


def test_pipeline_superblanks_are_unwrapped_and_word_bound_blanks_dropped() -> None:
    assert from_stream("La [[t:b:x]]casa[[/]] es roja.[][\n]") == "La casa es roja.\n"


def test_a_chunk_is_its_number_the_content_and_a_nul() -> None:
    assert chunk(7, "The house.") == b"[<nd:7>]The house.[][\n][</nd:7>]\0"


def test_the_answer_of_the_expected_chunk_is_accepted() -> None:
    assert answer_body(b"[<nd:7>]La casa.[][\n][</nd:7>]", 7) == b"La casa.[][\n]"
    assert answer_body(b"[<nd:7>][</nd:7>]", 7) == b""


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(b"[<nd:8>]La casa.[</nd:8>]", id="another chunk's"),
        pytest.param(b"[<nd:7>]Hola", id="first part of a chunk"),
        pytest.param(b" El alcalde.[</nd:7>]", id="last part of a chunk"),
        pytest.param(b"La casa.", id="no marks"),
        pytest.param(b"[<nd:7>]La casa.[</nd:7>][<nd:8>]Hola[</nd:8>]", id="two chunks"),
        pytest.param(b"[<nd:7>]La casa.[</nd:7>]x[</nd:7>]", id="end mark twice"),
        pytest.param(b"[<nd:7>]La [<nd:8>]casa.[</nd:7>]", id="a mark inside"),
        pytest.param(b"[<nd:7>]La casa[</nd:8>]", id="merged into the next"),
        pytest.param(b"[<nd:70>]La casa.[</nd:70>]", id="a number that starts alike"),
        pytest.param(b"", id="empty"),
    ],
)
def test_any_other_answer_is_refused(answer: bytes) -> None:
    assert answer_body(answer, 7) is None
