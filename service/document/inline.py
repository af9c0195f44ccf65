"""Carries inline markup (links, emphasis) from a source sentence to its translation.

The engine translates plain sentences. Each inline element's words are translated on their
own as well (a short fragment, usually a cache hit later); where that fragment's translation
is found in the sentence's translation the element wraps it, otherwise the element lands at the
proportional place, snapped to word boundaries. Elements always come out once each, in source
order and properly nested.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from service.document.markup import (
    CLOSE_BASE,
    INLINE_MARKER,
    OPEN_BASE,
    is_open,
    strip_markers,
)
from service.document.segment import split_sentences

_SPACES = re.compile(r"\s+")


@dataclass
class SentencePlan:
    marked: str  # the sentence with its markers
    plain: str  # without open/close markers (object characters kept)
    fragments: list[str] = field(default_factory=list)


@dataclass
class FlowPlan:
    lead: str
    trail: str
    sentences: list[SentencePlan]
    bare_markers: str  # markers of a flow with no words at all


def _markers(marked: str) -> list[tuple[int, str]]:
    """(offset in the marker-free text, marker) for each marker, in order."""
    return [
        (match.start() - count, match.group())
        for count, match in enumerate(INLINE_MARKER.finditer(marked))
    ]


def _insert(plain: str, markers: list[tuple[int, str]]) -> str:
    out: list[str] = []
    previous = 0
    for offset, marker in sorted(markers, key=lambda item: item[0]):
        out.append(plain[previous:offset])
        out.append(marker)
        previous = offset
    out.append(plain[previous:])
    return "".join(out)


def _pairs(plain: str, markers: list[tuple[int, str]]) -> dict[str, tuple[int, int]]:
    """The source span of each marker's element inside this sentence."""
    spans: dict[str, tuple[int, int]] = {}
    open_at: dict[int, int] = {}
    for offset, marker in markers:
        if is_open(marker):
            open_at[ord(marker) - OPEN_BASE] = offset
            spans[marker] = (offset, len(plain))
        else:
            index = ord(marker) - CLOSE_BASE
            start = open_at.pop(index, 0)
            spans[chr(OPEN_BASE + index)] = (start, offset)
            spans[marker] = (start, offset)
    return spans


def plan_flow(marked: str, lang: str) -> FlowPlan:
    """Splits a marked flow into marked sentences and lists the fragments to translate."""
    # Line breaks inside a paragraph are layout, not sentence ends (pysbd would split there).
    marked = _SPACES.sub(" ", marked)
    text = strip_markers(marked)
    stripped = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :] if stripped else ""
    markers = _markers(marked)
    spans = split_sentences(text, lang)
    if not spans:
        return FlowPlan(lead if not stripped else "", "", [], "".join(m for _, m in markers))
    per_sentence: list[list[tuple[int, str]]] = [[] for _ in spans]
    starts = [start for start, _ in spans]
    ends = [end for _, end in spans]
    for offset, marker in markers:
        index = _sentence_of(starts, ends, offset, is_open(marker))
        start, end = spans[index]
        per_sentence[index].append((min(max(offset, start), end) - start, marker))
    sentences: list[SentencePlan] = []
    for (start, end), local in zip(spans, per_sentence, strict=True):
        sentence_plain = text[start:end]
        plan = SentencePlan(_insert(sentence_plain, local), sentence_plain)
        for marker, (a, b) in _pairs(sentence_plain, local).items():
            fragment = sentence_plain[a:b].strip()
            if is_open(marker) and fragment and fragment != sentence_plain.strip():
                plan.fragments.append(fragment)
        sentences.append(plan)
    return FlowPlan(lead, trail, sentences, "")


def _sentence_of(starts: list[int], ends: list[int], offset: int, opening: bool) -> int:
    """Opening markers go with the sentence that follows them, closing ones with the one before.

    A binary search: a paragraph may hold a thousand markers and as many sentences."""
    if opening:
        return min(bisect.bisect_right(ends, offset), len(ends) - 1)
    return max(bisect.bisect_left(starts, offset) - 1, 0)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "-'’_"


def _snap_start(text: str, position: int) -> int:
    position = min(max(position, 0), len(text))
    while 0 < position < len(text) and _is_word_char(text[position - 1]):
        position -= 1
    return position


def _snap_end(text: str, position: int) -> int:
    position = min(max(position, 0), len(text))
    while 0 < position < len(text) and _is_word_char(text[position]):
        position += 1
    return position


_WORD = re.compile(r"[\w'’-]+")


def _stem_match(a: str, b: str) -> bool:
    """Same word up to inflection (roja/rojo, talks/talk): a long enough common prefix."""
    a, b = a.lower(), b.lower()
    need = min(4, max(len(a), len(b)) - 1) if min(len(a), len(b)) > 2 else max(len(a), len(b))
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= need


# Where a fragment's words are searched for by stem, this many words nearest to the expected
# place are looked at: every word of a sentence of news, a bounded number of a hostile one.
STEM_WINDOW = 256
_TOKEN = re.compile(r"\S+")


class _Target:
    """A translated sentence, read once for all the markers placed in it (a sentence may carry
    a thousand): its lower-case form, its words, and the whitespace token each word is in."""

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = text.lower()
        self.lowered = lowered if len(lowered) == len(text) else None
        self.words = list(_WORD.finditer(text))
        self.starts = [m.start() for m in self.words]
        token_starts = [m.start() for m in _TOKEN.finditer(text)]
        self.tokens = [bisect.bisect_right(token_starts, start) - 1 for start in self.starts]

    def find(self, needle: str, start: int, expected: int) -> tuple[int, int] | None:
        """The occurrence of `needle` at or after `start` nearest to `expected` (the earlier
        one of two as near): the last one before `expected` or the first one from it."""
        if not needle:
            return None
        haystack, wanted = self.text, needle
        if self.lowered is not None:
            haystack, wanted = self.lowered, needle.lower()
        before = (
            haystack.rfind(wanted, start, expected - 1 + len(wanted)) if expected > start else -1
        )
        after = haystack.find(wanted, max(start, expected))
        if before < 0 and after < 0:
            return None
        if after < 0 or (before >= 0 and expected - before <= after - expected):
            return before, before + len(needle)
        return after, after + len(needle)

    def find_by_stems(self, needle: str, start: int, expected: int) -> tuple[int, int] | None:
        """Where the translated fragment's first and last words appear, inflected or not."""
        wanted = _WORD.findall(needle)
        if not wanted:
            return None
        first = self._nearest_stem(wanted[0], bisect.bisect_left(self.starts, start), expected)
        if first is None:
            return None
        # The first word from there that matches the fragment's last word, if the two are no
        # more than 2n+2 tokens apart (n words in the fragment); else the first word alone.
        last = first
        for index in range(first, len(self.words)):
            if self.tokens[index] - self.tokens[first] + 1 > 2 * len(wanted) + 2:
                break
            if _stem_match(self.words[index].group(), wanted[-1]):
                last = index
                break
        return self.starts[first], self.words[last].end()

    def _nearest_stem(self, word: str, lowest: int, expected: int) -> int | None:
        """The index of the word from `lowest` on nearest to `expected` that matches `word`,
        looking outwards from `expected` (the earlier of two as near), at most STEM_WINDOW."""
        left = bisect.bisect_left(self.starts, expected, lowest) - 1
        right = left + 1
        for _ in range(STEM_WINDOW):
            left_distance = expected - self.starts[left] if left >= lowest else None
            right_distance = self.starts[right] - expected if right < len(self.starts) else None
            if left_distance is None and right_distance is None:
                return None
            if right_distance is None or (
                left_distance is not None and left_distance <= right_distance
            ):
                index, left = left, left - 1
            else:
                index, right = right, right + 1
            if _stem_match(self.words[index].group(), word):
                return index
        return None


def place_markers(plan: SentencePlan, target: str, fragments: Mapping[str, str]) -> str:
    """The translated sentence with the source sentence's markers put back."""
    markers = _markers(plan.marked)
    if not markers:
        return target
    searched = _Target(target)
    spans = _pairs(plan.plain, markers)
    scale = len(target) / max(len(plan.plain), 1)
    cursor = 0
    placed: list[tuple[int, str]] = []
    closing: dict[str, int] = {}
    for _, marker in markers:
        a, b = spans[marker]
        if is_open(marker):
            fragment = plan.plain[a:b].strip()
            if not fragment:  # an empty element stays empty, at its proportional place
                here = _snap_start(target, round(a * scale))
                found: tuple[int, int] | None = (here, here)
            elif fragment == plan.plain.strip():
                found = (0, len(target))
            else:
                wanted = fragments.get(fragment, "")
                found = searched.find(wanted, cursor, round(a * scale))
                if found is None:
                    found = searched.find_by_stems(wanted, cursor, round(a * scale))
            if found is None:
                found = (_snap_start(target, round(a * scale)), _snap_end(target, round(b * scale)))
            start = max(found[0], cursor)
            closing[chr(ord(marker) - OPEN_BASE + CLOSE_BASE)] = max(found[1], start)
            position = start
        else:
            position = max(closing.pop(marker, _snap_end(target, round(b * scale))), cursor)
        placed.append((position, marker))
        cursor = position
    return _insert(target, placed)


def assemble_flow(plan: FlowPlan, sentences: list[str]) -> str:
    """The translated flow: same outer whitespace, sentences joined by one space."""
    if not plan.sentences:
        return plan.lead + plan.bare_markers
    return plan.lead + " ".join(sentences) + plan.trail
