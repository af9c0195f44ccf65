"""The segment a suggestion is about: the same text typed with other spacing is the same
segment, and so the same article; another direction or text is another."""

from __future__ import annotations

from service.pipeline.suggest import ID_PREFIX, suggestion_id, tidy


def test_tidy_keeps_paragraphs_and_drops_stray_whitespace() -> None:
    assert tidy("  The mayor\t spoke.  ") == "The mayor spoke."
    assert tidy("One.\r\n\r\n\r\n\n  Two.\n") == "One.\n\nTwo."
    assert tidy("A line\nand the next") == "A line\nand the next"
    assert tidy(" \n\t ") == ""


def test_ids_depend_on_the_direction_and_the_tidied_text() -> None:
    one = suggestion_id("en", "es", tidy("The mayor  spoke."))
    assert one == suggestion_id("en", "es", tidy(" The mayor spoke. "))
    assert one.startswith(ID_PREFIX) and len(one) == len(ID_PREFIX) + 32
    assert one != suggestion_id("es", "en", "The mayor spoke.")
    assert one != suggestion_id("en", "es", "The mayor spoke!")
