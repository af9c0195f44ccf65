"""Source paragraphs shown formatted on the review page: links and emphasis kept, images as
chips with their alt text, and nothing that runs, loads or navigates by itself."""

from __future__ import annotations

from service.web.display import display_html


def test_links_and_emphasis_stay_and_images_become_chips() -> None:
    shown = display_html(
        'Read the <a href="https://example.org/r">report</a> <em>now</em> '
        '<img src="https://tracker.example/p.gif" alt="Ministers in Paris">.',
        "html",
    )
    assert shown == (
        'Read the <a href="https://example.org/r" rel="noopener noreferrer nofollow">report</a> '
        '<em>now</em> <span class="img-chip">Image: Ministers in Paris</span>.'
    )


def test_nothing_runs_or_loads() -> None:
    shown = display_html(
        '<a href="javascript:alert(1)" onclick="x()">a</a><script>alert(2)</script>'
        '<iframe src="https://example.org"></iframe><img src=x onerror=alert(3)>',
        "html",
    )
    assert (
        shown
        == '<a rel="noopener noreferrer nofollow">a</a><span class="img-chip">Image (no alt text)</span>'
    )


def test_a_text_body_is_escaped() -> None:
    assert display_html("1 < 2 & <b>", "text") == "1 &lt; 2 &amp; &lt;b&gt;"
