"""The draft editor's chips: every tag kept whole, its text editable around it."""

from __future__ import annotations

from service.web.rich_draft import editable_html


def test_tags_become_chips_that_carry_their_markup() -> None:
    shown = editable_html(
        'Vea la <a href="https://example.org/m?a=1&amp;b=2">reunión</a> &amp; más.'
    )
    assert shown == (
        'Vea la <span class="chip" contenteditable="false" data-tag="a" '
        'data-raw="&lt;a href=&quot;https://example.org/m?a=1&amp;amp;b=2&quot;&gt;">⟨link⟩</span>'
        'reunión<span class="chip" contenteditable="false" data-tag="a" '
        'data-raw="&lt;/a&gt;">⟨/link⟩</span> &amp; más.'
    )


def test_plain_text_is_left_as_it_is() -> None:
    assert editable_html("Sin etiquetas &lt;b&gt;.") == "Sin etiquetas &lt;b&gt;."
