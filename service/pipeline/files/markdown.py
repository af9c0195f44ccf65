"""Markdown (.md): line by line, a line's block marker (heading, list item, quote) is kept and
the rest translated; fenced code and blank lines stay as they are. Emphasis, links and inline
code travel as HTML elements, which the pipeline carries into the translation (`runs` does the
same for Word and OpenDocument runs), and come back as Markdown."""

from __future__ import annotations

import html
import re

from lxml import html as lxml_html

from service.pipeline.files.base import TranslateTexts, decode_text

_BLOCK = re.compile(r"^(\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d{1,9}[.)]\s+)*)(.*?)(\s*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_MARKS = {"b": "**", "i": "*", "code": "`"}


def _to_html(text: str) -> str:
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(
        r"\[([^\]]+)\]\(([^)\s]+)\)",
        lambda m: f'<a href="{html.escape(html.unescape(m.group(2)))}">{m.group(1)}</a>',
        out,
    )
    out = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: f"<b>{m.group(1) or m.group(2)}</b>", out)
    return re.sub(
        r"(?<![*\w])\*([^*]+)\*(?!\*)|(?<!\w)_([^_]+)_(?!\w)",
        lambda m: f"<i>{m.group(1) or m.group(2)}</i>",
        out,
    )


def _to_markdown(translated: str) -> str:
    root = lxml_html.fragment_fromstring(translated, create_parent="div")

    def render(element: lxml_html.HtmlElement) -> str:
        inner = (element.text or "") + "".join(
            render(child) + (child.tail or "") for child in element
        )
        if element.tag == "a":
            return f"[{inner}]({element.get('href', '')})"
        mark = _MARKS.get(element.tag, "")
        return f"{mark}{inner}{mark}"

    return render(root)


def translate_markdown(data: bytes, translate: TranslateTexts) -> bytes:
    lines = decode_text(data).replace("\r\n", "\n").split("\n")
    in_code = False
    wanted: list[tuple[int, str, str, str]] = []  # line, marker, text, trailing space
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        match = _BLOCK.match(line)
        if in_code or match is None or not match.group(2).strip():
            continue
        wanted.append((number, match.group(1), match.group(2), match.group(3)))
    texts = [_to_html(text) for _, _, text, _ in wanted]
    translated = translate(texts, "html") if texts else []
    for (number, marker, _, trail), result in zip(wanted, translated, strict=True):
        lines[number] = marker + _to_markdown(result) + trail
    return "\n".join(lines).encode("utf-8")
