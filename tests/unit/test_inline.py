"""Putting inline markup back into translated sentences."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from service.document.inline import _WORD, _stem_match, _Target, place_markers, plan_flow
from service.document.markup import CLOSE_BASE, OPEN_BASE, strip_markers

# The searches as they were, one pass over the sentence per marker (quadratic in a sentence
# with a thousand markers): the reference for what `_Target` finds.


def reference_find(haystack: str, needle: str, start: int, expected: int) -> tuple[int, int] | None:
    if not needle:
        return None
    lowered, wanted = haystack.lower(), needle.lower()
    if len(lowered) != len(haystack):
        lowered, wanted = haystack, needle
    best: int | None = None
    found = lowered.find(wanted, start)
    while found >= 0:
        if best is None or abs(found - expected) < abs(best - expected):
            best = found
        found = lowered.find(wanted, found + 1)
    return None if best is None else (best, best + len(needle))


def reference_find_by_stems(
    haystack: str, needle: str, start: int, expected: int
) -> tuple[int, int] | None:
    wanted = _WORD.findall(needle)
    if not wanted:
        return None
    words = [m for m in _WORD.finditer(haystack) if m.start() >= start]
    firsts = [m for m in words if _stem_match(m.group(), wanted[0])]
    if not firsts:
        return None
    first = min(firsts, key=lambda m: abs(m.start() - expected))
    lasts = [m for m in words if m.start() >= first.start() and _stem_match(m.group(), wanted[-1])]
    last = lasts[0] if lasts else first
    if len(haystack[first.start() : last.end()].split()) > 2 * len(wanted) + 2:
        last = first
    return first.start(), last.end()


WORDS = ["la", "las", "casa", "casas", "roja", "rojo", "Roja", "ROJO", "de", "el", "talk"]
WORDS += ["talks", "İstanbul", "a", "--", "x-y", "it's", "ca", "cas"]
SEPARATORS = [" ", "  ", ", ", ". ", " — ", "\u00a0", "\n", "-"]
SENTENCES = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=30)
NEEDLES = st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join)


@settings(max_examples=1500, deadline=None)
@given(SENTENCES.map(lambda parts: "".join(w + s for w, s in parts)), NEEDLES, st.data())
def test_searches_find_what_one_pass_per_marker_found(
    sentence: str, needle: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(sentence) + 2))
    expected = data.draw(st.integers(0, len(sentence) + 2))
    target = _Target(sentence)
    assert target.find(needle, start, expected) == reference_find(sentence, needle, start, expected)
    assert target.find_by_stems(needle, start, expected) == reference_find_by_stems(
        sentence, needle, start, expected
    )


def test_a_thousand_elements_in_one_sentence_come_back_in_order() -> None:
    marked = " ".join(
        f"{chr(OPEN_BASE + i)}word{i}{chr(CLOSE_BASE + i)} filler" for i in range(1000)
    )
    plan = plan_flow(marked + ".", "en")
    (sentence,) = plan.sentences
    # An engine that turns every word around: no fragment is found, every element lands at
    # its proportional place.
    target = " ".join(word[::-1] for word in sentence.plain.split())
    placed = place_markers(sentence, target, {f: f[::-1] for f in sentence.fragments})
    assert strip_markers(placed) == target
    opened = [ord(c) - OPEN_BASE for c in placed if OPEN_BASE <= ord(c) < CLOSE_BASE]
    closed = [ord(c) - CLOSE_BASE for c in placed if CLOSE_BASE <= ord(c) < CLOSE_BASE + 1024]
    assert opened == closed == list(range(1000))
    for i in range(1000):
        assert placed.index(chr(OPEN_BASE + i)) < placed.index(chr(CLOSE_BASE + i))
