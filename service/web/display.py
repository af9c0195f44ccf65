"""Source paragraphs as formatted HTML for the review page, from a fixed allow-list of inline
markup (links, emphasis, ...), whatever the source body allows for publication: the review
page shows a CMS's article to an editor with a session, so nothing in it may run, load or
navigate by itself. An image becomes a labelled chip with its alt text (nothing is fetched)."""

from __future__ import annotations

import html

import lxml.html
import nh3
from lxml import etree
from markupsafe import Markup

INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "span": {"class"}}
SCHEMES = {"http", "https", "mailto"}


def _images_as_chips(markup: str) -> str:
    """Each <img> replaced by a chip naming it by its alt text (or saying it has none)."""
    if "<img" not in markup.lower():
        return markup
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return markup
    for image in root.iter("img"):
        chip = etree.Element("span")
        chip.set("class", "img-chip")
        alt = (image.get("alt") or "").strip()
        chip.text = f"Image: {alt}" if alt else "Image (no alt text)"
        chip.tail = image.tail
        parent = image.getparent()
        if parent is not None:
            parent.replace(image, chip)
    inner = (root.text or "") and html.escape(root.text or "", quote=False)
    return inner + "".join(lxml.html.tostring(c, encoding="unicode") for c in root)


def display_html(markup: str, fmt: str) -> Markup:
    """A paragraph's inline markup, safe to put into the review page as HTML."""
    if fmt != "html":
        return Markup(html.escape(markup, quote=False))
    clean = nh3.clean(
        _images_as_chips(markup),
        tags=INLINE_TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 - nh3 output on a fixed allow-list
