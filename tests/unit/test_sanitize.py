"""The allow-list of a translated or edited body is its source's markup (service.document.sanitize)."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.document.markup import parse
from service.document.sanitize import safe_body, safe_text, safe_version
from service.schemas import Provenance, Version

ARTICLE = (Path(__file__).parent.parent / "data" / "article.html").read_text(encoding="utf-8")
SOURCE = (
    '<p>The envoy <a href="https://example.org/m" title="Minutes">met</a> the <em>ministers</em>.'
    '</p><figure><img src="/media/a.jpg" alt="The envoy"><figcaption>The envoy.</figcaption>'
    "</figure>"
)
ACTIVE = ("script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta")


def _problems(html: str) -> list[str]:
    """What makes a body unsafe to publish, as a browser-like parse of it shows."""
    found: list[str] = []
    root = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ACTIVE:
            found.append(element.tag)
        for name, value in element.attrib.items():
            url = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21))))).lower()
            if name.startswith("on") or name == "srcdoc":
                found.append(f"{element.tag}[{name}]")
            elif url.startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"{element.tag}[{name}={value}]")
    return found


def _translated(source: str) -> str:
    document = parse(source, "html")
    for flow in document.flows:
        flow.translation = flow.text.upper()
    return document.render()


def test_a_clean_translation_comes_back_byte_for_byte() -> None:
    for source in [SOURCE, ARTICLE]:
        translated = _translated(source)
        assert safe_body(source, "html", translated) == translated
    # What nh3 would write differently (&nbsp;, boolean attributes, no <tbody>) stays as is.
    quirky = (
        '<table><tr><td>A&nbsp;B</td></tr></table><p>x<br/><input type="checkbox" disabled>'
        "<!-- kept --></p>"
    )
    assert safe_body(quirky, "html", quirky) == quirky
    document = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>T</title></head>'
        '<body class="story"><p>Hi <svg viewBox="0 0 1 1"><clipPath id="c"></clipPath></svg></p>'
        "</body></html>"
    )
    assert safe_body(document, "html", _translated(document)) == _translated(document)


@pytest.mark.parametrize(
    ("edit", "published"),
    [
        ("<p>Hola <script>alert(1)</script>amigos</p>", "<p>Hola amigos</p>"),
        ("<p>Hola<style>p{display:none}</style></p>", "<p>Hola</p>"),
        ('<p><iframe src="https://evil.example"></iframe>x</p>', "<p>x</p>"),
        ('<p><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>x</p>', "<p>x</p>"),
        ('<p><object data="evil.swf"></object><embed src="evil.swf">x</p>', "<p>x</p>"),
        ('<p><img src="x" onerror="alert(1)"></p>', '<p><img src="x"></p>'),
        ('<p><IMG SRC="x" OnErRoR="alert(1)"></p>', '<p><img src="x"></p>'),
        ("<p><svg onload=alert(1)><circle r=1></circle></svg>x</p>", "<p>x</p>"),
        ('<p><a href="javascript:alert(1)">x</a></p>', "<p><a>x</a></p>"),
        ('<p><a href="JaVaScRiPt:alert(1)">x</a></p>', "<p><a>x</a></p>"),
        ('<p><a href="jav&#x09;ascript:alert(1)">x</a></p>', "<p><a>x</a></p>"),
        ('<p><a href="&#106;avascript:alert(1)">x</a></p>', "<p><a>x</a></p>"),
        ('<p><a href=" &#x0A;javascript:alert(1)">x</a></p>', "<p><a>x</a></p>"),
        ('<p><a href="vbscript:msgbox(1)">x</a></p>', "<p><a>x</a></p>"),
        ('<p><a href="data:text/html;base64,PHNjcmlwdD4=">x</a></p>', "<p><a>x</a></p>"),
        ('<p><img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"></p>', "<p><img></p>"),
        (
            '<p><a href="https://example.org/m" onclick="steal()">x</a></p>',
            '<p><a href="https://example.org/m">x</a></p>',
        ),
        (
            '<form action="https://evil.example"><button formaction="javascript:x">b</button></form>',
            "b",
        ),
        ("<p>x</p><body onload=alert(1)><p>y</p>", "<p>x</p><p>y</p>"),
        ("<td onclick=alert(1)>x</td>", "x"),
        ('<?xml version="1.0" encoding="utf-8"?><p>x</p>', "<p>x</p>"),
        ("<p><!--><img src=x onerror=alert(1)>--></p>", '<p><img src="x">--&gt;</p>'),
        ("<select><b onclick=alert(1)>x</b></select>", "x"),
        ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""),
    ],
)
def test_an_edit_cannot_add_active_markup(edit: str, published: str) -> None:
    out = safe_body(SOURCE, "html", edit)
    assert (out, _problems(out)) == (published, [])


def test_tags_attributes_and_schemes_are_limited_to_the_source() -> None:
    edit = (
        '<p class="lead" title="Hola"><a href="https://example.org/n" title="Actas" '
        'rel="nofollow">x</a> <a href="ftp://example.org/f">y</a> <u>z</u></p>'
    )
    # p has no attributes in the source, a has href and title, no link is ftp:, no u element.
    assert safe_body(SOURCE, "html", edit) == (
        '<p><a href="https://example.org/n" title="Actas">x</a> <a>y</a> z</p>'
    )


def test_active_markup_the_source_has_passes_through_and_nothing_more() -> None:
    source = (
        '<p>Share <a href="javascript:void(0)" onclick="share()">this</a>.</p>'
        '<script src="https://cdn.example/embed.js"></script>'
        '<iframe src="https://player.example/v/1" allowfullscreen></iframe>'
        '<style>.story{color:red}</style><p><img src="/a.jpg" onerror="this.hidden=1"></p>'
    )
    translated = _translated(source)
    assert safe_body(source, "html", translated) == translated
    # The source's exact handler and link stay; another value for them is new markup.
    edit = translated.replace("share()", "steal()").replace("void(0)", "alert(1)")
    assert safe_body(source, "html", edit) == translated.replace(
        ' href="javascript:void(0)" onclick="share()"', ""
    ).replace("allowfullscreen", 'allowfullscreen=""')
    # A script the source does not have, even beside one it has: scripts go, the rest stays.
    added = translated + "<script>steal(document.cookie)</script>"
    out = safe_body(source, "html", added)
    assert "<script" not in out and "steal" not in out and "embed.js" not in out
    assert '<iframe src="https://player.example/v/1"' in out and "onclick" in out
    # A second copy of the source's iframe is one more than the source has.
    doubled = translated + '<iframe src="https://player.example/v/1" allowfullscreen></iframe>'
    assert "<iframe" not in safe_body(source, "html", doubled)


def test_text_bodies_are_text() -> None:
    text = 'Tom said <script>alert(1)</script> & left. <a href="javascript:x">'
    assert safe_body("Tom said hello.", "text", text) == text


def test_text_fields_lose_tags_unless_the_source_field_has_markup() -> None:
    assert safe_text("Talks open", "Hola <script>alert(1)</script><b>amigos</b>") == "Hola amigos"
    assert safe_text("Talks open", "AT&T: 3 < 4 & 5 > 2") == "AT&T: 3 < 4 & 5 > 2"
    assert safe_text("Talks open", "AT&amp;T <i>x</i>") == "AT&T x"
    assert safe_text("The <em>talks</em>", "Las <em>charlas</em>") == "Las <em>charlas</em>"
    assert safe_text("The <em>talks</em>", 'Las <em onclick="x()">charlas</em>') == (
        "Las <em>charlas</em>"
    )


def test_a_version_is_held_to_its_source_version() -> None:
    provenance = Provenance(original=False)
    source = Version(title="Talks", body=SOURCE, summary="Talks.", provenance=provenance)
    clean = Version(title="Charlas", body=_translated(SOURCE), provenance=provenance)
    assert safe_version(source, "html", clean) is clean
    hostile = clean.model_copy(
        update={"title": "<img src=x onerror=alert(1)>Charlas", "summary": "<b>Charlas</b>"}
    )
    safe = safe_version(source, "html", hostile)
    assert (safe.title, safe.body, safe.summary) == ("Charlas", clean.body, "Charlas")


FRAGMENTS = st.sampled_from(
    [
        "The minister said",
        "A&nbsp;B &amp; C",
        '<a href="https://example.org/x?a=1&amp;b=2" title="More">more</a>',
        '<img src="/a.png" alt="a photo">',
        "<br>",
        "<em>Kyiv</em>",
        '<span translate="no">Keep</span>',
        "<code>x &lt; 1</code>",
        "<!-- note -->",
        '<a href="javascript:void(0)" onclick="share()">share</a>',
        '<input type="checkbox" checked disabled>',
    ]
)
BLOCKS = st.sampled_from(
    [
        "<p>{}</p>",
        "<h2>{}</h2>",
        "<ul><li>{}</li></ul>",
        "<table><tr><td>{}</td></tr></table>",
        "<blockquote><p>{}</p></blockquote>",
        '<figure class="wide">{}<figcaption>Caption</figcaption></figure>',
    ]
)
BODIES = st.lists(
    st.tuples(BLOCKS, st.lists(FRAGMENTS, min_size=1, max_size=4).map(" ".join)),
    min_size=1,
    max_size=5,
).map(lambda blocks: "".join(block.format(inner) for block, inner in blocks))
HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "<svg><animate onbegin=alert(1)></animate></svg>",
        "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
        '<p style="x" onmouseover="alert(1)">x</p>',
        "<details open ontoggle=alert(1)>",
        "<object data='data:text/html,x'></object>",
        "<a href=' data:text/html,x'>x</a>",
    ]
)


@settings(max_examples=150, deadline=None)
@given(BODIES)
def test_any_body_sanitized_against_itself_is_unchanged(body: str) -> None:
    assert safe_body(body, "html", body) == body
    assert safe_body(body, "html", _translated(body)) == _translated(body)


@settings(max_examples=150, deadline=None)
@given(BODIES, HOSTILE, st.integers(min_value=0, max_value=10_000))
def test_hostile_markup_added_anywhere_is_removed(body: str, hostile: str, where: int) -> None:
    source = re.sub(r'<a href="javascript:void\(0\)" onclick="share\(\)">share</a>', "", body)
    cut = [m.end() for m in re.finditer(">", source)]
    position = cut[where % len(cut)]
    out = safe_body(source, "html", source[:position] + hostile + source[position:])
    assert _problems(out) == []


def test_an_edit_may_add_an_ordinary_web_link_to_a_source_with_relative_links() -> None:
    source = '<p>See <a href="/parks">the parks</a>.</p>'
    edit = '<p>Vea <a href="https://example.org/parques">los parques</a> y <a href="mailto:a@example.org">escriba</a>.</p>'
    assert safe_body(source, "html", edit) == edit
    hostile = '<p>Vea <a href="javascript:alert(1)">los parques</a>.</p>'
    assert "javascript" not in safe_body(source, "html", hostile)


def test_numeric_references_beyond_any_code_point_are_replacement_characters() -> None:
    # The standard library's unescape raises on references of 4,300 digits and more.
    body = "<p>Cifra &#" + "1" * 5000 + "; y &#x" + "f" * 5000 + ";</p>"
    assert safe_body("<p>Figure.</p>", "html", body) == body
    assert safe_text("Figure", "<b>&#" + "9" * 5000 + ";</b>") == "\ufffd"
