"""The shapes translation-memory entries travel in when they go in or out of the review store
(files, the CLI, the API), apart from the table row so that callers never hold a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Where an entry came from: an editor's approval in review, an imported TMX/CSV file, or a
# pair aligned from the outlet's own bilingual archive.
ORIGINS = ("editor", "import", "archive")


@dataclass(frozen=True)
class MemoryPair:
    """One sentence and its translation, for one language pair."""

    source_lang: str
    target_lang: str
    source: str
    target: str
    origin: str = "import"


@dataclass(frozen=True)
class MemoryRecord:
    """A stored entry, as listed and exported."""

    id: int
    source_lang: str
    target_lang: str
    source: str
    target: str
    origin: str
    editor: str
    created: datetime
    # Archive entries: the editor who confirmed the pair (None: unconfirmed, or not archive).
    confirmed_by: str | None = None


@dataclass(frozen=True)
class ImportCounts:
    """What an import did: new entries, entries whose translation changed, entries that were
    already there word for word (skipped, so the article cache is not invalidated), and
    entries an archive pair would have changed but left alone (an editor's or a file's)."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    kept: int = 0

    def __add__(self, other: ImportCounts) -> ImportCounts:
        """The counts of two imports together (`tm align` imports a chunk at a time)."""
        return ImportCounts(
            self.added + other.added,
            self.replaced + other.replaced,
            self.unchanged + other.unchanged,
            self.kept + other.kept,
        )
