"""QA: links and inline markup of a paragraph against its translation."""

from __future__ import annotations

from service.pipeline.qa.markup import check_inline_markup, check_links

SOURCE = 'Read <a href="https://example.org/report">the report</a> <em>now</em>.'


def test_the_same_links_and_tags_pass() -> None:
    target = 'Lea <a href="https://example.org/report">el informe</a> <em>ya</em>.'
    assert check_links(SOURCE, target) == []
    assert check_inline_markup(SOURCE, target) == []


def test_a_dropped_link_is_one_link_flag() -> None:
    target = "Lea el informe <em>ya</em>."
    found = check_links(SOURCE, target)
    assert [(f.kind, f.source) for f in found] == [("link", "https://example.org/report")]
    assert check_inline_markup(SOURCE, target) == []  # links are check_links' alone


def test_a_changed_link_names_both_addresses() -> None:
    target = 'Lea <a href="https://evil.example.com/x">el informe</a> <em>ya</em>.'
    (found,) = check_links(SOURCE, target)
    assert found.source == "https://example.org/report"
    assert "https://evil.example.com/x" in found.message


def test_written_out_urls_count_as_links() -> None:
    assert check_links("See www.example.org today.", "Vea hoy.")[0].source == "www.example.org"


def test_lost_emphasis_is_a_markup_flag() -> None:
    target = 'Lea <a href="https://example.org/report">el informe</a> ya.'
    found = check_inline_markup(SOURCE, target)
    assert [(f.kind, f.source) for f in found] == [("markup", "<em>")]
