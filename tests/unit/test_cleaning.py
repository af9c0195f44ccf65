"""Boundary cleaning: only text gets in."""

from __future__ import annotations

from service.cleaning import clean_json, clean_line, clean_text, is_clean


def test_lone_surrogates_become_replacement_characters() -> None:
    assert clean_text("a\ud800b\udfffc") == "a\ufffdb\ufffdc"
    assert clean_text("a\ud800b").encode("utf-8") == "a\ufffdb".encode()


def test_controls_private_use_and_noncharacters_are_removed() -> None:
    assert clean_text("a\x00b\x01c\x0bd\x7fe\x85f\ue000g\uf8ffh\uffffi") == "abcdefghi"


def test_layout_controls_and_real_text_stay() -> None:
    text = "línea\tuno\r\ndos \u200b\u200f\u202e עברית 🙂 中文"
    assert clean_text(text) == text
    assert is_clean(text)
    assert not is_clean("a\x00")


def test_clean_line_turns_line_breaks_into_spaces() -> None:
    assert clean_line("a\tb\nc\r\u2028d\x00e") == "a b c  de"


def test_clean_json_cleans_nested_strings_and_keys() -> None:
    value = {"q\x00": ["a\ud800", {"b": "c\x01"}], "n": 3, "f": None, "t": True}
    assert clean_json(value) == {"q": ["a\ufffd", {"b": "c"}], "n": 3, "f": None, "t": True}
