"""Links and inline markup that differ between a source paragraph and its translation: a link
dropped, or pointed somewhere else, and emphasis or other inline tags lost or added."""

from __future__ import annotations

import html
import re
from collections import Counter

from service.pipeline.qa.flags import Finding

_HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b")
# Written-out URLs and e-mail addresses (a text-format body, or one written out in HTML text).
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w.])[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|co\.uk|es|mx)(?!\w|\.\w)"
)
_NOT_TEXT = re.compile(r"<[^>]*>")


def _links(markup: str) -> list[str]:
    hrefs = [html.unescape(m.group(1) or m.group(2) or "") for m in _HREF.finditer(markup)]
    text = _NOT_TEXT.sub(" ", markup)
    return hrefs + [html.unescape(u) for u in URL.findall(text)]


def check_links(source: str, target: str) -> list[Finding]:
    """Links (href targets and written-out URLs) of the source paragraph missing from the
    translation, or changed: a link changed to another address is one flag, naming both."""
    wanted, have = Counter(_links(source)), Counter(_links(target))
    missing = list((wanted - have).elements())
    extra = list((have - wanted).elements())
    findings: list[Finding] = []
    for index, link in enumerate(missing):
        if index < len(extra):
            message = f"the link {link!r} is {extra[index]!r} in the translation"
        else:
            message = f"the link {link!r} is missing from the translation"
        findings.append(Finding("link", link, message))
    for link in extra[len(missing) :]:
        findings.append(Finding("link", "", f"the link {link!r} is not in the source"))
    return findings


def _tags(markup: str) -> Counter[str]:
    # Links are `check_links`'s: a dropped link is one flag, not one per check.
    return Counter(t.lower() for t in _TAG.findall(markup) if t.lower() != "a")


def check_inline_markup(source: str, target: str) -> list[Finding]:
    """Inline tags other than links (emphasis, images, ...) whose count differs between the
    paragraphs: "<em>" once in the source and not in the translation is one flag."""
    wanted, have = _tags(source), _tags(target)
    findings: list[Finding] = []
    for tag in sorted(set(wanted) | set(have)):
        if wanted[tag] != have[tag]:
            findings.append(
                Finding(
                    "markup",
                    f"<{tag}>" if wanted[tag] else "",
                    f"<{tag}> appears {wanted[tag]} time(s) in the source and {have[tag]} in "
                    "the translation",
                )
            )
    return findings
