"""QA: loops and lengths far from the source's."""

from __future__ import annotations

from service.pipeline.qa.shape import check_length, check_repeats


def test_a_loop_is_flagged_once() -> None:
    found = check_repeats("The talks went on.", "Las conversaciones de la de la de la siguieron.")
    assert [f.kind for f in found] == ["repeat"]
    assert "'de la'" in found[0].message


def test_a_repeat_the_source_has_too_is_not_a_loop() -> None:
    assert check_repeats("No, no, no, he said.", "No, no, no, dijo.") == []


def test_lengths_far_from_the_source_are_flagged() -> None:
    source = "The committee approved the budget after a long debate."
    assert check_length(source, "El comité aprobó el presupuesto tras un largo debate.") == []
    assert [f.kind for f in check_length(source, "El comité.")] == ["length"]
    assert [f.kind for f in check_length(source, source * 3)] == ["length"]


def test_short_sources_are_not_measured() -> None:
    assert check_length("Yes.", "Sí, efectivamente así es.") == []
