"""The dates-and-numbers test set (tests/data/dates_numbers.jsonl) and what counts as right:
used by the integration test and by bench/dates_numbers.py, so both count alike."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "dates_numbers.jsonl"


@dataclass(frozen=True)
class Case:
    """A news-like sentence, the substrings its correct translation must hold (the dates,
    numbers and compounds as a newsroom writes them) and those it must not."""

    id: str
    direction: str
    split: str
    source: str
    must: tuple[str, ...]
    must_not: tuple[str, ...]

    @property
    def pair(self) -> tuple[str, str]:
        source, _, target = self.direction.partition("-")
        return source, target

    def is_right(self, translation: str) -> bool:
        return all(s in translation for s in self.must) and not any(
            s in translation for s in self.must_not
        )


def load_cases(path: Path = DATA) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        cases.append(
            Case(
                row["id"],
                row["direction"],
                row["split"],
                row["source"],
                tuple(row["must"]),
                tuple(row["must_not"]),
            )
        )
    return cases
