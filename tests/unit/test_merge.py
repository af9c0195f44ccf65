"""The three-way merge of an editor's save with the saves made since its base revision."""

from __future__ import annotations

from service.store.merge import Conflicts, Sides, merge, merge_body, mine_in_conflicts

BASE = "<p>Uno.</p><p>Dos.</p><p>Tres.</p>"


def _body(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def test_changes_to_different_paragraphs_are_both_kept() -> None:
    theirs = _body("Uno editado.", "Dos.", "Tres.")
    mine = _body("Uno.", "Dos.", "Tres editado.")
    assert merge_body(BASE, theirs, mine, "html") == (
        _body("Uno editado.", "Dos.", "Tres editado."),
        (),
        False,
    )


def test_the_same_paragraph_changed_differently_conflicts() -> None:
    theirs = _body("Uno de ellos.", "Dos de ellos.", "Tres.")
    mine = _body("Uno mío.", "Dos de ellos.", "Tres mío.")
    body, conflicts, frame = merge_body(BASE, theirs, mine, "html")
    assert conflicts == (0,) and not frame
    assert body == _body("Uno de ellos.", "Dos de ellos.", "Tres mío.")  # theirs stands in ¶0


def test_one_side_unchanged_takes_the_other_whole() -> None:
    changed = _body("Uno.", "Dos y más.")  # a paragraph fewer
    assert merge_body(BASE, BASE, changed, "html") == (changed, (), False)
    assert merge_body(BASE, changed, BASE, "html") == (changed, (), False)


def test_a_paragraph_count_change_against_edits_conflicts_as_the_body() -> None:
    theirs = _body("Uno.", "Dos y más.")
    mine = _body("Uno mío.", "Dos.", "Tres.")
    assert merge_body(BASE, theirs, mine, "html") == (theirs, (), True)


def test_a_frame_change_on_one_side_is_kept_with_the_others_paragraphs() -> None:
    base = '<p>Uno.</p><figure><img src="a.jpg" alt="Foto"><figcaption>Pie.</figcaption></figure>'
    theirs = base.replace("Foto", "Una foto")
    mine = base.replace("Uno.", "Uno mío.")
    merged, conflicts, frame = merge_body(base, theirs, mine, "html")
    assert (conflicts, frame) == ((), False)
    assert merged == theirs.replace("Uno.", "Uno mío.")
    both = merge_body(base, theirs, base.replace("Foto", "Otra"), "html")
    assert both[2] is True


def test_text_bodies_merge_by_line() -> None:
    base = "Uno.\n\nDos."
    assert merge_body(base, "Uno bis.\n\nDos.", "Uno.\n\nDos bis.", "text")[0] == (
        "Uno bis.\n\nDos bis."
    )


def test_fields_merge_on_their_own() -> None:
    base = Sides("Título", None, BASE, "Resumen")
    theirs = Sides("Título de ellos", None, BASE, "Resumen")
    mine = Sides("Título", None, _body("Uno.", "Dos mío.", "Tres."), "Resumen mío")
    result = merge(base, theirs, mine, "html")
    assert result.conflicts == Conflicts() and not result.conflicts
    assert result.texts == Sides("Título de ellos", None, mine.body, "Resumen mío")
    clash = merge(base, theirs, Sides("Mi título", None, BASE, "Resumen"), "html")
    assert clash.conflicts == Conflicts((), ("title",)) and clash.texts.title == "Título de ellos"


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    same = _body("Uno igual.", "Dos.", "Tres.")
    assert merge_body(BASE, same, same, "html") == (same, (), False)
    theirs = _body("Uno igual.", "Dos de ellos.", "Tres.")
    mine = _body("Uno igual.", "Dos.", "Tres mío.")
    assert merge_body(BASE, theirs, mine, "html")[0] == _body(
        "Uno igual.", "Dos de ellos.", "Tres mío."
    )


def test_the_page_shows_mine_in_the_conflicts_and_the_merge_elsewhere() -> None:
    base = Sides("Título", None, BASE, "Resumen")
    theirs = Sides("Su título", None, _body("Uno suyo.", "Dos suyo.", "Tres."), "Resumen")
    mine = Sides("Mi título", None, _body("Uno mío.", "Dos.", "Tres mío."), "Resumen")
    result = merge(base, theirs, mine, "html")
    assert result.conflicts == Conflicts((0,), ("title",))
    assert mine_in_conflicts(result, mine, "html") == Sides(
        "Mi título", None, _body("Uno mío.", "Dos suyo.", "Tres mío."), "Resumen"
    )
