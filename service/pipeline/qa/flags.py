"""The shape of a QA flag and the context every check reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Every kind a flag may have, in the order the README lists them.
KINDS: tuple[str, ...] = (
    "number",
    "date",
    "currency",
    "link",
    "markup",
    "untranslated",
    "month_name",
    "glossary",
    "repeat",
    "length",
    "dropped",
)


@dataclass(frozen=True)
class QaContext:
    """The language pair, the house style numbers are written in, and the glossary's terms
    (source term -> the exact target text; keep-terms map to themselves)."""

    source: str
    target: str
    style: str = "es-ES"
    terms: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """What one check found in one text: `source` is the offending span of the source text
    ("" when the problem lies in the translation alone, such as a loop)."""

    kind: str
    source: str
    message: str


@dataclass(frozen=True)
class QaFlag:
    """A finding placed in the version: `paragraph` is the body paragraph's index (from 0),
    None for the title, lede and summary."""

    field: str
    paragraph: int | None
    kind: str
    source: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "paragraph": self.paragraph,
            "kind": self.kind,
            "source": self.source,
            "message": self.message,
        }
