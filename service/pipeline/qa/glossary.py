"""Glossary terms the translation does not follow (service.pipeline.protect.Glossary): a term of
the source must come out as the exact text the glossary gives, keep-terms as written."""

from __future__ import annotations

import re

from service.pipeline.qa.flags import Finding, QaContext


def _contains(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text) is not None


def check_glossary(source: str, target: str, context: QaContext) -> list[Finding]:
    """A glossary term in the source whose required target text is not in the translation:
    with "Kyiv" a keep-term, "Kiev" in the translation of "Kyiv" is one flag."""
    findings: list[Finding] = []
    for term, wanted in context.terms.items():
        if _contains(source, term) and not _contains(target, wanted):
            findings.append(
                Finding("glossary", term, f"the glossary wants {term!r} written {wanted!r}")
            )
    return findings
