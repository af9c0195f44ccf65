"""QA flags as the review page shows them: grouped by the part of the draft they belong to,
each with a label an editor reads (the flag is text, never a colour alone)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

KIND_LABELS = {
    "number": "Number differs",
    "date": "Date differs",
    "currency": "Currency differs",
    "link": "Link differs",
    "markup": "Formatting differs",
    "untranslated": "Untranslated word",
    "month_name": "Source month/day name",
    "glossary": "Glossary not followed",
    "repeat": "Repeated words",
    "length": "Unusual length",
    "dropped": "Dropped by the engine",
}


@dataclass(frozen=True)
class FlagView:
    kind: str
    label: str
    message: str


def flags_by_place(flags: Sequence[dict[str, Any]]) -> dict[str, list[FlagView]]:
    """Flags keyed by where the page shows them: "title", "lede", "summary", "p0", "p1", ...
    for body paragraphs, and "body" for the body as a whole."""
    places: dict[str, list[FlagView]] = {}
    for flag in flags:
        field, paragraph = str(flag.get("field")), flag.get("paragraph")
        place = f"p{paragraph}" if field == "body" and isinstance(paragraph, int) else field
        kind = str(flag.get("kind"))
        view = FlagView(kind, KIND_LABELS.get(kind, kind), str(flag.get("message") or ""))
        places.setdefault(place, []).append(view)
    return places
