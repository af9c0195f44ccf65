"""Safe to publish: a translated or edited body may hold only the markup its source holds.

Why the allow-list is read from each article's source rather than fixed: the service publishes
other people's articles, and which markup belongs in them is the client's decision (a CMS may
embed a video player's iframe, a chart's script, a table, a link with its own app's scheme),
while no translation or edit may add to it. So the allow-list of a translated version is the
source body's own: its tags, the attributes each tag has there and the URL schemes of its links.
Event handlers (on*), srcdoc and javascript:, vbscript: or data: URLs stay only with the exact
value the source gives that attribute of that tag, and an element that runs code or loads
another document (script, style, iframe, object, embed, base, meta, form, ...) only as an exact
copy of one the source has. A hostile client can publish in its translation only what it
published in its own article; an editor or an engine can remove markup, never add it. The
list is per document: a paragraph may borrow what another paragraph of the same source has.

nh3 (ammonia, which parses with html5ever as browsers do) removes what is not allowed. A clean
body comes back byte for byte, because nh3 re-serializes what it keeps (&nbsp;, boolean
attributes, <tbody>) and the pipeline promises markup fidelity. "Clean" is decided on two
parses of the body, html5ever's and lxml's (libxml2 builds an element for tokens that HTML
tree building drops, such as a <td> outside a table, which another page context could keep),
and on the html, body and frameset start tags wherever they stand, because a browser merges
their attributes into the page around the body while both parsers drop them in a fragment.
Any doubt serves the cleaned body: equivalent HTML, re-serialized.

Text bodies (format "text") are plain text, never HTML: they come back unchanged, and a CMS
must escape them (& < > " ') before putting them into a page. Titles, ledes and summaries are
text fields: see `safe_text`.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
import string
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

import lxml.html
import nh3
from lxml import etree

from service.cleaning import clean_text
from service.schemas import Version

# Run code, load another document or change the page around them: kept only as exact copies.
ACTIVE_TAGS = frozenset(
    "script style iframe frame frameset object embed applet portal fencedframe base link meta "
    "form animate set".split()
)
# Removed with what they hold when not allowed: code or fallback content, not prose.
_CONTENT_TAGS = frozenset(
    "script style iframe frame frameset object embed applet noscript noembed noframes template "
    "xmp".split()
)
_VOID_TAGS = frozenset(
    "area base br col embed frame hr img input link meta source track wbr".split()
)
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
# Translated prose (see markup.TRANSLATED_ATTRIBUTES): "Data: 2024" there is not a URL.
_PROSE_ATTRIBUTES = frozenset({"alt", "title"})
_URL_ATTRIBUTES = frozenset(
    "href src action formaction cite data poster background longdesc ping codebase manifest "
    "icon xlink:href lowsrc dynsrc usemap srcset profile archive classid".split()
)
# What tree building makes without a start tag of that name in the text (or renames: image).
_IMPLIED_TAGS = frozenset("img tbody tr colgroup p".split())
# SVG element names that HTML parsing writes in camel case.
_SVG_NAMES = {
    name.lower(): name
    for name in (
        "altGlyph altGlyphDef altGlyphItem animateColor animateMotion animateTransform clipPath "
        "feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix "
        "feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA "
        "feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology "
        "feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence "
        "foreignObject glyphRef linearGradient radialGradient textPath"
    ).split()
}
# Upper case: the HTML tokenizer lower-cases every attribute name, so no body can forge it.
_PROBE = "NEWSDESK-PROBE"
_TAG_NAME = re.compile(r"<([a-zA-Z][^\t\n\f\r />]*)")
_PAGE_TAG = re.compile(r"<(html|body|frameset)(?=[\t\n\f\r />])", re.IGNORECASE)
_PAGE_TAG_LIMIT = 8  # html/body/frameset start tags read one by one; more: not verbatim
# Anchored at the start of a run of scheme characters: tried from inside a run, it would scan to
# the run's end from every position (a 100,000-character "a1.a1.a1..." took seconds). A scheme
# a browser reads starts a URL, so it never follows such a character anyway.
_SCHEME = re.compile(r"(?<![a-z0-9+.\-])([a-z][a-z0-9+.\-]*):")
_TAB_NEWLINE = re.compile("[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z/!?]|&#?[a-zA-Z0-9]+;")
_KNOWN_SCHEMES = frozenset(nh3.ALLOWED_URL_SCHEMES) | {s.rstrip(":") for s in _DANGEROUS_SCHEMES}


def _as_url(value: str) -> str:
    """An attribute value as a browser's URL parser reads its scheme (WHATWG URL: outer C0
    controls and spaces trimmed, tabs and newlines removed anywhere; schemes ignore case)."""
    return _TAB_NEWLINE.sub("", value.strip(_C0_AND_SPACE)).lower()


def _dangerous(name: str, value: str) -> bool:
    if name.startswith("on") or name == "srcdoc":
        return True
    return name not in _PROSE_ATTRIBUTES and _as_url(value).startswith(_DANGEROUS_SCHEMES)


@dataclass
class _View:
    """The markup of a body as one parser sees it."""

    tags: set[str] = field(default_factory=set)
    attributes: set[tuple[str, str]] = field(default_factory=set)  # (tag, attribute)
    values: set[tuple[str, str, str]] = field(default_factory=set)  # dangerous ones, with value
    schemes: set[str] = field(default_factory=set)  # of URL attributes
    comments: bool = False

    def add(self, tag: str, name: str, value: str) -> None:
        self.attributes.add((tag, name))
        if _dangerous(name, value):
            self.values.add((tag, name, value))
        if name in _URL_ATTRIBUTES and (scheme := _SCHEME.match(_as_url(value))):
            self.schemes.add(scheme.group(1))

    def within(self, other: _View) -> bool:
        return (
            self.tags <= other.tags
            and self.attributes <= other.attributes
            and self.values <= other.values
            and self.schemes <= other.schemes
            and (other.comments or not self.comments)
        )


def _tag_names(html: str) -> set[str]:
    """Every element name html5 parsing can make of `html` (more is harmless)."""
    names = {
        name.translate(_ASCII_LOWER).replace("\x00", "\ufffd") for name in _TAG_NAME.findall(html)
    }
    names |= _IMPLIED_TAGS
    return names | {_SVG_NAMES[name] for name in names if name in _SVG_NAMES}


# A numeric character reference of more digits than any code point has: the standard library's
# unescape raises on 4,300 digits and more (Python's int limit) instead of answering U+FFFD.
_HUGE_REFERENCE = re.compile(r"&#(?:[xX]0*[0-9a-fA-F]{7,}|0*[0-9]{8,});?")


def _unescape(html: str) -> str:
    return html_lib.unescape(_HUGE_REFERENCE.sub("\ufffd", html))


def _schemes_in(html: str) -> set[str]:
    """Every URL scheme an attribute of `html` can have (more is harmless)."""
    text = _TAB_NEWLINE.sub("", _unescape(html)).lower()
    return set(_SCHEME.findall(text)) | _KNOWN_SCHEMES


def _html5_view(html: str, schemes: set[str]) -> _View:
    """What html5ever builds: nh3 keeping everything, reporting each element and attribute."""
    view = _View()
    names = _tag_names(html)

    def record(tag: str, name: str, value: str) -> str | None:
        if name == _PROBE:
            view.tags.add(tag)
        else:
            view.add(tag, name, value)
        return None

    out = nh3.clean(
        html,
        tags=names,
        clean_content_tags=set(),
        generic_attribute_prefixes={""},
        url_schemes=schemes,
        link_rel=None,
        strip_comments=False,
        set_tag_attribute_values={name: {_PROBE: ""} for name in names},
        attribute_filter=record,
    )
    # Text and attribute values come out escaped: a literal "<!--" is a comment (or raw text).
    view.comments = "<!--" in out
    return view


def _lxml_view(html: str) -> _View | None:
    """What libxml2 builds; None when it cannot read `html` (an XML encoding declaration)."""
    view = _View()
    if not html.strip():
        return view
    try:
        root = lxml.html.document_fromstring(html)
    except etree.ParserError:  # nothing but comments or white space
        return view
    except ValueError:
        return None
    for element in root.iter():
        if isinstance(element.tag, str):
            view.tags.add(element.tag)
            for name, value in element.attrib.items():
                view.add(element.tag, str(name), str(value))
    return view


def _page_tags(html: str) -> Counter[tuple[str, tuple[tuple[str, str], ...]]] | None:
    """The attributes of each html, body and frameset start tag wherever it stands, read by
    lxml from the tag on; None when there are too many to read one by one."""
    found: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()
    matches = list(_PAGE_TAG.finditer(html))
    if len(matches) > _PAGE_TAG_LIMIT:
        return None
    for match in matches:
        name = match.group(1).lower()
        attributes: tuple[tuple[str, str], ...] = ()
        try:
            root = lxml.html.document_fromstring(html[match.start() :])
        except etree.ParserError:
            root = None
        except ValueError:
            return None
        element = None if root is None else root if name == "html" else next(root.iter(name), None)
        if element is not None:
            attributes = tuple(sorted((str(k), str(v)) for k, v in element.attrib.items()))
        found[(name, attributes)] += 1
    return found


def _instances(html: str, tag: str, schemes: set[str]) -> Counter[str]:
    """Each `tag` element of `html` as nh3 writes it, content included: with every other tag
    removed and text escaped, the only literal `<` left belong to these (svg and math stay so
    that elements in their namespaces are kept)."""
    out = nh3.clean(
        html,
        tags={tag, "svg", "math"},
        clean_content_tags=set(),
        generic_attribute_prefixes={""},
        url_schemes=schemes,
        link_rel=None,
    )
    name = re.escape(tag)
    pattern = (
        rf"<{name}(?:\s[^>]*)?>" if tag in _VOID_TAGS else rf"<{name}(?:\s[^>]*)?>.*?</{name}>"
    )
    return Counter(re.findall(pattern, out, re.DOTALL))


@dataclass(frozen=True)
class _Policy:
    """What a source body allows."""

    html5: _View
    lxml: _View
    page: Counter[tuple[str, tuple[tuple[str, str], ...]]]
    instances: dict[str, Counter[str]]

    def keep(self, tag: str, name: str, value: str) -> str | None:
        if _dangerous(name, value) and (tag, name, value) not in self.html5.values:
            return None
        return value


# Links an editor may always write, whatever the source's links were (relative ones, say):
# ordinary web, mail and phone links run nothing.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


@lru_cache(maxsize=32)
def _policy(source: str) -> _Policy:
    schemes = _schemes_in(source)
    html5 = _html5_view(source, schemes)
    html5.schemes |= SAFE_SCHEMES
    return _Policy(
        html5=html5,
        lxml=_lxml_view(source) or _View(),
        page=_page_tags(source) or Counter(),
        instances={tag: _instances(source, tag, schemes) for tag in ACTIVE_TAGS & html5.tags},
    )


def _clean(candidate: str, policy: _Policy, dropped: set[str]) -> str:
    tags = policy.html5.tags - dropped
    attributes: dict[str, set[str]] = {"*": set()}
    for tag, name in policy.html5.attributes:
        if tag in tags:
            attributes.setdefault(tag, set()).add(name)
    return nh3.clean(
        candidate,
        tags=tags,
        clean_content_tags=set(_CONTENT_TAGS - tags),
        attributes=attributes,
        url_schemes=set(policy.html5.schemes),
        attribute_filter=policy.keep,
        link_rel=None,
        strip_comments=not policy.html5.comments,
    )


def _within_lxml_and_page(candidate: str, policy: _Policy) -> bool:
    parsed = _lxml_view(candidate)
    if parsed is None or not parsed.within(policy.lxml):
        return False
    page = _page_tags(candidate)
    return page is not None and page <= policy.page


class _Verified:
    """Digests of (source, body) pairs found clean: a GET serves the same stored body again and
    again, and hashing it costs a fraction of reading it twice (bench/sanitize.py)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._keys: OrderedDict[bytes, None] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(source: str, candidate: str) -> bytes:
        digest = hashlib.blake2b(digest_size=32)
        digest.update(len(source).to_bytes(8, "big"))
        digest.update(source.encode("utf-8", "surrogatepass"))
        digest.update(candidate.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def __contains__(self, key: bytes) -> bool:
        with self._lock:
            if key in self._keys:
                self._keys.move_to_end(key)
                return True
            return False

    def add(self, key: bytes) -> None:
        with self._lock:
            self._keys[key] = None
            if len(self._keys) > self._size:
                self._keys.popitem(last=False)


_verified = _Verified(4096)


def safe_body(source: str, fmt: str, candidate: str) -> str:
    """`candidate` (a translation or an edit of the body `source`) with only the markup that
    `source` has; byte for byte `candidate` when it has nothing else."""
    if fmt != "html":
        return candidate
    candidate = clean_text(candidate)
    key = _Verified.key(source, candidate)
    if key in _verified:
        return candidate
    policy = _policy(source)
    schemes = _schemes_in(candidate)
    html5 = _html5_view(candidate, schemes)
    dropped = {
        tag
        for tag in ACTIVE_TAGS & html5.tags & policy.html5.tags
        if not _instances(candidate, tag, schemes) <= policy.instances[tag]
    }
    if not dropped and html5.within(policy.html5) and _within_lxml_and_page(candidate, policy):
        _verified.add(key)
        return candidate
    return _clean(candidate, policy, dropped)


def safe_text(source: str | None, candidate: str) -> str:
    """A title, lede or summary. Text, unless its source field is HTML (has a tag or an entity):
    then it is held to the source field's markup like a body. From text, tags are removed
    (script and style with their content) and the rest stays text, `<` and `&` included."""
    if source and _LOOKS_LIKE_HTML.search(source):
        return safe_body(source, "html", candidate)
    if "<" not in candidate:
        return candidate
    stripped = nh3.clean(candidate, tags=set(), clean_content_tags=set(_CONTENT_TAGS))
    return _unescape(stripped)


def safe_version(source: Version, fmt: str, version: Version) -> Version:
    """A translated version held to its source version: body by `safe_body`, the text fields by
    `safe_text`; the same object when nothing changes."""
    safe = {
        "title": safe_text(source.title, version.title),
        "lede": None if version.lede is None else safe_text(source.lede, version.lede),
        "body": safe_body(source.body, fmt, version.body),
        "summary": None if version.summary is None else safe_text(source.summary, version.summary),
    }
    if all(getattr(version, name) == value for name, value in safe.items()):
        return version
    return version.model_copy(update=safe)
