"""Every check over one version: its title, lede and summary as plain texts, its body paragraph
by paragraph (links and inline markup on each paragraph's markup, the rest on its text), and
the protected spans the engine dropped (`provenance.missing`) where no other flag covers them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence

from service.document.markup import Flow, parse, plain
from service.document.paragraphs import paragraph_markup
from service.document.segment import normalize
from service.pipeline.qa.figures import check_currencies, check_dates, check_numbers
from service.pipeline.qa.flags import Finding, QaContext, QaFlag
from service.pipeline.qa.glossary import check_glossary
from service.pipeline.qa.markup import check_inline_markup, check_links
from service.pipeline.qa.shape import check_length, check_repeats
from service.pipeline.qa.words import check_month_names, check_untranslated
from service.schemas import QaFlag as QaFlagModel
from service.schemas import Version

Location = tuple[str, int | None]
Texts = Mapping[str, str | None]
PLAIN_FIELDS = ("title", "lede", "summary")

_TEXT_CHECKS: tuple[Callable[[str, str, QaContext], list[Finding]], ...] = (
    check_numbers,
    check_dates,
    check_currencies,
    check_untranslated,
    check_month_names,
    check_glossary,
)
_SHAPE_CHECKS: tuple[Callable[[str, str], list[Finding]], ...] = (check_repeats, check_length)
_URLISH = re.compile(r"https?://|www\.|@")


def _checkable(flow: Flow, fmt: str) -> tuple[str, str]:
    """A body paragraph as the checks read it: its text, and its inline elements' start tags
    before that text, which is all the link and markup checks look at (writing out the whole
    paragraph's markup for them took half the time of checking a long article)."""
    text = normalize(plain(flow.text))
    if fmt == "text":
        return text, text
    tags = []
    for element in flow.elements:
        href = element.get("href")
        attribute = f' href="{html.escape(href, quote=True)}"' if href is not None else ""
        tags.append(f"<{element.tag}{attribute}>")
    return text, " ".join([*tags, html.escape(text, quote=False)])


def check_text(source: str, target: str, context: QaContext) -> list[Finding]:
    """The checks that read plain text, in the order their flags are listed."""
    findings: list[Finding] = []
    for check in _TEXT_CHECKS:
        findings.extend(check(source, target, context))
    for shape in _SHAPE_CHECKS:
        findings.extend(shape(source, target))
    return findings


def _covering(span: str) -> set[str]:
    """The kinds of flag that already report a dropped span of this kind."""
    if _URLISH.search(span):
        return {"link"}
    if any(c.isdigit() for c in span):
        return {"number", "date", "currency"}
    return {"glossary", "month_name"}


def _dropped(flags: list[QaFlag], dropped: Mapping[Location, Sequence[str]]) -> list[QaFlag]:
    found: list[QaFlag] = []
    for (field, paragraph), spans in dropped.items():
        here = {f.kind for f in flags if (f.field, f.paragraph) == (field, paragraph)}
        for span in spans:
            if here & _covering(span):
                continue
            message = f"{span!r} of the source was dropped by the engine"
            found.append(QaFlag(field, paragraph, "dropped", span, message))
    return found


def _placed(findings: list[Finding], field: str, paragraph: int | None) -> list[QaFlag]:
    return [QaFlag(field, paragraph, f.kind, f.source, f.message) for f in findings]


def check_version(
    source: Texts,
    target: Texts,
    fmt: str,
    context: QaContext,
    dropped: Mapping[Location, Sequence[str]] | None = None,
) -> list[QaFlag]:
    """The flags of a translated version against its source version. `dropped`: the protected
    spans the engine lost, by (field, body paragraph or None)."""
    flags: list[QaFlag] = []
    for field in ("title", "lede"):
        flags.extend(_plain_field(source, target, field, context))
    source_flows = [_checkable(f, fmt) for f in parse(source.get("body") or "", fmt).body_flows]
    target_flows = [_checkable(f, fmt) for f in parse(target.get("body") or "", fmt).body_flows]
    for index, (source_flow, target_flow) in enumerate(
        zip(source_flows, target_flows, strict=False)
    ):
        (source_text, source_markup), (target_text, target_markup) = source_flow, target_flow
        findings = check_text(source_text, target_text, context)
        findings += check_links(source_markup, target_markup)
        if fmt == "html":
            findings += check_inline_markup(source_markup, target_markup)
        flags.extend(_placed(findings, "body", index))
    if len(source_flows) != len(target_flows):
        message = (
            f"the source has {len(source_flows)} paragraphs and the translation {len(target_flows)}"
        )
        flags.append(QaFlag("body", None, "markup", "", message))
    flags.extend(_plain_field(source, target, "summary", context))
    return flags + _dropped(flags, dropped or {})


def _plain_field(source: Texts, target: Texts, field: str, context: QaContext) -> list[QaFlag]:
    source_text, target_text = source.get(field), target.get(field)
    if not source_text or not target_text:
        return []
    findings = check_text(source_text, target_text, context)
    findings += check_links(source_text, target_text)
    return _placed(findings, field, None)


def unchanged_dropped(
    previous: Sequence[Mapping[str, object]], before: Texts, after: Texts, fmt: str
) -> dict[Location, list[str]]:
    """The dropped spans of an earlier revision's flags whose field or paragraph an editor's
    save left as it was: the engine's report still holds there (only a text check can see what
    an editor changed)."""
    old = paragraph_markup(before.get("body") or "", fmt)
    new = paragraph_markup(after.get("body") or "", fmt)
    kept: dict[Location, list[str]] = {}
    for flag in previous:
        if flag.get("kind") != "dropped":
            continue
        field, paragraph = str(flag.get("field")), flag.get("paragraph")
        if field == "body" and isinstance(paragraph, int):
            same = len(old) == len(new) > paragraph and old[paragraph] == new[paragraph]
        else:
            same = before.get(field) == after.get(field)
        if same:
            location = (field, paragraph if isinstance(paragraph, int) else None)
            kept.setdefault(location, []).append(str(flag.get("source") or ""))
    return kept


def texts_of(version: Version) -> dict[str, str | None]:
    return {
        "title": version.title,
        "lede": version.lede,
        "body": version.body,
        "summary": version.summary,
    }


def flags_for(
    source: Version,
    target: Version,
    fmt: str,
    context: QaContext,
    dropped: Mapping[Location, Sequence[str]] | None = None,
) -> list[QaFlagModel]:
    """`check_version` on two versions of an article, as the API reports the flags."""
    flags = check_version(texts_of(source), texts_of(target), fmt, context, dropped)
    return [QaFlagModel.model_validate(flag.as_dict()) for flag in flags]
