"""What the review store hands to the QA checks when an editor saves. The checks live in the
pipeline (service.pipeline.qa), above the store, so a save gets them as a function to call on
the text it is about to keep, after sanitizing, and stores the flags with the new revision."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Texts = dict[str, str | None]


@dataclass(frozen=True)
class QaInput:
    """A save's texts: the source version's, the new revision's, and the revision it is based
    on with that revision's flags (the engine's report of dropped spans carries over to the
    paragraphs the save leaves as they were)."""

    source_lang: str
    target_lang: str
    format: str
    source: Texts
    target: Texts
    base: Texts = field(default_factory=dict)
    base_flags: list[dict[str, Any]] = field(default_factory=list)


QaCheck = Callable[[QaInput], list[dict[str, Any]]]
