"""Near matches of sentences in the translation memory, offered to an editor as suggestions.

An exact match is reused by the pipeline (`tm`); a near one (a changed number, name or word)
must never be, since the difference is exactly what a reader would be misinformed by. So these
are only shown, with their score, beside the paragraph, and the editor decides.

The score is difflib's ratio (2·matches / total length) on case-folded text. It is bounded in
time: a candidate whose length alone rules it out is never compared (a ratio ≥ t needs the
shorter text to be at least t/(2−t) of the longer), the cheap upper bounds are tried before the
real ratio, and at most `budget` real ratios are computed per call.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

THRESHOLD = 0.75
BUDGET = 3000  # real ratio() calls per call of `best_matches`: about 0.1 s of news sentences


@dataclass(frozen=True)
class Match:
    query: str
    source: str  # the memory's source sentence
    target: str  # its approved translation
    score: float  # 0..1


def length_window(length: int, threshold: float = THRESHOLD) -> tuple[int, int]:
    """The candidate lengths that can reach `threshold` against a text of `length`."""
    share = threshold / (2 - threshold)
    return int(length * share), int(length / share) + 1


def best_matches(
    queries: Iterable[str],
    candidates: Sequence[tuple[str, str]],
    threshold: float = THRESHOLD,
    budget: int = BUDGET,
) -> dict[str, Match]:
    """The best candidate (source, target) at or above `threshold` for each query that has one."""
    ordered = sorted(((s.casefold(), s, t) for s, t in candidates), key=lambda c: len(c[0]))
    lengths = [len(c[0]) for c in ordered]
    found: dict[str, Match] = {}
    matcher = SequenceMatcher(None, autojunk=False)
    for query in dict.fromkeys(queries):
        key = query.casefold()
        if not key:
            continue
        matcher.set_seq2(key)  # the side difflib indexes: once per query
        low, high = length_window(len(key), threshold)
        best: Match | None = None
        for index in range(bisect.bisect_left(lengths, low), bisect.bisect_right(lengths, high)):
            folded, source, target = ordered[index]
            matcher.set_seq1(folded)
            floor = best.score if best is not None else threshold
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            if budget <= 0:
                break
            budget -= 1
            score = matcher.ratio()
            if score >= floor and (best is None or score > best.score):
                best = Match(query, source, target, round(score, 3))
        if best is not None:
            found[query] = best
    return found
