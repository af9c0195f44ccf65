"""The shape of a translation against its source: loops (an n-gram repeated back to back, as a
seq2seq model does when it degenerates) and lengths far from the source's."""

from __future__ import annotations

from service.engines.seq2seq_common import LOOP_MIN_REPEATS, longest_repeat
from service.pipeline.qa.flags import Finding

# Translations between English and Spanish run from about 0.8 to 1.3 times the source's
# characters; outside this band something was dropped or added.
LENGTH_BAND = (0.5, 2.0)
# Below this many characters a ratio says little ("Sí." for "Yes.").
MIN_LENGTH = 20


def check_repeats(source: str, target: str) -> list[Finding]:
    """An n-gram of one to four words three or more times in a row in the translation, more
    often than the source repeats anything: "de la de la de la" is one flag."""
    words = target.split()
    start, n, repeats = longest_repeat(words)
    if repeats < LOOP_MIN_REPEATS or repeats <= longest_repeat(source.split())[2]:
        return []
    gram = " ".join(words[start : start + n])
    return [Finding("repeat", "", f"{gram!r} is repeated {repeats} times in a row")]


def check_length(source: str, target: str) -> list[Finding]:
    """A translation under half or over twice the source's length in characters (sources of at
    least MIN_LENGTH characters)."""
    source_length, target_length = len(source.strip()), len(target.strip())
    if source_length < MIN_LENGTH:
        return []
    ratio = target_length / source_length
    low, high = LENGTH_BAND
    if low <= ratio <= high:
        return []
    return [Finding("length", "", f"the translation is {ratio:.1f} times the length of the source")]
