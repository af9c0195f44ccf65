"""Near matches of sentences in the translation memory, offered to an editor as suggestions.

An exact match is reused by the pipeline (`tm`); a near one (a changed number, name or word)
must never be, since the difference is exactly what a reader would be misinformed by. So these
are only shown, with their score, beside the paragraph, and the editor decides.

The score is difflib's ratio (2·matching / total) over the case-folded words, as translation
tools count fuzzy matches (over characters difflib took about 2 ms a sentence pair here, and a
changed number counts for almost nothing). It is bounded in time: only the few candidates
sharing the most words with a sentence are scored (an inverted index of the candidates' words,
leaving out words in more than one candidate in twenty, which tell nothing), a candidate whose
length alone rules it out is never compared (a ratio ≥ t needs the shorter to have at least
t/(2−t) of the longer's words), the cheap upper bounds are tried before the real ratio, and at
most `budget` real ratios are computed per call.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

THRESHOLD = 0.75
BUDGET = 2000  # real ratio() calls per call of `best_matches`
PER_SENTENCE = 8  # candidates scored per sentence: those sharing the most words with it
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Match:
    query: str
    source: str  # the memory's source sentence
    target: str  # its approved translation
    score: float  # 0..1


def length_window(length: int, threshold: float = THRESHOLD) -> tuple[int, int]:
    """The candidate lengths (in words) that can reach `threshold` against `length` words."""
    share = threshold / (2 - threshold)
    return int(length * share), int(length / share) + 1


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def best_matches(
    queries: Iterable[str],
    candidates: Sequence[tuple[str, str]],
    threshold: float = THRESHOLD,
    budget: int = BUDGET,
) -> dict[str, Match]:
    """The best candidate (source, target) at or above `threshold` for each query that has one."""
    folded = [_words(source) for source, _ in candidates]
    index: dict[str, list[int]] = {}
    for number, words in enumerate(folded):
        for word in set(words):
            index.setdefault(word, []).append(number)
    common = max(20, len(candidates) // 20)
    found: dict[str, Match] = {}
    matcher = SequenceMatcher(None, autojunk=False)
    for query in dict.fromkeys(queries):
        key = _words(query)
        if not key:
            continue
        low, high = length_window(len(key), threshold)
        shared: Counter[int] = Counter()
        for word in set(key):
            postings = index.get(word, [])
            if len(postings) <= common:
                shared.update(postings)
        matcher.set_seq2(key)  # the side difflib indexes: once per query
        best: Match | None = None
        near = [n for n, _ in shared.most_common() if low <= len(folded[n]) <= high]
        for number in near[:PER_SENTENCE]:
            matcher.set_seq1(folded[number])
            floor = best.score if best is not None else threshold
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            if budget <= 0:
                break
            budget -= 1
            score = matcher.ratio()
            if score >= floor and (best is None or score > best.score):
                source, target = candidates[number]
                best = Match(query, source, target, round(score, 3))
        if best is not None:
            found[query] = best
    return found
