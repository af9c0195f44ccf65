"""Telling a head noun from what ends a noun phrase, without a tagger."""

from __future__ import annotations

from service.pipeline.words import head_after


def test_head_after() -> None:
    assert head_after("peace", "plan") == ("peace plan", "")
    assert head_after("truce", "held") == ("truce", " held")
    assert head_after("man", "died") == ("man", " died")
    assert head_after("speed", "limit") == ("speed limit", "")
    assert head_after("statement", "late") == ("statement", " late")
    assert head_after("plan", None) == ("plan", "")
    assert head_after("was", "arrested") is None
    assert head_after("quickly", None) is None
