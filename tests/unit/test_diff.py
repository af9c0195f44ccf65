"""Revision diffs: text edits read as words, and markup changes (a link's target, an image's
alt text) show as the tag that changed instead of "no differences"."""

from __future__ import annotations

from service.store.diff import Chunk, diff_revisions, markup_diff


def _fields(body: str) -> dict[str, str | None]:
    return {"title": "Título", "lede": None, "body": body, "summary": None}


def test_a_changed_link_target_is_a_change() -> None:
    old = '<p>Lea el <a href="https://example.org/m">informe</a> completo.</p>'
    new = '<p>Lea el <a href="https://evil.example.com/phish">informe</a> completo.</p>'
    diff = diff_revisions(_fields(old), _fields(new), "html", ("r1", "r2"))
    assert diff.changed
    [paragraph] = diff.body
    assert paragraph.chunks == [
        Chunk("equal", "Lea el ", "Lea el "),
        Chunk(
            "replace",
            '<a href="https://example.org/m">',
            '<a href="https://evil.example.com/phish">',
        ),
        Chunk("equal", "informe completo.", "informe completo."),
    ]


def test_unchanged_tags_stay_out_of_a_text_edit() -> None:
    old = "<p>Lea el <em>informe</em> &amp; los anexos.</p>"
    new = "<p>Lea el <em>informe</em> &amp; sus anexos.</p>"
    [paragraph] = diff_revisions(_fields(old), _fields(new), "html", ("r1", "r2")).body
    assert [(c.op, c.a, c.b) for c in paragraph.chunks] == [
        ("equal", "Lea el informe & ", "Lea el informe & "),
        ("replace", "los", "sus"),
        ("equal", " anexos.", " anexos."),
    ]


def test_an_alt_text_change_shows_and_equal_bodies_do_not() -> None:
    old = '<img src="a.jpg" alt="Ministros en París">'
    new = '<img src="a.jpg" alt="Ministras en París">'
    assert markup_diff(old, new).changed
    same = "<p>Sin <b>cambios</b>.</p>"
    diff = diff_revisions(_fields(same), _fields(same), "html", ("r1", "r1"))
    assert not diff.changed and diff.body[0].chunks == [
        Chunk("equal", "Sin cambios.", "Sin cambios.")
    ]
