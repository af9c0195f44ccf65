"""Paragraph views for review: editable markup, putting edits back, aligning for the memory."""

from __future__ import annotations

import pytest

from service.document.markup import parse
from service.document.paragraphs import (
    align_sentences,
    body_flow_texts,
    paragraph_blocks,
    paragraph_markup,
    paragraph_texts,
    replace_paragraphs,
)
from service.errors import NewsdeskError

BODY = (
    '<h2>Talks</h2><p>The talks begin <a href="https://e.org/a?x=1&amp;y=2">on Monday</a>. '
    'Ministers attend.</p><figure><img src="p.jpg" alt="Paris"><figcaption>The city.'
    "</figcaption></figure><p>Second <em>one</em>.</p>"
)


def test_paragraph_markup_is_inline_html_per_block() -> None:
    assert paragraph_markup(BODY, "html") == [
        "Talks",
        'The talks begin <a href="https://e.org/a?x=1&amp;y=2">on Monday</a>. Ministers attend.',
        "The city.",
        "Second <em>one</em>.",
    ]
    assert paragraph_texts(BODY, "html")[1] == "The talks begin on Monday. Ministers attend."


def test_unchanged_paragraphs_leave_the_body_byte_for_byte() -> None:
    assert replace_paragraphs(BODY, "html", paragraph_markup(BODY, "html")) == BODY
    assert replace_paragraphs(BODY, "html", [None, None, None, None]) == BODY


def test_an_edited_paragraph_keeps_the_blocks_around_it() -> None:
    edited = replace_paragraphs(
        BODY,
        "html",
        [None, 'Las conversaciones empiezan <a href="https://e.org/a">el lunes</a>.', None, None],
    )
    assert edited == (
        '<h2>Talks</h2><p>Las conversaciones empiezan <a href="https://e.org/a">el lunes</a>.</p>'
        '<figure><img src="p.jpg" alt="Paris"><figcaption>The city.</figcaption></figure>'
        "<p>Second <em>one</em>.</p>"
    )


def test_text_bodies_edit_by_line() -> None:
    body = "First line.\n\nSecond line."
    assert paragraph_markup(body, "text") == ["First line.", "Second line."]
    assert replace_paragraphs(body, "text", ["Primera\nlínea.", None]) == (
        "Primera línea.\n\nSecond line."
    )


def test_alignment_pairs_sentences_or_single_sentence_paragraphs() -> None:
    source = body_flow_texts(
        "<p>One here. Two there.</p><p>Alone.</p><p>Red car. Blue sky. Green tree.</p>", "html"
    )
    target = body_flow_texts(
        "<p>Uno aquí. Dos allí.</p><p>Solo. Del todo.</p><p>Coche rojo. Cielo azul.</p>", "html"
    )
    assert align_sentences(source, target, "en", "es") == [
        ("One here.", "Uno aquí."),
        ("Two there.", "Dos allí."),
        ("Alone.", "Solo. Del todo."),  # one source sentence: the paragraph is the unit
    ]  # 3 sentences against 2: skipped rather than guessed


def test_alignment_uses_the_lookup_form_of_sentences() -> None:
    source = body_flow_texts('<p>The  <a href="x">talks</a>\n begin.</p>', "html")
    target = body_flow_texts("<p>Empiezan las <b>conversaciones</b>.</p>", "html")
    assert align_sentences(source, target, "en", "es") == [
        ("The talks begin.", "Empiezan las conversaciones.")
    ]


def test_sentences_with_objects_are_not_memorised() -> None:
    source = [f.text for f in parse('<p>See <img src="a.png"> here.</p>', "html").body_flows]
    target = [f.text for f in parse('<p>Mira <img src="a.png"> aquí.</p>', "html").body_flows]
    assert align_sentences(source, target, "en", "es") == []


def test_an_edited_paragraph_is_held_to_the_limits_of_a_body() -> None:
    body = "<p>One.</p>"
    deep = "<b>" * 2000 + "x" + "</b>" * 2000
    with pytest.raises(NewsdeskError, match="^markup is nested deeper than 100 levels$"):
        replace_paragraphs(body, "html", [deep])
    many = "<b>x</b>" * 1100
    with pytest.raises(NewsdeskError, match="^a paragraph has more than 1024 inline elements$"):
        replace_paragraphs(body, "html", [many])


def test_each_paragraph_says_what_block_it_is() -> None:
    body = (
        "<h2>Late news</h2><p>Talks <a href='https://example.org'>open</a>.</p>"
        "<ul><li>One</li><li>Two</li></ul><blockquote><p>We agree.</p></blockquote>"
        "<figure><img src='a.jpg' alt='Ministers'><figcaption>The ministers.</figcaption></figure>"
    )
    assert paragraph_blocks(body, "html") == [
        "heading",
        "paragraph",
        "list item",
        "list item",
        "quote",
        "caption",
    ]
    assert paragraph_blocks("One line\nAnother", "text") == ["paragraph", "paragraph"]
