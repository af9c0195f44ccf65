"""QA over a whole version: where each flag is, and the engine's dropped spans."""

from __future__ import annotations

from service.pipeline.qa.flags import QaContext, QaFlag
from service.pipeline.qa.version import check_version, unchanged_dropped

CONTEXT = QaContext("en", "es")
SOURCE = {
    "title": "Council hosted a vote",
    "lede": None,
    "body": '<p>It hired 45 staff.</p><p>See <a href="https://example.org/a">the list</a>.</p>',
    "summary": None,
}


def _where(flags: list[QaFlag]) -> list[tuple[str, int | None, str]]:
    return [(f.field, f.paragraph, f.kind) for f in flags]


def test_flags_name_their_field_and_paragraph() -> None:
    target = {
        "title": "El consejo hosted una votación",
        "lede": None,
        "body": "<p>Contrató a 54 empleados.</p><p>Vea la lista.</p>",
        "summary": None,
    }
    flags = check_version(SOURCE, target, "html", CONTEXT)
    assert _where(flags) == [
        ("title", None, "untranslated"),
        ("body", 0, "number"),
        ("body", 1, "link"),
    ]


def test_a_clean_translation_has_no_flags() -> None:
    target = {
        "title": "El consejo celebró una votación",
        "lede": None,
        "body": '<p>Contrató a 45 empleados.</p><p>Vea <a href="https://example.org/a">la lista</a>.</p>',
        "summary": None,
    }
    assert check_version(SOURCE, target, "html", CONTEXT) == []


def test_a_dropped_span_is_a_flag_unless_another_flag_reports_it() -> None:
    target = {
        "title": "El consejo celebró una votación",
        "lede": None,
        "body": '<p>Contrató a empleados.</p><p>Vea <a href="https://example.org/a">la lista</a>.</p>',
        "summary": None,
    }
    dropped = {("body", 0): ["45"], ("title", None): ["ZONA"]}
    flags = check_version(SOURCE, target, "html", CONTEXT, dropped)
    assert _where(flags) == [("body", 0, "number"), ("title", None, "dropped")]


def test_dropped_spans_carry_over_only_where_the_save_changed_nothing() -> None:
    before = {"title": "T", "lede": None, "body": "<p>Uno.</p><p>Dos.</p>", "summary": None}
    after = {"title": "T", "lede": None, "body": "<p>Uno.</p><p>Dos, editado.</p>", "summary": None}
    previous = [
        {"field": "body", "paragraph": 0, "kind": "dropped", "source": "a"},
        {"field": "body", "paragraph": 1, "kind": "dropped", "source": "b"},
        {"field": "title", "paragraph": None, "kind": "dropped", "source": "c"},
        {"field": "body", "paragraph": 0, "kind": "number", "source": "5"},
    ]
    assert unchanged_dropped(previous, before, after, "html") == {
        ("body", 0): ["a"],
        ("title", None): ["c"],
    }
